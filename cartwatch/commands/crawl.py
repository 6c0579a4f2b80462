"""Wiring for a crawl: open the store and the fetcher, run the chosen sources, record the run.

Used by ``cartwatch crawl --once`` and by each scheduled job of ``cartwatch run``. Every source
has its own database connection; sources of one process share one ``Fetcher`` (per-host limits
hold across them).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated

import httpx
import typer
from apscheduler.schedulers.background import BackgroundScheduler
from rich.console import Console
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as ProgressBars
from rich.table import Table

from cartwatch.config import AppConfig, ConfigError, build_source
from cartwatch.context import config as load_app_config
from cartwatch.context import console, err_console
from cartwatch.context import logger as cli_logger
from cartwatch.schedule import next_runs
from crawler.config import SourceConfig
from crawler.fetch import Fetcher
from crawler.pipeline import RunReport, run_source
from crawler.revalidation import RevalidationPolicy
from service import outlets, runs
from service.crawl_log import CrawlLog
from service.db import open_store
from service.outlets import OutletRegistry

Progress = Callable[[str, RunReport], None]
logger = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def outlet_registry(config: AppConfig) -> OutletRegistry:
    """The shipped outlet facts with the user's ``[outlets."domain"]`` overrides on top."""
    return outlets.outlet_registry(config.outlets)


def selected_sources(config: AppConfig, names: Sequence[str] | None) -> list[SourceConfig]:
    if names:
        return [config.source(name) for name in names]
    return [s for s in config.sources if s.enabled]


def prepare_database(config: AppConfig) -> None:
    """Once per process, before any crawl or scheduled job: apply migrations, mirror the
    configured sources and outlets, and mark runs whose process died as interrupted."""
    runs.prepare_database(config.database, ((s.name, s.kind, s.url) for s in config.sources),
                          outlet_registry(config))


def source_last_runs(config: AppConfig) -> dict[str, datetime | None]:
    return runs.source_last_runs(config.database)


def record_next_runs(config: AppConfig, scheduler: BackgroundScheduler) -> None:
    """Write each source's next scheduled run where /crawl/status reads it."""
    runs.record_next_runs(config.database, next_runs(scheduler))


def scheduled_crawl(config: AppConfig, name: str, *, fetcher: Fetcher, stop: threading.Event) -> None:
    """One scheduled job of ``cartwatch run``: the database is prepared and the fetcher shared."""
    try:
        for r in crawl(config, names=[name], trigger="schedule", stop=stop, fetcher=fetcher, prepared=True):
            logger.info("%s: %s new=%d updated=%d skipped=%d errors=%d%s", r.source_name, r.status, r.new,
                        r.updated, sum(r.skipped.values()), r.errors, f" ({r.source_error})" if r.source_error else "")
    except Exception:  # the scheduler would swallow it: say it loudly (the run is recorded failed)
        logger.exception("scheduled crawl of %s failed", name)


@contextmanager
def _fetcher(config: AppConfig, shared: Fetcher | None, transport: httpx.BaseTransport | None) -> Iterator[Fetcher]:
    """The process's shared fetcher (per-host limits then hold across runs), or one for this crawl."""
    if shared is not None:
        yield shared
        return
    with Fetcher(config.crawler, transport=transport) as own:
        yield own


def crawl(
    config: AppConfig, *, names: Sequence[str] | None = None, trigger: str = "manual",
    progress: Progress | None = None, stop: threading.Event | None = None,
    transport: httpx.BaseTransport | None = None, now: datetime | None = None,
    fetcher: Fetcher | None = None, prepared: bool = False,
) -> list[RunReport]:
    """Crawl the chosen sources once, up to ``crawler.source_concurrency`` of them at a time.

    They share one ``Fetcher``, so per-host limits hold across sources, and each has its own
    database connection; a source stalled on a slow host holds only its own thread.
    ``prepared``: ``prepare_database`` already ran in this process (``cartwatch run``).
    """
    sources = selected_sources(config, names)
    if not prepared:
        prepare_database(config)
    registry = outlet_registry(config)
    stop = stop or threading.Event()
    run = runs.RunRecord(config.database, trigger=trigger, now=now or utc_now(), pid=os.getpid())
    try:
        run_id = run.run_id
        try:
            with _fetcher(config, fetcher, transport) as shared, \
                    ThreadPoolExecutor(config.crawler.source_concurrency, thread_name_prefix="source") as pool:
                futures = [pool.submit(_crawl_source, config, source, fetcher=shared, registry=registry,
                                       run_id=run_id, now=now, stop=stop, progress=progress) for source in sources]
                try:
                    reports = [r for r in (f.result() for f in futures) if r is not None]
                except BaseException:
                    # Ctrl-C or a source's failure: sources not started yet never start, running
                    # ones stop after their current item (the pool waits for them on exit).
                    stop.set()
                    for future in futures:
                        future.cancel()
                    raise
        except BaseException as exc:
            # Recorded, then raised on: a database locked past its timeout, a full disk, Ctrl-C.
            run.finish(now=now or utc_now(),
                       status="interrupted" if isinstance(exc, KeyboardInterrupt) else "failed")
            raise
        run.finish(now=now or utc_now(), status="failed" if any(r.status == "failed" for r in reports) else "ok")
    finally:
        run.close()
    return reports


