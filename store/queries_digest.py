"""What is new in a window: stories created in it (``idx_stories_created``); new claims are
``store.claims.new_claims``."""

from __future__ import annotations

import sqlite3
from typing import Any

from store.stories import STORY_COLUMNS, story_row


def new_stories(
    conn: sqlite3.Connection, *, since: str, until: str | None = None, limit: int = 200,
) -> list[dict[str, Any]]:
    """Stories first seen in ``[since, until)``, newest first."""
    where = ["s.created_at >= ?"]
    params: list[Any] = [since]
    if until:
        where.append("s.created_at < ?")
        params.append(until)
    rows = conn.execute(f"SELECT {STORY_COLUMNS} FROM stories s WHERE {' AND '.join(where)} "
                        "ORDER BY s.created_at DESC, s.id DESC LIMIT ?", [*params, limit])
    return [story_row(r) for r in rows]
