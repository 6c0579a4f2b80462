"""Time windows as the API's ``since``/``until`` and the CLI's ``--since``/``--until`` take them:
a date, a UTC time or a relative ``24h`` / ``7d`` / ``2w``, always turned into one UTC form."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

RELATIVE = re.compile(r"^(\d{1,5})\s*(h|d|w)$")


def to_instant(value: str, *, now: datetime | None = None) -> str:
    """``2026-11-01``, ``2026-11-01T06:00:00Z`` or a relative ``24h`` / ``7d`` / ``2w`` → UTC
    ``YYYY-MM-DDTHH:MM:SSZ``; anything else is a ``ValueError`` phrased for the user."""
    value = value.strip()
    match = RELATIVE.match(value)
    try:
        if match:
            amount, unit = int(match.group(1)), match.group(2)
            delta = {"h": timedelta(hours=amount), "d": timedelta(days=amount), "w": timedelta(weeks=amount)}[unit]
            moment = (now or datetime.now(UTC)) - delta
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"{value[:60]!r} is not a date (2026-11-01), a UTC time "
                         "(2026-11-01T06:00:00Z) or a relative time (24h, 7d)") from None
    return f"{moment.year:04d}-{moment:%m-%dT%H:%M:%SZ}"


def ordered_window(begin: str | None, end: str | None) -> tuple[str | None, str | None]:
    """``(begin, end)`` unchanged, or a ``ValueError`` when both are set and ``end <= begin``."""
    if begin and end and end <= begin:
        raise ValueError(f"the window ends ({end}) before it starts ({begin}); swap since and until?")
    return begin, end
