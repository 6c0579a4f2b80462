"""Opening the database: one place that sets the pragmas every connection needs.

WAL lets the API read while the crawler writes; ``synchronous=NORMAL`` in WAL mode keeps every
committed transaction across a process kill (only an OS crash or power cut can lose the last
ones); the busy timeout makes a second writer wait instead of failing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils


def open_db(path: str | Path, *, busy_timeout_ms: int = 10_000) -> sqlite_utils.Database:
    """Open (creating if needed) the database for writing, with migrations applied."""
    from store.migrations import migrate

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    migrate(db)
    return db


def open_readonly(path: str | Path, *, busy_timeout_ms: int = 5_000) -> sqlite3.Connection:
    """A read-only connection for the API: it can never write, whatever a query says."""
    uri = f"file:{Path(path).resolve()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout_ms / 1000, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    conn.execute("PRAGMA query_only=ON")
    return conn
