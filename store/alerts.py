"""Watches, the new records they are checked against, and the alert outbox (``alert_deliveries``).

The outbox is what makes delivery "once": a delivery row is keyed by (idempotency key, channel)
and inserted with ``INSERT OR IGNORE``, so finding the same match twice enqueues it once. A row is
*claimed* (``status = 'sending'``) in one write transaction before it is sent, so two processes
never send one row; a claim older than the lease (a process killed mid-send) becomes due again.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from analysis.model import evidence_level
from analysis.model.results import ReportedValue
from analysis.model.records import NewArticle, NewClaim, Watch
from store import Store
from store.articles import fts_query
from store.maintained import key_sql
from store.claims import SUMMARY_WINDOW

WATCH_COLUMNS = "name, kind, therapy, target, metric, evidence, query, email, webhook"


class WatchExistsError(Exception):
    """A watch by that name exists already."""


@dataclass(frozen=True, slots=True)
class StoredWatch:
    watch: Watch
    origin: str  # "config" | "api"
    created_at: str
    checked_until: str | None
    sent: int = 0
    pending: int = 0
    failed: int = 0


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message for one channel, before it is queued."""

    idempotency_key: str
    channel: str  # "email" | "webhook"
    watch_name: str
    target: str  # comma-separated addresses, or the webhook URL
    subject: str
    body: str
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    idempotency_key: str
    channel: str
    watch_name: str
    target: str
    subject: str
    body: str
    link: str | None
    status: str
    attempts: int
    next_attempt_at: str
    last_error: str | None
    sent_at: str | None


# --- watches -------------------------------------------------------------------------------

def _watch(row: sqlite3.Row | tuple[Any, ...]) -> Watch:
    name, kind, therapy, target, metric, evidence, query, email, webhook = tuple(row)[:9]
    return Watch(name=name, kind=kind, therapy=therapy, target=target, metric=metric, evidence=evidence,
                 query=query, email=tuple(json.loads(email)), webhook=webhook)


def _values(watch: Watch) -> list[Any]:
    return [watch.name, watch.kind, watch.therapy, watch.target, watch.metric, watch.evidence, watch.query,
            json.dumps(list(watch.email)), watch.webhook]


def sync_config_watches(store: Store, watches: tuple[Watch, ...], *, now: str) -> None:
    """Make the ``config`` watches exactly those of config.toml; a new one starts at ``now`` (so
    it never alerts on the past) and an edited one keeps its start and progress."""
    with store.transaction():
        conn = store.db.conn
        for watch in watches:
            conn.execute(
                f"INSERT INTO watches({WATCH_COLUMNS}, origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'config', ?) "
                "ON CONFLICT(name) DO UPDATE SET kind=excluded.kind, therapy=excluded.therapy, target=excluded.target, "
                "metric=excluded.metric, evidence=excluded.evidence, query=excluded.query, email=excluded.email, "
                "webhook=excluded.webhook, origin='config'", [*_values(watch), now])
        gone = [r[0] for r in conn.execute(
            "SELECT name FROM watches WHERE origin = 'config' AND name NOT IN (SELECT value FROM json_each(?))",
            [json.dumps([w.name for w in watches])])]
        conn.execute("DELETE FROM watches WHERE name IN (SELECT value FROM json_each(?))", [json.dumps(gone)])
        _cancel_pending(store, gone)


def _cancel_pending(store: Store, names: list[str]) -> None:
    """A deleted watch sends nothing more: its queued deliveries are cancelled (kept as history)."""
    store.db.conn.execute("UPDATE alert_deliveries SET status = 'cancelled' WHERE status = 'pending' "
                          "AND watch_name IN (SELECT value FROM json_each(?))", [json.dumps(names)])


def create_watch(store: Store, watch: Watch, *, now: str) -> StoredWatch:
    with store.transaction():
        try:
            store.db.conn.execute(
                f"INSERT INTO watches({WATCH_COLUMNS}, origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'api', ?)",
                [*_values(watch), now])
        except sqlite3.IntegrityError:
            raise WatchExistsError(f"a watch named {watch.name!r} exists already") from None
    return StoredWatch(watch, "api", now, None)


