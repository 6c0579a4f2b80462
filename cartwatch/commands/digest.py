"""``cartwatch digest --since 24h [--format text|markdown|json]``: what is new, in the terminal.

``render_digest(db_path, ...)`` does the work over a read-only connection (the API's ``/digest``
builds the same digest); ``register(app, config)`` adds the command to the CLI.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated

import typer

from cartwatch.config import AppConfig
from service.db import open_reader
from service.digest import build_digest, digest_text
from service.windows import ordered_window, to_instant


class DigestFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def render_digest(db_path: str, *, since: str = "24h", until: str | None = None, fmt: str = "text",
                  base_url: str = "http://127.0.0.1:8000", now: datetime | None = None) -> str:
    """The digest of ``[since, until)`` as text, Markdown or JSON; a bad time is a ``ValueError``."""
    now = now or datetime.now(UTC).replace(microsecond=0)
    # Without --until the window ends after the current second, so what was stored now is in it.
    begin = to_instant(since, now=now)
    end = to_instant(until, now=now) if until else to_instant("0h", now=now + timedelta(seconds=1))
    ordered_window(begin, end)
    conn = open_reader(db_path)
    try:
        found = build_digest(conn, since=begin, until=end, base_url=base_url)
    finally:
        conn.close()
    if fmt == "json":
        return json.dumps(dataclasses.asdict(found), indent=2, ensure_ascii=False) + "\n"
    return digest_text(found, "markdown" if fmt == "markdown" else "text")


def register(app: typer.Typer, config: Callable[[], AppConfig]) -> None:
    """Add ``digest`` to ``app``; ``config`` returns the loaded configuration."""

    @app.command("digest")
    def digest(
        since: Annotated[str, typer.Option(help="start: 24h, 7d, 2w, 2026-11-01 or 2026-11-01T06:00:00Z")] = "24h",
        until: Annotated[str | None, typer.Option(help="end (exclusive), same forms; default now")] = None,
        fmt: Annotated[DigestFormat, typer.Option("--format", help="output format")] = DigestFormat.text,
    ) -> None:
        """New stories with their coverage, and new claims by therapy."""
        cfg = config()
        try:
            out = render_digest(cfg.database.path, since=since, until=until, fmt=fmt.value,
                                base_url=cfg.api.base_url())
        except ValueError as exc:
            typer.echo(f"error: --since/--until: {exc}", err=True)
            raise typer.Exit(2) from None
        sys.stdout.write(out)
