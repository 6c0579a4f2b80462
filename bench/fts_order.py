"""Full-text search newest-first: the current query against the alternatives, on a big database.

``store.articles.list_articles(q=...)`` joins the FTS5 matches to ``articles`` and sorts them by
``(sort_at, id)``: it reads the article row of every match before it can return the newest 50,
so its cost grows with the number of matches. This script measures, for the same queries and
with the same result (every strategy's ids are checked against the current one):

- ``current``: whatever ``list_articles`` runs today (at the time of writing: ``fts-join`` when
  a search matches fewer than 2,000 articles, else ``walk+IN``);
- ``fts-join``: FTS first, join each match to its article, temp B-tree sort;
- ``walk+IN``: walk ``idx_articles_sort_at`` newest first, keeping rows whose id is in the
  materialised match list (``a.id IN (SELECT rowid ... MATCH ?)``);
- ``walk+probe``: walk ``idx_articles_sort_at`` newest first and probe FTS5 per row
  (``EXISTS (... MATCH ? AND rowid = a.id)``): cheap for common words, costly for rare ones;
- ``hybrid``: count matches up to a threshold; few → ``fts-join``, many → ``walk+probe``;
- ``time-keyed``: a second FTS5 index whose rowid is ``unixepoch(sort_at) * 2^28 + id``, so
  FTS5's own ``ORDER BY rowid DESC LIMIT 51`` is already newest first. It is built once in a side
  file (``--side``, attached read-only) and never touches the database.

    .venv/bin/python bench/fts_order.py --db /tmp/cartwatch-big.db
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from query_latency import Timing, _match_count, _rare_word, code_state, measure, say  # noqa: E402

from store.articles import ARTICLE_LIST_COLUMNS, fts_query, list_articles  # noqa: E402
from store.db import open_readonly  # noqa: E402

KEY_SHIFT = 1 << 28
LIMIT = 51
HYBRID_THRESHOLD = 2_000


def current(conn: sqlite3.Connection, match: str) -> list[int]:
    return [a["id"] for a in list_articles(conn, q=_plain(match), limit=LIMIT - 1).items]


def fts_join(conn: sqlite3.Connection, match: str) -> list[int]:
    rows = conn.execute(
        f"SELECT {ARTICLE_LIST_COLUMNS} FROM articles a JOIN articles_fts ON articles_fts.rowid = a.id "
        "WHERE articles_fts MATCH ? ORDER BY a.sort_at DESC, a.id DESC LIMIT ?", [match, LIMIT]).fetchall()
    return _with_therapies(conn, rows)


def walk_in(conn: sqlite3.Connection, match: str) -> list[int]:
    rows = conn.execute(
        f"SELECT {ARTICLE_LIST_COLUMNS} FROM articles a INDEXED BY idx_articles_sort_at "
        "WHERE a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) "
        "ORDER BY a.sort_at DESC, a.id DESC LIMIT ?", [match, LIMIT]).fetchall()
    return _with_therapies(conn, rows)


def walk_probe(conn: sqlite3.Connection, match: str) -> list[int]:
    rows = conn.execute(
        f"SELECT {ARTICLE_LIST_COLUMNS} FROM articles a INDEXED BY idx_articles_sort_at "
        "WHERE EXISTS (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? AND articles_fts.rowid = a.id) "
        "ORDER BY a.sort_at DESC, a.id DESC LIMIT ?", [match, LIMIT]).fetchall()
    return _with_therapies(conn, rows)


def hybrid(conn: sqlite3.Connection, match: str) -> list[int]:
    found = conn.execute("SELECT count(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
                         [match, HYBRID_THRESHOLD]).fetchone()[0]
    return fts_join(conn, match) if found < HYBRID_THRESHOLD else walk_probe(conn, match)


def time_keyed(conn: sqlite3.Connection, match: str) -> list[int]:
    rows = conn.execute(
        f"WITH hits AS (SELECT rowid AS k FROM side.articles_search WHERE articles_search MATCH ? "
        f"ORDER BY rowid DESC LIMIT ?) SELECT {ARTICLE_LIST_COLUMNS} FROM hits "
        f"JOIN articles a ON a.id = hits.k % {KEY_SHIFT} ORDER BY hits.k DESC", [match, LIMIT]).fetchall()
    return _with_therapies(conn, rows)


def _with_therapies(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[int]:
    """The rest of ``list_articles``' work: one query for the page's therapies."""
    ids = [r["id"] for r in rows[: LIMIT - 1]]
    marks = ",".join("?" for _ in ids)
    conn.execute(f"SELECT article_id, therapy FROM article_therapies WHERE article_id IN ({marks}) "
                 "ORDER BY therapy", ids).fetchall()
    return ids


def _plain(match: str) -> str:
    return match.replace('"', "")


STRATEGIES: dict[str, Callable[[sqlite3.Connection, str], list[int]]] = {
    "current": current, "fts-join": fts_join, "walk+IN": walk_in, "walk+probe": walk_probe, "hybrid": hybrid,
    "time-keyed": time_keyed}


def build_side(db: Path, side: Path) -> None:
    """The time-keyed FTS5 index (contentless, porter like articles_fts) in its own file."""
    if side.exists():
        return
    t0 = time.perf_counter()
    conn = sqlite3.connect(side, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1000000")
    conn.execute(f"ATTACH 'file:{db}?mode=ro' AS big")
    conn.execute("CREATE VIRTUAL TABLE articles_search USING fts5(title, text, content='', tokenize='porter')")
    conn.execute("BEGIN")
    # In key order: FTS5 flushes its pending terms whenever a rowid is not above the previous one.
    conn.execute(f"INSERT INTO articles_search(rowid, title, text) SELECT "
                 f"CAST(strftime('%s', sort_at) AS INTEGER) * {KEY_SHIFT} + id, title, text "
                 "FROM big.articles INDEXED BY idx_articles_sort_at ORDER BY sort_at, id")
    conn.execute("COMMIT")
    conn.close()
    say(f"built {side} in {time.perf_counter() - t0:.0f}s ({side.stat().st_size / 1e9:.2f} GB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/cartwatch-big.db"))
    parser.add_argument("--side", type=Path, default=None, help="default: <db>.search-key.db")
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--budget", type=float, default=15.0)
    args = parser.parse_args()
    side = args.side or args.db.with_suffix(".search-key.db")
    build_side(args.db, side)
    conn = open_readonly(args.db)
    conn.execute(f"ATTACH 'file:{side}?mode=ro' AS side")
    queries = {"common word": "patients", "mid word": _mid_word(conn), "rare word": _rare_word(conn),
               "two words": "overall survival"}
    say(f"machine: nproc={os.cpu_count()}, load average {os.getloadavg()[0]:.2f}; {code_state()}; "
        f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    say(f"| {'query':<32} | {'matches':>9} | " + " | ".join(f"{s + ' p50/p95 ms':>24}" for s in STRATEGIES) + " |")
    for label, text in queries.items():
        match = fts_query(text) or ""
        expected = current(conn, match)
        cells = []
        for name, strategy in STRATEGIES.items():
            same = strategy(conn, match) == expected
            t: Timing = measure(lambda s=strategy: s(conn, match), reps=args.reps, min_reps=5,
                                budget_s=args.budget, warmup=2)
            cells.append(f"{t.p50_ms:9.2f} / {t.p95_ms:9.2f}{'' if same else ' DIFF'}")
        say(f"| {label + ' ' + repr(text):<32} | {_match_count(conn, text):>9,} | " + " | ".join(
            f"{c:>24}" for c in cells) + " |")


def _mid_word(conn: sqlite3.Connection) -> str:
    """A vocabulary word in 0.5%-5% of articles (the band where neither plan is cheap)."""
    from build_big_db import vocabulary

    total = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    words, _ = vocabulary()
    for word in words[150:3000]:
        if " " not in word and "-" not in word and 0.005 * total <= _match_count(conn, word) <= 0.05 * total:
            return word
    return words[500]


if __name__ == "__main__":
    main()
