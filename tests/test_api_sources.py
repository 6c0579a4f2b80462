"""/sources, /sources/unrated, /bias/compare, /crawl/status and the guarded POST /crawl."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from api.config import ApiConfig
from tests.seed import seeded_client


@pytest.fixture
def client(tmp_path: Path) -> Any:
    return seeded_client(tmp_path)


def test_outlets_with_facts_every_rating_and_the_average(client: Any) -> None:
    items = {o["domain"]: o for o in client.get("/sources").json()["items"]}
    nyt = items["nytimes.com"]
    assert (nyt["owner"], nyt["ownership_category"], nyt["country"], nyt["verified_at"], nyt["provenance"]) == (
        "The New York Times Company", "Corporation", "US", "2026-09-01", "cartwatch")
    assert {(r["rater"], r["dimension"], r["value"], r["rated_at"], r["origin"]) for r in nyt["ratings"]} == {
        ("allsides", "lean", "Lean Left", "2026-06-01", "allsides-2026.csv"),
        ("mbfc", "lean", "Left", "2026-07-15", "mbfc-2026.csv"),
        ("mbfc", "factuality", "High", "2026-07-15", "mbfc-2026.csv")}
    assert nyt["average"]["lean"] == "Lean Left" and nyt["average"]["lean_raters"] == ["allsides", "mbfc"]
    assert items["statnews.com"]["provenance"] == "config"
    assert items["prnewswire.com"]["ratings"] == [] and items["prnewswire.com"]["average"]["lean"] is None


def test_outlet_pages_and_csv(client: Any) -> None:
    first = client.get("/sources", params={"limit": 10}).json()
    rest = client.get("/sources", params={"limit": 10, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) + len(rest["items"]) == 11 and rest["next_cursor"] is None
    rows = list(csv.DictReader(io.StringIO(client.get("/sources", params={"format": "csv"}).text)))
    assert next(r for r in rows if r["domain"] == "cnn.com")["average_lean"] == "Lean Left"


def test_unrated_outlets_with_article_counts(client: Any) -> None:
    items = client.get("/sources/unrated").json()["items"]
    assert [(i["domain"], i["articles"], i["in_registry"]) for i in items] == [
        ("cartnewsdaily.net", 2, False), ("jnj.com", 1, False), ("medrxiv.org", 1, True),
        ("oncowire.example", 1, False), ("prnewswire.com", 1, True)]
    page = client.get("/sources/unrated", params={"limit": 2}).json()
    assert page["next_cursor"] and [i["domain"] for i in page["items"]] == ["cartnewsdaily.net", "jnj.com"]


def test_bias_compare_by_therapy(client: Any) -> None:
    found = client.get("/bias/compare", params={"by": "therapy"}).json()
    groups = {g["group"]: g for g in found["groups"]}
    ide = groups["idecabtagene vicleucel"]
    assert (ide["articles"], ide["outlets"]) == (5, 5)
    assert {b["label"]: b["count"] for b in ide["lean"]["buckets"]}["Lean Left"] == 3
    assert ide["emphasis_by_lean"]["Lean Left"]["safety"] == 2
    assert found["emphasis_by_source_type"]["peer-reviewed journal"]["articles"] == 2


def test_bias_compare_by_month_and_source_type_with_a_rater_and_window(client: Any) -> None:
    months = client.get("/bias/compare", params={"by": "month", "rater": "allsides"}).json()
    assert [g["group"] for g in months["groups"]] == ["2026-09", "2026-11"]
    november = months["groups"][1]
    assert {b["label"]: b["count"] for b in november["lean"]["buckets"]}["Left"] == 1  # CNN, for AllSides
    types = client.get("/bias/compare", params={"by": "source_type", "since": "2026-11-20"}).json()
    assert {g["group"] for g in types["groups"]} >= {"general news", "preprint server", "unrated"}
    assert types["since"] == "2026-11-20T00:00:00Z"
    rows = list(csv.DictReader(io.StringIO(client.get("/bias/compare", params={"format": "csv"}).text)))
    assert rows[0]["group"] == "axicabtagene ciloleucel" and "lean:Center" in rows[0]


def test_crawl_status_per_source(client: Any) -> None:
    status = client.get("/crawl/status").json()
    wire = next(s for s in status["sources"] if s["name"] == "wire-rss")
    assert wire["error_count"] == 2 and wire["last_error"].startswith("HTTPStatusError: 503")
    assert wire["last_result"]["status"] == "failed" and wire["last_result"]["skipped_reasons"] == {"not_relevant": 1}
    assert wire["last_failed_fetch"]["status"] == 503
    assert status["runs"][0]["outcomes"] == {"error": 1, "not_modified": 1, "ok": 1}
    rows = list(csv.DictReader(io.StringIO(client.get("/crawl/status", params={"format": "csv"}).text)))
    assert [r["name"] for r in rows] == ["pubmed", "trade-rss", "wire-rss"]


def test_post_crawl_is_refused_without_a_configured_token(client: Any) -> None:
    response = client.post("/crawl", headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403
    assert response.json() == {"ok": False, "error": "write endpoints are disabled (no api.token)", "status": 403}


def test_post_crawl_needs_the_right_bearer_token(tmp_path: Path) -> None:
    calls: list[list[str] | None] = []

    def trigger(names: list[str] | None) -> str:
        calls.append(names)
        if names and "nope" in names:
            raise ValueError("no source named 'nope'")
        return "run started"

    client = seeded_client(tmp_path, config=ApiConfig(token="s3cret"), crawl_trigger=trigger)
    assert client.post("/crawl").status_code == 401
    assert client.post("/crawl", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/crawl", headers={"Authorization": "Bearer sëcret".encode("latin-1")}).status_code == 401
    assert client.post("/crawl", headers={"Authorization": "Basic s3cret"}).status_code == 401
    ok = client.post("/crawl", headers={"Authorization": "Bearer s3cret"}, params={"source": ["pubmed"]})
    assert ok.status_code == 202 and ok.json() == {"ok": True, "status": 202, "started": "run started"}
    bad = client.post("/crawl", headers={"Authorization": "Bearer s3cret"}, params={"source": "nope"})
    assert bad.status_code == 422 and "'source'" in bad.json()["error"]
    assert calls == [["pubmed"], ["nope"]]
    assert client.get("/crawl").status_code in (404, 405, 200)  # never a 5xx


def test_post_crawl_in_a_serve_only_process_is_503(tmp_path: Path) -> None:
    client = seeded_client(tmp_path, config=ApiConfig(token="s3cret"))
    response = client.post("/crawl", headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 503 and "no crawler" in response.json()["error"]
