"""Stored pages are re-read with conditional GETs on an age-based schedule: an article updated in
place (same feed entry, new ETag) is stored, its claims re-extracted and its story's figures
follow; an old article is checked weekly, a very old one never."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer

from api.app import create_app
from cartwatch.config import AppConfig
from cartwatch.commands.crawl import crawl
from tests.conftest import rows

PUBLISHED = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
PAGE = ("<html><head><title>Cilta-cel long-term data</title></head><body><article><h1>Cilta-cel long-term data</h1>"
        "<p>Patients with relapsed multiple myeloma treated with ciltacabtagene autoleucel in the CARTITUDE-1 trial "
        "had durable responses, investigators reported at the annual meeting of the society this week.</p>"
        "<p>{figures}</p><p>The investigators said the results support the use of CAR T-cell therapy in older "
        "adults and in patients who would not have met the eligibility criteria of the original trial.</p>"
        "</article></body></html>")
ONE_YEAR = "The overall response rate was 81% among 97 patients at one year."
TWO_YEARS = "At two years the overall response rate was 89% among 97 patients, the update said."


def serve(httpserver: HTTPServer, base: str, published: datetime) -> None:
    feed = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item><title>Cilta-cel long-term "
            f"data</title><link>{base}/news/cilta</link><pubDate>{published:%a, %d %b %Y %H:%M:%S} GMT</pubDate>"
            "</item></channel></rss>")
    httpserver.expect_request("/feed.rss", headers={"If-None-Match": '"f1"'}).respond_with_data("", status=304)
    httpserver.expect_request("/feed.rss").respond_with_data(feed, content_type="application/rss+xml",
                                                             headers={"ETag": '"f1"'})


def page_versions(httpserver: HTTPServer) -> None:
    """v1 first; asked with v1's ETag the page answers the updated v2, asked with v2's, 304."""
    httpserver.expect_request("/news/cilta", headers={"If-None-Match": '"v2"'}).respond_with_data("", status=304)
    httpserver.expect_request("/news/cilta", headers={"If-None-Match": '"v1"'}).respond_with_data(
        PAGE.format(figures=TWO_YEARS), content_type="text/html; charset=utf-8", headers={"ETag": '"v2"'})
    httpserver.expect_request("/news/cilta").respond_with_data(
        PAGE.format(figures=ONE_YEAR), content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'})


def page_requests(httpserver: HTTPServer) -> list[str | None]:
    return [req.headers.get("If-None-Match") for req, _ in httpserver.log if req.path == "/news/cilta"]


def test_an_article_updated_in_place_is_reread_and_its_claims_and_story_follow(
        httpserver: HTTPServer, base_url: str, make_config: Callable[..., AppConfig]) -> None:
    serve(httpserver, base_url, PUBLISHED)
    page_versions(httpserver)
    config = make_config([{"name": "trade", "kind": "rss", "url": f"{base_url}/feed.rss", "prefilter": False}])
    crawl(config, now=PUBLISHED + timedelta(hours=2))
    assert rows(config, "SELECT metric, value FROM claims WHERE metric = 'ORR'") == [("ORR", 81.0)]
    # Same feed entry (the feed answers 304), but a day later the page is asked again, conditionally.
    [report] = crawl(config, now=PUBLISHED + timedelta(days=1, hours=2))
    assert page_requests(httpserver) == [None, '"v1"']
    assert report.updated == 1
    assert rows(config, "SELECT metric, value FROM claims WHERE metric = 'ORR'") == [("ORR", 89.0)]
    [(text,)] = rows(config, "SELECT text FROM articles")
    assert "At two years" in text
    for sentence, start, end in rows(config, 'SELECT sentence, start, "end" FROM claims'):
        assert text[start:end] == sentence
    [(story_id, count)] = rows(config, "SELECT id, article_count FROM stories")
    story = TestClient(create_app(config.database.path, config.api)).get(f"/stories/{story_id}").json()
    assert count == 1 and [c["value"] for c in story["claims"] if c["metric"] == "ORR"] == [89.0]
    # Checked again within the day: not yet due; the next day: 304, nothing changes.
    crawl(config, now=PUBLISHED + timedelta(days=1, hours=5))
    assert len(page_requests(httpserver)) == 2
    crawl(config, now=PUBLISHED + timedelta(days=2, hours=2))
    assert page_requests(httpserver) == [None, '"v1"', '"v2"']


def test_older_articles_are_checked_weekly_and_the_oldest_never(
        httpserver: HTTPServer, base_url: str, make_config: Callable[..., AppConfig]) -> None:
    serve(httpserver, base_url, PUBLISHED)
    page_versions(httpserver)
    config = make_config([{"name": "trade", "kind": "rss", "url": f"{base_url}/feed.rss", "prefilter": False}],
                         revalidate_daily_days=30, revalidate_until_days=90)
    start = PUBLISHED + timedelta(days=40)  # first seen when already 40 days old: weekly
    crawl(config, now=start)
    crawl(config, now=start + timedelta(days=3))
    assert len(page_requests(httpserver)) == 1
    crawl(config, now=start + timedelta(days=7))
    assert page_requests(httpserver) == [None, '"v1"']
    crawl(config, now=PUBLISHED + timedelta(days=100))  # past revalidate_until_days: never again
    assert len(page_requests(httpserver)) == 2


def test_a_stored_page_that_is_gone_is_recorded_and_not_asked_again_every_run(
        httpserver: HTTPServer, base_url: str, make_config: Callable[..., AppConfig]) -> None:
    serve(httpserver, base_url, PUBLISHED)
    httpserver.expect_request("/news/cilta", headers={"If-None-Match": '"v1"'}).respond_with_data("gone", status=410)
    httpserver.expect_request("/news/cilta").respond_with_data(
        PAGE.format(figures=ONE_YEAR), content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'})
    config = make_config([{"name": "trade", "kind": "rss", "url": f"{base_url}/feed.rss", "prefilter": False}])
    crawl(config, now=PUBLISHED + timedelta(hours=2))
    [report] = crawl(config, now=PUBLISHED + timedelta(days=1, hours=2))
    assert report.errors == 1 and page_requests(httpserver) == [None, '"v1"']
    assert rows(config, "SELECT status FROM fetches WHERE outcome = 'error'") == [(410,)]
    crawl(config, now=PUBLISHED + timedelta(days=1, hours=3))  # an hour later: not due
    assert len(page_requests(httpserver)) == 2
    assert rows(config, "SELECT count(*) FROM articles") == [(1,)]  # the stored copy stays