def delete_watch(store: Store, name: str) -> str | None:
    """Delete an API watch; returns the origin of the watch found (None: no such watch). A
    config watch is not deleted (config.toml would bring it back on the next check)."""
    with store.transaction():
        row = store.db.conn.execute("SELECT origin FROM watches WHERE name = ?", [name]).fetchone()
        if row is not None and row[0] == "api":
            store.db.conn.execute("DELETE FROM watches WHERE name = ?", [name])
            _cancel_pending(store, [name])
    return None if row is None else str(row[0])


def list_watches(conn: sqlite3.Connection) -> list[StoredWatch]:
    counts: dict[str, dict[str, int]] = {}
    for name, status, count in conn.execute(
            "SELECT watch_name, status, count(*) FROM alert_deliveries GROUP BY watch_name, status"):
        counts.setdefault(name, {})[status] = count
    found = []
    for row in conn.execute(f"SELECT {WATCH_COLUMNS}, origin, created_at, checked_until FROM watches ORDER BY name"):
        mine = counts.get(row[0], {})
        found.append(StoredWatch(_watch(row), row[9], row[10], row[11], sent=mine.get("sent", 0),
                                 pending=mine.get("pending", 0) + mine.get("sending", 0), failed=mine.get("failed", 0)))
    return found


def set_checked(store: Store, name: str, until: str) -> None:
    with store.transaction():
        store.db.conn.execute("UPDATE watches SET checked_until = ? WHERE name = ?", [until, name])


# --- what is new -------------------------------------------------------------------------------

_NEW_CLAIM_SQL = (
    "SELECT c.id, c.article_id, c.therapy, c.trial, c.metric, c.value, c.unit, c.not_reached, "
    "c.timepoint_months, c.article_kind, c.source_type, c.outlet_domain, c.sentence, a.title, a.url "
    "FROM claims c JOIN articles a ON a.id = c.article_id ")


def new_claims(conn: sqlite3.Connection, *, since: str, until: str) -> list[NewClaim]:
    """Claims extracted in ``[since, until)`` (``idx_claims_extracted``), with their article."""
    rows = conn.execute(_NEW_CLAIM_SQL + "WHERE c.extracted_at >= ? AND c.extracted_at < ? "
                        "ORDER BY c.extracted_at, c.id", [since, until])
    return [_new_claim(r) for r in rows]


def claims_of_articles(conn: sqlite3.Connection, article_ids: list[int]) -> list[NewClaim]:
    rows = conn.execute(_NEW_CLAIM_SQL + "WHERE c.article_id IN (SELECT value FROM json_each(?)) "
                        "ORDER BY c.article_id, c.start", [json.dumps(article_ids)])
    return [_new_claim(r) for r in rows]


def _new_claim(r: tuple[Any, ...]) -> NewClaim:
    return NewClaim(claim_id=r[0], article_id=r[1], therapy=r[2], trial=r[3], metric=r[4], value=r[5], unit=r[6],
                    not_reached=bool(r[7]), timepoint_months=r[8], evidence=evidence_level(r[9], r[10]).value,
                    outlet_domain=r[11], sentence=r[12], article_title=r[13], article_url=r[14])


def therapy_values(conn: sqlite3.Connection, therapy: str, *, window: int = SUMMARY_WINDOW) -> list[ReportedValue]:
    """The latest ``window`` claims of one therapy as values to compare (``idx_claims_therapy_sort``),
    the same window the Therapy page reads."""
    rows = conn.execute(
        "SELECT id, article_id, trial, metric, value, unit, not_reached, timepoint_months, followup_months, "
        "article_kind, source_type, sentence, outlet_domain, coalesce(published_at, sort_at) FROM claims "
        "WHERE therapy = ? ORDER BY sort_at DESC, id DESC LIMIT ?", [therapy, window])
    return [ReportedValue(claim_id=r[0], article_id=r[1], trial=r[2], metric=r[3], value=r[4], unit=r[5],
                          not_reached=bool(r[6]), timepoint_months=r[7], followup_months=r[8],
                          evidence=evidence_level(r[9], r[10]).value, sentence=r[11], outlet_domain=r[12], published_at=r[13])
            for r in rows]


