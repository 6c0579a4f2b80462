"""Coverage counts for comparisons, grouped by therapy, month or source type.

The counts come from ``coverage_totals`` or ``therapy_coverage_totals`` (store.maintained): each
article of the window is counted at the coarsest period (all time, year, month, day of ``sort_at``)
that lies wholly inside the window, and only the articles of a partial first or last day are read
from ``articles``. A period P lies wholly inside ``[since, until)`` when every text starting with
P does: ``since <= P`` and ``P < until`` without ``until`` starting with P. Each level reads
only the periods inside the coarser ones the window's ends cut. ``scan_coverage_counts`` is the
same answer from the rows themselves (the reference the tests and the bench compare with).
"""

from __future__ import annotations

import sqlite3
from typing import Any

GROUP_SQL = {
    "therapy": "t.therapy",
    "month": "substr(a.sort_at, 1, 7)",
    "source_type": "coalesce(a.source_type, 'unrated')",
}
TOTALS_GROUP_SQL = {
    "therapy": "therapy",
    "month": "substr(period, 1, 7)",
    "source_type": "CASE source_type WHEN '' THEN 'unrated' ELSE source_type END",
}
TOP = "\U0010ffff"  # sorts after every character: P + TOP is past every text starting with P
INSIDE = "((:s IS NULL OR :s <= {p}) AND (:u IS NULL OR (:u > {p} AND substr(:u, 1, length({p})) != {p})))"


def coverage_counts(
    conn: sqlite3.Connection, *, by: str, since: str | None = None, until: str | None = None,
) -> list[tuple[Any, ...]]:
    """``(group, outlet_domain, source_type, articles, efficacy, safety)`` for ``by`` in GROUP_SQL."""
    sql, named = _counts_sql(by, since, until)
    return _tuples(conn, sql + " ORDER BY grp, outlet_domain, source_type", named)


def coverage_rows(
    conn: sqlite3.Connection, *, by: str, since: str | None = None, until: str | None = None,
) -> list[tuple[Any, ...]]:
    """The rows ``coverage_counts`` sums, unsummed: ``(group, outlet_domain, source_type,
    articles, efficacy, safety)``, one per level an outlet has counts at (a few per outlet and
    group at most). Summing them in the caller saves SQLite a sort of every row."""
    sql, named = _parts_sql(by, since, until)
    return _tuples(conn, sql, named)


def _counts_sql(by: str, since: str | None, until: str | None) -> tuple[str, dict[str, Any]]:
    parts, named = _parts_sql(by, since, until)
    return ("SELECT grp, outlet_domain, source_type, sum(articles) AS articles, sum(efficacy) AS efficacy, "
            f"sum(safety) AS safety FROM ({parts}) GROUP BY grp, outlet_domain, source_type HAVING sum(articles) > 0",
            named)


def _parts_sql(by: str, since: str | None, until: str | None) -> tuple[str, dict[str, Any]]:
    """``grp, outlet_domain, source_type, articles, efficacy, safety`` rows, each level's own
    (one outlet may have a row at several levels); rows left at zero by deletes are skipped."""
    grains = (7, 10) if by == "month" else (0, 4, 7, 10)  # a year's (or all time's) total has no months
    table = "therapy_coverage_totals" if by == "therapy" else "coverage_totals"
    parts, params = [], list[Any]()
    for level, grain in enumerate(grains):
        where = [f"grain = {grain}", "articles > 0", INSIDE.format(p="period")]
        if level:
            where.append("NOT " + INSIDE.format(p=f"substr(period, 1, {grains[level - 1]})"))
        for low, high in _ranges(since, until, grain, grains[level - 1] if level else None):
            parts.append(f"SELECT {TOTALS_GROUP_SQL[by]} AS grp, outlet_domain, nullif(source_type, '') AS source_type, "
                         f"articles, efficacy, safety FROM {table} WHERE "
                         + " AND ".join([*where, *_bounds("period", low, high, params)]))
    join = " CROSS JOIN article_therapies t ON t.article_id = a.id" if by == "therapy" else ""
    for low, high in _ranges(since, until, None, 10):  # the partial first and last day
        clauses = ["(:s IS NULL OR a.sort_at >= :s)", "(:u IS NULL OR a.sort_at < :u)",
                   "NOT " + INSIDE.format(p="substr(a.sort_at, 1, 10)"), *_bounds("a.sort_at", low, high, params)]
        parts.append(f"SELECT {GROUP_SQL[by]} AS grp, a.outlet_domain, a.source_type, 1 AS articles, "
                     "a.reports_efficacy != 0 AS efficacy, "
                     f"a.reports_safety != 0 AS safety FROM articles a{join} WHERE {' AND '.join(clauses)}")
    return " UNION ALL ".join(parts), {"s": since, "u": until} | {f"b{i}": value for i, value in enumerate(params)}


def rated_domains(conn: sqlite3.Connection) -> list[str]:
    """Every domain with facts or ratings: the outlets whose view is more than 'unrated'."""
    return [r[0] for r in conn.execute("SELECT domain FROM outlets UNION SELECT domain FROM ratings")]


def _ranges(since: str | None, until: str | None, grain: int | None,
            coarser: int | None) -> list[tuple[str | None, str | None]]:
    """Index ranges ``[low, high)`` of the periods (or, with ``grain`` None, the ``sort_at``
    values) a level needs: with a coarser level, only those inside the coarser periods that
    ``since`` and ``until`` cut; overlapping ranges are merged, so no row is read twice."""
    if not coarser:  # the top level, or the one under all time (which any bound cuts)
        return [(since[:grain] if since else None, until)]
    ranges = []
    if since:
        ranges.append((since if grain is None else since[:grain], since[:coarser] + TOP))
    if until:
        ranges.append((until[:coarser], until))
    if len(ranges) == 2 and ranges[1][0] < ranges[0][1]:
        ranges = [(min(ranges[0][0], ranges[1][0]), max(ranges[0][1], ranges[1][1]))]
    return [(low, high) for low, high in ranges if low < high]


def _bounds(column: str, low: str | None, high: str | None, params: list[Any]) -> list[str]:
    clauses = []
    for op, value in ((">=", low), ("<", high)):
        if value is not None:
            clauses.append(f"{column} {op} :b{len(params)}")
            params.append(value)
    return clauses


def scan_coverage_counts(
    conn: sqlite3.Connection, *, by: str, since: str | None = None, until: str | None = None,
) -> list[tuple[Any, ...]]:
    """``coverage_counts`` from ``articles`` (and ``article_therapies``) directly: every row of the window."""
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
           "GROUP BY grp, a.outlet_domain, a.source_type ORDER BY grp, a.outlet_domain, a.source_type")
    return _tuples(conn, sql, params)


def _tuples(conn: sqlite3.Connection, sql: str, params: Any) -> list[tuple[Any, ...]]:
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: thousands of rows, read once
    return cursor.execute(sql, params).fetchall()
