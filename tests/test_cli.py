"""The command line: crawl summary, claims extract/rebuild, sources import, scheduling jobs."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from cartwatch.cli import app
from cartwatch.schedule import ScheduledSource, build_scheduler
from store.migrations import migrations
from tests.conftest import serve_fixture

runner = CliRunner()
TEXT = ("In CARTITUDE-1, ciltacabtagene autoleucel produced an overall response rate of 97.9% "
        "in 97 patients. The median duration of response was 21.8 months.")


def write_config(tmp_path: Path, sources: list[dict]) -> Path:
    path = tmp_path / "config.toml"
    lines = [f'[database]\npath = "{tmp_path / "cli.db"}"\n',
             "[crawler]\nallow_private_networks = [\"127.0.0.1\"]\nper_host_delay_seconds = 0\nretries = 0\n"]
    for s in sources:
        lines.append("[[sources]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in s.items()))
    path.write_text("\n".join(lines))
    return path


@pytest.fixture
def site(httpserver: HTTPServer, base_url: str) -> str:
    serve_fixture(httpserver, "/feed.rss", "feeds/trade_press.rss", base_url, content_type="application/rss+xml")
    serve_fixture(httpserver, "/news/cilta-cel-five-years", "pages/cilta_cel_five_years.html", base_url)
    serve_fixture(httpserver, "/news/axi-cel-real-world", "pages/axi_cel_real_world.html", base_url)
    return base_url


def test_crawl_once_prints_summary_table_and_logs(site: str, tmp_path: Path) -> None:
    config = write_config(tmp_path, [{"name": "trade", "kind": "rss", "url": f"{site}/feed.rss"}])
    result = runner.invoke(app, ["--config", str(config), "crawl", "--once"])
    assert result.exit_code == 0, result.output
    assert "crawl summary" in result.output
    row = next(line for line in result.output.splitlines() if "trade" in line and "ok" in line)
    assert row.split("│")[3:7] == [" 2 ", " 2 ", " 0 ", " 0 "] or "2" in row
    stats = runner.invoke(app, ["--config", str(config), "db", "stats"])
    assert "articles" in stats.output and f"schema version {len(migrations._migrations)}" in stats.output


def test_crawl_needs_once_and_a_known_source(tmp_path: Path) -> None:
    config = write_config(tmp_path, [{"name": "trade", "kind": "rss", "url": "https://example.org/feed"}])
    assert runner.invoke(app, ["--config", str(config), "crawl"]).exit_code == 2
    result = runner.invoke(app, ["--config", str(config), "crawl", "--once", "--source", "nope"])
    assert result.exit_code == 2 and "no source named 'nope'" in result.output


def test_failed_source_gives_exit_code_1(httpserver: HTTPServer, base_url: str, tmp_path: Path) -> None:
    httpserver.expect_request("/feed.rss").respond_with_data("<rss><channel><item><title>CAR-T", content_type="application/rss+xml")
    config = write_config(tmp_path, [{"name": "broken", "kind": "rss", "url": f"{base_url}/feed.rss"}])
    result = runner.invoke(app, ["--config", str(config), "crawl", "--once"])
    assert result.exit_code == 1 and "malformed feed" in result.output


def test_claims_extract_json_array_from_file_and_stdin(tmp_path: Path) -> None:
    text_file = tmp_path / "abstract.txt"
    text_file.write_text(TEXT)
    for args, stdin in ((["claims", "extract", str(text_file)], None), (["claims", "extract", "-"], TEXT)):
        result = runner.invoke(app, args, input=stdin)
        assert result.exit_code == 0, result.output
        claims = json.loads(result.output)
        orr = next(c for c in claims if c["metric"] == "ORR")
        assert orr["therapy"] == "ciltacabtagene autoleucel" and orr["value"] == 97.9 and orr["trial"] == "CARTITUDE-1"
        assert TEXT[orr["start"]:orr["end"]] == orr["sentence"]
        assert set(orr) >= {"therapy", "trial", "metric", "value", "unit", "not_reached", "timepoint_months",
                            "ci_low", "ci_high", "denominator", "sentence", "start", "end", "confidence"}


def test_claims_extract_jsonl_one_line_per_input_and_bad_lines_named(tmp_path: Path) -> None:
    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n" + "not json\n" + json.dumps({"id": 7, "text": "No numbers."}) + "\n")
    result = runner.invoke(app, ["claims", "extract", "--jsonl", str(lines)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [o["id"] for o in out] == ["a", 7]
    assert any(c["metric"] == "DOR_MEDIAN" and c["value"] == 21.8 for c in out[0]["claims"]) and out[1]["claims"] == []
    assert "in.jsonl:2" in result.stderr


def test_claims_rebuild_reextracts_stored_articles(site: str, tmp_path: Path) -> None:
    config = write_config(tmp_path, [{"name": "trade", "kind": "rss", "url": f"{site}/feed.rss"}])
    runner.invoke(app, ["--config", str(config), "crawl", "--once"])
    conn = sqlite3.connect(tmp_path / "cli.db")
    before = conn.execute("SELECT metric, value FROM claims ORDER BY metric, value").fetchall()
    conn.execute("DELETE FROM claims")
    conn.commit()
    result = runner.invoke(app, ["--config", str(config), "claims", "rebuild"])
    assert result.exit_code == 0 and "from 2 articles" in result.output
    assert conn.execute("SELECT metric, value FROM claims ORDER BY metric, value").fetchall() == before
    assert before  # the fixture pages do carry claims


def test_sources_import_keeps_rater_and_origin(tmp_path: Path) -> None:
    config = write_config(tmp_path, [])
    fixture = Path(__file__).parent / "fixtures" / "ratings" / "allsides_snapshot.csv"
    result = runner.invoke(app, ["--config", str(config), "sources", "import", str(fixture), "--rater", "allsides",
                                 "--rated-at", "2023-11-15"])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(tmp_path / "cli.db")
    row = conn.execute("SELECT rater, value, rated_at, origin FROM ratings WHERE domain = 'harborledger.example'").fetchone()
    assert row == ("allsides", "Left", "2023-11-15", "allsides_snapshot.csv")
    assert conn.execute("SELECT count(*) FROM outlets").fetchone()[0] >= 150


def test_sources_import_rejects_wrong_format(tmp_path: Path) -> None:
    config = write_config(tmp_path, [])
    fixture = Path(__file__).parent / "fixtures" / "ratings" / "mbfc_truncated.json"
    result = runner.invoke(app, ["--config", str(config), "sources", "import", str(fixture), "--rater", "mbfc"])
    assert result.exit_code == 2 and "not a mbfc ratings file" in result.output


def test_scheduler_has_one_job_per_source_never_overlapping() -> None:
    calls: list[str] = []
    now = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    scheduler = build_scheduler([ScheduledSource("a", "every 30m", lambda: calls.append("a")),
                                 ScheduledSource("b", "0 6 * * *", lambda: calls.append("b"))], now=now)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"a", "b"}
    assert all(job.max_instances == 1 and job.coalesce for job in jobs.values())
    assert jobs["b"].trigger.get_next_fire_time(None, now) == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    jobs["a"].func()
    assert calls == ["a"]


def test_sources_unrated_lists_outlets_without_ratings_with_counts(site: str, tmp_path: Path) -> None:
    config = write_config(tmp_path, [{"name": "trade", "kind": "rss", "url": f"{site}/feed.rss"}])
    runner.invoke(app, ["--config", str(config), "crawl", "--once"])
    result = runner.invoke(app, ["--config", str(config), "sources", "unrated"])
    assert result.exit_code == 0, result.output
    assert "1 unrated outlet(s)" in result.output
    row = next(line for line in result.output.splitlines() if "localhost" in line)
    assert row.rstrip(" │").endswith("2") and "no" in row


def test_digest_and_bias_compare_commands_run(site: str, tmp_path: Path) -> None:
    config = write_config(tmp_path, [{"name": "trade", "kind": "rss", "url": f"{site}/feed.rss"}])
    runner.invoke(app, ["--config", str(config), "crawl", "--once"])
    digest = runner.invoke(app, ["--config", str(config), "digest", "--since", "3650d", "--format", "json"])
    assert digest.exit_code == 0, digest.output
    assert len(json.loads(digest.output)["stories"]) == 2
    compare = runner.invoke(app, ["--config", str(config), "bias", "compare", "--by", "source_type"])
    assert compare.exit_code == 0 and "coverage by source_type" in compare.output.replace("source type", "source_type")
    bad = runner.invoke(app, ["--config", str(config), "digest", "--since", "yesterday-ish"])
    assert bad.exit_code == 2 and "--since" in bad.output


def test_config_outlet_override_wins_and_says_so(tmp_path: Path) -> None:
    config = write_config(tmp_path, [])
    config.write_text(config.read_text() + '\n[outlets."statnews.com"]\nowner = "My own note on the owner"\n'
                      '\n[outlets."myhospital.org"]\nname = "My Hospital Newsroom"\nsource_type = "academic/hospital news office"\n')
    fixture = Path(__file__).parent / "fixtures" / "ratings" / "generic.csv"
    assert runner.invoke(app, ["--config", str(config), "sources", "import", str(fixture), "--rater", "csv"]).exit_code == 0
    conn = sqlite3.connect(tmp_path / "cli.db")
    assert conn.execute("SELECT name, owner, provenance FROM outlets WHERE domain = 'statnews.com'").fetchone() == (
        "STAT", "My own note on the owner", "config")
    assert conn.execute("SELECT name, provenance FROM outlets WHERE domain = 'myhospital.org'").fetchone() == (
        "My Hospital Newsroom", "config")
    assert conn.execute("SELECT provenance FROM outlets WHERE domain = 'nytimes.com'").fetchone() == ("cartwatch",)


def test_config_outlet_override_with_unknown_field_is_a_config_error(tmp_path: Path) -> None:
    config = write_config(tmp_path, [])
    config.write_text(config.read_text() + '\n[outlets."statnews.com"]\nleaning = "Left"\n')
    result = runner.invoke(app, ["--config", str(config), "db", "stats"])
    assert result.exit_code == 2 and "outlets" in result.output and "leaning" in result.output
