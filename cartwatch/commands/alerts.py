"""``cartwatch alerts run | digest | test | list``, and the two scheduled jobs of ``cartwatch run``.

The jobs are plain functions of the config and ``now`` (tests call them directly); this module
is where the real sender (``crawler.deliver``) and the digest builder (``service.digest``) are
wired into the use cases of ``service.alerts``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cartwatch.config import AppConfig
from cartwatch.schedule import ScheduledSource
from crawler.deliver import Deliverer, webhook_client
from service.alerts import AlertReport, recent_deliveries, run_alerts, send_digest, send_sample, watch_states
from service.db import migrated_reader, open_reader, open_store
from service.digest import build_digest, digest_text
from service.outbox import DeliveryError

ALERTS_JOB, DIGEST_JOB = "@alerts", "@digest"  # '@' cannot start a source name, so ids never clash


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def alerts_job(cfg: AppConfig, *, now: datetime | None = None) -> AlertReport:
    """Check every watch and deliver what is due (the ``@alerts`` job)."""
    store = open_store(cfg.database)
    try:
        with webhook_client(cfg.alerts.webhook_timeout_seconds) as client:
            return run_alerts(store, cfg.alerts, Deliverer(cfg.alerts.smtp, client),
                              base_url=cfg.api.base_url(), now=now or utc_now())
    finally:
        store.close()


def digest_job(cfg: AppConfig, *, now: datetime | None = None) -> AlertReport:
    """E-mail the digest of the last 24 hours (the ``@digest`` job), once per UTC day."""

    def render(since: str, until: str) -> str:
        conn = open_reader(cfg.database.path)
        try:
            return digest_text(build_digest(conn, since=since, until=until, base_url=cfg.api.base_url()))
        finally:
            conn.close()

    store = open_store(cfg.database)
    try:
        with webhook_client(cfg.alerts.webhook_timeout_seconds) as client:
            return send_digest(store, cfg.alerts, Deliverer(cfg.alerts.smtp, client), render=render,
                               now=now or utc_now())
    finally:
        store.close()


def alert_jobs(cfg: AppConfig, logger: logging.Logger, *, now: datetime) -> list[ScheduledSource]:
    """The scheduler's alert jobs, each logging what the scheduler would hide. The alert check
    runs at start; the digest waits for its schedule (a restart does not mail it early)."""

    def guarded(name: str, job: Callable[[AppConfig], AlertReport]) -> Callable[[], object]:
        def run() -> None:
            try:
                report = job(cfg)
            except Exception:  # the scheduler would swallow it: say it loudly, run again next time
                logger.exception("%s failed", name)
                return
            logger.info("%s: queued %d, sent %d, retrying %d, failed %d", name, report.queued, report.sent,
                        report.retrying, report.failed)
        return run

    jobs: list[ScheduledSource] = []
    if cfg.alerts.enabled:
        jobs.append(ScheduledSource(ALERTS_JOB, cfg.alerts.schedule, guarded(ALERTS_JOB, alerts_job)))
    if cfg.alerts.digest.enabled:
        jobs.append(ScheduledSource(DIGEST_JOB, cfg.alerts.digest.schedule, guarded(DIGEST_JOB, digest_job),
                                    last_run_at=now))
    return jobs


def register(app: typer.Typer, config: Callable[[], AppConfig]) -> None:
    """Add ``alerts`` and its commands to ``app``."""
    alerts_app = typer.Typer(help="Watches and alerts: check now, send the digest, send a test, list.",
                             no_args_is_help=True)
    app.add_typer(alerts_app, name="alerts")
    console = Console()

    @alerts_app.command("run")
    def run_once() -> None:
        """Check every watch once and deliver what is due (what `cartwatch run` does on its schedule)."""
        _finish(alerts_job(config()), console)

    @alerts_app.command("digest")
    def digest_now() -> None:
        """E-mail today's digest now (once per UTC day: a second run sends nothing new)."""
        cfg = config()
        if not cfg.alerts.digest.email:
            typer.echo("error: alerts.digest.email lists no address to send the digest to", err=True)
            raise typer.Exit(2)
        _finish(digest_job(cfg), console)

    @alerts_app.command("test")
    def test(
        email: Annotated[list[str] | None, typer.Option("--email", help="send to this address (repeatable)")] = None,
        webhook: Annotated[str | None, typer.Option("--webhook", help="post to this webhook URL")] = None,
        watch: Annotated[str | None, typer.Option("--watch", help="use this configured watch's channels")] = None,
    ) -> None:
        """Send a sample alert now. Without options: to every channel of every configured watch
        and the digest's addresses."""
        cfg = config()
        to, hook = _test_targets(cfg, email or [], webhook, watch)
        try:
            with webhook_client(cfg.alerts.webhook_timeout_seconds) as client:
                done = send_sample(Deliverer(cfg.alerts.smtp, client), email=to, webhook=hook, now=utc_now())
        except DeliveryError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        for line in done:
            typer.echo(f"sent a test alert: {line}")

    @alerts_app.command("list")
    def list_cmd() -> None:
        """Watches with their delivery counts, then the latest deliveries."""
        cfg = config()
        conn = migrated_reader(cfg.database)  # creates the file and its tables when new
        try:
            watches, deliveries = watch_states(conn), recent_deliveries(conn, limit=20)
        finally:
            conn.close()
        table = Table(title="watches")
        for column in ("name", "kind", "about", "to", "sent", "pending", "failed"):
            table.add_column(column, overflow="fold")
        for s in watches:
            w = s.watch
            about = " ".join(x for x in (w.therapy, w.target, w.metric, w.evidence, w.query and f"“{w.query}”") if x)
            table.add_row(w.name, w.kind, about or "anything", ", ".join([*w.email, *([w.webhook and "webhook"] if w.webhook else [])]),
                          str(s.sent), str(s.pending), str(s.failed))
        console.print(table)
        for d in deliveries:
            console.print(f"{d.status:8} {d.channel:7} {d.watch_name}: {d.subject}"
                          + (f" [red]({d.last_error})[/]" if d.last_error else ""), highlight=False, soft_wrap=True)


