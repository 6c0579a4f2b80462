"""Identity and outlet rules end to end (issue point 4), on two hosts of one loopback server:
``localhost`` plays the original publisher and ``127.0.0.1`` a second site.

* A syndicated copy (its canonical names the wire service) stays its own article under its own
  outlet, recording the original in ``syndicated_from``: both copies are stored, none is lost
  or merged into the other.
* A mirror's copy, whose canonical names the same publisher as the listing's <source>, is
  stored as the publisher's article under the publisher's outlet, never the mirror's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer

from cartwatch.commands.crawl import crawl
from cartwatch.config import AppConfig
from tests.conftest import fixture_text, rows, serve_fixture

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)



def serve_feed(httpserver: HTTPServer, path: str, *, title: str, home: str, link: str, source: str = "") -> None:
    feed = fixture_text("feeds/syndication.rss").replace("{title}", title).replace("{home}", home) \
        .replace("{link}", link).replace("{source}", source)
    httpserver.expect_request(path).respond_with_data(feed, content_type="application/rss+xml")


@pytest.mark.parametrize("order", [("wire", "regional"), ("regional", "wire")])
def test_syndicated_copies_are_both_kept_under_their_own_outlets(
        order: tuple[str, str], httpserver: HTTPServer, base_url: str, make_config: Callable[..., AppConfig]) -> None:
    other = base_url.replace("localhost", "127.0.0.1")
    serve_feed(httpserver, "/wire.rss", title="Health Wire", home=base_url, link=f"{base_url}/wire/car-t-capacity")
    serve_feed(httpserver, "/regional.rss", title="Regional Paper", home=other,
               link=f"{other}/health/car-t-capacity-wire")
    # The same wire story on both sites; the copy's canonical points at the wire's original.
    serve_fixture(httpserver, "/wire/car-t-capacity", "pages/wire_car_t_story.html", base_url)
    serve_fixture(httpserver, "/health/car-t-capacity-wire", "pages/wire_car_t_story.html", base_url)
    feeds = {"wire": f"{base_url}/wire.rss", "regional": f"{other}/regional.rss"}
    config = make_config([{"name": name, "kind": "rss", "url": feeds[name]} for name in order])
    reports = crawl(config, now=NOW)
    assert [(r.new, r.errors) for r in reports] == [(1, 0), (1, 0)]
    port = httpserver.port
    assert rows(config, "SELECT canonical_url, outlet_domain, syndicated_from, title FROM articles "
                        "ORDER BY outlet_domain") == [
        (f"https://127.0.0.1:{port}/health/car-t-capacity-wire", "127.0.0.1",
         f"https://localhost:{port}/wire/car-t-capacity",
         "Hospitals race to add CAR-T capacity as approvals move into earlier lines"),
        (f"https://localhost:{port}/wire/car-t-capacity", "localhost", None,
         "Hospitals race to add CAR-T capacity as approvals move into earlier lines"),
    ]


def test_mirror_copy_is_the_publishers_article(httpserver: HTTPServer, base_url: str,
                                               make_config: Callable[..., AppConfig]) -> None:
    mirror = base_url.replace("localhost", "127.0.0.1")
    serve_feed(httpserver, "/aggregator.rss", title="Aggregator", home=base_url,
               link=f"{mirror}/mirror/liso-cel", source=f'<source url="{base_url}">Oncology Trade Daily</source>')
    serve_fixture(httpserver, "/mirror/liso-cel", "pages/liso_cel_transform_title_suffix.html", base_url)
    config = make_config([{"name": "aggregator", "kind": "rss", "url": f"{base_url}/aggregator.rss"}])
    [report] = crawl(config, now=NOW)
    assert (report.new, report.errors) == (1, 0)
    assert rows(config, "SELECT canonical_url, url, outlet_domain, syndicated_from FROM articles") == [
        (f"https://localhost:{httpserver.port}/news/liso-cel-transform-three-years", f"{mirror}/mirror/liso-cel",
         "localhost", None)]
