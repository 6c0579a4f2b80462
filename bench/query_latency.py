"""Query latency on a big database: claims-by-therapy, full-text search (a common word, two common
words, a rare word, a prefix ``surviv*``; each alone and within the last 90 days; the common
words and the prefix in the last 90 days with the product fewest articles name, and with the
outlet with the fewest articles) and bias compare (all time and the
last 90 days, by therapy / month / source type), in process and over HTTP, ours against
Datasette serving the same file where it has an equivalent.

In process it calls what the API calls (``store.claims.list_claims``,
``store.articles.list_articles``, ``service.compare.compare``) on a read-only connection opened as the API opens it
(``store.db.open_readonly``), warm cache, after a warm-up. Over HTTP it starts our app
(``api.app.create_app``) under uvicorn and ``datasette serve --immutable`` on the same file, both
on 127.0.0.1 in subprocesses, waits for each with a bounded poll, times every request end to end
with httpx on loopback, and stops both servers at the end. Each query runs ``--reps`` times or
until its ``--budget`` of seconds is spent (at least ``--min-reps`` times), whichever is first.

    .venv/bin/python bench/query_latency.py --db /tmp/cartwatch-big.db
    .venv/bin/python bench/query_latency.py --db /tmp/cartwatch-big.db --no-http --plans
    .venv/bin/python bench/query_latency.py --db /tmp/cartwatch-big.db --no-http --check --scan
    PYTHONPATH=/path/to/other/checkout .venv/bin/python bench/query_latency.py --db /tmp/cartwatch-big.db

``--check`` first compares each search's first page with the plain FTS index (every match,
sorted) and each comparison's counts with the row scan (``store.coverage.scan_coverage_counts``);
``--scan`` also times that scan, the way /bias/compare answered before the maintained totals.
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # last: a checkout named in PYTHONPATH is measured instead (its code, same file)

from bench.report import code_state, say  # noqa: E402
from store.db import open_db, open_readonly  # noqa: E402
from service.compare import compare  # noqa: E402
from store.articles import fts_query, list_articles  # noqa: E402
from store.claims import claims_sql, list_claims  # noqa: E402
from store.coverage import coverage_counts, scan_coverage_counts  # noqa: E402

CODE = Path(sys.modules["store"].__file__ or ROOT / "store" / "x").resolve().parent.parent  # the code measured

PAGE = 50
READY_TIMEOUT_S = 120.0


@dataclass(frozen=True, slots=True)
class Timing:
    n: int
    p50_ms: float
    p95_ms: float
    errors: int = 0
    note: str = ""
    cpu_ms: float | None = None  # the server process's CPU time per request (HTTP only)




def measure(call: Callable[[], object], *, reps: int, min_reps: int, budget_s: float, warmup: int) -> Timing:
    """p50/p95 of ``call`` in ms; ``call`` returns False (or raises nothing and returns a status
    that is not 200) to count an error."""
    for _ in range(warmup):
        call()
    samples: list[float] = []
    errors = 0
    deadline = time.perf_counter() + budget_s
    for i in range(reps):
        t0 = time.perf_counter()
        ok = call()
        samples.append((time.perf_counter() - t0) * 1000)
        errors += ok is False
        if i + 1 >= min_reps and time.perf_counter() > deadline:
            break
    samples.sort()
    return Timing(len(samples), _pct(samples, 50), _pct(samples, 95), errors)


def _pct(sorted_ms: list[float], pct: int) -> float:
    index = max(0, min(len(sorted_ms) - 1, round(pct / 100 * len(sorted_ms) + 0.5) - 1))
    return sorted_ms[index]


# --- the data: what to ask for ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Workload:
    common_therapy: str
    rare_therapy: str
    therapy_counts: dict[str, int]
    metric: str
    words: dict[str, str]  # label -> query text
    matches: dict[str, int]  # query text -> matching articles
    since_90d: str  # 90 days before the newest article
    small_outlet: str  # the outlet with the fewest articles
    article_therapy: str  # the product the fewest articles name


def describe(conn: sqlite3.Connection, path: Path, rare_word: str | None) -> Workload:
    articles = conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
    claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    say(f"database {path}: {path.stat().st_size / 1e9:.2f} GB, ~{articles:,} articles, {claims:,} claims, "
        f"sqlite {sqlite3.sqlite_version}")
    counts = {r[0]: r[1] for r in conn.execute(
        "SELECT therapy, count(*) FROM claims GROUP BY therapy ORDER BY count(*) DESC")}
    common, rare = next(iter(counts)), list(counts)[-1]
    metric = conn.execute("SELECT metric FROM claims WHERE therapy = ? GROUP BY metric ORDER BY count(*) DESC "
                          "LIMIT 1", [common]).fetchone()[0]
    words = {"common word": "patients", "rare word": rare_word or _rare_word(conn),
             "two words": "overall survival", "prefix": "surviv*"}
    matches = {q: _match_count(conn, q) for q in words.values()}
    say(f"claims per therapy: {common} {counts[common]:,} (most), {rare} {counts[rare]:,} (fewest); "
        f"metric filter {metric}")
    say("matching articles: " + ", ".join(f"{q!r} {n:,}" for q, n in matches.items()))
    since = conn.execute("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', max(sort_at), '-90 days') FROM articles").fetchone()[0]
    say(f"time filter: since={since} (90 days before the newest article)")
    outlet, outlet_n = conn.execute("SELECT outlet_domain, count(*) FROM articles GROUP BY outlet_domain "
                                    "ORDER BY count(*), outlet_domain LIMIT 1").fetchone()
    therapy, therapy_n = conn.execute("SELECT therapy, count(*) FROM article_therapies GROUP BY therapy "
                                      "ORDER BY count(*), therapy LIMIT 1").fetchone()
    say(f"search filters: outlet {outlet} ({outlet_n:,} articles), product {therapy} ({therapy_n:,} articles)")
    return Workload(common, rare, counts, metric, words, matches, since, outlet, therapy)


def combined(work: Workload) -> list[tuple[str, str, dict[str, str]]]:
    """(label, query text, filters): a search in the last 90 days with one more filter that keeps
    few articles (the smallest outlet, the product fewest articles name)."""
    found = []
    for text in (work.words["common word"], work.words["two words"], work.words["prefix"]):
        found.append((f"search {text!r} last 90 days, therapy={work.article_therapy}", text,
                      {"since": work.since_90d, "therapy": work.article_therapy}))
        found.append((f"search {text!r} last 90 days, outlet={work.small_outlet}", text,
                      {"since": work.since_90d, "outlet": work.small_outlet}))
    return found


def _match_count(conn: sqlite3.Connection, text: str) -> int:
    return conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [fts_query(text)]).fetchone()[0]


def _rare_word(conn: sqlite3.Connection) -> str:
    """A vocabulary word (bench/build_big_db.py) found in between 1 and 100 articles."""
    sys.path.insert(0, str(ROOT / "bench"))
    from build_big_db import vocabulary

    words, _ = vocabulary()
    for word in reversed(words[-2000:]):
        if " " not in word and 0 < _match_count(conn, word) <= 100:
            return word
    return words[-1]


# --- in process ---------------------------------------------------------------------------


BIAS_GROUPS = ("therapy", "month", "source_type")


def in_process(conn: sqlite3.Connection, work: Workload, args: argparse.Namespace) -> list[tuple[str, Timing]]:
    cases: list[tuple[str, Callable[[], object]]] = [
        (f"claims therapy={work.common_therapy}", lambda: list_claims(conn, therapy=work.common_therapy, limit=PAGE)),
        (f"claims therapy={work.rare_therapy}", lambda: list_claims(conn, therapy=work.rare_therapy, limit=PAGE)),
        (f"claims therapy={work.common_therapy} metric={work.metric}",
         lambda: list_claims(conn, therapy=work.common_therapy, metric=work.metric, limit=PAGE)),
        (f"claims therapy={work.rare_therapy} metric={work.metric}",
         lambda: list_claims(conn, therapy=work.rare_therapy, metric=work.metric, limit=PAGE)),
    ]
    for label, text in work.words.items():
        cases.append((f"search {label} q={text!r}", lambda text=text: list_articles(conn, q=text, limit=PAGE)))
        cases.append((f"search {label} q={text!r} last 90 days",
                      lambda text=text: list_articles(conn, q=text, since=work.since_90d, limit=PAGE)))
    for label, text, filters in combined(work):
        cases.append((label, lambda text=text, filters=filters: list_articles(conn, q=text, limit=PAGE, **filters)))
    for by in BIAS_GROUPS:
        for window, since in (("all time", None), ("last 90 days", work.since_90d)):
            cases.append((f"bias compare by={by} {window}", lambda by=by, since=since: compare(conn, by=by, since=since)))
            if args.scan:
                cases.append((f"bias compare by={by} {window}: the row scan (before)",
                              lambda by=by, since=since: scan_coverage_counts(conn, by=by, since=since)))
    results = []
    for label, call in cases:
        timing = measure(call, reps=args.reps, min_reps=args.min_reps, budget_s=args.budget, warmup=args.warmup)
        results.append((label, timing))
        say(f"  {label:<70} p50 {timing.p50_ms:9.2f} ms  p95 {timing.p95_ms:9.2f} ms  (n={timing.n})")
    return results


def check(conn: sqlite3.Connection, work: Workload) -> None:
    """The answers the timings are of are the right ones: search pages against every plain-FTS
    match sorted, comparison counts against the row scan."""
    for text in work.words.values():
        for since in (None, work.since_90d):
            expected = [r[0] for r in conn.execute(
                "SELECT a.id FROM articles a JOIN articles_fts f ON f.rowid = a.id WHERE articles_fts MATCH ? "
                "AND (? IS NULL OR a.sort_at >= ?) ORDER BY a.sort_at DESC, a.id DESC LIMIT ?",
                [fts_query(text), since, since, PAGE])]
            got = [a["id"] for a in list_articles(conn, q=text, since=since, limit=PAGE).items]
            say(f"  check search {text!r} since={since}: {'same' if got == expected else 'DIFFERENT'} first page")
    for label, text, filters in combined(work):
        therapy, outlet = filters.get("therapy"), filters.get("outlet")
        expected = [r[0] for r in conn.execute(
            "SELECT a.id FROM articles a JOIN articles_fts f ON f.rowid = a.id WHERE articles_fts MATCH ? "
            "AND a.sort_at >= ? AND (? IS NULL OR a.outlet_domain = ?) AND (? IS NULL OR EXISTS (SELECT 1 FROM "
            "article_therapies t WHERE t.therapy = ? AND t.article_id = a.id)) ORDER BY a.sort_at DESC, a.id DESC "
            "LIMIT ?", [fts_query(text), filters["since"], outlet, outlet, therapy, therapy, PAGE])]
        got = [a["id"] for a in list_articles(conn, q=text, limit=PAGE, **filters).items]
        say(f"  check {label}: {'same' if got == expected else 'DIFFERENT'} first page ({len(got)} articles)")
    for by in BIAS_GROUPS:
        for since in (None, work.since_90d):
            same = coverage_counts(conn, by=by, since=since) == scan_coverage_counts(conn, by=by, since=since)
            say(f"  check bias compare by={by} since={since}: {'same' if same else 'DIFFERENT'} counts as the scan")


def show_plans(conn: sqlite3.Connection, work: Workload) -> None:
    """EXPLAIN QUERY PLAN of every SELECT the query functions run (captured by a trace hook)."""
    calls = {"claims by therapy": lambda: list_claims(conn, therapy=work.common_therapy, limit=PAGE),
             "claims by therapy+metric": lambda: list_claims(conn, therapy=work.common_therapy, metric=work.metric,
                                                             limit=PAGE),
             "search": lambda: list_articles(conn, q=work.words["common word"], limit=PAGE)}
    for label, call in calls.items():
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        call()
        conn.set_trace_callback(None)
        for sql in statements:
            if sql.lstrip().upper().startswith("SELECT") and "articles_fts_" not in sql:
                say(f"  [{label}] {' '.join(sql.split())[:160]}")
                for row in conn.execute("EXPLAIN QUERY PLAN " + sql):
                    say(f"      {row[3]}")


# --- over HTTP ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(command: list[str], ready_url: str) -> Iterator[int]:
    """Run a server subprocess until the block ends; ready when ``ready_url`` answers 200."""
    process = subprocess.Popen(command, cwd=CODE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_ready(process, ready_url)
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _wait_ready(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    with httpx.Client(timeout=5.0) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {process.stderr.read().decode()[-2000:] if process.stderr else ''}")
            try:
                if client.get(url).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)  # between polls only; readiness is the 200, not the wait
    raise RuntimeError(f"{url} not ready within {READY_TIMEOUT_S:.0f}s")


def our_sql_query(therapy: str) -> str:
    """Datasette's arbitrary-SQL endpoint given the statement ``list_claims`` runs (named
    parameters for its ``?``, the page size written in)."""
    sql, params = claims_sql(therapy=therapy)
    head, _, _ = sql.rpartition("?")
    sql = head + str(PAGE + 1)
    for i in range(len(params)):
        sql = sql.replace("?", f":p{i}", 1)
    return urlencode({"sql": sql, **{f"p{i}": v for i, v in enumerate(params)}, "_shape": "objects"})


def http_pairs(work: Workload, db_name: str) -> list[tuple[str, str, str | None]]:
    """(label, our path, Datasette's path or None) for each comparison."""
    base = f"/{db_name}"
    pairs: list[tuple[str, str, str | None]] = []
    for therapy in (work.common_therapy, work.rare_therapy):
        t = quote(therapy)
        pairs.append((f"claims therapy={therapy}", f"/claims?therapy={t}&limit={PAGE}",
                      f"{base}/claims.json?therapy={t}&_sort_desc=sort_at&_size={PAGE}"))
        pairs.append((f"claims therapy={therapy} metric={work.metric}",
                      f"/claims?therapy={t}&metric={work.metric}&limit={PAGE}",
                      f"{base}/claims.json?therapy={t}&metric={work.metric}&_sort_desc=sort_at&_size={PAGE}"))
        pairs.append((f"claims therapy={therapy} (Datasette running our SQL)", f"/claims?therapy={t}&limit={PAGE}",
                      f"{base}.json?{our_sql_query(therapy)}"))
    since = quote(work.since_90d)
    for label, text in work.words.items():
        q = quote(text)
        pairs.append((f"search {label} {text!r}", f"/articles?q={q}&limit={PAGE}",
                      f"{base}/articles.json?_search={q}&_size={PAGE}"))
        pairs.append((f"search {label} {text!r} (Datasette sorted as ours)", f"/articles?q={q}&limit={PAGE}",
                      f"{base}/articles.json?_search={q}&_sort_desc=sort_at&_size={PAGE}"))
        pairs.append((f"search {label} {text!r} last 90 days", f"/articles?q={q}&since={since}&limit={PAGE}",
                      f"{base}/articles.json?_search={q}&sort_at__gte={since}&_sort_desc=sort_at&_size={PAGE}"))
    for label, text, filters in combined(work):
        # Datasette's table view filters on the article's own columns only (no product filter).
        q, extra = quote(text), "&".join(f"{k}={quote(v)}" for k, v in filters.items())
        outlet = filters.get("outlet")
        pairs.append((label, f"/articles?q={q}&{extra}&limit={PAGE}",
                      f"{base}/articles.json?_search={q}&sort_at__gte={since}&outlet_domain={quote(outlet)}"
                      f"&_sort_desc=sort_at&_size={PAGE}" if outlet else None))
    for by in BIAS_GROUPS:
        pairs.append((f"bias compare by={by} all time", f"/bias/compare?by={by}", None))
        pairs.append((f"bias compare by={by} last 90 days", f"/bias/compare?by={by}&since={since}", None))
    return pairs


def over_http(path: Path, work: Workload, args: argparse.Namespace) -> list[tuple[str, Timing, Timing | None]]:
    ours_port, ds_port = free_port(), free_port()
    python = sys.executable
    ours = [python, "-c", "import sys, uvicorn; from api.app import create_app; "
            f"uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port={ours_port}, log_level='warning')",
            str(path)]
    datasette = [str(Path(python).with_name("datasette")), "serve", "--immutable", str(path), "-h", "127.0.0.1",
                 "-p", str(ds_port)]
    pairs = http_pairs(work, path.stem)
    ours_timings: dict[str, Timing] = {}
    ds_timings: dict[str, Timing] = {}
    with server(ours, f"http://127.0.0.1:{ours_port}/health") as pid:
        ours_timings = _run_http(f"http://127.0.0.1:{ours_port}", [(lbl, p) for lbl, p, _ in pairs], args, pid)
    with server(datasette, f"http://127.0.0.1:{ds_port}/-/versions.json") as pid:
        ds_timings = _run_http(f"http://127.0.0.1:{ds_port}", [(lbl, p) for lbl, _, p in pairs if p], args, pid)
    return [(label, ours_timings[label], ds_timings.get(label)) for label, _, _ in pairs]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), whatever else loads the machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run_http(base: str, paths: list[tuple[str, str]], args: argparse.Namespace, pid: int) -> dict[str, Timing]:
    results: dict[str, Timing] = {}
    cache: dict[str, Timing] = {}
    with httpx.Client(base_url=base, timeout=30.0) as client:
        for label, path in paths:
            if path in cache:  # ours answers the "sorted as ours" row with the same request
                results[label] = cache[path]
                continue
            statuses: list[int] = []

            def call(path: str = path) -> bool:
                try:
                    response = client.get(path)
                except httpx.TimeoutException:
                    statuses.append(0)  # no answer within the client's timeout: shown as "HTTP 0"
                    return False
                statuses.append(response.status_code)
                return response.status_code == 200
            cpu_before = cpu_seconds(pid)
            timing = measure(call, reps=args.http_reps, min_reps=args.min_reps, budget_s=args.budget,
                             warmup=args.warmup)
            cpu_ms = (cpu_seconds(pid) - cpu_before) * 1000 / len(statuses)
            bad = sorted({s for s in statuses if s != 200})
            timing = Timing(timing.n, timing.p50_ms, timing.p95_ms, timing.errors,
                            f"HTTP {','.join(map(str, bad))}" if bad else "", cpu_ms)
            results[label] = cache[path] = timing
            say(f"  {base} {path[:90]:<90} p50 {timing.p50_ms:9.2f} ms, server CPU {cpu_ms:7.2f} ms/request "
                f"(n={timing.n}) {timing.note}")
    return results


