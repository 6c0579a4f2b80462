"""The fetcher's rules, each with a test that fails without the rule.

Unit tests use ``httpx.MockTransport`` with a fake resolver and a recording ``sleep``; the
integration tests use a real loopback server (pytest-httpserver).
"""

from __future__ import annotations

import httpx
import pytest
from pytest_httpserver import HTTPServer

from crawler.config import CrawlerConfig
from crawler.errors import Blocked, FetchTimeout, HTTPStatusError, TooLarge
from crawler.fetch import Fetched, Fetcher, NotModified

PUBLIC = {"news.example": ["93.184.216.34"], "evil.example": ["10.0.0.7"], "mixed.example": ["93.184.216.34", "127.0.0.1"]}


def fake_resolver(host: str) -> list[str]:
    return PUBLIC[host]


def make_fetcher(handler, *, sleeps: list[float] | None = None, **overrides) -> Fetcher:  # type: ignore[no-untyped-def]
    settings = {"per_host_delay_seconds": 0, "retries": 2, "backoff_seconds": 1.0, "obey_robots": False} | overrides
    recorded = sleeps if sleeps is not None else []
    return Fetcher(CrawlerConfig(**settings), transport=httpx.MockTransport(handler),
                   resolver=fake_resolver, sleep=recorded.append)


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, text="hello", headers={"ETag": '"v1"', "Content-Type": "text/html; charset=utf-8"})


def test_fetch_returns_body_headers_and_sends_user_agent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok(request)

    result = make_fetcher(handler).fetch("https://news.example/a")
    assert isinstance(result, Fetched)
    assert result.body == b"hello" and result.etag == '"v1"' and result.charset == "utf-8"
    assert "example.org" in seen[0].headers["user-agent"]


def test_conditional_request_sends_validators_and_maps_304() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == '"v1"' and request.headers.get("if-modified-since"):
            return httpx.Response(304)
        return ok(request)

    result = make_fetcher(handler).fetch("https://news.example/a", etag='"v1"', last_modified="Mon, 16 Nov 2026 10:00:00 GMT")
    assert isinstance(result, NotModified)


def test_retries_5xx_with_exponential_backoff_then_succeeds() -> None:
    answers = iter([httpx.Response(503), httpx.Response(502), ok(httpx.Request("GET", "https://news.example/"))])
    sleeps: list[float] = []
    result = make_fetcher(lambda r: next(answers), sleeps=sleeps).fetch("https://news.example/a")
    assert isinstance(result, Fetched)
    assert sleeps == [1.0, 2.0]


def test_429_honours_retry_after_then_gives_up_with_status() -> None:
    sleeps: list[float] = []
    fetcher = make_fetcher(lambda r: httpx.Response(429, headers={"Retry-After": "7"}), sleeps=sleeps)
    with pytest.raises(HTTPStatusError) as info:
        fetcher.fetch("https://news.example/a")
    assert info.value.status == 429
    assert sleeps == [7.0, 7.0]


def test_retry_after_is_capped() -> None:
    sleeps: list[float] = []
    fetcher = make_fetcher(lambda r: httpx.Response(429, headers={"Retry-After": "86400"}), sleeps=sleeps,
                           retries=1, max_retry_after_seconds=30)
    with pytest.raises(HTTPStatusError):
        fetcher.fetch("https://news.example/a")
    assert sleeps == [30.0]


def test_timeouts_are_retried_then_reported() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    sleeps: list[float] = []
    with pytest.raises(FetchTimeout):
        make_fetcher(handler, sleeps=sleeps).fetch("https://news.example/a")
    assert sleeps == [1.0, 2.0]


def test_404_is_not_retried() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(404)

    with pytest.raises(HTTPStatusError):
        make_fetcher(handler).fetch("https://news.example/a")
    assert len(calls) == 1


def test_body_limit_enforced_while_streaming() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        # A stream with no Content-Length: the cap must be enforced on the bytes as they arrive.
        return httpx.Response(200, content=iter([b"x" * 1024] * 64))

    with pytest.raises(TooLarge):
        make_fetcher(handler, max_body_bytes=4096).fetch("https://news.example/big")


def test_declared_oversize_rejected_before_reading() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "999999999"}, content=b"")

    with pytest.raises(TooLarge):
        make_fetcher(handler, max_body_bytes=4096).fetch("https://news.example/big")


def test_private_address_refused_by_default() -> None:
    with pytest.raises(Blocked, match="non-public address 10.0.0.7"):
        make_fetcher(ok).fetch("https://evil.example/")
    with pytest.raises(Blocked, match="127.0.0.1"):
        make_fetcher(ok).fetch("https://mixed.example/")
    with pytest.raises(Blocked):
        make_fetcher(ok).fetch("http://127.0.0.1:8080/")
    with pytest.raises(Blocked):
        make_fetcher(ok).fetch("http://[::1]/")
    with pytest.raises(Blocked):
        make_fetcher(ok).fetch("http://169.254.169.254/latest/meta-data/")


def test_redirect_to_private_address_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://127.0.0.1/admin"})

    with pytest.raises(Blocked, match="127.0.0.1"):
        make_fetcher(handler).fetch("https://news.example/a")


def test_private_network_allowed_only_when_listed() -> None:
    # evil.example resolves to 10.0.0.7: a listed network or host name lets it through, nothing else.
    assert isinstance(make_fetcher(ok, allow_private_networks=("10.0.0.0/24",)).fetch("https://evil.example/"), Fetched)
    assert isinstance(make_fetcher(ok, allow_private_networks=("evil.example",)).fetch("https://evil.example/"), Fetched)
    with pytest.raises(Blocked, match="non-public address 10.0.0.7"):
        make_fetcher(ok, allow_private_networks=("127.0.0.1",)).fetch("https://evil.example/")


