"""MinHash format 2: the fast paths hash exactly what ``words`` reads, and migration 8 with
``service.fingerprints.refresh_fingerprints`` turns a database of format-1 signatures and keys
into one where new articles find the same stories and copies as before."""

from __future__ import annotations

import random
from datetime import datetime
import struct
from pathlib import Path

import numpy as np
import pytest
import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import fingerprint as fingerprint_module
from analysis.fingerprint import band_keys, fingerprint, title_fingerprint, title_tokens, words
from analysis.syndication import copy_keys
from service.fingerprints import refresh_fingerprints
from service.ingest import IngestItem, ingest
from store.stories import unpack_signatures
from store.migrations import migrate
from store import Store
from tests.test_ingest import NOW, OTHER_EVENT, REGISTRY, WIRE, article

# characters that exercise the ASCII path's word edges: digits joined by "." / ",", "_", and the
# non-ASCII punctuation it reads as spaces next to a non-ASCII letter (which takes the regex path)
ALPHABET = "ab Z9 1.,_-\n\t0x\u2019\u2026\u201c\u00a0\u2014\u00b7\u00e9\u2122"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=200))
def test_the_fast_word_spans_read_what_words_reads(text: str) -> None:
    plain = text if text.isascii() else fingerprint_module._ascii_punctuation(text)
    if plain is not None:
        data, starts, ends = fingerprint_module._ascii_word_spans(plain)
        assert [bytes(data[s:e]).decode() for s, e in zip(starts, ends, strict=True)] == words(text)
        assert np.array_equal(fingerprint_module._hashes_of_spans(data, starts, ends),
                              fingerprint_module._word_hashes(words(text)))
    assert fingerprint("t", text) == fingerprint("t", text, words(text))
    assert fingerprint_module.word_count(text) == len(words(text))


def test_a_word_hashes_the_same_wherever_it_stands() -> None:
    hashes = fingerprint_module._word_hashes(["alpha", "beta", "alpha", "gamma", "beta"])
    assert hashes[0] == hashes[2] and hashes[1] == hashes[4] and len(set(hashes.tolist())) == 3


def test_similarity_estimates_the_shingle_jaccard() -> None:
    rng = random.Random(7)
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7)) for _ in range(3000)]
    base = [rng.choice(vocabulary) for _ in range(600)]
    for keep in (0.9, 0.6, 0.3):
        other = [w if rng.random() < keep else rng.choice(vocabulary) for w in base]
        shingles = [{" ".join(ws[i : i + 5]) for i in range(len(ws) - 4)} for ws in (base, other)]
        jaccard = len(shingles[0] & shingles[1]) / len(shingles[0] | shingles[1])
        estimate = fingerprint("", " ".join(base)).similarity(fingerprint("", " ".join(other)))
        assert abs(estimate - jaccard) < 0.15, (keep, jaccard, estimate)


def _format_1(values: int) -> bytes:
    """A format-1 blob (the header of version 1), as migration 8 finds them."""
    return b"MH" + struct.pack("<BBH", 1, 0, 128) + struct.pack("<128I", *([values] * 128))


def _before_migration_8(db: sqlite_utils.Database) -> None:
    """Take migration 8 back, so ``migrate`` applies it again to this database: the articles are
    ingested by today's code (it writes today's schema, the later migrations' tables included)."""
    db.execute("DROP TABLE upkeep")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_fingerprints_v2'")
    db.conn.commit()


