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

from analysis.model.records import Fingerprint, StoryCandidate
from store.db import OnStore, iso
from store.pagination import Page, decode_cursor, encode_cursor

STORY_COLUMNS = ("s.id, s.title, s.first_seen_at, s.last_seen_at, s.created_at, s.updated_at, s.therapies, "
                 "s.trials, s.article_count, s.outlet_count, s.blindspot")


STORY_ARTICLE_COLUMNS = ("id, story_id, title, url, canonical_url, kind, outlet_domain, outlet_name, published_at, sort_at, "
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


def articles_by_url(conn: sqlite3.Connection, urls: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Stored articles by canonical URL (its UNIQUE index): the originals copies point at."""
    wanted = sorted(set(urls))
    if not wanted:
        return {}
    rows = conn.execute("SELECT canonical_url, title, outlet_name, outlet_domain FROM articles "
                        "WHERE canonical_url IN (SELECT value FROM json_each(?))", [json.dumps(wanted)])
    return {row[0]: {"title": row[1], "outlet_name": row[2], "outlet_domain": row[3]} for row in rows}


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


def _lower_set(raw: str) -> frozenset[str]:
    return frozenset(t.lower() for t in json.loads(raw))


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

    def story_candidates(self, keys: Sequence[str], *, first_day: int, last_day: int,
                         earliest: str, latest: str) -> list[StoryCandidate]:
        """Stories sharing an index key dated within ``first_day`` .. ``last_day`` (days since
        1970) whose articles all lie within ``earliest`` .. ``latest``: a range read of the
        ``story_keys`` primary key per key, never a scan of stories or articles, and never a read
        of keys outside the window."""
        if not keys:
            return []
        marks = ",".join("?" for _ in keys)
        rows = self.db.execute(
            f"SELECT id, signatures, therapies, trials, first_seen_at, last_seen_at, title_tokens, events, "
            f"core_therapies, core_trials FROM stories WHERE id IN (SELECT story_id FROM story_keys "
            f"WHERE key IN ({marks}) AND day BETWEEN ? AND ?) AND first_seen_at >= ? AND last_seen_at <= ?",
            [*keys, first_day, last_day, earliest, latest],
        ).fetchall()
        return [StoryCandidate(
            story_id=r[0], signatures=unpack_signatures(r[1]), therapies=_lower_set(r[2]), trials=_lower_set(r[3]),
            first_seen_at=r[4], last_seen_at=r[5], title_tokens=frozenset(json.loads(r[6])),
            events=frozenset(json.loads(r[7])),
            core_therapies=None if r[8] is None else _lower_set(r[8]),
            core_trials=None if r[9] is None else _lower_set(r[9]),
        ) for r in rows]

    def create_story(self, title: str, *, first_seen_at: str, now: datetime) -> int:
        cursor = self.db.execute(
            "INSERT INTO stories(title, first_seen_at, last_seen_at, created_at, updated_at, core_therapies, "
            "core_trials) VALUES (?, ?, ?, ?, ?, '[]', '[]')",
            [title, first_seen_at, first_seen_at, iso(now), iso(now)])
        return int(cursor.lastrowid or 0)

    def save_story(self, story: StoryCandidate, *, keys: Iterable[str], day: int, now: datetime,
                   trial_names: Sequence[str] | None = None) -> None:
        """``trial_names``: the trials as they should be shown (assignment compares lowercase);
        ``day``: the article's day (days since 1970), which dates the keys it adds."""
        therapies, trials = story.about
        self.db.execute(
            "UPDATE stories SET first_seen_at=?, last_seen_at=?, therapies=?, trials=?, title_tokens=?, "
            "signatures=?, events=?, core_therapies=?, core_trials=?, keys_open=1, updated_at=? WHERE id=?",
            [story.first_seen_at, story.last_seen_at, json.dumps(sorted(story.therapies)),
             json.dumps(sorted(trial_names if trial_names is not None else story.trials)),
             json.dumps(sorted(story.title_tokens)), pack_signatures(story.signatures),
             json.dumps(sorted(story.events)), json.dumps(sorted(therapies)), json.dumps(sorted(trials)),
             iso(now), story.story_id])
        for therapy in sorted(story.therapies):
            self.db.execute("INSERT OR IGNORE INTO story_therapies(therapy, story_id) VALUES (?, ?)",
                            [therapy, story.story_id])
        self.db.conn.executemany("INSERT OR IGNORE INTO story_keys(key, day, story_id) VALUES (?, ?, ?)",
                                 [(key, day, story.story_id) for key in dict.fromkeys(keys)])

    def set_article_story(self, article_id: int, story_id: int) -> None:
        self.db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [story_id, article_id])

    def count_into_story(self, story_id: int, outlet_domain: str) -> bool:
        """One more article of ``outlet_domain`` in the story: its counts move by one (no recount).
        True when the outlet is new to the story."""
        (articles,) = self.db.execute(
            "INSERT INTO story_outlets(story_id, outlet_domain, articles) VALUES (?, ?, 1) "
            "ON CONFLICT(story_id, outlet_domain) DO UPDATE SET articles = articles + 1 RETURNING articles",
            [story_id, outlet_domain]).fetchone()
        self.db.execute("UPDATE stories SET article_count = article_count + 1, outlet_count = outlet_count + ? "
                        "WHERE id = ?", [int(articles == 1), story_id])
        return bool(articles == 1)

    def story_outlets(self, story_id: int) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT outlet_domain FROM story_outlets WHERE story_id = ? ORDER BY outlet_domain", [story_id])]

    def stories_of_outlets(self, domains: Sequence[str]) -> list[int]:
        """Stories with an article of any of these outlets (``idx_story_outlets_domain``)."""
        if not domains:
            return []
        marks = ",".join("?" for _ in domains)
        return [r[0] for r in self.db.execute(
            f"SELECT DISTINCT story_id FROM story_outlets WHERE outlet_domain IN ({marks}) ORDER BY story_id",
            list(domains))]

    def set_blindspot(self, story_id: int, blindspot: str | None) -> None:
        self.db.execute("UPDATE stories SET blindspot = ? WHERE id = ?", [blindspot, story_id])

    def close_stories(self, *, idle_before: str, last_seen_before: str) -> int:
        """Delete the index keys of stories no article can join any more: untouched by ingest since
        ``idle_before`` and whose articles all precede ``last_seen_before``. Read through the
        partial index of open stories, so each call sees only stories still open."""
        ids = [r[0] for r in self.db.execute(
            "SELECT id FROM stories WHERE keys_open = 1 AND updated_at < ? AND last_seen_at < ?",
            [idle_before, last_seen_before])]
        for story_id in ids:
            self.db.execute("DELETE FROM story_keys WHERE story_id = ?", [story_id])
        self.db.conn.executemany("UPDATE stories SET keys_open = 0 WHERE id = ?", [(i,) for i in ids])
        return len(ids)

    def recount_story(self, story_id: int) -> None:
        """A story's outlets and counts counted again from its articles (``idx_articles_story``;
        a story spans one window, so this is bounded), its blindspot flag left as it is."""
        self.db.execute("DELETE FROM story_outlets WHERE story_id = ?", [story_id])
        self.db.execute(
            "INSERT INTO story_outlets(story_id, outlet_domain, articles) SELECT story_id, outlet_domain, count(*) "
            "FROM articles WHERE story_id = ? GROUP BY outlet_domain", [story_id])
        self.db.execute(
            "UPDATE stories SET article_count = (SELECT coalesce(sum(articles), 0) FROM story_outlets "
            "WHERE story_id = :id), outlet_count = (SELECT count(*) FROM story_outlets WHERE story_id = :id) "
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
