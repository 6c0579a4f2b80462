"""Bing News search RSS: a query's recent news, each item carrying the publisher's URL.

``config.url`` is the search endpoint (``https://www.bing.com/news/search``); ``q``,
``format=rss`` and ``mkt`` are added. The feed is fetched conditionally like any feed. An item's
``link`` is a Bing click-through (``…/news/apiclick.aspx?…&url=<publisher URL>&…``): the real URL
is its ``url`` query parameter, so pages are fetched from the publisher and the outlet is the
publisher's host, never bing.com; ``<News:Source>`` gives the outlet's name. Bing returns about
a dozen results per query: a complement to GDELT, not a sole source.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, ConfigDict

from crawler.config import SourceConfig
from crawler.fetch import NotModified
from crawler.parse import parse_feed
from crawler.sources.base import Item, SourceContext
from crawler.sources.literature import NEWS_QUERY, host_without_www


class BingNewsOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Bing search query (q): quoted phrases and OR.
    query: str = NEWS_QUERY
    # Market (mkt), e.g. en-US, es-US, es-MX; its language is the items' language.
    market: str = "en-US"
    # Check title+snippet for CAR-T terms before fetching a page (off: the query targets CAR-T).
    prefilter: bool = False


class BingNewsSource:
    kind: ClassVar[str] = "bing_news"
    Options: ClassVar[type[BaseModel]] = BingNewsOptions

    def __init__(self, config: SourceConfig, options: BingNewsOptions) -> None:
        self.config = config
        self.options = options

    def discover(self, ctx: SourceContext) -> Iterator[Item]:
        params = {"q": self.options.query, "format": "rss", "mkt": self.options.market}
        fetched = ctx.fetch_listing(self.config.url, params=params)
        if isinstance(fetched, NotModified):
            return
        feed = parse_feed(fetched)
        ctx.problems.extend(feed.problems)
        for entry in feed.entries:
            url = publisher_url(entry.link) if entry.link else None
            yield Item(
                title=entry.title,
                url=url,
                kind="news",
                summary=entry.summary,
                published_at=entry.published_at,
                outlet_domain=host_without_www(urlsplit(url).hostname) if url else None,
                outlet_name=entry.source_name,
                guid=entry.guid,
                language=self.options.market.split("-", 1)[0].lower() or None,
                prefilter=self.options.prefilter,
            )


def publisher_url(link: str) -> str | None:
    """The publisher URL inside a Bing click-through link; a direct link is returned as is."""
    parts = urlsplit(link.strip())
    host = (parts.hostname or "").lower()
    if host == "bing.com" or host.endswith(".bing.com"):
        for key, value in parse_qsl(parts.query):
            if key.lower() == "url" and value.startswith(("http://", "https://")):
                return value
        return None
    return link.strip() if parts.scheme in ("http", "https") else None
