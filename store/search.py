"""Full-text search, newest first, through the time-keyed index ``articles_search`` (store.maintained).

The index's rowid is ``unixepoch(sort_at) * 2^28 + id``, so FTS5 hands out matches newest first
and the walk stops after a page, whether a word is in 50 articles or in all of them. Each match
is joined to its article, where every other filter (outlet, therapy, source type, evidence,
lean, window, cursor) is checked on the article's own columns, exactly as the listing without
``q`` checks them; a window or a cursor also bounds the walk itself.

The key orders by the second; the listing orders by the ``sort_at`` text and then id. Across
different seconds the two agree for the forms the crawler stores (``YYYY-MM-DDTHH:MM:SSZ``, a
bare date); within one second they may not (``2026-11-24`` and ``2026-11-24T00:00:00Z``), so
the walk also reads every remaining match of the page's last second and the rows are sorted by
``(sort_at, id)`` before the page is cut.

A story filter walks the story's own articles (``idx_articles_story``) and probes the index for
each: a story holds few articles, a common word many.

The walk's cost is the article row each match is checked on (reading it costs far more than the
index costs to hand out the match), so a filter that keeps few articles (one small outlet, a rare
product: the walk reads every match of the window) is first turned into the set of its article
ids (``narrowing``, when it holds at most ``SET_LIMIT``), checked on the key's id before the
article is read (bench/query_latency.py times such searches). A prefix (``surviv*``) is searched as the OR of its
terms (``store.search_terms``), which FTS5 walks lazily; its own prefix query does not.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from store.maintained import KEY_SHIFT, ID_MASK, key_sql
from store.search_terms import expand_prefixes

# A filter with at most this many articles is checked as a set of ids before each match's
# article is read; a larger one keeps so many matches that the walk ends early.
SET_LIMIT = 20_000
_ID_SETS = {
    "therapy": "SELECT article_id FROM article_therapies WHERE therapy = ?",
    "outlet": "SELECT id FROM articles INDEXED BY idx_articles_outlet WHERE outlet_domain = ?",
    "source_type": "SELECT id FROM articles INDEXED BY idx_articles_source_type WHERE source_type = ?",
}

COLUMNS = (
    "a.id, a.title, a.url, a.canonical_url, a.kind, a.source_name, a.outlet_domain, a.outlet_name, "
    "a.published_at, a.sort_at, a.fetched_at, a.updated_at, a.summary, a.doi, a.pmid, a.nct_id, "
    "a.source_type, a.proximity, a.story_id, a.via"
)


def search_articles(
    conn: sqlite3.Connection, match: str, where: list[str], params: list[Any], *,
    bounds: tuple[int | None, int | None], limit: int, story_id: int | None = None,
    therapy: str | None = None, narrowing: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Up to ``limit`` articles matching ``match`` (an FTS5 query) and ``where`` (clauses over
    ``articles a``) and naming ``therapy``, newest first by ``(sort_at, id)``; ``bounds`` are the
    lowest and highest second a match may have (None: unbounded). ``narrowing`` repeats filters
    of ``where`` (``therapy``, ``outlet``, ``source_type`` → value) that may be checked as sets."""
    expanded = expand_prefixes(conn, match)
    if expanded is None:
        return []
    match = expanded
    where, params = list(where), list(params)
    sets = {} if story_id is not None else \
        _small_sets(conn, {**(narrowing or {}), **({"therapy": therapy} if therapy else {})})
    if therapy and "therapy" not in sets:
        where.append("EXISTS (SELECT 1 FROM article_therapies t WHERE t.therapy = ? AND t.article_id = a.id)")
        params.append(therapy)
    if story_id is not None:
        return _probe_story(conn, match, where, params, limit)
    for name, value in sets.items():
        # On the key's id, so SQLite checks it in the index's loop, before reading the article.
        where.append(f"(s.rowid & {ID_MASK}) IN ({_ID_SETS[name]})")
        params.append(value)
    low, high = bounds
    rows = _walk(conn, match, where, params, low=None if low is None else low * KEY_SHIFT,
                 below=None if high is None else (high + 1) * KEY_SHIFT, limit=limit)
    if len(rows) == limit:  # the rest of the last row's second: its order is by text, not key
        last = rows[-1]["search_key"]
        rows += _walk(conn, match, where, params, low=(last >> 28) * KEY_SHIFT, below=last, limit=None)
    rows.sort(key=lambda r: (r["sort_at"], r["id"]), reverse=True)
    for row in rows:
        del row["search_key"]
    return rows[:limit]


def _small_sets(conn: sqlite3.Connection, filters: dict[str, str]) -> dict[str, str]:
    """The filters that keep at most ``SET_LIMIT`` articles (an index-only count, capped)."""
    small = {}
    for name, value in filters.items():
        found = conn.execute(f"SELECT count(*) FROM ({_ID_SETS[name]} LIMIT ?)", [value, SET_LIMIT + 1]).fetchone()[0]
        if found <= SET_LIMIT:
            small[name] = value
    return small


def _walk(conn: sqlite3.Connection, match: str, where: list[str], params: list[Any], *,
          low: int | None, below: int | None, limit: int | None) -> list[dict[str, Any]]:
    clauses = ["articles_search MATCH ?", *where]
    keys: list[Any] = [match, *params]
    if low is not None:
        clauses.append("s.rowid >= ?")
        keys.append(low)
    if below is not None:
        clauses.append("s.rowid < ?")
        keys.append(below)
    # CROSS JOIN keeps the index outermost, so its rowid order is the walk's order.
    sql = (f"SELECT {COLUMNS}, s.rowid AS search_key FROM articles_search s CROSS JOIN articles a "
           f"ON a.id = (s.rowid & {ID_MASK}) WHERE {' AND '.join(clauses)} ORDER BY s.rowid DESC")
    if limit is not None:
        sql += " LIMIT ?"
        keys.append(limit)
    return [dict(r) for r in conn.execute(sql, keys)]


def _probe_story(conn: sqlite3.Connection, match: str, where: list[str], params: list[Any],
                 limit: int) -> list[dict[str, Any]]:
    sql = (f"SELECT {COLUMNS} FROM articles a INDEXED BY idx_articles_story WHERE {' AND '.join(where)} "
           f"AND EXISTS (SELECT 1 FROM articles_search WHERE articles_search MATCH ? AND rowid = {key_sql('a')}) "
           "ORDER BY a.sort_at DESC, a.id DESC LIMIT ?")
    return [dict(r) for r in conn.execute(sql, [*params, match, limit])]
