"""GDELT DOC 2.0 (ArtList JSON) end to end: the date window, real publisher URLs fetched as pages,
``{}`` as no results, a plain-text rejection as the source's error, and no re-download."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pytest_httpserver import HTTPServer

from cartwatch.config import AppConfig
from cartwatch.commands.crawl import crawl
from tests.conftest import fixture_bytes, serve_fixture, rows

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
PATH = "/api/v2/doc/doc"



def gdelt_source(base: str, **extra: Any) -> dict[str, Any]:
    return {"name": "gdelt", "kind": "gdelt", "url": f"{base}{PATH}", "schedule": "every 1h",
            "min_delay_seconds": 0, **extra}


def serve_news(httpserver: HTTPServer, base: str, api_body: bytes | None = None,
               content_type: str = "application/json; charset=utf-8") -> None:
    httpserver.expect_request(PATH).respond_with_data(
        api_body if api_body is not None else fixture_bytes("apis/gdelt/artlist.json", base), content_type=content_type)
    serve_fixture(httpserver, "/news/cilta-cel-five-years", "pages/cilta_cel_five_years.html", base, ETag='"c1"')
    serve_fixture(httpserver, "/news/axi-cel-real-world", "pages/axi_cel_real_world.html", base)
    serve_fixture(httpserver, "/news/parking", "pages/parking.html", base)


def requested(httpserver: HTTPServer) -> list[str]:
    return [req.path for req, _ in httpserver.log]


def test_hits_are_fetched_as_publisher_pages(httpserver: HTTPServer, base_url: str,
                                             make_config: Callable[..., AppConfig]) -> None:
    serve_news(httpserver, base_url)
    [report] = crawl(config := make_config([gdelt_source(base_url)]), now=NOW)
    assert (report.new, report.errors, report.fetched) == (2, 0, 3)
    assert report.skipped == {"not_relevant": 1}  # the parking story: fetched, read, not CAR-T

    [api] = [dict(req.args) for req, _ in httpserver.log if req.path == PATH]
    assert api | {"query": "-"} == {"query": "-", "mode": "ArtList", "format": "json", "sort": "DateDesc",
                                    "maxrecords": "250", "startdatetime": "20261118060000",
                                    "enddatetime": "20261120060000"}
    # No English-only filter by default: Spanish (and other) coverage is wanted.
    assert api["query"].startswith('("CAR-T" OR "CAR T-cell"') and "sourcelang" not in api["query"]
    port = httpserver.port
    assert rows(config, "SELECT canonical_url, kind, outlet_domain, published_at, language FROM articles "
                        "ORDER BY canonical_url") == [
        (f"https://localhost:{port}/news/axi-cel-real-world", "news", "localhost", "2026-11-17T09:45:00Z", "en"),
        (f"https://localhost:{port}/news/cilta-cel-five-years", "news", "localhost", "2026-11-16T14:30:00Z", "en"),
    ]


def test_second_run_downloads_no_page_again_and_stores_nothing(httpserver: HTTPServer, base_url: str,
                                                               make_config: Callable[..., AppConfig]) -> None:
    serve_news(httpserver, base_url)
    config = make_config([gdelt_source(base_url)], revalidate_until_days=0)  # the listing alone (see test_revalidation)
    crawl(config, now=NOW)
    httpserver.clear_log()
    [report] = crawl(config, now=LATER)
    assert (report.new, report.updated, report.fetched) == (0, 0, 0)
    assert report.skipped == {"known_unchanged": 3}
    assert requested(httpserver) == ["/robots.txt", PATH]
    [api] = [dict(req.args) for req, _ in httpserver.log if req.path == PATH]
    assert (api["startdatetime"], api["enddatetime"]) == ("20261118060000", "20261121060000")


def test_empty_object_means_no_results(httpserver: HTTPServer, base_url: str,
                                       make_config: Callable[..., AppConfig]) -> None:
    serve_news(httpserver, base_url, api_body=fixture_bytes("apis/gdelt/empty.json"))
    [report] = crawl(make_config([gdelt_source(base_url)]), now=NOW)
    assert (report.status, report.new, report.problems) == ("ok", 0, [])
    assert requested(httpserver) == ["/robots.txt", PATH]


def test_plain_text_rejection_is_the_sources_error(httpserver: HTTPServer, base_url: str,
                                                   make_config: Callable[..., AppConfig]) -> None:
    serve_news(httpserver, base_url, api_body=fixture_bytes("apis/gdelt/error_too_short.txt"),
               content_type="text/html; charset=utf-8")
    [report] = crawl(config := make_config([gdelt_source(base_url)]), now=NOW)
    assert report.status == "failed"
    assert "GDELT rejected the query: 'Your search contained a keyword or phrase that was too short." \
        in (report.source_error or "")
    assert rows(config, "SELECT error_kind FROM fetches") == [("parse_error",)]


def test_a_full_page_is_reported_as_cut_off(httpserver: HTTPServer, base_url: str,
                                            make_config: Callable[..., AppConfig]) -> None:
    serve_news(httpserver, base_url)
    [report] = crawl(make_config([gdelt_source(base_url, max_records=3)]), now=NOW)
    assert any("older matches of the window were cut off" in p for p in report.problems)
