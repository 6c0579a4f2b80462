"""Europe PMC search end to end: cursorMark paging, the FIRST_IDATE window, HTTP-200 error bodies,
and the same paper from PubMed and Europe PMC stored once."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from cartwatch.config import AppConfig
from cartwatch.commands.crawl import crawl
from tests.conftest import fixture_text, rows
from tests.test_source_pubmed import eutils, pubmed_source

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
CURSOR = "AoIIQHj/3Cg0MjAwMTAx+/Zz="
PATH = "/europepmc/webservices/rest/search"



def epmc_source(base: str, **extra: Any) -> dict[str, Any]:
    return {"name": "europepmc", "kind": "europepmc", "url": f"{base}{PATH}", "schedule": "every 1d",
            "page_size": 2, "min_delay_seconds": 0, **extra}


def serve_pages(httpserver: HTTPServer, base: str, edit: Callable[[dict[str, Any]], None] | None = None) -> None:
    def route(request: Request) -> Response:
        name = "search_page1.json" if request.args["cursorMark"] == "*" else "search_page2.json"
        body = json.loads(fixture_text(f"apis/europepmc/{name}", base))
        if edit is not None and name == "search_page1.json":
            edit(body)
        return Response(json.dumps(body), content_type="application/json;charset=UTF-8")
    httpserver.expect_request(PATH).respond_with_handler(route)


def searches(httpserver: HTTPServer) -> list[dict[str, str]]:
    return [dict(req.args) for req, _ in httpserver.log if req.path == PATH]


def test_cursor_pages_become_papers_and_preprints(httpserver: HTTPServer, base_url: str,
                                                  make_config: Callable[..., AppConfig]) -> None:
    serve_pages(httpserver, base_url)
    [report] = crawl(config := make_config([epmc_source(base_url)]), now=NOW)
    assert (report.new, report.errors, report.source_error) == (3, 0, None)
    assert report.skipped == {"not_relevant": 1}  # the dexamethasone paper: matched, but not CAR-T

    sent = searches(httpserver)
    assert [s["cursorMark"] for s in sent] == ["*", CURSOR]  # '+', '/' and '=' survive the round trip
    assert sent[0]["query"].endswith(") AND FIRST_IDATE:[2026-11-13 TO 2026-11-20]")
    assert '"chimeric antigen receptor"' in sent[0]["query"]
    assert {k: sent[0][k] for k in ("format", "resultType", "pageSize")} == {
        "format": "json", "resultType": "core", "pageSize": "2"}

    stored = rows(config, "SELECT canonical_url, kind, outlet_domain, outlet_name, doi, pmid, published_at, via "
                          "FROM articles ORDER BY canonical_url")
    # The outlet is the journal (by ISSN for the first, by title for the lite record), the
    # preprint's is its server; Europe PMC stays the route each came by.
    assert stored == [
        ("https://europepmc.org/article/MED/41200101", "paper", "nejm.org", "New England Journal of Medicine",
         "10.1056/nejmoa2699001", "41200101", "2026-11-17T00:00:00Z", "europepmc.org"),
        ("https://europepmc.org/article/MED/41200210", "paper", "ascopubs.org/journal/jco",
         "Journal of Clinical Oncology", None, "41200210", "2026-11-15T00:00:00Z", "europepmc.org"),
        ("https://europepmc.org/article/PPR/PPR998877", "preprint", "medrxiv.org", "medRxiv",
         "10.1101/2026.11.10.26300001", None, "2026-11-12T00:00:00Z", "europepmc.org"),
    ]
    [(title, text, authors)] = rows(config, "SELECT title, text, authors FROM articles WHERE pmid = '41200101'")
    assert title.startswith("Ciltacabtagene autoleucel versus standard care") and "<i>" not in title
    assert "\n\nResults: Overall survival was longer with cilta-cel (hazard ratio for death, 0.55;" in text
    assert "P<0.001" in text
    assert json.loads(authors) == ["San-Miguel J", "Dhakal B", "CARTITUDE-4 Investigators"]
    [(lite_authors,)] = rows(config, "SELECT authors FROM articles WHERE pmid = '41200210'")
    assert json.loads(lite_authors) == ["Kamdar M", "Solomon SR", "Arnason J"]


def test_paging_stops_when_next_cursor_is_absent(httpserver: HTTPServer, base_url: str,
                                                 make_config: Callable[..., AppConfig]) -> None:
    serve_pages(httpserver, base_url, edit=lambda body: (body.pop("nextCursorMark"), body.pop("nextPageUrl")))
    [report] = crawl(make_config([epmc_source(base_url)]), now=NOW)
    assert [s["cursorMark"] for s in searches(httpserver)] == ["*"]
    assert report.new == 2


def test_paging_stops_on_an_empty_page(httpserver: HTTPServer, base_url: str,
                                       make_config: Callable[..., AppConfig]) -> None:
    serve_pages(httpserver, base_url, edit=lambda body: body["resultList"].update(result=[]))
    [report] = crawl(make_config([epmc_source(base_url)]), now=NOW)
    assert [s["cursorMark"] for s in searches(httpserver)] == ["*"]
    assert (report.new, report.source_error) == (0, None)


def test_error_body_with_http_200_is_the_sources_parse_error(httpserver: HTTPServer, base_url: str,
                                                             make_config: Callable[..., AppConfig]) -> None:
    httpserver.expect_request(PATH).respond_with_data(fixture_text("apis/europepmc/error_page_size.json"),
                                                      content_type="application/json")
    [report] = crawl(config := make_config([epmc_source(base_url)]), now=NOW)
    assert report.status == "failed"
    assert "Europe PMC error 404: Invalid page size provided" in (report.source_error or "")
    assert rows(config, "SELECT error_kind, message FROM fetches") == [
        ("parse_error", "Europe PMC error 404: Invalid page size provided. Valid size is between 1 and 1000")]


def test_next_run_asks_since_last_success_and_stores_nothing_new(httpserver: HTTPServer, base_url: str,
                                                                 make_config: Callable[..., AppConfig]) -> None:
    serve_pages(httpserver, base_url)
    config = make_config([epmc_source(base_url)])
    crawl(config, now=NOW)
    httpserver.clear_log()
    [report] = crawl(config, now=LATER)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 3)
    assert searches(httpserver)[0]["query"].endswith("FIRST_IDATE:[2026-11-18 TO 2026-11-21]")


@pytest.mark.parametrize("order", [("pubmed", "europepmc"), ("europepmc", "pubmed")])
def test_same_paper_from_pubmed_and_europe_pmc_is_one_article(order: tuple[str, str], httpserver: HTTPServer,
                                                              base_url: str,
                                                              make_config: Callable[..., AppConfig]) -> None:
    serve_pages(httpserver, base_url)
    httpserver.expect_request(re.compile(r"^/entrez/eutils/")).respond_with_handler(eutils())
    sources = {"pubmed": pubmed_source(base_url), "europepmc": epmc_source(base_url)}
    config = make_config([sources[name] for name in order], source_concurrency=1)  # this order of arrival
    first, second = crawl(config, now=NOW)
    assert first.new == 3 and (second.new, second.errors) == (2, 0)  # the shared paper merged
    assert rows(config, "SELECT count(*) FROM articles WHERE pmid = '41200101' OR doi = '10.1056/nejmoa2699001'") == [(1,)]
    [(source_name, doi, pmid)] = rows(config, "SELECT source_name, doi, pmid FROM articles WHERE pmid = '41200101'")
    assert (source_name, doi, pmid) == (order[0], "10.1056/nejmoa2699001", "41200101")
    # A second crawl of both changes nothing: the two copies do not overwrite each other.
    again = crawl(config, now=LATER)
    assert [(r.new, r.updated) for r in again] == [(0, 0), (0, 0)]
