"""Spanish-language coverage end to end: a Spanish feed is crawled to stored articles rated with
their outlets' facts, joined with the English report of the same event in one story, and shown
with its echo count; a Spanish decoy is read and left out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer

from api.app import create_app
from api.config import ApiConfig
from cartwatch.config import AppConfig
from cartwatch.commands.crawl import crawl
from tests.conftest import rows, serve_fixture

NOW = datetime(2026, 4, 16, 6, 0, tzinfo=UTC)
PAGES = {
    "/espejo/wapa/auxilio-mutuo-car-t": "pages/es/wapa_auxilio.html",
    "/espejo/endi/car-t-auxilio-mutuo": "pages/es/endi_auxilio.html",
    "/espejo/primerahora/carritos": "pages/es/primerahora_carritos.html",
    "/espejo/apnews/auxilio-mutuo-red-cross": "pages/es/apnews_auxilio.html",
}


def serve(httpserver: HTTPServer, base: str) -> None:
    serve_fixture(httpserver, "/noticias.rss", "feeds/noticias_es.rss", base, content_type="application/rss+xml")
    for path, fixture in PAGES.items():
        serve_fixture(httpserver, path, fixture, base)


def test_a_spanish_feed_becomes_stored_rated_storied_articles(httpserver: HTTPServer, base_url: str,
                                                            make_config: Callable[..., AppConfig]) -> None:
    serve(httpserver, base_url)
    # An aggregator's feed naming each item's publisher (<source url=…>); the pages are mirror
    # copies whose canonical links name those publishers. No title prefilter: every page is read.
    config = make_config([{"name": "noticias-es", "kind": "rss", "url": f"{base_url}/noticias.rss",
                           "prefilter": False}])
    [report] = crawl(config, now=NOW)
    assert (report.new, report.errors, dict(report.skipped)) == (3, 0, {"not_relevant": 1})

    stored = rows(config, "SELECT a.outlet_domain, a.language, o.name, o.source_type, o.country, o.language, "
                          "o.owner IS NOT NULL FROM articles a JOIN outlets o ON o.domain = a.outlet_domain "
                          "ORDER BY a.published_at")
    assert stored == [
        ("wapa.tv", "es", "WAPA-TV (Noticentro)", "general news", "Puerto Rico (US territory)", "es", 1),
        ("elnuevodia.com", "es", "El Nuevo Día", "general news", "Puerto Rico (US territory)", "es", 1),
        ("apnews.com", "en", "Associated Press", "general news", "US", "en", 1),
    ]
    # One event (no product named) told in two languages: one story.
    [(stories, articles)] = rows(config, "SELECT count(DISTINCT story_id), count(*) FROM articles")
    assert (stories, articles) == (1, 3)
    [(events,)] = rows(config, "SELECT events FROM stories")
    assert '"n:auxilio mutuo|access"' in events

    client = TestClient(create_app(config.database.path, ApiConfig(), clock=lambda: NOW))
    [story] = client.get("/stories").json()["items"]
    detail = client.get(f"/stories/{story['id']}").json()
    assert detail["echo"] == {"copies": 0, "original_reports": 3}
    assert {(a["outlet_domain"], a["source_type"], a["evidence"]) for a in detail["articles"]} == {
        ("wapa.tv", "general news", "news"), ("elnuevodia.com", "general news", "news"),
        ("apnews.com", "general news", "news")}
    page = client.get(f"/story/{story['id']}").text
    assert "3</strong> original reports" in page


def test_relevance_keeps_spanish_mixed_case_and_drops_the_decoy(httpserver: HTTPServer, base_url: str,
                                                               make_config: Callable[..., AppConfig]) -> None:
    serve(httpserver, base_url)
    config = make_config([{"name": "noticias-es", "kind": "rss", "url": f"{base_url}/noticias.rss"}])
    [report] = crawl(config, now=NOW)
    # With the default title prefilter of a plain feed, "Car-T" in a Spanish headline passes it;
    # the shopping-cart headline is dropped before download.
    assert dict(report.skipped) == {"prefilter_no_car_t_terms": 1} and report.new == 3
    titles: list[Any] = rows(config, "SELECT title FROM articles WHERE language = 'es' ORDER BY title")
    assert [t for (t,) in titles] == ["Auxilio Mutuo y la Cruz Roja traen la terapia CAR-T a Puerto Rico",
                                      "Pacientes de cáncer ya pueden recibir terapia Car-T en Auxilio Mutuo"]
