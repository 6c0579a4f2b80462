"""Crawl status: each source's run state, its latest result and error, and the latest runs.

A handful of index probes per source (``idx_crawl_results_source``, ``idx_fetches_source``);
never a scan of the growing ``fetches`` table.

``CrawlTables`` writes them: each source's run state, the validators of fetched URLs, runs,
results and per-URL outcomes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from analysis.model import ArticleKind
from store.db import Handle, iso

RESULT_COLUMNS = ("run_id, started_at, finished_at, status, fetched, new, updated, unchanged, skipped, errors, "
                  "skipped_reasons, message")


def source_status(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every known source with its run state, latest result and latest failed fetch."""
    sources = [dict(r) for r in conn.execute(
        "SELECT name, kind, url, last_run_at, last_success_at, last_error, last_error_at, error_count, next_run_at "
        "FROM sources ORDER BY name")]
    for source in sources:
        result = conn.execute(
            f"SELECT {RESULT_COLUMNS} FROM crawl_results WHERE source_name = ? "
            "ORDER BY started_at DESC, id DESC LIMIT 1", [source["name"]]).fetchone()
        source["last_result"] = _result(result) if result else None
        failure = conn.execute(
            "SELECT url, at, error_kind, status, message FROM fetches WHERE source_name = ? AND outcome = 'error' "
            "ORDER BY at DESC, id DESC LIMIT 1", [source["name"]]).fetchone()
        source["last_failed_fetch"] = dict(failure) if failure else None
    return sources


def recent_runs(conn: sqlite3.Connection, *, limit: int = 10) -> list[dict[str, Any]]:
    """The latest crawl runs with their fetch outcome counts (``idx_fetches_run``)."""
    runs = [dict(r) for r in conn.execute(
        "SELECT id, started_at, finished_at, trigger, status, pid FROM crawl_runs ORDER BY id DESC LIMIT ?", [limit])]
    for run in runs:
        run["outcomes"] = {row[0]: row[1] for row in conn.execute(
            "SELECT outcome, count(*) FROM fetches WHERE run_id = ? GROUP BY outcome ORDER BY outcome", [run["id"]])}
    return runs


def _result(row: sqlite3.Row) -> dict[str, Any]:
    result = dict(row)
    try:
        reasons = json.loads(result.get("skipped_reasons") or "{}")
    except ValueError:
        reasons = {}
    if not isinstance(reasons, dict):
        reasons = {}
    result["skipped_reasons"] = {str(k): v for k, v in reasons.items() if isinstance(v, int)}
    return result


@dataclass(frozen=True, slots=True)
class HttpValidators:
    """What to remember of a fetched URL for the next conditional GET."""

    url: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class CachedFetch:
    etag: str | None
    last_modified: str | None
    checked_at: str


