"""The app's own CPU time per request, without an HTTP server: ``api.app.create_app`` called as
an ASGI application in this process (routing, parameters, dependencies, the thread-pool hop, the
query, the response body), for GET /claims by the therapy with the most claims and the one with
the fewest. Over HTTP (``query_latency.py``) uvicorn's own parsing and sending, the same for any
app it serves, comes on top; here nothing else is counted, so changes to the app show.

Each path is asked ``--batches`` times ``--per-batch`` requests after a warm-up; the process's
CPU time (``time.process_time``) per request is printed for the fastest batch and the median one.
The app imported is the first ``api`` package on ``sys.path``: set ``PYTHONPATH`` to another
checkout to measure its code on the same file (this directory's own tree is the fallback).

    .venv/bin/python bench/api_cpu.py --db /tmp/cartwatch-big.db
    PYTHONPATH=/path/to/other/checkout .venv/bin/python bench/api_cpu.py --db /tmp/cartwatch-big.db
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # last: a checkout named in PYTHONPATH comes first

from api.app import create_app  # noqa: E402
from bench.report import code_state, say  # noqa: E402


async def request(app: Any, path: str) -> tuple[int, int]:
    """One GET through the ASGI app; (status, body bytes)."""
    route, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": route, "raw_path": route.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"127.0.0.1"), (b"accept", b"*/*")], "client": ("127.0.0.1", 1),
             "server": ("127.0.0.1", 80), "state": {}}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], sum(len(m.get("body", b"")) for m in sent[1:])


async def measure(app: Any, paths: list[str], args: argparse.Namespace) -> dict[str, list[float]]:
    per_request: dict[str, list[float]] = {p: [] for p in paths}
    async with app.router.lifespan_context(app):
        for path in paths:
            status, size = await request(app, path)
            if status != 200:
                raise SystemExit(f"{path}: HTTP {status}")
            say(f"  {path}: {size:,} bytes")
            for _ in range(args.warmup):
                await request(app, path)
        for _ in range(args.batches):  # interleaved, so a busy moment on the machine hits every path
            for path in paths:
                start = time.process_time()
                for _ in range(args.per_batch):
                    await request(app, path)
                per_request[path].append((time.process_time() - start) * 1000 / args.per_batch)
    return per_request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/cartwatch-big.db"))
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--per-batch", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    import api

    code = Path(api.__file__).resolve().parent.parent
    say(f"machine: nproc={os.cpu_count()}, load average {os.getloadavg()[0]:.2f}; "
        f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}; app code from {code}: {code_state()}")
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    counts = conn.execute("SELECT therapy, count(*) FROM claims GROUP BY therapy ORDER BY count(*) DESC").fetchall()
    conn.close()
    paths = [f"/claims?therapy={quote(therapy)}&limit=50" for therapy, _ in (counts[0], counts[-1])]
    results = asyncio.run(measure(create_app(args.db), paths, args))
    say(f"\nCPU ms per request ({args.batches} batches of {args.per_batch}), fastest batch / median batch:")
    for path, values in results.items():
        say(f"  {path:<60} {min(values):6.3f} / {statistics.median(values):6.3f}")
    say(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
