"""Lean onboarding: an install without ratings says what to do on the page itself, the wide CSV
layout imports, bad dates are refused; lean bars have a legend, widths equal to their
percentages, and labels that meet WCAG AA contrast."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cartwatch.cli import app
from tests.seed import seeded_client

CSS = (Path(__file__).parent.parent / "api" / "static" / "cartwatch.css").read_text(encoding="utf-8")


@pytest.fixture
def unrated(tmp_path: Path) -> Any:
    client = seeded_client(tmp_path)
    conn = sqlite3.connect(client.app.state.db_path)
    with conn:
        conn.execute("DELETE FROM ratings")
    conn.close()
    return client


def test_an_unrated_install_explains_the_import_on_today_and_story(unrated: Any) -> None:
    for path in ("/", "/story/1", "/outlets"):
        html = unrated.get(path).text
        assert "No lean or factuality ratings are imported yet" in html, path
        assert "cartwatch sources import ratings.csv --rater csv --rated-at 2026-11-30" in html
        assert '<a href="/static/ratings-template.csv" download>Download a CSV template</a>' in html
        assert 'href="https://creativecommons.org/licenses/by-nc/4.0/"' in html  # the raters' terms, in short
    story = unrated.get("/story/1").text
    assert "6 outlets, none rated" in story
    assert '<a href="/outlets#import">how to import lean ratings</a>' in story
    template = unrated.get("/static/ratings-template.csv")
    assert template.status_code == 200 and template.text.startswith("domain,lean,factuality,rater,rated_at\n")


def test_a_rated_install_keeps_the_help_on_the_sources_page_only(tmp_path: Path) -> None:
    client = seeded_client(tmp_path)
    assert "No lean or factuality ratings are imported yet" not in client.get("/").text
    outlets = client.get("/outlets").text
    assert 'id="import"' in outlets and "No lean or factuality ratings" not in outlets


def test_bar_widths_are_the_percentages_and_the_legend_counts_unrated(tmp_path: Path) -> None:
    html = seeded_client(tmp_path).get("/story/1").text
    bar = re.search(r'<svg class="leanbar".*?</svg>', html, re.S).group(0)
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="0" width="([\d.]+)"', bar)]
    shares = [float(p) for p in re.findall(r"\((\d+(?:\.\d+)?)% of rated\)</title>", bar)]
    assert len(widths) == len(shares) >= 2
    assert [round(w / 6, 1) for w in widths] == pytest.approx(shares, abs=0.1)  # 600 px = 100%
    assert round(sum(widths)) == 600
    legend = re.search(r'<p class="legend">(.*?)</p>', html, re.S).group(1)
    assert "Center 2 (66.7%) Right 1 (33.3%)" in re.sub(r"<[^>]+>", "", legend)
    assert "unrated 3 (not in the shares)" in re.sub(r"<[^>]+>", "", legend)


def _hex(name: str) -> str:
    return re.search(rf"--{name}: (#[0-9a-f]{{6}})", CSS).group(1)


def _luminance(colour: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("segment", ["left", "lean-left", "center", "lean-right", "right", "unrated"])
def test_bar_labels_meet_wcag_aa_contrast(segment: str) -> None:
    dark = re.search(r"\.seg\.unrated text \{ fill: (#[0-9a-f]{6}); \}|, \.seg\.unrated text \{ fill: (#[0-9a-f]{6})", CSS)
    on_dark_fill = {"left", "right"}
    text = "#ffffff" if segment in on_dark_fill else next(g for g in dark.groups() if g)
    assert contrast(_hex(segment), text) >= 4.5, (segment, _hex(segment), text)


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\npath = "{tmp_path / "r.db"}"\n', encoding="utf-8")
    return path


def test_rated_at_must_be_an_iso_date(tmp_path: Path) -> None:
    ratings = tmp_path / "r.csv"
    ratings.write_text("domain,lean\nexample.org,Center\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(_config(tmp_path)), "sources", "import", str(ratings),
                                      "--rater", "csv", "--rated-at", "yesterday"])
    assert result.exit_code == 2
    assert result.output.strip() == ("error: --rated-at: 'yesterday' is not an ISO date; use YYYY-MM-DD, "
                                     "e.g. 2026-11-30")


def test_the_wide_layout_imports_from_the_command_line(tmp_path: Path) -> None:
    ratings = tmp_path / "r.csv"
    ratings.write_text("domain,lean,factuality\nexample.org,Center,High\nother.example,Lean Right,\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(_config(tmp_path)), "sources", "import", str(ratings),
                                      "--rater", "csv", "--rated-at", "2026-11-30"])
    assert result.exit_code == 0, result.output
    assert "imported 3 csv ratings from r.csv (0 rows skipped)" in result.output
    conn = sqlite3.connect(tmp_path / "r.db")
    assert conn.execute("SELECT domain, dimension, value, rated_at FROM ratings ORDER BY domain, dimension").fetchall() == [
        ("example.org", "factuality", "High", "2026-11-30"), ("example.org", "lean", "Center", "2026-11-30"),
        ("other.example", "lean", "Lean Right", "2026-11-30")]


def test_an_empty_install_says_what_to_do_next(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    client = TestClient(create_app(tmp_path / "empty.db"))
    today = client.get("/").text
    assert "No stories yet: run a crawl (<code>cartwatch crawl --once</code>)." in today
    assert "No lean or factuality ratings are imported yet" in today
    assert "No stories" in client.get("/archive").text
    assert "No watches yet" in client.get("/status").text
