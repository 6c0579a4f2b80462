"""Stories: listing (newest activity first, keyset on ``(last_seen_at, id)``), one story, and
the articles of a page of stories in one query."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from store.queries import Page, decode_cursor, encode_cursor

STORY_COLUMNS = ("s.id, s.title, s.first_seen_at, s.last_seen_at, s.created_at, s.updated_at, s.therapies, "
                 "s.trials, s.article_count, s.outlet_count, s.blindspot")
STORY_ARTICLE_COLUMNS = ("id, story_id, title, url, kind, outlet_domain, outlet_name, published_at, sort_at, "
                         "source_type, proximity, syndicated_from, reports_efficacy, reports_safety")


def list_stories(
    conn: sqlite3.Connection, *, since: str | None = None, until: str | None = None,
    therapy: str | None = None, blindspot: str | None = None, created_since: str | None = None,
    limit: int = 50, cursor: str | None = None,
) -> Page:
    """Stories by latest coverage; ``blindspot`` is "left", "right" or "any" (the stored flag)."""
    where: list[str] = []
    params: list[Any] = []
    join = ""
    if therapy:
        join = " JOIN story_therapies st ON st.story_id = s.id AND st.therapy = ?"
        params.append(therapy)
    if blindspot == "any":
        where.append("s.blindspot IS NOT NULL")
    elif blindspot:
        where.append("s.blindspot = ?")
        params.append(blindspot)
    for clause, value in (("s.last_seen_at >= ?", since), ("s.last_seen_at < ?", until),
                          ("s.created_at >= ?", created_since)):
        if value:
            where.append(clause)
            params.append(value)
    if cursor:
        last_seen, story_id = decode_cursor(cursor)
        where.append("(s.last_seen_at, s.id) < (?, ?)")
        params += [last_seen, story_id]
    sql = (f"SELECT {STORY_COLUMNS} FROM stories s{join}{' WHERE ' + ' AND '.join(where) if where else ''} "
           "ORDER BY s.last_seen_at DESC, s.id DESC LIMIT ?")
    rows = [story_row(r) for r in conn.execute(sql, [*params, limit + 1])]
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, encode_cursor(items[-1]["last_seen_at"], items[-1]["id"]) if more else None)


def get_story(conn: sqlite3.Connection, story_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {STORY_COLUMNS} FROM stories s WHERE s.id = ?", [story_id]).fetchone()
    return story_row(row) if row else None


def story_articles(conn: sqlite3.Connection, story_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The articles of these stories, oldest first, by story id (``idx_articles_story``)."""
    ids = sorted(set(story_ids))
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    rows = conn.execute(
        f"SELECT {STORY_ARTICLE_COLUMNS} FROM articles WHERE story_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY story_id, sort_at, id", [json.dumps(ids)])
    for row in rows:
        found[row["story_id"]].append(dict(row))
    return found


def story_row(row: sqlite3.Row) -> dict[str, Any]:
    story = dict(row)
    story["therapies"] = _names(story["therapies"])
    story["trials"] = _names(story["trials"])
    return story


def _names(raw: str | None) -> list[str]:
    """A JSON list of names as stored; anything else reads as no names."""
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []
