"""When stored pages are asked for again: an article updated in place keeps its feed entry, so
the listing alone would never fetch it again. Conditional GETs (ETag / Last-Modified) make a
check of an unchanged page cost one small 304."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from service.crawl_log import CrawlLog, StoredPage


@dataclass(frozen=True, slots=True)
class RevalidationPolicy:
    """Stored pages are re-fetched with conditional GETs: daily while younger than ``daily_days``,
    then weekly until ``until_days`` old; at most ``max_per_run`` per source run."""

    daily_days: int = 30
    until_days: int = 180
    max_per_run: int = 200

    def due(self, log: CrawlLog, now: datetime) -> list[StoredPage]:
        if not self.until_days or not self.max_per_run:
            return []
        # A little slack (23 h, 6 d 23 h) so a source run at the same hour every day is never
        # a few seconds short of due.
        return log.pages_due(daily_since=now - timedelta(days=self.daily_days),
                             until=now - timedelta(days=self.until_days), day_ago=now - timedelta(hours=23),
                             week_ago=now - timedelta(days=7) + timedelta(hours=1), limit=self.max_per_run)
