"""``/bias/compare`` and ``cartwatch bias compare``: coverage compared by therapy, month or source type.

Per group: the lean and factuality of the DISTINCT outlets that covered it, the source-type mix of
its articles, and the efficacy-vs-safety emphasis (share of articles reporting efficacy / safety
numbers) overall, per lean bucket and per source type; the same emphasis over all groups at the end.
Counting units and rounding are those of ``analysis.distributions``.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.distributions import UNRATED, percentages
from analysis.model import FACTUALITY_LABELS, LEAN_LABELS, SOURCE_TYPES
from analysis.model.results import Bucket, Distribution, EmphasisShare
from service.views import outlet_views
from store.coverage import coverage_rows, rated_domains


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


@dataclass(slots=True)
class _Tally:
    """One group's counts: [articles, efficacy, safety] per (lean, source type) of its outlets,
    and its distinct outlets with their (lean, factuality, source type)."""

    cells: dict[tuple[str | None, str | None], list[int]] = field(default_factory=dict)
    outlets: dict[str, tuple[str | None, str | None, str | None]] = field(default_factory=dict)


def compare(conn: sqlite3.Connection, *, by: str, since: str | None = None, until: str | None = None,
            rater: str | None = None) -> Comparison:
    """One pass over the maintained counts (store.coverage.coverage_rows): as many rows as
    outlets × groups, whatever the number of articles; each row does a few dict updates."""
    views = {d: (v.lean, v.factuality, v.source_type) for d, v in outlet_views(conn, rated_domains(conn), rater).items()}
    unrated: tuple[str | None, str | None, str | None] = (None, None, None)  # an outlet without facts or ratings
    known_types = set(SOURCE_TYPES)
    groups: dict[str, _Tally] = {}
    for group, domain, raw_type, articles, efficacy, safety in coverage_rows(conn, by=by, since=since, until=until):
        view = views.get(domain, unrated)
        tally = groups.get(group) or groups.setdefault(group, _Tally())
        tally.outlets[domain] = view
        key = (view[0], raw_type if raw_type in known_types else view[2])
        cell = tally.cells.get(key)
        if cell is None:
            tally.cells[key] = [articles, efficacy or 0, safety or 0]
        else:
            cell[0] += articles
            cell[1] += efficacy or 0
            cell[2] += safety or 0
    everything = _Tally()
    for tally in groups.values():
        for key, (n, e, s) in tally.cells.items():
            cell = everything.cells.setdefault(key, [0, 0, 0])
            cell[0], cell[1], cell[2] = cell[0] + n, cell[1] + e, cell[2] + s
    return Comparison(
        by=by, since=since, until=until, rater=rater,
        groups=tuple(_group(str(name), tally) for name, tally in sorted(groups.items(), key=lambda g: str(g[0]))),
        emphasis_by_lean=_shares(_by(everything, 0)), emphasis_by_source_type=_shares(_by(everything, 1)))


def _by(tally: _Tally, part: int) -> dict[str, list[int]]:
    """The cells summed per lean (part 0) or per source type (part 1); None is unrated."""
    sums: dict[str, list[int]] = {}
    for key, (n, e, s) in tally.cells.items():
        cell = sums.setdefault(key[part] or UNRATED, [0, 0, 0])
        cell[0], cell[1], cell[2] = cell[0] + n, cell[1] + e, cell[2] + s
    return sums


def _group(name: str, tally: _Tally) -> GroupComparison:
    types: Counter[str | None] = Counter()
    for (_, source_type), (n, _e, _s) in tally.cells.items():
        types[source_type] += n
    total = [sum(c[i] for c in tally.cells.values()) for i in range(3)]
    return GroupComparison(
        group=name, articles=total[0], outlets=len(tally.outlets),
        lean=counted(Counter(view[0] for view in tally.outlets.values()), LEAN_LABELS),
        factuality=counted(Counter(view[1] for view in tally.outlets.values()), FACTUALITY_LABELS),
        source_type=counted(types, SOURCE_TYPES),
        emphasis=_shares({"all": total})["all"],
        emphasis_by_lean=_shares(_by(tally, 0)), emphasis_by_source_type=_shares(_by(tally, 1)))


def _shares(tallies: dict[str, list[int]]) -> dict[str, EmphasisShare]:
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
