"""/watches through the API: bearer token, validation naming the field, conflicts, config watches
listed but not deletable, and a watch made through the API alerting only on what comes after it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from api.config import ApiConfig
from cartwatch.commands.alerts import alerts_job
from cartwatch.config import parse_config
from service.alerts_config import AlertsConfig
from tests.seed import NOW, seeded_client

TOKEN = {"Authorization": "Bearer t0ken"}


@pytest.fixture
def client(tmp_path: Path) -> Any:
    alerts = AlertsConfig.model_validate({"watches": [{"name": "from-config", "kind": "safety",
                                                       "webhook": "https://hooks.example.org/x"}]})
    return seeded_client(tmp_path, config=ApiConfig(token="t0ken"), alerts=alerts)


def test_watches_need_the_token(client: Any) -> None:
    for method, path in (("get", "/watches"), ("post", "/watches"), ("delete", "/watches/x")):
        response = client.request(method.upper(), path, json={"name": "x", "webhook": "https://h.example.org"})
        assert response.status_code == 401, (method, response.text)
        assert response.json() == {"ok": False, "error": "missing or wrong bearer token", "status": 401}


def test_create_list_delete(client: Any) -> None:
    body = {"name": "cilta-orr", "therapy": "Carvykti", "metric": "orr", "webhook": "https://hooks.example.org/T1"}
    created = client.post("/watches", json=body, headers=TOKEN)
    assert created.status_code == 201, created.text
    assert created.json() | {"created_at": None} == {
        "name": "cilta-orr", "kind": "claim", "therapy": "ciltacabtagene autoleucel", "target": None, "metric": "ORR",
        "evidence": None, "query": None, "email": [], "webhook": "https://hooks.example.org/T1", "origin": "api",
        "created_at": None, "checked_until": None, "sent": 0, "pending": 0, "failed": 0}
    assert created.json()["created_at"] == "2026-11-24T12:00:00Z"  # the app's clock
    assert client.post("/watches", json=body, headers=TOKEN).json() == {
        "ok": False, "error": "a watch named 'cilta-orr' exists already", "status": 409}
    deleted = client.delete("/watches/cilta-orr", headers=TOKEN)
    assert deleted.status_code == 200 and deleted.json() == {"ok": True, "deleted": "cilta-orr"}
    assert client.delete("/watches/cilta-orr", headers=TOKEN).status_code == 404
    assert [w["name"] for w in client.get("/watches", headers=TOKEN).json()["items"]] == []


@pytest.mark.parametrize(("body", "message"), [
    ({"name": "x", "metric": "BOGUS", "webhook": "https://h.example.org"}, "body parameter 'metric': unknown metric 'BOGUS'"),
    ({"name": "x", "therapy": "aspirin", "webhook": "https://h.example.org"}, "body parameter 'therapy': no product named 'aspirin'"),
    ({"name": "x", "target": "HER2", "webhook": "https://h.example.org"}, "body parameter 'target': unknown target 'HER2'"),
    ({"name": "x"}, "a watch must deliver somewhere"),
    ({"name": "x", "kind": "article", "query": "  ", "webhook": "https://h.example.org"}, "body parameter 'query'"),
    ({"name": "x", "webhook": "javascript:alert(1)"}, "body parameter 'webhook'"),
    ({"name": "Bad Name", "webhook": "https://h.example.org"}, "body parameter 'name'"),
    ({"name": "x", "kind": "rumour", "webhook": "https://h.example.org"}, "body parameter 'kind'"),
    ({"name": "x", "email": ["me@example.org"]}, "body parameter 'email': e-mail is not configured on this server"),
])
def test_bad_watches_are_422_naming_the_field(client: Any, body: dict[str, Any], message: str) -> None:
    response = client.post("/watches", json=body, headers=TOKEN)
    assert response.status_code == 422, response.text
    assert message in response.json()["error"]


def test_config_watches_are_listed_and_cannot_be_deleted_here(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    client = seeded_client(tmp_path, config=ApiConfig(token="t0ken"))
    db = client.app.state.db_path
    cfg = parse_config({"database": {"path": db}, "alerts": {"watches": [
        {"name": "gaps", "kind": "discrepancy", "webhook": httpserver.url_for("/hook")}]}})
    alerts_job(cfg, now=NOW)  # the scheduled job stores the config watches
    listed = client.get("/watches", headers=TOKEN).json()["items"]
    assert [(w["name"], w["origin"]) for w in listed] == [("gaps", "config")]
    response = client.delete("/watches/gaps", headers=TOKEN)
    assert response.status_code == 409 and "config.toml" in response.json()["error"]


def test_a_watch_made_through_the_api_alerts_only_on_later_records(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    client = seeded_client(tmp_path, config=ApiConfig(token="t0ken"))
    created = client.post("/watches", headers=TOKEN, json={"name": "gaps", "kind": "discrepancy",
                                                          "webhook": httpserver.url_for("/hook")})
    assert created.status_code == 201
    cfg = parse_config({"database": {"path": client.app.state.db_path}})
    report = alerts_job(cfg, now=NOW + timedelta(hours=1))
    assert (report.queued, report.sent) == (0, 0)  # the seeded misreport predates the watch
    assert httpserver.log == []
    [watch] = client.get("/watches", headers=TOKEN).json()["items"]
    assert watch["checked_until"] == "2026-11-24T13:00:00Z"


def test_an_unknown_evidence_level_is_named(client: Any) -> None:
    response = client.post("/watches", headers=TOKEN, json={"name": "x", "evidence": "rumour",
                                                            "webhook": "https://h.example.org"})
    assert response.status_code == 422
    assert response.json()["error"].startswith("body parameter 'evidence': unknown evidence level 'rumour' (known: ")
