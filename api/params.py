"""Query-parameter parsing shared by the routes: bad input becomes a 422 naming the parameter.

Enumerated parameters are ``Literal`` types, so FastAPI rejects other values with a 422 that the
app's handler phrases as ``query parameter 'lean': …``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal

from fastapi import HTTPException, Request

from analysis.model import EvidenceLevel
from analysis.model.metrics import METRICS, resolve_metric
from service.names import canonical_product, canonical_trial
from service.windows import ordered_window, to_instant

MAX_ID = 2**63 - 1

Format = Literal["json", "csv"]
DigestFormat = Literal["json", "markdown", "text"]
Rater = Literal["allsides", "mbfc", "adfontes", "user"]
Lean = Literal["left", "lean-left", "center", "lean-right", "right", "unrated"]
Blindspot = Literal["left", "right", "any"]
CompareBy = Literal["therapy", "month", "source_type"]
Evidence = EvidenceLevel  # the one vocabulary, analysis.model
SourceType = Literal["general news", "health/medical trade press", "peer-reviewed journal",
                     "preprint server", "press release wire", "manufacturer/company",
                     "government/regulator", "academic/hospital news office", "patient advocacy",
                     "aggregator", "professional society"]


class BadParameter(HTTPException):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(status_code=422, detail=f"query parameter {name!r}: {message}")


def parse_instant(name: str, value: str | None, *, now: datetime | None = None) -> str | None:
    """``to_instant`` for a query parameter: empty means unset, a bad value is a 422."""
    if value is None or value == "":
        return None
    try:
        return to_instant(value, now=now)
    except ValueError as exc:
        raise BadParameter(name, str(exc)) from None


def clock(request: Request) -> datetime:
    """The app's notion of now (tests pin it)."""
    now: Callable[[], datetime] = request.app.state.clock
    return now()


def window(request: Request, since: str | None, until: str | None) -> tuple[str | None, str | None]:
    now = clock(request)
    begin, end = parse_instant("since", since, now=now), parse_instant("until", until, now=now)
    return checked_window(begin, end)


def checked_window(begin: str | None, end: str | None) -> tuple[str | None, str | None]:
    """A window whose end is not after its start is a 422, not an empty answer: ``--since 7d
    --until 30d`` is a mistake (the two swapped), and saying so beats showing nothing."""
    try:
        return ordered_window(begin, end)
    except ValueError as exc:
        raise BadParameter("until", str(exc)) from None


def optional_choice(name: str, value: str | None, choices: tuple[str, ...]) -> str | None:
    """For HTML forms, whose "any" option submits an empty value: "" is None, else one of ``choices``."""
    if not value:
        return None
    if value not in choices:
        raise BadParameter(name, f"one of {', '.join(choices)} (got {value[:60]!r})")
    return value


def check_id(kind: str, value: int) -> int:
    """Ids outside SQLite's integer range cannot exist: a 404, never an overflow."""
    if not 0 < value <= MAX_ID:
        raise HTTPException(404, f"no {kind} with id {value}")
    return value


def therapy_param(value: str | None) -> str | None:
    """Any alias of a product → its canonical name; an unknown name stays as given (no match)."""
    if not value:
        return None
    return canonical_product(value) or value


def trial_param(value: str | None) -> str | None:
    if not value:
        return None
    return canonical_trial(value) or value


def metric_param(value: str | None) -> str | None:
    if not value:
        return None
    code = resolve_metric(value)
    if code is None:
        # An unknown code would answer an empty 200, indistinguishable from "no such claims yet".
        raise BadParameter("metric", f"unknown metric {value[:40]!r}; one of {', '.join(METRICS)} (any case)")
    return code
