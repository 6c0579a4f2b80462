"""Articles: the upsert of one article (keyed on canonical URL, DOI, PMID, NCT id or a headline's
title), in the caller's transaction (``Store.save_article``).

A known article is updated in place, keeping its id: its content is replaced only by a newer copy
of the same page, or when full text replaces a headline-only record; a record of the same paper
from another source fills blanks only, so two sources of one paper do not overwrite each other.

Reads: the article list (keyset pages, full-text search through ``articles_fts``) and one
article. ``ArticleTables`` (``Store.save_article``) and ``CopyTables`` (syndicated copies, papers
under their route) are the writes.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from analysis.model import Article
from analysis.model.records import CopyCandidate, Fingerprint
from store.claims import evidence_case
from store.db import Handle, OnStore, iso
from store.pagination import Page, decode_cursor, encode_cursor
from store.search import COLUMNS as ARTICLE_LIST_COLUMNS, search_articles


def title_key(title: str) -> str:
    return re.sub(r"[^\w]+", " ", title.casefold()).strip()


def find_existing(db: sqlite_utils.Database, article: Article) -> dict[str, Any] | None:
    lookups: list[tuple[str, object]] = [("canonical_url = ?", article.canonical_url)]
    lookups += [(f"{col} = ?", val) for col, val in
                (("doi", article.doi), ("pmid", article.pmid), ("nct_id", article.nct_id)) if val]
    lookups.append(("title_key = ? AND outlet_domain = ? AND (kind = 'headline' OR ? = 'headline')",
                    (title_key(article.title), article.outlet_domain, article.kind)))
    for where, value in lookups:
        params = list(value) if isinstance(value, tuple) else [value]
        rows = list(db.query(f"SELECT * FROM articles WHERE {where} LIMIT 1", params))
        if rows:
            return rows[0]
    return None


def article_row(article: Article, now: datetime) -> dict[str, Any]:
    return {
        "canonical_url": article.canonical_url,
        "url": article.url,
        "title": article.title,
        "text": article.text,
        "summary": article.summary,
        "kind": article.kind,
        "source_name": article.source_name,
        "outlet_domain": article.outlet_domain,
        "outlet_name": article.outlet_name,
        "published_at": article.published_at,
        # One sortable instant per article: when it was published, else when we first saw it.
        "sort_at": article.published_at or iso(now),
        "updated_at": iso(now),
        "language": article.language,
        "authors": json.dumps(list(article.authors)) if article.authors else None,
        "doi": article.doi,
        "pmid": article.pmid,
        "nct_id": article.nct_id,
        "syndicated_from": article.syndicated_from,
        "via": article.via,
        "title_key": title_key(article.title),
        "content_hash": article.content_hash,
        "partial_text": int(article.partial_text),
    }


def insert_article(db: sqlite_utils.Database, article: Article, now: datetime, extras: Mapping[str, Any]) -> int:
    row = article_row(article, now) | dict(extras) | {"fetched_at": iso(now)}
    cursor = db.execute(
        f"INSERT INTO articles({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
        list(row.values()),
    )
    return int(cursor.lastrowid or 0)


def merge_article(db: sqlite_utils.Database, existing: dict[str, Any], article: Article, now: datetime,
                  extras: Mapping[str, Any]) -> tuple[int, str]:
    """Update a known article in place, keeping its id.

    Content is replaced only by a newer copy of the same page, or when full text replaces a
    headline-only record; a match on DOI/PMID/NCT id from another source fills blanks only,
    so two sources of one paper do not overwrite each other on every crawl.
    """
    article_id = int(existing["id"])
    new_row = article_row(article, now)
    same_page = existing["canonical_url"] == article.canonical_url
    upgrade = existing["kind"] == "headline" and article.kind != "headline"
    if (same_page and existing["content_hash"] != article.content_hash and article.kind != "headline") or upgrade:
        changes = new_row | dict(extras)
    else:
        changes = {k: v for k, v in new_row.items()
                   if existing.get(k) in (None, "") and v not in (None, "") and k not in ("canonical_url",)}
        if not changes:
            return article_id, "unchanged"
        changes["updated_at"] = iso(now)
    assignments = ", ".join(f"{col} = ?" for col in changes)
    db.execute(f"UPDATE articles SET {assignments} WHERE id = ?", [*changes.values(), article_id])
    return article_id, "updated"


def replace_therapies(db: sqlite_utils.Database, article_id: int, therapies: Iterable[str]) -> None:
    db.execute("DELETE FROM article_therapies WHERE article_id = ?", [article_id])
    for therapy in sorted(set(therapies)):
        db.execute("INSERT INTO article_therapies(therapy, article_id) VALUES (?, ?)", [therapy, article_id])


@dataclass(frozen=True, slots=True)
class SaveResult:
    article_id: int
    status: str  # "new" | "updated" | "unchanged"
    # The text now stored, and whether this save changed it: claims must come from this text
    # (a second record of one paper fills blanks only and may keep the first record's text).
    text: str
    text_changed: bool


@dataclass(frozen=True, slots=True)
class ArticleDerived:
    """Columns analysis derives for an article, stored with it."""

    source_type: str | None
    proximity: str
    reports_efficacy: bool
    reports_safety: bool

    def columns(self) -> dict[str, Any]:
        return {"source_type": self.source_type, "proximity": self.proximity,
                "reports_efficacy": int(self.reports_efficacy), "reports_safety": int(self.reports_safety)}


class ArticleTables(Handle):
    """Upserts of articles (mixed into ``store.Store``)."""

    def save_article(self, article: Article, *, now: datetime, derived: ArticleDerived | None = None) -> SaveResult:
        """Upsert one article with the columns analysis derived for it."""
        extras = derived.columns() if derived is not None else {}
        with self.transaction():
            existing = find_existing(self.db, article)
            if existing is None:
                article_id = insert_article(self.db, article, now, extras)
                status, text_changed = "new", True
            else:
                article_id, status = merge_article(self.db, existing, article, now, extras)
            text = self.db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()[0]
            if existing is not None:
                text_changed = text != existing["text"]
            if status != "unchanged":
                replace_therapies(self.db, article_id, article.therapies)
        return SaveResult(article_id, status, text, text_changed)


class BadSearch(ValueError):
    pass


def fts_query(text: str) -> str | None:
    """User input as an FTS5 query that is never FTS5 syntax (and never a 500): each "quoted
    part" is a phrase, each other whitespace-separated chunk a phrase of its word characters
    (``cilta-cel ORR`` → ``"cilta cel" "ORR"``), and a chunk ending in ``*`` a prefix
    (``cilta*`` → ``"cilta"*``). None when there is no word to search for."""
    phrases = []
    for quoted, chunk in re.findall(r'"([^"]*)"|(\S+)', text):
        words = " ".join(re.findall(r"\w+", quoted or chunk))
        if words:
            phrases.append(f'"{words}"' + ("*" if chunk.endswith("*") else ""))
    return " ".join(phrases) or None


def search_match(q: str) -> str:
    match = fts_query(q)
    if match is None:
        raise BadSearch(f"nothing to search for in {q[:80]!r}: give at least one word (letters or digits)")
    return match


def list_articles(
    conn: sqlite3.Connection, *, q: str | None = None, since: str | None = None,
    until: str | None = None, therapy: str | None = None, outlet: str | None = None,
    source_type: str | None = None, domains: list[str] | None = None,
    exclude_domains: list[str] | None = None, limit: int = 50, cursor: str | None = None,
    evidence: str | None = None, story_id: int | None = None,
) -> Page:
    """Articles newest first. ``domains`` keeps only those outlets, ``exclude_domains`` drops
    them (the lean filter: a few thousand rated outlets at most, passed as one JSON array).
    With ``q`` (BadSearch when it has no word) the time-keyed index answers (store.search)."""
    joins, where, params = _article_filters(
        since=since, until=until, therapy=None if q else therapy, outlet=outlet, source_type=source_type,
        domains=domains, exclude_domains=exclude_domains, cursor=cursor)
    if evidence:
        # The claims' rule table as SQL on the article's own columns, so an article's evidence
        # filter and its claims' labels agree.
        where.append(f"{evidence_case('a.kind', 'a.source_type')} = ?")
        params.append(evidence)
    if story_id is not None:
        where.append("a.story_id = ?")
        params.append(story_id)
    if q:
        bounds = _search_bounds(conn, since=since, until=until, cursor=cursor)
        narrowing = {k: v for k, v in (("outlet", outlet), ("source_type", source_type)) if v}
        rows = search_articles(conn, search_match(q), where, params, bounds=bounds, limit=limit + 1,
                               story_id=story_id, therapy=therapy, narrowing=narrowing)
    else:
        sql = (f"SELECT {ARTICLE_LIST_COLUMNS} FROM articles a{joins}"
               f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY a.sort_at DESC, a.id DESC LIMIT ?")
        rows = [dict(r) for r in conn.execute(sql, [*params, limit + 1])]
    next_cursor = encode_cursor(rows[limit - 1]["sort_at"], rows[limit - 1]["id"]) if len(rows) > limit else None
    items = rows[:limit]
    _attach_therapies(conn, items)
    return Page(items, next_cursor)


def _search_bounds(conn: sqlite3.Connection, *, since: str | None, until: str | None,
                   cursor: str | None) -> tuple[int | None, int | None]:
    """The seconds (unixepoch, as SQLite reads the text) the search keys must lie within:
    at least ``since``'s, at most ``until``'s or the cursor's (the exact text filters stay)."""
    upper = [until, decode_cursor(cursor)[0] if cursor else None]
    seconds = conn.execute("SELECT CAST(strftime('%s', ?) AS INTEGER), CAST(strftime('%s', ?) AS INTEGER), "
                           "CAST(strftime('%s', ?) AS INTEGER)", [since, *upper]).fetchone()
    highest = [s for s, text in zip(seconds[1:], upper, strict=True) if text is not None]
    return seconds[0] if since else None, None if None in highest or not highest else min(highest)


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


