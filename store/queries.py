"""Read queries for the API and the CLI. Each takes a connection and returns plain rows.

Pagination is keyset-based on ``(sort_at, id)`` so page 1,000 costs what page 1 costs; the
cursor is an opaque string the client hands back.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any


ARTICLE_LIST_COLUMNS = (
    "a.id, a.title, a.url, a.canonical_url, a.kind, a.source_name, a.outlet_domain, a.outlet_name, "
    "a.published_at, a.sort_at, a.fetched_at, a.updated_at, a.summary, a.doi, a.pmid, a.nct_id, "
    "a.source_type, a.proximity, a.story_id, a.via"
)


class BadCursor(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


def encode_cursor(sort_at: str, row_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([sort_at, row_id]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        sort_at, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(sort_at, str) or not isinstance(row_id, int) or not -2**63 <= row_id < 2**63:
            raise TypeError
        return sort_at, row_id
    except (ValueError, TypeError) as exc:
        raise BadCursor("cursor is not one this API handed out") from exc


def fts_query(text: str) -> str | None:
    """Each whitespace-separated chunk becomes a quoted phrase of its word characters, so user
    input is never FTS5 syntax (and never a 500): ``cilta-cel ORR`` → ``"cilta cel" "ORR"``."""
    phrases = [" ".join(re.findall(r"\w+", chunk)) for chunk in text.split()]
    quoted = [f'"{p}"' for p in phrases if p]
    return " ".join(quoted) or None


# A search matching at least this many articles walks the newest articles (idx_articles_sort_at)
# and keeps the matches, instead of fetching every match to sort them: a common word costs what a
# rare one does.
FTS_NEWEST_FIRST = 2_000


def list_articles(
    conn: sqlite3.Connection, *, q: str | None = None, since: str | None = None,
    until: str | None = None, therapy: str | None = None, outlet: str | None = None,
    source_type: str | None = None, domains: list[str] | None = None,
    exclude_domains: list[str] | None = None, limit: int = 50, cursor: str | None = None,
    evidence: str | None = None, story_id: int | None = None,
) -> Page:
    """Articles newest first. ``domains`` keeps only those outlets, ``exclude_domains`` drops
    them (the lean filter: a few thousand rated outlets at most, passed as one JSON array)."""
    joins, where, params = _article_filters(
        since=since, until=until, therapy=therapy, outlet=outlet, source_type=source_type,
        domains=domains, exclude_domains=exclude_domains, cursor=cursor)
    if evidence:
        # The claims' rule table as SQL on the article's own columns, so an article's evidence
        # filter and its claims' labels agree (imported here: store.claims imports this module).
        from store.claims import evidence_case

        where.append(f"{evidence_case('a.kind', 'a.source_type')} = ?")
        params.append(evidence)
    if story_id is not None:
        where.append("a.story_id = ?")
        params.append(story_id)
    match = fts_query(q) if q else None
    if match and not (therapy or outlet or domains is not None) and _common_match(conn, match):
        joins = " INDEXED BY idx_articles_sort_at" + joins
        where.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(match)
    elif match:
        joins += " JOIN articles_fts ON articles_fts.rowid = a.id"
        where.append("articles_fts MATCH ?")
        params.append(match)
    sql = (f"SELECT {ARTICLE_LIST_COLUMNS} FROM articles a{joins}"
           f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY a.sort_at DESC, a.id DESC LIMIT ?")
    rows = [dict(r) for r in conn.execute(sql, [*params, limit + 1])]
    next_cursor = encode_cursor(rows[limit - 1]["sort_at"], rows[limit - 1]["id"]) if len(rows) > limit else None
    items = rows[:limit]
    _attach_therapies(conn, items)
    return Page(items, next_cursor)


def _common_match(conn: sqlite3.Connection, match: str) -> bool:
    """Whether a search matches at least FTS_NEWEST_FIRST articles (reads at most that many)."""
    found = conn.execute("SELECT count(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
                         [match, FTS_NEWEST_FIRST]).fetchone()[0]
    return bool(found >= FTS_NEWEST_FIRST)


def _article_filters(
    *, since: str | None, until: str | None, therapy: str | None, outlet: str | None,
    source_type: str | None, domains: list[str] | None, exclude_domains: list[str] | None,
    cursor: str | None,
) -> tuple[str, list[str], list[Any]]:
    """(joins, where clauses, parameters) for every filter but the text search."""
    joins, where, params = "", list[str](), list[Any]()
    if therapy:
        joins += " JOIN article_therapies t ON t.article_id = a.id"
        where.append("t.therapy = ?")
        params.append(therapy)
    for clause, value in (("a.outlet_domain = ?", outlet), ("a.source_type = ?", source_type),
                          ("a.sort_at >= ?", since), ("a.sort_at < ?", until)):
        if value:
            where.append(clause)
            params.append(value)
    if domains is not None:
        where.append("a.outlet_domain IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(domains))
    if exclude_domains is not None:
        where.append("a.outlet_domain NOT IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(exclude_domains))
    if cursor:
        sort_at, row_id = decode_cursor(cursor)
        where.append("(a.sort_at < ? OR (a.sort_at = ? AND a.id < ?))")
        params += [sort_at, sort_at, row_id]
    return joins, where, params


def get_article(conn: sqlite3.Connection, article_id: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        return None
    article = dict(row)
    article["authors"] = json.loads(article["authors"]) if article.get("authors") else []
    _attach_therapies(conn, [article])
    return article


def _attach_therapies(conn: sqlite3.Connection, items: list[dict[str, Any]]) -> None:
    if not items:
        return
    ids = [item["id"] for item in items]
    found: dict[int, list[str]] = {i: [] for i in ids}
    marks = ",".join("?" for _ in ids)
    for article_id, therapy in conn.execute(
        f"SELECT article_id, therapy FROM article_therapies WHERE article_id IN ({marks}) ORDER BY therapy", ids
    ):
        found[article_id].append(therapy)
    for item in items:
        item["therapies"] = found[item["id"]]


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'articles_fts%' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