def _crawl_source(config: AppConfig, source: SourceConfig, *, fetcher: Fetcher, registry: OutletRegistry,
                  run_id: int, now: datetime | None, stop: threading.Event,
                  progress: Progress | None) -> RunReport | None:
    if stop.is_set():
        return None
    store = open_store(config.database)
    try:
        started = now or utc_now()
        return run_source(
            build_source(source), name=source.name, fetcher=fetcher, registry=registry,
            log=CrawlLog(store, source_name=source.name, run_id=run_id, now=started),
            now=started, concurrency=config.crawler.concurrency, stop=stop,
            progress=(lambda r: progress(source.name, r)) if progress else None,
            clock=(lambda: now) if now else utc_now,
            revalidation=RevalidationPolicy(config.crawler.revalidate_daily_days, config.crawler.revalidate_until_days,
                                            config.crawler.max_revalidations),
            max_items=config.crawler.max_items_per_run,
        )
    finally:
        store.close()


# --- the command ---------------------------------------------------------------------------

def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl_command)


def crawl_command(
    once: Annotated[bool, typer.Option("--once", help="crawl every (or the named) source once and exit")] = False,
    source: Annotated[list[str] | None, typer.Option("--source", help="only this source (repeatable)")] = None,
) -> None:
    """Crawl sources once, then print a summary table."""
    if not once:
        err_console.print("crawl runs once and exits: pass --once (scheduled crawling is `cartwatch run`)")
        raise typer.Exit(2)
    cfg = load_app_config()
    try:
        names = [cfg.source(n).name for n in source] if source else None
    except ConfigError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        reports = _crawl_with_progress(cfg, names, stop) if console.is_terminal else _crawl_logged(cfg, names, stop)
    except KeyboardInterrupt:
        err_console.print("interrupted; every article saved so far is complete")
        raise typer.Exit(130) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    # Off a terminal (logs, cron mail) nothing may be cut off: give the table room to breathe.
    (console if console.is_terminal else Console(width=200)).print(summary_table(reports))
    raise typer.Exit(1 if any(r.status == "failed" for r in reports) else 0)


def _crawl_logged(cfg: AppConfig, names: list[str] | None, stop: threading.Event) -> list[RunReport]:
    reports = crawl(cfg, names=names, trigger="cli", stop=stop)
    for r in reports:
        cli_logger.info("%s: %s fetched=%d new=%d updated=%d skipped=%d errors=%d%s", r.source_name, r.status,
                    r.fetched, r.new, r.updated, sum(r.skipped.values()), r.errors,
                    f" ({r.source_error})" if r.source_error else "")
    return reports


def _crawl_with_progress(cfg: AppConfig, names: list[str] | None, stop: threading.Event) -> list[RunReport]:
    columns = (TextColumn("[bold]{task.description}"), BarColumn(bar_width=None),
               TextColumn("{task.fields[counts]}"), TimeElapsedColumn())
    with ProgressBars(*columns, console=console, transient=False) as progress:
        tasks = {s.name: progress.add_task(s.name, total=None, counts="waiting")
                 for s in selected_sources(cfg, names)}

        def update(name: str, report: RunReport) -> None:
            progress.update(tasks[name], counts=f"new {report.new} · updated {report.updated} · "
                            f"skipped {sum(report.skipped.values())} · errors {report.errors}")

        reports = crawl(cfg, names=names, trigger="cli", progress=update, stop=stop)
        for report in reports:
            progress.update(tasks[report.source_name], total=1, completed=1)
    return reports


def summary_table(reports: list[RunReport]) -> Table:
    table = Table(title="crawl summary")
    for column in ("source", "status", "fetched", "new", "updated", "unchanged", "skipped", "errors"):
        table.add_column(column, justify="left" if column in ("source", "status") else "right")
    table.add_column("note", overflow="fold")
    for r in reports:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(r.skipped.items()))
        note = r.source_error or reasons
        table.add_row(r.source_name, r.status, str(r.fetched), str(r.new), str(r.updated), str(r.unchanged),
                      str(sum(r.skipped.values())), str(r.errors), note)
    return table
