"""Watches and alerts end to end: the seeded database, a real SMTP server (aiosmtpd, STARTTLS or
TLS, AUTH) and a real webhook receiver (pytest-httpserver) on 127.0.0.1.

Time is a parameter: a watch "exists" from ``START`` (before every seeded record) and checks run
at explicit instants, so retries and backoff are driven without waiting.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from cartwatch.cli import app
from cartwatch.commands.alerts import ALERTS_JOB, DIGEST_JOB, alert_jobs, alerts_job, digest_job
from cartwatch.config import AppConfig, parse_config
from cartwatch.schedule import build_scheduler
from tests.seed import CILTA, NOW, seed
from tests.smtp_server import PASSWORD, USER, make_certificate, smtp_server

START = NOW - timedelta(hours=300)  # before every seeded claim and article


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "alerts.db"
    seed(path)
    return path


def config(db: Path, watches: list[dict[str, Any]], *, smtp: dict[str, Any] | None = None,
           **alerts: Any) -> AppConfig:
    raw: dict[str, Any] = {"database": {"path": str(db)}, "api": {"public_url": "https://cartwatch.example.org/"},
                           "alerts": {"watches": watches, **alerts}}
    if smtp is not None:
        raw["alerts"]["smtp"] = smtp
    return parse_config(raw, origin="test")


def deliveries(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT watch_name, channel, status, attempts, idempotency_key, subject "
                            "FROM alert_deliveries ORDER BY id").fetchall()
    finally:
        conn.close()


def smtp_config(server: Any, security: str = "starttls") -> dict[str, Any]:
    return {"host": "127.0.0.1", "port": server.port, "security": security, "ca_file": server.ca_file,
            "username_env": "TEST_SMTP_USER", "password_env": "TEST_SMTP_PASSWORD", "sender": "cartwatch@example.org",
            "timeout_seconds": 10}


@pytest.fixture
def smtp_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_SMTP_USER", USER)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)


# --- matching: what each kind of watch finds in the seeded database ---------------------------------

def test_each_kind_of_watch_queues_exactly_its_matches(db: Path, httpserver: HTTPServer) -> None:
    hook = httpserver.url_for("/hook")
    cfg = config(db, [
        {"name": "cilta-orr", "therapy": "Carvykti", "metric": "orr", "webhook": hook},
        {"name": "cilta-gaps", "kind": "discrepancy", "therapy": "cilta-cel", "webhook": hook},
        {"name": "bcma-safety", "kind": "safety", "target": "bcma", "webhook": hook},
        {"name": "axi-words", "kind": "article", "query": "stringent response", "therapy": "axi-cel", "webhook": hook},
        {"name": "peer-cd19", "target": "CD19", "evidence": "peer_reviewed", "webhook": hook},
    ], enabled=True)
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    alerts_job(cfg, now=START)  # the watches exist from START on: nothing before it can match
    assert deliveries(db) == []
    report = alerts_job(cfg, now=NOW)
    found = deliveries(db)
    by_watch: dict[str, list[str]] = {}
    for watch, _, _, _, _, subject in found:
        by_watch.setdefault(watch, []).append(subject)
    # Six ORR claims of cilta-cel (NEJM, Reuters, Fierce, J&J, the blog, the CARTITUDE-4 page).
    assert len(by_watch["cilta-orr"]) == 6
    assert all("Overall response rate" in s for s in by_watch["cilta-orr"])
    # One misreport: the blog's 89% beside the NEJM paper's 97.9% (the newer cut is no contradiction).
    assert by_watch["cilta-gaps"] == ["Discrepancy, cilta-cel · CARTITUDE-1 Overall response rate: 89% "
                                      "(cartnewsdaily.net) vs 97.9% peer-reviewed"]
    # Safety articles about BCMA products: the NEJM paper (cilta-cel) and two KarMMa-3 articles (ide-cel).
    assert sorted(s.split("(")[-1] for s in by_watch["bcma-safety"]) == ["nejm.org)", "nytimes.com)", "theguardian.com)"]
    # Articles about axi-cel whose text has both words, first fetched after START: the four ZUMA-7
    # articles (the roundup was fetched before the watch existed).
    assert len(by_watch["axi-words"]) == 4
    # Peer-reviewed claims about a CD19 product: the Lancet's 4-year OS of axi-cel only.
    assert by_watch["peer-cd19"] == ["axi-cel · ZUMA-7: 48-month Overall survival 54.6% (thelancet.com)"]
    assert report.queued == len(found) == report.sent == 6 + 1 + 3 + 4 + 1
    assert {status for _, _, status, _, _, _ in found} == {"sent"}


# --- e-mail over a real SMTP server ----------------------------------------------------------------

def test_email_alerts_go_out_once_over_starttls_with_credentials_from_the_environment(
        db: Path, certificate: tuple[Path, Path], smtp_env: None) -> None:
    with smtp_server(*certificate) as server:
        cfg = config(db, [{"name": "gaps", "kind": "discrepancy", "target": "BCMA",
                           "email": ["oncologist@example.org", "desk@example.org"]}], smtp=smtp_config(server))
        alerts_job(cfg, now=START)
        first = alerts_job(cfg, now=NOW)
        again = alerts_job(cfg, now=NOW + timedelta(hours=1))
        later = alerts_job(cfg, now=NOW + timedelta(days=2))
    assert (first.queued, first.sent, again.queued, again.sent, later.queued, later.sent) == (1, 1, 0, 0, 0, 0)
    assert server.inbox.logins == [USER]
    [message] = server.inbox.messages
    assert server.inbox.envelopes == [("cartwatch@example.org", ["oncologist@example.org", "desk@example.org"])]
    assert message["Subject"].startswith("[cartwatch] Discrepancy, cilta-cel · CARTITUDE-1 Overall response rate: 89%")
    body = message.get_content()
    assert "difference −8.9 percentage points" in body
    assert "“An amazing 89% of patients responded to cilta-cel.”" in body
    assert "https://cartwatch.example.org/therapy/cilta-cel" in body  # public_url, not api.host
    assert message["Message-ID"].endswith("@example.org>")


def test_implicit_tls_delivers_the_daily_digest_once_per_day(
        db: Path, certificate: tuple[Path, Path], smtp_env: None) -> None:
    with smtp_server(*certificate, security="tls") as server:
        cfg = config(db, [], smtp=smtp_config(server, "tls"),
                     digest={"enabled": True, "email": ["team@example.org"], "schedule": "0 7 * * *"})
        first = digest_job(cfg, now=NOW)
        same_day = digest_job(cfg, now=NOW + timedelta(hours=3))
        next_day = digest_job(cfg, now=NOW + timedelta(days=1))
    assert (first.sent, same_day.sent, next_day.sent) == (1, 0, 1)
    subjects = [m["Subject"] for m in server.inbox.messages]
    assert subjects == ["[cartwatch] digest 2026-11-24", "[cartwatch] digest 2026-11-25"]
    body = server.inbox.messages[0].get_content()
    assert "New stories (1)" in body and "https://cartwatch.example.org/story/" in body


def test_a_server_without_starttls_gets_no_credentials_and_the_alert_waits(
        db: Path, certificate: tuple[Path, Path], smtp_env: None) -> None:
    with smtp_server(*certificate, starttls_offered=False) as server:
        cfg = config(db, [{"name": "gaps", "kind": "discrepancy", "email": ["me@example.org"]}],
                     smtp=smtp_config(server))
        alerts_job(cfg, now=START)
        report = alerts_job(cfg, now=NOW)
    assert server.inbox.logins == [] and server.inbox.messages == []
    assert report.sent == 0 and report.retrying == 1
    assert "does not offer" in report.errors[0] and "STARTTLS" in report.errors[0]
    assert deliveries(db)[0][2:4] == ("pending", 1)


def test_missing_credential_variable_is_named_and_nothing_is_sent(
        db: Path, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_SMTP_USER", USER)
    monkeypatch.delenv("TEST_SMTP_PASSWORD", raising=False)
    with smtp_server(*certificate) as server:
        cfg = config(db, [{"name": "gaps", "kind": "discrepancy", "email": ["me@example.org"]}],
                     smtp=smtp_config(server))
        alerts_job(cfg, now=START)
        report = alerts_job(cfg, now=NOW)
    assert report.errors == ("gaps email: SMTP credentials: environment variable TEST_SMTP_PASSWORD is not set",)
    assert server.inbox.messages == []


# --- webhooks: failure, retry with backoff, no duplicate ---------------------------------------------

def test_a_failed_webhook_is_retried_after_the_backoff_and_delivered_exactly_once(
        db: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/slack", method="POST").respond_with_data("upstream down", status=503)
    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    cfg = config(db, [{"name": "gaps", "kind": "discrepancy", "webhook": httpserver.url_for("/slack")}],
                 retry_backoff_seconds=60)
    alerts_job(cfg, now=START)
    failed = alerts_job(cfg, now=NOW)
    assert (failed.queued, failed.sent, failed.retrying) == (1, 0, 1)
    assert "HTTP 503" in failed.errors[0]
    assert deliveries(db)[0][2:4] == ("pending", 1)
    too_early = alerts_job(cfg, now=NOW + timedelta(seconds=59))
    assert len(httpserver.log) == 1 and too_early.sent == 0
    retried = alerts_job(cfg, now=NOW + timedelta(seconds=60))
    assert retried.sent == 1 and retried.queued == 0
    for hours in (1, 24, 48):  # the overlap re-reads the same records: the key keeps them from re-alerting
        assert alerts_job(cfg, now=NOW + timedelta(hours=hours)).sent == 0
    assert len(httpserver.log) == 2
    bodies = [json.loads(request.get_data()) for request, _ in httpserver.log]
    keys = {request.headers["Idempotency-Key"] for request, _ in httpserver.log}
    assert bodies[0] == bodies[1] and len(keys) == 1  # the retry is the same message
    assert bodies[0]["text"].startswith("Discrepancy, cilta-cel · CARTITUDE-1 Overall response rate: 89%")
    assert bodies[0]["watch"] == "gaps" and bodies[0]["link"] == "https://cartwatch.example.org/therapy/cilta-cel"
    assert deliveries(db)[0][2:4] == ("sent", 2)


def test_backoff_doubles_and_the_alert_is_given_up_after_max_attempts(db: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("no", status=500)
    cfg = config(db, [{"name": "gaps", "kind": "discrepancy", "webhook": httpserver.url_for("/hook")}],
                 retry_backoff_seconds=60, max_attempts=3)
    alerts_job(cfg, now=START)
    assert alerts_job(cfg, now=NOW).retrying == 1  # attempt 1; next after 60 s
    assert alerts_job(cfg, now=NOW + timedelta(seconds=60)).retrying == 1  # attempt 2; next after 120 s more
    assert alerts_job(cfg, now=NOW + timedelta(seconds=179)).errors == ()  # not due yet
    last = alerts_job(cfg, now=NOW + timedelta(seconds=180))
    assert (last.failed, last.retrying) == (1, 0)
    alerts_job(cfg, now=NOW + timedelta(days=3))
    assert len(httpserver.log) == 3
    assert deliveries(db)[0][2:4] == ("failed", 3)


def test_a_reextracted_claim_does_not_alert_again_but_a_new_one_does(db: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    cfg = config(db, [{"name": "cilta-orr", "therapy": "cilta-cel", "metric": "ORR",
                       "webhook": httpserver.url_for("/hook")}])
    alerts_job(cfg, now=START)
    assert alerts_job(cfg, now=NOW).sent == 6
    conn = sqlite3.connect(db)
    with conn:  # a re-crawl replaces an article's claims: same figures, new ids and extraction time
        cursor = conn.execute("SELECT * FROM claims WHERE metric = 'ORR' AND therapy = ?", [CILTA])
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        conn.execute("DELETE FROM claims WHERE metric = 'ORR' AND therapy = ?", [CILTA])
        later = "2026-11-24T13:00:00Z"
        # the same article now states another figure (96%): that is news
        for row in [*rows, {**rows[0], "value": 96.0}]:
            row = {**row, "id": None, "extracted_at": later}
            conn.execute(f"INSERT INTO claims ({', '.join(chr(34) + n + chr(34) for n in names)}) "
                         f"VALUES ({', '.join('?' for _ in names)})", [row[n] for n in names])
    conn.close()
    again = alerts_job(cfg, now=NOW + timedelta(hours=2))
    assert (again.queued, again.sent) == (1, 1)
    assert "Overall response rate 96%" in json.loads(httpserver.log[-1][0].get_data())["text"]


# --- scheduling and the command line -------------------------------------------------------------------

def test_run_schedules_the_alert_and_digest_jobs_beside_the_sources(db: Path) -> None:
    cfg = config(db, [], smtp={"host": "127.0.0.1"}, schedule="every 10m",
                 digest={"enabled": True, "email": ["team@example.org"], "schedule": "30 6 * * *"})
    now = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    jobs = alert_jobs(cfg, logging.getLogger("test"), now=now)
    assert [(j.name, j.schedule) for j in jobs] == [(ALERTS_JOB, "every 10m"), (DIGEST_JOB, "30 6 * * *")]
    scheduler = build_scheduler(jobs, now=now)  # never started: only the triggers and first runs are checked
    assert str(scheduler.get_job(DIGEST_JOB).trigger) == "cron[month='*', day='*', day_of_week='*', hour='6', minute='30']"
    # Alerts are checked at start; the digest waits for 06:30 (a restart never mails it early).
    assert scheduler.get_job(ALERTS_JOB).next_run_time == now
    assert scheduler.get_job(DIGEST_JOB).next_run_time == datetime(2026, 11, 24, 6, 30, tzinfo=UTC)


def _write_config(tmp_path: Path, db: Path, extra: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\npath = "{db}"\n{extra}', encoding="utf-8")
    return path


def test_alerts_test_posts_a_sample_to_a_webhook(db: Path, tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    path = _write_config(tmp_path, db, "")
    result = CliRunner().invoke(app, ["--config", str(path), "alerts", "test", "--webhook", httpserver.url_for("/hook")])
    assert result.exit_code == 0, result.output
    assert "sent a test alert: webhook to the webhook" in result.output
    [(request, _)] = httpserver.log
    assert json.loads(request.get_data())["text"].startswith("Test alert from cartwatch")


def test_alerts_test_sends_mail_to_a_configured_watch(db: Path, tmp_path: Path, certificate: tuple[Path, Path],
                                                     smtp_env: None) -> None:
    with smtp_server(*certificate) as server:
        path = _write_config(tmp_path, db, f"""
