"""Coverage arithmetic: distributions, a story's coverage details, and efficacy/safety emphasis.

Counting units (a choice, stated here once):

- lean, factuality and ownership are properties of the outlet, so they are counted per DISTINCT
  OUTLET, like Ground News' bias bar: an outlet that files five updates counts once. Its value
  is the one on its earliest row.
- source type and proximity can differ between articles of one outlet (a paper found through
  PubMed, a wire copy on a news site), so they are counted per ARTICLE, as is the emphasis.

A missing value (None, "" or "unrated") is counted in ``unrated`` and left out of the
percentages. Percentages are rounded to one decimal with the largest-remainder method, so the
rated buckets add up to exactly 100.0 (or all are 0.0 when nothing is rated).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from analysis.model import FACTUALITY_LABELS, LEAN_LABELS, OWNERSHIP_CATEGORIES, SOURCE_TYPES
from analysis.model.results import (
    Bucket,
    CoverageDetails,
    DayCount,
    Distribution,
    EmphasisShare,
    FirstReport,
)
from analysis.proximity import PROXIMITY_LABELS

UNRATED = "unrated"
_MISSING = (None, "", UNRATED)


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One article of a story, with its outlet's facts and ratings already looked up."""

    article_id: int
    outlet_domain: str
    outlet_name: str | None
    published_at: str | None
    lean: str | None
    factuality: str | None
    ownership_category: str | None
    source_type: str | None
    proximity: str | None
    reports_efficacy: bool = False
    reports_safety: bool = False


def distribution(values: Iterable[str | None], order: Sequence[str]) -> Distribution:
    """Count values into ``order``; a label outside ``order`` is a ``ValueError``."""
    counts = dict.fromkeys(order, 0)
    unrated = 0
    for value in values:
        if value in _MISSING:
            unrated += 1
        elif value in counts:
            counts[value] += 1
        else:
            raise ValueError(f"{value!r} is not one of {tuple(order)}")
    shares = percentages(list(counts.values()))
    pairs = zip(counts.items(), shares, strict=True)
    buckets = tuple(Bucket(label, n, p) for (label, n), p in pairs)
    return Distribution(buckets, sum(counts.values()), unrated)


def percentages(counts: Sequence[int]) -> tuple[float, ...]:
    """Shares in percent with one decimal that add up to exactly 100.0 (largest remainder)."""
    total = sum(counts)
    if total == 0:
        return tuple(0.0 for _ in counts)
    tenths = [n * 1000 // total for n in counts]
    remainders = [(n * 1000 % total, -i) for i, n in enumerate(counts)]
    for _, neg_index in sorted(remainders, reverse=True)[: 1000 - sum(tenths)]:
        tenths[-neg_index] += 1
    return tuple(t / 10 for t in tenths)


def coverage_details(articles: Sequence[CoverageRow]) -> CoverageDetails:
    """Coverage details of a story (see the module docstring for the counting units)."""
    per_outlet = _first_row_per_outlet(articles)
    dated = [(t, row) for row in articles if (t := _moment(row.published_at)) is not None]
    first = min(dated, key=lambda pair: (pair[0], pair[1].article_id), default=None)
    return CoverageDetails(
        article_count=len(articles),
        outlet_count=len(per_outlet),
        lean=distribution((r.lean for r in per_outlet), LEAN_LABELS),
        factuality=distribution((r.factuality for r in per_outlet), FACTUALITY_LABELS),
        ownership=distribution((r.ownership_category for r in per_outlet), OWNERSHIP_CATEGORIES),
        source_type=distribution((r.source_type for r in articles), SOURCE_TYPES),
        proximity=distribution((r.proximity for r in articles), PROXIMITY_LABELS),
        first_report=None if first is None else FirstReport(
            first[1].article_id, first[1].outlet_domain, first[1].outlet_name,
            first[1].published_at or ""),
        timeline=_timeline(dated),
        undated=len(articles) - len(dated),
    )


def emphasis(
    rows: Iterable[CoverageRow], by: Literal["lean", "source_type"]
) -> dict[str, EmphasisShare]:
    """Per lean or source-type bucket: share of articles reporting efficacy vs safety numbers.

    Counted per article; an article without a value falls in the ``"unrated"`` bucket.
    """
    pick: Callable[[CoverageRow], str | None] = (
        (lambda r: r.lean) if by == "lean" else (lambda r: r.source_type))
    tallies: dict[str, list[int]] = {}
    for row in rows:
        tally = tallies.setdefault(pick(row) or UNRATED, [0, 0, 0])
        tally[0] += 1
        tally[1] += row.reports_efficacy
        tally[2] += row.reports_safety
    return {
        bucket: EmphasisShare(n, eff, saf, round(100 * eff / n, 1), round(100 * saf / n, 1))
        for bucket, (n, eff, saf) in tallies.items()
    }



def _first_row_per_outlet(rows: Sequence[CoverageRow]) -> list[CoverageRow]:
    ordered = sorted(rows, key=lambda r: (_moment(r.published_at) is None,
                                          _moment(r.published_at) or _EPOCH, r.article_id))
    first: dict[str, CoverageRow] = {}
    for row in ordered:
        first.setdefault(row.outlet_domain, row)
    return list(first.values())


def _timeline(dated: Sequence[tuple[datetime, CoverageRow]]) -> tuple[DayCount, ...]:
    days: dict[str, tuple[int, set[str]]] = {}
    for moment, row in dated:
        count, outlets = days.get(moment.strftime("%Y-%m-%d"), (0, set()))
        outlets.add(row.outlet_domain)
        days[moment.strftime("%Y-%m-%d")] = (count + 1, outlets)
    return tuple(DayCount(day, n, len(o)) for day, (n, o) in sorted(days.items()))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _moment(value: str | None) -> datetime | None:
    """UTC datetime of an ISO date/timestamp; naive values are UTC; unparsable → None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
