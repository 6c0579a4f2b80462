"""kill -9 at any moment loses no committed article and duplicates none; readers keep reading
while a writer writes (WAL)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from store import Store
from store.db import open_readonly

REPO = Path(__file__).parent.parent

WRITER = r"""
import sys
from datetime import UTC, datetime
from analysis.model import Article
from analysis.outlets import OutletRegistry
from service.ingest import IngestItem, ingest
from store import Store

registry = OutletRegistry.load_default()
store = Store.open(sys.argv[1])
now = datetime(2026, 11, 20, tzinfo=UTC)
for i in range(int(sys.argv[2])):
    text = (f"Report {i}: ciltacabtagene autoleucel produced an overall response rate of {50 + i % 50}% "
            f"in study cohort {i}, investigators said. " * 8)
    art = Article(canonical_url=f"https://www.statnews.com/a/{i}", url=f"https://www.statnews.com/a/{i}",
                  title=f"Cilta-cel cohort {i}", text=text, source_name="t", outlet_domain="statnews.com",
                  published_at="2026-11-16T10:00:00Z", therapies=("ciltacabtagene autoleucel",))
    result = ingest(store, IngestItem(art), registry=registry, now=now)
    print(result.article_id, result.status, flush=True)
"""


def run_writer(db: Path, count: int, *, kill_after: int | None = None) -> list[str]:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(count)], cwd=REPO,
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line.strip())
        if kill_after is not None and len(lines) >= kill_after:
            os.kill(proc.pid, signal.SIGKILL)  # no chance to clean up: the point of the test
            break
    proc.wait()
    return lines


def test_kill_9_loses_no_committed_article_and_duplicates_none(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    Store.open(db).close()
    reported = run_writer(db, 120, kill_after=15)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert stored >= len(reported)  # everything reported as committed is there
    # Atomicity: no article exists without its story, and none without its claims.
    assert conn.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0] == 0
    conn.close()
    # Crash-and-retry: the whole batch again gives each article once.
    statuses = [line.split()[1] for line in run_writer(db, 120)]
    assert statuses.count("new") == 120 - stored
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*), count(DISTINCT canonical_url) FROM articles").fetchone() == (120, 120)
    conn.close()


def test_reader_reads_while_writer_holds_a_transaction(tmp_path: Path) -> None:
    db = tmp_path / "wal.db"
    store = Store.open(db)
    reader = open_readonly(db)
    try:
        with store.transaction():
            store.db.execute("INSERT INTO sources(name, kind, url) VALUES ('x', 'rss', 'https://x.org')")
            # The writer holds the write lock; a read-only connection still answers at once.
            assert reader.execute("SELECT count(*) FROM sources").fetchone()[0] == 0
        assert reader.execute("SELECT count(*) FROM sources").fetchone()[0] == 1
        assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        reader.close()
        store.close()
