"""Outlet facts, raters' ratings and the unrated list, read by domain.

Ratings reach articles through the domain: ``articles.outlet_domain = outlets.domain =
ratings.domain``. Lists are keyset-paginated on the domain, so no request counts a big table.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from analysis.model import Rating
from store.queries import Page, decode_cursor, encode_cursor

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
