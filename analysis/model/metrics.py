"""The outcome metric codes claims carry, their readable names, looking a code up, and the units
of their figures (a duration in months, the family a unit belongs to).

Codes (``CRS_GRADE3PLUS``) are the API's vocabulary; people read the labels ("CRS grade ≥3").
Lookup ignores case, so ``orr`` and ``ORR`` name the same metric; ``sCR`` stays distinct from
nothing else once folded, so folding is unambiguous.
"""

from __future__ import annotations

from functools import lru_cache

from analysis.model import SAFETY_METRICS, Metric

MONTHS_PER = {"months": 1.0, "month": 1.0, "years": 12.0, "year": 12.0,
              "weeks": 12 / 52, "week": 12 / 52, "days": 12 / 365.25, "day": 12 / 365.25}

# Short names for pages and messages; the codes themselves are ``analysis.model.Metric``.
METRIC_LABELS: dict[str, str] = {
    "ORR": "Overall response rate",
    "CR": "Complete response rate",
    "sCR": "Stringent complete response rate",
    "VGPR": "Very good partial response or better",
    "MRD_NEG": "MRD negativity",
    "REMISSION_RATE": "Remission rate",
    "DOR_MEDIAN": "Median duration of response",
    "PFS_MEDIAN": "Median progression-free survival",
    "PFS_RATE": "Progression-free survival",
    "EFS_MEDIAN": "Median event-free survival",
    "EFS_RATE": "Event-free survival",
    "OS_MEDIAN": "Median overall survival",
    "OS_RATE": "Overall survival",
    "N_PATIENTS": "Patients treated",
    "FOLLOWUP_MEDIAN": "Median follow-up",
    "CRS_ANY": "CRS (any grade)",
    "CRS_GRADE3PLUS": "CRS grade ≥3",
    "ICANS_ANY": "ICANS (any grade)",
    "ICANS_GRADE3PLUS": "ICANS grade ≥3",
}
METRICS: tuple[str, ...] = tuple(m.value for m in Metric)
assert set(METRIC_LABELS) == set(METRICS), "every metric code has one short name"
__all__ = ["METRICS", "METRIC_LABELS", "SAFETY_METRICS", "resolve_metric", "metric_label"]
_BY_FOLDED = {code.casefold(): code for code in METRICS}
assert len(_BY_FOLDED) == len(METRICS), "two metric codes differ only by case"


def resolve_metric(text: str) -> str | None:
    """The metric code for ``text`` in any case (``orr`` → ``ORR``), else None."""
    return _BY_FOLDED.get(text.strip().casefold())


def metric_label(code: str) -> str:
    """A readable name; an unknown code is shown as given rather than hidden."""
    return METRIC_LABELS.get(code, code)


def amount_text(value: float | None, unit: str, *, not_reached: bool = False) -> str:
    """``97.9%``, ``34.5 months``, ``not reached``."""
    if not_reached:
        return "not reached"
    if value is None:
        return "(no value)"
    return f"{value:g}%" if unit == "%" else f"{value:g} {unit}"


def figure_text(metric: str, value: float | None, unit: str, *, not_reached: bool = False,
                timepoint_months: float | None = None) -> str:
    """``12-month Progression-free survival 75.9%``: a claim's figure in words."""
    timepoint = f"{timepoint_months:g}-month " if timepoint_months is not None else ""
    return f"{timepoint}{metric_label(metric)} {amount_text(value, unit, not_reached=not_reached)}"


def difference_text(delta: float | None, unit_family: str) -> str:
    """A signed difference with its unit: ``−8.9 percentage points``, ``+2 months``."""
    if delta is None:
        return "one side not reached"
    unit = {"%": "percentage points", "months": "months"}.get(unit_family, unit_family)
    sign = "−" if delta < 0 else "+"
    return f"{sign}{abs(delta):g} {unit}".rstrip()


@lru_cache(maxsize=256)
def unit_family(unit: str) -> str:
    """"%" for rates, "months" for any duration, else the unit itself."""
    return "months" if unit.lower() in MONTHS_PER else unit


def in_months(value: float, unit: str) -> float:
    return value * MONTHS_PER.get(unit.lower(), 1.0)