# Keys (32 per text article) kept in ``copy_keys_recent`` before they move into ``copy_keys``:
# about 2,000 articles' worth (CopyTables.settle_copy_keys).
RECENT_COPY_KEYS = 64_000


class CopyTables(OnStore):
    """Syndicated copies and their index, papers stored under their route, batches of rows."""

    def copy_candidates(self, keys: Sequence[str], *, article_id: int) -> list[CopyCandidate]:
        """Other articles sharing a copy-index key (an indexed lookup, never a scan)."""
        if not keys:
            return []
        marks = ",".join("?" for _ in keys)
        rows = self.db.execute(
            "SELECT a.canonical_url, a.outlet_domain, a.sort_at, f.fingerprint, f.text_key, a.syndicated_from "
            "FROM article_fingerprints f "
            f"JOIN articles a ON a.id = f.article_id WHERE f.article_id IN (SELECT article_id FROM copy_keys "
            f"WHERE key IN ({marks}) UNION ALL SELECT article_id FROM copy_keys_recent WHERE key IN ({marks})) "
            "AND f.article_id != ? ORDER BY a.sort_at, a.id", [*keys, *keys, article_id]).fetchall()
        return [CopyCandidate(r[0], r[1], r[2], Fingerprint.from_bytes(r[3]), r[4], r[5]) for r in rows]

    def index_copy_keys(self, article_id: int, keys: Iterable[str], fingerprint: Fingerprint,
                        text_key: str | None) -> None:
        """Replace an article's copy-index entries (its text may have changed). New keys go to
        ``copy_keys_recent``; ``settle_copy_keys`` moves them into ``copy_keys`` in key order."""
        self.db.execute("DELETE FROM copy_keys WHERE article_id = ?", [article_id])
        self.db.execute("DELETE FROM copy_keys_recent WHERE article_id = ?", [article_id])
        self.db.execute("INSERT INTO article_fingerprints(article_id, fingerprint, text_key) VALUES (?, ?, ?) "
                        "ON CONFLICT(article_id) DO UPDATE SET fingerprint = excluded.fingerprint, "
                        "text_key = excluded.text_key", [article_id, fingerprint.to_bytes(), text_key])
        for key in dict.fromkeys(keys):
            self.db.execute("INSERT OR IGNORE INTO copy_keys_recent(key, article_id) VALUES (?, ?)", [key, article_id])

    def settle_copy_keys(self, *, at_least: int = RECENT_COPY_KEYS) -> int:
        """Move the recent copy-index keys into ``copy_keys`` once there are ``at_least`` of them
        (0: whatever there is); the number moved.

        The keys are hashes, so each new key lands on a random page of ``copy_keys``: inserted
        one by one, every key dirties (and the commit writes) its own page once the index is
        larger than a batch's keys, and that grows with the database (12 pages per article at
        10,000 articles, 32 at 100,000). The small ``copy_keys_recent`` stays within a few
        hundred pages; moved together in key order, thousands of keys share each page of
        ``copy_keys`` they touch."""
        if at_least and self.db.execute("SELECT 1 FROM copy_keys_recent LIMIT 1 OFFSET ?",
                                        [at_least - 1]).fetchone() is None:
            return 0
        moved = self.db.execute("INSERT OR IGNORE INTO copy_keys(key, article_id) SELECT key, article_id "
                                "FROM copy_keys_recent ORDER BY key, article_id").rowcount
        self.db.execute("DELETE FROM copy_keys_recent")
        return int(moved)

    def upkeep_pending(self, task: str) -> bool:
        """Whether a migration left ``task`` to service (table ``upkeep``, migration 8)."""
        return self.db.execute("SELECT 1 FROM upkeep WHERE task = ?", [task]).fetchone() is not None

    def upkeep_done(self, task: str) -> None:
        self.db.execute("DELETE FROM upkeep WHERE task = ?", [task])

    def stale_fingerprints(self, *, after_id: int, limit: int) -> list[tuple[int, str, str, str | None]]:
        """(article id, title, text, text_key) of copy-index rows still in MinHash format 1 (their
        third byte is the format), in id order."""
        return [(r[0], r[1] or "", r[2] or "", r[3]) for r in self.db.execute(
            "SELECT a.id, a.title, a.text, f.text_key FROM article_fingerprints f JOIN articles a ON a.id = f.article_id "
            "WHERE substr(f.fingerprint, 3, 1) = x'01' AND f.article_id > ? ORDER BY f.article_id LIMIT ?",
            [after_id, limit])]

    def set_syndicated_from_url(self, canonical_url: str, origin_url: str) -> None:
        self.db.execute("UPDATE articles SET syndicated_from = ? WHERE canonical_url = ? AND syndicated_from IS NULL",
                        [origin_url, canonical_url])

    def set_syndicated_from(self, article_id: int, origin_url: str) -> None:
        self.db.execute("UPDATE articles SET syndicated_from = ? WHERE id = ? AND syndicated_from IS NULL",
                        [origin_url, article_id])

    def papers_under(self, routes: Sequence[str]) -> list[tuple[int, str | None, str | None, str]]:
        """(id, outlet_name, doi, outlet_domain) of papers whose outlet is a route (PubMed,
        Europe PMC), by ``idx_articles_outlet``."""
        marks = ",".join("?" for _ in routes)
        return [tuple(r) for r in self.db.execute(
            f"SELECT id, outlet_name, doi, outlet_domain FROM articles WHERE outlet_domain IN ({marks}) "
            "AND kind IN ('paper', 'abstract', 'preprint') ORDER BY id", list(routes))]

    def move_to_outlet(self, article_id: int, *, outlet_domain: str, outlet_name: str, via: str,
                       source_type: str | None) -> None:
        """An article's outlet, route and source type, and the copies its claims carry."""
        self.db.execute("UPDATE articles SET outlet_domain = ?, outlet_name = ?, via = ?, source_type = ? "
                        "WHERE id = ?", [outlet_domain, outlet_name, via, source_type, article_id])
        self.db.execute("UPDATE claims SET outlet_domain = ?, source_type = ? WHERE article_id = ?",
                        [outlet_domain, source_type, article_id])

    def article_rows(self, *, after_id: int, limit: int) -> list[dict[str, Any]]:
        """Stored articles in id order, for rebuilds that walk the whole table in batches."""
        return list(self.db.query("SELECT * FROM articles WHERE id > ? ORDER BY id LIMIT ?", [after_id, limit]))
