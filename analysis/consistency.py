"""Consistency across sources: what peer-reviewed sources say beside what news and releases say.

For one therapy, reported values are grouped by (trial, metric, timepoint, unit family). Within a
group a news or press-release value is compared with the peer-reviewed values of the same data
cut, and one that matches none of them beyond rounding is listed as a ``Discrepancy`` with both
sentences; there is no verdict on who is right.

Rules (stated once, tested in tests/test_consistency.py):

- **Evidence levels** are ``analysis.model.EvidenceLevel`` (rules in ``EVIDENCE_RULES``). Only
  peer-reviewed papers are the reference; news and press releases are compared with them.
  Preprints, conference abstracts and registry results are shown beside them (``preprints`` and
  ``other``), never compared and never the reference.
- **Same data cut** = equal ``followup_months`` (within 0.05). An unknown follow-up is its own
  "unknown cut": two unknown cuts compare; a known and an unknown cut compare only when the
  peer-reviewed side of the group states a single value (so there is no choosing between cuts).
  A newer cut with a different number is therefore never called a contradiction.
- **Beyond rounding**: values are put in one unit (years/weeks/days → months), and differ when
  ``|Δ|`` exceeds the larger of the floor (0.5 percentage points for rates, 0.05 months for
  durations, 0 otherwise) and half the last stated digit of either value (so "98%" matches
  "97.9%", "2.9 years" matches "34.5 months"). "Not reached" matches only "not reached".
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import replace

from analysis.model import EvidenceLevel, evidence_level
from analysis.model.metrics import in_months, unit_family
from analysis.model.results import Discrepancy, MetricSummary, ReportedValue

EVIDENCE_CLASSES = tuple(level.value for level in EvidenceLevel)
PEER_REVIEWED = EvidenceLevel.PEER_REVIEWED.value
PREPRINT = EvidenceLevel.PREPRINT.value
COMPARED = (EvidenceLevel.NEWS.value, EvidenceLevel.PRESS_RELEASE.value)
RATE_FLOOR = 0.5
DURATION_FLOOR = 0.05
SAME_CUT = 0.05


def evidence_of(article_kind: str | None, source_type: str | None) -> str:
    """The evidence level of a claim's source, as its string value (``EvidenceLevel``)."""
    return evidence_level(article_kind, source_type).value


def summarize(values: Iterable[ReportedValue], *, max_discrepancies: int | None = None) -> tuple[MetricSummary, ...]:
    """One summary per (trial, metric, timepoint, unit family), ordered by trial then metric;
    ``discrepancies`` keeps the latest ``max_discrepancies`` (all when None), the count all."""
    groups: dict[tuple[str, str, float, str], list[ReportedValue]] = {}
    for value in values:
        key = (value.trial or "", value.metric, _or_minus(value.timepoint_months), unit_family(value.unit))
        groups.setdefault(key, []).append(value)
    return tuple(_summary(groups[key], max_discrepancies) for key in sorted(groups))


def collapse(values: Iterable[ReportedValue]) -> list[ReportedValue]:
    """Merge values that say the same thing (same trial, metric, timepoint, unit, value, cut and
    evidence class) into one, counted in ``reports``; the latest published stands for them."""
    merged: dict[tuple[object, ...], ReportedValue] = {}
    for v in values:
        key = (v.trial, v.metric, v.timepoint_months, v.unit, v.value, v.not_reached, v.followup_months, v.evidence)
        seen = merged.get(key)
        if seen is None:
            merged[key] = v
            continue
        latest = v if (v.published_at or "", v.claim_id) > (seen.published_at or "", seen.claim_id) else seen
        merged[key] = replace(latest, reports=seen.reports + v.reports)
    return list(merged.values())


def difference(reported: ReportedValue, peer: ReportedValue) -> float | None:
    """``reported - peer`` in the common unit; None when either side is "not reached"."""
    if reported.not_reached or peer.not_reached or reported.value is None or peer.value is None:
        return None
    return _common(reported) - _common(peer)


def agrees(a: ReportedValue, b: ReportedValue) -> bool:
    """Equal beyond rounding (see the module docstring)."""
    if a.not_reached or b.not_reached:
        return a.not_reached and b.not_reached
    delta = difference(a, b)
    if delta is None:
        return True
    return abs(delta) <= max(_floor(a.unit), _half_step(a), _half_step(b)) + 1e-9




def _summary(group: list[ReportedValue], limit: int | None) -> MetricSummary:
    ordered = sorted(group, key=lambda v: (v.published_at or "", _or_minus(v.followup_months), v.claim_id))
    peers = tuple(v for v in ordered if v.evidence == PEER_REVIEWED)
    preprints = tuple(v for v in ordered if v.evidence == PREPRINT)
    other = tuple(v for v in ordered if v.evidence not in (PEER_REVIEWED, PREPRINT))
    consensus = _most_reported(peers) or _most_reported((*preprints, *other))
    found = _discrepancies(other, peers)
    first = ordered[0]
    return MetricSummary(
        trial=first.trial, metric=first.metric, unit=unit_family(first.unit),
        timepoint_months=first.timepoint_months, peer_reviewed=peers, other=other,
        consensus=consensus, basis="peer_reviewed" if peers else "news_only",
        conflicting=_conflicting(peers), discrepancies=found[-limit:] if limit else found,
        discrepancy_count=len(found), preprints=preprints,
    )