def test_migration_8_and_the_refresh_recompute_signatures_and_keys_and_stories_keep_matching(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite_utils.Database(path)
    migrate(db)  # today's schema, then migration 8 is taken back (_before_migration_8) to run it again
    store = Store(db, path=path)
    copies = [("https://www.reuters.com/health/cilta", WIRE, "2026-11-16T14:00:00Z"),
              ("https://www.usnews.com/news/cilta", WIRE.replace("on Saturday", "on Saturday, Dec. 6"),
               "2026-11-16T18:00:00Z")]
    title = "J&J myeloma cell therapy keeps a third of patients progression-free"
    ids = [ingest(store, IngestItem(article(url, title, text, published=when)), registry=REGISTRY, now=NOW).article_id
           for url, text, when in copies]
    other = ingest(store, IngestItem(article("https://www.fiercebiotech.com/axi", "Kite's Yescarta wins in ZUMA-7",
                                             OTHER_EVENT)), registry=REGISTRY, now=NOW).article_id
    story = db.execute("SELECT story_id FROM articles WHERE id = ?", [ids[0]]).fetchone()[0]
    events = {r[0] for r in db.execute("SELECT key FROM story_keys WHERE key NOT GLOB 'b[0-9][0-9]:*'")}
    # what a format-1 database holds: other signatures, other band keys
    db.execute("UPDATE article_fingerprints SET fingerprint = ?", [_format_1(7)])
    db.execute("UPDATE stories SET signatures = ?", [struct.pack("<I", 518) + _format_1(9)])
    db.execute("DELETE FROM story_keys WHERE key GLOB 'b[0-9][0-9]:*'")
    db.execute("DELETE FROM copy_keys")
    db.execute("INSERT INTO story_keys(key, day, story_id) VALUES ('b00:00000000deadbeef', 0, ?)", [story])
    db.execute("INSERT INTO copy_keys(key, article_id) VALUES ('cp:b00:00000000deadbeef', ?)", [ids[0]])
    _before_migration_8(db)

    migrate(db)
    assert db.execute("SELECT count(*) FROM story_keys WHERE key GLOB 'b[0-9][0-9]:*'").fetchone()[0] == 0
    assert refresh_fingerprints(store) == 2 + 3  # two stories, three articles
    assert refresh_fingerprints(store) == 0  # done: the next open finds nothing to do

    for article_id in (*ids, other):
        row = db.execute("SELECT a.title, a.text, f.fingerprint, f.text_key FROM articles a "
                         "JOIN article_fingerprints f ON f.article_id = a.id WHERE a.id = ?", [article_id]).fetchone()
        fp = fingerprint(row[0], row[1])
        assert row[2] == fp.to_bytes()
        stored = {r[0] for r in db.execute("SELECT key FROM copy_keys WHERE article_id = ?", [article_id])}
        assert stored == set(copy_keys(fp, row[3]))
    members = [fingerprint(title, text) for _, text, _ in copies]
    assert unpack_signatures(db.execute("SELECT signatures FROM stories WHERE id = ?", [story]).fetchone()[0]) == \
        tuple(members)
    bands = {k for fp in members for k in band_keys(fp)} | set(band_keys(title_fingerprint(title_tokens(title))))
    stored = {r[0] for r in db.execute("SELECT key FROM story_keys WHERE story_id = ?", [story])}
    assert stored - events == bands  # the format-1 key is gone, every event key stayed
    assert events <= {r[0] for r in db.execute("SELECT key FROM story_keys")}

    third = ingest(store, IngestItem(article("https://www.yahoo.com/news/cilta", title, WIRE + " Shares rose.",
                                             published="2026-11-17T09:00:00Z")), registry=REGISTRY, now=NOW)
    row = db.execute("SELECT story_id, syndicated_from FROM articles WHERE id = ?", [third.article_id]).fetchone()
    assert row[0] == story  # the same story, found through the migrated band keys
    assert row[1] == copies[0][0]  # and marked a copy through the migrated copy index


@pytest.mark.parametrize("version", [1, 3])
def test_other_formats_are_not_read_as_format_2(version: int) -> None:
    blob = fingerprint("t", WIRE).to_bytes()
    with pytest.raises(ValueError, match="not a fingerprint"):
        type(fingerprint("t", WIRE)).from_bytes(blob[:2] + bytes([version]) + blob[3:])


def test_the_refresh_dates_band_keys_where_story_keys_carry_a_day(tmp_path: Path) -> None:
    """With dated story keys (issue 14: a key carries the day of the article that added it) each
    recomputed band key is dated by its article, and a closed story gets none back."""
    path = tmp_path / "dated.sqlite"
    db = sqlite_utils.Database(path)
    migrate(db)  # today's schema, then migration 8 is taken back (_before_migration_8) to run it again
    store = Store(db, path=path)
    title = "J&J myeloma cell therapy keeps a third of patients progression-free"
    first = ingest(store, IngestItem(article("https://www.reuters.com/health/cilta", title, WIRE,
                                             published="2026-11-16T14:00:00Z")), registry=REGISTRY, now=NOW).article_id
    closed = ingest(store, IngestItem(article("https://www.fiercebiotech.com/axi", "Kite's Yescarta wins in ZUMA-7",
                                              OTHER_EVENT, published="2026-10-01T09:00:00Z")),
                    registry=REGISTRY, now=NOW).article_id
    if "day" not in {c.name for c in db["story_keys"].columns}:  # the dated layout, as issue 14 builds it
        db.execute("CREATE TABLE k2 (key TEXT NOT NULL, day INTEGER NOT NULL, story_id INTEGER NOT NULL, "
                   "PRIMARY KEY (key, day, story_id)) WITHOUT ROWID")
        db.execute("INSERT INTO k2 SELECT key, 0, story_id FROM story_keys")
        db.execute("DROP TABLE story_keys")
        db.execute("ALTER TABLE k2 RENAME TO story_keys")
        db.execute("ALTER TABLE stories ADD COLUMN keys_open INTEGER NOT NULL DEFAULT 1")
    story, other = (db.execute("SELECT story_id FROM articles WHERE id = ?", [i]).fetchone()[0] for i in (first, closed))
    db.execute("UPDATE stories SET keys_open = 0 WHERE id = ?", [other])
    db.execute("DELETE FROM story_keys WHERE story_id = ?", [other])
    _before_migration_8(db)

    migrate(db)
    refresh_fingerprints(store)

    fp = fingerprint(title, WIRE)
    bands = set(band_keys(fp)) | set(band_keys(title_fingerprint(title_tokens(title))))
    rows = db.execute("SELECT key, day FROM story_keys WHERE story_id = ? AND key GLOB 'b[0-9][0-9]:*'", [story]).fetchall()
    assert {k for k, _ in rows} == bands
    assert {d for _, d in rows} == {(datetime(2026, 11, 16) - datetime(1970, 1, 1)).days}
    assert db.execute("SELECT count(*) FROM story_keys WHERE story_id = ?", [other]).fetchone()[0] == 0
