"""The time-keyed search index and the coverage totals (store.maintained): the same answers as the
plain FTS index and the row scan, for combined filters and pages, kept in step by every write,
and filled when an existing database is migrated."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from store import search, search_terms
from store.db import open_db, open_readonly
from store.search_terms import expand_prefixes
from store.migrations import migrations
from store.articles import BadSearch, fts_query, list_articles
from store.coverage import coverage_counts, coverage_rows, scan_coverage_counts

WORDS = ("patients", "overall", "survival", "response", "myeloma", "lymphoma", "relapse", "infusion",
         "toxicity", "durable", "remission", "trial", "approval", "cost", "rare", "survivorship")
OUTLETS = (("a.example", "general news"), ("b.example", "health/medical trade press"), ("c.example", None),
           ("d.example", "peer-reviewed journal"), ("e.example", "preprint server"))
KINDS = ("news", "paper", "preprint", "press_release")
THERAPIES = ("cilta", "ide", "axi")
# Whole seconds, shared seconds, bare dates beside midnight timestamps, month and year edges.
TIMES = ("2025-12-31T23:59:59Z", "2026-01-01", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z",
         "2026-02-28T12:00:00Z", "2026-03-01T00:00:00Z", "2026-03-01", "2026-11-24T06:00:00Z",
         "2026-11-24T06:00:00Z", "2026-11-24")


def _article(rng: random.Random, n: int) -> dict[str, Any]:
    domain, source_type = rng.choice(OUTLETS)
    common = ["patients"] if rng.random() < 0.9 else []
    phrase = ["overall", "survival"] if rng.random() < 0.4 else []
    words = common + phrase + rng.choices(WORDS[2:], k=rng.randint(3, 12))
    rng.shuffle(words)
    sort_at = rng.choice(TIMES) if rng.random() < 0.3 else \
        f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"
    return {"canonical_url": f"https://{domain}/{n}", "url": f"https://{domain}/{n}", "title": f"item {n} {words[0]}",
            "text": " ".join(words), "kind": rng.choice(KINDS), "source_name": "s", "outlet_domain": domain,
            "source_type": source_type, "sort_at": sort_at, "published_at": sort_at, "fetched_at": sort_at,
            "updated_at": sort_at, "content_hash": str(n), "story_id": rng.choice((None, 1, 2)),
            "reports_efficacy": int(rng.random() < 0.5), "reports_safety": int(rng.random() < 0.3)}


def insert(conn: sqlite3.Connection, rows: list[dict[str, Any]], rng: random.Random) -> list[int]:
    ids = []
    for row in rows:
        cursor = conn.execute(f"INSERT INTO articles({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                              list(row.values()))
        ids.append(int(cursor.lastrowid or 0))
        for therapy in rng.sample(THERAPIES, rng.randint(0, 2)):
            conn.execute("INSERT INTO article_therapies(therapy, article_id) VALUES (?, ?)", [therapy, ids[-1]])
    return ids


def build(path: Path, n: int = 300, seed: int = 5) -> sqlite3.Connection:
    db = open_db(path)
    rng = random.Random(seed)
    with db.conn:
        db.conn.execute("INSERT INTO stories(id, title, first_seen_at, last_seen_at, created_at, updated_at) "
                        "VALUES (1, 'one', 'x', 'x', 'x', 'x'), (2, 'two', 'x', 'x', 'x', 'x')")
        insert(db.conn, [_article(rng, i) for i in range(n)], rng)
    db.conn.row_factory = sqlite3.Row
    return db.conn


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    return build(tmp_path / "search.db")


def reference(conn: sqlite3.Connection, q: str, filters: dict[str, Any]) -> list[int]:
    """The old way: every plain-FTS match, filtered by the listing without ``q``, newest first."""
    matches = {r[0] for r in conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [fts_query(q)])}
    listed = list_articles(conn, limit=100_000, **filters).items
    return [a["id"] for a in listed if a["id"] in matches]


def paged(conn: sqlite3.Connection, q: str, filters: dict[str, Any], limit: int) -> list[int]:
    found, cursor = [], None
    while True:
        page = list_articles(conn, q=q, limit=limit, cursor=cursor, **filters)
        found += [a["id"] for a in page.items]
        if not (cursor := page.next_cursor):
            return found


QUERIES = ("patients", "overall survival", '"overall survival"', "surviv*", "survival-overall", "survivorship",
           "nosuchword")
FILTERS = ({}, {"since": "2026-03-01"}, {"until": "2026-01-01T00:00:01Z"},
           {"since": "2026-01-01", "until": "2026-11-24T06:00:00Z"}, {"outlet": "c.example"},
           {"therapy": "ide"}, {"source_type": "general news"}, {"evidence": "peer_reviewed"},
           {"domains": ["a.example", "d.example"]}, {"exclude_domains": ["a.example"]}, {"story_id": 2},
           {"therapy": "axi", "since": "2026-02-28T12:00:00Z", "outlet": "a.example"})


@pytest.mark.parametrize("q", QUERIES)
def test_search_pages_match_the_plain_index(conn: sqlite3.Connection, q: str) -> None:
    for filters in FILTERS:
        expected = reference(conn, q, filters)
        for limit in (1, 4, 50):
            assert paged(conn, q, filters, limit) == expected, (q, filters, limit)
    if q != "nosuchword":
        assert reference(conn, q, {}), q


def test_phrases_and_prefixes_are_searched_as_such(conn: sqlite3.Connection) -> None:
    phrase, words = reference(conn, '"overall survival"', {}), reference(conn, "overall survival", {})
    assert set(phrase) < set(words)  # the shuffled words are also found apart
    assert set(reference(conn, "survival", {})) < set(reference(conn, "surviv*", {}))
    assert fts_query('cilta-cel "overall  survival" surv* "') == '"cilta cel" "overall survival" "surv"*'


@pytest.mark.parametrize("q", ["***", '"', "-- ;", "*"])
def test_a_query_without_words_is_refused(conn: sqlite3.Connection, q: str) -> None:
    with pytest.raises(BadSearch):
        list_articles(conn, q=q)


def check_in_step(conn: sqlite3.Connection) -> None:
    for q in ("patients", '"overall survival"', "fresh", "surviv*"):
        for filters in ({}, {"since": "2026-06-01"}, {"therapy": "cilta"}):
            assert paged(conn, q, filters, 7) == reference(conn, q, filters), (q, filters)
    for by in ("therapy", "month", "source_type"):
        for since, until in WINDOWS:
            assert coverage_counts(conn, by=by, since=since, until=until) == \
                scan_coverage_counts(conn, by=by, since=since, until=until), (by, since, until)
            assert comparison(conn, by, since, until, coverage_rows) == \
                comparison(conn, by, since, until, scan_coverage_counts), (by, since, until)


WINDOWS = ((None, None), ("2026-03-01", None), (None, "2026-03-01T00:00:00Z"), ("2026-01-01T00:00:00Z", "2026-11-24"),
           ("2026-02-28T11:00:00Z", "2026-03-01T00:00:00Z"), ("2026-05-17T10:00:00Z", "2026-08-02T13:00:00Z"),
           ("2026-11-24", "2026-11-24T06:00:01Z"), ("2025", "2026-02"), ("2026-04-03T05:00:00Z", "2026-04-03T09:00:00Z"))


def comparison(conn: sqlite3.Connection, by: str, since: str | None, until: str | None, rows: Any) -> Any:
    """/bias/compare's answer with ``rows`` as its counts (the maintained ones, or the row scan)."""
    import service.compare

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(service.compare, "coverage_rows", rows)
        return service.compare.compare(conn, by=by, since=since, until=until)


