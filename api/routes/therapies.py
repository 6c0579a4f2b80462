"""/therapies: the product dictionary, and one product's claims with consensus and discrepancies."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from analysis.consistency import ReportedValue, collapse, summarize
from analysis.therapies import Therapy, all_therapies, all_trials, resolve_therapy, therapy_aliases
from service.csvout import csv_response
from api.deps import get_conn
from api.params import Format
from api.routes.claims import claim_items
from api.schemas import TherapiesPage, TherapyDetail
from store.queries_claims import SUMMARY_WINDOW, latest_claim_at, therapy_claims

router = APIRouter(tags=["therapies"])
HISTORY = 200
MAX_DISCREPANCIES = 50  # per metric; ``discrepancy_count`` has them all
CSV_COLUMNS = ("canonical", "short_name", "brands", "codes", "target", "indications", "developer", "status",
               "latest_claim_at")


def therapy_item(conn: sqlite3.Connection, therapy: Therapy) -> dict[str, Any]:
    return {"canonical": therapy.canonical, "short_name": therapy.short_name, "brands": list(therapy.brands),
            "codes": list(therapy.codes), "target": therapy.target, "indications": list(therapy.indications),
            "developer": therapy.developer, "status": therapy.status,
            "latest_claim_at": latest_claim_at(conn, therapy.canonical)}


def find_therapy(name: str) -> Therapy:
    """The product for any of its names, else a 404."""
    canonical = resolve_therapy(name[:200])
    therapy = next((t for t in all_therapies() if t.canonical == canonical), None)
    if therapy is None:
        raise HTTPException(404, f"no therapy named {name[:200]!r}")
    return therapy


@router.get("/therapies", response_model=TherapiesPage, summary="Every product in the dictionary")
def therapies(conn: Annotated[sqlite3.Connection, Depends(get_conn)],
              format: Annotated[Format, Query()] = "json") -> Any:
    items = [therapy_item(conn, t) for t in all_therapies()]
    if format == "csv":
        return csv_response(items, CSV_COLUMNS, name="therapies")
    return TherapiesPage.model_validate({"items": items})


def reported(row: dict[str, Any]) -> ReportedValue:
    return ReportedValue(
        claim_id=row["id"], article_id=row["article_id"], trial=row["trial"], metric=row["metric"],
        value=row["value"], unit=row["unit"], not_reached=bool(row["not_reached"]),
        timepoint_months=row["timepoint_months"], followup_months=row["followup_months"],
        evidence=row["evidence"], sentence=row["sentence"], outlet_domain=row["outlet_domain"],
        published_at=row["published_at"] or row["sort_at"])


def therapy_detail(conn: sqlite3.Connection, name: str) -> dict[str, Any]:
    """What ``/therapies/{name}`` and the Therapy page show."""
    therapy = find_therapy(name)
    rows = claim_items(conn, therapy_claims(conn, therapy.canonical))
    return {
        "therapy": therapy_item(conn, therapy),
        "aliases": list(therapy_aliases(therapy.canonical)),
        "trials": [t.canonical for t in all_trials() if t.therapy == therapy.canonical],
        "claims_considered": len(rows), "window_full": len(rows) >= SUMMARY_WINDOW,
        "metrics": list(summarize(collapse(reported(r) for r in rows), max_discrepancies=MAX_DISCREPANCIES)),
        "history": rows[-HISTORY:],
    }


@router.get("/therapies/{name}", response_model=TherapyDetail,
            summary="One product: claims by trial and metric, consensus, discrepancies, history",
            description="`name` is any name of the product. `metrics` compares, per trial + metric + "
                        "timepoint, the values of peer-reviewed sources with those of news and press "
                        "releases of the same data cut; `history` is the latest claims by publication "
                        "date with their data cut (followup_months).",
            responses={404: {"description": "no product by that name"}})
def therapy(name: str, conn: Annotated[sqlite3.Connection, Depends(get_conn)]) -> TherapyDetail:
    return TherapyDetail.model_validate(therapy_detail(conn, name))