def _test_targets(cfg: AppConfig, email: list[str], webhook: str | None,
                  watch: str | None) -> tuple[tuple[str, ...], str | None]:
    from service.alerts_config import check_email

    if watch:
        found = next((w for w in cfg.alerts.watches if w.name == watch), None)
        if found is None:
            known = ", ".join(w.name for w in cfg.alerts.watches) or "none"
            typer.echo(f"error: --watch: no watch named {watch!r} in the config (known: {known})", err=True)
            raise typer.Exit(2)
        return found.email, found.webhook
    if webhook and not webhook.lower().startswith(("http://", "https://")):
        typer.echo(f"error: --webhook: must be an http:// or https:// URL (got {webhook[:80]!r})", err=True)
        raise typer.Exit(2)
    if email or webhook:
        try:
            return tuple(check_email(e) for e in email), webhook
        except ValueError as exc:
            typer.echo(f"error: --email: {exc}", err=True)
            raise typer.Exit(2) from None
    addresses = sorted({a for w in cfg.alerts.watches for a in w.email} | set(cfg.alerts.digest.email))
    hooks = sorted({w.webhook for w in cfg.alerts.watches if w.webhook})
    if not addresses and not hooks:
        typer.echo("error: nothing to test: no watch or digest has an address; pass --email or --webhook", err=True)
        raise typer.Exit(2)
    if len(hooks) > 1:
        typer.echo(f"error: {len(hooks)} different webhooks are configured: pass --watch NAME or --webhook URL",
                   err=True)
        raise typer.Exit(2)
    return tuple(addresses), hooks[0] if hooks else None


def _finish(report: AlertReport, console: Console) -> None:
    console.print(f"queued {report.queued} · sent {report.sent} · retrying {report.retrying} · "
                  f"failed {report.failed}", highlight=False)
    for error in report.errors:
        typer.echo(f"error: {error}", err=True)
    if report.errors:
        raise typer.Exit(1)
