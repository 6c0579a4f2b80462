"""Canonical URLs and page identity: one spelling per article; syndicated copies keep their own."""

from __future__ import annotations

import pytest

from crawler.canonical import canonical_url, host_of, page_identity, same_site, syndicated_from


@pytest.mark.parametrize(("raw", "expected"), [
    # tracking parameters go, the rest is kept and sorted
    ("https://news.example/a?utm_source=rss&utm_medium=feed&id=7", "https://news.example/a?id=7"),
    ("https://news.example/a?fbclid=x&gclid=y&mc_cid=z&_ga=1&b=2&a=1", "https://news.example/a?a=1&b=2"),
    ("https://news.example/a?ref=twitter&page=2", "https://news.example/a?page=2"),
    # fragments, default ports, scheme and host case
    ("https://news.example/a#comments", "https://news.example/a"),
    ("http://news.example:80/a", "https://news.example/a"),
    ("https://news.example:443/a", "https://news.example/a"),
    ("https://news.example:8443/a", "https://news.example:8443/a"),
    ("HTTP://News.EXAMPLE./A", "https://news.example/A"),  # path case is significant
    ("https://news.example", "https://news.example/"),
    # www. stays in the URL (some sites serve different pages)
    ("https://www.news.example/a", "https://www.news.example/a"),
])
def test_canonical_url(raw: str, expected: str) -> None:
    assert canonical_url(raw) == expected


def test_canonical_url_is_idempotent() -> None:
    once = canonical_url("http://News.example:80/a/b?z=1&utm_campaign=x&a=2#top")
    assert canonical_url(once) == once == "https://news.example/a/b?a=2&z=1"


def test_outlet_key_drops_www_and_same_site_allows_subdomains() -> None:
    assert host_of("https://www.statnews.com/2026/x") == "statnews.com"
    assert same_site("https://edition.cnn.example/a", "https://www.cnn.example/b")
    assert not same_site("https://statnews.com/a", "https://notstatnews.com/a")
    assert not same_site("http://localhost:8000/a", "http://127.0.0.1:8000/a")


def test_same_site_canonical_is_adopted() -> None:
    assert page_identity("https://news.example/a?utm_source=x", "https://news.example/story-slug") \
        == "https://news.example/story-slug"


def test_cross_site_canonical_is_ignored_and_recorded_as_syndication() -> None:
    fetched = "https://regional-paper.example/health/wire-car-t-story"
    declared = "https://wire.example/article/car-t-story?utm_source=partner"
    assert page_identity(fetched, declared) == fetched
    assert syndicated_from(declared, fetched) == "https://wire.example/article/car-t-story"
    assert syndicated_from("https://regional-paper.example/x", fetched) is None
    assert syndicated_from(None, fetched) is None


def test_mirror_copy_takes_the_publishers_canonical_when_the_listing_names_that_publisher() -> None:
    fetched = "https://cache.mirror.example/s/news.example/a"
    declared = "https://www.news.example/a"
    assert page_identity(fetched, declared, publisher_domain="news.example") == "https://www.news.example/a"
    # without the listing's agreement a foreign canonical is not trusted
    assert page_identity(fetched, declared, publisher_domain="other.example") == fetched
    assert page_identity(fetched, declared) == fetched


def test_unusable_declared_canonical_falls_back_to_the_fetched_url() -> None:
    assert page_identity("https://news.example/a", "ftp://news.example/a") == "https://news.example/a"
    assert page_identity("https://news.example/a?utm_source=x", None) == "https://news.example/a"
