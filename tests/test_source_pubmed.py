"""PubMed (E-utilities) end to end against a loopback server speaking ESearch JSON and EFetch XML."""

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
from tests.conftest import fixture_bytes, rows

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
EFETCH = {"41200101,41200102": "efetch_batch1.xml", "41200103": "efetch_batch2.xml"}



def pubmed_source(base: str, **extra: Any) -> dict[str, Any]:
    return {"name": "pubmed", "kind": "pubmed", "url": f"{base}/entrez/eutils/", "schedule": "every 1d",
            "page_size": 2, "batch_size": 2, "min_delay_seconds": 0, "email": "ops@example.org", **extra}


def eutils(esearch: Callable[[Request], Response] | None = None) -> Callable[[Request], Response]:
    def route(request: Request) -> Response:
        if request.path.endswith("/esearch.fcgi"):
            if esearch is not None:
                return esearch(request)
            page = "esearch_page1.json" if request.args["retstart"] == "0" else "esearch_page2.json"
            return Response(fixture_bytes(f"apis/pubmed/{page}"), content_type="application/json")
        return Response(fixture_bytes(f"apis/pubmed/{EFETCH[request.args['id']]}"), content_type="text/xml")
    return route


def calls(httpserver: HTTPServer, endpoint: str) -> list[dict[str, str]]:
    return [dict(req.args) for req, _ in httpserver.log if req.path.endswith(endpoint)]


@pytest.fixture
def ncbi(httpserver: HTTPServer, base_url: str) -> str:
    httpserver.expect_request(re.compile(r"^/entrez/eutils/")).respond_with_handler(eutils())
    return base_url


def test_pages_and_batches_become_papers(ncbi: str, httpserver: HTTPServer,
                                         make_config: Callable[..., AppConfig]) -> None:
    config = make_config([pubmed_source(ncbi)])
    [report] = crawl(config, now=NOW)
    assert (report.new, report.errors, report.source_error) == (3, 0, None)

    searches = calls(httpserver, "esearch.fcgi")
    assert [s["retstart"] for s in searches] == ["0", "2"]
    assert searches[0] | {"term": "-"} == {
        "db": "pubmed", "term": "-", "retmode": "json", "datetype": "edat", "mindate": "2026/11/13",
        "maxdate": "2026/11/20", "retmax": "2", "retstart": "0", "tool": "cartwatch", "email": "ops@example.org"}
    assert "Receptors, Chimeric Antigen" in searches[0]["term"]
    fetches = calls(httpserver, "efetch.fcgi")
    assert [f["id"] for f in fetches] == ["41200101,41200102", "41200103"]
    assert all(f["tool"] == "cartwatch" and f["email"] == "ops@example.org" and f["retmode"] == "xml" for f in fetches)

    stored = rows(config, "SELECT pmid, kind, canonical_url, outlet_domain, outlet_name, doi, published_at, language, "
                          "via FROM articles ORDER BY pmid")
    # A paper's outlet is its journal, PubMed the route it came by; a book chapter (StatPearls)
    # has no journal and stays PubMed's.
    assert stored == [
        ("41200101", "paper", "https://pubmed.ncbi.nlm.nih.gov/41200101/", "nejm.org",
         "New England Journal of Medicine", "10.1056/nejmoa2699001", "2026-11-17T00:00:00Z", "en",
         "pubmed.ncbi.nlm.nih.gov"),
        ("41200102", "paper", "https://pubmed.ncbi.nlm.nih.gov/41200102/", "ashpublications.org/bloodadvances",
         "Blood Advances", "10.1182/bloodadvances.2026019999", "2026-11-01T00:00:00Z", "en",
         "pubmed.ncbi.nlm.nih.gov"),
        ("41200103", "paper", "https://pubmed.ncbi.nlm.nih.gov/41200103/", "pubmed.ncbi.nlm.nih.gov",
         "StatPearls", None, "2026-11-01T00:00:00Z", "en", None),
    ]
    facts = rows(config, "SELECT source_type, owner FROM outlets WHERE domain = 'ashpublications.org/bloodadvances'")
    assert facts == [("peer-reviewed journal", "American Society of Hematology")]
    [(title, text, authors)] = rows(config, "SELECT title, text, authors FROM articles WHERE pmid = '41200101'")
    assert title == ("Ciltacabtagene autoleucel versus standard care in lenalidomide-refractory myeloma: "
                     "final overall survival analysis.")
    assert "\n\nRESULTS: At a median follow-up of 33.6 months" in text and "(CD4+ expansion" in text
    assert json.loads(authors) == ["Jesús San-Miguel", "Binod Dhakal", "CARTITUDE-4 Investigators"]
    [(mathml_text,)] = rows(config, "SELECT text FROM articles WHERE pmid = '41200102'")
    assert "modelled as Cmax / AUC in 212 patients" in mathml_text
    assert rows(config, "SELECT therapy FROM article_therapies ORDER BY therapy") == [
        ("axicabtagene ciloleucel",), ("ciltacabtagene autoleucel",)]


