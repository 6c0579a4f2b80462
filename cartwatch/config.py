"""Read config.toml once and build each package's frozen section.

Every problem is reported as one line naming the key (``sources[2].schedule: …``); the CLI
prints it and exits with code 2. Unknown keys are errors, never silently ignored.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from api.config import ApiConfig
from cartwatch.schedule import parse_schedule
from crawler.config import CrawlerConfig, SourceConfig
from crawler.sources import SOURCE_KINDS
from crawler.sources.base import Source
from service.alerts_config import AlertsConfig
from service.db import StoreConfig
from service.outlets import outlet_registry

COMMON_SOURCE_KEYS = set(SourceConfig.model_fields) - {"options"}


class ConfigError(Exception):
    """A config problem, already phrased for the user."""


class AppConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    database: StoreConfig = Field(default_factory=StoreConfig)
    crawler: CrawlerConfig = Field(default_factory=CrawlerConfig)
    api: ApiConfig = Field(default_factory=ApiConfig)
    sources: tuple[SourceConfig, ...] = ()
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    # [outlets."example.com"] tables: user values for outlet facts (name, source_type, owner,
    # ownership_category, country, verified_at); they win over the shipped registry.
    outlets: dict[str, dict[str, str]] = Field(default_factory=dict)
    path: Path | None = None

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f"no source named {name!r} in the config (known: {known})")


def load_config(path: str | Path) -> AppConfig:
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a config file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(raw, origin=str(path), path=path)


def parse_config(raw: dict[str, Any], *, origin: str = "config", path: Path | None = None) -> AppConfig:
    raw = dict(raw)
    sources_raw = raw.pop("sources", [])
    if not isinstance(sources_raw, list):
        raise ConfigError(f"{origin}: sources: must be a list of [[sources]] tables")
    try:
        sources = tuple(_source(i, s) for i, s in enumerate(sources_raw))
        config = AppConfig.model_validate({**raw, "sources": sources, "path": path})
    except ValidationError as exc:
        raise ConfigError(f"{origin}: {_describe(exc)}") from None
    except _SourceProblem as exc:
        raise ConfigError(f"{origin}: {exc}") from None
    for key, schedule in (("alerts.schedule", config.alerts.schedule),
                          ("alerts.digest.schedule", config.alerts.digest.schedule)):
        try:
            parse_schedule(schedule)
        except ValueError as exc:
            raise ConfigError(f"{origin}: {key}: {exc}") from None
    names = [s.name for s in config.sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{origin}: sources: duplicate name(s) {', '.join(duplicates)}")
    try:
        outlet_registry(config.outlets)
    except ValueError as exc:
        raise ConfigError(f"{origin}: outlets: {exc}") from None
    token = os.environ.get("CARTWATCH_API_TOKEN")
    if token:
        config = config.model_copy(update={"api": config.api.model_copy(update={"token": token})})
    return config


class _SourceProblem(Exception):
    pass


def _source(index: int, raw: Any) -> SourceConfig:
    where = f"sources[{index}]"
    if not isinstance(raw, dict):
        raise _SourceProblem(f"{where}: must be a table")
    common = {k: v for k, v in raw.items() if k in COMMON_SOURCE_KEYS}
    options = {k: v for k, v in raw.items() if k not in COMMON_SOURCE_KEYS}
    kind = common.get("kind")
    if kind not in SOURCE_KINDS:
        raise _SourceProblem(f"{where}.kind: unknown source kind {kind!r} (known: {', '.join(sorted(SOURCE_KINDS))})")
    try:
        config = SourceConfig.model_validate({**common, "options": {}})
        validated = SOURCE_KINDS[kind].Options.model_validate(options)
    except ValidationError as exc:
        raise _SourceProblem(f"{where}.{_describe(exc)}") from None
    try:
        parse_schedule(config.schedule)
    except ValueError as exc:
        raise _SourceProblem(f"{where}.schedule: {exc}") from None
    return config.model_copy(update={"options": validated.model_dump()})


SECRET_KEYS = ("token", "secret", "password", "key")
RENAMED = {"allow_private_addresses": "replaced by allow_private_networks = [\"127.0.0.1\", …] "
                                      "(a list of the private networks or hosts to allow)"}


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        parts = [str(part) for part in error["loc"]]
        loc = ".".join(parts)
        message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"].removeprefix("Value error, ")
        message = RENAMED.get(parts[-1], message) if parts and error["type"] == "extra_forbidden" else message
        value = error.get("input")
        secret = any(word in part.lower() for part in parts for word in SECRET_KEYS)
        shown = "" if error["type"] == "extra_forbidden" or isinstance(value, dict) or secret else f" (got {value!r})"
        lines.append(f"{loc}: {message}{shown}")
    return "; ".join(lines)


def build_source(config: SourceConfig) -> Source:
    """Instantiate the source kind named by a validated ``SourceConfig``."""
    kind = SOURCE_KINDS[config.kind]
    return kind(config, kind.Options.model_validate(config.options))
