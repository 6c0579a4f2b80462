"""``/bias/compare`` and ``cartwatch bias compare``: coverage compared by therapy, month or source type.

Per group: the lean and factuality of the DISTINCT outlets that covered it, the source-type mix of
its articles, and the efficacy-vs-safety emphasis (share of articles reporting efficacy / safety
numbers) overall, per lean bucket and per source type; the same emphasis over all groups at the end.
Counting units and rounding are those of ``analysis.distributions``.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.distributions import UNRATED, percentages
from analysis.model import FACTUALITY_LABELS, LEAN_LABELS, SOURCE_TYPES
from analysis.model.results import Bucket, Distribution, EmphasisShare
from service.views import known, outlet_views
from store.outlets import coverage_counts


@dataclass(frozen=True, slots=True)
class GroupComparison:
    group: str
    articles: int
    outlets: int
    lean: Distribution
    factuality: Distribution
    source_type: Distribution
    emphasis: EmphasisShare
    emphasis_by_lean: dict[str, EmphasisShare]
    emphasis_by_source_type: dict[str, EmphasisShare]


@dataclass(frozen=True, slots=True)
class Comparison:
    by: str
    since: str | None
    until: str | None
    rater: str | None
    groups: tuple[GroupComparison, ...]
    emphasis_by_lean: dict[str, EmphasisShare]
    emphasis_by_source_type: dict[str, EmphasisShare]


def counted(counts: Counter[str | None], order: Sequence[str]) -> Distribution:
    """A ``Distribution`` from counts; labels outside ``order`` (and None) count as unrated."""
    rated = [counts.get(label, 0) for label in order]
    shares = percentages(rated)
    unrated = sum(n for label, n in counts.items() if label not in order)
    return Distribution(tuple(Bucket(label, n, p) for label, n, p in zip(order, rated, shares, strict=True)), sum(rated), unrated)


@dataclass(frozen=True, slots=True)
class _Counts:
    group: str
    domain: str
    lean: str | None
    factuality: str | None
    source_type: str | None
    articles: int
    efficacy: int
    safety: int


def compare(conn: sqlite3.Connection, *, by: str, since: str | None = None, until: str | None = None,
            rater: str | None = None) -> Comparison:
    raw = coverage_counts(conn, by=by, since=since, until=until)
    views = outlet_views(conn, {r["outlet_domain"] for r in raw}, rater)
    rows = [_Counts(str(r["grp"]), r["outlet_domain"], views[r["outlet_domain"]].lean,
                    views[r["outlet_domain"]].factuality,
                    known(r["source_type"], SOURCE_TYPES) or views[r["outlet_domain"]].source_type,
                    int(r["articles"]), int(r["efficacy"] or 0), int(r["safety"] or 0)) for r in raw]
    groups: dict[str, list[_Counts]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    return Comparison(
        by=by, since=since, until=until, rater=rater,
        groups=tuple(_group(name, members) for name, members in sorted(groups.items())),
        emphasis_by_lean=_emphasis(rows, lambda r: r.lean),
        emphasis_by_source_type=_emphasis(rows, lambda r: r.source_type))


def _group(name: str, rows: list[_Counts]) -> GroupComparison:
    outlets = {r.domain: r for r in rows}
    types: Counter[str | None] = Counter()
    for r in rows:
        types[r.source_type] += r.articles
    return GroupComparison(
        group=name, articles=sum(r.articles for r in rows), outlets=len(outlets),
        lean=counted(Counter(r.lean for r in outlets.values()), LEAN_LABELS),
        factuality=counted(Counter(r.factuality for r in outlets.values()), FACTUALITY_LABELS),
        source_type=counted(types, SOURCE_TYPES),
        emphasis=_emphasis(rows, lambda r: "all")["all"],
        emphasis_by_lean=_emphasis(rows, lambda r: r.lean),
        emphasis_by_source_type=_emphasis(rows, lambda r: r.source_type))


def _emphasis(rows: Sequence[_Counts], pick: Callable[[_Counts], str | None]) -> dict[str, EmphasisShare]:
    tallies: dict[str, list[int]] = {}
    for row in rows:
        tally = tallies.setdefault(pick(row) or UNRATED, [0, 0, 0])
        tally[0] += row.articles
        tally[1] += row.efficacy
        tally[2] += row.safety
    return {bucket: EmphasisShare(n, e, s, round(100 * e / n, 1) if n else 0.0, round(100 * s / n, 1) if n else 0.0)
            for bucket, (n, e, s) in sorted(tallies.items())}


def comparison_rows(found: Comparison) -> tuple[list[dict[str, Any]], list[str]]:
    """One CSV row per group: counts per lean, factuality and source type, and emphasis."""
    columns = ["group", "articles", "outlets", *(f"lean:{label}" for label in (*LEAN_LABELS, "unrated")),
               *(f"factuality:{label}" for label in (*FACTUALITY_LABELS, "unrated")),
               *(f"type:{t}" for t in (*SOURCE_TYPES, "unrated")),
               *(f"efficacy%:{label}" for label in (*LEAN_LABELS, "unrated")), *(f"safety%:{label}" for label in (*LEAN_LABELS, "unrated"))]
    rows = []
    for g in found.groups:
        row: dict[str, Any] = {"group": g.group, "articles": g.articles, "outlets": g.outlets}
        for prefix, dist in (("lean", g.lean), ("factuality", g.factuality), ("type", g.source_type)):
            row |= {f"{prefix}:{b.label}": b.count for b in dist.buckets} | {f"{prefix}:unrated": dist.unrated}
        for label, share in g.emphasis_by_lean.items():
            row |= {f"efficacy%:{label}": share.efficacy_percent, f"safety%:{label}": share.safety_percent}
        rows.append(row)
    return rows, columns
