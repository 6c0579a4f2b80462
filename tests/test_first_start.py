"""A clean first start: migrations once (even when many open a fresh database at once), sources
that never ran or missed a run while stopped run at start, /crawl/status shows each source's next
run, and a run whose process died is shown as interrupted."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from cartwatch.commands.crawl import prepare_database, record_next_runs
from cartwatch.config import AppConfig
from cartwatch.schedule import ScheduledSource, build_scheduler, first_run_at, parse_schedule
from store import Store
from store.migrations import migrations
from tests.conftest import rows as rows_of

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_many_openers_of_a_fresh_database_apply_each_migration_once(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def open_it() -> None:
        start.wait()
        try:
            Store.open(db).close()
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    store = Store.open(db)
    try:
        names = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        store.close()
    assert names == [m.name for m in migrations._migrations]


def test_never_run_and_missed_sources_run_at_start_others_keep_their_schedule() -> None:
    hourly, nightly = parse_schedule("every 1h"), parse_schedule("30 3 * * *")
    assert first_run_at(hourly, None, NOW) == NOW  # never ran
    assert first_run_at(nightly, None, NOW) == NOW
    assert first_run_at(hourly, NOW - timedelta(hours=3), NOW) == NOW  # due while we were stopped
    assert first_run_at(hourly, NOW - timedelta(minutes=10), NOW) == NOW + timedelta(minutes=50)
    yesterday = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)
    assert first_run_at(nightly, yesterday, NOW) == NOW  # today's 03:30 was missed
    today = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)
    assert first_run_at(nightly, today, NOW) == datetime(2026, 11, 25, 3, 30, tzinfo=UTC)


def test_status_shows_each_sources_next_run(make_config: Callable[..., AppConfig]) -> None:
    config = make_config([{"name": "feed", "kind": "rss", "url": "https://example.org/feed", "schedule": "every 6h"},
                          {"name": "pubmed", "kind": "pubmed", "url": "https://example.org/eutils/",
                           "schedule": "30 3 * * *"}])
    prepare_database(config)
    store = Store.open(config.database.path)
    try:
        store.record_source_outcome("pubmed", now=datetime(2026, 11, 24, 3, 30, tzinfo=UTC), error=None)
    finally:
        store.close()
    scheduler = build_scheduler([ScheduledSource("feed", "every 6h", lambda: None, None),
                                 ScheduledSource("pubmed", "30 3 * * *", lambda: None,
                                                 datetime(2026, 11, 24, 3, 30, tzinfo=UTC))], now=NOW)
    record_next_runs(config, scheduler)
    client = TestClient(create_app(config.database.path, config.api))
    status = client.get("/crawl/status").json()
    assert {s["name"]: s["next_run_at"] for s in status["sources"]} == {
        "feed": "2026-11-24T09:00:00Z", "pubmed": "2026-11-25T03:30:00Z"}
    page = client.get("/status", headers={"accept": "text/html"}).text  # the dashboard's status page too
    assert "2026-11-24 09:00 UTC" in page and "2026-11-25 03:30 UTC" in page


def test_a_run_whose_process_died_is_shown_interrupted(make_config: Callable[..., AppConfig]) -> None:
    config = make_config([])
    prepare_database(config)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    store = Store.open(config.database.path)
    try:
        dead = store.start_run(trigger="cli", now=NOW, pid=int(gone.stdout))
        store.record_fetch(run_id=dead, source_name="feed", url="https://example.org/a", now=NOW + timedelta(minutes=3),
                           outcome="error", error_kind="fetch_timeout")
        alive = store.start_run(trigger="cli", now=NOW, pid=os.getpid())
    finally:
        store.close()
    client = TestClient(create_app(config.database.path, config.api))
    runs = {r["id"]: r for r in client.get("/crawl/status").json()["runs"]}
    assert (runs[dead]["status"], runs[dead]["finished_at"]) == ("interrupted", None)  # seen from its pid
    assert runs[alive]["status"] == "running"
    prepare_database(config)  # what every crawl and `cartwatch run` does first: record it
    runs = {r["id"]: r for r in client.get("/crawl/status").json()["runs"]}
    assert (runs[dead]["status"], runs[dead]["finished_at"]) == ("interrupted", "2026-11-24T09:03:00Z")
    assert (runs[alive]["status"], runs[alive]["finished_at"]) == ("running", None)
    assert rows_of(config, "SELECT status FROM crawl_runs ORDER BY id") == [("interrupted",), ("running",)]
