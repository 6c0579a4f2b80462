"""Schedules from config.toml, and the scheduler that runs one job per source.

A schedule is ``"every 30m"`` / ``"every 6h"`` / ``"every 1d"`` or a five-field cron expression
(``"0 6 * * *"``, UTC). Each job has ``max_instances=1`` (a source never runs twice at once) and
``coalesce=True`` (runs missed while the process was down or busy collapse into one).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, timedelta

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


def build_scheduler(jobs: Iterable[tuple[str, str, Callable[[], object]]]) -> BackgroundScheduler:
    """One job per (source name, schedule, callable); the scheduler is returned unstarted."""
    scheduler = BackgroundScheduler(timezone=UTC)
    for name, schedule, job in jobs:
        scheduler.add_job(job, parse_schedule(schedule), id=name, name=name, max_instances=1,
                          coalesce=True, misfire_grace_time=3600, replace_existing=True)
    return scheduler
