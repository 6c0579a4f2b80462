"""Schedules from config.toml, and the scheduler that runs one job per source.

A schedule is ``"every 30m"`` / ``"every 6h"`` / ``"every 1d"`` or a five-field cron expression
(``"0 6 * * *"``, UTC). Each job has ``max_instances=1`` (a source never runs twice at once) and
``coalesce=True`` (runs missed while the process was down or busy collapse into one).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

INTERVAL = re.compile(r"^every\s+(\d+)\s*(s|m|h|d)$", re.I)
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_schedule(text: str) -> BaseTrigger:
    """Turn a schedule string into an APScheduler trigger, or raise ValueError saying why."""
    text = text.strip()
    match = INTERVAL.match(text)
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        delta = timedelta(**{UNITS[unit]: amount})
        if delta < timedelta(minutes=1):
            raise ValueError(f"schedule {text!r} is more often than once a minute")
        return IntervalTrigger(seconds=int(delta.total_seconds()), timezone=UTC)
    if len(text.split()) == 5:
        try:
            return CronTrigger.from_crontab(text, timezone=UTC)
        except ValueError as exc:
            raise ValueError(f"bad cron expression {text!r}: {exc}") from exc
    raise ValueError(f"bad schedule {text!r}: use 'every 30m', 'every 6h', 'every 1d' or a 5-field cron expression")


def build_scheduler(jobs: Iterable[tuple[str, str, Callable[[], object]]], *,
                    start_at: datetime | None = None) -> BackgroundScheduler:
    """One job per (source name, schedule, callable); the scheduler is returned unstarted.

    Interval sources also run once at ``start_at`` (when given), so a fresh start shows data
    without waiting a whole interval; conditional requests make that first run cheap.
    """
    scheduler = BackgroundScheduler(timezone=UTC)
    for name, schedule, job in jobs:
        trigger = parse_schedule(schedule)
        first = start_at if start_at is not None and isinstance(trigger, IntervalTrigger) else None
        scheduler.add_job(job, trigger, id=name, name=name, max_instances=1, coalesce=True,
                          misfire_grace_time=3600, replace_existing=True,
                          **({"next_run_time": first} if first else {}))
    return scheduler
