"""Crawl status: each source's run state, its latest result and error, and the latest runs.

A handful of index probes per source (``idx_crawl_results_source``, ``idx_fetches_source``);
never a scan of the growing ``fetches`` table.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

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
