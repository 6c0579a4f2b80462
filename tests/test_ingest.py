"""Saving analysed articles: claims with provenance, incremental stories, blindspots, outlets."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from analysis.model import Article, Rating
from analysis.outlets import OutletRegistry
from service.ingest import IngestItem, ingest, refresh_story
from store import AnalysisWrites, Store

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
REGISTRY = OutletRegistry.load_default()

WIRE = (
    "Legend Biotech and Johnson & Johnson said five-year follow-up of the CARTITUDE-1 study of "
    "ciltacabtagene autoleucel showed that one-third of patients with relapsed or refractory multiple "
    "myeloma remained progression-free without further treatment. The overall response rate was 97.9% "
    "and 82.5% of patients reached a stringent complete response, investigators reported at a medical "
    "meeting on Saturday. Cytokine release syndrome occurred in 95% of patients, mostly low grade, and "
    "no new safety signals were identified during the long-term follow-up period of the study."
)
OTHER_EVENT = (
    "Kite said axicabtagene ciloleucel improved event-free survival versus standard of care as second-line "
    "therapy for large B-cell lymphoma in the randomized ZUMA-7 trial, with a median event-free survival "
    "of 8.3 months compared with 2.0 months. Overall survival also favoured the CAR T-cell therapy arm in "
    "the updated analysis, the company said in a statement released ahead of the annual meeting in December."
)


def article(url: str, title: str, text: str, published: str = "2026-11-16T14:00:00Z", **kw: object) -> Article:
    from analysis.relevance import assess_relevance

    therapies = assess_relevance(title, text).therapies
    host = url.split("/")[2].removeprefix("www.")
    return Article(canonical_url=url, url=url, title=title, text=text, source_name="test",
                   outlet_domain=host, published_at=published, therapies=therapies, **kw)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "db.sqlite")
    yield opened
    opened.close()


def save(store: Store, art: Article) -> int:
    return ingest(store, IngestItem(art), registry=REGISTRY, now=NOW).article_id


def story_of(store: Store, article_id: int) -> int:
    return store.db.execute("SELECT story_id FROM articles WHERE id = ?", [article_id]).fetchone()[0]


def test_syndicated_copies_join_one_story_and_distinct_events_stay_apart(store: Store) -> None:
    a = save(store, article("https://www.reuters.com/health/cilta", "J&J myeloma cell therapy keeps a third of patients progression-free", WIRE))
    b = save(store, article("https://www.usnews.com/news/cilta", "J&J myeloma cell therapy keeps a third of patients progression-free",
                            WIRE.replace("on Saturday", "on Saturday, Dec. 6"), published="2026-11-16T18:00:00Z"))
    c = save(store, article("https://www.yahoo.com/news/cilta", "Myeloma cell therapy: a third progression-free at five years",
                            WIRE + " Shares of Legend rose in early trading.", published="2026-11-17T09:00:00Z"))
    other = save(store, article("https://www.fiercebiotech.com/axi", "Kite's Yescarta wins on event-free survival in ZUMA-7", OTHER_EVENT))
    assert story_of(store, a) == story_of(store, b) == story_of(store, c)
    assert story_of(store, other) != story_of(store, a)
    row = store.db.execute("SELECT article_count, outlet_count, trials FROM stories WHERE id = ?", [story_of(store, a)]).fetchone()
    assert row[0] == 3 and row[1] == 3 and json.loads(row[2]) == ["CARTITUDE-1"]
    # Keys are indexed per story: the new article only looked up stories sharing a key.
    assert store.db.execute("SELECT count(DISTINCT story_id) FROM story_keys").fetchone()[0] == 2


def test_same_event_months_apart_is_a_new_story(store: Store) -> None:
    first = save(store, article("https://www.reuters.com/a", "Cilta-cel five-year data", WIRE, published="2026-06-01T10:00:00Z"))
    later = save(store, article("https://www.reuters.com/b", "Cilta-cel five-year data", WIRE, published="2026-11-01T10:00:00Z"))
    assert story_of(store, first) != story_of(store, later)


def test_claims_stored_with_article_provenance_and_outlet_resolved(store: Store) -> None:
    art_id = save(store, article("https://amp.statnews.com/2026/11/16/cilta", "Cilta-cel at five years", WIRE))
    row = store.db.execute("SELECT outlet_domain, outlet_name, source_type, proximity, reports_efficacy, reports_safety "
                           "FROM articles WHERE id = ?", [art_id]).fetchone()
    assert row[0] == "statnews.com" and row[1] == "STAT" and row[2] == "health/medical trade press"
    assert row[3] == "quotes_manufacturer" or row[3] == "manufacturer"
    assert row[4] == 1 and row[5] == 1
    claims = store.db.execute("SELECT therapy, metric, value, sentence, start, \"end\", outlet_domain, published_at "
                              "FROM claims WHERE article_id = ? ORDER BY start", [art_id]).fetchall()
    metrics = {(c[0], c[1], c[2]) for c in claims}
    assert ("ciltacabtagene autoleucel", "ORR", 97.9) in metrics
    assert ("ciltacabtagene autoleucel", "sCR", 82.5) in metrics
    for therapy, metric, value, sentence, start, end, outlet, published in claims:
        assert WIRE[start:end] == sentence
        assert outlet == "statnews.com" and published == "2026-11-16T14:00:00Z"


def test_a_figure_only_the_headline_states_is_stored_with_the_title_as_its_sentence(store: Store) -> None:
    title = "Cilta-cel keeps 33% of patients progression-free at five years"
    text = "In CARTITUDE-1, 97 patients received cilta-cel; the overall response rate was 97.9%."
    art_id = save(store, article("https://www.reuters.com/cilta-five", title, text))
    rows = store.db.execute('SELECT metric, value, timepoint_months, part, sentence FROM claims WHERE article_id = ? '
                            "ORDER BY part DESC, metric", [art_id]).fetchall()
    assert [tuple(r) for r in rows] == [("PFS_RATE", 33.0, 60.0, "title", title),
                                        ("N_PATIENTS", 97.0, None, "text", text), ("ORR", 97.9, None, "text", text)]
    assert sorted(stored_claims_match_text(store, art_id)) == [("N_PATIENTS", 97.0), ("ORR", 97.9), ("PFS_RATE", 33.0)]


def test_resave_unchanged_keeps_claims_and_story(store: Store) -> None:
    art = article("https://www.reuters.com/a", "Cilta-cel five-year data", WIRE)
    first = save(store, art)
    before = store.db.execute("SELECT id FROM claims ORDER BY id").fetchall()
    assert save(store, art) == first
    assert store.db.execute("SELECT id FROM claims ORDER BY id").fetchall() == before
    assert store.db.execute("SELECT count(*) FROM stories").fetchone()[0] == 1


def test_blindspot_follows_imported_ratings(store: Store) -> None:
    urls = ["https://www.nytimes.com/a", "https://www.washingtonpost.com/a", "https://www.npr.org/a", "https://www.cnn.com/a"]
    ids = [save(store, article(u, "J&J myeloma cell therapy keeps a third progression-free", WIRE)) for u in urls]
    story = story_of(store, ids[0])
    writes = AnalysisWrites(store)
    lefts = [Rating(domain=d, rater="allsides", dimension="lean", value="Lean Left", raw_value="left-center")
             for d in ("nytimes.com", "washingtonpost.com", "npr.org")]
    writes.save_ratings([*lefts, Rating(domain="cnn.com", rater="allsides", dimension="lean", value="Center", raw_value="center")], now=NOW)
    with store.transaction():
        refresh_story(writes, story)
    # 3 of 4 rated outlets lean left: 75% < 80%, not a blindspot.
    assert store.db.execute("SELECT blindspot FROM stories WHERE id = ?", [story]).fetchone()[0] is None
    writes.save_ratings([Rating(domain="cnn.com", rater="allsides", dimension="lean", value="Left", raw_value="left")], now=NOW)
    with store.transaction():
        refresh_story(writes, story)
    assert store.db.execute("SELECT blindspot FROM stories WHERE id = ?", [story]).fetchone()[0] == "left"


def test_headline_then_full_article_is_one_row(store: Store) -> None:
    headline = Article(canonical_url="https://news.google.com/rss/articles/CBMiXYZ", url="https://news.google.com/rss/articles/CBMiXYZ",
                       title="Cilta-cel keeps myeloma in check at five years", text="", source_name="gnews",
                       outlet_domain="statnews.com", kind="headline", published_at="2026-11-16T14:00:00Z",
                       therapies=("ciltacabtagene autoleucel",))
    first = save(store, headline)
    full = article("https://www.statnews.com/2026/11/16/cilta", "Cilta-cel keeps myeloma in check at five years", WIRE)
    assert save(store, full) == first
    row = store.db.execute("SELECT kind, canonical_url, count(*) FROM articles").fetchone()
    assert row == ("news", "https://www.statnews.com/2026/11/16/cilta", 1)


def stored_claims_match_text(store: Store, article_id: int) -> list[tuple[str, float]]:
    """Every stored claim's offsets point at its sentence in the stored text; returns (metric, value)s."""
    title, text = store.db.execute("SELECT title, text FROM articles WHERE id = ?", [article_id]).fetchone()
    rows = store.db.execute('SELECT metric, value, sentence, start, "end", part FROM claims WHERE article_id = ?',
                            [article_id]).fetchall()
    for _, _, sentence, start, end, part in rows:
        assert (title if part == "title" else text)[start:end] == sentence
    return [(metric, value) for metric, value, *_ in rows]


