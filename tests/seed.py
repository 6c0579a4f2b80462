"""A realistic fixture database, written through the store's own write functions.

Three therapies (cilta-cel, ide-cel, axi-cel), 21 articles from 13 outlets (three of them
unrated), claims from peer-reviewed and news sources including one misreport (a blog's 89% ORR
beside the NEJM paper's 97.9%) and one newer data cut that is not a contradiction, four stories
(one a left blindspot), ratings from AllSides and MBFC, crawl runs/results/fetches/sources, and
one article whose title carries ``<script>alert(1)</script>``.

Times are relative to ``now`` so "new in the last 24 h" has a fixed meaning in every test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from analysis.model import Article, Claim, Outlet, Rating
from analysis.model.records import StoryCandidate
from service.ingest import refresh_story
from store import AnalysisWrites, Store
from store.articles import ArticleDerived
from store.db import iso

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
XSS_TITLE = "Cilta-cel <script>alert(1)</script> & \"friends\": the CARTITUDE-4 update"
CILTA, IDE, AXI = "ciltacabtagene autoleucel", "idecabtagene vicleucel", "axicabtagene ciloleucel"

# domain, name, source_type, owner, ownership_category, country
OUTLETS = [
    ("nejm.org", "The New England Journal of Medicine", "peer-reviewed journal", "Massachusetts Medical Society", "Non-profit", "US"),
    ("thelancet.com", "The Lancet", "peer-reviewed journal", "Elsevier", "Corporation", "GB"),
    ("medrxiv.org", "medRxiv", "preprint server", "Cold Spring Harbor Laboratory", "Non-profit", "US"),
    ("reuters.com", "Reuters", "general news", "Thomson Reuters", "Corporation", "GB"),
    ("nytimes.com", "The New York Times", "general news", "The New York Times Company", "Corporation", "US"),
    ("cnn.com", "CNN", "general news", "Warner Bros. Discovery", "Media conglomerate", "US"),
    ("theguardian.com", "The Guardian", "general news", "Scott Trust", "Non-profit", "GB"),
    ("foxnews.com", "Fox News", "general news", "Fox Corporation", "Media conglomerate", "US"),
    ("fiercebiotech.com", "Fierce Biotech", "health/medical trade press", "Questex", "Private equity", "US"),
    ("statnews.com", "STAT", "health/medical trade press", "Boston Globe Media", "Billionaire-owned", "US"),
    ("prnewswire.com", "PR Newswire", "press release wire", "Cision", "Private equity", "US"),
]
# domain, rater, dimension, value
RATINGS = [
    ("reuters.com", "allsides", "lean", "Center"), ("reuters.com", "mbfc", "lean", "Center"),
    ("reuters.com", "mbfc", "factuality", "Very High"),
    ("nytimes.com", "allsides", "lean", "Lean Left"), ("nytimes.com", "mbfc", "lean", "Left"),
    ("nytimes.com", "mbfc", "factuality", "High"),
    ("cnn.com", "allsides", "lean", "Left"), ("cnn.com", "mbfc", "lean", "Lean Left"),
    ("cnn.com", "mbfc", "factuality", "Mostly Factual"),
    ("theguardian.com", "allsides", "lean", "Lean Left"), ("theguardian.com", "mbfc", "lean", "Lean Left"),
    ("theguardian.com", "mbfc", "factuality", "Mixed"),
    ("foxnews.com", "allsides", "lean", "Right"), ("foxnews.com", "mbfc", "lean", "Right"),
    ("foxnews.com", "mbfc", "factuality", "Mixed"),
    ("fiercebiotech.com", "mbfc", "lean", "Center"), ("fiercebiotech.com", "mbfc", "factuality", "High"),
    ("statnews.com", "allsides", "lean", "Lean Left"), ("statnews.com", "mbfc", "lean", "Center"),
    ("statnews.com", "mbfc", "factuality", "High"),
    ("nejm.org", "mbfc", "factuality", "Very High"), ("thelancet.com", "mbfc", "factuality", "Very High"),
]


@dataclass(frozen=True, slots=True)
class A:
    """One seeded article: key, story key, outlet, kind, source type, age in hours, title, therapies."""

    key: str
    story: str | None
    domain: str
    kind: str
    source_type: str | None
    hours_ago: float
    title: str
    therapies: tuple[str, ...]
    efficacy: bool = True
    safety: bool = False
    proximity: str = "independent"


ARTICLES = [
    A("nejm", "s1", "nejm.org", "paper", "peer-reviewed journal", 240, "Ciltacabtagene autoleucel in CARTITUDE-1: final analysis", (CILTA,), safety=True),
    A("reuters1", "s1", "reuters.com", "news", "general news", 236, "J&J myeloma cell therapy keeps working, study shows", (CILTA,)),
    A("fierce1", "s1", "fiercebiotech.com", "news", "health/medical trade press", 235, "Carvykti CARTITUDE-1 data hold up", (CILTA,), proximity="quotes_manufacturer"),
    A("jnj", "s1", "jnj.com", "press_release", "manufacturer/company", 239, "Johnson & Johnson announces CARTITUDE-1 final results", (CILTA,), proximity="manufacturer"),
    A("blog", "s1", "cartnewsdaily.net", "news", None, 230, "Cilta-cel wows again (=HYPERLINK)", (CILTA,)),
    A("fox1", "s1", "foxnews.com", "news", "general news", 228, "Cancer cell therapy shows staying power", (CILTA,)),
    A("nyt2", "s2", "nytimes.com", "news", "general news", 100, "Ide-cel extends survival in KarMMa-3", (IDE,), safety=True),
    A("cnn2", "s2", "cnn.com", "news", "general news", 99, "Abecma beats standard regimens", (IDE,)),
    A("guardian2", "s2", "theguardian.com", "news", "general news", 98, "Myeloma CAR-T wins in KarMMa-3", (IDE,), safety=True),
    A("prn2", "s2", "prnewswire.com", "press_release", "press release wire", 101, "BMS: Abecma KarMMa-3 overall survival", (IDE,), proximity="manufacturer"),
    A("lancet3", "s3", "thelancet.com", "paper", "peer-reviewed journal", 60, "Axicabtagene ciloleucel as second-line therapy: ZUMA-7 overall survival", (AXI,)),
    A("stat3", "s3", "statnews.com", "news", "health/medical trade press", 58, "Yescarta improves survival in ZUMA-7", (AXI,), safety=True),
    A("reuters3", "s3", "reuters.com", "news", "general news", 57, "Gilead cell therapy cuts risk of death", (AXI,)),
    A("fox3", "s3", "foxnews.com", "news", "general news", 50, "Lymphoma patients live longer with axi-cel", (AXI,), efficacy=False, safety=True),
    A("xss", "s4", "cartnewsdaily.net", "news", None, 10, XSS_TITLE, (CILTA,)),
    A("medrxiv4", "s4", "medrxiv.org", "preprint", "preprint server", 9, "CARTITUDE-4 long-term follow-up (preprint)", (CILTA,)),
    A("fierce4", "s4", "fiercebiotech.com", "news", "health/medical trade press", 8, "Carvykti CARTITUDE-4 PFS update", (CILTA,)),
    A("nyt4", "s4", "nytimes.com", "news", "general news", 7, "A myeloma therapy moves earlier", (CILTA,)),
    A("fox4", "s4", "foxnews.com", "news", "general news", 6, "Myeloma drug update", (CILTA,), efficacy=False),
    A("medblog", None, "oncowire.example", "news", "general news", 400, "CAR-T roundup", (AXI, CILTA), efficacy=False),
    A("ide_old", None, "fiercebiotech.com", "news", "health/medical trade press", 2000, "KarMMa follow-up", (IDE,)),
]
# article key, therapy, trial, metric, value, unit, not_reached, timepoint, followup, sentence, hours since extraction
CLAIMS = [
    ("nejm", CILTA, "CARTITUDE-1", "ORR", 97.9, "%", 0, None, 27.7, "The overall response rate was 97.9% at a median follow-up of 27.7 months.", 240),
    ("nejm", CILTA, "CARTITUDE-1", "sCR", 82.5, "%", 0, None, 27.7, "82.5% of patients achieved a stringent complete response.", 240),
    ("nejm", CILTA, "CARTITUDE-1", "CRS_GRADE3PLUS", 4.1, "%", 0, None, 27.7, "Grade 3 or higher CRS occurred in 4.1%.", 240),
    ("reuters1", CILTA, "CARTITUDE-1", "ORR", 98, "%", 0, None, None, "Ninety-eight percent of patients responded.", 236),
    ("fierce1", CILTA, "CARTITUDE-1", "ORR", 97.9, "%", 0, None, None, "ORR was 97.9% in CARTITUDE-1.", 235),
    ("jnj", CILTA, "CARTITUDE-1", "ORR", 98, "%", 0, None, None, "Carvykti produced a 98% overall response rate.", 239),
    ("blog", CILTA, "CARTITUDE-1", "ORR", 89, "%", 0, None, None, "An amazing 89% of patients responded to cilta-cel.", 230),
    ("nyt2", IDE, "KarMMa-3", "PFS_MEDIAN", 13.3, "months", 0, None, None, "Median progression-free survival was 13.3 months.", 100),
    ("cnn2", IDE, "KarMMa-3", "PFS_MEDIAN", 13.3, "months", 0, None, None, "Patients lived 13.3 months without progression.", 99),
    ("guardian2", IDE, "KarMMa-3", "ORR", 71, "%", 0, None, None, "71% responded.", 98),
    ("prn2", IDE, "KarMMa-3", "ORR", 71, "%", 0, None, None, "Abecma showed a 71% overall response rate.", 101),
    ("lancet3", AXI, "ZUMA-7", "OS_RATE", 54.6, "%", 0, 48.0, 47.2, "The 4-year overall survival was 54.6%.", 60),
    ("stat3", AXI, "ZUMA-7", "OS_RATE", 54.6, "%", 0, 48.0, None, "At four years 54.6% were alive.", 58),
    ("reuters3", AXI, "ZUMA-7", "OS_RATE", 55, "%", 0, 48.0, None, "About 55% of patients were alive after four years.", 57),
    ("fox3", AXI, "ZUMA-7", "CRS_GRADE3PLUS", 6, "%", 0, None, None, "Severe CRS hit 6% of patients.", 50),
    ("medrxiv4", CILTA, "CARTITUDE-4", "PFS_MEDIAN", None, "months", 1, None, 15.9, "Median PFS was not reached at a median follow-up of 15.9 months.", 9),
    ("medrxiv4", CILTA, "CARTITUDE-4", "PFS_RATE", 75.9, "%", 0, 12.0, 15.9, "The 12-month PFS rate was 75.9%.", 9),
    ("fierce4", CILTA, "CARTITUDE-4", "PFS_MEDIAN", 40.1, "months", 0, None, 33.6, "With 33.6 months of follow-up, median PFS reached 40.1 months.", 8),
    ("nyt4", CILTA, "CARTITUDE-4", "PFS_RATE", 76, "%", 0, 12.0, None, "About 76% were alive without progression at a year.", 7),
    ("xss", CILTA, "CARTITUDE-4", "ORR", 84.6, "%", 0, None, None, "ORR <b>84.6%</b> =cmd|' /C calc'!A0", 10),
]
# story key, title, blindspot, hours since creation
STORIES = [
    ("s1", "Cilta-cel CARTITUDE-1 final results", None, 240),
    ("s2", "Ide-cel extends survival in KarMMa-3", "left", 101),
    ("s3", "Axi-cel ZUMA-7 overall survival", None, 60),
    ("s4", XSS_TITLE, None, 10),
]


def seed(path: str | Path, now: datetime = NOW) -> dict[str, int]:
    """Create the database at ``path``; returns article and story ids by their seed key.

    Every row goes through the store's own write functions (the ones ``service.ingest`` and the
    crawler call), never through SQL of its own: the fixture follows the schema as it changes.
    Claims, stories and flags are given, not derived, so each test knows exactly what is there."""
    store = Store.open(path)
    writes = AnalysisWrites(store)
    ago = lambda hours: now - timedelta(hours=hours)  # noqa: E731
    try:
        with store.transaction():
            _outlets_and_ratings(writes, ago)
            stories = _stories(writes, ago)
            ids = stories | _articles(store, writes, ago, stories)
            _claims(writes, ago, ids)
            for key, _title, _blindspot, _hours in STORIES:
                writes.recount_story(stories[key])  # counts and blindspot, as ingest sets them
                refresh_story(writes, stories[key])
            _crawl_state(store, ago)
    finally:
        store.close()
    return ids


def _stories(writes: AnalysisWrites, ago: Callable[[float], datetime]) -> dict[str, int]:
    ids = {}
    for key, title, _blindspot, hours in STORIES:
        members = [a for a in ARTICLES if a.story == key]
        first, last = iso(ago(max(a.hours_ago for a in members))), iso(ago(min(a.hours_ago for a in members)))
        story_id = writes.create_story(title, first_seen_at=first, now=ago(hours))
        therapies = frozenset(t for a in members for t in a.therapies)
        trials = sorted({c[2] for c in CLAIMS if any(a.key == c[0] for a in members)})
        writes.save_story(StoryCandidate(story_id, (), therapies, frozenset(trials), first, last, frozenset()),
                          keys=(), day=0, now=ago(min(a.hours_ago for a in members)), trial_names=trials)
        ids[key] = story_id
    return ids


def _articles(store: Store, writes: AnalysisWrites, ago: Callable[[float], datetime],
              stories: dict[str, int]) -> dict[str, int]:
    names = {o[0]: o[1] for o in OUTLETS}
    ids = {}
    for n, a in enumerate(ARTICLES):
        url = f"https://{a.domain}/cart/{a.key}"
        text = (f"{a.title}. Coverage of CAR T-cell therapy outcomes in multiple myeloma and lymphoma; "
                f"article number {n} with stringent complete response data.")
        article = Article(
            canonical_url=url, url=url, title=a.title, text=text, source_name="seed", outlet_domain=a.domain,
            kind=a.kind, outlet_name=names.get(a.domain), published_at=iso(ago(a.hours_ago)),
            summary=f"Summary of {a.title}", authors=("A. Writer",), language="en",
            doi=f"10.1000/{a.key}" if a.kind == "paper" else None, therapies=a.therapies)
        derived = ArticleDerived(source_type=a.source_type, proximity=a.proximity, reports_efficacy=a.efficacy,
                                 reports_safety=a.safety)
        ids[a.key] = store.save_article(article, now=ago(a.hours_ago - 1), derived=derived).article_id
        if a.story:
            writes.set_article_story(ids[a.key], stories[a.story])
    return ids


def _claims(writes: AnalysisWrites, ago: Callable[[float], datetime], ids: dict[str, int]) -> None:
    for key in dict.fromkeys(c[0] for c in CLAIMS):
        rows = [c for c in CLAIMS if c[0] == key]
        claims = [Claim(therapy=therapy, trial=trial, metric=metric, value=value, unit=unit, not_reached=bool(nr),
                        timepoint_months=timepoint, followup_months=followup, sentence=sentence, start=0,
                        end=len(sentence), confidence=0.9)
                  for _, therapy, trial, metric, value, unit, nr, timepoint, followup, sentence, _ in rows]
        writes.replace_claims(ids[key], claims, now=ago(rows[0][-1]))


def _outlets_and_ratings(writes: AnalysisWrites, ago: Callable[[float], datetime]) -> None:
    writes.sync_outlets(
        (Outlet(domain=d, name=name, source_type=kind, owner=owner, ownership_category=category, country=country,
                verified_at="2026-09-01"), "config" if d == "statnews.com" else "cartwatch")
        for d, name, kind, owner, category, country in OUTLETS)
    writes.save_ratings([Rating(domain=d, rater=r, dimension=dim, value=v, raw_value=v.lower(),
                                rated_at="2026-06-01" if r == "allsides" else "2026-07-15", origin=f"{r}-2026.csv")
                         for d, r, dim, v in RATINGS], now=ago(500))


def _crawl_state(store: Store, ago: Callable[[float], datetime]) -> None:
    store.sync_sources([("trade-rss", "rss", "https://fiercebiotech.com/rss"),
                        ("pubmed", "pubmed", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"),
                        ("wire-rss", "rss", "https://prnewswire.com/rss")])
    store.record_source_outcome("trade-rss", now=ago(2), error=None)
    store.record_source_outcome("pubmed", now=ago(2), error=None)
    store.record_source_outcome("wire-rss", now=ago(26), error=None)
    for hours in (14, 2):  # two failures since its last success
        store.record_source_outcome("wire-rss", now=ago(hours), error="HTTPStatusError: 503 <Service Unavailable>")
    for run, hours in ((1, 26), (2, 2)):
        run_id = store.start_run(trigger="schedule", now=ago(hours))
        for source, status, new, errors in (("trade-rss", "ok", 3, 0), ("pubmed", "ok", 2, 0),
                                            ("wire-rss", "ok" if run == 1 else "failed", 1, run - 1)):
            store.record_result(run_id, {
                "source_name": source, "started_at": iso(ago(hours)), "finished_at": iso(ago(hours - 0.05)),
                "status": status, "fetched": new + 2, "new": new * run, "updated": 1, "unchanged": 1, "skipped": 1,
                "errors": errors, "skipped_reasons": {"not_relevant": 1},
                "message": "503 from feed" if errors else None})
        store.finish_run(run_id, now=ago(hours - 0.1), status="ok" if run == 1 else "failed")
    for source, url, outcome, kind, status, message in (
            ("trade-rss", "https://fiercebiotech.com/rss", "ok", None, 200, None),
            ("pubmed", "https://eutils.ncbi.nlm.nih.gov/x", "not_modified", None, 304, None),
            ("wire-rss", "https://prnewswire.com/rss", "error", "HTTPStatusError", 503, "Service <Unavailable>")):
        store.record_fetch(run_id=2, source_name=source, url=url, now=ago(2), outcome=outcome, error_kind=kind,
                           status=status, message=message)


def seeded_client(tmp_path: Path, **app_options: object):  # type: ignore[no-untyped-def]
    """A TestClient on a freshly seeded database with the clock pinned at ``NOW``."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.config import ApiConfig

    path = tmp_path / "seeded.db"
    ids = seed(path)
    config = app_options.pop("config", None) or ApiConfig()
    client = TestClient(create_app(path, config, clock=lambda: NOW, **app_options))  # type: ignore[arg-type]
    client.ids = ids  # type: ignore[attr-defined]
    return client
