"""Coverage counts for comparisons, aggregated in SQL: one row per (group, outlet, source type).

The caller turns outlets into lean/factuality labels (a few thousand outlets at most), so a
comparison over a million articles moves grouped counts, not articles, into Python.
"""

from __future__ import annotations

import sqlite3
from typing import Any

GROUP_SQL = {
    "therapy": "t.therapy",
    "month": "substr(a.sort_at, 1, 7)",
    "source_type": "coalesce(a.source_type, 'unrated')",
}


def coverage_counts(
    conn: sqlite3.Connection, *, by: str, since: str | None = None, until: str | None = None,
) -> list[dict[str, Any]]:
    """``group, outlet_domain, source_type, articles, efficacy, safety`` rows for ``by`` in GROUP_SQL."""
    # CROSS JOIN keeps articles outermost: one pass over the window (index-only once
    # idx_articles_coverage exists), each article's therapies from idx_article_therapies_article.
    join = " CROSS JOIN article_therapies t ON t.article_id = a.id" if by == "therapy" else ""
    where: list[str] = []
    params: list[Any] = []
    if since:
        where.append("a.sort_at >= ?")
        params.append(since)
    if until:
        where.append("a.sort_at < ?")
        params.append(until)
    sql = (f"SELECT {GROUP_SQL[by]} AS grp, a.outlet_domain, a.source_type, count(*) AS articles, "
           "sum(a.reports_efficacy != 0) AS efficacy, sum(a.reports_safety != 0) AS safety "
           f"FROM articles a{join}{' WHERE ' + ' AND '.join(where) if where else ''} "
           "GROUP BY grp, a.outlet_domain, a.source_type ORDER BY grp")
    return [dict(r) for r in conn.execute(sql, params)]
