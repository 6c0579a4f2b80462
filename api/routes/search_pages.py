"""The dashboard's Search (articles: full text and filters, newest first, keyset pages) and
Archive (every story by latest coverage, keyset pages). Each page links the same selection as
CSV through the JSON API, so what you see is what you download."""

from __future__ import annotations

from typing import Annotated, Any, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import Conn, Cursor, Since, Until
from api.params import BadParameter, Evidence, Lean, optional_choice, therapy_param, window
from api.routes.pages import RATERS, render
from service.listings import BadCursor, BadSearch, articles_page, stories_page
from service.names import is_product, products
from service.views import outlet_views

router = APIRouter(include_in_schema=False)
PAGE = 25
LEANS: tuple[str, ...] = get_args(Lean)
EVIDENCE: tuple[str, ...] = tuple(level.value for level in Evidence)


def _therapy_choice(value: str | None) -> str | None:
    """The form's product menu sends canonical names; any alias typed in the URL works too."""
    if value is None:
        return None
    canonical = therapy_param(value)
    if canonical and not is_product(canonical):
        raise BadParameter("therapy", f"no product named {value[:80]!r}")
    return canonical


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, conn: Conn,
    q: Annotated[str | None, Query(max_length=500)] = None,
    therapy: Annotated[str | None, Query(max_length=200)] = None,
    outlet: Annotated[str | None, Query(max_length=253)] = None,
    lean: Annotated[str | None, Query(max_length=20)] = None,
    rater: Annotated[str | None, Query(max_length=20)] = None,
    evidence: Annotated[str | None, Query(max_length=20)] = None,
    since: Since = None,
    until: Until = None,
    cursor: Cursor = None,
) -> HTMLResponse:
    filters = {"q": (q or "").strip() or None, "therapy": _therapy_choice(therapy), "outlet": (outlet or "").strip() or None,
               "lean": optional_choice("lean", lean, LEANS), "rater": optional_choice("rater", rater, RATERS),
               "evidence": optional_choice("evidence", evidence, EVIDENCE), "since": since or None, "until": until or None}
    begin, end = window(request, filters["since"], filters["until"])
    try:
        page = articles_page(conn, lean=filters["lean"], rater=filters["rater"], q=filters["q"], therapy=filters["therapy"],
                             outlet=filters["outlet"], since=begin, until=end, evidence=filters["evidence"],
                             limit=PAGE, cursor=cursor)
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from None
    except BadSearch as exc:
        raise BadParameter("q", str(exc)) from None
    views = outlet_views(conn, (a["outlet_domain"] for a in page.items), filters["rater"])
    rows = [a | {"lean": views[a["outlet_domain"]].lean} for a in page.items]
    chosen = {k: v for k, v in filters.items() if v}
    return render(request, "search.html", "search", items=rows, filters=filters, leans=LEANS, evidences=EVIDENCE,
                  therapies=products(), first_page=not cursor,
                  next_url=f"/search?{urlencode(chosen | {'cursor': page.next_cursor})}" if page.next_cursor else None,
                  csv_url=f"/articles?{urlencode(chosen | {'format': 'csv', 'limit': request.app.state.max_page_size})}",
                  first_url=f"/search?{urlencode(chosen)}")


@router.get("/archive", response_class=HTMLResponse)
def archive_page(
    request: Request, conn: Conn,
    therapy: Annotated[str | None, Query(max_length=200)] = None,
    rater: Annotated[str | None, Query(max_length=20)] = None,
    cursor: Cursor = None,
) -> HTMLResponse:
    canonical, rater = _therapy_choice(therapy), optional_choice("rater", rater, RATERS)
    try:
        found, next_cursor = stories_page(conn, rater=rater, therapy=canonical, limit=PAGE, cursor=cursor)
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from None
    chosen: dict[str, Any] = {k: v for k, v in (("therapy", canonical), ("rater", rater)) if v}
    return render(request, "archive.html", "archive", stories=found, therapy=canonical, rater=rater,
                  therapies=products(), first_page=not cursor,
                  next_url=f"/archive?{urlencode(chosen | {'cursor': next_cursor})}" if next_cursor else None,
                  csv_url=f"/stories?{urlencode(chosen | {'format': 'csv', 'limit': request.app.state.max_page_size})}",
                  first_url=f"/archive?{urlencode(chosen)}")
