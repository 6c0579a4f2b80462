"""The store's configuration section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StoreConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = "data/cartwatch.db"
    busy_timeout_ms: int = 10_000
