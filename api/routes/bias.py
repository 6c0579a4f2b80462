"""/bias/compare: lean, factuality, source types and efficacy/safety emphasis, per group."""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from analysis.outlets import FACTUALITY_LABELS, LEAN_LABELS, SOURCE_TYPES
from api.compare import Comparison, compare
from service.csvout import csv_response
from api.deps import get_conn
from api.params import CompareBy, Format, Rater, window

router = APIRouter(tags=["bias"])


def comparison_rows(found: Comparison) -> tuple[list[dict[str, Any]], list[str]]:
    """One CSV row per group: counts per lean, factuality and source type, and emphasis."""
    columns = ["group", "articles", "outlets", *(f"lean:{label}" for label in (*LEAN_LABELS, "unrated")),
               *(f"factuality:{label}" for label in (*FACTUALITY_LABELS, "unrated")),
               *(f"type:{t}" for t in (*SOURCE_TYPES, "unrated")),
               *(f"efficacy%:{label}" for label in (*LEAN_LABELS, "unrated")), *(f"safety%:{label}" for label in (*LEAN_LABELS, "unrated"))]
    rows = []
    for g in found.groups:
        row: dict[str, Any] = {"group": g.group, "articles": g.articles, "outlets": g.outlets}
        for prefix, dist in (("lean", g.lean), ("factuality", g.factuality), ("type", g.source_type)):
            row |= {f"{prefix}:{b.label}": b.count for b in dist.buckets} | {f"{prefix}:unrated": dist.unrated}
        for label, share in g.emphasis_by_lean.items():
            row |= {f"efficacy%:{label}": share.efficacy_percent, f"safety%:{label}": share.safety_percent}
        rows.append(row)
    return rows, columns


@router.get("/bias/compare", response_model=Comparison, summary="Coverage compared by therapy, month or source type",
            description="Lean and factuality count DISTINCT outlets per group; source types and the "
                        "efficacy/safety emphasis count articles. `rater` picks one rater's view (default "
                        "the average of all raters).")
def bias_compare(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    by: Annotated[CompareBy, Query()] = "therapy",
    since: Annotated[str | None, Query(max_length=64)] = None,
    until: Annotated[str | None, Query(max_length=64)] = None,
    rater: Annotated[Rater | None, Query()] = None,
    format: Annotated[Format, Query()] = "json",
) -> Any:
    begin, end = window(request, since, until)
    found = compare(conn, by=by, since=begin, until=end, rater=rater)
    if format == "csv":
        rows, columns = comparison_rows(found)
        return csv_response(rows, columns, name=f"bias-by-{by}")
    return JSONResponse(dataclasses.asdict(found))
