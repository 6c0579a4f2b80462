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
