"""RSS 2.0 / Atom feeds: regulators, trade press, outlets.

The feed is fetched conditionally (a 304 means nothing new, and no entry is looked at); each
entry becomes an ``Item`` whose page the pipeline fetches and extracts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from crawler.config import SourceConfig
from crawler.fetch import NotModified
from crawler.parse import parse_feed
from crawler.sources.base import Item, SourceContext


class RssOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Check title+summary for CAR-T terms before downloading a page. Turn off for feeds that
    # are already about CAR-T (a topic feed, a search feed).
    prefilter: bool = True
    item_kind: Literal["news", "press_release"] = "news"
    outlet_name: str | None = None


class RssSource:
    kind: ClassVar[str] = "rss"
    Options: ClassVar[type[BaseModel]] = RssOptions

    def __init__(self, config: SourceConfig, options: RssOptions) -> None:
        self.config = config
        self.options = options

    def discover(self, ctx: SourceContext) -> Iterator[Item]:
        fetched = ctx.fetch_listing(self.config.url)
        if isinstance(fetched, NotModified):
            return
        feed = parse_feed(fetched)
        ctx.problems.extend(feed.problems)
        for entry in feed.entries:
            yield Item(
                title=entry.title,
                url=entry.link,
                kind=self.options.item_kind,
                summary=entry.summary,
                published_at=entry.published_at,
                updated_at=entry.updated_at,
                outlet_domain=entry.source_domain,
                outlet_name=entry.source_name or self.options.outlet_name,
                authors=entry.authors,
                guid=entry.guid,
                prefilter=self.options.prefilter,
            )