@dataclass(frozen=True, slots=True)
class SourceState:
    last_success_at: str | None
    error_count: int
    state: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A stored article whose page is due for a conditional re-fetch."""

    canonical_url: str
    url: str  # the URL it was fetched from (canonical_url may differ in scheme or query)
    title: str
    kind: ArticleKind
    published_at: str | None
    outlet_domain: str
    outlet_name: str | None
    doi: str | None
    pmid: str | None
    nct_id: str | None


class CrawlTables(Handle):
    """Sources and their run state, the conditional-request cache, crawl runs and fetch outcomes
    (mixed into ``store.Store``)."""

    def sync_sources(self, sources: Iterable[tuple[str, str, str]]) -> None:
        with self.transaction():
            for name, kind, url in sources:
                self.db.execute(
                    "INSERT INTO sources(name, kind, url) VALUES (?, ?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET kind=excluded.kind, url=excluded.url",
                    [name, kind, url],
                )

    def source_state(self, name: str) -> SourceState:
        row = self.db.execute(
            "SELECT last_success_at, error_count, state FROM sources WHERE name = ?", [name]
        ).fetchone()
        if row is None:
            return SourceState(None, 0, {})
        return SourceState(row[0], row[1], json.loads(row[2]) if row[2] else {})

    def record_source_outcome(
        self, name: str, *, now: datetime, error: str | None, state: Mapping[str, Any] | None = None,
        listings: Iterable[HttpValidators] = (),
    ) -> None:
        """Success resets the error count; an error increments it (as miniflux does per feed).
        ``listings``: validators of the listing pages whose items are all stored."""
        with self.transaction():
            for validators in listings:
                self.remember_fetch(validators, now=now)
            if error is None:
                self.db.execute(
                    "UPDATE sources SET last_run_at=?, last_success_at=?, error_count=0, "
                    "state=COALESCE(?, state) WHERE name=?",
                    [iso(now), iso(now), json.dumps(state) if state is not None else None, name],
                )
            else:
                self.db.execute(
                    "UPDATE sources SET last_run_at=?, last_error=?, last_error_at=?, "
                    "error_count=error_count+1 WHERE name=?",
                    [iso(now), error, iso(now), name],
                )

    def last_runs(self) -> dict[str, str | None]:
        """Each known source's last run (UTC ISO), or None if it never ran."""
        return dict(self.db.execute("SELECT name, last_run_at FROM sources").fetchall())

    def validators(self, url: str) -> tuple[str | None, str | None]:
        cached = self.cached_fetch(url)
        return (cached.etag, cached.last_modified) if cached else (None, None)

    def cached_fetch(self, url: str) -> CachedFetch | None:
        row = self.db.execute(
            "SELECT etag, last_modified, checked_at FROM http_cache WHERE url = ?", [url]
        ).fetchone()
        return CachedFetch(*row) if row else None

    def mark_checked(self, url: str, *, now: datetime) -> None:
        """A known URL was asked for again (and failed): keep its validators, move its check time."""
        with self.transaction():
            self.db.execute("UPDATE http_cache SET checked_at = ? WHERE url = ?", [iso(now), url])

    def remember_fetch(self, validators: HttpValidators, *, now: datetime) -> None:
        """Remember that a URL was fetched now, with the validators for the next conditional GET.

        Joins the caller's transaction: an article's page is remembered in the same transaction
        as the article, so a crash can never leave "fetched" without "stored"."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO http_cache(url, etag, last_modified, checked_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET etag=excluded.etag, "
                "last_modified=excluded.last_modified, checked_at=excluded.checked_at",
                [validators.url, validators.etag, validators.last_modified, iso(now)],
            )

    def pages_due(self, source_name: str, *, daily_since: datetime, until: datetime, day_ago: datetime,
                  week_ago: datetime, limit: int) -> list[StoredPage]:
        """This source's stored pages due for revalidation, least recently checked first: checked
        over a day ago if published after ``daily_since``, else over a week ago if after ``until``."""
        rows = self.db.execute(
            "SELECT a.canonical_url, a.url, a.title, a.kind, a.published_at, a.outlet_domain, a.outlet_name, a.doi, a.pmid, "
            "a.nct_id FROM articles a JOIN http_cache h ON h.url = a.canonical_url "
            "WHERE a.source_name = :source AND a.kind != 'headline' AND a.sort_at >= :until "
            "AND (h.checked_at <= :week_ago OR (a.sort_at >= :daily_since AND h.checked_at <= :day_ago)) "
            "ORDER BY h.checked_at, a.id LIMIT :limit",
            {"source": source_name, "until": iso(until), "week_ago": iso(week_ago), "daily_since": iso(daily_since),
             "day_ago": iso(day_ago), "limit": limit}).fetchall()
        return [StoredPage(*row) for row in rows]

    def start_run(self, *, trigger: str, now: datetime, pid: int | None = None) -> int:
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO crawl_runs(started_at, trigger, pid) VALUES (?, ?, ?)", [iso(now), trigger, pid]
            )
        return int(cursor.lastrowid or 0)

    def close_dead_runs(self, is_alive: Callable[[int], bool]) -> list[int]:
        """Mark runs still 'running' whose process is gone as 'interrupted'; their end is the last
        moment known of them (their last fetch, else their start). Returns their ids."""
        with self.transaction():
            dead = [run_id for run_id, pid in self.db.execute(
                "SELECT id, pid FROM crawl_runs WHERE status = 'running'").fetchall()
                if pid is None or not is_alive(pid)]
            for run_id in dead:
                self.db.execute(
                    "UPDATE crawl_runs SET status = 'interrupted', finished_at = COALESCE("
                    "(SELECT max(at) FROM fetches WHERE run_id = :id), started_at) WHERE id = :id", {"id": run_id})
        return dead

    def set_next_runs(self, next_runs: Mapping[str, datetime | None]) -> None:
        """The scheduler's next run per source name (None: not scheduled)."""
        with self.transaction():
            for name, at in next_runs.items():
                self.db.execute("UPDATE sources SET next_run_at = ? WHERE name = ?",
                                [iso(at) if at is not None else None, name])

    def finish_run(self, run_id: int, *, now: datetime, status: str) -> None:
        with self.transaction():
            self.db.execute("UPDATE crawl_runs SET finished_at=?, status=? WHERE id=?", [iso(now), status, run_id])

    def record_result(self, run_id: int, result: Mapping[str, Any]) -> None:
        row = dict(result)
        row["skipped_reasons"] = json.dumps(row.get("skipped_reasons") or {}, sort_keys=True)
        with self.transaction():
            self.db.execute(
                f"INSERT INTO crawl_results(run_id, {', '.join(row)}) VALUES (?, {', '.join('?' for _ in row)})",
                [run_id, *row.values()],
            )

    def record_fetch(
        self, *, run_id: int | None, source_name: str, url: str | None, now: datetime, outcome: str,
        error_kind: str | None = None, status: int | None = None, message: str | None = None,
    ) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO fetches(run_id, source_name, url, at, outcome, error_kind, status, message) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, source_name, url, iso(now), outcome, error_kind, status, message],
            )
