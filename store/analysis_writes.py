"""Writes of what analysis derived: claims, stories and their index keys, outlets and ratings.

Each method is meant to run inside ``Store.transaction()`` together with the article it belongs
to (``service/ingest.py`` does that), so an article never exists without its claims and story.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from analysis.fingerprint import Fingerprint
from analysis.model import Claim, Outlet, Rating
from analysis.stories import StoryCandidate
from analysis.syndication import CopyCandidate
from store.articles import iso
from store.writes import Store

CLAIM_COLUMNS = ("therapy", "trial", "indication", "metric", "value", "unit", "not_reached",
                 "timepoint_months", "ci_low", "ci_high", "denominator", "followup_months",
                 "sentence", "start", "end", "confidence")
_CLAIM_INSERT = (
    f"INSERT INTO claims(article_id, {', '.join(f'{chr(34)}{c}{chr(34)}' for c in CLAIM_COLUMNS)}, "
    "published_at, sort_at, outlet_domain, source_type, article_kind, extracted_at) "
    f"VALUES (?, {', '.join('?' for _ in CLAIM_COLUMNS)}, ?, ?, ?, ?, ?, ?)"
)


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


class AnalysisWrites:
    """Claims, stories, outlets and ratings, on the same connection as the ``Store``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    # --- claims --------------------------------------------------------------------------

    def replace_claims(self, article_id: int, claims: Iterable[Claim], *, now: datetime) -> int:
        with self.store.transaction():
            self.db.execute("DELETE FROM claims WHERE article_id = ?", [article_id])
            article = self.db.execute(
                "SELECT published_at, sort_at, outlet_domain, source_type, kind FROM articles WHERE id = ?",
                [article_id]).fetchone()
            count = 0
            for claim in claims:
                values = [getattr(claim, c) for c in CLAIM_COLUMNS]
                self.db.execute(_CLAIM_INSERT, [article_id, *values, *article, iso(now)])
                count += 1
        return count

    def set_report_flags(self, article_id: int, *, efficacy: bool, safety: bool) -> None:
        self.db.execute("UPDATE articles SET reports_efficacy = ?, reports_safety = ? WHERE id = ?",
                        [int(efficacy), int(safety), article_id])

    # --- stories -------------------------------------------------------------------------

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

    # --- syndicated copies ----------------------------------------------------------------

    def copy_candidates(self, keys: Sequence[str], *, article_id: int) -> list[CopyCandidate]:
        """Other articles sharing a copy-index key (an indexed lookup, never a scan)."""
        if not keys:
            return []
        marks = ",".join("?" for _ in keys)
        rows = self.db.execute(
            "SELECT a.canonical_url, a.outlet_domain, a.sort_at, f.fingerprint, f.text_key, a.syndicated_from "
            "FROM article_fingerprints f "
            f"JOIN articles a ON a.id = f.article_id WHERE f.article_id IN (SELECT article_id FROM copy_keys "
            f"WHERE key IN ({marks})) AND f.article_id != ? ORDER BY a.sort_at, a.id", [*keys, article_id]).fetchall()
        return [CopyCandidate(r[0], r[1], r[2], Fingerprint.from_bytes(r[3]), r[4], r[5]) for r in rows]

    def index_copy_keys(self, article_id: int, keys: Iterable[str], fingerprint: Fingerprint,
                        text_key: str | None) -> None:
        """Replace an article's copy-index entries (its text may have changed)."""
        self.db.execute("DELETE FROM copy_keys WHERE article_id = ?", [article_id])
        self.db.execute("INSERT INTO article_fingerprints(article_id, fingerprint, text_key) VALUES (?, ?, ?) "
                        "ON CONFLICT(article_id) DO UPDATE SET fingerprint = excluded.fingerprint, "
                        "text_key = excluded.text_key", [article_id, fingerprint.to_bytes(), text_key])
        for key in dict.fromkeys(keys):
            self.db.execute("INSERT OR IGNORE INTO copy_keys(key, article_id) VALUES (?, ?)", [key, article_id])

    def set_syndicated_from_url(self, canonical_url: str, origin_url: str) -> None:
        self.db.execute("UPDATE articles SET syndicated_from = ? WHERE canonical_url = ? AND syndicated_from IS NULL",
                        [origin_url, canonical_url])

    def set_syndicated_from(self, article_id: int, origin_url: str) -> None:
        self.db.execute("UPDATE articles SET syndicated_from = ? WHERE id = ? AND syndicated_from IS NULL",
                        [origin_url, article_id])

    # --- papers stored under the route they came by ---------------------------------------

    def papers_under(self, routes: Sequence[str]) -> list[tuple[int, str | None, str | None, str]]:
        """(id, outlet_name, doi, outlet_domain) of papers whose outlet is a route (PubMed,
        Europe PMC), by ``idx_articles_outlet``."""
        marks = ",".join("?" for _ in routes)
        return [tuple(r) for r in self.db.execute(
            f"SELECT id, outlet_name, doi, outlet_domain FROM articles WHERE outlet_domain IN ({marks}) "
            "AND kind IN ('paper', 'abstract', 'preprint') ORDER BY id", list(routes))]

    def recount_story(self, story_id: int) -> None:
        """A story's article and outlet counts, its blindspot flag left as it is."""
        self.db.execute(
            "UPDATE stories SET article_count = (SELECT count(*) FROM articles WHERE story_id = :id), "
            "outlet_count = (SELECT count(DISTINCT outlet_domain) FROM articles WHERE story_id = :id) "
            "WHERE id = :id", {"id": story_id})

    def move_to_outlet(self, article_id: int, *, outlet_domain: str, outlet_name: str, via: str,
                       source_type: str | None) -> None:
        """An article's outlet, route and source type, and the copies its claims carry."""
        self.db.execute("UPDATE articles SET outlet_domain = ?, outlet_name = ?, via = ?, source_type = ? "
                        "WHERE id = ?", [outlet_domain, outlet_name, via, source_type, article_id])
        self.db.execute("UPDATE claims SET outlet_domain = ?, source_type = ? WHERE article_id = ?",
                        [outlet_domain, source_type, article_id])

    # --- outlets and ratings ---------------------------------------------------------------

    def sync_outlets(self, outlets: Iterable[tuple[Outlet, str]]) -> None:
        """Mirror the registry (shipped facts + config overrides) into ``outlets`` for queries."""
        with self.store.transaction():
            for outlet, provenance in outlets:
                self.db.execute(
                    "INSERT INTO outlets(domain, name, source_type, owner, ownership_category, country, "
                    "verified_at, language, provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(domain) DO UPDATE SET "
                    "name=excluded.name, source_type=excluded.source_type, owner=excluded.owner, "
                    "ownership_category=excluded.ownership_category, country=excluded.country, "
                    "verified_at=excluded.verified_at, language=excluded.language, provenance=excluded.provenance",
                    [outlet.domain, outlet.name, outlet.source_type, outlet.owner, outlet.ownership_category,
                     outlet.country, outlet.verified_at, outlet.language, provenance])

    def save_ratings(self, ratings: Iterable[Rating], *, now: datetime) -> int:
        count = 0
        with self.store.transaction():
            for r in ratings:
                self.db.execute(
                    "INSERT INTO ratings(domain, rater, dimension, value, raw_value, rated_at, origin, imported_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(domain, rater, dimension) DO UPDATE SET "
                    "value=excluded.value, raw_value=excluded.raw_value, rated_at=excluded.rated_at, "
                    "origin=excluded.origin, imported_at=excluded.imported_at",
                    [r.domain, r.rater, r.dimension, r.value, r.raw_value, r.rated_at, r.origin, iso(now)])
                count += 1
        return count

    def ratings_for(self, domains: Sequence[str]) -> list[Rating]:
        if not domains:
            return []
        marks = ",".join("?" for _ in domains)
        return [Rating(domain=r[0], rater=r[1], dimension=r[2], value=r[3], raw_value=r[4], rated_at=r[5], origin=r[6])
                for r in self.db.execute(
                    f"SELECT domain, rater, dimension, value, raw_value, rated_at, origin FROM ratings "
                    f"WHERE domain IN ({marks})", list(domains))]

    def all_story_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM stories ORDER BY id")]

    def article_rows(self, *, after_id: int, limit: int) -> list[dict[str, Any]]:
        """Stored articles in id order, for rebuilds that walk the whole table in batches."""
        return list(self.db.query("SELECT * FROM articles WHERE id > ? ORDER BY id LIMIT ?", [after_id, limit]))
