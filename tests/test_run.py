"""`cartwatch run`: scheduler and API in one process; SIGTERM stops both cleanly."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
from pytest_httpserver import HTTPServer

from tests.conftest import serve_fixture

REPO = Path(__file__).parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_run_serves_api_crawls_and_stops_cleanly_on_sigterm(httpserver: HTTPServer, base_url: str, tmp_path: Path) -> None:
    serve_fixture(httpserver, "/feed.rss", "feeds/trade_press.rss", base_url, content_type="application/rss+xml")
    serve_fixture(httpserver, "/news/cilta-cel-five-years", "pages/cilta_cel_five_years.html", base_url)
    serve_fixture(httpserver, "/news/axi-cel-real-world", "pages/axi_cel_real_world.html", base_url)
    port = free_port()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\npath = "{tmp_path / "run.db"}"\n'
        "[crawler]\nallow_private_networks = [\"127.0.0.1\"]\nper_host_delay_seconds = 0\nretries = 0\n"
        f'[api]\nport = {port}\ntoken = "s3cret"\n'
        f'[[sources]]\nname = "trade"\nkind = "rss"\nurl = "{base_url}/feed.rss"\nschedule = "every 1h"\n')
    proc = subprocess.Popen([sys.executable, "-m", "cartwatch.cli", "--config", str(config), "run"], cwd=REPO,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stderr is not None
    seen = []
    try:
        # Event-driven readiness: read the log until the crawl finished and uvicorn listens.
        for line in proc.stderr:
            seen.append(line)
            text = "".join(seen)
            if "Uvicorn running" in text and "trade: ok" in text:
                break
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).json()
        assert health["ok"] is True and health["articles"] == 2
        api = f"http://127.0.0.1:{port}/crawl"
        assert httpx.post(api, timeout=5).status_code == 401
        assert httpx.post(api, params={"source": "nope"}, headers={"Authorization": "Bearer s3cret"}, timeout=5).status_code == 422
        started = httpx.post(api, headers={"Authorization": "Bearer s3cret"}, timeout=5)
        assert started.status_code == 202 and "trade" in started.json()["started"]
        for line in proc.stderr:  # the triggered crawl runs (nothing new: the feed is unchanged)
            seen.append(line)
            if "trade: ok" in line:
                break
    finally:
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=30)
    output = "".join(seen) + rest
    assert proc.returncode == 0, output
    assert "stopped cleanly" in output
    conn = sqlite3.connect(tmp_path / "run.db")
    # The start-up crawl and the one POST /crawl asked for.
    assert conn.execute("SELECT trigger, status FROM crawl_runs").fetchall() == [("schedule", "ok"), ("schedule", "ok")]


def test_first_start_on_a_fresh_database_runs_every_source_cleanly(httpserver: HTTPServer, base_url: str,
                                                                   tmp_path: Path) -> None:
    # Six sources on a fresh database, two of them literature-like nightly crons that never ran:
    # migrations run once before any job, every source runs at start, none hits a locked database.
    names = [f"feed{i}" for i in range(6)]
    for name in names:
        serve_fixture(httpserver, f"/{name}.rss", "feeds/trade_press.rss", base_url, content_type="application/rss+xml")
    serve_fixture(httpserver, "/news/cilta-cel-five-years", "pages/cilta_cel_five_years.html", base_url)
    serve_fixture(httpserver, "/news/axi-cel-real-world", "pages/axi_cel_real_world.html", base_url)
    port = free_port()
    config = tmp_path / "config.toml"
    schedules = ["every 1h", "every 6h", "every 12h", "every 1d", "30 3 * * *", "15 6 * * *"]
    config.write_text(
        f'[database]\npath = "{tmp_path / "fresh.db"}"\n'
        "[crawler]\nallow_private_networks = [\"127.0.0.1\"]\nper_host_delay_seconds = 0\nretries = 0\n"
        "source_concurrency = 3\n"
        f'[api]\nport = {port}\n'
        + "".join(f'[[sources]]\nname = "{n}"\nkind = "rss"\nurl = "{base_url}/{n}.rss"\nschedule = "{s}"\n'
                  for n, s in zip(names, schedules)))
    proc = subprocess.Popen([sys.executable, "-m", "cartwatch.cli", "--config", str(config), "run"], cwd=REPO,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stderr is not None
    seen: list[str] = []
    finished: set[str] = set()
    try:
        for line in proc.stderr:  # event-driven: each source logs one line when its run ends
            seen.append(line)
            finished |= {n for n in names if f" {n}: " in line and "new=" in line}
            if finished == set(names) and any("Uvicorn running" in s for s in seen):
                break
        status = httpx.get(f"http://127.0.0.1:{port}/crawl/status", timeout=5).json()
    finally:
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=30)
    output = "".join(seen) + rest
    assert "locked" not in output and "already exists" not in output, output
    assert all(f" {n}: ok " in output for n in names), output
    sources = {s["name"]: s for s in status["sources"]}
    assert all(sources[n]["last_run_at"] and sources[n]["next_run_at"] for n in names)
    assert [r["status"] for r in status["runs"]] == ["ok"] * 6
    conn = sqlite3.connect(tmp_path / "fresh.db")
    assert conn.execute("SELECT count(*) FROM articles").fetchone() == (2,)
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == conn.execute(
        "SELECT count(DISTINCT name) FROM _sqlite_migrations").fetchone()[0]
