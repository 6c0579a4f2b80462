"""The dashboard's Search and Archive: a search box on every page, filters, keyset pages that
neither skip nor repeat, and CSV links that download the same selection."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from api.routes import search_pages
from tests.seed import ARTICLES, XSS_TITLE, seeded_client


@pytest.fixture
def client(tmp_path: Path) -> Any:
    return seeded_client(tmp_path)


def titles(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<td class="title"><a [^>]*>([^<]*)</a>', html)]


def next_link(html: str) -> str | None:
    found = re.search(r'<a class="more" href="([^"]+)"', html)
    return unescape(found.group(1)) if found else None


@pytest.mark.parametrize("path", ["/", "/therapy", "/therapy/cilta-cel", "/compare", "/outlets", "/status",
                                  "/story/1", "/search", "/archive"])
def test_every_page_has_the_search_box(client: Any, path: str) -> None:
    html = client.get(path).text
    assert '<form class="search" method="get" action="/search" role="search">' in html
    assert '<input type="search" name="q" aria-label="Search articles"' in html


def test_words_and_filters_narrow_the_list(client: Any) -> None:
    assert titles(client.get("/search", params={"q": "KarMMa-3"}).text) == [
        "Myeloma CAR-T wins in KarMMa-3", "Ide-cel extends survival in KarMMa-3", "BMS: Abecma KarMMa-3 overall survival"]
    peer = titles(client.get("/search", params={"evidence": "peer_reviewed"}).text)
    assert peer == ["Axicabtagene ciloleucel as second-line therapy: ZUMA-7 overall survival",
                    "Ciltacabtagene autoleucel in CARTITUDE-1: final analysis"]
    # A medRxiv preprint is its own evidence level, never peer-reviewed (analysis.model rules).
    assert titles(client.get("/search", params={"evidence": "preprint"}).text) == [
        "CARTITUDE-4 long-term follow-up (preprint)"]
    right = titles(client.get("/search", params={"lean": "right", "rater": "allsides", "therapy": "axicabtagene ciloleucel"}).text)
    assert right == ["Lymphoma patients live longer with axi-cel"]
    window = titles(client.get("/search", params={"since": "2026-11-24", "outlet": "foxnews.com"}).text)
    assert window == ["Myeloma drug update"]


def test_a_script_title_is_shown_as_text(client: Any) -> None:
    html = client.get("/search", params={"q": "friends"}).text
    assert "<script>alert(1)</script>" not in html
    assert titles(html) == [XSS_TITLE]


def test_pages_follow_each_other_without_gap_or_repeat(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_pages, "PAGE", 4)
    seen: list[str] = []
    url: str | None = "/search"
    while url:
        html = client.get(url).text
        seen += titles(html)
        url = next_link(html)
        assert url is None or "cursor=" in url
    assert len(seen) == len(ARTICLES) == len(set(seen))
    newest_first = [a.title for a in sorted(ARTICLES, key=lambda a: a.hours_ago)]
    assert seen == newest_first


def test_the_csv_link_downloads_the_same_selection(client: Any) -> None:
    html = client.get("/search", params={"q": "stringent", "therapy": "ide-cel"}).text
    link = unescape(re.search(r'<a href="([^"]+)">Download as CSV</a>', html).group(1))
    assert link.startswith("/articles?") and "format=csv" in link
    response = client.get(link)
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(r["title"] for r in rows) == sorted(titles(html))
    assert len(rows) == 5  # ide-cel: four KarMMa-3 articles and the old follow-up


def test_archive_pages_through_every_story_and_filters_by_therapy(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_pages, "PAGE", 3)
    first = client.get("/archive").text
    assert first.count('<article class="story">') == 3
    second = client.get(next_link(first)).text
    assert second.count('<article class="story">') == 1 and next_link(second) is None
    cilta = client.get("/archive", params={"therapy": "Carvykti"}).text
    assert cilta.count('<article class="story">') == 2


def test_story_and_therapy_pages_link_their_csv(client: Any) -> None:
    story = client.get("/story/2").text
    link = unescape(re.search(r'<a href="(/articles\?story=2[^"]*)">articles as CSV</a>', story).group(1))
    rows = list(csv.DictReader(io.StringIO(client.get(link).text)))
    assert len(rows) == 4 and {r["story_id"] for r in rows} == {"2"}
    therapy = client.get("/therapy/cilta-cel").text
    claims_link = unescape(re.search(r'<a href="(/claims\?[^"]*format=csv[^"]*)">claims</a>', therapy).group(1))
    claims = list(csv.DictReader(io.StringIO(client.get(claims_link).text)))
    assert len(claims) == 12 and {c["therapy"] for c in claims} == {"ciltacabtagene autoleucel"}


@pytest.mark.parametrize(("params", "name"), [({"lean": "far-left"}, "lean"), ({"therapy": "aspirin"}, "therapy"),
                                              ({"evidence": "rumour"}, "evidence"), ({"since": "yesterday"}, "since"),
                                              ({"cursor": "not-a-cursor"}, "cursor")])
def test_bad_search_input_is_a_4xx_naming_the_parameter(client: Any, params: dict[str, str], name: str) -> None:
    response = client.get("/search", params=params)
    assert response.status_code == 422
    assert f"'{name}'" in response.text


def test_a_browser_gets_an_html_error_page_and_an_api_client_json(client: Any) -> None:
    page = client.get("/story/999", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert '<p class="note error-message">no story with id 999</p>' in page.text
    bad_date = client.get("/search", params={"since": "yesterday"}, headers={"Accept": "text/html"})
    assert bad_date.status_code == 422 and "query parameter &#39;since&#39;" in bad_date.text
    missing = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "<h1>Not found</h1>" in missing.text
    assert client.get("/story/999").json() == {"ok": False, "error": "no story with id 999", "status": 404}
    api = client.get("/stories/999", headers={"Accept": "text/html"})  # the JSON API stays JSON
    assert api.json() == {"ok": False, "error": "no story with id 999", "status": 404}


def test_the_story_page_shows_its_figures_that_differ_from_the_paper(client: Any) -> None:
    html = client.get("/story/1").text
    section = html[html.index("<h2>Figures that differ from the paper</h2>"):html.index("<h2>Claims</h2>")]
    assert "CARTITUDE-1 · Overall response rate: −8.9 percentage points" in section
    assert "An amazing 89% of patients responded to cilta-cel." in section
    assert "The overall response rate was 97.9% at a median follow-up of 27.7 months." in section
    assert "Figures that differ from the paper" not in client.get("/story/3").text  # ZUMA-7 figures agree
