"""config.toml is validated on load: every problem names its key, and the CLI exits with 2."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cartwatch.cli import app
from analysis.outlets import OVERRIDABLE_FIELDS
from cartwatch.config import COMMON_SOURCE_KEYS, ConfigError, load_config, parse_config
from crawler.config import CrawlerConfig
from crawler.sources import SOURCE_KINDS
from service.db import StoreConfig
from api.config import ApiConfig
from service.alerts_config import AlertsConfig, DigestConfig, SmtpConfig, WatchSpec

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
    for section in (AlertsConfig, SmtpConfig, DigestConfig, WatchSpec):
        keys |= set(section.model_fields)
    missing = sorted(keys - documented)
    assert not missing, f"config keys missing from README: {missing}"


def test_every_source_option_and_outlet_field_is_documented_in_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", readme))
    keys = {key for kind in SOURCE_KINDS.values() for key in kind.Options.model_fields}
    keys |= set(OVERRIDABLE_FIELDS) | set(COMMON_SOURCE_KEYS)
    missing = sorted(keys - documented)
    assert not missing, f"source options or outlet fields missing from README: {missing}"


def test_every_source_option_used_in_config_toml_is_commented_there() -> None:
    """Each key set in a [[sources]] table of config.toml appears in a comment of the file."""
    text = (REPO / "config.toml").read_text(encoding="utf-8")
    comments = " ".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    used = {key for source in tomllib.loads(text)["sources"] for key in source}
    undocumented = sorted(k for k in used - set(COMMON_SOURCE_KEYS)
                          if not re.search(rf"\b{k}\b", comments))
    assert not undocumented, f"config.toml keys without a comment: {undocumented}"


def test_default_config_reaches_spanish_language_coverage() -> None:
    config = load_config(REPO / "config.toml")
    by_kind: dict[str, list[dict[str, object]]] = {}
    for source in config.sources:
        by_kind.setdefault(source.kind, []).append(dict(source.options))
    assert all("sourcelang:english" not in str(o["query"]) for o in by_kind["gdelt"])
    assert any("sourcelang:spanish" in str(o["query"]) for o in by_kind["gdelt"])
    assert ("es-419", "US", "US:es-419") in {(o["hl"], o["gl"], o["ceid"]) for o in by_kind["google_news"]}
    assert "es-US" in {o["market"] for o in by_kind["bing_news"]}
    # Search sources whose query is about CAR-T have no title prefilter.
    assert all(o["prefilter"] is False for kind in ("gdelt", "bing_news", "google_news") for o in by_kind[kind])


def test_every_alerts_key_is_in_config_toml() -> None:
    text = (REPO / "config.toml").read_text(encoding="utf-8")
    keys = set(AlertsConfig.model_fields) | set(SmtpConfig.model_fields) | set(DigestConfig.model_fields)
    keys |= set(WatchSpec.model_fields)
    missing = sorted(k for k in keys if not re.search(rf"\b{k}\b", text))
    assert not missing, f"alerts keys missing from config.toml: {missing}"


@pytest.mark.parametrize(("alerts", "message"), [
    ({"watches": [{"name": "a", "therapy": "aspirin", "webhook": "https://h.example.org"}]},
     "alerts.watches.0.therapy: no product named 'aspirin'"),
    ({"watches": [{"name": "a", "metric": "bogus", "webhook": "https://h.example.org"}]},
     "alerts.watches.0.metric: unknown metric 'bogus'"),
    ({"watches": [{"name": "a", "email": ["me@example.org"]}]},
     "alerts: watch a would send e-mail, but [alerts.smtp] has no host"),
    ({"watches": [{"name": "a", "webhook": "https://h.example.org"}, {"name": "a", "webhook": "https://h.example.org"}]},
     "alerts: duplicate watch name(s) a"),
    ({"smtp": {"host": "mail.example.org", "password_env": "P"}},
     "alerts.smtp: set both username_env and password_env, or neither"),
    ({"smtp": {"host": "mail.example.org", "username_env": "my secret", "password_env": "P"}},
     "alerts.smtp.username_env: the NAME of an environment variable"),
    ({"digest": {"enabled": True, "email": ["a@example.org"], "schedule": "0 25 * * *"}, "smtp": {"host": "m.example.org"}},
     "alerts.digest.schedule: bad cron expression"),
    ({"digest": {"enabled": True}, "smtp": {"host": "m.example.org"}}, "digest.enabled needs digest.email addresses"),
])
def test_alerts_config_problems_name_the_key(alerts: dict, message: str) -> None:
    assert message in _error({"alerts": alerts})


def test_public_url_is_the_base_of_links_and_0000_is_never_one() -> None:
    assert parse_config({"api": {"host": "0.0.0.0", "port": 8080}}).api.base_url() == "http://127.0.0.1:8080"
    assert parse_config({"api": {"public_url": "https://cw.example.org/"}}).api.base_url() == "https://cw.example.org"
    assert "api.public_url: must be an absolute http" in _error({"api": {"public_url": "cw.example.org"}})
