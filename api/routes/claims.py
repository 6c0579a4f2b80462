"""/claims: outcome claims newest first, by therapy (any alias), trial, metric, source."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.csvout import csv_response
from api.deps import Conn, ListingQuery, Since, Until
from api.params import (
    BadParameter,
    Evidence,
    SourceType,
    metric_param,
    therapy_param,
    trial_param,
    window,
)
from api.schemas import ClaimsPage, json_of
from service.listings import BadCursor, claims_page

router = APIRouter(tags=["claims"])
CSV_COLUMNS = ("id", "published_at", "therapy", "trial", "metric", "value", "unit", "not_reached",
               "timepoint_months", "followup_months", "ci_low", "ci_high", "denominator", "evidence", "evidence_label",
               "source_type", "outlet_domain", "article_id", "article_title", "article_url", "sentence",
               "extracted_at")


@router.get("/claims", response_model=ClaimsPage, summary="Outcome claims, newest first",
            description="`therapy` accepts any name of a product (generic, short, brand or code name); "
                        "an unknown name matches nothing and answers an empty list. `trial` accepts any "
                        "spelling of a named trial. `evidence` is the evidence level of the source: "
                        "peer_reviewed (peer-reviewed paper), preprint, conference_abstract, registry_results, "
                        "press_release or news; `evidence_label` names it in words.")
def claims(
    request: Request,
    conn: Conn,
    listing: ListingQuery,
    therapy: Annotated[str | None, Query(max_length=200)] = None,
    trial: Annotated[str | None, Query(max_length=200)] = None,
    metric: Annotated[str | None, Query(max_length=40, description="e.g. ORR, CR, PFS_MEDIAN, CRS_GRADE3PLUS")] = None,
    source_type: Annotated[SourceType | None, Query()] = None,
    evidence: Annotated[Evidence | None, Query()] = None,
    since: Since = None,
    until: Until = None,
) -> Any:
    begin, end = window(request, since, until)
    canonical = therapy_param(therapy)
    try:
        page = claims_page(conn, therapy=canonical, trial=trial_param(trial), metric=metric_param(metric),
                           source_type=source_type, evidence=evidence, since=begin, until=end,
                           limit=listing.size, cursor=listing.cursor)
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from None
    items = page.items
    if listing.format == "csv":
        return csv_response(items, CSV_COLUMNS, name="claims", next_cursor=page.next_cursor)
    return json_of(ClaimsPage.model_validate({"therapy": canonical, "items": items, "next_cursor": page.next_cursor}))
