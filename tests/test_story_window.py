"""Stories stay one window long, their counts move incrementally, and closed stories leave the index.

Issue 14: the window used to slide with a story's latest article and the products and trials of
a story were merged before the different-product check, so a product's weekly news chained into
one story for years. Here a generated sequence of near-identical weekly news goes through
``service.ingest`` and no story may span more than the window.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from analysis.fingerprint import fingerprint
from analysis.model import Article, Rating
from analysis.outlets import OutletRegistry
from analysis.stories import add_to_story, article_meta, assign_story, new_story
from service.ingest import STORY_IDLE_DAYS, STORY_WINDOW_DAYS, IngestItem, epoch_day, ingest, ingest_batch
from service.ratings import import_ratings
from store.migrations import migrate, migrations
from store import Store

REGISTRY = OutletRegistry.load_default()
START = datetime(2026, 3, 2, 9, tzinfo=UTC)
OUTLETS = ("reuters.com", "statnews.com", "fiercebiotech.com", "endpts.com", "biopharmadive.com")
BODY = ("Ciltacabtagene autoleucel kept patients with multiple myeloma in remission in the CARTITUDE-4 "
        "study, investigators said, with an overall response rate of 85% and a complete response rate "
        "of 73% among 208 patients at a median follow-up of 34 months. Cytokine release syndrome was "
        "mostly low grade and no new safety signals were seen in the longer follow-up, the company said.")


def weekly_news(days: int, per_day: int = 3) -> list[tuple[datetime, Article]]:
    """The same product and trial in the news every day, near-identical texts: the chaining case."""
    items = []
    for day in range(days):
        for n in range(per_day):
            at = START + timedelta(days=day, hours=3 * n)
            domain = OUTLETS[(day + n) % len(OUTLETS)]
            url = f"https://www.{domain}/cilta/{day}-{n}"
            text = f"{BODY} Update {day} from {domain}."
            items.append((at, Article(url, url, "Carvykti CARTITUDE-4 data keep myeloma patients in remission",
                                      text, "test", domain, published_at=at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                      therapies=("ciltacabtagene autoleucel",))))
    return items


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "db.sqlite")
    yield opened
    opened.close()


def ingest_all(store: Store, items: list[tuple[datetime, Article]], batch: int = 4) -> None:
    for i in range(0, len(items), batch):
        chunk = items[i:i + batch]
        ingest_batch(store, [IngestItem(a) for _, a in chunk], registry=REGISTRY, now=chunk[-1][0] + timedelta(hours=1))


def spans(store: Store) -> list[float]:
    return [r[0] for r in store.db.execute(
        "SELECT julianday(max(sort_at)) - julianday(min(sort_at)) FROM articles GROUP BY story_id")]


def test_no_story_spans_more_than_its_window_on_a_generated_sequence(store: Store) -> None:
    items = weekly_news(40)
    ingest_all(store, items)
    found = spans(store)
    assert max(found) <= STORY_WINDOW_DAYS
    # The window still groups: 120 articles in 40 days make a handful of stories, not 120.
    assert 40 / (STORY_WINDOW_DAYS + 1) <= len(found) <= 40 / STORY_WINDOW_DAYS * 2
    # The stored first/last dates say the same as the articles.
    assert store.db.execute("SELECT max(julianday(last_seen_at) - julianday(first_seen_at)) FROM stories"
                            ).fetchone()[0] <= STORY_WINDOW_DAYS


def test_counts_kept_incrementally_equal_a_recount(store: Store) -> None:
    ingest_all(store, weekly_news(12, per_day=4), batch=5)
    kept = store.db.execute("SELECT id, article_count, outlet_count FROM stories ORDER BY id").fetchall()
    counted = store.db.execute(
        "SELECT story_id, count(*), count(DISTINCT outlet_domain) FROM articles GROUP BY story_id ORDER BY story_id"
    ).fetchall()
    assert [tuple(r) for r in kept] == [tuple(r) for r in counted]
    per_outlet = store.db.execute("SELECT story_id, outlet_domain, articles FROM story_outlets ORDER BY 1, 2").fetchall()
    assert [tuple(r) for r in per_outlet] == [tuple(r) for r in store.db.execute(
        "SELECT story_id, outlet_domain, count(*) FROM articles GROUP BY 1, 2 ORDER BY 1, 2").fetchall()]


def test_a_rated_outlet_joining_rejudges_the_blindspot_and_ratings_import_finds_its_stories(store: Store) -> None:
    left = ("reuters.com", "statnews.com", "fiercebiotech.com")
    ratings = [Rating(domain=d, rater="allsides", dimension="lean", value="Left", raw_value="Left",
                      rated_at="2026-01-01", origin="test") for d in left]
    import_ratings(store, ratings, now=START)
    ingest_all(store, weekly_news(2), batch=1)
    assert {r[0] for r in store.db.execute("SELECT blindspot FROM stories")} == {"left"}
    # Ratings change: only the stories with an article of a re-rated outlet are re-judged.
    import_ratings(store, [Rating(domain=d, rater="allsides", dimension="lean", value="Center", raw_value="Center",
                                  rated_at="2026-02-01", origin="test") for d in left], now=START)
    assert {r[0] for r in store.db.execute("SELECT blindspot FROM stories")} == {None}


def test_stories_nobody_can_join_lose_their_keys(store: Store) -> None:
    old = weekly_news(3)
    ingest_all(store, old)
    assert store.db.execute("SELECT count(*) FROM story_keys").fetchone()[0] > 0
    later_at = START + timedelta(days=STORY_IDLE_DAYS + STORY_WINDOW_DAYS + 5)
    url = "https://www.statnews.com/other"
    later = Article(url, url, "Kite reports Yescarta sales", "Kite said sales of Yescarta rose in the quarter.",
                    "test", "statnews.com", published_at=later_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    therapies=("axicabtagene ciloleucel",))
    ingest(store, IngestItem(later), registry=REGISTRY, now=later_at)
    later_story = store.db.execute("SELECT story_id FROM articles WHERE canonical_url = ?", [url]).fetchone()[0]
    open_keys = {r[0] for r in store.db.execute("SELECT DISTINCT story_id FROM story_keys")}
    assert open_keys == {later_story}
    assert store.db.execute("SELECT count(*) FROM stories WHERE keys_open = 1").fetchone()[0] == 1


def test_backfilled_articles_crawled_together_still_group(store: Store) -> None:
    """Old articles crawled now keep their story open while the back-fill goes on (crawl time)."""
    items = weekly_news(2)
    crawl = START + timedelta(days=400)
    for _at, art in items:
        ingest(store, IngestItem(art), registry=REGISTRY, now=crawl)
    assert store.db.execute("SELECT count(DISTINCT story_id) FROM articles").fetchone()[0] == 1


def test_a_merged_story_keeps_its_different_product_check() -> None:
    """A roundup naming two products joins the first product's story; the other product's own
    readout the same week is still a different event."""
    cilta = article_meta("Carvykti data in myeloma", "2026-03-02T09:00:00Z", ["ciltacabtagene autoleucel"],
                         ["CARTITUDE-4"])
    story = new_story(1, fingerprint("Carvykti data in myeloma", BODY), cilta)
    roundup = article_meta("Myeloma CAR-T roundup: Carvykti and Abecma", "2026-03-03T09:00:00Z",
                           ["ciltacabtagene autoleucel", "idecabtagene vicleucel"], ["CARTITUDE-4", "KarMMa-3"])
    story = add_to_story(story, fingerprint("roundup", BODY + " Abecma too."), roundup)
    assert story.therapies == {"ciltacabtagene autoleucel", "idecabtagene vicleucel"}
    abecma = article_meta("Abecma KarMMa-3 data in myeloma", "2026-03-04T09:00:00Z", ["idecabtagene vicleucel"],
                          ["KarMMa-3"])
    assert assign_story(fingerprint("Abecma KarMMa-3 data in myeloma", ""), abecma, [story]).story_id is None


def test_a_story_never_grows_past_its_window_from_either_side() -> None:
    meta = article_meta("Carvykti data", "2026-03-02T09:00:00Z", ["ciltacabtagene autoleucel"], ["CARTITUDE-4"])
    story = new_story(1, fingerprint("Carvykti data", BODY), meta)
    story = add_to_story(story, fingerprint("Carvykti data", BODY),
                         article_meta("Carvykti data", "2026-03-08T09:00:00Z", ["ciltacabtagene autoleucel"]))
    for when in ("2026-03-10T09:00:00Z", "2026-02-28T09:00:00Z"):  # within 7 days of one end only
        late = article_meta("Carvykti data", when, ["ciltacabtagene autoleucel"], ["CARTITUDE-4"])
        assert assign_story(fingerprint("Carvykti data", BODY), late, [story]).story_id is None
    inside = article_meta("Carvykti data", "2026-03-05T09:00:00Z", ["ciltacabtagene autoleucel"], ["CARTITUDE-4"])
    assert assign_story(fingerprint("Carvykti data", BODY), inside, [story]).story_id == 1


def test_epoch_day() -> None:
    assert epoch_day("1970-01-02T00:00:00Z") == 1
    assert epoch_day("2026-03-02") == epoch_day("2026-03-02T23:59:59Z") == epoch_day("2026-03-03T01:00:00+02:00")


def test_a_database_of_the_previous_schema_migrates_with_its_stories(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite_utils.Database(sqlite3.connect(path))
    migrations.apply(db, stop_before="m010_story_counts_and_dated_keys")
    db.execute("INSERT INTO stories(id, title, first_seen_at, last_seen_at, created_at, updated_at, therapies, "
               "trials, article_count, outlet_count) VALUES (1, 't', '2026-03-02T09:00:00Z', '2026-03-04T09:00:00Z', "
               "'x', 'x', '[\"ciltacabtagene autoleucel\"]', '[\"CARTITUDE-4\"]', 3, 2)")
    for n, domain in enumerate(("a.com", "a.com", "b.com")):
        db.execute("INSERT INTO articles(canonical_url, url, title, text, kind, source_name, outlet_domain, sort_at, "
                   "fetched_at, updated_at, content_hash, story_id) VALUES (?, ?, 't', 'x', 'news', 's', ?, "
                   "'2026-03-02T09:00:00Z', 'x', 'x', 'h', 1)", [f"https://{domain}/{n}", f"https://{domain}/{n}", domain])
    db.execute("INSERT INTO story_keys(key, story_id) VALUES ('ev:ciltacabtagene autoleucel|cartitude-4', 1)")
    db.conn.commit()
    migrate(db)
    assert [tuple(r) for r in db.execute("SELECT story_id, outlet_domain, articles FROM story_outlets ORDER BY 2")] == [
        (1, "a.com", 2), (1, "b.com", 1)]
    assert [tuple(r) for r in db.execute("SELECT key, day, story_id FROM story_keys")] == [
        ("ev:ciltacabtagene autoleucel|cartitude-4", epoch_day("2026-03-02"), 1)]
    assert db.execute("SELECT keys_open, core_therapies FROM stories").fetchone() == (1, None)
    db.conn.close()
    # The migrated story takes new articles through the dated keys.
    store = Store.open(path)
    try:
        at = datetime(2026, 3, 3, 9, tzinfo=UTC)
        url = "https://www.statnews.com/cilta"
        art = Article(url, url, "Carvykti CARTITUDE-4 data", BODY, "test", "statnews.com",
                      published_at="2026-03-03T09:00:00Z", therapies=("ciltacabtagene autoleucel",))
        ingest(store, IngestItem(art), registry=REGISTRY, now=at)
        assert store.db.execute("SELECT story_id FROM articles WHERE canonical_url = ?", [url]).fetchone()[0] == 1
        assert tuple(store.db.execute("SELECT article_count, outlet_count FROM stories").fetchone()) == (4, 3)
    finally:
        store.close()
