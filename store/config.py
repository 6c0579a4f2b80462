"""The store's configuration section."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class StoreConfig(BaseModel):
    # strict: a quoted number or "yes" is a type error naming the key, never coerced.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    path: str = "data/cartwatch.db"
    busy_timeout_ms: Annotated[int, Field(ge=0, le=600_000)] = 10_000