def test_next_run_asks_since_last_success_with_overlap_and_stores_nothing_new(
        ncbi: str, httpserver: HTTPServer, make_config: Callable[..., AppConfig]) -> None:
    config = make_config([pubmed_source(ncbi)])
    crawl(config, now=NOW)
    httpserver.clear_log()
    [report] = crawl(config, now=LATER)
    assert (report.new, report.updated, report.unchanged, report.errors) == (0, 0, 3, 0)
    first = calls(httpserver, "esearch.fcgi")[0]
    assert (first["mindate"], first["maxdate"]) == ("2026/11/18", "2026/11/21")  # last success minus 2 days
    assert rows(config, "SELECT count(*) FROM articles") == [(3,)]
    # API pages carry a date window in their URL: they are not remembered for conditional GETs.
    assert rows(config, "SELECT count(*) FROM http_cache WHERE url LIKE '%eutils%'") == [(0,)]


def test_rate_limit_body_with_http_200_is_retried(httpserver: HTTPServer, base_url: str,
                                                  make_config: Callable[..., AppConfig]) -> None:
    answers = iter(["rate_limited.json", "esearch_page1.json", "esearch_page2.json"])

    def esearch(request: Request) -> Response:
        return Response(fixture_bytes(f"apis/pubmed/{next(answers)}"), content_type="application/json")

    httpserver.expect_request(re.compile(r"^/entrez/eutils/")).respond_with_handler(eutils(esearch))
    [report] = crawl(config := make_config([pubmed_source(base_url)]), now=NOW)
    assert (report.new, report.source_error) == (3, None)
    assert [s["retstart"] for s in calls(httpserver, "esearch.fcgi")] == ["0", "0", "2"]
    assert rows(config, "SELECT count(*) FROM articles") == [(3,)]


def test_persistent_rate_limit_is_the_sources_error(httpserver: HTTPServer, base_url: str,
                                                    make_config: Callable[..., AppConfig]) -> None:
    def esearch(request: Request) -> Response:
        return Response(fixture_bytes("apis/pubmed/rate_limited.json"), content_type="application/json")

    httpserver.expect_request(re.compile(r"^/entrez/eutils/")).respond_with_handler(eutils(esearch))
    [report] = crawl(config := make_config([pubmed_source(base_url)]), now=NOW)
    assert report.status == "failed" and "PubMed rate limit exceeded" in (report.source_error or "")
    assert len(calls(httpserver, "esearch.fcgi")) == 2  # retries = 1 in the test config
    assert rows(config, "SELECT error_kind, status FROM fetches") == [("http_status", 429)]
    assert rows(config, "SELECT error_count FROM sources") == [(1,)]


@pytest.mark.parametrize(("esearch_file", "efetch_file", "message"), [
    ("esearch_error.json", None, "PubMed ESearch error: Invalid query: unbalanced parentheses"),
    ("esearch_page1.json", "efetch_truncated.xml", "PubMed EFetch XML is malformed or truncated"),
])
def test_error_bodies_are_the_sources_parse_error(esearch_file: str, efetch_file: str | None, message: str,
                                                  httpserver: HTTPServer, base_url: str,
                                                  make_config: Callable[..., AppConfig]) -> None:
    def route(request: Request) -> Response:
        name = esearch_file if request.path.endswith("esearch.fcgi") else efetch_file
        return Response(fixture_bytes(f"apis/pubmed/{name}"), content_type="text/plain")

    httpserver.expect_request(re.compile(r"^/entrez/eutils/")).respond_with_handler(route)
    [report] = crawl(config := make_config([pubmed_source(base_url)]), now=NOW)
    assert report.status == "failed" and message in (report.source_error or "")
    assert rows(config, "SELECT error_kind FROM fetches") == [("parse_error",)]
    assert rows(config, "SELECT count(*) FROM articles") == [(0,)]


def test_api_key_from_the_environment_is_sent_but_never_stored(
        httpserver: HTTPServer, base_url: str, make_config: Callable[..., AppConfig],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCBI_API_KEY", "s3cr3tkey")
    httpserver.expect_request(re.compile(r"^/entrez/eutils/")).respond_with_data("busy", status=503)
    [report] = crawl(config := make_config([pubmed_source(base_url, email=None)]), now=NOW)
    sent = calls(httpserver, "esearch.fcgi")[0]
    assert sent["api_key"] == "s3cr3tkey"
    assert sent["email"] == "cartwatch@example.org"  # taken from the crawler's User-Agent contact
    assert report.status == "failed" and "s3cr3tkey" not in (report.source_error or "")
    stored = rows(config, "SELECT url || message FROM fetches") + rows(config, "SELECT last_error FROM sources")
    assert stored and not any("s3cr3tkey" in str(value) for (value,) in stored)
    assert any("REDACTED" in str(value) for (value,) in stored)
