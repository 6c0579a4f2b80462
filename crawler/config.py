"""The crawler's own configuration sections: politeness, limits and the configured sources.

Frozen pydantic models with ``extra="forbid"``, so a misspelt key in config.toml is an error that
names the key instead of a setting silently ignored.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class Section(BaseModel):
    # strict: "8000" is not a port and "yes" is not a boolean; a wrong type is named, not coerced.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def check_http_url(value: str) -> str:
    """Only absolute http(s) URLs with a host may be configured."""
    match = re.match(r"^(https?)://([^/?#\s]+)", value)
    if not match or any(ch.isspace() for ch in value):
        raise ValueError(f"must be an absolute http:// or https:// URL, got {value!r}")
    return value


class CrawlerConfig(Section):
    user_agent: str = "cartwatch/0.1 (+https://github.com/cartwatch/cartwatch; cartwatch@example.org)"
    timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 20.0
    concurrency: Annotated[int, Field(ge=1, le=32)] = 4
    # Sources crawled at the same time (crawl --once, and scheduled jobs of `cartwatch run`).
    source_concurrency: Annotated[int, Field(ge=1, le=32)] = 4
    # Safety stop: at most this many new pages from one listing per source run (a problem is recorded when
    # hit, and the listing is read again next run instead of being remembered as seen).
    max_items_per_run: Annotated[int, Field(ge=1, le=1_000_000)] = 1000
    per_host_concurrency: Annotated[int, Field(ge=1, le=8)] = 1
    per_host_delay_seconds: Annotated[float, Field(ge=0, le=600)] = 1.0
    max_body_bytes: Annotated[int, Field(ge=1024)] = 5_000_000
    max_redirects: Annotated[int, Field(ge=0, le=20)] = 5
    retries: Annotated[int, Field(ge=0, le=10)] = 3
    backoff_seconds: Annotated[float, Field(ge=0, le=60)] = 1.0
    max_retry_after_seconds: Annotated[float, Field(ge=0, le=3600)] = 120.0
    obey_robots: bool = True
    # Revalidation of stored pages with conditional GETs, by age (published, else first seen):
    # daily while younger than revalidate_daily_days, then weekly until revalidate_until_days
    # (0 turns revalidation off); at most max_revalidations per source run.
    revalidate_daily_days: Annotated[int, Field(ge=0, le=3650)] = 30
    revalidate_until_days: Annotated[int, Field(ge=0, le=3650)] = 180
    max_revalidations: Annotated[int, Field(ge=0, le=100_000)] = 200
    # Private, loopback or link-local networks (CIDRs) or host names the crawler may reach; empty:
    # public addresses only. Cloud metadata addresses are refused unless listed one by one.
    allow_private_networks: tuple[str, ...] = ()

    @field_validator("allow_private_networks", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of networks (CIDRs) or host names, e.g. [\"127.0.0.1\", \"10.1.2.0/24\"]")
        for entry in value:
            check_network(entry)
        return tuple(value)

    @field_validator("user_agent")
    @classmethod
    def _user_agent_has_contact(cls, value: str) -> str:
        # Site operators must be able to reach us (NCBI, robots etiquette): demand a URL or mail.
        if not re.search(r"(https?://|@)", value):
            raise ValueError("must contain a contact URL or e-mail address, e.g. '(+https://…; you@example.org)'")
        return value


HOST_NAME = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$",
                       re.IGNORECASE)


def check_network(entry: str) -> None:
    """An address, a CIDR network or a host name; anything else is a config error."""
    try:
        ipaddress.ip_network(entry, strict=False)
    except ValueError:
        if not HOST_NAME.match(entry):
            raise ValueError(f"{entry!r} is neither a network (CIDR), an address nor a host name") from None


class SourceConfig(Section):
    """What every ``[[sources]]`` table has; kind-specific keys live in ``options``."""

    name: str
    kind: str
    url: str
    schedule: str = "every 6h"
    enabled: bool = True
    options: dict[str, object] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SOURCE_NAME.match(value):
            raise ValueError("must be a short slug of lowercase letters, digits, '-' or '_'")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_http_url(value)