# --- report -------------------------------------------------------------------------------


def print_tables(local: list[tuple[str, Timing]], http: list[tuple[str, Timing, Timing | None]]) -> None:
    say("\nIn process (the API's query functions, read-only connection, warm cache)")
    say(f"| {'query':<72} | {'p50 ms':>8} | {'p95 ms':>8} | {'n':>4} |")
    say(f"|{'-' * 74}|{'-' * 10}|{'-' * 10}|{'-' * 6}|")
    for label, t in local:
        say(f"| {label:<72} | {t.p50_ms:8.2f} | {t.p95_ms:8.2f} | {t.n:4d} |")
    if not http:
        return
    say("\nOver HTTP on 127.0.0.1 (httpx, end to end), ours vs Datasette on the same file; CPU is the server "
        "process's CPU time per request (clock ticks of 10 ms, averaged over the repetitions)")
    say(f"| {'query':<66} | {'ours p50':>8} | {'ours p95':>8} | {'ours CPU':>8} | {'ds p50':>8} | {'ds p95':>8} | "
        f"{'ds CPU':>8} | note |")
    say(f"|{'-' * 68}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 10}|------|")
    for label, ours, ds in http:
        notes = "; ".join(filter(None, [f"ours {ours.note}" if ours.note else "",
                                        f"datasette {ds.note}" if ds and ds.note else ""]))
        theirs = f"{ds.p50_ms:8.2f} | {ds.p95_ms:8.2f} | {ds.cpu_ms or 0:8.2f}" if ds else f"{'-':>8} | {'-':>8} | {'-':>8}"
        say(f"| {label:<66} | {ours.p50_ms:8.2f} | {ours.p95_ms:8.2f} | {ours.cpu_ms or 0:8.2f} | {theirs} | {notes} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/cartwatch-big.db"))
    parser.add_argument("--reps", type=int, default=200, help="in-process repetitions per query (upper bound)")
    parser.add_argument("--http-reps", type=int, default=100, help="HTTP repetitions per query (upper bound)")
    parser.add_argument("--min-reps", type=int, default=5)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per query before stopping early")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rare-word", default=None, help="default: a vocabulary word in 1-100 articles")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--plans", action="store_true", help="print EXPLAIN QUERY PLAN of each query")
    parser.add_argument("--check", action="store_true", help="check search pages and comparison counts first")
    parser.add_argument("--scan", action="store_true", help="also time the row scan bias compare used before")
    args = parser.parse_args()
    if not args.db.exists():
        parser.error(f"{args.db} does not exist (build it with bench/build_big_db.py)")
    say(f"machine: nproc={os.cpu_count()}, load average {os.getloadavg()[0]:.2f}; "
        f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}; {code_state()}; code measured from {CODE}")
    t0 = time.perf_counter()
    open_db(args.db).conn.close()  # pending migrations now, not inside the server's start-up
    say(f"schema up to date ({time.perf_counter() - t0:.1f}s)")
    conn = open_readonly(args.db)
    work = describe(conn, args.db, args.rare_word)
    if args.plans:
        show_plans(conn, work)
    if args.check:
        check(conn, work)
    say("\nin process:")
    local = in_process(conn, work, args)
    conn.close()
    http = [] if args.no_http else over_http(args.db, work, args)
    print_tables(local, http)
    say(f"\nload average at end {os.getloadavg()[0]:.2f}; {code_state()}")


if __name__ == "__main__":
    main()
