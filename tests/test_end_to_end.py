"""One real path: feed on a loopback server → fetch → parse → store → API answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer

from api.app import create_app
from cartwatch.config import AppConfig
from cartwatch.commands.crawl import crawl
from tests.conftest import fixture_bytes, serve_fixture, rows

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
def trade_site(httpserver: HTTPServer, base_url: str) -> str:
    serve_fixture(httpserver, "/feed.rss", "feeds/trade_press.rss", base_url,
                  content_type="application/rss+xml", ETag='"feed-v1"')
    serve_fixture(httpserver, "/news/cilta-cel-five-years", "pages/cilta_cel_five_years.html", base_url, ETag='"p1"')
    serve_fixture(httpserver, "/news/axi-cel-real-world", "pages/axi_cel_real_world.html", base_url)
    serve_fixture(httpserver, "/news/parking", "pages/parking.html", base_url)
    return base_url


def rss_source(base: str, **extra: Any) -> dict[str, Any]:
    return {"name": "trade", "kind": "rss", "url": f"{base}/feed.rss", "schedule": "every 1h", **extra}



def test_feed_to_database_to_api(trade_site: str, make_config: Callable[..., AppConfig], httpserver: HTTPServer) -> None:
    config = make_config([rss_source(trade_site, prefilter=False)])
    [report] = crawl(config, now=NOW)
    assert (report.new, report.errors) == (2, 0)
    assert report.skipped == {"not_relevant": 1}  # the parking story: fetched, read, not about CAR-T

    client = TestClient(create_app(config.database.path, config.api))
    listing = client.get("/articles").json()
    titles = [a["title"] for a in listing["items"]]
    assert titles == ["Axi-cel real-world data in large B-cell lymphoma",
                      "Cilta-cel keeps myeloma in check five years on in CARTITUDE-1"]
    cilta = listing["items"][1]
    # Tracking parameters are gone from the identity; the outlet is the publisher's host.
    assert cilta["canonical_url"] == f"https://localhost:{httpserver.port}/news/cilta-cel-five-years"
    assert cilta["outlet_domain"] == "localhost"
    assert cilta["published_at"] == "2026-11-16T14:05:00Z"
    assert cilta["therapies"] == ["ciltacabtagene autoleucel"]

    detail = client.get(f"/articles/{cilta['id']}").json()
    assert "82.5% of patients reached a stringent complete response" in detail["text"]
    assert "Subscribe" not in detail["text"]  # boilerplate removed by trafilatura
    assert detail["authors"] == ["Maria Lopez"]

    found = client.get("/articles", params={"q": "stringent complete response"}).json()["items"]
    assert [a["id"] for a in found] == [cilta["id"]]
    assert client.get("/articles", params={"therapy": "axicabtagene ciloleucel"}).json()["items"][0]["title"].startswith("Axi-cel")
    assert client.get("/articles", params={"since": "2026-11-17"}).json()["items"][0]["title"].startswith("Axi-cel")


def test_recrawl_is_idempotent_and_downloads_no_bodies(trade_site: str, make_config: Callable[..., AppConfig],
                                                       httpserver: HTTPServer) -> None:
    config = make_config([rss_source(trade_site, prefilter=False)], revalidate_until_days=0)  # listing only
    crawl(config, now=NOW)
    first_count = len(httpserver.log)
    # The feed now answers 304 to our stored ETag; nothing else may be requested.
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/feed.rss", headers={"If-None-Match": '"feed-v1"'}).respond_with_data("", status=304)
    [report] = crawl(config, now=LATER)
    assert (report.new, report.updated, report.errors) == (0, 0, 0)
    requested = [req.path for req, _ in httpserver.log]
    assert requested == ["/robots.txt", "/feed.rss"], requested
    assert first_count > 2
    assert rows(config, "SELECT count(*) FROM articles") == [(2,)]


def test_changed_feed_rechecks_only_updated_items_conditionally(
        trade_site: str, make_config: Callable[..., AppConfig], httpserver: HTTPServer) -> None:
    config = make_config([rss_source(trade_site, prefilter=False)], revalidate_until_days=0)  # listing only
    crawl(config, now=NOW)
    ids_before = rows(config, "SELECT id, canonical_url FROM articles ORDER BY id")
    # The feed changes (no 304), the cilta-cel entry says it was updated after our first fetch,
    # and its page answers 304 to our ETag: no body is downloaded and nothing is stored twice.
    feed = fixture_bytes("feeds/trade_press.rss", trade_site).replace(
        b"<pubDate>Mon, 16 Nov 2026 14:05:00 GMT</pubDate>", b"<pubDate>Sat, 21 Nov 2026 08:00:00 GMT</pubDate>")
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/feed.rss").respond_with_data(feed, content_type="application/rss+xml")
    httpserver.expect_request("/news/cilta-cel-five-years", headers={"If-None-Match": '"p1"'}).respond_with_data("", status=304)
    [report] = crawl(config, now=LATER)
    assert (report.new, report.updated, report.errors) == (0, 0, 0)
    assert report.skipped["not_modified"] == 1 and report.skipped["known_unchanged"] == 2
    assert rows(config, "SELECT id, canonical_url FROM articles ORDER BY id") == ids_before


def test_changed_article_text_is_updated_keeping_its_id(
        trade_site: str, make_config: Callable[..., AppConfig], httpserver: HTTPServer) -> None:
    config = make_config([rss_source(trade_site, prefilter=False)])
    crawl(config, now=NOW)
    [(article_id,)] = rows(config, "SELECT id FROM articles WHERE title LIKE 'Cilta-cel%'")
    feed = fixture_bytes("feeds/trade_press.rss", trade_site).replace(
        b"Mon, 16 Nov 2026 14:05:00 GMT", b"Sat, 21 Nov 2026 08:00:00 GMT")
    page = fixture_bytes("pages/cilta_cel_five_years.html", trade_site).replace(b"97.9%", b"98%")
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/feed.rss").respond_with_data(feed, content_type="application/rss+xml")
    httpserver.expect_request("/news/cilta-cel-five-years").respond_with_data(page, content_type="text/html")
    [report] = crawl(config, now=LATER)
    assert (report.new, report.updated) == (0, 1)
    assert rows(config, "SELECT id, instr(text, 'was 98%') > 0 FROM articles WHERE title LIKE 'Cilta-cel%'") == [(article_id, 1)]


def test_prefilter_skips_unrelated_items_without_downloading(
        trade_site: str, make_config: Callable[..., AppConfig], httpserver: HTTPServer) -> None:
    config = make_config([rss_source(trade_site)])
    [report] = crawl(config, now=NOW)
    assert report.skipped == {"prefilter_no_car_t_terms": 1}
    assert "/news/parking" not in [req.path for req, _ in httpserver.log]
    assert rows(config, "SELECT skipped_reasons FROM crawl_results") == [('{"prefilter_no_car_t_terms": 1}',)]


def test_malformed_feed_is_the_sources_error_and_other_sources_go_on(
        trade_site: str, make_config: Callable[..., AppConfig], httpserver: HTTPServer) -> None:
    serve_fixture(httpserver, "/broken.rss", "feeds/truncated.rss", trade_site, content_type="application/rss+xml")
    config = make_config([
        {"name": "broken", "kind": "rss", "url": f"{trade_site}/broken.rss"},
        rss_source(trade_site),
    ])
    broken, good = crawl(config, now=NOW)
    assert broken.status == "failed" and "malformed feed" in (broken.source_error or "")
    assert good.new == 2
    assert rows(config, "SELECT name, error_count, last_error IS NOT NULL FROM sources ORDER BY name") == [
        ("broken", 1, 1), ("trade", 0, 0)]
    assert rows(config, "SELECT source_name, outcome, error_kind FROM fetches") == [("broken", "error", "parse_error")]


def test_broken_page_is_that_urls_error_and_the_crawl_goes_on(
        trade_site: str, make_config: Callable[..., AppConfig], httpserver: HTTPServer) -> None:
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    serve_fixture(httpserver, "/feed.rss", "feeds/trade_press.rss", trade_site, content_type="application/rss+xml")
    httpserver.expect_request("/news/cilta-cel-five-years").respond_with_data(b"%PDF-1.7 binary", content_type="application/pdf")
    httpserver.expect_request("/news/axi-cel-real-world").respond_with_data("gone", status=404)
    [report] = crawl(config := make_config([rss_source(trade_site)]), now=NOW)
    assert (report.new, report.errors, report.status) == (0, 2, "partial")
    assert sorted(rows(config, "SELECT error_kind, status FROM fetches")) == [("extract_error", None), ("http_status", 404)]


def test_wrong_charset_label_still_reads_correctly(
        httpserver: HTTPServer, base_url: str, make_config: Callable[..., AppConfig]) -> None:
    serve_fixture(httpserver, "/atom.xml", "feeds/agency.atom", base_url, content_type="application/atom+xml")
    # The bytes are UTF-8 but both the header and the <meta> claim ISO-8859-1.
    serve_fixture(httpserver, "/releases/car-t-approval", "pages/agency_release_latin1_label.html", base_url,
                  content_type="text/html; charset=iso-8859-1")
    config = make_config([{"name": "agency", "kind": "rss", "url": f"{base_url}/atom.xml", "item_kind": "press_release"}])
    [report] = crawl(config, now=NOW)
    assert report.new == 1
    [(text, kind, published)] = rows(config, "SELECT text, kind, published_at FROM articles")
    assert "Müller group" in text and "“This approval" in text and "Ã" not in text
    assert kind == "press_release" and published == "2026-11-18T20:45:00Z"
