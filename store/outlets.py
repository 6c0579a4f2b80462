"""Outlet facts, raters' ratings and the unrated list, read by domain.

Ratings reach articles through the domain: ``articles.outlet_domain = outlets.domain =
ratings.domain``. Lists are keyset-paginated on the domain, so no request counts a big table.

``OutletTables`` writes outlet facts and ratings (coverage counts for comparisons are in
store.coverage).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from analysis.model import Outlet, Rating
from store.db import OnStore, iso
from store.pagination import Page, decode_cursor, encode_cursor

OUTLET_COLUMNS = ("domain, name, source_type, owner, ownership_category, country, verified_at, language, "
                  "provenance")


def ratings_for(conn: sqlite3.Connection, domains: Iterable[str] | None = None) -> dict[str, list[Rating]]:
    """Every stored rating of these domains (all domains when None), as ``Rating`` records."""
    sql = "SELECT domain, rater, dimension, value, raw_value, rated_at, origin FROM ratings"
    params: list[Any] = []
    if domains is not None:
        sql += " WHERE domain IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(set(domains))))
    found: dict[str, list[Rating]] = {}
    for row in conn.execute(sql + " ORDER BY domain, rater, dimension", params):
        found.setdefault(row[0], []).append(Rating(*row))
    return found


def outlet_facts(conn: sqlite3.Connection, domains: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The ``outlets`` rows of these domains, by domain."""
    rows = conn.execute(f"SELECT {OUTLET_COLUMNS} FROM outlets WHERE domain IN (SELECT value FROM json_each(?))",
                        [json.dumps(sorted(set(domains)))])
    return {row["domain"]: dict(row) for row in rows}


def list_outlets(conn: sqlite3.Connection, *, limit: int = 50, cursor: str | None = None) -> Page:
    """Outlets in domain order."""
    after = decode_cursor(cursor)[0] if cursor else ""
    rows = [dict(r) for r in conn.execute(
        f"SELECT {OUTLET_COLUMNS} FROM outlets WHERE domain > ? ORDER BY domain LIMIT ?", [after, limit + 1])]
    return _page(rows, limit)


def list_unrated(conn: sqlite3.Connection, *, limit: int = 50, cursor: str | None = None) -> Page:
    """Article outlet domains that no rater rated, in domain order, with their article counts.

    Groups stream in index order (``idx_articles_outlet``), so a page stops after ``limit``
    domains; the count per domain reads only that domain's index entries.
    """
    after = decode_cursor(cursor)[0] if cursor else ""
    rows = [dict(r) for r in conn.execute(
        "SELECT outlet_domain AS domain, count(*) AS articles FROM articles "
        "WHERE outlet_domain > ? AND outlet_domain NOT IN (SELECT domain FROM ratings) "
        "GROUP BY outlet_domain ORDER BY outlet_domain LIMIT ?", [after, limit + 1])]
    page = _page(rows, limit)
    facts = outlet_facts(conn, (r["domain"] for r in page.items))
    for item in page.items:
        known = facts.get(item["domain"])
        name = conn.execute("SELECT outlet_name FROM articles WHERE outlet_domain = ? LIMIT 1",
                            [item["domain"]]).fetchone()
        item["name"] = known["name"] if known else (name[0] if name else None)
        item["source_type"] = known["source_type"] if known else None
        item["in_registry"] = known is not None
    return page


def _page(rows: list[dict[str, Any]], limit: int) -> Page:
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, encode_cursor(items[-1]["domain"], 0) if more else None)


def has_ratings(conn: sqlite3.Connection) -> bool:
    """Whether any rating was imported (one index probe): the dashboard explains the import if not."""
    return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM ratings)").fetchone()[0])


class OutletTables(OnStore):
    """Outlet facts mirrored from the registry, and imported ratings."""

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
