"""The ``cartwatch`` command: ``run`` and ``serve`` here, the other groups in ``commands/``
(crawl, claims, sources/outlets, bias, digest, page, db, alerts).

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
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from cartwatch.commands import alerts, bias, claims, crawl, db, digest, outlets, page
from cartwatch.config import AppConfig, ConfigError
from cartwatch.context import State, config, err_console, logger
from service.db import StoreError, failure_line

if TYPE_CHECKING:
    import uvicorn


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
            err_console.print(f"[bold red]database error:[/] {failure_line(path, exc)}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None


app = typer.Typer(help="Watch the world's coverage of CAR T-cell therapy outcomes.", no_args_is_help=True,
                  pretty_exceptions_enable=False, cls=OneLineErrors)


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


crawl.register(app)
app.add_typer(db.db_app, name="db")
app.add_typer(claims.claims_app, name="claims")
# "sources" is the name the README and users know; "outlets" says what it is about.
app.add_typer(outlets.outlets_app, name="sources")
app.add_typer(outlets.outlets_app, name="outlets", hidden=True)
app.add_typer(page.page_app, name="page")
bias_app = typer.Typer(help="Compare the lean, factuality and source types of coverage.", no_args_is_help=True)
app.add_typer(bias_app, name="bias")
bias.register(bias_app, config)
digest.register(app, config)
alerts.register(app, config)


# --- serve / run ---------------------------------------------------------------------------

def _server(cfg: AppConfig, crawl_trigger: Callable[[list[str] | None], str] | None = None) -> uvicorn.Server:
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
    from cartwatch.commands.alerts import alert_jobs
    from cartwatch.commands.crawl import (prepare_database, record_next_runs, scheduled_crawl, source_last_runs,
                                          utc_now)
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


def entrypoint() -> None:
    try:
        app()
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    entrypoint()
