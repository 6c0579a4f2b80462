"""The digest: pure rendering, /digest in three formats, the Atom feed of stories, and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import feedparser
import pytest
import typer
from typer.testing import CliRunner

from analysis.digest import figure, group_claims, md, render_markdown, render_text
from analysis.model.results import Digest, DigestClaim, DigestStory
from cartwatch.commands.digest import register, render_digest
from cartwatch.config import parse_config
from tests.seed import NOW, XSS_TITLE, seed, seeded_client


def claim(**overrides: Any) -> DigestClaim:
    base = dict(id=1, therapy="ciltacabtagene autoleucel", trial="CARTITUDE-1", metric="ORR", value=97.9,
                unit="%", not_reached=False, timepoint_months=None, followup_months=27.7,
                evidence="peer_reviewed", outlet_domain="nejm.org", published_at="2026-11-14T12:00:00Z",
                sentence="The ORR was 97.9%.", article_title="Paper", article_url="https://nejm.org/x")
    return DigestClaim(**(base | overrides))  # type: ignore[arg-type]


def test_figures_state_value_timepoint_and_data_cut() -> None:
    assert figure(claim()) == "Overall response rate 97.9% (follow-up 27.7 mo)"
    assert figure(claim(metric="PFS_RATE", value=75.9, timepoint_months=12.0, followup_months=None)) == \
        "12-month Progression-free survival 75.9%"
    assert figure(claim(metric="PFS_MEDIAN", value=None, not_reached=True, unit="months")) == \
        "Median progression-free survival not reached (follow-up 27.7 mo)"
    assert figure(claim(metric="N_PATIENTS", value=97.0, unit="patients", followup_months=None)) == "Patients treated 97 patients"


def test_markdown_escapes_article_text() -> None:
    assert md("<script>alert(1)</script> **x** [a](b)") == r"\<script\>alert\(1\)\</script\> \*\*x\*\* \[a\]\(b\)"
    story = DigestStory(id=4, title=XSS_TITLE, created_at="t", last_seen_at="t", therapies=(), article_count=2,
                        outlet_count=2, lean={"Center": 1, "unrated": 1}, blindspot="left", url="http://h/story/4")
    out = render_markdown(Digest("a", "b", (story,), group_claims([claim(sentence="<img src=x onerror=alert(1)>")])))
    assert re.findall(r"(?<!\\)<(?!https?://)", out) == []  # every other "<" is escaped
    assert r"\<script\>alert\(1\)\</script\>" in out and "**blindspot: left**" in out
    assert "lean: Center 1 · unrated 1" in out


def test_text_digest_groups_claims_by_therapy() -> None:
    claims = [claim(therapy="b-cel", id=2), claim(therapy="a-cel", id=3), claim(therapy="b-cel", id=4)]
    digest = Digest("2026-11-23T12:00:00Z", "2026-11-24T12:00:00Z", (), group_claims(claims))
    assert [(g.therapy, [c.id for c in g.claims]) for g in digest.therapies] == [("a-cel", [3]), ("b-cel", [2, 4])]
    text = render_text(digest)
    assert text.index("a-cel:") < text.index("b-cel:") and "New stories (0)" in text and "New claims (3)" in text


@pytest.fixture
def client(tmp_path: Path) -> Any:
    return seeded_client(tmp_path)


def test_digest_endpoint_in_json_markdown_and_text(client: Any) -> None:
    body = client.get("/digest").json()
    assert (body["since"], body["until"]) == ("2026-11-23T12:00:00Z", "2026-11-24T12:00:01Z")  # until: end of the current second
    assert [s["title"] for s in body["stories"]] == [XSS_TITLE]
    assert body["stories"][0]["lean"] == {"Left": 0, "Lean Left": 1, "Center": 1, "Lean Right": 0, "Right": 1,
                                          "unrated": 2}
    [group] = body["therapies"]
    assert group["therapy"] == "ciltacabtagene autoleucel" and len(group["claims"]) == 5
    week = client.get("/digest", params={"since": "7d"}).json()
    assert len(week["stories"]) == 3 and len(week["therapies"]) == 3
    markdown = client.get("/digest", params={"format": "markdown"})
    assert markdown.headers["content-type"].startswith("text/markdown") and "<script>" not in markdown.text
    text = client.get("/digest", params={"format": "text"})
    assert text.headers["content-type"].startswith("text/plain") and XSS_TITLE in text.text
    assert client.get("/digest", params={"format": "pdf"}).status_code == 422


def test_stories_feed_is_valid_atom_with_escaped_titles(client: Any) -> None:
    response = client.get("/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert b"<script>" not in response.content
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "cartwatch: new CAR-T stories" and feed.feed.updated == "2026-11-24T06:00:00Z"
    assert [e.title for e in feed.entries][0] == XSS_TITLE
    assert len(feed.entries) == 3  # created in the last 7 days
    assert feed.entries[0].id == "tag:cartwatch,2026:story/4"
    assert feed.entries[0].link == "http://testserver/story/4"
    assert "5 articles from 5 outlets" in feed.entries[0].summary


def test_cli_digest_in_every_format(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    seed(db)
    text = render_digest(str(db), since="24h", now=NOW)
    assert "New stories (1)" in text and XSS_TITLE in text
    as_json = json.loads(render_digest(str(db), since="7d", fmt="json", now=NOW))
    assert len(as_json["stories"]) == 3
    assert "# cartwatch digest" in render_digest(str(db), fmt="markdown", now=NOW)
    with pytest.raises(ValueError):
        render_digest(str(db), since="yesterday", now=NOW)


def test_cli_command_registration(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    seed(db)
    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app, lambda: parse_config({"database": {"path": str(db)}}))
    runner = CliRunner()
    result = runner.invoke(app, ["digest", "--since", "9999d", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "## New stories (4)" in result.output
    bad = runner.invoke(app, ["digest", "--since", "soon"])
    assert bad.exit_code == 2
