"""Migration 12 (issue 14, a write cost that does not grow with the database): ``articles_fts`` is
re-indexed only when an article's title, text or id change, and the copy index takes new keys in
``copy_keys_recent`` before moving them into ``copy_keys`` in key order. Neither changes what is
found: searches, copies and their origins are the same wherever the keys are."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import sqlite_utils

from analysis.fingerprint import fingerprint
from analysis.syndication import copy_keys
from service.ingest import IngestItem, ingest, ingest_batch
from store import AnalysisWrites, Store
from store.db import WRITE_CACHE_KIB
from store.migrations import migrate, migrations
from tests.test_ingest import NOW, OTHER_EVENT, REGISTRY, WIRE, article

INSERT = ("INSERT INTO articles(canonical_url, url, title, text, kind, source_name, outlet_domain, sort_at, fetched_at, "
          "updated_at, content_hash) VALUES (?, ?, ?, ?, 'news', 's', 'a.example', '2026-03-02T09:00:00Z', 'x', 'x', ?)")


def fts_state(conn: sqlite3.Connection) -> list[tuple[int, bytes]]:
    return [tuple(r) for r in conn.execute("SELECT id, block FROM articles_fts_data ORDER BY id")]


def matches(conn: sqlite3.Connection, word: str) -> list[int]:
    return [r[0] for r in conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid", [word])]


def test_updates_of_other_columns_leave_the_fts_index_alone_and_text_updates_reindex(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "c.db")
    conn = store.db.conn
    with conn:
        for n in range(3):
            conn.execute(INSERT, [f"https://a.example/{n}", f"https://a.example/{n}", f"title {n}", "myeloma remission", str(n)])
    before = fts_state(conn)
    with conn:  # what the ingest updates after the insert: flags, story, copy mark, outlet
        conn.execute("UPDATE articles SET reports_efficacy = 1, reports_safety = 1, syndicated_from = 'x', "
                     "outlet_name = 'A', source_type = 'general news'")
        conn.execute("UPDATE articles SET title = title, text = text")  # the same values
    assert fts_state(conn) == before
    with conn:
        conn.execute("UPDATE articles SET text = 'lymphoma relapse' WHERE id = 2")
        conn.execute("UPDATE articles SET title = 'durable' WHERE id = 3")
        conn.execute("UPDATE articles SET id = 10 WHERE id = 1")
    assert fts_state(conn) != before
    assert matches(conn, "myeloma") == [3, 10]
    assert matches(conn, "lymphoma") == [2]
    assert matches(conn, "durable") == [3]
    assert matches(conn, "title") == [2, 10]
    conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 0)")
    store.close()


def test_copy_keys_are_found_in_either_table_and_move_in_key_order(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "c.db")
    writes = AnalysisWrites(store)
    texts = [WIRE, OTHER_EVENT, WIRE + " Provided by the wire."]
    with store.transaction():
        ids = [store.save_article(article(f"https://o{n}.example/a", "t", text), now=NOW).article_id
               for n, text in enumerate(texts)]
        for article_id, text in zip(ids, texts, strict=True):
            fp = fingerprint("t", text)
            writes.index_copy_keys(article_id, copy_keys(fp), fp, None)
    keys = copy_keys(fingerprint("t", WIRE))

    def found() -> list[str]:
        return sorted(c.url for c in writes.copy_candidates(keys, article_id=0))

    def rows(table: str) -> int:
        return int(store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    assert rows("copy_keys") == 0 and rows("copy_keys_recent") > 0
    recent = found()
    assert recent == ["https://o0.example/a", "https://o2.example/a"]
    with store.transaction():
        assert writes.settle_copy_keys(at_least=rows("copy_keys_recent") + 1) == 0  # not yet
        total = rows("copy_keys_recent")
        assert writes.settle_copy_keys(at_least=total) == total
    assert rows("copy_keys_recent") == 0 and rows("copy_keys") == total
    assert found() == recent
    # New keys of a settled article replace its old ones in both tables.
    with store.transaction():
        fp = fingerprint("t", OTHER_EVENT)
        writes.index_copy_keys(ids[2], copy_keys(fp), fp, None)
    assert found() == ["https://o0.example/a"]
    assert store.db.execute("SELECT count(*) FROM copy_keys WHERE article_id = ?", [ids[2]]).fetchone()[0] == 0
    # A deleted article takes its keys with it, wherever they are.
    with store.transaction():
        store.db.execute("DELETE FROM articles WHERE id IN (?, ?)", [ids[0], ids[2]])
    assert found() == []
    assert rows("copy_keys_recent") + rows("copy_keys") == len(copy_keys(fingerprint("t", OTHER_EVENT)))
    store.close()


def test_a_reprint_finds_its_original_before_and_after_the_keys_move(tmp_path: Path) -> None:
    for settled in (False, True):
        store = Store.open(tmp_path / f"s{settled}.db")
        original = article("https://hospital.org/news/1", "Cilta-cel five years", WIRE)
        ingest(store, IngestItem(original), registry=REGISTRY, now=NOW)
        if settled:
            with store.transaction():
                AnalysisWrites(store).settle_copy_keys(at_least=0)
        assert store.db.execute("SELECT count(*) FROM copy_keys").fetchone()[0] == (len(copy_keys(
            fingerprint(original.title, WIRE))) if settled else 0)
        copy = article("https://wire.example/2", "Cilta-cel five years", WIRE + " Provided by the hospital.",
                       published="2026-11-16T18:00:00Z")
        ingest_batch(store, [IngestItem(copy)], registry=REGISTRY, now=NOW + timedelta(hours=1))
        assert store.db.execute("SELECT syndicated_from FROM articles WHERE canonical_url = ?",
                                [copy.canonical_url]).fetchone()[0] == original.canonical_url
        store.close()


def test_a_database_of_the_previous_schema_migrates(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(sqlite3.connect(path))
    migrations.apply(db, stop_before="m012_flat_write_cost")
    with db.conn:
        db.execute(INSERT, ["https://a.example/1", "https://a.example/1", "one", "myeloma remission", "1"])
        db.execute("INSERT INTO copy_keys(key, article_id) VALUES ('cp:b00:00000000deadbeef', 1)")
    old_trigger = db.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_au'").fetchone()[0]
    assert "UPDATE OF" not in old_trigger
    migrate(db)
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_au'").fetchone()[0]
    assert 'AFTER UPDATE OF "title", "text", "id"' in trigger
    assert db["copy_keys_recent"].exists()
    assert db["articles"].detect_fts() == "articles_fts"
    db.conn.close()
    store = Store.open(path)
    try:
        # The key stored before the migration is still found; a text update still reaches the index.
        assert [c.url for c in AnalysisWrites(store).copy_candidates(["cp:b00:00000000deadbeef"], article_id=0)] == []
        with store.transaction():
            store.db.execute("INSERT INTO article_fingerprints(article_id, fingerprint) VALUES (1, ?)",
                             [fingerprint("one", WIRE).to_bytes()])
        assert [c.url for c in AnalysisWrites(store).copy_candidates(["cp:b00:00000000deadbeef"], article_id=0)] == [
            "https://a.example/1"]
        with store.transaction():
            store.db.execute("UPDATE articles SET text = 'lymphoma' WHERE id = 1")
        assert matches(store.db.conn, "lymphoma") == [1] and matches(store.db.conn, "myeloma") == []
    finally:
        store.close()


def test_the_write_connection_has_its_larger_page_cache(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "c.db")
    try:
        assert store.db.execute("PRAGMA cache_size").fetchone()[0] == -WRITE_CACHE_KIB
    finally:
        store.close()
