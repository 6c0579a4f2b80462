"""medRxiv/bioRxiv details API end to end: the cursor advances by each page's own count, windows
are cut into narrow date ranges, non-CAR-T preprints are counted as skipped, versions merge."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from cartwatch.config import AppConfig
from cartwatch.commands.crawl import crawl
from crawler.sources.biorxiv import day_ranges
from tests.conftest import fixture_bytes, rows

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
DETAILS = re.compile(r"^/details/medrxiv/")



def medrxiv_source(base: str, **extra: Any) -> dict[str, Any]:
    return {"name": "medrxiv", "kind": "biorxiv", "url": f"{base}/details/medrxiv", "schedule": "every 1d",
            "chunk_days": 7, "min_delay_seconds": 0, **extra}


def serve(httpserver: HTTPServer) -> None:
    def route(request: Request) -> Response:
        cursor = request.path.split("/")[-2]
        name = {"0": "details_cursor0.json", "3": "details_cursor3.json"}.get(cursor, "details_empty.json")
        return Response(fixture_bytes(f"apis/biorxiv/{name}"), content_type="application/json; charset=UTF-8")
    httpserver.expect_request(DETAILS).respond_with_handler(route)


def paths(httpserver: HTTPServer) -> list[str]:
    return [req.path for req, _ in httpserver.log if DETAILS.match(req.path)]


def test_cursor_follows_each_pages_count_and_keeps_car_t_preprints(httpserver: HTTPServer, base_url: str,
                                                                   make_config: Callable[..., AppConfig]) -> None:
    serve(httpserver)
    [report] = crawl(config := make_config([medrxiv_source(base_url)]), now=NOW)
    # initial_days = 3; the page held 3 records, so the next cursor is 3 (not a fixed 30 or 100).
    assert paths(httpserver) == ["/details/medrxiv/2026-11-17/2026-11-20/0/json",
                                 "/details/medrxiv/2026-11-17/2026-11-20/3/json"]
    assert (report.new, report.updated, report.errors) == (2, 0, 0)  # version 2 kept, version 1 dropped
    assert report.skipped == {"not_relevant": 2}
    assert rows(config, "SELECT canonical_url, kind, outlet_domain, outlet_name, doi, published_at "
                        "FROM articles ORDER BY doi") == [
        ("https://www.medrxiv.org/content/10.1101/2026.11.16.26301111", "preprint", "medrxiv.org", "medRxiv",
         "10.1101/2026.11.16.26301111", "2026-11-17T00:00:00Z"),
        ("https://www.medrxiv.org/content/10.1101/2026.11.17.26301114", "preprint", "medrxiv.org", "medRxiv",
         "10.1101/2026.11.17.26301114", "2026-11-18T00:00:00Z"),
    ]
    [(text, authors)] = rows(config, "SELECT text, authors FROM articles WHERE doi LIKE '%26301111'")
    assert "Among 151 patients" in text  # the revised abstract of version 2
    assert authors == '["Nakamura, K.", "Oduya, B. T.", "Fischer, L."]'


def test_long_windows_are_cut_into_narrow_ranges(httpserver: HTTPServer, base_url: str,
                                                 make_config: Callable[..., AppConfig]) -> None:
    serve(httpserver)
    crawl(make_config([medrxiv_source(base_url, chunk_days=2, category="oncology")]), now=NOW)
    ranges = sorted({tuple(p.split("/")[3:5]) for p in paths(httpserver)})
    assert ranges == [("2026-11-17", "2026-11-18"), ("2026-11-19", "2026-11-20")]
    assert all(req.args.get("category") == "oncology" for req, _ in httpserver.log if DETAILS.match(req.path))
    assert list(day_ranges(date(2026, 1, 30), date(2026, 2, 1), 3)) == [(date(2026, 1, 30), date(2026, 2, 1))]


def test_empty_interval_is_no_data_not_an_error(httpserver: HTTPServer, base_url: str,
                                                make_config: Callable[..., AppConfig]) -> None:
    httpserver.expect_request(DETAILS).respond_with_data(fixture_bytes("apis/biorxiv/details_empty.json"),
                                                         content_type="application/json")
    [report] = crawl(make_config([medrxiv_source(base_url)]), now=NOW)
    assert (report.status, report.new, len(paths(httpserver))) == ("ok", 0, 1)


def test_next_run_asks_from_last_success_minus_overlap_and_stores_nothing_new(
        httpserver: HTTPServer, base_url: str, make_config: Callable[..., AppConfig]) -> None:
    serve(httpserver)
    config = make_config([medrxiv_source(base_url)])
    crawl(config, now=NOW)
    httpserver.clear_log()
    [report] = crawl(config, now=LATER)
    assert paths(httpserver)[0] == "/details/medrxiv/2026-11-18/2026-11-21/0/json"
    assert (report.new, report.updated) == (0, 0)
    assert rows(config, "SELECT count(*) FROM articles") == [(2,)]


def test_html_error_page_is_the_sources_parse_error(httpserver: HTTPServer, base_url: str,
                                                    make_config: Callable[..., AppConfig]) -> None:
    httpserver.expect_request(DETAILS).respond_with_data("<html><body>Service Unavailable</body></html>",
                                                         content_type="text/html")
    [report] = crawl(make_config([medrxiv_source(base_url)]), now=NOW)
    assert report.status == "failed"
    assert "bioRxiv API did not answer JSON (content-type text/html): 'Service Unavailable'" in (report.source_error or "")