def test_writes_keep_the_index_and_the_totals_in_step(conn: sqlite3.Connection) -> None:
    rng = random.Random(9)
    check_in_step(conn)
    with conn:  # inserts
        insert(conn, [_article(rng, 1000 + i) | {"title": "fresh news"} for i in range(20)], rng)
    check_in_step(conn)
    with conn:  # new text and title, a new time, another outlet, source type, flags
        conn.execute("UPDATE articles SET title = 'fresh title', text = text || ' fresh' WHERE id % 7 = 0")
        conn.execute("UPDATE articles SET sort_at = '2026-06-15T08:00:00Z' WHERE id % 11 = 0")
        conn.execute("UPDATE articles SET outlet_domain = 'f.example', source_type = NULL WHERE id % 13 = 0")
        conn.execute("UPDATE articles SET reports_efficacy = 1 - reports_efficacy, reports_safety = 1 WHERE id % 5 = 0")
        conn.execute("UPDATE articles SET outlet_name = 'unrelated' WHERE id % 3 = 0")
    check_in_step(conn)
    with conn:  # therapies replaced, as the ingest does, then deletes (therapy rows cascade)
        conn.execute("DELETE FROM article_therapies WHERE article_id % 4 = 0")
        conn.execute("INSERT OR IGNORE INTO article_therapies(therapy, article_id) SELECT 'axi', id FROM articles "
                     "WHERE id % 8 = 0")
        conn.execute("UPDATE article_therapies SET therapy = 'cilta2' WHERE therapy = 'cilta' AND article_id % 9 = 0")
        conn.execute("DELETE FROM articles WHERE id % 6 = 1")
    check_in_step(conn)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 250
    conn.execute("INSERT INTO articles_search(articles_search, rank) VALUES ('integrity-check', 0)")


