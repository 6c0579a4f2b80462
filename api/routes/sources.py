"""/sources: outlets with their facts and every rater's value; /sources/unrated: who nobody rated."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from api.csvout import csv_response
from api.deps import Conn, ListingQuery
from api.params import BadParameter
from api.schemas import json_of
from api.schemas_sources import OutletsPage, UnratedPage
from service.listings import BadCursor, unrated_outlets
from service.views import outlets_page

router = APIRouter(tags=["sources"])
CSV_COLUMNS = ("domain", "name", "source_type", "owner", "ownership_category", "country", "verified_at",
               "language", "provenance", "average_lean", "average_lean_raters", "average_factuality", "ratings")
UNRATED_COLUMNS = ("domain", "name", "articles", "source_type", "in_registry")


@router.get("/sources", response_model=OutletsPage, summary="Outlets: facts with provenance, every rating, average")
def sources(
    request: Request,
    conn: Conn,
    listing: ListingQuery,
) -> Any:
    try:
        page = outlets_page(conn, limit=listing.size, cursor=listing.cursor)
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from None
    if listing.format == "csv":
        rows = [item | {"average_lean": item["average"]["lean"], "average_lean_raters": item["average"]["lean_raters"],
                        "average_factuality": item["average"]["factuality"],
                        "ratings": [f"{r['rater']} {r['dimension']}={r['value']} ({r['rated_at'] or 'undated'})"
                                    for r in item["ratings"]]} for item in page.items]
        return csv_response(rows, CSV_COLUMNS, name="sources", next_cursor=page.next_cursor)
    return json_of(OutletsPage.model_validate({"items": page.items, "next_cursor": page.next_cursor}))


@router.get("/sources/unrated", response_model=UnratedPage,
            summary="Outlet domains of stored articles that no rater rated, with article counts")
def unrated(
    request: Request,
    conn: Conn,
    listing: ListingQuery,
) -> Any:
    try:
        page = unrated_outlets(conn, limit=listing.size, cursor=listing.cursor)
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from None
    if listing.format == "csv":
        return csv_response(page.items, UNRATED_COLUMNS, name="unrated-sources", next_cursor=page.next_cursor)
    return json_of(UnratedPage.model_validate({"items": page.items, "next_cursor": page.next_cursor}))
