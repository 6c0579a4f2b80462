"""/articles: full-text search and filters over stored coverage, and one article in full."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from analysis.model import evidence_level
from api.csvout import csv_response
from api.deps import Conn, ListingQuery, RaterQuery
from api.params import (
    BadParameter,
    Evidence,
    Lean,
    Rater,
    SourceType,
    check_id,
    therapy_param,
    window,
)
from api.schemas import ArticleDetail, ArticlesPage, json_of
from service.listings import BadCursor, BadSearch, article_detail, articles_page
from service.views import outlet_views

router = APIRouter(tags=["articles"])
CSV_COLUMNS = ("id", "published_at", "title", "url", "kind", "outlet_domain", "outlet_name", "source_type",
               "outlet_lean", "outlet_factuality", "therapies", "story_id", "doi", "pmid", "nct_id", "via",
               "evidence", "evidence_label")


@router.get("/articles", response_model=ArticlesPage, summary="Search and list articles, newest first",
            responses={422: {"description": "a bad parameter (named in the message)"}})
def articles(
    request: Request,
    conn: Conn,
    listing: ListingQuery,
    q: Annotated[str | None, Query(max_length=500, description="full-text query over title and text")] = None,
    since: Annotated[str | None, Query(max_length=64, description="2026-11-01, 2026-11-01T06:00:00Z or 24h / 7d")] = None,
    until: Annotated[str | None, Query(max_length=64, description="same forms as since; exclusive")] = None,
    therapy: Annotated[str | None, Query(max_length=200, description="any name of a product")] = None,
    outlet: Annotated[str | None, Query(max_length=253)] = None,
    lean: Annotated[Lean | None, Query(description="the outlet's lean in the chosen view")] = None,
    rater: Annotated[Rater | None, Query(description="one rater's view; default the average")] = None,
    source_type: Annotated[SourceType | None, Query()] = None,
    evidence: Annotated[Evidence | None, Query(description="peer-reviewed, press release, news or registry")] = None,
    story: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="only this story's articles")] = None,
) -> Any:
    begin, end = window(request, since, until)
    try:
        page = articles_page(conn, lean=lean, rater=rater, q=q, since=begin, until=end, therapy=therapy_param(therapy),
                             outlet=outlet, source_type=source_type, limit=listing.size, cursor=listing.cursor,
                             evidence=evidence, story_id=story)
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from None
    except BadSearch as exc:
        raise BadParameter("q", str(exc)) from None
    views = outlet_views(conn, (a["outlet_domain"] for a in page.items), rater)
    for item in page.items:
        view = views[item["outlet_domain"]]
        item["outlet_lean"], item["outlet_factuality"] = view.lean, view.factuality
        level = evidence_level(item["kind"], item["source_type"])
        item["evidence"], item["evidence_label"] = level.value, level.label
    if listing.format == "csv":
        return csv_response(page.items, CSV_COLUMNS, name="articles", next_cursor=page.next_cursor)
    return json_of(ArticlesPage.model_validate({"items": page.items, "next_cursor": page.next_cursor}))


@router.get("/articles/{article_id}", response_model=ArticleDetail, summary="One article with its claims and story",
            responses={404: {"description": "no such article"}})
def article(
    article_id: int, conn: Conn,
    rater: RaterQuery = None,
) -> Response:
    found = article_detail(conn, check_id("article", article_id))
    if found is None:
        raise HTTPException(404, f"no article with id {article_id}")
    view = outlet_views(conn, [found["outlet_domain"]], rater)[found["outlet_domain"]]
    found["outlet_lean"], found["outlet_factuality"] = view.lean, view.factuality
    found["reports_efficacy"] = bool(found.get("reports_efficacy"))
    found["reports_safety"] = bool(found.get("reports_safety"))
    level = evidence_level(found["kind"], found.get("source_type"))
    found["evidence"], found["evidence_label"] = level.value, level.label
    return json_of(ArticleDetail.model_validate(found))
