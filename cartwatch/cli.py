"""The ``cartwatch`` command: run | crawl | serve | db (and more as the tool grows).

Config comes from ``--config PATH`` or ``CARTWATCH_CONFIG`` (default ``config.toml``), read once
per command. A config problem prints one line naming the key and exits with code 2.
"""

from __future__ import annotations

import logging
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from cartwatch.alerts_cmd import register as register_alerts
from cartwatch.bias_cmd import register as register_bias
from cartwatch.claims_cmd import claims_app
from cartwatch.config import AppConfig, ConfigError, load_config
from cartwatch.digest_cmd import register as register_digest
from cartwatch.page_cmd import page_app
from cartwatch.sources_cmd import sources_app
from crawler.pipeline import RunReport
from store.db import StoreError, describe

console = Console()
err_console = Console(stderr=True)
logger = logging.getLogger("cartwatch")


class OneLineErrors(TyperGroup):
    """Bad input never ends in a traceback: a database that cannot be used (``StoreError``,
    already phrased) or an SQLite failure outside a transaction becomes one line and exit 2."""

    # TyperGroup.invoke is typed with typer's vendored click Context (typer._click, which typer
    # asks applications not to import); typer.Context subclasses it.
    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except StoreError as exc:
            err_console.print(f"[bold red]database error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except sqlite3.Error as exc:
            path = State.loaded.database.path if State.loaded else "database"
            err_console.print(f"[bold red]database error:[/] {describe(path, exc)}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None


app = typer.Typer(help="Watch the world's coverage of CAR T-cell therapy outcomes.", no_args_is_help=True,
                  pretty_exceptions_enable=False, cls=OneLineErrors)
db_app = typer.Typer(help="Database maintenance and statistics.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(claims_app, name="claims")
app.add_typer(sources_app, name="sources")
app.add_typer(page_app, name="page")
bias_app = typer.Typer(help="Compare the lean, factuality and source types of coverage.", no_args_is_help=True)
app.add_typer(bias_app, name="bias")



class State:
    config_path: Path = Path("config.toml")
    loaded: AppConfig | None = None


def config() -> AppConfig:
    try:
        State.loaded = load_config(State.config_path)
        return State.loaded
    except ConfigError as exc:
        err_console.print(f"[bold red]config error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


@app.callback()
def main(
    config_path: Annotated[Path, typer.Option("--config", envvar="CARTWATCH_CONFIG", help="config.toml to use")]
    = Path("config.toml"),
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="debug logging")] = False,
) -> None:
    State.config_path = config_path
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "trafilatura", "apscheduler.executors.default"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


register_digest(app, lambda: config())
register_bias(bias_app, lambda: config())
register_alerts(app, lambda: config())


# --- crawl ---------------------------------------------------------------------------------

@app.command()
def crawl(
    once: Annotated[bool, typer.Option("--once", help="crawl every (or the named) source once and exit")] = False,
    source: Annotated[list[str] | None, typer.Option("--source", help="only this source (repeatable)")] = None,
) -> None:
    """Crawl sources once, then print a summary table."""
    if not once:
        err_console.print("crawl runs once and exits: pass --once (scheduled crawling is `cartwatch run`)")
        raise typer.Exit(2)
    cfg = config()
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
    from cartwatch.crawl import crawl as run_crawl

    reports = run_crawl(cfg, names=names, trigger="cli", stop=stop)
    for r in reports:
        logger.info("%s: %s fetched=%d new=%d updated=%d skipped=%d errors=%d%s", r.source_name, r.status,
                    r.fetched, r.new, r.updated, sum(r.skipped.values()), r.errors,
                    f" ({r.source_error})" if r.source_error else "")
    return reports


def _crawl_with_progress(cfg: AppConfig, names: list[str] | None, stop: threading.Event) -> list[RunReport]:
    from cartwatch.crawl import crawl as run_crawl, selected_sources

    columns = (TextColumn("[bold]{task.description}"), BarColumn(bar_width=None),
               TextColumn("{task.fields[counts]}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        tasks = {s.name: progress.add_task(s.name, total=None, counts="waiting")
                 for s in selected_sources(cfg, names)}

        def update(name: str, report: RunReport) -> None:
            progress.update(tasks[name], counts=f"new {report.new} · updated {report.updated} · "
                            f"skipped {sum(report.skipped.values())} · errors {report.errors}")

        reports = run_crawl(cfg, names=names, trigger="cli", progress=update, stop=stop)
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


# --- serve / run ---------------------------------------------------------------------------

def _server(cfg: AppConfig, crawl_trigger: Callable[[list[str] | None], str] | None = None):  # type: ignore[no-untyped-def]
    import uvicorn

    from api.app import create_app

    app_ = create_app(cfg.database.path, cfg.api, crawl_trigger=crawl_trigger, alerts=cfg.alerts)
    return uvicorn.Server(uvicorn.Config(app_, host=cfg.api.host, port=cfg.api.port, log_level="info"))


@app.command()
def serve() -> None:
    """Serve the API and dashboard only (no crawling)."""
    _server(config()).run()


@app.command()
def run() -> None:
    """The main job: scheduled crawling of every source plus the API, in one process.

    Ctrl-C or SIGTERM stops the server, asks running crawls to stop after their current item,
    and waits for them: every article is written in one transaction, so none is half-written.
    """
    from cartwatch.alerts_cmd import alert_jobs
    from cartwatch.crawl import prepare_database, record_next_runs, scheduled_crawl, source_last_runs, utc_now
    from cartwatch.schedule import ScheduledSource, build_scheduler
    from crawler.fetch import Fetcher

    cfg = config()
    stop = threading.Event()
    # Migrations run here, once, before any job exists: never concurrently per job.
    prepare_database(cfg)
    last_runs = source_last_runs(cfg)
    # One fetcher for the process, so per-host limits hold across every source's jobs.
    fetcher = Fetcher(cfg.crawler)

    def job_for(name: str) -> Callable[[], None]:
        def job() -> None:
            scheduled_crawl(cfg, name, fetcher=fetcher, stop=stop)
            try:
                record_next_runs(cfg, scheduler)
            except StoreError as exc:  # the next run still happens; only /crawl/status lags
                logger.error("%s: next run time not recorded: %s", name, exc)
        return job

    crawl_jobs = [ScheduledSource(s.name, s.schedule, job_for(s.name), last_runs.get(s.name))
                  for s in cfg.sources if s.enabled]
    # The alert jobs share the pool with the crawls (source_concurrency still bounds the crawls).
    scheduler = build_scheduler([*crawl_jobs, *alert_jobs(cfg, logger, now=utc_now())], now=utc_now(),
                                max_concurrent=cfg.crawler.source_concurrency)
    scheduler.start()
    record_next_runs(cfg, scheduler)
    logger.info("scheduled %d source(s) and %d alert job(s); API on http://%s:%d", len(crawl_jobs),
                len(scheduler.get_jobs()) - len(crawl_jobs), cfg.api.host, cfg.api.port)

    def crawl_now(names: list[str] | None) -> str:
        """POST /crawl: move the sources' next scheduled run to now (a running one is not doubled)."""
        try:
            chosen = [cfg.source(n).name for n in names] if names else [job.name for job in crawl_jobs]
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        jobs = [scheduler.get_job(name) for name in chosen]
        if any(job is None for job in jobs):
            raise ValueError("source is disabled in the config: " + ", ".join(n for n, j in zip(chosen, jobs, strict=True) if j is None))
        for job in jobs:
            job.modify(next_run_time=utc_now())
        record_next_runs(cfg, scheduler)
        return "crawl starting now for " + ", ".join(chosen)

    # uvicorn handles SIGINT/SIGTERM while it runs, then re-raises the signal to the handler that
    # was installed before it: ours, which only asks the crawls to stop, so we exit with 0.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        _server(cfg, crawl_now).run()
    finally:
        stop.set()
        scheduler.shutdown(wait=True)
        fetcher.close()
        logger.info("stopped cleanly")


# --- db ------------------------------------------------------------------------------------

@db_app.command("stats")
def db_stats() -> None:
    """Row counts per table and the schema version."""
    from store.migrations import schema_version
    from store.queries import table_counts
    from store.writes import Store

    cfg = config()
    store = Store.open(cfg.database.path)
    try:
        counts = table_counts(store.db.conn)
        version = schema_version(store.db)
    finally:
        store.close()
    console.print(f"{cfg.database.path}: schema version {version}", highlight=False, soft_wrap=True)
    table = Table()
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in counts.items():
        table.add_row(name, str(count))
    console.print(table)


@db_app.command("journals")
def db_journals() -> None:
    """Move papers stored under PubMed / Europe PMC to their journal (kept as their route, via)."""
    from analysis.journals import JournalRegistry
    from cartwatch.crawl import outlet_registry, sync_outlets
    from service.journals import move_papers_to_journals
    from store.writes import Store

    cfg = config()
    store = Store.open(cfg.database.path)
    try:
        registry = outlet_registry(cfg)
        sync_outlets(store, registry)
        moves = move_papers_to_journals(store, JournalRegistry.load_default(), registry)
    finally:
        store.close()
    console.print(f"moved {moves.moved} paper(s) to their journal; {moves.unknown} from journals not in "
                  "analysis/data/journals.csv stay under PubMed / Europe PMC", highlight=False, soft_wrap=True)


def entrypoint() -> None:
    try:
        app()
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    entrypoint()
