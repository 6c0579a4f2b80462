"""Sources crawl side by side: a stalled host holds only its own source, and per-host limits hold
across sources (they share one Fetcher). No sleeps: the slow handler is released by an event
that the other source's last request sets, and delays are observed through an injected sleep."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from cartwatch.config import AppConfig
from cartwatch.commands.crawl import crawl
from crawler.fetch import Fetcher
from tests.conftest import rows

PAGE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>Patients with relapsed "
        "multiple myeloma treated with ciltacabtagene autoleucel had an overall response rate of {n}% in the "
        "CARTITUDE-1 trial, investigators reported at the annual meeting of the society this week.</p>"
        "<p>The investigators said the results support the use of CAR T-cell therapy in older adults and in "
        "patients who would not have met the eligibility criteria of the original trial.</p></article></body></html>")


def feed(base: str, prefix: str, count: int) -> str:
    items = "".join(f"<item><title>CAR-T {prefix} {i}</title><link>{base}/{prefix}/{i}</link>"
                    f"<pubDate>Mon, 16 Nov 2026 10:00:00 GMT</pubDate></item>" for i in range(count))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>{prefix}</title>{items}</channel></rss>"


def serve_pages(server: HTTPServer, prefix: str, count: int, on_last: Callable[[], None] | None = None) -> None:
    for i in range(count):
        body = PAGE.format(title=f"CAR-T {prefix} {i}", n=60 + i)

        def respond(request: Request, body: str = body, last: bool = i == count - 1) -> Response:
            if last and on_last is not None:
                on_last()
            return Response(body, content_type="text/html; charset=utf-8")
        server.expect_request(f"/{prefix}/{i}").respond_with_handler(respond)


@pytest.fixture
def threaded_server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    yield server
    server.clear()
    server.stop()


def source(name: str, url: str) -> dict[str, Any]:
    return {"name": name, "kind": "rss", "url": url, "prefilter": False}


def test_a_stalled_host_holds_only_its_own_source(threaded_server: HTTPServer,
                                                  make_config: Callable[..., AppConfig]) -> None:
    port = threaded_server.port
    # Two hosts (per-host limits are per host name), one loopback server; "localhost" is allowed by
    # name because it may resolve to ::1 as well as 127.0.0.1.
    slow_base, fast_base = f"http://127.0.0.1:{port}", f"http://localhost:{port}"
    fast_done = threading.Event()
    released: list[bool] = []

    def stalled_feed(request: Request) -> Response:
        # Held until the other source has fetched its last page: with sources run one after
        # another (the slow one is listed first) this wait would time out instead.
        released.append(fast_done.wait(timeout=15))
        return Response(feed(slow_base, "slow", 0), content_type="application/rss+xml")

    threaded_server.expect_request("/slow.rss").respond_with_handler(stalled_feed)
    threaded_server.expect_request("/fast.rss").respond_with_data(feed(fast_base, "fast", 3),
                                                                  content_type="application/rss+xml")
    serve_pages(threaded_server, "fast", 3, on_last=fast_done.set)
    config = make_config([source("slow", f"{slow_base}/slow.rss"), source("fast", f"{fast_base}/fast.rss")],
                         source_concurrency=2, concurrency=1, allow_private_networks=["127.0.0.1", "localhost"])
    slow, fast = crawl(config)
    assert released == [True]
    assert (slow.status, fast.status, fast.new) == ("ok", "ok", 3)


def test_per_host_delay_holds_across_sources(threaded_server: HTTPServer,
                                             make_config: Callable[..., AppConfig]) -> None:
    base = f"http://127.0.0.1:{threaded_server.port}"
    for prefix in ("a", "b"):
        threaded_server.expect_request(f"/{prefix}.rss").respond_with_data(feed(base, prefix, 2),
                                                                           content_type="application/rss+xml")
        serve_pages(threaded_server, prefix, 2)
    config = make_config([source("a", f"{base}/a.rss"), source("b", f"{base}/b.rss")],
                         source_concurrency=2, per_host_delay_seconds=5)
    waits: list[float] = []
    # A clock that never moves: every request after the first must wait for the host's next slot,
    # so one shared schedule gives waits 5, 10, 15, ...; a fetcher per source would repeat them.
    with Fetcher(config.crawler, sleep=waits.append, monotonic=lambda: 0.0) as fetcher:
        reports = crawl(config, fetcher=fetcher)
    assert [r.new for r in reports] == [2, 2]
    requests = len(threaded_server.log)
    assert requests == 7  # robots.txt once, two feeds, four pages
    assert sorted(waits) == [5.0 * k for k in range(1, requests)]
    assert rows(config, "SELECT count(*) FROM articles") == [(4,)]


def test_a_huge_feed_is_capped_per_run_and_read_again_next_run(threaded_server: HTTPServer,
                                                              make_config: Callable[..., AppConfig]) -> None:
    base = f"http://127.0.0.1:{threaded_server.port}"
    threaded_server.expect_request("/huge.rss", headers={"If-None-Match": '"h1"'}).respond_with_data("", status=304)
    threaded_server.expect_request("/huge.rss").respond_with_data(
        feed(base, "huge", 5), content_type="application/rss+xml", headers={"ETag": '"h1"'})
    serve_pages(threaded_server, "huge", 5)
    config = make_config([source("huge", f"{base}/huge.rss")], max_items_per_run=3, revalidate_until_days=0)
    [report] = crawl(config)
    assert report.new == 3 and any("stopped at 3 new pages" in p for p in report.problems)
    [again] = crawl(config)  # not remembered as seen (no 304): the rest arrives now
    assert again.new == 2
    assert rows(config, "SELECT count(*) FROM articles") == [(5,)]
