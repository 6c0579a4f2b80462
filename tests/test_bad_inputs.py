"""Every bad file, path, config value or database state: one line naming the problem, a non-zero
exit, no traceback, and the file's bytes left alone."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from cartwatch.cli import app
from store import Store
from store.db import StoreError
from store.migrations import migrations

runner = CliRunner()
REPO = Path(__file__).parent.parent


def config_file(tmp_path: Path, db: Path, extra: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\npath = "{db}"\n{extra}\n'
                    '[[sources]]\nname = "feed"\nkind = "rss"\nurl = "https://example.org/feed"\n')
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_failure(args: list[str], *, code: int = 2) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a clean exit, not an error
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_bytes(b"These are my notes, not a database.\n" * 10)
    before = digest(db)
    line = one_line_failure(["--config", str(config_file(tmp_path, db)), "db", "stats"])
    assert str(db) in line and "not an SQLite database" in line
    assert digest(db) == before and not Path(f"{db}-wal").exists()


def test_a_truncated_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "cut.db"
    store = Store.open(db)
    store.db.execute("PRAGMA journal_mode=DELETE")
    store.close()
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    before = digest(db)
    line = one_line_failure(["--config", str(config_file(tmp_path, db)), "crawl", "--once"])
    assert "truncated SQLite database" in line
    assert digest(db) == before


def test_another_applications_database_is_not_migrated_nor_switched_to_wal(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    before = digest(db)
    line = one_line_failure(["--config", str(config_file(tmp_path, db)), "crawl", "--once"])
    assert "another application" in line and "invoices" in line
    assert digest(db) == before and not Path(f"{db}-wal").exists()
    with pytest.raises(StoreError, match="another application"):
        create_app(db)
    assert digest(db) == before


def test_a_database_of_a_newer_schema_is_refused_with_both_versions(tmp_path: Path) -> None:
    db = tmp_path / "newer.db"
    store = Store.open(db)
    store.db.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
                     "VALUES ('cartwatch', 'm099_from_the_future', '2030-01-01')")
    store.db.conn.commit()
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    before = digest(db)
    line = one_line_failure(["--config", str(config_file(tmp_path, db)), "crawl", "--once"])
    ours = len(migrations._migrations)
    assert f"schema version {ours + 1} is newer" in line and f"(version {ours})" in line
    assert digest(db) == before


def test_directories_as_database_or_config_path(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    line = one_line_failure(["--config", str(config_file(tmp_path, folder)), "db", "stats"])
    assert "is a directory" in line and "database.path" in line
    line = one_line_failure(["--config", str(folder), "db", "stats"])
    assert "is a directory, not a config file" in line


def test_a_database_locked_past_the_timeout(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    Store.open(db).close()
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock for the whole command
    try:
        line = one_line_failure(["--config", str(config_file(tmp_path, db, "busy_timeout_ms = 0")),
                                 "crawl", "--once"])
    finally:
        holder.rollback()
        holder.close()
    assert "locked by another process" in line and "busy_timeout_ms=0" in line


@pytest.mark.parametrize(("section", "setting", "named"), [
    ("api", 'port = "8000"', "api.port"),
    ("crawler", 'allow_private_networks = "yes"', "crawler.allow_private_networks"),
    ("crawler", "allow_private_addresses = true", "replaced by allow_private_networks"),
    ("crawler", 'obey_robots = "yes"', "crawler.obey_robots"),
    ("database", "busy_timeout_ms = -5", "database.busy_timeout_ms"),
])
def test_wrong_config_values_are_named_in_one_line(tmp_path: Path, section: str, setting: str, named: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[{section}]\n{setting}\n")
    line = one_line_failure(["--config", str(path), "db", "stats"])
    assert named in line


def test_a_token_value_is_never_echoed(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[api]\ntoken = 918273645\n")
    line = one_line_failure(["--config", str(path), "db", "stats"])
    assert "api.token" in line and "918273645" not in line


def test_a_current_database_is_served_without_opening_it_for_writing(tmp_path: Path) -> None:
    db = tmp_path / "current.db"
    Store.open(db).close()
    # A read-only copy: chmod is no barrier for root, so look at what create_app does instead:
    # a database already at the current schema must not be written, not even its WAL switch.
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = digest(db)
    client = TestClient(create_app(db))
    assert client.get("/health").json()["ok"] is True
    assert digest(db) == before and not Path(f"{db}-wal").exists()


def unshare_available() -> bool:
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    return probe.returncode == 0


needs_mount_namespace = pytest.mark.skipif(
    shutil.which("unshare") is None or not unshare_available(),
    reason="needs `unshare -m` (root or user namespaces) to mount a read-only or full filesystem")

SERVE_READ_ONLY = """
import sys
from fastapi.testclient import TestClient
from api.app import create_app
client = TestClient(create_app(sys.argv[1]))
print(client.get("/health").json()["ok"], client.get("/articles").status_code)
"""


@needs_mount_namespace
def test_a_database_on_a_read_only_filesystem_is_served_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "cartwatch.db"
    Store.open(db).close()
    config = config_file(tmp_path, db)
    # Served read-only; a crawl (which must write) is refused in one line.
    script = (f'mount --bind "{folder}" "{folder}" && mount -o remount,ro,bind "{folder}" && '
              f'"{sys.executable}" -c \'{SERVE_READ_ONLY}\' "{db}" && '
              f'"{sys.executable}" -m cartwatch.cli --config "{config}" crawl --once; echo "exit $?"')
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "300"}, timeout=60)
    assert done.stdout.split() == ["True", "200", "exit", "2"], done.stderr
    assert "Traceback" not in done.stderr
    [line] = [line for line in done.stderr.splitlines() if line.startswith("database error")]
    assert line == (f"database error: {db}: the database is read-only here; `cartwatch serve` can serve it "
                    "read-only")


@needs_mount_namespace
def test_a_full_disk_is_one_line_and_no_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    folder.mkdir()
    config = config_file(tmp_path, folder / "cartwatch.db")
    script = (f'mount -t tmpfs -o size=40k tmpfs "{folder}" && '
              f'"{sys.executable}" -m cartwatch.cli --config "{config}" crawl --once')
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "300"}, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert [line for line in done.stderr.splitlines() if line.strip()] == [
        f"database error: {folder / 'cartwatch.db'}: the disk is full; free space and run again "
        "(nothing half-written was kept)"]


def test_head_answers_like_get_without_a_body(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "head.db"))
    for path in ("/health", "/articles", "/crawl/status", "/status"):
        get, head = client.get(path), client.head(path)
        assert (head.status_code, head.content) == (200, b""), path
        assert head.headers["content-type"] == get.headers["content-type"]
    assert client.head("/articles/999999").status_code == 404
