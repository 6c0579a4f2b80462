"""/therapies: the product dictionary, and one product's claims with consensus and discrepancies."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from api.csvout import csv_response
from api.deps import Conn, FormatQuery
from api.schemas import TherapiesPage, TherapyDetail, json_of
from service.views import therapy_detail, therapy_items

router = APIRouter(tags=["therapies"])
CSV_COLUMNS = ("canonical", "short_name", "brands", "codes", "target", "indications", "developer", "status",
               "latest_claim_at")


@router.get("/therapies", response_model=TherapiesPage, summary="Every product in the dictionary")
def therapies(conn: Conn,
              format: FormatQuery = "json") -> Any:
    items = therapy_items(conn)
    if format == "csv":
        return csv_response(items, CSV_COLUMNS, name="therapies")
    return json_of(TherapiesPage.model_validate({"items": items}))


@router.get("/therapies/{name}", response_model=TherapyDetail,
            summary="One product: claims by trial and metric, consensus, discrepancies, history",
            description="`name` is any name of the product. `metrics` compares, per trial + metric + "
                        "timepoint, the values of peer-reviewed sources with those of news and press "
                        "releases of the same data cut; `history` is the latest claims by publication "
                        "date with their data cut (followup_months).",
            responses={404: {"description": "no product by that name"}})
def therapy(name: str, conn: Conn) -> Response:
    return json_of(TherapyDetail.model_validate(therapy_detail(conn, name)))
