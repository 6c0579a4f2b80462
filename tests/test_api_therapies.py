"""/therapies and /therapies/{name}: consensus, discrepancies side by side, history with data cuts."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import feedparser
import pytest

from tests.seed import seeded_client


@pytest.fixture
def client(tmp_path: Path) -> Any:
    return seeded_client(tmp_path)


def test_every_dictionary_product_with_its_latest_claim(client: Any) -> None:
    items = {t["canonical"]: t for t in client.get("/therapies").json()["items"]}
    assert items["ciltacabtagene autoleucel"]["short_name"] == "cilta-cel"
    assert items["ciltacabtagene autoleucel"]["latest_claim_at"] == "2026-11-24T05:00:00Z"
    assert items["tisagenlecleucel"]["latest_claim_at"] is None
    rows = list(csv.DictReader(io.StringIO(client.get("/therapies", params={"format": "csv"}).text)))
    assert len(rows) == len(items) and rows[0]["brands"] == "Kymriah"


def metric(detail: dict[str, Any], trial: str, name: str) -> dict[str, Any]:
    return next(m for m in detail["metrics"] if m["trial"] == trial and m["metric"] == name)


def test_the_misreport_is_shown_beside_the_peer_reviewed_sentence(client: Any) -> None:
    detail = client.get("/therapies/Carvykti").json()
    assert detail["therapy"]["canonical"] == "ciltacabtagene autoleucel"
    assert "CARTITUDE-4" in detail["trials"] and "cilta-cel" in detail["aliases"]
    orr = metric(detail, "CARTITUDE-1", "ORR")
    assert orr["basis"] == "peer_reviewed" and orr["consensus"]["value"] == 97.9
    assert [v["outlet_domain"] for v in orr["peer_reviewed"]] == ["nejm.org"]
    [discrepancy] = orr["discrepancies"]
    assert discrepancy["reported"]["sentence"] == "An amazing 89% of patients responded to cilta-cel."
    assert discrepancy["peer_reviewed"]["sentence"].startswith("The overall response rate was 97.9%")
    assert discrepancy["difference"] == pytest.approx(-8.9)
    reported = {(v["value"], v["evidence"]): v["reports"] for v in orr["other"]}
    assert reported == {(98.0, "press_release"): 1, (89.0, "news"): 1, (97.9, "news"): 1, (98.0, "news"): 1}


def test_a_newer_data_cut_is_not_a_discrepancy_and_history_shows_the_cut(client: Any) -> None:
    detail = client.get("/therapies/cilta-cel").json()
    pfs = metric(detail, "CARTITUDE-4", "PFS_MEDIAN")
    assert pfs["discrepancies"] == []
    # The medRxiv value is shown beside the others as a preprint, never as the reference.
    assert pfs["peer_reviewed"] == [] and pfs["basis"] == "news_only"
    assert pfs["preprints"][0]["not_reached"] is True and pfs["other"][0]["followup_months"] == 33.6
    rate = metric(detail, "CARTITUDE-4", "PFS_RATE")
    assert rate["timepoint_months"] == 12.0 and rate["discrepancies"] == []
    assert [v["evidence"] for v in rate["preprints"]] == ["preprint"]
    dates = [c["sort_at"] for c in detail["history"]]
    assert dates == sorted(dates) and len(dates) == detail["claims_considered"] == 12
    assert {c["followup_months"] for c in detail["history"]} >= {27.7, 15.9, 33.6, None}


def test_news_only_metrics_have_a_marked_consensus(client: Any) -> None:
    detail = client.get("/therapies/ide-cel").json()
    pfs = metric(detail, "KarMMa-3", "PFS_MEDIAN")
    assert pfs["basis"] == "news_only" and pfs["consensus"]["value"] == 13.3 and pfs["discrepancies"] == []


@pytest.mark.parametrize("name", ["nope", "<script>", "x" * 5000, "%00", "..%2F..%2Fetc"])
def test_unknown_therapy_is_404(client: Any, name: str) -> None:
    response = client.get(f"/therapies/{name}")
    assert response.status_code == 404 and response.json()["ok"] is False
    assert client.get(f"/therapies/{name}/claims.atom").status_code == 404


def test_claims_feed_per_therapy_is_valid_atom(client: Any) -> None:
    response = client.get("/therapies/Carvykti/claims.atom", params={"since": "30d"})
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "cartwatch: new numbers for cilta-cel"
    assert len(feed.entries) == 12
    first = feed.entries[0]
    assert first.id == "tag:cartwatch,2026:claim/19" and first.updated == "2026-11-24T05:00:00Z"
    assert first.title == "CARTITUDE-4: 12-month Progression-free survival 76% (nytimes.com)"
    assert first.link == "https://nytimes.com/cart/nyt4"
    markup = next(e for e in feed.entries if "84.6" in e.title)
    assert "<b>84.6%</b>" in markup.summary  # text, escaped in the XML, never markup
    assert b"<b>" not in response.content
