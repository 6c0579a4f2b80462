"""The API's configuration section."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class ApiConfig(BaseModel):
    # strict: port = "8000" is a type error naming the key, never coerced.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    # Bearer token for write endpoints (POST /crawl). Empty = those endpoints are disabled.
    # The environment variable CARTWATCH_API_TOKEN overrides it, so it need not sit in a file.
    token: str = ""
    max_page_size: Annotated[int, Field(ge=1, le=1000)] = 200
