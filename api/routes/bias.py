"""/bias/compare: lean, factuality, source types and efficacy/safety emphasis, per group."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import TypeAdapter

from service.compare import Comparison, compare, comparison_rows
from api.csvout import csv_response
from api.deps import Conn, FormatQuery, RaterQuery, Since, Until
from api.params import CompareBy, window

router = APIRouter(tags=["bias"])
COMPARISON = TypeAdapter(Comparison)  # serialises the frozen dataclasses in pydantic's core, without asdict's copies


@router.get("/bias/compare", response_model=Comparison, summary="Coverage compared by therapy, month or source type",
            description="Lean and factuality count DISTINCT outlets per group; source types and the "
                        "efficacy/safety emphasis count articles. `rater` picks one rater's view (default "
                        "the average of all raters).")
def bias_compare(
    request: Request,
    conn: Conn,
    by: Annotated[CompareBy, Query()] = "therapy",
    since: Since = None,
    until: Until = None,
    rater: RaterQuery = None,
    format: FormatQuery = "json",
) -> Any:
    begin, end = window(request, since, until)
    found = compare(conn, by=by, since=begin, until=end, rater=rater)
    if format == "csv":
        rows, columns = comparison_rows(found)
        return csv_response(rows, columns, name=f"bias-by-{by}")
    return Response(COMPARISON.dump_json(found), media_type="application/json")
