"""The alert use cases: check every watch for new matches, queue each match once per channel,
deliver what is due with retries, send the daily digest, manage watches, send a sample.

One check, in order:
1. make the stored config watches those of config.toml (``store.alerts.sync_config_watches``);
2. per watch, read what is new since its last check (minus an overlap) and never before the
   watch was created, and match it (``analysis.watches``);
3. queue one delivery per match and channel; a (key, channel) already queued is ignored, which is
   what makes a match alert once however often it is found;
4. send every due delivery; a failure is retried after ``retry_backoff_seconds`` doubling per
   attempt (capped at ``max_backoff_seconds``), and given up after ``max_attempts``.

Time is a parameter (``now``) everywhere, so tests drive retries without waiting.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from analysis.model.records import Watch
from analysis.watches import (
    Match,
    article_matches,
    claim_matches,
    covers,
    discrepancy_matches,
    safety_matches,
)
from service.alerts_config import AlertsConfig, WatchSpec
from service.outbox import DeliveryError, Sender, WebhookPayload
from store import Store
from store import alerts as outbox
from store.alerts import Delivery, Outgoing, StoredWatch, WatchExistsError, list_deliveries, list_watches
from store.db import iso

# The watch records and the name clash that /watches and ``cartwatch alerts list`` handle.
__all__ = ["AlertReport", "StoredWatch", "WatchExistsError", "add_watch", "deliver_due", "recent_deliveries",
           "remove_watch", "run_alerts", "send_digest", "send_sample", "watch_states"]

logger = logging.getLogger(__name__)
SUMMARY_LINES = 30  # subjects listed in a summary message
LEASE = timedelta(minutes=10)  # a delivery claimed longer ago than this was lost with its process
FOOTER = "\n\n-- \nSent by cartwatch for watch {watch}. Change or delete it in config.toml or with DELETE /watches/{watch}."


@dataclass(frozen=True, slots=True)
class AlertReport:
    queued: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()


def run_alerts(store: Store, config: AlertsConfig, sender: Sender, *, base_url: str, now: datetime) -> AlertReport:
    """One scheduled check: new matches queued, then everything due delivered."""
    queued = check_watches(store, config, base_url=base_url, now=now)
    report = deliver_due(store, config, sender, now=now)
    return AlertReport(queued, report.sent, report.retrying, report.failed, report.errors)


def check_watches(store: Store, config: AlertsConfig, *, base_url: str, now: datetime) -> int:
    """Queue the new matches of every watch; returns how many deliveries were queued."""
    until = iso(now)
    outbox.sync_config_watches(store, tuple(w.to_watch() for w in config.watches), now=until)
    queued = 0
    for stored in outbox.list_watches(store.db.conn):
        since = _window_start(stored, config.overlap_minutes)
        found = find_matches(store, stored.watch, since=since, until=until, base_url=base_url)
        queued += queue_matches(store, stored.watch, found, cap=config.max_alerts_per_check, now=until)
        outbox.set_checked(store, stored.watch.name, until)
    return queued


def queue_matches(store: Store, watch: Watch, found: list[Match], *, cap: int, now: str) -> int:
    """Queue each new match; past ``cap`` new ones in one check (a first crawl, a backfill) the
    rest go out as ONE summary message and are recorded as summarized, so they never flood the
    inbox and are never sent later either."""
    done = outbox.is_queued(store.db.conn, [f"{watch.name}/{m.key}" for m in found])
    new = [m for m in found if f"{watch.name}/{m.key}" not in done]
    alone, rest = new[:cap], new[cap:]
    queued = outbox.enqueue(store, [m for match in alone for m in messages(watch, match)], now=now)
    if rest:
        outbox.enqueue(store, [m for match in rest for m in messages(watch, match)], now=now, status="summarized")
        queued += outbox.enqueue(store, messages(watch, summary_match(watch, rest, now)), now=now)
    return queued


def summary_match(watch: Watch, rest: list[Match], now: str) -> Match:
    shown = [f"- {m.subject}" for m in rest[:SUMMARY_LINES]]
    more = [f"… and {len(rest) - SUMMARY_LINES} more."] if len(rest) > SUMMARY_LINES else []
    return Match(key=f"summary:{now}", subject=f"{len(rest)} more matches for watch {watch.name}",
                 text="\n".join([f"{len(rest)} more new matches for watch {watch.name}, in one message:", *shown, *more]),
                 link=rest[0].link)


def _window_start(stored: StoredWatch, overlap_minutes: int) -> str:
    if stored.checked_until is None:
        return stored.created_at
    back = datetime.fromisoformat(stored.checked_until.replace("Z", "+00:00")) - timedelta(minutes=overlap_minutes)
    return max(stored.created_at, iso(back))


def find_matches(store: Store, watch: Watch, *, since: str, until: str, base_url: str) -> list[Match]:
    conn = store.db.conn
    if watch.kind == "article":
        return article_matches(watch, outbox.new_articles(conn, since=since, until=until, query=watch.query),
                               base_url=base_url)
    if watch.kind == "safety":
        articles = outbox.new_articles(conn, since=since, until=until, safety_only=True)
        claims = outbox.claims_of_articles(conn, [a.article_id for a in articles])
        return safety_matches(watch, articles, claims, base_url=base_url)
    claims = outbox.new_claims(conn, since=since, until=until)
    if watch.kind == "claim":
        return claim_matches(watch, claims, base_url=base_url)
    found: list[Match] = []
    for therapy in sorted({c.therapy for c in claims if covers(watch, (c.therapy,))}):
        values = outbox.therapy_values(conn, therapy)
        found += discrepancy_matches(watch, therapy, values, {c.claim_id for c in claims}, base_url=base_url)
    return found


def messages(watch: Watch, match: Match) -> list[Outgoing]:
    """One outgoing message per channel of the watch; the key is per watch × match."""
    key = f"{watch.name}/{match.key}"
    body = match.text + FOOTER.format(watch=watch.name)
    found = []
    if watch.email:
        found.append(Outgoing(key, "email", watch.name, ",".join(watch.email), f"[cartwatch] {match.subject}", body,
                              match.link))
    if watch.webhook:
        found.append(Outgoing(key, "webhook", watch.name, watch.webhook, match.subject, match.text, match.link))
    return found


def deliver_due(store: Store, config: AlertsConfig, sender: Sender, *, now: datetime) -> AlertReport:
    """Send every due delivery once; failures are recorded with their next attempt."""
    sent = retrying = failed = 0
    errors: list[str] = []
    for d in outbox.claim_due(store, now=iso(now), stale_before=iso(now - LEASE)):
        try:
            send(sender, d)
        except Exception as exc:  # one delivery's failure must not stop the others
            if not isinstance(exc, DeliveryError):  # a bug, not the network: say it loudly, keep going
                logger.exception("alert %s via %s: unexpected error", d.idempotency_key, d.channel)
            reason = str(exc) if isinstance(exc, DeliveryError) else f"internal error ({type(exc).__name__}), logged"
            last = d.attempts >= config.max_attempts
            retry_at = None if last else iso(now + retry_delay(d.attempts, config))
            outbox.mark_failed(store, d.id, reason, retry_at=retry_at)
            logger.warning("alert %s via %s, attempt %d: %s%s", d.idempotency_key, d.channel, d.attempts, reason,
                           " (giving up)" if last else f" (retry at {retry_at})")
            errors.append(f"{d.watch_name} {d.channel}: {reason}")
            failed, retrying = failed + last, retrying + (not last)
        else:
            outbox.mark_sent(store, d.id, now=iso(now))
            sent += 1
    return AlertReport(0, sent, retrying, failed, tuple(errors))


def send(sender: Sender, d: Delivery) -> None:
    if d.channel == "email":
        sender.send_email(tuple(d.target.split(",")), d.subject, d.body, key=d.idempotency_key)
    else:
        text = f"{d.subject}\n{d.body}"
        sender.post_webhook(d.target, WebhookPayload(text=text, subject=d.subject, watch=d.watch_name, link=d.link,
                                                     idempotency_key=d.idempotency_key))


def retry_delay(attempts: int, config: AlertsConfig) -> timedelta:
    """After the n-th failed attempt: backoff × 2^(n-1), at most ``max_backoff_seconds``."""
    seconds = config.retry_backoff_seconds * 2 ** min(attempts - 1, 30)
    return timedelta(seconds=min(seconds, config.max_backoff_seconds))


# --- the daily digest ----------------------------------------------------------------------

def send_digest(store: Store, config: AlertsConfig, sender: Sender, *, render: Callable[[str, str], str],
                now: datetime) -> AlertReport:
    """Queue the digest of the 24 hours before ``now`` (once per UTC day) and deliver what is due.
    ``render(since, until)`` writes the digest text (the shell wires the API's digest builder)."""
    since, until = iso(now - timedelta(days=1)), iso(now)
    day = until[:10]
    message = Outgoing(f"digest/{day}", "email", "digest", ",".join(config.digest.email),
                       f"[cartwatch] digest {day}", render(since, until))
    queued = outbox.enqueue(store, [message], now=until)
    report = deliver_due(store, config, sender, now=now)
    return AlertReport(queued, report.sent, report.retrying, report.failed, report.errors)


# --- watches through the API, and a sample ---------------------------------------------------

def add_watch(db_path: str | Path, spec: WatchSpec, *, now: datetime) -> StoredWatch:
    """Store a new API watch (``WatchExistsError`` if the name is taken); it matches from ``now`` on."""
    store = Store.open(db_path)
    try:
        return outbox.create_watch(store, spec.to_watch(), now=iso(now))
    finally:
        store.close()


def remove_watch(db_path: str | Path, name: str) -> str | None:
    """Delete an API watch: its origin ("api", or "config" and kept), None when there is none."""
    store = Store.open(db_path)
    try:
        return outbox.delete_watch(store, name)
    finally:
        store.close()


def watch_states(conn: sqlite3.Connection) -> list[StoredWatch]:
    """Every watch with its delivery counts (/watches, the status page, ``cartwatch alerts list``)."""
    return list_watches(conn)


def recent_deliveries(conn: sqlite3.Connection, *, limit: int = 20) -> list[Delivery]:
    """The latest deliveries, newest first."""
    return list_deliveries(conn, limit=limit)


def sample_match() -> Match:
    return Match(key="sample", subject="Test alert from cartwatch",
                 text="This is a test alert from `cartwatch alerts test`. If you can read it, delivery works.",
                 link=None)


def send_sample(sender: Sender, *, email: tuple[str, ...], webhook: str | None, now: datetime) -> list[str]:
    """Send the sample straight away (not queued, not recorded); returns what was sent.
    The first failure raises ``DeliveryError``."""
    watch = Watch(name="test", kind="claim", email=email, webhook=webhook)
    done = []
    for m in messages(watch, sample_match()):
        key = f"test/{iso(now)}"
        send(sender, Delivery(0, key, m.channel, m.watch_name, m.target, m.subject, m.body, m.link, "sending", 1,
                              iso(now), None, None))
        done.append(f"{m.channel} to {m.target if m.channel == 'email' else 'the webhook'}")
    return done
