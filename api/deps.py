"""Per-request dependencies: a read-only database connection and the page-size rule."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from fastapi import Request

from api.params import BadParameter
from store.db import open_readonly


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    """A fresh read-only connection per request: cheap in SQLite, and never blocks the crawler."""
    conn = open_readonly(request.app.state.db_path)
    try:
        yield conn
    finally:
        conn.close()


def page_size(request: Request, limit: int | None) -> int:
    maximum: int = request.app.state.max_page_size
    if limit is None:
        return min(50, maximum)
    if limit > maximum:
        raise BadParameter("limit", f"at most {maximum} items per page (got {limit})")
    return limit
