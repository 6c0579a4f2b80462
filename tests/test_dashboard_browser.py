"""The dashboard in a real browser: Debian's chromium driven by Playwright, against uvicorn on
127.0.0.1 serving the seeded database. Every page is opened and its content checked; an article
title carrying ``<script>alert(1)</script>`` must show as text and never run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from tests.live_server import CHROMIUM, CHROMIUM_ARGS, live_server
from tests.seed import NOW, XSS_TITLE, seed

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser") / "seeded.db"
    seed(db)
    with live_server(create_app(db, clock=lambda: NOW)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` (apt-get install chromium) installs it")
    with playwright_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh page that records dialogs (an alert would mean injected script ran) and every
    request that leaves our server (a CDN, a font)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.dialogs, page.foreign = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(base_url) else page.foreign.append(r.url))
    yield page
    assert page.dialogs == [], f"a dialog fired: {page.dialogs}"
    assert page.foreign == [], f"requests outside the app: {page.foreign}"
    assert page.locator("script").count() == 0  # no script element anywhere, injected or ours
    context.close()


def test_today_lists_new_stories_with_lean_bars_and_shows_a_script_title_as_text(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    assert page.locator("h1").inner_text() == "Today"
    first = page.locator("article.story").first
    assert first.locator("h3").inner_text() == XSS_TITLE  # the markup is visible text
    segments = first.locator("svg.leanbar g.seg")
    assert segments.count() == 3  # the rated leans only: widths are shares of rated outlets
    assert first.locator("svg.leanbar").get_attribute("aria-label").endswith("unrated: 2 (not in the shares)")
    assert "unrated 2 (not in the shares)" in first.locator("p.legend").inner_text()
    assert "LL 33.4%" in first.locator("svg.leanbar").text_content()
    stories = page.locator("article.story h3").all_inner_texts()
    assert stories[1:] == ["Axi-cel ZUMA-7 overall survival", "Ide-cel extends survival in KarMMa-3",
                           "Cilta-cel CARTITUDE-1 final results"]
    assert page.locator(".badge.blindspot").inner_text() == "blindspot: left"
    page.select_option("select[name=rater]", "allsides")
    page.click("form.filters button[type=submit]")
    assert "rater=allsides" in page.url and "as rated by allsides" in page.locator(".lede").inner_text()
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")  # our CSS loaded


def test_story_page_shows_coverage_details_articles_with_ratings_and_claims(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    page.click("article.story h3 a >> nth=0")
    assert page.locator("h1").inner_text() == XSS_TITLE
    coverage = page.locator("section.coverage").inner_text()
    assert "5 articles from 5 outlets" in coverage and "first reported by" in coverage
    assert page.locator("table.articles tbody tr").count() == 5
    assert XSS_TITLE in page.locator("table.articles").inner_text()
    fox = page.locator("table.articles tr", has_text="Fox News")
    assert "Right" in fox.inner_text() and "(allsides, mbfc)" in fox.inner_text()
    assert "ORR <b>84.6%</b> =cmd|' /C calc'!A0" in page.locator("table.claims").inner_text()
    assert page.locator("table.claims b").count() == 0  # the <b> in a sentence is text, not markup


def test_blindspot_story(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/story/2")
    assert "Blindspot: left" in page.locator("section.coverage").inner_text()
    page.goto(f"{base_url}/story/2?rater=allsides")
    lean = page.locator("table.dist", has_text="Lean (per outlet)").inner_text()
    assert "Left\t1" in lean and "Lean Left\t2" in lean


def test_therapy_page_shows_discrepancies_side_by_side_charts_and_history(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/therapy")
    page.click("text=cilta-cel")
    assert page.locator("h1").inner_text().startswith("cilta-cel")
    orr = page.locator("article.metric", has_text="CARTITUDE-1 · Overall response rate")
    assert "Peer-reviewed: 97.9%" in orr.inner_text()
    quotes = orr.locator(".discrepancy blockquote").all_inner_texts()
    assert "An amazing 89% of patients responded to cilta-cel." in quotes[0]
    assert "The overall response rate was 97.9%" in quotes[1]
    assert page.locator("article.metric .discrepancy").count() == 1  # the newer CARTITUDE-4 cut is not one
    charts = page.locator("figure.chart")
    assert charts.count() == 5 and "Overall response rate (percent)" in charts.nth(1).inner_text()
    assert charts.nth(1).locator("g.pt").count() == 6
    history = page.locator("table.claims tbody tr")
    assert history.count() == 12 and "follow-up 33.6 mo" in history.nth(1).inner_text()
    assert page.locator("link[type='application/atom+xml']").nth(1).get_attribute("href").endswith("/claims.atom")


def test_compare_page_stacks_lean_bars_by_therapy_and_by_month(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/compare")
    rows = page.locator("table.compare tbody tr")
    assert rows.count() == 3 and rows.nth(0).locator("svg.leanbar").count() == 1
    assert "ide-cel" in rows.nth(2).inner_text() and "LL 75%" in rows.nth(2).locator("svg").text_content()
    page.select_option("select[name=by]", "month")
    page.click("form.filters button[type=submit]")
    assert page.locator("table.compare tbody th").all_inner_texts() == ["2026-09", "2026-11"]


def test_sources_page_shows_ratings_with_provenance_and_the_unrated(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/outlets")
    nyt = page.locator("table.outlets tr", has_text="nytimes.com").inner_text()
    assert "allsides: lean Lean Left" in nyt and "allsides-2026.csv" in nyt and "2026-06-01" in nyt
    assert "config" in page.locator("table.outlets tr", has_text="statnews.com").inner_text()
    unrated = page.locator("h2:has-text('Unrated outlets') + p + table").inner_text()
    assert "cartnewsdaily.net" in unrated and "not in registry" in unrated


def test_crawl_status_page(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/status")
    wire = page.locator("tr.failing").inner_text()
    assert "wire-rss" in wire and "HTTPStatusError: 503 <Service Unavailable>" in wire
    assert page.locator("table").nth(1).locator("tbody tr").count() == 2


def test_the_header_search_box_finds_articles_and_pages_on(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/therapy/cilta-cel")
    page.fill("header form.search input[name=q]", "KarMMa-3")
    page.click("header form.search button[type=submit]")
    assert "/search?q=KarMMa-3" in page.url
    assert page.locator("h1").inner_text() == "Search articles"
    assert page.locator("table.articles td.title a:first-child").all_inner_texts()[0] == "Myeloma CAR-T wins in KarMMa-3"
    assert page.locator("table.articles tbody tr").count() == 3
    page.select_option("form.filters select[name=lean]", "lean-left")
    page.click("form.filters button[type=submit]")
    assert page.locator("table.articles tbody tr").count() == 2  # the Guardian and the NYT, by the average of raters
    assert page.get_by_text("Download as CSV").get_attribute("href").startswith("/articles?q=KarMMa-3")
