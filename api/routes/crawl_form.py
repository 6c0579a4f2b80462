"""The Crawl status page's "crawl now" button: an HTML form POST carrying the API token.

A form cannot send an ``Authorization`` header, so the token travels as a form field (POST body,
never the URL) and is checked like the bearer token of ``POST /crawl``; not knowing it, another
site cannot make a visitor's browser start crawls. Success redirects (303) back to /status with
a notice, so reloading the page does not post again.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import check_token
from api.params import BadParameter

router = APIRouter(include_in_schema=False)
MAX_BODY = 10_000
MAX_SOURCE = 200  # as POST /crawl


@router.post("/status/crawl", response_class=HTMLResponse)
async def crawl_now(request: Request) -> RedirectResponse:
    body = await request.body()
    if len(body) > MAX_BODY:
        raise HTTPException(413, "form too large")
    form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=10)
    token, source = (form.get("token") or [""])[0], (form.get("source") or [""])[0]
    check_token(request.app.state.api_config.token, f"Bearer {token}")
    if len(source) > MAX_SOURCE:
        raise BadParameter("source", f"a source name of at most {MAX_SOURCE} characters")
    trigger: Callable[[list[str] | None], str] | None = request.app.state.crawl_trigger
    if trigger is None:
        raise HTTPException(503, "this process only serves the dashboard (cartwatch serve): "
                                 "start crawls from the process running `cartwatch run`")
    try:
        started = trigger([source] if source else None)
    except ValueError as exc:
        raise BadParameter("source", str(exc)) from None
    except RuntimeError as exc:
        raise HTTPException(409, str(exc)) from None
    return RedirectResponse(f"/status?{urlencode({'notice': started})}", status_code=303)
