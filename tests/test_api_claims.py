"""/claims: by any alias, trial, metric, source; keyset pages that use the claims indexes."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from api.schemas import ClaimsPage
from service.views import claim_items
from store.claims import CLAIM_COLUMNS, attach_articles, claims_sql
from store.pagination import encode_cursor
from analysis.model import Claim
from store import AnalysisWrites, Store
from tests.seed import CILTA, NOW, seed, seeded_client


@pytest.fixture
def client(tmp_path: Path) -> Any:
    return seeded_client(tmp_path)


def values(client: Any, **params: Any) -> list[float | None]:
    response = client.get("/claims", params=params)
    assert response.status_code == 200, response.text
    return [c["value"] for c in response.json()["items"]]


@pytest.mark.parametrize("alias", ["cilta-cel", "Carvykti", "ciltacabtagene autoleucel", "JNJ-4528", "cilta cel"])
def test_claims_by_any_alias_newest_first(client: Any, alias: str) -> None:
    body = client.get("/claims", params={"therapy": alias}).json()
    assert body["therapy"] == "ciltacabtagene autoleucel"
    assert len(body["items"]) == 12
    dates = [c["sort_at"] for c in body["items"]]
    assert dates == sorted(dates, reverse=True)


def test_filters(client: Any) -> None:
    assert values(client, therapy="cilta-cel", trial="cartitude 1", metric="ORR") == [89.0, 97.9, 98.0, 98.0, 97.9]
    assert values(client, therapy="cilta-cel", metric="ORR", evidence="peer_reviewed") == [97.9]
    assert values(client, metric="ORR", evidence="press_release") == [71.0, 98.0]
    assert values(client, source_type="preprint server") == [75.9, None]
    assert values(client, therapy="axi-cel", since="2026-11-22T02:30:00Z") == [6.0, 55.0]
    assert values(client, therapy="unknown-cel") == []  # an unknown name matches nothing


def test_claim_rows_carry_evidence_article_and_data_cut(client: Any) -> None:
    [paper] = client.get("/claims", params={"therapy": "cilta-cel", "metric": "sCR"}).json()["items"]
    assert paper["evidence"] == "peer_reviewed" and paper["followup_months"] == 27.7
    assert paper["article_title"] == "Ciltacabtagene autoleucel in CARTITUDE-1: final analysis"
    assert paper["evidence_label"] == "peer-reviewed paper"
    # The medRxiv preprint is a preprint, never peer-reviewed.
    assert client.get("/claims", params={"metric": "PFS_MEDIAN", "evidence": "peer_reviewed"}).json()["items"] == []
    [nr] = client.get("/claims", params={"metric": "PFS_MEDIAN", "evidence": "preprint"}).json()["items"]
    assert nr["not_reached"] is True and nr["value"] is None and nr["evidence_label"] == "preprint"
    assert client.get("/claims", params={"evidence": "registry"}).status_code == 422


def test_cursor_pages(client: Any) -> None:
    seen, cursor = [], None
    while True:
        page = client.get("/claims", params={"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == list(range(1, 21))


def test_csv_neutralises_formula_cells(client: Any) -> None:
    response = client.get("/claims", params={"format": "csv", "therapy": "cilta-cel", "metric": "ORR"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[0]["sentence"] == "ORR <b>84.6%</b> =cmd|' /C calc'!A0"  # starts with O: left alone
    assert rows[0]["evidence"] == "news" and rows[0]["value"] == "84.6"
    assert all(not r["sentence"].startswith(("=", "+", "-", "@")) for r in rows)


def test_csv_names_every_rows_evidence_level_in_code_and_words(client: Any) -> None:
    response = client.get("/claims", params={"format": "csv", "therapy": "cilta-cel"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    named = {(r["evidence"], r["evidence_label"]) for r in rows}
    assert {("peer_reviewed", "peer-reviewed paper"), ("preprint", "preprint"), ("news", "news")} <= named
    blog = client.get("/articles", params={"format": "csv", "q": "wows"}).text
    assert "Cilta-cel wows again (=HYPERLINK)" in blog


def test_metric_must_be_a_name(client: Any) -> None:
    body = client.get("/claims", params={"metric": "ORR; DROP"}).json()
    assert body["status"] == 422 and "'metric'" in body["error"]


@pytest.mark.parametrize("filters", [{"therapy": "x"}, {"therapy": "x", "metric": "ORR"},
                                     {"therapy": "x", "cursor": encode_cursor("2026-01-01T00:00:00Z", 9)},
                                     {"therapy": "x", "metric": "ORR", "since": "2025-01-01"}])
def test_claims_by_therapy_read_an_index_range_without_sorting(tmp_path: Path, filters: dict[str, str]) -> None:
    seed(tmp_path / "plan.db")
    conn = sqlite3.connect(tmp_path / "plan.db")
    sql, params = claims_sql(**filters)
    plan = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, [*params, 50]))
    conn.close()
    assert "USING INDEX idx_claims_therapy" in plan and "TEMP B-TREE" not in plan


def _expected_body(conn: sqlite3.Connection, therapy: str | None, rows: list[dict[str, Any]],
                   more: bool) -> bytes:
    """The page as the route built it before its listing query read the titles itself: claim
    rows, titles attached by a second query, claim items, the response model's own JSON."""
    attach_articles(conn, rows)
    items = claim_items(conn, rows)
    cursor = encode_cursor(items[-1]["sort_at"], items[-1]["id"]) if more and items else None
    return ClaimsPage.model_validate({"therapy": therapy, "items": items, "next_cursor": cursor}) \
        .model_dump_json().encode()


