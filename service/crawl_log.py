"""The crawler's view of the database for one source run: what is known about its pages and
listings, and where each outcome is recorded. With ``service.ingest`` this is all the crawler
touches of storage (it never imports ``store``): it reads and records in the crawl's own terms,
and the store's SQL stays behind these calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from analysis.outlets import OutletRegistry
from service.ingest import IngestItem, ingest, ingest_batch
from store import Store
from store.articles import SaveResult
from store.crawl import CachedFetch, HttpValidators, SourceState, StoredPage
from store.db import iso

__all__ = ["CachedFetch", "CrawlLog", "HttpValidators", "SaveResult", "SourceState", "StoredPage"]


class CrawlLog:
    def __init__(self, store: Store, *, source_name: str, run_id: int | None, now: datetime) -> None:
        self.store, self.source_name, self.run_id, self.now = store, source_name, run_id, now

    # --- what is known ---------------------------------------------------------------------

    def source_state(self) -> SourceState:
        return self.store.source_state(self.source_name)

    def cached_page(self, url: str) -> CachedFetch | None:
        return self.store.cached_fetch(url)

    def listing_validators(self, url: str) -> tuple[str | None, str | None]:
        return self.store.validators(url)

    def pages_due(self, *, daily_since: datetime, until: datetime, day_ago: datetime, week_ago: datetime,
                  limit: int) -> list[StoredPage]:
        return self.store.pages_due(self.source_name, daily_since=daily_since, until=until, day_ago=day_ago,
                                    week_ago=week_ago, limit=limit)

    # --- what happened -----------------------------------------------------------------------

    def ingest(self, item: IngestItem, registry: OutletRegistry) -> SaveResult:
        return ingest(self.store, item, registry=registry, now=self.now)

    def ingest_batch(self, items: Sequence[IngestItem], registry: OutletRegistry) -> list[SaveResult]:
        return ingest_batch(self.store, items, registry=registry, now=self.now)

    def remember_page(self, validators: HttpValidators) -> None:
        """A page fetched (or answered 304) that stores no article: its validators alone."""
        self.store.remember_fetch(validators, now=self.now)

    def mark_checked(self, url: str) -> None:
        """A stored page asked for again failed (gone, 5xx): it is not due again until its next turn."""
        self.store.mark_checked(url, now=self.now)

    def record_fetch(self, *, url: str | None, outcome: str, error_kind: str | None = None,
                     status: int | None = None, message: str | None = None) -> None:
        self.store.record_fetch(run_id=self.run_id, source_name=self.source_name, url=url, now=self.now,
                                outcome=outcome, error_kind=error_kind, status=status, message=message)

    def finish(self, *, error: str | None, listings: Iterable[HttpValidators], result: Mapping[str, object],
               finished: datetime) -> None:
        """The source's outcome (and, when all its items are stored, its listings' validators),
        then its row in the run's results."""
        self.store.record_source_outcome(self.source_name, now=self.now, error=error, listings=listings)
        if self.run_id is not None:
            self.store.record_result(self.run_id, dict(result) | {"started_at": iso(self.now),
                                                                  "finished_at": iso(finished)})
