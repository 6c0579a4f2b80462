"""``create_app``: the FastAPI application (JSON API, OpenAPI docs at /docs).

Every error, whatever raised it, leaves as the same JSON shape ``{"ok": false, "error", "status"}``
(one handler per exception family, as Datasette does). Unknown failures are logged with their
traceback and still answer in that shape; the tests drive bad input to make sure none happens.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Mapping, MutableMapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi_offline import FastAPIOffline
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.config import ApiConfig
from api.deps import Conn, ReadPool
from api.routes import (articles, bias, claims, crawl, crawl_form, digest, pages, search_pages, sources, stories,
                        therapies, watches)
from service.alerts_config import AlertsConfig
from service.db import prepare_for_serving
from service.views import NotFoundError
from api.schemas import HealthOut

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status, headers=headers)


def wants_html(request: Request) -> bool:
    """A browser (it asks for text/html) on a dashboard page or on a path that does not exist:
    the error is then an HTML page with the same status and message, not JSON in the window.
    API routes, and every client that does not ask for HTML, keep the JSON error shape."""
    if "text/html" not in request.headers.get("accept", ""):
        return False
    route = request.scope.get("route")
    return route is None or getattr(route, "response_class", None) is HTMLResponse


def respond_error(request: Request, status: int, message: str,
                  headers: Mapping[str, str] | None = None) -> Response:
    if not wants_html(request):
        return error_response(status, message, headers)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"page": "", "status": status, "message": message},
                                      status_code=status, headers=dict(headers or {}))


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ())]
        where = loc[-1] if loc else "request"
        kind = loc[0] if loc else "query"
        parts.append(f"{kind} parameter {where!r}: {str(error.get('msg', 'invalid')).removeprefix('Value error, ')}")
    return "; ".join(parts) or "invalid request"


def mount_routes(app: FastAPI) -> None:
    """The JSON API, the dashboard pages, their templates and the package's static files."""
    for module in (articles, stories, claims, therapies, digest, sources, bias, crawl, watches, pages, search_pages,
                   crawl_form):
        app.include_router(module.router)
    app.state.templates = pages.build_templates()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


class HeadAsGet:
    """ASGI middleware: HEAD answers like GET without the body (RFC 9110 §9.3.2); FastAPI's
    GET routes alone answer HEAD with 405. Headers (Content-Length included) are GET's."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Callable[..., Any],
                       send: Callable[..., Any]) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.read_pool.close()


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def create_app(
    db_path: str | Path, config: ApiConfig | None = None, *,
    crawl_trigger: Callable[[list[str] | None], str] | None = None,
    clock: Callable[[], datetime] = utc_now, alerts: AlertsConfig | None = None,
) -> FastAPI:
    """The app over one database. ``crawl_trigger`` starts a crawl for ``POST /crawl`` (None in a
    serve-only process); ``clock`` is "now" for relative times like ``since=24h``."""
    config = config or ApiConfig()
    # Create or migrate the file only when needed; a current database is never opened for
    # writing, so one on a read-only filesystem is served read-only.
    prepare_for_serving(db_path)
    # FastAPIOffline serves /docs and /redoc from assets shipped in the package, not a CDN, so
    # the docs work on an offline, self-hosted machine like the rest of the dashboard.
    app = FastAPIOffline(title="cartwatch", version="0.1.0",
                  description="CAR T-cell therapy coverage, outcome claims and source bias.", lifespan=_lifespan)
    app.state.db_path = str(db_path)
    app.state.read_pool = ReadPool(str(db_path))
    app.state.max_page_size = config.max_page_size
    app.state.api_config = config
    app.state.crawl_trigger = crawl_trigger
    app.state.clock = clock
    app.state.alerts_config = alerts or AlertsConfig()

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return respond_error(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return respond_error(request, 404, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return respond_error(request, 422, _validation_message(exc))

    @app.exception_handler(sqlite3.OperationalError)
    async def db_busy(request: Request, exc: sqlite3.OperationalError) -> Response:
        logger.warning("database error: %s", exc)
        return respond_error(request, 503, "database temporarily unavailable; retry shortly")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        logger.exception("unhandled error", exc_info=exc)
        return respond_error(request, 500, "internal error (logged)")

    @app.get("/health", response_model=HealthOut, tags=["service"])
    def health(conn: Conn) -> HealthOut:
        version = conn.execute(
            "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = 'cartwatch'").fetchone()[0]
        # Rows are never deleted and rowids never reused, so max(id) is the count without a
        # full-table count (which costs ~100 ms at a million articles).
        articles_count = conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        return HealthOut(ok=True, schema_version=version, articles=articles_count)

    mount_routes(app)
    app.add_middleware(HeadAsGet)
    return app


