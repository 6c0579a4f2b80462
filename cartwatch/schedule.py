"""Schedules from config.toml, and the scheduler that runs one job per source.

A schedule is ``"every 30m"`` / ``"every 6h"`` / ``"every 1d"`` or a five-field cron expression
(``"0 6 * * *"``, UTC). Each job has ``max_instances=1`` (a source never runs twice at once) and
``coalesce=True`` (runs missed while the process was busy collapse into one). Run state lives in
SQLite, so on start a source that never ran, or whose run fell due while the process was
stopped, runs at once; every other source keeps its schedule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
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


@dataclass(frozen=True, slots=True)
class ScheduledSource:
    name: str
    schedule: str
    job: Callable[[], object]
    last_run_at: datetime | None = None  # from the database: run state survives restarts


def next_fire_after(trigger: BaseTrigger, moment: datetime) -> datetime:
    """The schedule's first run after ``moment``."""
    if isinstance(trigger, IntervalTrigger):
        interval: timedelta = trigger.interval
        return moment + interval
    fire: datetime | None = trigger.get_next_fire_time(None, moment + timedelta(seconds=1))
    if fire is None:
        raise ValueError(f"schedule {trigger} never fires after {moment.isoformat()}")
    return fire


def first_run_at(trigger: BaseTrigger, last_run_at: datetime | None, now: datetime) -> datetime:
    """When a source runs first after a (re)start: now if it never ran, or if a run fell due
    while the process was stopped (a literature source due at 03:30 while we were down); else
    at its next scheduled time."""
    if last_run_at is None:
        return now
    due = next_fire_after(trigger, last_run_at)
    return now if due <= now else due


def build_scheduler(sources: Iterable[ScheduledSource], *, now: datetime,
                    max_concurrent: int = 4) -> BackgroundScheduler:
    """One job per source; the scheduler is returned unstarted.

    At most ``max_concurrent`` jobs run at once (the crawler's ``source_concurrency``); each job
    has ``max_instances=1`` and ``coalesce=True``, and its first run follows ``first_run_at``.
    """
    scheduler = BackgroundScheduler(timezone=UTC, executors={"default": ThreadPoolExecutor(max_concurrent)})
    for source in sources:
        trigger = parse_schedule(source.schedule)
        scheduler.add_job(source.job, trigger, id=source.name, name=source.name, max_instances=1, coalesce=True,
                          misfire_grace_time=3600, replace_existing=True,
                          next_run_time=first_run_at(trigger, source.last_run_at, now))
    return scheduler


def next_runs(scheduler: BackgroundScheduler) -> dict[str, datetime | None]:
    """Each job's next run, in UTC (None: paused)."""
    return {job.id: job.next_run_time.astimezone(UTC) if job.next_run_time else None
            for job in scheduler.get_jobs()}
