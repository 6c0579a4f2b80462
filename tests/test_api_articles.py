"""/articles on the seeded database: search, filters, cursor pages, one article with claims and story."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.seed import XSS_TITLE, seeded_client


@pytest.fixture
def client(tmp_path: Path) -> Any:
    return seeded_client(tmp_path)


def titles(client: Any, **params: Any) -> list[str]:
    response = client.get("/articles", params=params)
    assert response.status_code == 200, response.text
    return [a["title"] for a in response.json()["items"]]


def test_newest_first_with_outlet_views(client: Any) -> None:
    items = client.get("/articles").json()["items"]
    assert len(items) == 21
    assert items[0]["title"] == "Myeloma drug update"
    fox = items[0]
    assert (fox["outlet_lean"], fox["outlet_factuality"], fox["source_type"]) == ("Right", "Mixed", "general news")
    assert fox["story_id"] == client.ids["s4"]


def test_filters(client: Any) -> None:
    assert titles(client, q="KarMMa-3") == ["Myeloma CAR-T wins in KarMMa-3", "Ide-cel extends survival in KarMMa-3",
                                           "BMS: Abecma KarMMa-3 overall survival"]
    assert len(titles(client, therapy="Abecma")) == 5  # a brand name finds the product
    assert titles(client, outlet="thelancet.com") == [
        "Axicabtagene ciloleucel as second-line therapy: ZUMA-7 overall survival"]
    assert titles(client, source_type="preprint server") == ["CARTITUDE-4 long-term follow-up (preprint)"]
    assert titles(client, since="24h") == ["Myeloma drug update", "A myeloma therapy moves earlier",
                                           "Carvykti CARTITUDE-4 PFS update",
                                           "CARTITUDE-4 long-term follow-up (preprint)", XSS_TITLE]
    assert titles(client, since="2026-11-20", until="2026-11-21") == [
        "Myeloma CAR-T wins in KarMMa-3", "Abecma beats standard regimens", "Ide-cel extends survival in KarMMa-3",
        "BMS: Abecma KarMMa-3 overall survival"]


def test_lean_filter_in_the_average_and_in_one_raters_view(client: Any) -> None:
    lean_left = titles(client, lean="lean-left")
    assert "Abecma beats standard regimens" in lean_left  # CNN: Left (AllSides) + Lean Left (MBFC) → Lean Left
    assert "Yescarta improves survival in ZUMA-7" not in lean_left  # STAT averages to Center
    assert "Yescarta improves survival in ZUMA-7" in titles(client, lean="lean-left", rater="allsides")
    assert "Abecma beats standard regimens" in titles(client, lean="left", rater="allsides")
    unrated = titles(client, lean="unrated")
    assert XSS_TITLE in unrated and "CAR-T roundup" in unrated and "Myeloma drug update" not in unrated


def test_cursor_pages_walk_everything_once(client: Any) -> None:
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        page = client.get("/articles", params={"limit": 4, **({"cursor": cursor} if cursor else {})}).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 21


def test_one_article_with_its_claims_and_story(client: Any) -> None:
    article = client.get(f"/articles/{client.ids['nejm']}").json()
    assert article["kind"] == "paper" and article["authors"] == ["A. Writer"]
    assert [c["metric"] for c in article["claims"]] == ["ORR", "sCR", "CRS_GRADE3PLUS"]
    assert {c["evidence"] for c in article["claims"]} == {"peer_reviewed"}
    assert (article["evidence"], article["evidence_label"]) == ("peer_reviewed", "peer-reviewed paper")
    preprint = client.get(f"/articles/{client.ids['medrxiv4']}").json()
    assert (preprint["evidence"], preprint["evidence_label"]) == ("preprint", "preprint")
    assert article["story"]["title"] == "Cilta-cel CARTITUDE-1 final results"
    assert article["reports_safety"] is True
    orphan = client.get(f"/articles/{client.ids['medblog']}").json()
    assert orphan["story"] is None and orphan["claims"] == []


@pytest.mark.parametrize("article_id", ["0", "-1", "999999", str(2**63), str(10**40)])
def test_unknown_article_is_404(client: Any, article_id: str) -> None:
    response = client.get(f"/articles/{article_id}")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error": f"no article with id {article_id}", "status": 404}


def test_csv_has_a_header_and_neutralises_formulas(client: Any) -> None:
    response = client.get("/articles", params={"format": "csv", "outlet": "cartnewsdaily.net"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[0].keys() >= {"id", "title", "outlet_lean", "therapies"}
    assert [r["title"] for r in rows] == [XSS_TITLE, "Cilta-cel wows again (=HYPERLINK)"]
    assert rows[0]["therapies"] == "ciltacabtagene autoleucel"


@pytest.mark.parametrize(("params", "named"), [
    ({"lean": "far-left"}, "lean"), ({"rater": "me"}, "rater"), ({"format": "xml"}, "format"),
    ({"since": "yesterday"}, "since"), ({"limit": "1000"}, "limit"), ({"limit": "0"}, "limit"),
    ({"cursor": "bm90IGEgY3Vyc29y"}, "cursor"), ({"source_type": "blog"}, "source_type"),
])
def test_bad_parameters_are_422_naming_the_parameter(client: Any, params: dict[str, str], named: str) -> None:
    response = client.get("/articles", params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["ok"] is False and body["status"] == 422 and f"'{named}'" in body["error"]


@pytest.mark.parametrize("params", [{"q": "myeloma"}, {"q": "CARTITUDE", "since": "2026-11-20"},
                                    {"q": "response", "source_type": "general news"}, {"q": "cell", "limit": 3}])
def test_searches_page_newest_first_like_the_plain_index(client: Any, params: dict[str, Any]) -> None:
    import sqlite3

    def pages() -> list[int]:
        found, cursor = [], None
        while True:
            page = client.get("/articles", params=params | ({"cursor": cursor} if cursor else {})).json()
            found += [a["id"] for a in page["items"]]
            if not (cursor := page["next_cursor"]):
                return found
    listed = client.get("/articles", params={k: v for k, v in params.items() if k not in ("q", "limit")}
                        | {"limit": 200}).json()["items"]
    with sqlite3.connect(client.app.state.db_path) as conn:
        matches = {r[0] for r in conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                                              [f'"{params["q"]}"'])}
    expected = [a["id"] for a in listed if a["id"] in matches]
    assert pages() == expected and expected


@pytest.mark.parametrize("q", ["***", "-", '"'])
def test_a_search_without_words_is_422_naming_q(client: Any, q: str) -> None:
    response = client.get("/articles", params={"q": q})
    assert response.status_code == 422 and "'q'" in response.json()["error"]
    assert client.get("/search", params={"q": q}).status_code == 422


def test_list_and_csv_name_the_evidence_level_and_route(client: Any) -> None:
    items = client.get("/articles", params={"limit": 50}).json()["items"]
    levels = {a["evidence"] for a in items}
    assert {"peer_reviewed", "preprint", "news"} <= levels
    assert all(a["evidence_label"] for a in items)
    response = client.get("/articles", params={"format": "csv", "limit": 50})
    header = response.text.splitlines()[0].split(",")
    assert {"evidence", "evidence_label", "via"} <= set(header)
