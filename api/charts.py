"""Geometry for the dashboard's server-rendered SVG: lean bars, metric charts, timelines.

Only numbers and labels are computed here; the templates draw them, with Jinja's autoescaping
on every text and attribute, so no article-derived string is ever written unescaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from analysis.model.metrics import in_months, metric_label, unit_family
from analysis.model.results import DayCount, Distribution, MetricSummary, ReportedValue

LEAN_SHORT = {"Left": "L", "Lean Left": "LL", "Center": "C", "Lean Right": "LR", "Right": "R", "unrated": "?"}
LEAN_CSS = {"Left": "left", "Lean Left": "lean-left", "Center": "center", "Lean Right": "lean-right",
            "Right": "right", "unrated": "unrated"}
EVIDENCE_OFFSET = {"peer_reviewed": -0.22, "preprint": -0.11, "conference_abstract": 0.0, "press_release": 0.0,
                   "registry_results": 0.11, "news": 0.22}
BAR_WIDTH = 600
CHART_W, CHART_H = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
JITTER = 9.0  # px between dots of one trial and evidence class
# Bounds of one chart: the trials with the most values, the newest values per trial and evidence.
MAX_CHARTS, MAX_TRIALS, PER_COLUMN = 10, 8, 4
LABEL_CHAR = 6.5  # px per character of an 11 px value label


@dataclass(frozen=True, slots=True)
class Segment:
    label: str
    count: int
    percent: float  # of rated outlets (unrated: of all)
    x: float
    width: float
    css: str
    text: str  # shown inside the segment when it fits
    title: str


def lean_segments(lean: Distribution, *, width: float = BAR_WIDTH) -> list[Segment]:
    """Left → Right, each as wide as its share of the RATED outlets, so a segment's width is the
    percentage written on it; unrated outlets are not in the bar (the legend counts them). With
    no rated outlet at all, one grey segment says how many outlets are unrated."""
    if lean.rated == 0:
        if lean.unrated == 0:
            return []
        noun = "outlet" if lean.unrated == 1 else "outlets"
        return [Segment("unrated", lean.unrated, 100.0, 0.0, float(width), LEAN_CSS["unrated"],
                        f"{lean.unrated} {noun}, none rated", f"unrated: {lean.unrated} {noun} (no rating)")]
    segments, x = [], 0.0
    for b in lean.buckets:
        if b.count == 0:
            continue
        size = width * b.count / lean.rated
        text = f"{LEAN_SHORT[b.label]} {b.percent:g}%"
        noun = "outlet" if b.count == 1 else "outlets"
        segments.append(Segment(b.label, b.count, b.percent, round(x, 2), round(size, 2), LEAN_CSS[b.label],
                                text if size >= 9 * len(text) else "", f"{b.label}: {b.count} {noun} ({b.percent:g}% of rated)"))
        x += size
    return segments


@dataclass(frozen=True, slots=True)
class Point:
    cx: float
    cy: float
    css: str
    not_reached: bool
    title: str
    label: str = ""  # the value written beside the dot ("" when an equal value already says it)
    label_dy: float = 0.0  # moved up or down so two labels never overlap


@dataclass(frozen=True, slots=True)
class Tick:
    at: float
    text: str
    row: int = 0  # x labels alternate between two rows when the trials' names would touch


@dataclass(frozen=True, slots=True)
class MetricChart:
    title: str
    unit: str
    width: int
    height: int
    points: tuple[Point, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    plot: tuple[int, int, int, int]  # left, top, right, bottom
    omitted: int = 0  # values of this metric not drawn (older, or of trials beyond MAX_TRIALS)


def metric_charts(summaries: Sequence[MetricSummary], *, max_charts: int = MAX_CHARTS) -> list[MetricChart]:
    """One chart per metric (and timepoint): its values by trial, one dot per source value. The
    ``max_charts`` metrics with the most values are drawn, each bounded (see ``_chart``), so a
    page stays small on any database; every value stays in the CSV and the API."""
    charts: dict[tuple[str, float, str], list[MetricSummary]] = {}
    for s in summaries:
        key = (s.metric, -1.0 if s.timepoint_months is None else s.timepoint_months, s.unit)
        charts.setdefault(key, []).append(s)
    biggest = sorted(charts, key=lambda k: -sum(len(s.peer_reviewed) + len(s.preprints) + len(s.other)
                                                for s in charts[k]))[:max_charts]
    return [_chart(charts[key]) for key in sorted(biggest)]


def _chart(group: list[MetricSummary]) -> MetricChart:
    first = group[0]
    unit = unit_family(first.unit)
    all_values = [v for s in group for v in (*s.peer_reviewed, *s.preprints, *s.other)]
    per_trial: dict[str, int] = {}
    for v in all_values:
        per_trial[v.trial or "unknown trial"] = per_trial.get(v.trial or "unknown trial", 0) + 1
    kept = set(sorted(per_trial, key=lambda t: (-per_trial[t], t))[:MAX_TRIALS])
    values = _newest_per_column([v for v in all_values if (v.trial or "unknown trial") in kept])
    numbers = [_plotted(v) for v in values if v.value is not None]
    # The axis fits the data (a 4.1% CRS rate is not squashed under a 0-100 axis), capped at 100%.
    top = nice_ceiling(max([*numbers, 0.1]) * 1.15)
    top = min(top, 100.0) if unit == "%" else top
    trials = sorted(kept)
    slot = (CHART_W - LEFT - RIGHT) / len(trials)

    def y_of(number: float) -> float:
        return round(CHART_H - BOTTOM - (CHART_H - TOP - BOTTOM) * min(number, top) / top, 2)

    shown = [v for v in values if v.value is not None or v.not_reached]
    columns: dict[tuple[str, str], list[ReportedValue]] = {}
    for v in shown:
        columns.setdefault((v.trial or "unknown trial", v.evidence), []).append(v)
    points: list[Point] = []
    for (trial, evidence), column in sorted(columns.items()):
        centre = LEFT + slot * (trials.index(trial) + 0.5 + EVIDENCE_OFFSET.get(evidence, 0.0))
        spread = min(JITTER, slot * 0.2 / max(len(column), 1))
        said: set[str] = set()
        for k, v in enumerate(column):
            cx = round(centre + (k - (len(column) - 1) / 2) * spread, 2)
            cy = float(TOP) if v.not_reached else y_of(_plotted(v))
            label = "" if v.not_reached or _value_label(v, unit) in said else _value_label(v, unit)
            said.add(label)
            points.append(Point(cx, cy, evidence.replace("_", "-"), v.not_reached, _tooltip(v), label))
    points = _place_labels(points)
    when = f"{first.timepoint_months:g}-month " if first.timepoint_months is not None else ""
    crowded = any(len(t) * 6.5 > slot for t in trials)
    suffix = "%" if unit == "%" else ""
    return MetricChart(
        title=f"{when}{metric_label(first.metric)} ({'percent' if unit == '%' else unit})", unit=unit, width=CHART_W,
        height=CHART_H, points=tuple(points),
        y_ticks=tuple(Tick(y_of(top * i / 4), f"{top * i / 4:.3g}{suffix}") for i in range(5)),
        x_ticks=tuple(Tick(round(LEFT + slot * (i + 0.5), 2), t, i % 2 if crowded else 0) for i, t in enumerate(trials)),
        plot=(LEFT, TOP, CHART_W - RIGHT, CHART_H - BOTTOM), omitted=len(all_values) - len(values))


def _place_labels(points: list[Point]) -> list[Point]:
    """Each value label beside its dot, moved up or down a row when it would cover another label
    or dot; dropped when every nearby row is taken (the dot's tooltip still has the value)."""
    boxes = [(p.cx - 5, p.cy - 5, 10.0, 10.0) for p in points]  # every dot (r = 5) is an obstacle
    placed = []
    for p in points:
        width = len(p.label) * LABEL_CHAR
        free = next((dy for dy in (0.0, -12.0, 12.0, -24.0, 24.0) if p.label
                     and 11 <= p.cy + 4 + dy <= CHART_H - BOTTOM - 2 and p.cx + 8 + width <= CHART_W
                     and not any(_overlap(_label_box(p, dy, width), box) for box in boxes)), None)
        if free is not None:
            boxes.append(_label_box(p, free, width))
        placed.append(replace(p, label=p.label if free is not None else "", label_dy=free or 0.0))
    return placed


def _label_box(p: Point, dy: float, width: float) -> tuple[float, float, float, float]:
    """The box an 11 px label covers: its baseline is at cy + 4 + dy, digits rise ~9 px above it."""
    return (p.cx + 8, p.cy + 4 + dy - 9, width, 10.0)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _newest_per_column(values: list[ReportedValue]) -> list[ReportedValue]:
    columns: dict[tuple[str | None, str], list[ReportedValue]] = {}
    for v in values:
        columns.setdefault((v.trial, v.evidence), []).append(v)
    return [v for column in columns.values()
            for v in sorted(column, key=lambda v: (v.published_at or "", v.claim_id), reverse=True)[:PER_COLUMN]]


def nice_ceiling(number: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above ``number`` (axis tops: 5, 10, 25, 50...)."""
    power = 10.0 ** math.floor(math.log10(number))
    return next(step * power for step in (1.0, 2.0, 2.5, 5.0, 10.0) if step * power >= number - 1e-12)


def _value_label(v: ReportedValue, unit: str) -> str:
    number = _plotted(v)
    return f"{number:g}%" if unit == "%" else f"{number:.3g}"


def _plotted(v: ReportedValue) -> float:
    assert v.value is not None
    return in_months(v.value, v.unit) if unit_family(v.unit) == "months" else v.value


def _tooltip(v: ReportedValue) -> str:
    amount = "not reached" if v.not_reached else f"{v.value:g} {v.unit}"
    cut = f", follow-up {v.followup_months:g} mo" if v.followup_months is not None else ", cut not stated"
    times = f" ×{v.reports}" if v.reports > 1 else ""
    return f"{v.outlet_domain} ({v.evidence.replace('_', ' ')}){times}: {amount}{cut}, {(v.published_at or '')[:10]}"


@dataclass(frozen=True, slots=True)
class DayBar:
    x: float
    y: float
    width: float
    height: float
    title: str
    label: str


def timeline_bars(days: Sequence[DayCount], *, width: int = 600, height: int = 80) -> list[DayBar]:
    """One bar per day with coverage, as tall as its article count."""
    if not days:
        return []
    most = max(d.articles for d in days)
    step = width / len(days)
    return [DayBar(round(i * step + 2, 2), round(height - 16 - (height - 20) * d.articles / most, 2),
                   round(max(step - 4, 1), 2), round((height - 20) * d.articles / most, 2),
                   f"{d.day}: {d.articles} articles from {d.outlets} outlets", d.day[5:])
            for i, d in enumerate(days)]
