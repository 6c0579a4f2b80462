"""/stories and /stories/{id}: lean bars, blindspots, coverage details in each rater's view."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.seed import XSS_TITLE, seeded_client


@pytest.fixture
def client(tmp_path: Path) -> Any:
    return seeded_client(tmp_path)


def story_titles(client: Any, **params: Any) -> list[str]:
    response = client.get("/stories", params=params)
    assert response.status_code == 200, response.text
    return [s["title"] for s in response.json()["items"]]


def test_stories_by_latest_coverage_with_a_lean_bar(client: Any) -> None:
    items = client.get("/stories").json()["items"]
    assert [s["title"] for s in items] == [XSS_TITLE, "Axi-cel ZUMA-7 overall survival",
                                           "Ide-cel extends survival in KarMMa-3", "Cilta-cel CARTITUDE-1 final results"]
    bar = {b["label"]: b["count"] for b in items[0]["lean"]["buckets"]}
    assert bar == {"Left": 0, "Lean Left": 1, "Center": 1, "Lean Right": 0, "Right": 1}
    assert items[0]["lean"]["unrated"] == 2


def test_filters_blindspot_therapy_and_window(client: Any) -> None:
    assert story_titles(client, blindspot="left") == ["Ide-cel extends survival in KarMMa-3"]
    assert story_titles(client, blindspot="any") == ["Ide-cel extends survival in KarMMa-3"]
    assert story_titles(client, blindspot="right") == []
    assert story_titles(client, therapy="Yescarta") == ["Axi-cel ZUMA-7 overall survival"]
    assert story_titles(client, since="24h") == [XSS_TITLE]
    assert story_titles(client, therapy="no such thing") == []


def test_cursor_pages(client: Any) -> None:
    first = client.get("/stories", params={"limit": 3}).json()
    second = client.get("/stories", params={"limit": 3, "cursor": first["next_cursor"]}).json()
    assert [s["title"] for s in second["items"]] == ["Cilta-cel CARTITUDE-1 final results"]
    assert second["next_cursor"] is None


def test_coverage_details_of_a_story(client: Any) -> None:
    story = client.get(f"/stories/{client.ids['s1']}").json()
    coverage = story["coverage"]
    assert (coverage["article_count"], coverage["outlet_count"]) == (6, 6)
    lean = {b["label"]: (b["count"], b["percent"]) for b in coverage["lean"]["buckets"]}
    assert lean["Center"] == (2, 66.7) and lean["Right"] == (1, 33.3) and coverage["lean"]["unrated"] == 3
    types = {b["label"]: b["count"] for b in coverage["source_type"]["buckets"]}
    assert types["peer-reviewed journal"] == 1 and types["manufacturer/company"] == 1
    assert coverage["source_type"]["unrated"] == 1  # the blog nobody typed
    proximity = {b["label"]: b["count"] for b in coverage["proximity"]["buckets"]}
    assert proximity == {"manufacturer": 1, "quotes_manufacturer": 1, "independent": 4}
    assert coverage["first_report"]["outlet_domain"] == "nejm.org"
    assert coverage["timeline"][0]["day"] == "2026-11-14"
    factuality = {b["label"]: b["count"] for b in coverage["factuality"]["buckets"]}
    assert factuality["Very High"] == 2  # NEJM and Reuters
    assert {a["outlet_domain"]: a["lean"] for a in story["articles"]}["reuters.com"] == "Center"
    assert {c["sentence"] for c in story["claims"]} >= {"An amazing 89% of patients responded to cilta-cel."}


def test_blindspot_in_the_average_and_one_raters_view(client: Any) -> None:
    story = client.get(f"/stories/{client.ids['s2']}").json()
    assert story["blindspot"] == "left" and story["blindspot_in_view"] == "left"
    allsides = client.get(f"/stories/{client.ids['s2']}", params={"rater": "allsides"}).json()
    lean = {b["label"]: b["count"] for b in allsides["coverage"]["lean"]["buckets"]}
    assert lean["Left"] == 1 and lean["Lean Left"] == 2  # CNN is Left for AllSides
    assert allsides["rater"] == "allsides"


def test_unknown_story_is_404_and_csv_lists_lean_counts(client: Any) -> None:
    assert client.get("/stories/999").json() == {"ok": False, "error": "no story with id 999", "status": 404}
    rows = list(csv.DictReader(io.StringIO(client.get("/stories", params={"format": "csv"}).text)))
    assert [r["Lean Left"] for r in rows] == ["1", "0", "3", "0"]
    assert rows[0]["title"] == XSS_TITLE