def new_articles(conn: sqlite3.Connection, *, since: str, until: str, query: str | None = None,
                 safety_only: bool = False) -> list[NewArticle]:
    """Articles stored or changed in ``[since, until)`` (``idx_articles_updated_at``: an in-place
    update that adds safety numbers counts; its delivery key, the article id, stops a repeat),
    optionally only those matching a full-text query or reporting safety numbers."""
    where, params = ["a.updated_at >= ?", "a.updated_at < ?"], [since, until]
    if safety_only:
        where.append("a.reports_safety = 1")
    match = fts_query(query) if query else None
    if match:
        # A probe of the time-keyed index per article of the window: what changed since the
        # last check is few rows, a watched word may be in most articles.
        where.append(f"EXISTS (SELECT 1 FROM articles_search WHERE articles_search MATCH ? AND rowid = {key_sql('a')})")
        params.append(match)
    rows = conn.execute(
        "SELECT a.id, a.title, a.url, a.outlet_domain, a.kind, a.published_at, a.reports_safety, "
        "(SELECT json_group_array(therapy) FROM article_therapies t WHERE t.article_id = a.id) "
        f"FROM articles a WHERE {' AND '.join(where)} ORDER BY a.updated_at, a.id", params)
    return [NewArticle(article_id=r[0], title=r[1], url=r[2], outlet_domain=r[3], kind=r[4], published_at=r[5],
                       reports_safety=bool(r[6]), therapies=tuple(sorted(json.loads(r[7])))) for r in rows]


# --- the outbox --------------------------------------------------------------------------------

def enqueue(store: Store, messages: list[Outgoing], *, now: str, status: str = "pending") -> int:
    """Queue messages not queued before (by key and channel); returns how many were new. With
    ``status="summarized"`` they are recorded as told in a summary message, never sent alone."""
    added = 0
    with store.transaction():
        for m in messages:
            cursor = store.db.conn.execute(
                "INSERT OR IGNORE INTO alert_deliveries(idempotency_key, channel, watch_name, target, subject, body, "
                "link, created_at, next_attempt_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [m.idempotency_key, m.channel, m.watch_name, m.target, m.subject, m.body, m.link, now, now, status])
            added += cursor.rowcount
    return added


def is_queued(conn: sqlite3.Connection, keys: list[str]) -> set[str]:
    """Which of these idempotency keys were queued before (any channel, any status)."""
    return {r[0] for r in conn.execute("SELECT DISTINCT idempotency_key FROM alert_deliveries "
                                       "WHERE idempotency_key IN (SELECT value FROM json_each(?))", [json.dumps(keys)])}


DELIVERY_COLUMNS = ("id, idempotency_key, channel, watch_name, target, subject, body, link, status, attempts, "
                    "next_attempt_at, last_error, sent_at")


def claim_due(store: Store, *, now: str, stale_before: str, limit: int = 100) -> list[Delivery]:
    """Mark due deliveries as being sent and return them: pending ones whose retry time has come,
    and ones left 'sending' since before ``stale_before`` by a process that died."""
    with store.transaction():
        conn = store.db.conn
        rows = conn.execute(
            f"SELECT {DELIVERY_COLUMNS} FROM alert_deliveries WHERE (status = 'pending' AND next_attempt_at <= ?) "
            "OR (status = 'sending' AND last_attempt_at < ?) ORDER BY next_attempt_at, id LIMIT ?",
            [now, stale_before, limit]).fetchall()
        conn.execute("UPDATE alert_deliveries SET status = 'sending', last_attempt_at = ?, attempts = attempts + 1 "
                     "WHERE id IN (SELECT value FROM json_each(?))", [now, json.dumps([r[0] for r in rows])])
    return [replace(Delivery(*r), attempts=r[9] + 1) for r in rows]  # attempts counts the one just started


def mark_sent(store: Store, delivery_id: int, *, now: str) -> None:
    with store.transaction():
        store.db.conn.execute("UPDATE alert_deliveries SET status = 'sent', sent_at = ?, last_error = NULL "
                              "WHERE id = ?", [now, delivery_id])


def mark_failed(store: Store, delivery_id: int, error: str, *, retry_at: str | None) -> None:
    """Record a failed attempt: due again at ``retry_at``, or given up (``failed``) when None."""
    with store.transaction():
        store.db.conn.execute(
            "UPDATE alert_deliveries SET status = ?, last_error = ?, next_attempt_at = coalesce(?, next_attempt_at) "
            "WHERE id = ?", ["pending" if retry_at else "failed", error[:1000], retry_at, delivery_id])


def list_deliveries(conn: sqlite3.Connection, *, limit: int = 50) -> list[Delivery]:
    rows = conn.execute(f"SELECT {DELIVERY_COLUMNS} FROM alert_deliveries ORDER BY id DESC LIMIT ?", [limit])
    return [Delivery(*r) for r in rows]
