"""A realistic fixture database, built by direct SQL inserts into the schema.

Three therapies (cilta-cel, ide-cel, axi-cel), 21 articles from 13 outlets (three of them
unrated), claims from peer-reviewed and news sources including one misreport (a blog's 89% ORR
beside the NEJM paper's 97.9%) and one newer data cut that is not a contradiction, four stories
(one a left blindspot), ratings from AllSides and MBFC, crawl runs/results/fetches/sources, and
one article whose title carries ``<script>alert(1)</script>``.

Times are relative to ``now`` so "new in the last 24 h" has a fixed meaning in every test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store.db import open_db

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


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def seed(path: str | Path, now: datetime = NOW) -> dict[str, int]:
    """Create the database at ``path``; returns article and story ids by their seed key."""
    db = open_db(path)
    conn = db.conn
    ago = lambda hours: iso(now - timedelta(hours=hours))  # noqa: E731
    with conn:
        ids = _stories(conn, ago) | _articles(conn, ago)
        ids_by_key = dict(ids)
        _claims(conn, ago, ids_by_key)
        _outlets_and_ratings(conn, ago)
        _crawl_state(conn, ago)
    conn.close()
    return ids_by_key


def _stories(conn, ago) -> dict[str, int]:  # type: ignore[no-untyped-def]
    ids = {}
    for key, title, blindspot, hours in STORIES:
        members = [a for a in ARTICLES if a.story == key]
        therapies = sorted({t for a in members for t in a.therapies})
        trials = sorted({c[2] for c in CLAIMS if any(a.key == c[0] for a in members)})
        cursor = conn.execute(
            "INSERT INTO stories(title, first_seen_at, last_seen_at, created_at, updated_at, therapies, trials, "
            "article_count, outlet_count, blindspot) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [title, ago(max(a.hours_ago for a in members)), ago(min(a.hours_ago for a in members)), ago(hours),
             ago(min(a.hours_ago for a in members)), json.dumps(therapies), json.dumps(trials), len(members),
             len({a.domain for a in members}), blindspot])
        ids[key] = int(cursor.lastrowid)
        conn.executemany("INSERT INTO story_therapies(therapy, story_id) VALUES (?, ?)",
                         [(t, ids[key]) for t in therapies])
    return ids


def _articles(conn, ago) -> dict[str, int]:  # type: ignore[no-untyped-def]
    story_ids = {key: row[0] for key, row in zip([s[0] for s in STORIES], conn.execute(
        "SELECT id FROM stories ORDER BY id").fetchall())}
    names = {o[0]: o[1] for o in OUTLETS}
    ids = {}
    for n, a in enumerate(ARTICLES):
        url = f"https://{a.domain}/cart/{a.key}"
        text = (f"{a.title}. Coverage of CAR T-cell therapy outcomes in multiple myeloma and lymphoma; "
                f"article number {n} with stringent complete response data.")
        cursor = conn.execute(
            "INSERT INTO articles(canonical_url, url, title, text, summary, kind, source_name, outlet_domain, "
            "outlet_name, published_at, sort_at, fetched_at, updated_at, language, authors, doi, content_hash, "
            "story_id, source_type, proximity, reports_efficacy, reports_safety) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [url, url, a.title, text, f"Summary of {a.title}", a.kind, "seed", a.domain, names.get(a.domain),
             ago(a.hours_ago), ago(a.hours_ago), ago(a.hours_ago - 1), ago(a.hours_ago - 1), "en",
             json.dumps(["A. Writer"]), f"10.1000/{a.key}" if a.kind == "paper" else None, f"hash-{a.key}",
             story_ids.get(a.story) if a.story else None, a.source_type, a.proximity, int(a.efficacy),
             int(a.safety)])
        ids[a.key] = int(cursor.lastrowid)
        conn.executemany("INSERT INTO article_therapies(therapy, article_id) VALUES (?, ?)",
                         [(t, ids[a.key]) for t in a.therapies])
    return ids


def _claims(conn, ago, ids: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    by_key = {a.key: a for a in ARTICLES}
    for key, therapy, trial, metric, value, unit, nr, timepoint, followup, sentence, hours in CLAIMS:
        a = by_key[key]
        conn.execute(
            'INSERT INTO claims(article_id, therapy, trial, metric, value, unit, not_reached, timepoint_months, '
            'followup_months, sentence, start, "end", confidence, published_at, sort_at, outlet_domain, '
            'source_type, article_kind, extracted_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
            [ids[key], therapy, trial, metric, value, unit, nr, timepoint, followup, sentence, 0, len(sentence),
             0.9, ago(a.hours_ago), ago(a.hours_ago), a.domain, a.source_type, a.kind, ago(hours)])


def _outlets_and_ratings(conn, ago) -> None:  # type: ignore[no-untyped-def]
    conn.executemany(
        "INSERT INTO outlets(domain, name, source_type, owner, ownership_category, country, verified_at, provenance) "
        "VALUES (?,?,?,?,?,?,?,?)",
        [(*o, "2026-09-01", "config" if o[0] == "statnews.com" else "cartwatch") for o in OUTLETS])
    conn.executemany(
        "INSERT INTO ratings(domain, rater, dimension, value, raw_value, rated_at, origin, imported_at) "
        "VALUES (?,?,?,?,?,?,?,?)",
        [(d, r, dim, v, v.lower(), "2026-06-01" if r == "allsides" else "2026-07-15",
          f"{r}-2026.csv", ago(500)) for d, r, dim, v in RATINGS])


def _crawl_state(conn, ago) -> None:  # type: ignore[no-untyped-def]
    conn.executemany(
        "INSERT INTO sources(name, kind, url, last_run_at, last_success_at, last_error, last_error_at, error_count) "
        "VALUES (?,?,?,?,?,?,?,?)",
        [("trade-rss", "rss", "https://fiercebiotech.com/rss", ago(2), ago(2), None, None, 0),
         ("pubmed", "pubmed", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/", ago(2), ago(2), None, None, 0),
         ("wire-rss", "rss", "https://prnewswire.com/rss", ago(2), ago(26),
          "HTTPStatusError: 503 <Service Unavailable>", ago(2), 2)])
    for run, hours in ((1, 26), (2, 2)):
        conn.execute("INSERT INTO crawl_runs(id, started_at, finished_at, trigger, status) VALUES (?,?,?,?,?)",
                     [run, ago(hours), ago(hours - 0.1), "schedule", "ok" if run == 1 else "failed"])
        for source, status, new, errors in (("trade-rss", "ok", 3, 0), ("pubmed", "ok", 2, 0),
                                            ("wire-rss", "ok" if run == 1 else "failed", 1, run - 1)):
            conn.execute(
                "INSERT INTO crawl_results(run_id, source_name, started_at, finished_at, status, fetched, new, "
                "updated, unchanged, skipped, errors, skipped_reasons, message) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [run, source, ago(hours), ago(hours - 0.05), status, new + 2, new * run, 1, 1, 1, errors,
                 json.dumps({"not_relevant": 1}), "503 from feed" if errors else None])
    conn.executemany(
        "INSERT INTO fetches(run_id, source_name, url, at, outcome, error_kind, status, message) VALUES (?,?,?,?,?,?,?,?)",
        [(2, "trade-rss", "https://fiercebiotech.com/rss", ago(2), "ok", None, 200, None),
         (2, "pubmed", "https://eutils.ncbi.nlm.nih.gov/x", ago(2), "not_modified", None, 304, None),
         (2, "wire-rss", "https://prnewswire.com/rss", ago(2), "error", "HTTPStatusError", 503,
          "Service <Unavailable>")])


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
