"""/digest and the Atom feeds: what is new, for people and for feed readers."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from analysis.model.results import Digest
from api.deps import Conn, RaterQuery
from api.feeds import atom_feed, claim_entries, story_entries
from api.params import DigestFormat, checked_window, clock, parse_instant
from service.digest import build_digest, digest_text
from service.views import find_therapy
from service.windows import to_instant

router = APIRouter(tags=["digest and feeds"])
ATOM_TYPE = "application/atom+xml; charset=utf-8"


def base_of(request: Request) -> str:
    """``api.public_url`` when set (behind a proxy the request's own host is an internal one),
    else the host the request came to."""
    public: str = request.app.state.api_config.public_url
    return public or str(request.base_url).rstrip("/")


def digest_window(request: Request, since: str | None, until: str | None) -> tuple[str, str]:
    now = clock(request)
    begin = parse_instant("since", since or "24h", now=now) or ""
    # Default end: the end of the current second, so what was stored "now" is included.
    end = parse_instant("until", until, now=now) or to_instant("0h", now=now + timedelta(seconds=1))
    checked_window(begin, end)
    return begin, end


@router.get("/digest", response_model=Digest, summary="New stories with their coverage, and new claims by therapy",
            description="Stories first seen, and claims extracted, in `[since, until)` (default: the last "
                        "24 hours). `format=markdown` or `text` answers the same digest as text.")
def digest(
    request: Request,
    conn: Conn,
    since: Annotated[str | None, Query(max_length=64, description="default 24h")] = None,
    until: Annotated[str | None, Query(max_length=64, description="default now")] = None,
    rater: RaterQuery = None,
    format: Annotated[DigestFormat, Query()] = "json",
) -> Any:
    begin, end = digest_window(request, since, until)
    found = build_digest(conn, since=begin, until=end, base_url=base_of(request), rater=rater)
    if format == "markdown":
        return PlainTextResponse(digest_text(found, "markdown"), media_type="text/markdown; charset=utf-8")
    if format == "text":
        return PlainTextResponse(digest_text(found))
    return JSONResponse(dataclasses.asdict(found))


@router.get("/feed.atom", summary="Atom feed of new stories", response_class=Response,
            responses={200: {"content": {"application/atom+xml": {}}}})
def stories_feed(
    request: Request,
    conn: Conn,
    since: Annotated[str | None, Query(max_length=64, description="default 7d")] = None,
) -> Response:
    begin, end = digest_window(request, since or "7d", None)
    found = build_digest(conn, since=begin, until=end, base_url=base_of(request))
    entries = story_entries(found)
    body = atom_feed(feed_id="tag:cartwatch,2026:stories", title="cartwatch: new CAR-T stories",
                     self_link=str(request.url), alternate=base_of(request) + "/",
                     updated=max((e.updated for e in entries), default=end), entries=entries)
    return Response(body, media_type=ATOM_TYPE)


@router.get("/therapies/{name}/claims.atom", summary="Atom feed of new claims for one product (any name)",
            response_class=Response, responses={200: {"content": {"application/atom+xml": {}}},
                                                404: {"description": "no product by that name"}})
def therapy_claims_feed(
    name: str, request: Request, conn: Conn,
    since: Annotated[str | None, Query(max_length=64, description="default 30d")] = None,
) -> Response:
    therapy = find_therapy(name)
    begin, end = digest_window(request, since or "30d", None)
    entries = claim_entries(conn, therapy=therapy.canonical, since=begin, base_url=base_of(request))
    label = therapy.short_name or therapy.canonical
    body = atom_feed(feed_id=f"tag:cartwatch,2026:claims/{therapy.canonical.replace(' ', '-')}",
                     title=f"cartwatch: new numbers for {label}", self_link=str(request.url),
                     alternate=f"{base_of(request)}/therapy/{quote(therapy.canonical)}",
                     updated=max((e.updated for e in entries), default=end), entries=entries)
    return Response(body, media_type=ATOM_TYPE)
