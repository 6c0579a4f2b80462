"""Shared fixtures: a loopback HTTP server serving our fixture files, and configs pointing at it.

Nothing here reaches the internet: pytest-socket (see pyproject addopts) only allows 127.0.0.1,
and every config the tests build sets ``allow_private_networks = ["127.0.0.1"]`` to reach it.
"""

from __future__ import annotations

import importlib.util
import sqlite3
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from cartwatch.config import AppConfig, parse_config

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


def fixture_text(relative: str, base: str = "") -> str:
    return (FIXTURES / relative).read_text(encoding="utf-8").replace("{base}", base)


def fixture_bytes(relative: str, base: str = "") -> bytes:
    return fixture_text(relative, base).encode("utf-8")


@pytest.fixture
def base_url(httpserver: HTTPServer) -> str:
    """The loopback server's origin, with a permissive robots.txt already served."""
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n", content_type="text/plain")
    return httpserver.url_for("").rstrip("/")


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., AppConfig]:
    def build(sources: list[dict[str, Any]] | None = None, **crawler: Any) -> AppConfig:
        raw = {
            "database": {"path": str(tmp_path / "cartwatch.db")},
            "crawler": {"allow_private_networks": ["127.0.0.1"], "per_host_delay_seconds": 0, "retries": 1,
                        "backoff_seconds": 0, "timeout_seconds": 5, "concurrency": 2, **crawler},
            "sources": sources or [],
        }
        return parse_config(raw, origin="test-config")
    return build


def serve_fixture(httpserver: HTTPServer, path: str, relative: str, base: str,
                  content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
    httpserver.expect_request(path).respond_with_data(
        fixture_bytes(relative, base), content_type=content_type, headers=headers or None)


def rows(config: AppConfig, sql: str) -> list[tuple[Any, ...]]:
    """All rows of one query on the config's database (a fresh connection, closed after)."""
    conn = sqlite3.connect(config.database.path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def load_bench(name: str) -> ModuleType:
    """A bench/ script as a module, so a quality gate scores with exactly the code that prints the figures."""
    path = Path(__file__).resolve().parent.parent / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
