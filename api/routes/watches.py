"""/watches: list, create and delete watches (bearer token, like POST /crawl: watches hold
e-mail addresses and webhook URLs, which are not for every reader of the dashboard).

A new watch matches from the moment it is created; the alert job of ``cartwatch run`` delivers.
Watches from config.toml are listed with ``origin: "config"`` and cannot be deleted here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request
from pydantic import BaseModel

from api.deps import check_token
from service.alerts import StoredWatch, WatchExistsError, add_watch, remove_watch, watch_states
from service.alerts_config import AlertsConfig, WatchSpec
from service.db import open_reader

router = APIRouter(tags=["watches"])
AUTH: dict[int | str, dict[str, Any]] = {401: {"description": "missing or wrong token"}, 403: {"description": "no token configured"}}


class WatchOut(WatchSpec):
    origin: str
    created_at: str
    checked_until: str | None
    sent: int
    pending: int
    failed: int


class WatchesPage(BaseModel):
    items: list[WatchOut]


def watch_out(s: StoredWatch) -> WatchOut:
    w = s.watch
    return WatchOut(name=w.name, kind=w.kind, therapy=w.therapy, target=w.target, metric=w.metric,
                    evidence=w.evidence, query=w.query, email=w.email, webhook=w.webhook,
                    origin=s.origin, created_at=s.created_at, checked_until=s.checked_until, sent=s.sent,
                    pending=s.pending, failed=s.failed)


@router.get("/watches", response_model=WatchesPage, summary="Every watch with its delivery counts (bearer token)",
            responses=AUTH)
def watches(request: Request, authorization: Annotated[str | None, Header()] = None) -> WatchesPage:
    check_token(request.app.state.api_config.token, authorization)
    conn = open_reader(request.app.state.db_path)
    try:
        return WatchesPage(items=[watch_out(s) for s in watch_states(conn)])
    finally:
        conn.close()


@router.post("/watches", status_code=201, response_model=WatchOut, summary="Create a watch (bearer token)",
             responses={**AUTH, 409: {"description": "a watch by that name exists"},
                        422: {"description": "a bad field (named in the message)"}})
def create(request: Request, spec: WatchSpec, authorization: Annotated[str | None, Header()] = None) -> WatchOut:
    check_token(request.app.state.api_config.token, authorization)
    alerts: AlertsConfig = request.app.state.alerts_config
    if spec.email and not alerts.smtp.host:
        raise HTTPException(422, "body parameter 'email': e-mail is not configured on this server "
                                 "([alerts.smtp] host); use a webhook")
    now: datetime = request.app.state.clock()
    try:
        return watch_out(add_watch(request.app.state.db_path, spec, now=now))
    except WatchExistsError as exc:
        raise HTTPException(409, str(exc)) from None


@router.delete("/watches/{name}", summary="Delete a watch made through the API (bearer token)",
               responses={**AUTH, 404: {"description": "no such watch"},
                          409: {"description": "the watch is defined in config.toml"}})
def delete(request: Request, name: str, authorization: Annotated[str | None, Header()] = None) -> dict[str, object]:
    check_token(request.app.state.api_config.token, authorization)
    origin = remove_watch(request.app.state.db_path, name[:100])
    if origin is None:
        raise HTTPException(404, f"no watch named {name[:100]!r}")
    if origin == "config":
        raise HTTPException(409, f"watch {name[:100]!r} is defined in config.toml: remove it there")
    return {"ok": True, "deleted": name}
