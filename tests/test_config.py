"""config.toml is validated on load: every problem names its key, and the CLI exits with 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cartwatch.cli import app
from cartwatch.config import ConfigError, load_config, parse_config
from crawler.config import CrawlerConfig
from store.config import StoreConfig
from api.config import ApiConfig

REPO = Path(__file__).parent.parent


def test_repository_config_loads_with_real_sources() -> None:
    config = load_config(REPO / "config.toml")
    assert config.crawler.allow_private_networks == ()
    assert config.crawler.obey_robots is True
    assert {s.kind for s in config.sources} >= {"rss"}
    assert all(s.url.startswith("https://") for s in config.sources)


def _error(raw: dict) -> str:
    with pytest.raises(ConfigError) as info:
        parse_config(raw, origin="config.toml")
    return str(info.value)


def test_unknown_key_is_named() -> None:
    assert "crawler.timout_seconds: unknown key" in _error({"crawler": {"timout_seconds": 3}})


def test_unknown_section_is_named() -> None:
    assert "databse: unknown key" in _error({"databse": {"path": "x.db"}})


def test_wrong_type_is_named_with_value() -> None:
    message = _error({"crawler": {"concurrency": "many"}})
    assert "crawler.concurrency" in message and "'many'" in message


def test_bad_schedule_is_named() -> None:
    message = _error({"sources": [{"name": "a", "kind": "rss", "url": "https://x.org/f", "schedule": "every banana"}]})
    assert message.startswith("config.toml: sources[0].schedule: bad schedule 'every banana'")


def test_bad_cron_is_named() -> None:
    message = _error({"sources": [{"name": "a", "kind": "rss", "url": "https://x.org/f", "schedule": "0 25 * * *"}]})
    assert "sources[0].schedule: bad cron expression" in message


def test_bad_url_is_named() -> None:
    message = _error({"sources": [{"name": "a", "kind": "rss", "url": "ftp://x.org/f"}]})
    assert "sources[0].url" in message and "http" in message


def test_unknown_source_kind_and_option_are_named() -> None:
    assert "sources[0].kind: unknown source kind 'gopher'" in _error(
        {"sources": [{"name": "a", "kind": "gopher", "url": "https://x.org"}]})
    assert "sources[0].prefiltr: unknown key" in _error(
        {"sources": [{"name": "a", "kind": "rss", "url": "https://x.org", "prefiltr": False}]})


def test_duplicate_source_names_rejected() -> None:
    source = {"name": "a", "kind": "rss", "url": "https://x.org/f"}
    assert "duplicate name(s) a" in _error({"sources": [source, source]})


def test_user_agent_needs_contact() -> None:
    assert "crawler.user_agent" in _error({"crawler": {"user_agent": "cartwatch"}})


def test_cli_exits_2_with_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[crawler]\nmax_body_bytes = "big"\n')
    result = CliRunner().invoke(app, ["--config", str(bad), "db", "stats"])
    assert result.exit_code == 2
    assert "crawler.max_body_bytes" in result.output


def test_cli_reports_invalid_toml(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[crawler\n")
    result = CliRunner().invoke(app, ["--config", str(bad), "db", "stats"])
    assert result.exit_code == 2 and "not valid TOML" in result.output


def test_config_env_var_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "c.toml"
    good.write_text(f'[database]\npath = "{tmp_path / "x.db"}"\n')
    monkeypatch.setenv("CARTWATCH_CONFIG", str(good))
    result = CliRunner().invoke(app, ["db", "stats"])
    assert result.exit_code == 0, result.output
    assert "schema version" in result.output


def test_every_config_key_is_documented_in_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", readme))
    keys = set(StoreConfig.model_fields) | set(CrawlerConfig.model_fields) | set(ApiConfig.model_fields)
    missing = sorted(keys - documented)
    assert not missing, f"config keys missing from README: {missing}"
