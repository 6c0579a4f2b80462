"""Stories: listing (newest activity first, keyset on ``(last_seen_at, id)``), one story, and
the articles of a page of stories in one query.

Stories created in a window (``idx_stories_created``) are the digest's; ``StoryTables`` writes
stories as ``service.ingest`` assigns articles to them.
"""

from __future__ import annotations

import json
import sqlite3
import struct
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from analysis.fingerprint import Fingerprint
from analysis.stories import StoryCandidate
from store.db import OnStore, iso
from store.pagination import Page, decode_cursor, encode_cursor

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


def new_stories(
    conn: sqlite3.Connection, *, since: str, until: str | None = None, limit: int = 200,
) -> list[dict[str, Any]]:
    """Stories first seen in ``[since, until)``, newest first."""
    where = ["s.created_at >= ?"]
    params: list[Any] = [since]
    if until:
        where.append("s.created_at < ?")
        params.append(until)
    rows = conn.execute(f"SELECT {STORY_COLUMNS} FROM stories s WHERE {' AND '.join(where)} "
                        "ORDER BY s.created_at DESC, s.id DESC LIMIT ?", [*params, limit])
    return [story_row(r) for r in rows]


def pack_signatures(signatures: Sequence[Fingerprint]) -> bytes:
    parts = [sig.to_bytes() for sig in signatures]
    return b"".join(struct.pack("<I", len(p)) + p for p in parts)


def unpack_signatures(blob: bytes | None) -> tuple[Fingerprint, ...]:
    found, offset = [], 0
    while blob and offset < len(blob):
        (size,) = struct.unpack_from("<I", blob, offset)
        found.append(Fingerprint.from_bytes(blob[offset + 4: offset + 4 + size]))
        offset += 4 + size
    return tuple(found)


