"""Politeness and safety of the API kinds, each with a test that fails without the rule:
per-source pacing (NCBI's 3 requests/s, GDELT's one call per 5 s), robots.txt and Crawl-delay
on API hosts, Retry-After on a 429, the body-size cap on API pages, and the private-address
refusal applied to every URL a search API hands us (also after redirects).

Fetcher-level tests inject ``sleep``/``monotonic`` so nothing waits; crawl-level tests use a
loopback server or ``httpx.MockTransport`` with literal public IPs (no DNS, no network).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

from cartwatch.config import AppConfig
from cartwatch.commands.crawl import crawl
from crawler.config import CrawlerConfig, SourceConfig
from crawler.fetch import Fetcher
from crawler.sources.base import SourceContext
from crawler.sources.europepmc import EuropePmcOptions, EuropePmcSource
from crawler.sources.gdelt import GdeltOptions, GdeltSource
from crawler.sources.pubmed import PubmedOptions, PubmedSource
from tests.conftest import fixture_bytes, rows

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
EFETCH = {"41200101,41200102": "efetch_batch1.xml", "41200103": "efetch_batch2.xml"}
PAGE = fixture_bytes("pages/cilta_cel_five_years.html", "http://93.184.216.34")



def fetcher(handler: Callable[[httpx.Request], httpx.Response], sleeps: list[float], **settings: Any) -> Fetcher:
    config = CrawlerConfig(**({"per_host_delay_seconds": 0, "obey_robots": False, "retries": 2} | settings))
    return Fetcher(config, transport=httpx.MockTransport(handler), resolver=lambda host: ["93.184.216.34"],
                   sleep=sleeps.append, monotonic=lambda: 0.0)


def context(fetch: Fetcher) -> SourceContext:
    return SourceContext(fetcher=fetch, now=NOW, since=None, validators=lambda url: (None, None),
                         remember=lambda fetched: None)


def pubmed_api(seen: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        params = request.url.params
        if request.url.path.endswith("esearch.fcgi"):
            page = "esearch_page1.json" if params["retstart"] == "0" else "esearch_page2.json"
            return httpx.Response(200, content=fixture_bytes(f"apis/pubmed/{page}"))
        return httpx.Response(200, content=fixture_bytes(f"apis/pubmed/{EFETCH[params['id']]}"))
    return handler


def test_pubmed_paces_every_call_and_identifies_itself_on_each() -> None:
    seen: list[httpx.Request] = []
    sleeps: list[float] = []
    source = PubmedSource(SourceConfig(name="pubmed", kind="pubmed", url="https://eutils.example/entrez/eutils"),
                          PubmedOptions(page_size=2, batch_size=2, email="ops@example.org"))
    items = list(source.discover(context(fetcher(pubmed_api(seen), sleeps))))
    assert len(items) == 3 and len(seen) == 4
    assert sleeps == [0.34, 0.34, 0.34]  # NCBI: at most 3 requests per second without a key
    for request in seen:
        assert (request.url.params["tool"], request.url.params["email"]) == ("cartwatch", "ops@example.org")
        assert "cartwatch@example.org" in request.headers["user-agent"]


def test_gdelt_holds_its_host_for_five_seconds_between_calls() -> None:
    sleeps: list[float] = []
    fetch = fetcher(lambda request: httpx.Response(200, json={}), sleeps)
    source = GdeltSource(SourceConfig(name="gdelt", kind="gdelt", url="https://api.gdelt.example/api/v2/doc/doc"),
                         GdeltOptions())
    for _run in range(3):
        assert list(source.discover(context(fetch))) == []
    assert sleeps == [5.0, 5.0]


def epmc_pages(first: list[httpx.Response] | None = None) -> Callable[[httpx.Request], httpx.Response]:
    queued = list(first or [])

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nCrawl-delay: 3\n")
        if queued:
            return queued.pop(0)
        page = "search_page1.json" if request.url.params["cursorMark"] == "*" else "search_page2.json"
        return httpx.Response(200, content=fixture_bytes(f"apis/europepmc/{page}", "https://epmc.example"))
    return handler


def epmc_source() -> EuropePmcSource:
    return EuropePmcSource(SourceConfig(name="epmc", kind="europepmc", url="https://epmc.example/rest/search"),
                           EuropePmcOptions(page_size=2, min_delay_seconds=0))


def test_crawl_delay_of_an_api_host_is_honoured_between_pages() -> None:
    sleeps: list[float] = []
    items = list(epmc_source().discover(context(fetcher(epmc_pages(), sleeps, obey_robots=True))))
    # robots.txt, then 3 s before the first page (Crawl-delay holds from the first request) and 3 s
    # more before the second (the clock never moves, so the waits add up).
    assert len(items) == 4 and sleeps == [3.0, 6.0]


def test_api_429_waits_for_retry_after_then_goes_on() -> None:
    sleeps: list[float] = []
    limited = httpx.Response(429, headers={"Retry-After": "7"})
    items = list(epmc_source().discover(context(fetcher(epmc_pages([limited]), sleeps))))
    assert len(items) == 4 and sleeps == [7.0]


def test_robots_txt_disallowing_an_api_blocks_the_source_without_calling_it(
        httpserver: HTTPServer, make_config: Callable[..., AppConfig]) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /europepmc/\n")
    base = httpserver.url_for("").rstrip("/")
    config = make_config([{"name": "epmc", "kind": "europepmc", "url": f"{base}/europepmc/rest/search"}])
    [report] = crawl(config, now=NOW)
    assert report.status == "failed" and "disallowed by robots.txt" in (report.source_error or "")
    assert [req.path for req, _ in httpserver.log] == ["/robots.txt"]
    assert rows(config, "SELECT error_kind FROM fetches") == [("blocked",)]


def test_api_page_over_the_size_cap_is_abandoned_and_recorded(
        httpserver: HTTPServer, base_url: str, make_config: Callable[..., AppConfig]) -> None:
    big = json.dumps({"messages": [{"count": 1, "total": "1"}],
                      "collection": [{"doi": "10.1101/x", "title": "CAR-T " * 2000}]})
    httpserver.expect_request(re.compile("^/details/")).respond_with_data(big, content_type="application/json")
    config = make_config([{"name": "medrxiv", "kind": "biorxiv", "url": f"{base_url}/details/medrxiv",
                           "min_delay_seconds": 0}], max_body_bytes=4096)
    [report] = crawl(config, now=NOW)
    assert report.status == "failed" and "max_body_bytes=4096" in (report.source_error or "")
    assert rows(config, "SELECT error_kind FROM fetches") == [("too_large",)]


@pytest.fixture
def public_internet() -> httpx.MockTransport:
    """A GDELT API and a publisher on a literal public IP; its hits also name private hosts."""
    hits = ["http://93.184.216.34/news/cilta-cel", "http://10.0.0.7/admin/car-t", "http://169.254.169.254/latest/car-t",
            "http://93.184.216.34/news/redirect-to-loopback"]
    body = {"articles": [{"url": url, "title": "CAR-T news", "seendate": "20261119T100000Z",
                          "domain": "example.org"} for url in hits]}

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nAllow: /\n")
        if path == "/api/v2/doc/doc":
            return httpx.Response(200, json=body)
        if path == "/news/cilta-cel":
            return httpx.Response(200, content=PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
        if path == "/news/redirect-to-loopback":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1:8080/internal"})
        return httpx.Response(200, content=PAGE, headers={"Content-Type": "text/html"})  # private: must not be asked
    return httpx.MockTransport(handler)


def test_search_hits_on_private_addresses_are_refused_and_recorded(
        public_internet: httpx.MockTransport, make_config: Callable[..., AppConfig]) -> None:
    config = make_config([{"name": "gdelt", "kind": "gdelt", "url": "http://93.184.216.34/api/v2/doc/doc",
                           "min_delay_seconds": 0}], allow_private_networks=[])
    [report] = crawl(config, now=NOW, transport=public_internet)
    assert (report.new, report.errors) == (1, 3)
    blocked = rows(config, "SELECT url, error_kind FROM fetches ORDER BY url")
    assert blocked == [("http://10.0.0.7/admin/car-t", "blocked"), ("http://127.0.0.1:8080/internal", "blocked"),
                       ("http://169.254.169.254/latest/car-t", "blocked")]
    assert rows(config, "SELECT canonical_url FROM articles") == [("https://93.184.216.34/news/cilta-cel-five-years",)]
