"""Bing News search RSS end to end: the publisher URL is taken out of Bing's click-through link,
pages come from the publisher (never bing.com), and the feed is fetched conditionally."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from pytest_httpserver import HTTPServer

from cartwatch.config import AppConfig
from cartwatch.commands.crawl import crawl
from crawler.sources.bing_news import publisher_url
from tests.conftest import fixture_text, serve_fixture, rows

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
PATH = "/news/search"



def bing_source(base: str, **extra: Any) -> dict[str, Any]:
    return {"name": "bing-news", "kind": "bing_news", "url": f"{base}{PATH}", "schedule": "every 2h", **extra}


def serve(httpserver: HTTPServer, base: str) -> None:
    feed = fixture_text("apis/bing/news_search.rss", base).replace("{base_q}", quote(base, safe="").lower())
    httpserver.expect_request(PATH).respond_with_data(feed, content_type="application/rss+xml; charset=utf-8",
                                                      headers={"ETag": '"bing-1"'})
    serve_fixture(httpserver, "/news/cilta-cel-five-years", "pages/cilta_cel_five_years.html", base)
    serve_fixture(httpserver, "/news/axi-cel-real-world", "pages/axi_cel_real_world.html", base)


def test_click_through_links_lead_to_publisher_pages(httpserver: HTTPServer, base_url: str,
                                                     make_config: Callable[..., AppConfig]) -> None:
    serve(httpserver, base_url)
    [report] = crawl(config := make_config([bing_source(base_url)]), now=NOW)
    assert (report.new, report.errors) == (2, 0)
    assert report.skipped == {"no_url": 1}  # Bing's own "related searches" link has no publisher URL
    [feed] = [dict(req.args) for req, _ in httpserver.log if req.path == PATH]
    assert feed == {"q": '"CAR-T" OR "CAR T-cell" OR Carvykti OR Abecma OR Yescarta OR Kymriah OR Breyanzi '
                         "OR Tecartus OR Aucatzyl", "format": "rss", "mkt": "en-US"}
    port = httpserver.port
    assert rows(config, "SELECT canonical_url, outlet_domain, outlet_name, published_at FROM articles "
                        "ORDER BY canonical_url") == [
        (f"https://localhost:{port}/news/axi-cel-real-world", "localhost", "Oncology Trade Daily", "2026-11-17T09:50:00Z"),
        (f"https://localhost:{port}/news/cilta-cel-five-years", "localhost", "Oncology Trade Daily", "2026-11-16T14:20:00Z"),
    ]


def test_unchanged_feed_is_a_304_and_nothing_is_fetched(httpserver: HTTPServer, base_url: str,
                                                        make_config: Callable[..., AppConfig]) -> None:
    serve(httpserver, base_url)
    config = make_config([bing_source(base_url)], revalidate_until_days=0)  # the listing alone (see test_revalidation)
    crawl(config, now=NOW)
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request(PATH, headers={"If-None-Match": '"bing-1"'}).respond_with_data("", status=304)
    [report] = crawl(config, now=LATER)
    assert (report.new, report.fetched, report.errors) == (0, 0, 0)
    assert [req.path for req, _ in httpserver.log] == ["/robots.txt", PATH]


def test_publisher_url_unwraps_click_through_links() -> None:
    link = ("http://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&tid=AB&url=https%3a%2f%2fwww.fiercebiotech.com"
            "%2fbiotech%2fcar-t%3fa%3d1%26b%3d2&c=123&mkt=en-us")
    assert publisher_url(link) == "https://www.fiercebiotech.com/biotech/car-t?a=1&b=2"
    assert publisher_url("https://www.bing.com/news/search?q=x") is None
    assert publisher_url("https://www.statnews.com/2026/11/17/car-t/") == "https://www.statnews.com/2026/11/17/car-t/"
    assert publisher_url("http://www.bing.com/news/apiclick.aspx?url=javascript%3aalert(1)") is None
