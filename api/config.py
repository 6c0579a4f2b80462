"""The API's configuration section."""

from __future__ import annotations

from typing import Annotated

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ApiConfig(BaseModel):
    # strict: port = "8000" is a type error naming the key, never coerced.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    # Bearer token for write endpoints (POST /crawl). Empty = those endpoints are disabled.
    # The environment variable CARTWATCH_API_TOKEN overrides it, so it need not sit in a file.
    token: str = ""
    max_page_size: Annotated[int, Field(ge=1, le=1000)] = 200
    # Where people reach the dashboard (behind a proxy, a domain name): the base of every link in
    # digests, feeds and alerts. Empty: built from host and port (0.0.0.0 shown as 127.0.0.1).
    public_url: str = ""

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^/?#\s]+(/[^?#\s]*)?$", value):
            raise ValueError("must be an absolute http:// or https:// URL without query, e.g. https://cartwatch.example.org")
        return value.rstrip("/")

    def base_url(self) -> str:
        """The base of every link we hand out."""
        if self.public_url:
            return self.public_url
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"
