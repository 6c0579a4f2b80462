"""What the triggers of the time-keyed search index and the coverage totals (store.maintained)
add to each article write: the same articles (with one or two therapies each) inserted one
transaction per article into a fresh database, once with every trigger and once with those two
sets dropped (sqlite-utils' own FTS triggers stay in both), in alternating rounds.

    .venv/bin/python bench/write_cost.py [--articles 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.report import code_state  # noqa: E402
from store.db import open_db  # noqa: E402
from store.maintained import TRIGGER_NAMES  # noqa: E402

WORDS = ("patients", "overall", "survival", "response", "myeloma", "lymphoma", "relapse", "infusion", "toxicity",
         "durable", "remission", "trial", "approval", "cost", "months", "median", "rate", "grade", "cells")



def rows(n: int, seed: int = 1) -> list[tuple[dict[str, object], list[str]]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        day = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"
        text = " ".join(rng.choices(WORDS, k=400))  # about the stored text of a news article
        row = {"canonical_url": f"https://o{i % 300}.example/{i}", "url": f"https://o{i % 300}.example/{i}",
               "title": " ".join(rng.choices(WORDS, k=9)), "text": text, "kind": "news", "source_name": "s",
               "outlet_domain": f"o{i % 300}.example", "source_type": "general news", "sort_at": day,
               "published_at": day, "fetched_at": day, "updated_at": day, "content_hash": str(i),
               "reports_efficacy": i % 2, "reports_safety": i % 3 == 0}
        out.append((row, rng.sample(("cilta", "ide", "axi", "liso", "tisa"), rng.randint(1, 2))))
    return out


def insert_all(path: Path, data: list[tuple[dict[str, object], list[str]]], *, maintained: bool) -> float:
    """CPU seconds to insert every article, one transaction each."""
    open_db(path).conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=NORMAL")
    if not maintained:
        for name in TRIGGER_NAMES:
            conn.execute(f'DROP TRIGGER "{name}"')
    started = time.process_time()
    for row, therapies in data:
        conn.execute("BEGIN")
        article_id = conn.execute(f"INSERT INTO articles({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                                  list(row.values())).lastrowid
        for therapy in therapies:
            conn.execute("INSERT INTO article_therapies(therapy, article_id) VALUES (?, ?)", [therapy, article_id])
        conn.execute("COMMIT")
    spent = time.process_time() - started
    conn.close()
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sys.stdout.write(f"machine: nproc={os.cpu_count()}, load average {os.getloadavg()[0]:.2f}; "
                     f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}; {code_state()}\n")
    data = rows(args.articles)
    spent: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(args.rounds):
            for maintained in (False, True):
                path = Path(folder) / f"r{round_}-{maintained}.db"
                spent[maintained].append(insert_all(path, data, maintained=maintained))
    per = {k: 1e6 * min(v) / args.articles for k, v in spent.items()}
    sys.stdout.write(f"{args.articles:,} articles (~400 words, 1-2 therapies each), one transaction each, "
                     f"best of {args.rounds} rounds, CPU per article:\n"
                     f"  without the issue-14 triggers {per[False]:8.0f} us\n"
                     f"  with them                     {per[True]:8.0f} us  (+{per[True] - per[False]:.0f} us, "
                     f"{per[True] / per[False]:.2f}x)\n")


if __name__ == "__main__":
    main()
