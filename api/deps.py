"""Per-request dependencies: a read-only database connection, the page-size rule, the parameters
every list route takes, and the bearer-token check of the write endpoints."""

from __future__ import annotations

import hmac
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request

from api.params import BadParameter, Format, Rater
from service.db import open_reader


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    """A fresh read-only connection per request: cheap in SQLite, and never blocks the crawler."""
    conn = open_reader(request.app.state.db_path)
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


def listing(request: Request, limit: Limit = None, cursor: Cursor = None, format: FormatQuery = "json") -> Listing:
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
