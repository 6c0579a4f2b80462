"""/crawl/status (read) and POST /crawl (start a crawl now: the one write endpoint).

``POST /crawl`` is refused with 403 unless a token is configured (``api.token`` or
``CARTWATCH_API_TOKEN``), 401 without the right ``Authorization: Bearer`` token (compared in
constant time), and 503 in a process that has no crawler (``cartwatch serve``). The trigger it
calls is injected by the application shell; this package never imports the crawler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from api.csvout import csv_response
from api.deps import Conn, FormatQuery, check_token
from api.params import BadParameter
from api.schemas import json_of
from api.schemas_sources import CrawlStartedOut, CrawlStatusOut
from service.views import crawl_status_data

router = APIRouter(tags=["crawl"])
CSV_COLUMNS = ("name", "kind", "url", "last_run_at", "last_success_at", "next_run_at", "error_count", "last_error",
               "last_error_at", "last_status", "last_fetched", "last_new", "last_updated", "last_errors")
MAX_SOURCES = 100


@router.get("/crawl/status", response_model=CrawlStatusOut,
            summary="Per source: last run, last success, counts of the last result, last error")
def crawl_status(conn: Conn,
                 format: FormatQuery = "json") -> Any:
    data = crawl_status_data(conn)
    if format == "csv":
        rows = [s | {f"last_{k}": (s["last_result"] or {}).get(k) for k in ("status", "fetched", "new", "updated", "errors")}
                for s in data["sources"]]
        return csv_response(rows, CSV_COLUMNS, name="crawl-status")
    return json_of(CrawlStatusOut.model_validate(data))


@router.post("/crawl", status_code=202, response_model=CrawlStartedOut, summary="Start a crawl now (bearer token)",
             responses={401: {"description": "missing or wrong token"}, 403: {"description": "no token configured"},
                        409: {"description": "the crawl could not start (e.g. one is running)"},
                        503: {"description": "this process has no crawler (serve-only)"}})
def start_crawl(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    source: Annotated[list[str] | None, Query(description="only these sources (repeatable)")] = None,
) -> JSONResponse:
    check_token(request.app.state.api_config.token, authorization)
    if source is not None and (len(source) > MAX_SOURCES or any(not s or len(s) > 200 for s in source)):
        raise BadParameter("source", f"1 to {MAX_SOURCES} source names of at most 200 characters")
    trigger: Callable[[list[str] | None], str] | None = request.app.state.crawl_trigger
    if trigger is None:
        raise HTTPException(503, "this process only serves the API (cartwatch serve): no crawler to start; "
                                 "use cartwatch run, or cartwatch crawl --once")
    try:
        started = trigger(source or None)
    except ValueError as exc:
        raise BadParameter("source", str(exc)) from None
    except RuntimeError as exc:
        raise HTTPException(409, str(exc)) from None
    return JSONResponse({"ok": True, "status": 202, "started": started}, status_code=202)
