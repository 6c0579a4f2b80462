"""Importing outlet ratings: store them, then re-judge every story's blindspot (which depends on them).

Each story is refreshed in its own transaction with the same ``refresh_story`` step that
``service.ingest`` runs for a new article, so both paths judge blindspots one way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from analysis.model import Rating
from service.ingest import refresh_story
from store import AnalysisWrites, Store


def import_ratings(store: Store, ratings: Iterable[Rating], *, now: datetime) -> int:
    """Save ``ratings`` (keyed on the registry's outlet domains) and refresh stories; returns the count saved."""
    writes = AnalysisWrites(store)
    saved = writes.save_ratings(ratings, now=now)
    for story_id in writes.all_story_ids():
        with store.transaction():
            refresh_story(writes, story_id)
    return saved
