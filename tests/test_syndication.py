"""Syndicated copies found by their text (not only by a canonical link), marked with their origin,
and counted as a story's echo."""

from __future__ import annotations

import html

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer

from analysis.fingerprint import fingerprint
from analysis.model.records import CopyCandidate
from analysis.syndication import copy_keys, find_origin, text_key
from api.app import create_app
from api.config import ApiConfig
from cartwatch.config import AppConfig
from cartwatch.commands.crawl import crawl
from tests.conftest import fixture_text, rows, serve_fixture

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
BODY = ("A single infusion of ciltacabtagene autoleucel left one third of patients with heavily pretreated "
        "multiple myeloma alive and free of disease progression five years later, according to long-term "
        "follow-up of CARTITUDE-1. Patients who remained progression-free had no further myeloma treatment, "
        "suggesting that some may be cured, the investigators said.")
OWN_REPORT = ("Doctors say a one-time cell therapy kept a third of myeloma patients free of their cancer for five "
              "years. The treatment, sold as Carvykti, reprograms each patient's own immune cells, and the "
              "hospital's doctors said several of their patients have needed no treatment since then at all.")


def candidate(url: str, outlet: str, when: str, text: str, origin: str | None = None) -> CopyCandidate:
    return CopyCandidate(url, outlet, when, fingerprint("t", text), text_key(text), origin)


def test_a_reprint_with_its_own_boilerplate_is_a_copy_of_the_earliest_report() -> None:
    original = candidate("https://hospital.org/news/1", "hospital.org", "2026-10-20T14:00:00Z", BODY)
    reprint = BODY + " Provided by the hospital's news office."
    fp = fingerprint("t", reprint)
    assert copy_keys(fp) and all(k.startswith("cp:") for k in copy_keys(fp))
    assert find_origin(fp, "https://wire.example/2", "wire.example", "2026-10-20T16:00:00Z", [original]) \
        == "https://hospital.org/news/1"
    # A copy of a copy points at the first report.
    second = candidate("https://wire.example/2", "wire.example", "2026-10-20T16:00:00Z", reprint,
                       origin="https://hospital.org/news/1")
    assert find_origin(fp, "https://x.example/3", "x.example", "2026-10-21T09:00:00Z", [second]) \
        == "https://hospital.org/news/1"


@pytest.mark.parametrize(("text", "outlet", "when", "why"), [
    (OWN_REPORT, "paper.example", "2026-10-21T09:00:00Z", "an outlet's own report of the same event"),
    (BODY, "hospital.org", "2026-10-21T09:00:00Z", "the same outlet again is not syndication"),
    (BODY, "paper.example", "2026-10-19T09:00:00Z", "published before the candidate"),
])
def test_not_copies(text: str, outlet: str, when: str, why: str) -> None:
    original = candidate("https://hospital.org/news/1", "hospital.org", "2026-10-20T14:00:00Z", BODY)
    assert find_origin(fingerprint("t", text), "https://paper.example/9", outlet, when, [original]) is None, why


def test_the_declared_original_is_never_marked_a_copy_of_its_copy() -> None:
    copy = candidate("https://paper.example/c", "paper.example", "2026-10-20T14:00:00Z", BODY,
                     origin="https://hospital.org/news/1")
    assert find_origin(fingerprint("t", BODY), "https://hospital.org/news/1", "hospital.org",
                       "2026-10-20T14:00:00Z", [copy]) is None


def test_a_wire_brief_too_short_to_fingerprint_is_matched_by_its_words() -> None:
    brief = ("Gilead Sciences said on Monday it would buy partner Arcellx for about $7.8 billion, taking full "
             "control of a myeloma cell therapy. Arcellx shares jumped 30% before the bell.")
    fp = fingerprint("Gilead to buy Arcellx", brief)
    assert fp.kind == "title" and text_key(brief) is not None
    assert copy_keys(fp, text_key(brief)) == [f"cpx:{text_key(brief)}"]
    original = candidate("https://reuters.com/a", "reuters.com", "2026-08-03T13:00:00Z", brief)
    assert find_origin(fp, "https://usnews.com/b", "usnews.com", "2026-08-03T13:30:00Z", [original],
                       text_key(brief)) == "https://reuters.com/a"
    # A headline alone is never a copy.
    assert copy_keys(fingerprint("Gilead to buy Arcellx", "")) == []


def _feed(title: str, home: str, link: str, published: str) -> str:
    return fixture_text("feeds/syndication.rss").replace("{title}", title).replace("{home}", home) \
        .replace("{link}", link).replace("{source}", "").replace("Thu, 19 Nov 2026 10:30:00 GMT", published)


