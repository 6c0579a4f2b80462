"""The database as a command, a job or a request opens it, and its upkeep (``cartwatch db``).

``StoreConfig`` is the ``[database]`` section. ``open_store`` opens the write handle (creating
and migrating the file first); ``open_reader`` a read-only connection, the API's per request and
the report commands'; ``prepare_for_serving`` creates or migrates the file only when needed, so a
current database is served read-only. ``StoreError`` is what a database that cannot be used
raises, its message one line; ``failure_line`` phrases any other SQLite failure the same way.
Neither ``api`` nor ``cartwatch`` imports ``store``: they open the database here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from service.fingerprints import refresh_fingerprints
from store import Store
from store.db import StoreError, describe, open_readonly, prepare_for_reading, table_counts
from store.migrations import schema_version

__all__ = ["StoreConfig", "StoreError", "database_stats", "failure_line", "migrated_reader", "open_reader",
           "open_store", "prepare_for_serving"]


class StoreConfig(BaseModel):
    # strict: a quoted number or "yes" is a type error naming the key, never coerced.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    path: str = "data/cartwatch.db"
    busy_timeout_ms: Annotated[int, Field(ge=0, le=600_000)] = 10_000


def open_store(database: StoreConfig) -> Store:
    """The write handle of one command or job (crawl, import, rebuild), on a migrated database
    whose stored MinHash signatures are in the current format (``service.fingerprints``)."""
    store = Store.open(database.path, busy_timeout_ms=database.busy_timeout_ms)
    refresh_fingerprints(store)
    return store


def open_reader(path: str | Path) -> sqlite3.Connection:
    """A read-only connection: one per API request, or a report command's (it never writes)."""
    return open_readonly(path)


def migrated_reader(database: StoreConfig) -> sqlite3.Connection:
    """A read-only connection for a CLI listing, after creating or migrating the file when new."""
    open_store(database).close()
    return open_readonly(database.path)


def prepare_for_serving(path: str | Path) -> None:
    """Before the API starts: create or migrate the file only when needed, so a current database
    (one on a read-only filesystem too) is never opened for writing."""
    prepare_for_reading(path)


def database_stats(database: StoreConfig) -> tuple[int, dict[str, int]]:
    """``cartwatch db stats``: the schema version and the rows of each table."""
    store = open_store(database)
    try:
        return schema_version(store.db), table_counts(store.db.conn)
    finally:
        store.close()


def failure_line(path: str | Path, exc: sqlite3.Error) -> str:
    """One line for an SQLite failure outside a transaction (the CLI prints it and exits 2)."""
    return describe(path, exc)
