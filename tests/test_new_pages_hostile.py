"""Hostile input at the pages and endpoints of issue 13 (search, archive, watches, status form),
with the same values and the same rule as tests/test_api_hostile.py: never a 5xx, and every error
has the one JSON shape (for clients that do not ask for HTML)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.config import ApiConfig
from tests.seed import seeded_client
from tests.test_api_hostile import ENUMS, TEXT, VALUES_OF, check

PAGES: dict[str, tuple[str, ...]] = {
    "/search": ("q", "therapy", "outlet", "lean", "rater", "evidence", "since", "until", "cursor"),
    "/archive": ("therapy", "rater", "cursor"),
    "/status": ("notice",),
    "/articles": ("evidence", "story"),
}
BODIES: list[Any] = [None, [], "x", {"name": None}, {"name": "x" * 5000, "webhook": "https://h.example.org"},
                     {"name": "ok", "webhook": "https://h.example.org", "query": "NEAR(", "kind": "article"},
                     {"name": "ok2", "email": ["a@b.c"] * 3, "webhook": "http://[::1"},
                     {"name": "ok3", "webhook": "https://h.example.org", "metric": "\x00", "therapy": "*"}]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Any]:
    with seeded_client(tmp_path, config=ApiConfig(token="t0ken"), crawl_trigger=lambda names: "started") as client:
        yield client


@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_hostile_query_values_on_the_new_pages(client: Any, endpoint: str) -> None:
    for name in PAGES[endpoint]:
        for value in VALUES_OF.get(name, TEXT if name in ("notice", "story") else ENUMS):
            check(client.get(endpoint, params={name: value}))
        check(client.get(endpoint, params=[(name, "1"), (name, "2")]))


def test_hostile_watch_bodies_and_names(client: Any) -> None:
    auth = {"Authorization": "Bearer t0ken"}
    for body in BODIES:
        check(client.post("/watches", json=body, headers=auth))
    for name in ("%00", "x" * 5000, "..", "%2F", "nope"):
        check(client.delete(f"/watches/{name}", headers=auth))


def test_hostile_crawl_forms(client: Any) -> None:
    for data in ({}, {"token": "x" * 20_000}, {"token": "t0ken", "source": "\x00"}, {"token": "t0ken", "source": "x" * 5000}):
        check(client.post("/status/crawl", data=data))
    check(client.post("/status/crawl", content=b"\xff\xfe" * 100, headers={"Content-Type": "application/x-www-form-urlencoded"}))
    too_long = client.post("/status/crawl", data={"token": "t0ken", "source": "x" * 201})
    assert too_long.status_code == 422 and "'source'" in too_long.json()["error"]
