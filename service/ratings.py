"""Importing outlet ratings: store them, then re-judge the blindspot of every story of a rated outlet.

``import_rater_file`` is ``cartwatch outlets import``: one rater's file read (``analysis.ratings_import``;
``RatingsFormatError`` when it is not that rater's format), each value keyed on the registry's
outlet, then saved with ``import_ratings``.

Each story is refreshed in its own transaction with the same ``refresh_story`` step that
``service.ingest`` runs for a new article, so both paths judge blindspots one way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from analysis.model import Rating
from analysis.outlets import OutletRegistry
from analysis.ratings_import import RaterFormat, RatingsFormatError, is_iso_date, parse_ratings
from service.db import StoreConfig, open_store
from service.ingest import refresh_story
from service.outlets import sync_outlets
from store import AnalysisWrites, Store

__all__ = ["RatingsFormatError", "import_rater_file", "import_ratings", "is_rating_date"]


def import_ratings(store: Store, ratings: Iterable[Rating], *, now: datetime) -> int:
    """Save ``ratings`` (keyed on the registry's outlet domains) and refresh the stories of the
    rated outlets (found by ``story_outlets``' domain index); returns the count saved."""
    writes = AnalysisWrites(store)
    ratings = list(ratings)
    saved = writes.save_ratings(ratings, now=now)
    for story_id in writes.stories_of_outlets(sorted({r.domain for r in ratings})):
        with store.transaction():
            refresh_story(writes, story_id)
    return saved


def is_rating_date(text: str) -> bool:
    """Whether a rating date (``--rated-at``) is an ISO date, YYYY-MM-DD: stored as given, a word
    like "yesterday" could never be sorted or compared."""
    return is_iso_date(text)


def import_rater_file(database: StoreConfig, outlets: OutletRegistry, data: bytes, rater: RaterFormat, *, origin: str,
                      rated_at: str | None, now: datetime) -> tuple[int, list[str]]:
    """Read one rater's file and save its ratings under the registry's outlets: the count saved
    and one line per row skipped. Nothing is written when the file is not in ``rater``'s format."""
    result = parse_ratings(data, rater, origin=origin, rated_at=rated_at, names=outlets.name_index())
    # Store each value under the registry's key for its outlet, so articles find it.
    ratings = [replace(r, domain=outlets.resolve(r.domain).domain) for r in result.ratings]
    store = open_store(database)
    try:
        sync_outlets(store, outlets)
        return import_ratings(store, ratings, now=now), result.problems
    finally:
        store.close()
