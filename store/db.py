"""Opening the database: one place that checks the file and sets the pragmas every connection needs.

WAL lets the API read while the crawler writes; ``synchronous=NORMAL`` in WAL mode keeps every
committed transaction across a process kill (only an OS crash or power cut can lose the last
ones); the busy timeout makes a second writer wait instead of failing.

Before anything is written the file is checked, so a wrong ``database.path`` is refused with one
line and its bytes are left alone: a directory, a file that is not SQLite, a truncated one,
another application's database (no migrations table added, no WAL switched on), or a database
from a newer cartwatch (its schema version and ours are both named).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any, Self

import sqlite_utils

from store.search_terms import add_vocabulary

SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATION_SET = "cartwatch"
# The write connection's page cache (SQLite's default is 2 MiB). A batch of 200 articles dirties
# thousands of pages (index inserts on hashed keys, FTS segments and merges); when they do not fit,
# SQLite spills them to the WAL mid-transaction and reads them back, again and again: on a
# 100,000-article database 503 read and 431 write calls per article before (main, 2 MiB), 62 and
# 194 with this and migration 12 (bench/write_pages.py). It is a ceiling, filled as pages are used.
WRITE_CACHE_KIB = 128 * 1024


class StoreError(Exception):
    """The database cannot be used as asked; the message is one line naming the file and why."""


def open_db(path: str | Path, *, busy_timeout_ms: int = 10_000) -> sqlite_utils.Database:
    """Open (creating if needed) the database for writing, with migrations applied."""
    from store.migrations import migrate

    path = Path(path)
    check_file(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{path}: cannot create its folder: {exc.strerror or exc}") from None
    conn = _connect(path, busy_timeout_ms)
    try:
        check_schema(conn, path)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
        migrate(db)
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(describe(path, exc, busy_timeout_ms)) from None
    except StoreError:
        conn.close()
        raise
    return db


def open_readonly(path: str | Path, *, busy_timeout_ms: int = 5_000) -> sqlite3.Connection:
    """A read-only connection for the API: it can never write, whatever a query says.

    On a read-only filesystem a WAL database cannot create its shared-memory file, so the plain
    read-only open fails; nobody can write there either, so it is then opened as immutable."""
    resolved = Path(path).resolve()
    try:
        return _readonly(resolved, busy_timeout_ms, immutable=False)
    except sqlite3.OperationalError:
        if os.access(resolved.parent, os.W_OK):  # EROFS is reported even to root
            raise
        return _readonly(resolved, busy_timeout_ms, immutable=True)


def _add_search_vocabulary(conn: sqlite3.Connection) -> None:
    """The search index's vocabulary in the connection's temp schema (store.search_terms): the
    last write a query-only connection can make, and to its own memory, not to the file."""
    with suppress(sqlite3.OperationalError):  # whatever fails here, prefixes are left to FTS5
        add_vocabulary(conn)


def _readonly(path: Path, busy_timeout_ms: int, *, immutable: bool) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" + ("&immutable=1" if immutable else "")
    conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout_ms / 1000, check_same_thread=False)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        _add_search_vocabulary(conn)
        conn.execute("PRAGMA query_only=ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the file now, not mid-request
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def prepare_for_reading(path: str | Path, *, busy_timeout_ms: int = 10_000) -> None:
    """Make sure the database exists with the current schema, writing only when it does not:
    a current database is only ever opened read-only (the API on a read-only filesystem)."""
    from store.migrations import migrations

    path = Path(path)
    check_file(path)
    if path.is_file() and path.stat().st_size:
        try:
            conn = open_readonly(path, busy_timeout_ms=busy_timeout_ms)
            try:
                check_schema(conn, path)
                applied = {r[0] for r in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])}
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise StoreError(describe(path, exc, busy_timeout_ms)) from None
        if applied == {m.name for m in migrations._migrations}:
            return
    open_db(path, busy_timeout_ms=busy_timeout_ms).conn.close()


def check_file(path: Path) -> None:
    """Refuse what is not a whole SQLite file, reading only its header."""
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a database file (database.path)")
    if not path.exists():
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the database file: {exc.strerror or exc}") from None
    if not header:
        return  # an empty file is a new database to SQLite too
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        raise StoreError(f"{path}: not an SQLite database (the file does not start with the SQLite header)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The header's page count is valid when its change counter matches (bytes 24 and 92).
    if header[24:28] == header[92:96] and pages and size < pages * page_size:
        raise StoreError(f"{path}: truncated SQLite database ({size} bytes, its header says "
                         f"{pages * page_size}); restore it from a backup")


def check_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse another application's database and one from a newer cartwatch, before any write."""
    from store.migrations import migrations

    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if not tables:
        return
    applied: list[str] = []
    if "_sqlite_migrations" in tables:
        applied = [r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id", [MIGRATION_SET])]
    if not applied:
        shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise StoreError(f"{path}: an SQLite database of another application (tables {shown}); cartwatch "
                         "leaves it untouched: point database.path at a new file")
    known = {m.name for m in migrations._migrations}
    if set(applied) - known:
        raise StoreError(f"{path}: schema version {len(applied)} is newer than this cartwatch supports "
                         f"(version {len(known)}); upgrade cartwatch to use this database")


def describe(path: Path | str, exc: sqlite3.Error, busy_timeout_ms: int | None = None) -> str:
    """One line for an SQLite failure on ``path``."""
    message = str(exc)
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        waited = f" for longer than busy_timeout_ms={busy_timeout_ms}" if busy_timeout_ms is not None else ""
        return f"{path}: database is locked by another process{waited}; try again when it is done"
    if "disk is full" in lowered or "full" in lowered:
        return f"{path}: the disk is full; free space and run again (nothing half-written was kept)"
    folder = Path(path).parent
    read_only_folder = folder.is_dir() and not os.access(folder, os.W_OK)  # EROFS even for root
    if "readonly" in lowered or "read-only" in lowered or ("unable to open" in lowered and read_only_folder):
        return f"{path}: the database is read-only here; `cartwatch serve` can serve it read-only"
    if "not a database" in lowered or "malformed" in lowered:
        return f"{path}: damaged or not an SQLite database ({message})"
    if "unable to open" in lowered:
        return f"{path}: cannot open the database file ({message})"
    return f"{path}: database error: {message}"


def _connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    try:
        return sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(describe(path, exc, busy_timeout_ms)) from None


def dict_rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows as dicts keyed by column name, built from plain tuples (``dict(sqlite3.Row)`` looks
    each column up by name: about twice the cost for a page of 50 wide rows)."""
    cursor = conn.cursor()
    cursor.row_factory = None
    cursor.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def iso(moment: datetime) -> str:
    """A UTC moment as every table stores it: ``2026-11-24T12:00:00Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per table (``cartwatch db stats``), the full-text indexes and their shadow tables left out."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'articles_fts%' "
        "AND name NOT LIKE 'articles_search%' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


class Handle:
    """An open database for writing: its connection (``db``) and ``transaction()``; the
    entity modules add their tables' writes to it (``store.Store`` puts them together)."""

    def __init__(self, db: sqlite_utils.Database, *, path: str | Path = "database",
                 busy_timeout_ms: int | None = None) -> None:
        self.db = db
        self.path = str(path)
        self.busy_timeout_ms = busy_timeout_ms

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout_ms: int = 10_000) -> Self:
        return cls(open_db(path, busy_timeout_ms=busy_timeout_ms), path=path, busy_timeout_ms=busy_timeout_ms)

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE: take the write lock up front, so the read-then-write of an upsert
        cannot interleave with another writer (two sources finding the same new URL).
        Re-entrant: inside an open transaction it simply joins it."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                conn.rollback()
                raise
            conn.commit()
        except sqlite3.OperationalError as exc:
            # Locked past the busy timeout, disk full, read-only: one line naming the file. The
            # rollback above already undid the transaction, so nothing half-written is kept.
            if conn.in_transaction:
                conn.rollback()
            raise StoreError(describe(self.path, exc, self.busy_timeout_ms)) from exc


class OnStore:
    """Writes of what analysis derived, on a ``Store``'s connection and inside its transactions."""

    def __init__(self, store: Handle) -> None:
        self.store = store
        self.db = store.db
