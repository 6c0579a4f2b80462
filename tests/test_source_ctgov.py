"""ClinicalTrials.gov API v2 end to end: pageToken paging, the LastUpdatePostDate window, results
sections written into the trial's text, and a trial updated in place when its results are posted."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from cartwatch.config import AppConfig
from cartwatch.commands.crawl import crawl
from tests.conftest import fixture_text, rows

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
PATH = "/api/v2/studies"
TOKEN = "NF0g5JGBlPMn4w"



def ctgov_source(base: str, **extra: Any) -> dict[str, Any]:
    return {"name": "ctgov", "kind": "ctgov", "url": f"{base}{PATH}", "schedule": "every 1d",
            "page_size": 2, "min_delay_seconds": 0, **extra}


def serve(httpserver: HTTPServer, *, with_results: bool = True) -> None:
    def route(request: Request) -> Response:
        name = "studies_page2.json" if request.args.get("pageToken") == TOKEN else "studies_page1.json"
        body = json.loads(fixture_text(f"apis/ctgov/{name}"))
        if not with_results:
            for study in body["studies"]:
                study.pop("resultsSection", None)
        return Response(json.dumps(body), content_type="application/json")
    httpserver.expect_request(PATH).respond_with_handler(route)


def requests(httpserver: HTTPServer) -> list[dict[str, str]]:
    return [dict(req.args) for req, _ in httpserver.log if req.path == PATH]


def test_token_pages_become_trials_with_results_text(httpserver: HTTPServer, base_url: str,
                                                     make_config: Callable[..., AppConfig]) -> None:
    serve(httpserver)
    [report] = crawl(config := make_config([ctgov_source(base_url)]), now=NOW)
    assert (report.new, report.errors, report.source_error) == (3, 0, None)

    sent = requests(httpserver)
    assert [s.get("pageToken") for s in sent] == [None, TOKEN]
    assert sent[0]["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2026-10-21,MAX]"  # initial_days = 30
    assert "ciltacabtagene OR idecabtagene" in sent[0]["query.intr"]
    assert (sent[0]["pageSize"], sent[0]["format"]) == ("2", "json")

    assert rows(config, "SELECT nct_id, kind, canonical_url, outlet_domain, outlet_name, published_at "
                        "FROM articles ORDER BY nct_id") == [
        ("NCT05990001", "trial", "https://clinicaltrials.gov/study/NCT05990001", "clinicaltrials.gov",
         "ClinicalTrials.gov", "2023-06-30T00:00:00Z"),
        ("NCT06600002", "trial", "https://clinicaltrials.gov/study/NCT06600002", "clinicaltrials.gov",
         "ClinicalTrials.gov", "2024-09-01T00:00:00Z"),
        ("NCT06700003", "trial", "https://clinicaltrials.gov/study/NCT06700003", "clinicaltrials.gov",
         "ClinicalTrials.gov", "2026-11-15T00:00:00Z"),
    ]
    [(text, summary)] = rows(config, "SELECT text, summary FROM articles WHERE nct_id = 'NCT05990001'")
    assert "Status: ACTIVE_NOT_RECRUITING. Phase: PHASE3. Enrollment (actual): 402." in text
    assert ("Primary outcome result: Progression-free Survival (PFS) (time frame: Up to 3 years). "
            "Cilta-cel: median NA months (95% Confidence Interval 34.1 to NA) (The median was not reached: too few "
            "participants had events.) of 201 participants analysed; "
            "Standard Therapy (PVd or DPd): median 11.8 months (95% Confidence Interval 9.7 to 13.8)") in text
    assert "Analysis: Hazard Ratio (HR) 0.29 (CI 0.21 to 0.41), p <0.0001." in text
    assert "Serious adverse events: Cilta-cel: 88 of 196 participants" in text
    assert "[PVd or DPd]" in summary and "\\[" not in text  # Markdown escapes removed
    assert rows(config, "SELECT DISTINCT therapy FROM article_therapies ORDER BY therapy") == [
        ("ciltacabtagene autoleucel",), ("lisocabtagene maraleucel",), ("obecabtagene autoleucel",)]


def test_results_posted_later_update_the_trial_keeping_its_id(httpserver: HTTPServer, base_url: str,
                                                              make_config: Callable[..., AppConfig]) -> None:
    serve(httpserver, with_results=False)
    config = make_config([ctgov_source(base_url)])
    crawl(config, now=NOW)
    [(trial_id, before)] = rows(config, "SELECT id, text FROM articles WHERE nct_id = 'NCT05990001'")
    assert "outcome result" not in before
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    serve(httpserver)
    [report] = crawl(config, now=LATER)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 2)
    assert requests(httpserver)[0]["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2026-11-18,MAX]"
    [(same_id, after)] = rows(config, "SELECT id, text FROM articles WHERE nct_id = 'NCT05990001'")
    assert same_id == trial_id and "Primary outcome result" in after


def test_second_crawl_of_the_same_window_stores_nothing_new(httpserver: HTTPServer, base_url: str,
                                                            make_config: Callable[..., AppConfig]) -> None:
    serve(httpserver)
    config = make_config([ctgov_source(base_url)])
    crawl(config, now=NOW)
    [report] = crawl(config, now=LATER)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 3)
    assert rows(config, "SELECT count(*) FROM articles") == [(3,)]


def test_truncated_json_is_the_sources_parse_error(httpserver: HTTPServer, base_url: str,
                                                   make_config: Callable[..., AppConfig]) -> None:
    httpserver.expect_request(PATH).respond_with_data(fixture_text("apis/ctgov/truncated.json"),
                                                      content_type="application/json")
    [report] = crawl(config := make_config([ctgov_source(base_url)]), now=NOW)
    assert report.status == "failed" and "ClinicalTrials.gov did not answer JSON" in (report.source_error or "")
    assert rows(config, "SELECT error_kind FROM fetches") == [("parse_error",)]


def test_a_malformed_study_is_skipped_and_reported_while_the_rest_are_stored(
        httpserver: HTTPServer, base_url: str, make_config: Callable[..., AppConfig]) -> None:
    body = json.loads(fixture_text("apis/ctgov/studies_page2.json"))
    body["studies"].insert(0, "NCT00000000")  # not a study object
    body["studies"].insert(1, {"protocolSection": {"identificationModule": {"nctId": "NCT1", "briefTitle": "X"},
                                                   "conditionsModule": {"conditions": 7}}})
    httpserver.expect_request(PATH).respond_with_json(body)
    [report] = crawl(config := make_config([ctgov_source(base_url)]), now=NOW)
    assert (report.status, report.new) == ("ok", 1)
    assert sum("ctgov: skipped a malformed record" in p for p in report.problems) == 2
    assert rows(config, "SELECT nct_id FROM articles") == [("NCT06700003",)]
    assert "skipped a malformed record" in rows(config, "SELECT message FROM crawl_results")[0][0]
