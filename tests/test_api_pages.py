"""Dashboard pages over the test client: every page renders, article text is escaped, links to
crawled URLs are http(s) only, and the CSS is served from the package."""

from __future__ import annotations

import html
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from api.routes.pages import href
from tests.seed import XSS_TITLE, seeded_client

PAGES = ["/", "/?since=7d&rater=mbfc", "/story/1", "/story/4?rater=", "/therapy", "/therapy/Carvykti",
         "/therapy/ide-cel", "/compare", "/compare?by=month&rater=allsides&since=2026-11-01",
         "/compare?by=source_type", "/outlets", "/status"]


@pytest.fixture
def client(tmp_path: Path) -> Any:
    return seeded_client(tmp_path)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_escaped_html(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    text = response.text
    assert "<script" not in text.lower()
    assert "<b>84.6%</b>" not in text
    assert re.findall(r"<link[^>]+href=\"(?!/)", text) == []  # nothing from another host


def test_the_script_title_is_text_on_today_and_story_pages(client: Any) -> None:
    for url in ("/", "/story/4"):
        body = client.get(url).text
        assert html.escape(XSS_TITLE, quote=True) in body.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


def test_links_to_crawled_urls_are_http_only(client: Any, tmp_path: Path) -> None:
    assert href("https://example.org/a?b=c") == "https://example.org/a?b=c"
    assert [href(u) for u in ("javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x", None, "")] == ["#"] * 5
    conn = sqlite3.connect(tmp_path / "seeded.db")
    with conn:
        conn.execute("UPDATE articles SET url = 'javascript:alert(1)' WHERE id = 1")
    conn.close()
    assert "javascript:" not in client.get("/story/1").text


def test_unknown_pages_answer_the_json_error_shape(client: Any) -> None:
    assert client.get("/story/77").json() == {"ok": False, "error": "no story with id 77", "status": 404}
    assert client.get("/therapy/unknown").status_code == 404
    bad = client.get("/compare", params={"rater": "nobody"}).json()
    assert bad["status"] == 422 and "'rater'" in bad["error"]


def test_css_is_served_from_the_package(client: Any) -> None:
    css = client.get("/static/cartwatch.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "@import" not in css.text and "url(" not in css.text
    assert client.get("/static/../app.py").status_code == 404