def test_migrating_an_existing_database_fills_both(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m009_search_key_and_coverage_totals")
    assert not db["coverage_totals"].exists()
    rng = random.Random(3)
    with db.conn:
        db.conn.execute("INSERT INTO stories(id, title, first_seen_at, last_seen_at, created_at, updated_at) "
                        "VALUES (1, 'one', 'x', 'x', 'x', 'x'), (2, 'two', 'x', 'x', 'x', 'x')")
        insert(db.conn, [_article(rng, i) for i in range(200)], rng)
    db.conn.close()
    conn = open_db(path).conn
    conn.row_factory = sqlite3.Row
    assert conn.execute("SELECT count(*) FROM coverage_totals").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM therapy_coverage_totals").fetchone()[0] > 0
    check_in_step(conn)
    with conn:
        insert(conn, [_article(rng, 500 + i) | {"text": "fresh patients"} for i in range(5)], rng)
    check_in_step(conn)


PREFIXES = ('"surv"*', '"surviv"*', '"survival"*', '"overall surv"*', '"patients"*', '"r"*', '"zzz"*',
            '"patients" "remiss"*', '"relaps"* "overall"')


def _rowids(conn: sqlite3.Connection, match: str) -> list[int]:
    return [r[0] for r in conn.execute("SELECT rowid FROM articles_search WHERE articles_search MATCH ? "
                                       "ORDER BY rowid DESC", [match])]


@pytest.mark.parametrize("match", PREFIXES)
def test_a_prefix_is_searched_as_the_or_of_its_terms(conn: sqlite3.Connection, match: str) -> None:
    """The expansion FTS5 walks lazily matches exactly what FTS5's own prefix query matches
    (porter-stemmed prefix, phrase prefixes, a prefix no term has)."""
    expanded = expand_prefixes(conn, match)
    if match == '"zzz"*':
        assert expanded is None and not _rowids(conn, match)
        assert list_articles(conn, q="zzz*").items == []
        return
    assert expanded is not None
    assert _rowids(conn, expanded) == _rowids(conn, match), (match, expanded)
    if "surv" in match:  # expanded (others may keep FTS5's prefix query: a term porter changes)
        assert "*" not in expanded and "surviv" in expanded, expanded


def test_a_prefix_with_too_many_terms_is_left_to_fts5(conn: sqlite3.Connection,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_terms, "MAX_TERMS", 1)
    assert expand_prefixes(conn, '"r"*') == '"r"*'
    assert paged(conn, "r*", {}, 7) == reference(conn, "r*", {})


def test_a_read_only_connection_expands_prefixes(conn: sqlite3.Connection, tmp_path: Path) -> None:
    reader = open_readonly(tmp_path / "search.db")
    try:
        expanded = expand_prefixes(reader, '"surviv"*')
        assert expanded != '"surviv"*' and _rowids(reader, expanded or "") == _rowids(reader, '"surviv"*')
    finally:
        reader.close()


@pytest.mark.parametrize("set_limit", [0, 1_000_000])
def test_filters_checked_per_row_or_as_id_sets_agree(conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch,
                                                     set_limit: int) -> None:
    """A filter is checked as a set of ids when it is small, on each article row otherwise:
    the same pages either way."""
    monkeypatch.setattr(search, "SET_LIMIT", set_limit)
    for q in ("patients", "surviv*", '"overall survival"'):
        for filters in ({"therapy": "ide"}, {"outlet": "c.example", "since": "2026-03-01"},
                        {"source_type": "general news", "therapy": "axi"}, {"therapy": "cilta", "story_id": 1}):
            expected = reference(conn, q, filters)
            for limit in (1, 4, 50):
                assert paged(conn, q, filters, limit) == expected, (q, filters, limit, set_limit)
