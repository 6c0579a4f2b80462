"""/status: each source's next scheduled run and, with the API token, a button that starts a crawl."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from api.config import ApiConfig
from store import Store
from tests.seed import NOW, seeded_client


def client_with(tmp_path: Path, calls: list[Any], *, token: str = "t0ken") -> Any:
    def trigger(names: list[str] | None) -> str:
        if names == ["nope"]:
            raise ValueError("no source named 'nope' in the config")
        calls.append(names)
        return "crawl starting now for " + ", ".join(names or ["trade-rss", "pubmed", "wire-rss"])

    client = seeded_client(tmp_path, config=ApiConfig(token=token), crawl_trigger=trigger)
    # What the scheduler of `cartwatch run` records (Store.set_next_runs); wire-rss has no job.
    store = Store.open(client.app.state.db_path)
    try:
        store.set_next_runs({"trade-rss": NOW + timedelta(minutes=42), "pubmed": NOW + timedelta(hours=15),
                             "wire-rss": None})
    finally:
        store.close()
    return client


def test_status_shows_each_sources_next_run(tmp_path: Path) -> None:
    html = client_with(tmp_path, []).get("/status").text
    assert "2026-11-24 12:42 UTC" in html and "2026-11-25 03:00 UTC" in html
    assert "not scheduled" in html  # wire-rss has no job


def test_crawl_now_needs_the_token_and_starts_the_crawl(tmp_path: Path) -> None:
    calls: list[Any] = []
    client = client_with(tmp_path, calls)
    assert '<button type="submit">Crawl now</button>' in client.get("/status").text
    wrong = client.post("/status/crawl", data={"token": "guess", "source": "pubmed"}, headers={"Accept": "text/html"})
    assert wrong.status_code == 401 and "missing or wrong bearer token" in wrong.text and calls == []
    done = client.post("/status/crawl", data={"token": "t0ken", "source": "pubmed"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/status?notice=crawl+starting+now+for+pubmed"
    assert calls == [["pubmed"]]
    assert "crawl starting now for pubmed" in client.get(done.headers["location"]).text
    client.post("/status/crawl", data={"token": "t0ken"}, follow_redirects=False)
    assert calls == [["pubmed"], None]  # no source chosen: every source
    unknown = client.post("/status/crawl", data={"token": "t0ken", "source": "nope"})
    assert unknown.status_code == 422 and "'source'" in unknown.json()["error"]


def test_without_a_scheduler_or_token_the_page_says_why(tmp_path: Path) -> None:
    client = seeded_client(tmp_path)  # cartwatch serve: no trigger, no token
    html = client.get("/status").text
    assert "not scheduled" in html and "Crawl now" not in html
    assert "needs <code>api.token</code>" in html
    assert client.post("/status/crawl", data={"token": "x"}).status_code == 403


def test_status_lists_watches_with_their_delivery_counts_but_not_addresses(tmp_path: Path) -> None:
    client = client_with(tmp_path, [])
    assert "No watches yet" in client.get("/status").text
    created = client.post("/watches", headers={"Authorization": "Bearer t0ken"},
                          json={"name": "bcma-safety", "kind": "safety", "target": "BCMA",
                                "webhook": "https://hooks.example.org/secret-path"})
    assert created.status_code == 201
    html = client.get("/status").text
    assert "<td>bcma-safety</td><td>safety</td><td>api</td>" in html
    assert "secret-path" not in html
