"""Query-parameter parsing shared by the routes: bad input becomes a 422 naming the parameter."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi import HTTPException

RELATIVE = re.compile(r"^(\d{1,5})\s*(h|d|w)$")


class BadParameter(HTTPException):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(status_code=422, detail=f"query parameter {name!r}: {message}")


def parse_instant(name: str, value: str | None, *, now: datetime | None = None) -> str | None:
    """Accept ``2026-11-01``, ``2026-11-01T06:00:00Z`` or a relative ``24h`` / ``7d`` / ``2w``."""
    if value is None or value == "":
        return None
    value = value.strip()
    match = RELATIVE.match(value)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        delta = {"h": timedelta(hours=amount), "d": timedelta(days=amount), "w": timedelta(weeks=amount)}[unit]
        moment = (now or datetime.now(UTC)) - delta
    else:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise BadParameter(name, f"{value!r} is not a date (2026-11-01), a UTC time "
                                     "(2026-11-01T06:00:00Z) or a relative time (24h, 7d)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