[alerts.smtp]
host = "127.0.0.1"
port = {server.port}
ca_file = "{server.ca_file}"
username_env = "TEST_SMTP_USER"
password_env = "TEST_SMTP_PASSWORD"

[[alerts.watches]]
name = "cilta"
therapy = "cilta-cel"
email = ["me@example.org"]
""")
        result = CliRunner().invoke(app, ["--config", str(path), "alerts", "test", "--watch", "cilta"])
    assert result.exit_code == 0, result.output
    assert [m["Subject"] for m in server.inbox.messages] == ["[cartwatch] Test alert from cartwatch"]


def test_alerts_test_failure_is_one_line_and_exit_1(db: Path, tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook").respond_with_data("gone", status=410)
    path = _write_config(tmp_path, db, "")
    result = CliRunner().invoke(app, ["--config", str(path), "alerts", "test", "--webhook", httpserver.url_for("/hook")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: webhook http://localhost:{httpserver.port}: HTTP 410 'gone'"]


@pytest.mark.parametrize(("args", "message"), [
    (["--watch", "nope"], "error: --watch: no watch named 'nope' in the config (known: none)"),
    (["--email", "not-an-address"], "error: --email: not an e-mail address: 'not-an-address'"),
    (["--webhook", "ftp://x"], "error: --webhook: must be an http:// or https:// URL (got 'ftp://x')"),
    ([], "error: nothing to test: no watch or digest has an address; pass --email or --webhook"),
])
def test_alerts_test_bad_input_exits_2_with_one_line(db: Path, tmp_path: Path, args: list[str], message: str) -> None:
    path = _write_config(tmp_path, db, "")
    result = CliRunner().invoke(app, ["--config", str(path), "alerts", "test", *args])
    assert result.exit_code == 2
    assert result.output.strip() == message


def test_alerts_run_and_list_report_counts(db: Path, tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    path = _write_config(tmp_path, db, f"""
[[alerts.watches]]
name = "gaps"
kind = "discrepancy"
webhook = "{httpserver.url_for('/hook')}"
""")
    runner = CliRunner()
    first = runner.invoke(app, ["--config", str(path), "alerts", "run"])
    assert first.exit_code == 0, first.output
    assert "queued 0 · sent 0" in first.output  # a new watch never alerts on the past
    listed = runner.invoke(app, ["--config", str(path), "alerts", "list"])
    assert listed.exit_code == 0, listed.output
    assert "gaps" in listed.output and "discrepancy" in listed.output


def test_past_the_cap_matches_go_out_as_one_summary_and_never_alone(db: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    cfg = config(db, [{"name": "cilta-orr", "therapy": "cilta-cel", "metric": "ORR",
                       "webhook": httpserver.url_for("/hook")}], max_alerts_per_check=2)
    alerts_job(cfg, now=START)
    first = alerts_job(cfg, now=NOW)
    assert (first.queued, first.sent) == (3, 3)  # two alone, one summary of the other four
    texts = [json.loads(request.get_data())["text"] for request, _ in httpserver.log]
    assert texts[2].startswith("4 more matches for watch cilta-orr\n4 more new matches for watch cilta-orr")
    assert texts[2].count("\n- ") == 4
    assert alerts_job(cfg, now=NOW + timedelta(minutes=5)).sent == 0  # the overlap finds them again: nothing
    assert [row[2] for row in deliveries(db)].count("summarized") == 4


def test_a_deleted_watch_sends_nothing_it_had_queued(db: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("down", status=503)
    hook = httpserver.url_for("/hook")
    cfg = config(db, [{"name": "gaps", "kind": "discrepancy", "webhook": hook}])
    alerts_job(cfg, now=START)
    assert alerts_job(cfg, now=NOW).retrying == 1
    without = config(db, [])  # the watch is removed from config.toml
    report = alerts_job(without, now=NOW + timedelta(hours=1))
    assert (report.sent, report.retrying, report.errors) == (0, 0, ())
    assert len(httpserver.log) == 1
    assert deliveries(db)[0][2] == "cancelled"


def test_a_title_with_line_breaks_cannot_inject_mail_headers(db: Path, certificate: tuple[Path, Path],
                                                              smtp_env: None) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE articles SET title = 'Fine title\r\nBcc: victim@example.org\r\n\r\nbody' "
                     "WHERE outlet_domain = 'nejm.org'")
    conn.close()
    with smtp_server(*certificate) as server:
        cfg = config(db, [{"name": "safety", "kind": "safety", "target": "BCMA", "email": ["me@example.org"]}],
                     smtp=smtp_config(server))
        alerts_job(cfg, now=START)
        report = alerts_job(cfg, now=NOW)
    assert report.sent == 3 and report.errors == ()
    assert [rcpt for _, rcpt in server.inbox.envelopes] == [["me@example.org"]] * 3
    subjects = [m["Subject"].strip() for m in server.inbox.messages]  # a folded header may start with a space
    assert "[cartwatch] Safety signal: Fine title Bcc: victim@example.org body (nejm.org)" in subjects
    assert all(m["Bcc"] is None for m in server.inbox.messages)


class _BrokenSender:
    """A sender with a bug for e-mail (not a delivery failure) and a working webhook."""

    def __init__(self) -> None:
        self.posted: list[str] = []

    def send_email(self, to: tuple[str, ...], subject: str, body: str, *, key: str) -> None:
        raise KeyError("a bug")

    def post_webhook(self, url: str, payload: Any) -> None:
        self.posted.append(payload.subject)


def test_a_bug_in_one_delivery_is_logged_recorded_and_the_others_still_go(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    from service.alerts import run_alerts
    from store import Store

    cfg = config(db, [{"name": "gaps", "kind": "discrepancy", "email": ["me@example.org"],
                       "webhook": "https://hooks.example.org/x"}], smtp={"host": "127.0.0.1"})
    store = Store.open(db)
    try:
        sender = _BrokenSender()
        run_alerts(store, cfg.alerts, sender, base_url="https://cw.example.org", now=START)
        report = run_alerts(store, cfg.alerts, sender, base_url="https://cw.example.org", now=NOW)
    finally:
        store.close()
    assert report.sent == 1 and sender.posted and report.retrying == 1
    assert report.errors == ("gaps email: internal error (KeyError), logged",)
    assert "unexpected error" in caplog.text and "KeyError" in caplog.text
    assert sorted(row[1:3] for row in deliveries(db)) == [("email", "pending"), ("webhook", "sent")]


def test_an_article_updated_in_place_with_safety_numbers_alerts_once(db: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    cfg = config(db, [{"name": "axi-safety", "kind": "safety", "therapy": "axi-cel",
                       "webhook": httpserver.url_for("/hook")}])
    alerts_job(cfg, now=START)
    assert alerts_job(cfg, now=NOW).sent == 2  # STAT and Fox already report safety numbers
    conn = sqlite3.connect(db)
    with conn:  # the Lancet page is re-crawled and now reports CRS
        conn.execute("UPDATE articles SET reports_safety = 1, updated_at = '2026-11-24T13:00:00Z' "
                     "WHERE outlet_domain = 'thelancet.com'")
        conn.execute("UPDATE articles SET updated_at = '2026-11-24T13:00:00Z' WHERE outlet_domain = 'statnews.com'")
    conn.close()
    later = alerts_job(cfg, now=NOW + timedelta(hours=2))
    assert (later.queued, later.sent) == (1, 1)  # the Lancet once; STAT's update was told already
    assert "thelancet.com" in json.loads(httpserver.log[-1][0].get_data())["subject"]


def test_an_unverifiable_certificate_is_refused_and_no_credential_is_sent(
        db: Path, certificate: tuple[Path, Path], smtp_env: None) -> None:
    with smtp_server(*certificate) as server:
        untrusted = smtp_config(server) | {"ca_file": ""}  # the system CAs do not know our test CA
        cfg = config(db, [{"name": "gaps", "kind": "discrepancy", "email": ["me@example.org"]}], smtp=untrusted)
        alerts_job(cfg, now=START)
        report = alerts_job(cfg, now=NOW)
    assert report.sent == 0 and report.retrying == 1
    assert "CERTIFICATE_VERIFY_FAILED" in report.errors[0] or "certificate verify failed" in report.errors[0]
    assert server.inbox.logins == [] and server.inbox.messages == []