class StoryTables(OnStore):
    """Stories, their index keys and counts, and which story an article is in."""

    def article_story(self, article_id: int) -> int | None:
        row = self.db.execute("SELECT story_id FROM articles WHERE id = ?", [article_id]).fetchone()
        return row[0] if row else None

    def story_candidates(self, keys: Sequence[str], *, earliest: str, latest: str) -> list[StoryCandidate]:
        """Stories sharing an index key with the article and overlapping its time window.

        An indexed lookup (story_keys primary key), never a scan of stories or articles.
        """
        if not keys:
            return []
        marks = ",".join("?" for _ in keys)
        rows = self.db.execute(
            f"SELECT id, signatures, therapies, trials, first_seen_at, last_seen_at, title_tokens, events FROM stories "
            f"WHERE id IN (SELECT story_id FROM story_keys WHERE key IN ({marks})) "
            "AND last_seen_at >= ? AND first_seen_at <= ?",
            [*keys, earliest, latest],
        ).fetchall()
        return [StoryCandidate(
            story_id=r[0], signatures=unpack_signatures(r[1]), therapies=frozenset(t.lower() for t in json.loads(r[2])),
            trials=frozenset(t.lower() for t in json.loads(r[3])), first_seen_at=r[4], last_seen_at=r[5],
            title_tokens=frozenset(json.loads(r[6])), events=frozenset(json.loads(r[7])),
        ) for r in rows]

    def create_story(self, title: str, *, first_seen_at: str, now: datetime) -> int:
        cursor = self.db.execute(
            "INSERT INTO stories(title, first_seen_at, last_seen_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            [title, first_seen_at, first_seen_at, iso(now), iso(now)])
        return int(cursor.lastrowid or 0)

    def save_story(self, story: StoryCandidate, *, keys: Iterable[str], now: datetime,
                   trial_names: Sequence[str] | None = None) -> None:
        """``trial_names``: the trials as they should be shown (assignment compares lowercase)."""
        self.db.execute(
            "UPDATE stories SET first_seen_at=?, last_seen_at=?, therapies=?, trials=?, title_tokens=?, "
            "signatures=?, events=?, updated_at=? WHERE id=?",
            [story.first_seen_at, story.last_seen_at, json.dumps(sorted(story.therapies)),
             json.dumps(sorted(trial_names if trial_names is not None else story.trials)),
             json.dumps(sorted(story.title_tokens)),
             pack_signatures(story.signatures), json.dumps(sorted(story.events)), iso(now), story.story_id])
        self.db.execute("DELETE FROM story_therapies WHERE story_id = ?", [story.story_id])
        for therapy in sorted(story.therapies):
            self.db.execute("INSERT INTO story_therapies(therapy, story_id) VALUES (?, ?)", [therapy, story.story_id])
        for key in dict.fromkeys(keys):
            self.db.execute("INSERT OR IGNORE INTO story_keys(key, story_id) VALUES (?, ?)", [key, story.story_id])

    def set_article_story(self, article_id: int, story_id: int) -> None:
        self.db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [story_id, article_id])

    def story_outlets(self, story_id: int) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT outlet_domain FROM articles WHERE story_id = ?", [story_id])]

    def update_story_counts(self, story_id: int, *, blindspot: str | None) -> None:
        self.db.execute(
            "UPDATE stories SET article_count = (SELECT count(*) FROM articles WHERE story_id = :id), "
            "outlet_count = (SELECT count(DISTINCT outlet_domain) FROM articles WHERE story_id = :id), "
            "blindspot = :blindspot WHERE id = :id", {"id": story_id, "blindspot": blindspot})

    def recount_story(self, story_id: int) -> None:
        """A story's article and outlet counts, its blindspot flag left as it is."""
        self.db.execute(
            "UPDATE stories SET article_count = (SELECT count(*) FROM articles WHERE story_id = :id), "
            "outlet_count = (SELECT count(DISTINCT outlet_domain) FROM articles WHERE story_id = :id) "
            "WHERE id = :id", {"id": story_id})

    def stories_without_signatures(self, *, after_id: int, limit: int) -> list[int]:
        """Stories whose signatures a format change emptied (migration 8), in id order."""
        return [r[0] for r in self.db.execute(
            "SELECT id FROM stories WHERE signatures IS NULL AND id > ? ORDER BY id LIMIT ?", [after_id, limit])]

    def story_texts(self, story_id: int) -> list[tuple[int, str, str, str]]:
        """(id, title, text, published_at or sort_at) of a story's articles, in the order they joined."""
        return [(r[0], r[1] or "", r[2] or "", r[3]) for r in self.db.execute(
            "SELECT id, title, text, COALESCE(published_at, sort_at) FROM articles WHERE story_id = ? ORDER BY id",
            [story_id])]

    def restore_story_index(self, story_id: int, signatures: Sequence[Fingerprint],
                            keys: Iterable[tuple[str, int]]) -> None:
        """A story's recomputed signatures and band keys; each key with the day (since 1970) of the
        article that adds it, which story keys keep where they carry a day."""
        self.db.execute("UPDATE stories SET signatures = ? WHERE id = ?", [pack_signatures(signatures), story_id])
        if "day" in {r[1] for r in self.db.execute("PRAGMA table_info(story_keys)")}:
            if "keys_open" in {r[1] for r in self.db.execute("PRAGMA table_info(stories)")} and not self.db.execute(
                    "SELECT keys_open FROM stories WHERE id = ?", [story_id]).fetchone()[0]:
                return  # a closed story's keys stay deleted
            self.db.conn.executemany("INSERT OR IGNORE INTO story_keys(key, day, story_id) VALUES (?, ?, ?)",
                                     [(key, day, story_id) for key, day in dict.fromkeys(keys)])
        else:
            self.db.conn.executemany("INSERT OR IGNORE INTO story_keys(key, story_id) VALUES (?, ?)",
                                     [(key, story_id) for key in dict.fromkeys(key for key, _ in keys)])

    def all_story_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM stories ORDER BY id")]
