"""Rough edges of the CLI and API: reversed time windows are an error (422 / exit 2), metric codes
are matched without regard to case and unknown ones are a 422 naming the parameter, and links in
digests and feeds use ``api.public_url``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import feedparser
import pytest
from typer.testing import CliRunner

from api.config import ApiConfig
from cartwatch.cli import app
from tests.seed import seed, seeded_client


@pytest.fixture
def client(tmp_path: Path) -> Any:
    return seeded_client(tmp_path)


@pytest.mark.parametrize("path", ["/claims", "/articles", "/stories", "/bias/compare", "/digest"])
def test_a_reversed_window_is_a_422_naming_until(client: Any, path: str) -> None:
    response = client.get(path, params={"since": "7d", "until": "30d"})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error.startswith("query parameter 'until': the window ends (2026-10-25T12:00:00Z) before it starts "
                            "(2026-11-17T12:00:00Z)")


def test_an_empty_window_is_refused_too_but_a_forward_one_answers(client: Any) -> None:
    assert client.get("/claims", params={"since": "2026-11-01", "until": "2026-11-01"}).status_code == 422
    assert client.get("/claims", params={"since": "30d", "until": "7d"}).status_code == 200


@pytest.mark.parametrize("args", [["digest", "--since", "7d", "--until", "30d"],
                                  ["bias", "compare", "--since", "7d", "--until", "30d"]])
def test_a_reversed_window_on_the_command_line_exits_2_with_one_line(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "w.db"
    seed(db)
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\npath = "{db}"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(config), *args])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith("error: --since/--until: the window ends") and "swap since and until?" in line


@pytest.mark.parametrize("code", ["orr", "ORR", "Orr"])
def test_metric_codes_ignore_case(client: Any, code: str) -> None:
    body = client.get("/claims", params={"metric": code, "therapy": "cilta-cel", "trial": "CARTITUDE-1"}).json()
    assert sorted(c["value"] for c in body["items"]) == [89.0, 97.9, 97.9, 98.0, 98.0]


def test_an_unknown_metric_is_a_422_naming_the_parameter(client: Any) -> None:
    response = client.get("/claims", params={"metric": "BOGUS"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error.startswith("query parameter 'metric': unknown metric 'BOGUS'; one of ORR, CR, sCR")


def test_feed_and_digest_links_use_the_public_url(tmp_path: Path) -> None:
    client = seeded_client(tmp_path, config=ApiConfig(host="0.0.0.0", public_url="https://cw.example.org/"))
    feed = feedparser.parse(client.get("/feed.atom").content)
    assert feed.entries[0].link == "https://cw.example.org/story/4"
    digest = client.get("/digest", params={"format": "text"}).text
    assert "https://cw.example.org/story/4" in digest and "testserver" not in digest


def test_cli_digest_links_use_the_public_url_and_never_0000(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    seed(db)
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\npath = "{db}"\n[api]\nhost = "0.0.0.0"\n', encoding="utf-8")
    out = CliRunner().invoke(app, ["--config", str(config), "digest", "--since", "9999d"]).output
    assert "http://127.0.0.1:8000/story/" in out and "0.0.0.0" not in out
    config.write_text(f'[database]\npath = "{db}"\n[api]\npublic_url = "https://cw.example.org"\n', encoding="utf-8")
    out = CliRunner().invoke(app, ["--config", str(config), "digest", "--since", "9999d"]).output
    assert "https://cw.example.org/story/" in out
