"""kill -9 inside ingest, then a re-run: the database equals that of an uninterrupted crawl.

A real ``cartwatch crawl --once`` subprocess crawls a loopback feed of six articles (two of them
one story). ``CARTWATCH_TEST_CRASH_AT=STEP:N`` makes it SIGKILL itself the N-th time it reaches a
named step inside the ingest transaction (``service.ingest._crash_point``): right after the
page's validators are written, after the article and claims, or just before the commit.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from cartwatch.config import load_config
from cartwatch.commands.crawl import crawl
from service.ingest import CRASH_ENV

REPO = Path(__file__).parent.parent
THERAPIES = [
    ("ciltacabtagene autoleucel", "multiple myeloma", "CARTITUDE-1"),
    ("axicabtagene ciloleucel", "large B-cell lymphoma", "ZUMA-1"),
    ("tisagenlecleucel", "acute lymphoblastic leukemia", "ELIANA"),
    ("lisocabtagene maraleucel", "large B-cell lymphoma", "TRANSCEND"),
    ("idecabtagene vicleucel", "multiple myeloma", "KarMMa"),
]


def page_text(i: int) -> list[str]:
    therapy, disease, trial = THERAPIES[min(i, 4)]
    rate = 60 + i  # pages 0 and 1 tell the same event in nearly the same words: one story
    return [
        f"Patients with relapsed {disease} treated with {therapy} in the {trial} trial had durable "
        f"responses, investigators reported at the annual meeting of the society in December this year.",
        f"The overall response rate was {rate if i > 1 else 61}% and the complete response rate was "
        f"{rate - 20 if i > 1 else 41}% among 120 patients. Grade 3 or higher cytokine release syndrome "
        f"occurred in {i + 3}% of patients.",
        "The investigators said the results support the use of CAR T-cell therapy in older adults and "
        "in patients who would not have met the eligibility criteria of the original trial." + (" Shares rose." if i == 1 else ""),
    ]


def serve_site(httpserver: HTTPServer) -> str:
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    items = []
    for i in range(6):
        title = f"CAR T-cell therapy report {i}" if i != 1 else "CAR T-cell therapy report 0"
        paragraphs = "".join(f"<p>{p}</p>" for p in page_text(i))
        html = (f"<html><head><title>{title}</title><link rel='canonical' href='{base}/news/{i}'></head>"
                f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>")
        # Validators are honoured (first matching handler wins), as a real server would: a page
        # remembered without its article would never be stored.
        httpserver.expect_request(f"/news/{i}", headers={"If-None-Match": f'"page-{i}"'}).respond_with_data(
            "", status=304)
        httpserver.expect_request(f"/news/{i}").respond_with_data(
            html, content_type="text/html; charset=utf-8", headers={"ETag": f'"page-{i}"'})
        items.append(f"<item><title>{title}</title><link>{base}/news/{i}</link>"
                     f"<pubDate>Mon, 16 Nov 2026 1{i}:00:00 GMT</pubDate><guid>g{i}</guid></item>")
    feed = f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>{''.join(items)}</channel></rss>"
    httpserver.expect_request("/feed.rss", headers={"If-None-Match": '"feed-v1"'}).respond_with_data("", status=304)
    httpserver.expect_request("/feed.rss").respond_with_data(
        feed, content_type="application/rss+xml", headers={"ETag": '"feed-v1"'})
    return base


def write_config(path: Path, db: Path, base: str) -> Path:
    path.write_text(
        f'[database]\npath = "{db}"\n\n[crawler]\nallow_private_networks = ["127.0.0.1"]\n'
        "per_host_delay_seconds = 0\nretries = 0\n\n"
        f'[[sources]]\nname = "trade"\nkind = "rss"\nurl = {json.dumps(base + "/feed.rss")}\nprefilter = false\n')
    return path


def crawl_once(config: Path, crash_at: str | None = None) -> int:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop(CRASH_ENV, None)
    if crash_at:
        env[CRASH_ENV] = crash_at
    done = subprocess.run([sys.executable, "-m", "cartwatch.cli", "--config", str(config), "crawl", "--once"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    return done.returncode


def snapshot(db: Path) -> dict[str, Any]:
    """What must survive: articles, claims and story grouping (ids and times left out)."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        articles = conn.execute("SELECT canonical_url, title, text, reports_efficacy, reports_safety "
                                "FROM articles ORDER BY canonical_url").fetchall()
        claims = conn.execute('SELECT a.canonical_url, c.metric, c.value, c.start, c."end" FROM claims c '
                              "JOIN articles a ON a.id = c.article_id ORDER BY 1, 4, 2").fetchall()
        stories = sorted(tuple(json.loads(urls)) + (count,) for urls, count in conn.execute(
            "SELECT (SELECT json_group_array(canonical_url) FROM (SELECT canonical_url FROM articles "
            "WHERE story_id = s.id ORDER BY canonical_url)), article_count FROM stories s"))
        orphans = conn.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0]
        cached = {url for (url,) in conn.execute("SELECT url FROM http_cache")}
        stored = {url for (url,) in conn.execute("SELECT canonical_url FROM articles")}
        # An article page is never remembered without its article (the bug: a crash in between
        # made every later crawl skip the page as unchanged).
        pages = {url for url in cached if "/news/" in url}
        assert pages <= stored, pages - stored
    finally:
        conn.close()
    return {"articles": articles, "claims": claims, "stories": stories, "orphans": orphans}


@pytest.fixture
def site(httpserver: HTTPServer) -> str:
    return serve_site(httpserver)


# Killed again and again, at every step of the ingest transaction, before a clean re-run. The six
# items are one batch (one transaction, one commit), so "commit:1" is just before that commit.
CRASHES = ["article:1", "claims:2", "story:1", "commit:1"]


def test_kill_9_inside_ingest_then_rerun_equals_an_uninterrupted_crawl(site: str, tmp_path: Path) -> None:
    crashes = CRASHES
    reference = tmp_path / "reference.db"
    # The uninterrupted crawl runs in this process (same code, no interpreter start-up to pay).
    [report] = crawl(load_config(write_config(tmp_path / "ref.toml", reference, site)))
    assert report.status == "ok"
    expected = snapshot(reference)
    assert len(expected["articles"]) == 6 and expected["orphans"] == 0
    assert len(expected["stories"]) == 5 and expected["claims"]

    crashed = tmp_path / "crashed.db"
    config = write_config(tmp_path / "crash.toml", crashed, site)
    for crash_at in crashes:
        assert crawl_once(config, crash_at) == -9  # really killed, at the named step
        partial = snapshot(crashed)  # integrity ok, no article page remembered without its article
        assert len(partial["articles"]) < 6
    assert crawl_once(config) == 0
    assert snapshot(crashed) == expected
    conn = sqlite3.connect(crashed)
    try:  # every killed run is shown as interrupted, not running forever
        statuses = [r[0] for r in conn.execute("SELECT status FROM crawl_runs ORDER BY id")]
    finally:
        conn.close()
    assert statuses == ["interrupted"] * len(crashes) + ["ok"]
