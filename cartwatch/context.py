"""What every command shares: the consoles, the logger and the config of this invocation.

``cli.main`` sets the config path; a command calls ``config()`` to read it (once per command). A
config problem prints one line naming the key and exits with code 2.
"""

from __future__ import annotations

import logging
from pathlib import Path

import typer
from rich.console import Console

from cartwatch.config import AppConfig, ConfigError, load_config

console = Console()
err_console = Console(stderr=True)
logger = logging.getLogger("cartwatch")


class State:
    config_path: Path = Path("config.toml")
    loaded: AppConfig | None = None


def config() -> AppConfig:
    try:
        State.loaded = load_config(State.config_path)
        return State.loaded
    except ConfigError as exc:
        err_console.print(f"[bold red]config error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