class _Index:
    """Values of one group sorted in the common unit, so "which values agree with x" and "which
    is closest to x" are bisections, not scans (a group can hold thousands of distinct values)."""

    def __init__(self, values: Iterable[ReportedValue]) -> None:
        usable = [v for v in values if v.value is not None or v.not_reached]
        self.not_reached = sorted((v for v in usable if v.not_reached), key=lambda v: v.claim_id)
        numbers = sorted(((_common(v), v.claim_id, v) for v in usable if not v.not_reached), key=lambda t: t[:2])
        self.keys = [n for n, _, _ in numbers]
        self.values = [v for _, _, v in numbers]
        self.widest = max([_half_step(v) for v in self.values] + [0.0])

    def near(self, x: ReportedValue) -> list[ReportedValue]:
        """Every value that agrees with ``x``."""
        if x.not_reached or x.value is None:
            return list(self.not_reached) if x.not_reached else []
        centre, reach = _common(x), max(_floor(x.unit), _half_step(x), self.widest) + 1e-9
        lo, hi = bisect_left(self.keys, centre - reach), bisect_right(self.keys, centre + reach)
        return [v for v in self.values[lo:hi] if agrees(x, v)]

    def closest(self, x: ReportedValue) -> ReportedValue | None:
        if x.not_reached or x.value is None or not self.values:
            either = self.not_reached or self.values
            return either[0] if either else None
        at = bisect_left(self.keys, _common(x))
        around = self.values[max(at - 1, 0):at + 1]
        return min(around, key=lambda p: (abs(difference(x, p) or 0.0), p.claim_id))


def _discrepancies(other: Sequence[ReportedValue], peers: Sequence[ReportedValue]) -> tuple[Discrepancy, ...]:
    usable = [p for p in peers if p.value is not None or p.not_reached]
    single = len({(p.not_reached, None if p.value is None else round(_common(p), 6)) for p in usable}) == 1
    by_cut: dict[float | None, list[ReportedValue]] = {}
    for p in usable:
        by_cut.setdefault(p.followup_months, []).append(p)
    indexes: dict[tuple[float | None, ...], _Index] = {}
    found = []
    for reported in other:
        if reported.evidence not in COMPARED or (reported.value is None and not reported.not_reached):
            continue
        mine = reported.followup_months
        cuts = tuple(sorted((c for c in by_cut if _cut_matches(mine, c) or (single and (mine is None or c is None))),
                            key=_or_minus))
        if not cuts:
            continue
        index = indexes.get(cuts) or indexes.setdefault(cuts, _Index(p for c in cuts for p in by_cut[c]))
        closest = index.closest(reported)
        if closest is None or index.near(reported):
            continue
        found.append(Discrepancy(reported, closest, _rounded(difference(reported, closest))))
    return tuple(found)


def _cut_matches(mine: float | None, theirs: float | None) -> bool:
    if mine is None or theirs is None:
        return mine is None and theirs is None
    return abs(mine - theirs) <= SAME_CUT


def _most_reported(values: Sequence[ReportedValue]) -> ReportedValue | None:
    """The value most sources gave at the latest known cut; ties go to the latest published."""
    usable = [v for v in values if v.value is not None or v.not_reached]
    if not usable:
        return None
    latest_cut = max(_or_minus(v.followup_months) for v in usable)
    at_cut = [v for v in usable if _or_minus(v.followup_months) == latest_cut]
    index = _Index(at_cut)
    support = {v.claim_id: sum(w.reports for w in index.near(v)) for v in at_cut}
    return max(at_cut, key=lambda v: (support[v.claim_id], v.published_at or "", v.claim_id))


def _conflicting(peers: Sequence[ReportedValue]) -> bool:
    """Whether two peer-reviewed values of one known cut disagree. Per value, only the farthest
    value of each stated precision can be the one it disagrees with, so this is linear."""
    by_cut: dict[float, list[ReportedValue]] = {}
    for v in peers:
        if v.followup_months is not None and (v.value is not None or v.not_reached):
            by_cut.setdefault(round(v.followup_months / SAME_CUT), []).append(v)
    for group in by_cut.values():
        numbers = [v for v in group if not v.not_reached]
        if numbers and len(numbers) < len(group):
            return True
        extremes: dict[float, tuple[ReportedValue, ReportedValue]] = {}
        for v in numbers:
            low, high = extremes.get(_half_step(v), (v, v))
            extremes[_half_step(v)] = (min(low, v, key=_common), max(high, v, key=_common))
        if any(not agrees(v, far) for v in numbers for pair in extremes.values() for far in pair):
            return True
    return False


def _common(value: ReportedValue) -> float:
    assert value.value is not None
    return in_months(value.value, value.unit) if unit_family(value.unit) == "months" else value.value


def _floor(unit: str) -> float:
    family = unit_family(unit)
    return RATE_FLOOR if family == "%" else DURATION_FLOOR if family == "months" else 0.0


def _half_step(value: ReportedValue) -> float:
    """Half of the last stated digit, in the common unit: 98 → 0.5, 97.9 → 0.05, 2.9 y → 0.6 mo."""
    assert value.value is not None
    step = 0.5 * 10.0 ** -decimals(value.value)
    return in_months(step, value.unit) if unit_family(value.unit) == "months" else step


def decimals(number: float) -> int:
    """Digits stated after the decimal point, read from the shortest repr (98.0 → 0, 97.9 → 1)."""
    text = repr(float(number))
    if "e" in text or "n" in text:
        return 2
    fraction = text.partition(".")[2].rstrip("0")
    return min(len(fraction), 3)


def _rounded(delta: float | None) -> float | None:
    return None if delta is None else round(delta, 3)


def _or_minus(number: float | None) -> float:
    return -1.0 if number is None else number
