"""Keyset pages: a ``Page`` of rows and the opaque cursor of the next one (``BadCursor`` when a
cursor does not decode)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any


class BadCursor(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


def encode_cursor(sort_at: str, row_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([sort_at, row_id]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        sort_at, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(sort_at, str) or not isinstance(row_id, int) or not -2**63 <= row_id < 2**63:
            raise TypeError
        return sort_at, row_id
    except (ValueError, TypeError) as exc:
        raise BadCursor("cursor is not one this API handed out") from exc