@pytest.mark.parametrize("address", ["169.254.169.254", "169.254.170.2", "100.100.100.200", "[fd00:ec2::254]"])
def test_cloud_metadata_refused_unless_listed_alone(address: str) -> None:
    broad = ("169.254.0.0/16", "100.64.0.0/10", "fd00::/8")
    with pytest.raises(Blocked, match="non-public address"):
        make_fetcher(ok, allow_private_networks=broad).fetch(f"http://{address}/latest/meta-data/")
    alone = address.strip("[]")
    assert isinstance(make_fetcher(ok, allow_private_networks=(alone,)).fetch(f"http://{address}/x"), Fetched)


def test_allow_private_networks_rejects_what_is_not_a_network_or_host() -> None:
    with pytest.raises(ValueError, match="neither a network"):
        CrawlerConfig(allow_private_networks=("10.0.0.0/33",))
    with pytest.raises(ValueError, match="list of networks"):
        CrawlerConfig.model_validate({"allow_private_networks": "yes"})


def test_only_http_schemes() -> None:
    with pytest.raises(Blocked, match="only http"):
        make_fetcher(ok).fetch("file:///etc/passwd")


def test_redirects_followed_up_to_limit() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        hop = int(request.url.path.strip("/") or 0)
        if hop < 3:
            return httpx.Response(301, headers={"Location": f"/{hop + 1}"})
        return ok(request)

    result = make_fetcher(handler, max_redirects=3).fetch("https://news.example/0")
    assert isinstance(result, Fetched) and result.url == "https://news.example/3"
    with pytest.raises(Blocked, match="more than 2 redirects"):
        make_fetcher(handler, max_redirects=2).fetch("https://news.example/0")


def test_robots_disallow_and_crawl_delay(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\nCrawl-delay: 5\n", content_type="text/plain")
    httpserver.expect_request("/public").respond_with_data("<p>ok</p>", content_type="text/html")
    sleeps: list[float] = []
    clock = iter(float(i) for i in range(100))
    fetcher = Fetcher(CrawlerConfig(allow_private_networks=("127.0.0.1",), per_host_delay_seconds=1, retries=0),
                      sleep=sleeps.append, monotonic=lambda: next(clock))
    with fetcher:
        with pytest.raises(Blocked, match="robots.txt"):
            fetcher.fetch(httpserver.url_for("/private/page"))
        assert isinstance(fetcher.fetch(httpserver.url_for("/public")), Fetched)
        assert isinstance(fetcher.fetch(httpserver.url_for("/public")), Fetched)
    # The site's Crawl-delay (5 s) outranks our 1 s per-host delay between the two page GETs.
    assert sleeps and max(sleeps) > 1.0


def test_robots_unreachable_blocks_site(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("oops", status=503)
    fetcher = Fetcher(CrawlerConfig(allow_private_networks=("127.0.0.1",), per_host_delay_seconds=0, retries=0),
                      sleep=lambda s: None)
    with fetcher, pytest.raises(Blocked, match="robots.txt unreachable"):
        fetcher.fetch(httpserver.url_for("/page"))


def test_robots_404_allows_everything(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/page").respond_with_data("fine")
    fetcher = Fetcher(CrawlerConfig(allow_private_networks=("127.0.0.1",), per_host_delay_seconds=0, retries=0))
    with fetcher:
        assert isinstance(fetcher.fetch(httpserver.url_for("/page")), Fetched)


def test_real_server_304_and_oversize(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed", headers={"If-None-Match": '"abc"'}).respond_with_data("", status=304)
    httpserver.expect_request("/huge").respond_with_data("y" * 20_000)
    fetcher = Fetcher(CrawlerConfig(allow_private_networks=("127.0.0.1",), per_host_delay_seconds=0, retries=0,
                                    max_body_bytes=10_000))
    with fetcher:
        assert isinstance(fetcher.fetch(httpserver.url_for("/feed"), etag='"abc"'), NotModified)
        with pytest.raises(TooLarge):
            fetcher.fetch(httpserver.url_for("/huge"))


def test_loopback_refused_without_allow_private(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/page").respond_with_data("secret")
    fetcher = Fetcher(CrawlerConfig(per_host_delay_seconds=0, retries=0))
    with fetcher, pytest.raises(Blocked, match="allow_private_networks"):
        fetcher.fetch(httpserver.url_for("/page"))


def test_per_host_concurrency_allows_that_many_requests_in_flight() -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    both_in_flight = threading.Barrier(2, timeout=10)

    def handler(request: httpx.Request) -> httpx.Response:
        both_in_flight.wait()  # passes only if two requests to the host are open at once
        return ok(request)

    fetcher = make_fetcher(handler, per_host_concurrency=2)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(fetcher.fetch, ["https://news.example/a", "https://news.example/b"]))
    assert all(isinstance(r, Fetched) for r in results)


def test_one_request_at_a_time_per_host_by_default() -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    in_flight, most = 0, 0
    guard = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        with guard:
            in_flight += 1
            most = max(most, in_flight)
        response = ok(request)
        with guard:
            in_flight -= 1
        return response

    fetcher = make_fetcher(handler)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(fetcher.fetch, [f"https://news.example/{i}" for i in range(12)]))
    assert most == 1
