"""What one batch of the ingest writes, by table, at a given database size: the pages it dirties
and the read/write calls it makes.

Takes a database built by ``bench/ingest_scale.py --articles N`` (it is copied; the original is
left alone), and ingests the articles that come next in the same generated stream through
``service.ingest.ingest_batch``, in batches of 200 as the bench does. After each batch it reads
the WAL (automatic checkpoints are off, so the WAL holds exactly what the batch wrote), maps each
page to its table or index (``dbstat`` of the copy before the run; pages added since show as "new
pages") and checkpoints. It prints the distinct pages per article by table, and the read and
write system calls per article of the batches and their checkpoints (``/proc/self/io``
``syscr`` / ``syscw``: SQLite reads and writes one page per call).

    .venv/bin/python bench/write_pages.py --db /tmp/ingest-100k.db --after 100000 [--batches 5] [--cache-kib 2000]

``--cache-kib`` sets the write connection's page cache instead of the one ``store.db`` sets.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import struct
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from analysis.outlets import OutletRegistry  # noqa: E402
from bench.report import code_state, say  # noqa: E402
from ingest_scale import BATCH, Generator, IngestItem, ingest_batch  # noqa: E402
from store import Store  # noqa: E402


def io_calls() -> tuple[int, int]:
    """(read, write) system calls of this process so far (0, 0 where /proc/self/io is absent)."""
    try:
        fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    except OSError:
        return 0, 0
    return int(fields["syscr"]), int(fields["syscw"])


def wal_pages(wal: Path) -> list[int]:
    """The page number of every frame in a WAL file."""
    data = wal.read_bytes() if wal.exists() else b""
    if len(data) < 32:
        return []
    page_size = struct.unpack(">I", data[8:12])[0]
    return [struct.unpack(">I", data[at:at + 4])[0] for at in range(32, len(data) - 23, 24 + page_size)]


def run(source: Path, after: int, batches: int, cache_kib: int | None) -> None:
    say(f"machine: nproc={os.cpu_count()}, load average {os.getloadavg()[0]:.2f}; {code_state()}; "
        f"{batches} batches of {BATCH} after article {after:,} of {source}")
    with tempfile.TemporaryDirectory(dir=source.parent) as folder:
        copy = Path(folder) / source.name
        shutil.copy(source, copy)
        conn = sqlite3.connect(copy)
        owner = dict((page, name) for name, page in conn.execute("SELECT name, pageno FROM dbstat"))
        conn.close()
        store = Store.open(copy)
        store.db.execute("PRAGMA wal_autocheckpoint=0")
        if cache_kib is not None:
            store.db.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
        cache = store.db.execute("PRAGMA cache_size").fetchone()[0]
        registry = OutletRegistry.load_default()
        stream = Generator().articles(after + batches * BATCH)
        for _ in range(after):
            next(stream)
        pages: Counter[str] = Counter()
        reads = writes = 0
        for number in range(batches):
            chunk = [next(stream) for _ in range(BATCH)]
            read_before, write_before = io_calls()
            ingest_batch(store, [IngestItem(a) for _, a in chunk], registry=registry, now=chunk[-1][0])
            batch_pages = set(wal_pages(Path(f"{copy}-wal")))
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            read_after, write_after = io_calls()
            reads += read_after - read_before
            writes += write_after - write_before
            pages.update(owner.get(page, "new pages") for page in batch_pages)
            say(f"batch {number + 1}: {len(batch_pages) / BATCH:.1f} pages per article")
        store.close()
    count = batches * BATCH
    say(f"page cache {cache}; per article: {sum(pages.values()) / count:.1f} distinct pages written, "
        f"{reads / count:.0f} read calls, {writes / count:.0f} write calls")
    for name, n in pages.most_common(12):
        say(f"  {n / count:6.2f}  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a database built by bench/ingest_scale.py")
    parser.add_argument("--after", type=int, required=True, help="how many articles it holds (the --articles it was built with)")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--cache-kib", type=int, default=None)
    args = parser.parse_args(argv)
    run(args.db, args.after, args.batches, args.cache_kib)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
