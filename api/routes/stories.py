"""/stories: stories by latest coverage with their lean bar, and one story's coverage details."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from analysis.model import LEAN_LABELS
from api.csvout import csv_response
from api.deps import Conn, ListingQuery, RaterQuery, Until
from api.params import BadParameter, Blindspot, check_id, therapy_param, window
from api.schemas import StoriesPage, StoryDetail, json_of
from service.listings import BadCursor, stories_page
from service.views import story_detail, story_item

router = APIRouter(tags=["stories"])
CSV_COLUMNS = ("id", "title", "first_seen_at", "last_seen_at", "created_at", "therapies", "trials",
               "article_count", "outlet_count", "blindspot", *LEAN_LABELS, "unrated")


@router.get("/stories", response_model=StoriesPage, summary="Stories by latest coverage, with their lean bar",
            description="`blindspot` filters on the stored flag (computed from the raters' average when the "
                        "story was last updated); `rater` changes the lean bars shown.")
def stories(
    request: Request,
    conn: Conn,
    listing: ListingQuery,
    since: Annotated[str | None, Query(max_length=64, description="latest coverage at or after")] = None,
    until: Until = None,
    therapy: Annotated[str | None, Query(max_length=200, description="any name of a product")] = None,
    blindspot: Annotated[Blindspot | None, Query()] = None,
    rater: RaterQuery = None,
) -> Any:
    begin, end = window(request, since, until)
    try:
        found, next_cursor = stories_page(conn, rater=rater, since=begin, until=end, therapy=therapy_param(therapy),
                                          blindspot=blindspot, limit=listing.size, cursor=listing.cursor)
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from None
    items = [story_item(f) for f in found]
    if listing.format == "csv":
        rows = [item | {b.label: b.count for b in item["lean"].buckets} | {"unrated": item["lean"].unrated}
                for item in items]
        return csv_response(rows, CSV_COLUMNS, name="stories", next_cursor=next_cursor)
    return json_of(StoriesPage.model_validate({"rater": rater, "items": items, "next_cursor": next_cursor}))


@router.get("/stories/{story_id}", response_model=StoryDetail, summary="One story: coverage details, articles, claims",
            responses={404: {"description": "no such story"}})
def story(
    story_id: int, conn: Conn,
    rater: RaterQuery = None,
) -> Response:
    return json_of(StoryDetail.model_validate(story_detail(conn, check_id("story", story_id), rater)))
