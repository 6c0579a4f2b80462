"""Google News search RSS end to end: headline-only coverage keyed by the Google link and never
fetched, the publisher from <source>, the "Headline - Publisher" split, and a headline merging
with the publisher's full article (same outlet, same title) into one row."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from cartwatch.config import AppConfig
from cartwatch.commands.crawl import crawl
from crawler.sources.google_news import legacy_article_url, split_title
from store.articles import title_key
from tests.conftest import fixture_text, serve_fixture, rows

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
PATH = "/rss/search"
LISO_TITLE = "Liso-cel keeps its event-free survival edge at three years in TRANSFORM"



def legacy_id(url: str) -> str:
    """A pre-July-2024 article id: a small protobuf holding the URL, base64url without padding."""
    raw = url.encode()
    return base64.urlsafe_b64encode(b"\x08\x13\x22" + bytes([len(raw)]) + raw + b"\xd2\x01\x00").decode().rstrip("=")


def google_source(base: str, **extra: Any) -> dict[str, Any]:
    return {"name": "google-news", "kind": "google_news", "url": f"{base}{PATH}", "schedule": "every 2h", **extra}


def trade_feed(base: str) -> dict[str, Any]:
    return {"name": "otd-lymphoma", "kind": "rss", "url": f"{base}/lymphoma.rss", "schedule": "every 2h"}


@pytest.fixture
def news(httpserver: HTTPServer, base_url: str) -> str:
    feed = fixture_text("apis/google_news/search.rss", base_url).replace(
        "{legacy_id}", legacy_id(f"{base_url}/news/axi-cel-real-world"))
    httpserver.expect_request(PATH).respond_with_data(feed, content_type="application/xml; charset=utf-8",
                                                      headers={"ETag": 'W/"gn-1"'})
    serve_fixture(httpserver, "/news/axi-cel-real-world", "pages/axi_cel_real_world.html", base_url)
    serve_fixture(httpserver, "/lymphoma.rss", "feeds/otd_lymphoma.rss", base_url, content_type="application/rss+xml")
    serve_fixture(httpserver, "/news/liso-cel-transform-three-years", "pages/liso_cel_transform_title_suffix.html",
                  base_url)
    return base_url


def test_items_become_headlines_keyed_by_their_google_link(news: str, httpserver: HTTPServer,
                                                           make_config: Callable[..., AppConfig]) -> None:
    [report] = crawl(config := make_config([google_source(news)]), now=NOW)
    assert (report.new, report.errors) == (4, 0)
    # No title prefilter and no CAR-T words needed: the search asked about CAR-T and the page is never
    # read, so a headline is kept unless its own words show a decoy (analysis.relevance search_hit).
    assert report.skipped == {"no_url": 1}
    [feed] = [dict(req.args) for req, _ in httpserver.log if req.path == PATH]
    assert feed["q"].endswith(" OR Aucatzyl when:2d") and (feed["hl"], feed["gl"], feed["ceid"]) == ("en-US", "US", "US:en")
    # Only the legacy id that still holds the publisher URL was fetched; no Google link ever is.
    assert [req.path for req, _ in httpserver.log] == ["/robots.txt", PATH, "/news/axi-cel-real-world"]
    assert rows(config, "SELECT kind, title, canonical_url, outlet_domain, outlet_name, published_at "
                        "FROM articles ORDER BY published_at") == [
        ("news", "Axi-cel real-world data in large B-cell lymphoma",
         f"https://localhost:{httpserver.port}/news/axi-cel-real-world", "localhost", "Oncology Trade Daily",
         "2026-11-17T09:55:00Z"),
        ("headline", LISO_TITLE, "https://news.google.com/rss/articles/CBMiswFBVV95cUxNbGlzb0NlbFRyYW5zZm9ybQ",
         "localhost", "Oncology Trade Daily", "2026-11-18T16:45:00Z"),
        ("headline", "Hospital networks expand parking capacity",
         "https://news.google.com/rss/articles/CBMiYkFVX3lxTFBhcmtpbmdMZWRnZXI", "springfieldledger.example",
         "Springfield Ledger", "2026-11-19T11:00:00Z"),
        ("headline", "FDA clears label update for Breyanzi in follicular lymphoma",
         "https://news.google.com/rss/articles/CBMioAFBVV95cUxQQnJleWFuemlGb2xsaWN1bGFy", "raps.org",
         "Regulatory Focus", "2026-11-19T21:02:00Z"),
    ]


def test_unchanged_search_feed_is_a_304(news: str, httpserver: HTTPServer,
                                        make_config: Callable[..., AppConfig]) -> None:
    config = make_config([google_source(news)])
    crawl(config, now=NOW)
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request(PATH, headers={"If-None-Match": 'W/"gn-1"'}).respond_with_data("", status=304)
    [report] = crawl(config, now=LATER)
    assert (report.new, report.updated, report.errors) == (0, 0, 0)
    assert rows(config, "SELECT count(*) FROM articles") == [(4,)]


@pytest.mark.parametrize("order", [("google-news", "otd-lymphoma"), ("otd-lymphoma", "google-news")])
def test_headline_and_full_article_of_one_outlet_are_one_row(order: tuple[str, str], news: str,
                                                             make_config: Callable[..., AppConfig]) -> None:
    sources = {"google-news": google_source(news), "otd-lymphoma": trade_feed(news)}
    config = make_config([sources[name] for name in order])
    crawl(config, names=[order[0]], now=NOW)
    [(first_id,)] = rows(config, f"SELECT id FROM articles WHERE title = '{LISO_TITLE}'")
    crawl(config, names=[order[1]], now=LATER)
    port = news.rsplit(":", 1)[1]
    assert rows(config, f"SELECT id, kind, canonical_url, outlet_domain FROM articles WHERE title = '{LISO_TITLE}'") == [
        (first_id, "news", f"https://localhost:{port}/news/liso-cel-transform-three-years", "localhost")]
    [(text,)] = rows(config, f"SELECT text FROM articles WHERE id = {first_id}")
    assert "Median event-free survival was 29.5 months" in text


def test_split_headline_has_the_title_key_of_the_publisher_page() -> None:
    headline, publisher = split_title(f"{LISO_TITLE} - Oncology Trade Daily", "Oncology Trade Daily")
    assert (headline, publisher) == (LISO_TITLE, "Oncology Trade Daily")
    assert title_key(headline) == title_key("Liso-cel keeps its event-free survival edge at three years in TRANSFORM")
    assert split_title("CAR-T makers - and their critics - meet in Boston - STAT", None) == (
        "CAR-T makers - and their critics - meet in Boston", "STAT")
    assert split_title("Carvykti sales beat forecasts", None) == ("Carvykti sales beat forecasts", None)


def test_only_pre_2024_ids_decode_to_a_publisher_url() -> None:
    assert legacy_article_url(legacy_id("https://www.reuters.com/business/car-t/")) == "https://www.reuters.com/business/car-t/"
    assert legacy_article_url("CBMinwFBVV95cUxObDNTMW1VT3pC") is None  # post-2024 "AU_yqL…" token
    assert legacy_article_url("not base64 at all!") is None