@pytest.mark.parametrize("therapy", [None, "ciltacabtagene autoleucel", "idecabtagene vicleucel", "nosuch"])
def test_claims_body_is_byte_for_byte_the_response_model_dump(client: Any, tmp_path: Path,
                                                              therapy: str | None) -> None:
    conn = sqlite3.connect(tmp_path / "seeded.db")
    conn.row_factory = sqlite3.Row
    everything = [dict(r) for r in conn.execute(
        f"SELECT {CLAIM_COLUMNS} FROM claims c WHERE ? IS NULL OR c.therapy = ? ORDER BY c.sort_at DESC, c.id DESC",
        [therapy, therapy])]
    assert (therapy == "nosuch") == (not everything)
    cursor, start = None, 0
    while True:
        params = {"limit": 5, **({"therapy": therapy} if therapy else {}), **({"cursor": cursor} if cursor else {})}
        response = client.get("/claims", params=params)
        assert response.status_code == 200 and response.headers["content-type"] == "application/json"
        page = everything[start:start + 5]
        assert response.content == _expected_body(conn, therapy, [dict(r) for r in page],
                                                  more=len(everything) > start + 5)
        start += 5
        if not (cursor := response.json()["next_cursor"]):
            break
    assert start >= len(everything)
    conn.close()


def test_pooled_read_connections_see_what_is_committed_after_them(client: Any, tmp_path: Path) -> None:
    """The app keeps its read connections open between requests; each statement outside a
    transaction reads the latest commit, so a claim written meanwhile is listed at once."""
    for _ in range(3):  # the pool now holds connections that have read the file
        assert "fresh figure" not in client.get("/claims", params={"therapy": "cilta-cel"}).text
    store = Store.open(tmp_path / "seeded.db")
    try:
        AnalysisWrites(store).replace_claims(client.ids["blog"], [Claim(
            therapy=CILTA, trial=None, metric="ORR", value=42.0, unit="%", not_reached=False, timepoint_months=None,
            followup_months=None, sentence="A fresh figure: 42% responded.", start=0, end=30, confidence=0.9)],
            now=NOW)
    finally:
        store.close()
    items = client.get("/claims", params={"therapy": "cilta-cel", "limit": 100}).json()["items"]
    assert [c["value"] for c in items if c["sentence"] == "A fresh figure: 42% responded."] == [42.0]
