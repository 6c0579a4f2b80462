"""Per-request dependencies: a read-only database connection, the page-size rule, the parameters
every list route takes, and the bearer-token check of the write endpoints."""

from __future__ import annotations

import hmac
import sqlite3
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request

from api.params import BadParameter, Format, Rater
from service.db import open_reader


class ReadPool:
    """Read-only connections kept open between requests (opening one, with its pragmas and the
    first read of the schema, cost about as much as a small query). A request takes one for
    itself and hands it back; at most ``keep`` wait idle, the rest are closed. One per app."""

    def __init__(self, path: str, keep: int = 8) -> None:
        self.path, self.keep = path, keep
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def take(self) -> sqlite3.Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return open_reader(self.path)

    def give(self, conn: sqlite3.Connection) -> None:
        if not conn.in_transaction:
            with self._lock:
                if len(self._idle) < self.keep:
                    self._idle.append(conn)
                    return
        conn.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


async def get_conn(request: Request) -> AsyncIterator[sqlite3.Connection]:
    """A read-only connection of the app's pool for this request alone; it never blocks the
    crawler. Async, so taking and returning it costs no trip to the thread pool (only a miss
    opens a connection, on the first requests)."""
    pool: ReadPool = request.app.state.read_pool
    conn = pool.take()
    try:
        yield conn
    finally:
        pool.give(conn)


def page_size(request: Request, limit: int | None) -> int:
    maximum: int = request.app.state.max_page_size
    if limit is None:
        return min(50, maximum)
    if limit > maximum:
        raise BadParameter("limit", f"at most {maximum} items per page (got {limit})")
    return limit


# The parameters most routes take, declared once (each is the same Query in the OpenAPI document).
Conn = Annotated[sqlite3.Connection, Depends(get_conn)]
Since = Annotated[str | None, Query(max_length=64)]
Until = Annotated[str | None, Query(max_length=64)]
Limit = Annotated[int | None, Query(ge=1)]
Cursor = Annotated[str | None, Query(max_length=500)]
FormatQuery = Annotated[Format, Query()]
RaterQuery = Annotated[Rater | None, Query()]


@dataclass(frozen=True, slots=True)
class Listing:
    """What every list route takes: ``limit`` as a page size within the server's maximum, the
    ``cursor`` of the page, and ``format`` (json or csv)."""

    size: int
    cursor: str | None
    format: Format


async def listing(request: Request, limit: Limit = None, cursor: Cursor = None,
                  format: FormatQuery = "json") -> Listing:
    """Async although it awaits nothing: FastAPI runs a plain function dependency in its thread
    pool, one more thread hop per request for a few comparisons."""
    return Listing(page_size(request, limit), cursor, format)


ListingQuery = Annotated[Listing, Depends(listing)]


def check_token(expected: str, authorization: str | None) -> None:
    """The write endpoints' bearer token: 403 when none is configured, 401 when missing or wrong
    (compared in constant time)."""
    if not expected:
        raise HTTPException(403, "write endpoints are disabled (no api.token)")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})
