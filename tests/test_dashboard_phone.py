"""The dashboard at a phone's width (390 px) and in dark mode, in Debian's chromium: no page
scrolls sideways (a full-page screenshot is exactly as wide as the screen), dark mode follows
``prefers-color-scheme``, browser routes answer errors as HTML pages, and charts label values."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_dashboard_browser import base_url, browser  # noqa: F401 (module fixtures)

pytestmark = pytest.mark.browser
# Every page of the dashboard once (and the error page), each with the seeded data it shows.
PAGES = ["/", "/story/1", "/therapy", "/therapy/cilta-cel", "/compare", "/outlets", "/status", "/search?q=cilta",
         "/archive", "/story/999"]


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Any]:  # noqa: F811
    """One page reused across the module's tests: each test navigates it, so nothing carries over."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def desktop(browser: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def png_width(path: Path) -> int:
    with path.open("rb") as f:
        header = f.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int(struct.unpack(">I", header[16:20])[0])


@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways_on_a_390_px_phone(phone: Any, base_url: str, path: str, tmp_path: Path) -> None:  # noqa: F811
    phone.goto(f"{base_url}{path}")
    widths = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] == 390, f"{path}: content {widths[0]} px wide on a {widths[1]} px screen"
    shot = tmp_path / "page.png"
    phone.screenshot(path=str(shot), full_page=True)
    assert png_width(shot) == 390


def test_dark_mode_follows_the_system_setting(browser: Any, base_url: str) -> None:  # noqa: F811
    for scheme, background in (("light", "rgb(250, 250, 250)"), ("dark", "rgb(17, 24, 39)")):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{base_url}/story/1")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
        context.close()


def test_a_wrong_id_or_date_in_the_browser_is_an_html_page(phone: Any, base_url: str) -> None:  # noqa: F811
    response = phone.goto(f"{base_url}/story/999")
    assert response.status == 404 and response.headers["content-type"].startswith("text/html")
    assert phone.locator("h1").inner_text() == "Not found"
    assert phone.locator(".error-message").inner_text() == "no story with id 999"
    response = phone.goto(f"{base_url}/?since=yesterday")
    assert response.status == 422
    assert "query parameter 'since'" in phone.locator(".error-message").inner_text()
    assert phone.locator("header form.search").count() == 1  # the way on is still there


def test_therapy_charts_fit_the_data_and_write_the_values(desktop: Any, base_url: str) -> None:  # noqa: F811
    page = desktop
    page.goto(f"{base_url}/therapy/cilta-cel")
    crs = page.locator("figure.chart", has_text="CRS grade ≥3")
    assert crs.locator("text.tick").all_text_contents()[:5] == ["0%", "1.25%", "2.5%", "3.75%", "5%"]
    assert crs.locator("text.val").all_text_contents() == ["4.1%"]
    assert page.locator("h3", has_text="CARTITUDE-1 · Overall response rate").count() == 1
    assert "−8.9 percentage points" in page.locator(".discrepancy .badge").first.inner_text()
    figure = page.locator("figure.chart").first
    ratio = page.evaluate("([f]) => f.querySelector('svg').getBoundingClientRect().width / f.clientWidth",
                          [figure.element_handle()])
    assert ratio > 0.95  # the chart uses its card's width


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_at_desktop_width_with_its_heading_and_search_box(desktop: Any, base_url: str,  # noqa: F811
                                                                             path: str) -> None:
    page = desktop
    response = page.goto(f"{base_url}{path}")
    assert response.status == (404 if path == "/story/999" else 200)
    assert page.locator("h1").count() == 1 and page.locator("h1").inner_text().strip()
    assert page.locator("header form.search input[name=q]").is_visible()
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1]
