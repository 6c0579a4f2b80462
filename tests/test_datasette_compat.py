"""The database file opens as is in Datasette and sqlite-utils, full-text search included."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from datasette.app import Datasette

from analysis.model import Article
from store import Store


def make_db(tmp_path: Path) -> Path:
    path = tmp_path / "compat.db"
    store = Store.open(path)
    store.save_article(Article(canonical_url="https://www.statnews.com/a", url="https://www.statnews.com/a",
                               title="Cilta-cel five-year remission", text="Ciltacabtagene autoleucel kept a third of patients in remission.",
                               source_name="t", outlet_domain="statnews.com"), now=datetime(2026, 11, 20, tzinfo=UTC))
    store.close()
    return path


def test_sqlite_utils_sees_tables_and_fts(tmp_path: Path) -> None:
    db = sqlite_utils.Database(make_db(tmp_path))
    assert {"articles", "claims", "stories", "sources", "ratings"} <= set(db.table_names())
    assert db["articles"].detect_fts() == "articles_fts"
    assert [row["title"] for row in db["articles"].search("remission")] == ["Cilta-cel five-year remission"]


def test_datasette_serves_tables_and_search(tmp_path: Path) -> None:
    path = make_db(tmp_path)

    async def fetch() -> tuple[int, list[dict]]:
        ds = Datasette([str(path)])
        response = await ds.client.get("/compat/articles.json?_search=remission&_shape=objects")
        return response.status_code, response.json()["rows"]

    status, rows = asyncio.run(fetch())
    assert status == 200
    assert [r["title"] for r in rows] == ["Cilta-cel five-year remission"]
