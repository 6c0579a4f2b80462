"""robots.txt: groups match our product token (RFC 9309), and Crawl-delay holds from the first
request after robots.txt. A MockTransport with a literal public IP; the clock never moves, so
every wait the fetcher needs shows up in the injected ``sleep``."""

from __future__ import annotations

import httpx
import pytest

from crawler.config import CrawlerConfig
from crawler.errors import Blocked
from crawler.fetch import Fetched, Fetcher
from crawler.robots import parse_robots, product_token

UA = "cartwatch/0.1 (+https://github.com/cartwatch/cartwatch; cartwatch@example.org)"


def site(robots: str, seen: list[str]) -> Fetcher:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text=robots)
        return httpx.Response(200, text="<p>ok</p>", headers={"content-type": "text/html"})
    sleeps: list[float] = []
    fetcher = Fetcher(CrawlerConfig(user_agent=UA, per_host_delay_seconds=0, retries=0),
                      transport=httpx.MockTransport(handler), resolver=lambda host: ["93.184.216.34"],
                      sleep=sleeps.append, monotonic=lambda: 0.0)
    fetcher.sleeps = sleeps  # type: ignore[attr-defined]
    return fetcher


def test_product_token_is_the_name_before_the_version() -> None:
    assert product_token(UA) == "cartwatch"


@pytest.mark.parametrize("group", ["github", "example", "cart", "cartwatch-images", "mozilla"])
def test_groups_naming_other_products_do_not_apply_to_us(group: str) -> None:
    robots = f"User-agent: {group}\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    seen: list[str] = []
    with site(robots, seen) as fetcher:
        assert isinstance(fetcher.fetch("https://news.example/story"), Fetched)
    assert seen == ["/robots.txt", "/story"]


@pytest.mark.parametrize("name", ["cartwatch", "CartWatch", "cartwatch/2.0"])
def test_a_group_naming_our_token_applies_to_us(name: str) -> None:
    robots = f"User-agent: github\nUser-agent: {name}\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n"
    with site(robots, []) as fetcher:
        assert isinstance(fetcher.fetch("https://news.example/story"), Fetched)
        with pytest.raises(Blocked, match="robots.txt"):
            fetcher.fetch("https://news.example/private/1")


def test_crawl_delay_holds_from_the_first_request_after_robots() -> None:
    seen: list[str] = []
    fetcher = site("User-agent: *\nCrawl-delay: 2\n", seen)
    with fetcher:
        fetcher.fetch("https://news.example/feed")
        fetcher.fetch("https://news.example/page")
    assert seen == ["/robots.txt", "/feed", "/page"]
    # robots.txt at t=0, so the feed waits 2 s and the page 2 s after it (4 s from the clock's 0).
    assert fetcher.sleeps == [2.0, 4.0]  # type: ignore[attr-defined]


def test_crawl_delay_of_another_product_does_not_apply() -> None:
    assert parse_robots("User-agent: github\nCrawl-delay: 30\n", "cartwatch").crawl_delay("cartwatch") is None