def test_second_record_of_a_paper_keeps_claims_of_the_stored_text(store: Store) -> None:
    first = article("https://pubmed.ncbi.nlm.nih.gov/111/", "Cilta-cel at five years", WIRE, doi="10.1/cartitude")
    first_id = save(store, first)
    before = stored_claims_match_text(store, first_id)
    assert ("ORR", 97.9) in before
    # Same paper (same DOI) from another source: a shorter text, and a PMID the first lacked, so
    # the merge fills that blank and keeps the first record's text.
    short = "Ciltacabtagene autoleucel: cytokine release syndrome occurred in 41% of 97 patients."
    second = article("https://europepmc.org/article/MED/111", "Cilta-cel at five years", short,
                     doi="10.1/cartitude", pmid="111")
    assert save(store, second) == first_id
    row = store.db.execute("SELECT text, pmid FROM articles WHERE id = ?", [first_id]).fetchone()
    assert row == (WIRE, "111")
    assert sorted(stored_claims_match_text(store, first_id)) == sorted(before)


def test_second_record_filling_an_empty_text_brings_claims_of_that_text(store: Store) -> None:
    first_id = save(store, article("https://pubmed.ncbi.nlm.nih.gov/222/", "Cilta-cel at five years", "",
                                   doi="10.1/empty"))
    assert stored_claims_match_text(store, first_id) == []
    assert save(store, article("https://europepmc.org/article/MED/222", "Cilta-cel at five years", WIRE,
                               doi="10.1/empty")) == first_id
    assert ("ORR", 97.9) in stored_claims_match_text(store, first_id)
    assert store.db.execute("SELECT reports_efficacy FROM articles WHERE id = ?", [first_id]).fetchone()[0] == 1


def test_a_paywalled_articles_text_is_stored_as_partial(store: Store) -> None:
    art = replace(article("https://www.statnews.com/paywalled", "Cilta-cel at five years", WIRE), partial_text=True)
    art_id = save(store, art)
    assert store.db.execute("SELECT partial_text FROM articles WHERE id = ?", [art_id]).fetchone() == (1,)
