"""Alerts on a real crawl: feed on a loopback server → fetch → parse → ingest → the alert job →
a webhook receiver. New claims of the watched product alert once; a re-crawl alerts nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from pytest_httpserver import HTTPServer

from cartwatch.commands.alerts import alerts_job
from cartwatch.config import AppConfig
from cartwatch.commands.crawl import crawl
from service.alerts_config import AlertsConfig
from tests.test_end_to_end import LATER, NOW, rss_source, trade_site  # noqa: F401 (fixture)


def test_a_crawl_feeds_the_watch_once(trade_site: str, make_config: Callable[..., AppConfig],  # noqa: F811
                                      httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    config = make_config([rss_source(trade_site, prefilter=False)])
    config = config.model_copy(update={"alerts": AlertsConfig.model_validate({"watches": [
        {"name": "cilta", "therapy": "cilta-cel", "webhook": httpserver.url_for("/hook")}]})})
    alerts_job(config, now=NOW - timedelta(hours=1))  # the watch exists before the crawl
    [report] = crawl(config, now=NOW)
    assert report.new == 2
    first = alerts_job(config, now=NOW + timedelta(minutes=5))
    assert first.sent > 0 and first.errors == ()
    texts = [json.loads(request.get_data())["text"] for request, _ in httpserver.log if request.path == "/hook"]
    assert len(texts) == first.sent and all(t.startswith("cilta-cel") for t in texts)
    assert any("Stringent complete response rate 82.5%" in t for t in texts)
    crawl(config, now=LATER)  # nothing changed on the site
    again = alerts_job(config, now=LATER + timedelta(minutes=5))
    assert (again.queued, again.sent) == (0, 0)