def _serve_wire_and_reprint(httpserver: HTTPServer, base_url: str) -> str:
    """A wire story and a regional paper's reprint of it, each in its own feed on its own host;
    returns the regional host's base URL."""
    other = base_url.replace("localhost", "127.0.0.1")
    httpserver.expect_request("/wire.rss").respond_with_data(
        _feed("Health Wire", base_url, f"{base_url}/wire/car-t-capacity", "Thu, 19 Nov 2026 10:30:00 GMT"),
        content_type="application/rss+xml")
    httpserver.expect_request("/regional.rss").respond_with_data(
        _feed("Regional Paper", other, f"{other}/health/car-t-capacity-wire", "Thu, 19 Nov 2026 15:00:00 GMT"),
        content_type="application/rss+xml")
    serve_fixture(httpserver, "/wire/car-t-capacity", "pages/wire_car_t_story.html", base_url)
    # The regional paper reprints the story under its own footer and names no canonical original.
    serve_fixture(httpserver, "/health/car-t-capacity-wire", "pages/wire_copy_no_canonical.html", base_url)
    return other


@pytest.mark.parametrize("order", [("wire", "regional"), ("regional", "wire")])
def test_a_copy_without_a_canonical_link_is_marked_in_either_crawl_order(
        order: tuple[str, str], httpserver: HTTPServer, base_url: str,
        make_config: Callable[..., AppConfig]) -> None:
    other = _serve_wire_and_reprint(httpserver, base_url)
    feeds = {"wire": f"{base_url}/wire.rss", "regional": f"{other}/regional.rss"}
    config = make_config([{"name": name, "kind": "rss", "url": feeds[name]} for name in order])
    assert [(r.new, r.errors) for r in crawl(config, now=NOW)] == [(1, 0), (1, 0)]
    port = httpserver.port
    # The later-published reprint is the copy whichever page was stored first.
    assert rows(config, "SELECT outlet_domain, syndicated_from FROM articles ORDER BY outlet_domain") == [
        ("127.0.0.1", f"https://localhost:{port}/wire/car-t-capacity"), ("localhost", None)]


def test_copy_crawled_after_its_original_is_marked_and_the_story_counts_it(
        httpserver: HTTPServer, base_url: str, make_config: Callable[..., AppConfig]) -> None:
    other = _serve_wire_and_reprint(httpserver, base_url)
    config = make_config([{"name": "wire", "kind": "rss", "url": f"{base_url}/wire.rss"},
                          {"name": "regional", "kind": "rss", "url": f"{other}/regional.rss"}])
    assert [(r.new, r.errors) for r in crawl(config, now=NOW)] == [(1, 0), (1, 0)]
    port = httpserver.port
    assert rows(config, "SELECT outlet_domain, syndicated_from FROM articles ORDER BY outlet_domain") == [
        ("127.0.0.1", f"https://localhost:{port}/wire/car-t-capacity"), ("localhost", None)]
    [(story_count,)] = rows(config, "SELECT count(DISTINCT story_id) FROM articles")
    assert story_count == 1
    client = TestClient(create_app(config.database.path, ApiConfig(), clock=lambda: NOW))
    [story] = client.get("/stories").json()["items"]
    assert client.get(f"/stories/{story['id']}").json()["echo"] == {"copies": 1, "original_reports": 1}
    page = client.get(f"/story/{story['id']}").text
    assert "copy of" in page and f"https://localhost:{port}/wire/car-t-capacity" in page
    assert "1</strong> original report," in page and "1</strong> copy)" in page
    # The list shows the echo too, and the copy names its origin by outlet and title (issue 12).
    assert story["echo"] == {"copies": 1, "original_reports": 1}
    [(title, outlet)] = rows(config, "SELECT title, coalesce(outlet_name, outlet_domain) FROM articles "
                                     "WHERE syndicated_from IS NULL")
    articles = {a["outlet_domain"]: a for a in client.get(f"/stories/{story['id']}").json()["articles"]}
    assert articles["127.0.0.1"]["origin"] == {"url": f"https://localhost:{port}/wire/car-t-capacity",
                                               "title": title, "outlet": outlet}
    assert (articles["127.0.0.1"]["copies"], articles["localhost"]["copies"]) == (0, 1)
    assert articles["localhost"]["origin"] is None
    assert f"copy of <a href=\"https://localhost:{port}/wire/car-t-capacity\"" in page
    assert f"{html.escape(outlet)}: {html.escape(title)}</a>" in page and "1 copy of this report" in page
    assert "1 original report, 1 copy" in client.get("/").text
