"""Google News search RSS: headline-only coverage (outlet, title, date) of a query.

``config.url`` is the search feed (``https://news.google.com/rss/search``); ``q`` (the query
plus ``when:Nd`` for the window), ``hl``, ``gl`` and ``ceid`` are added and the feed is fetched
conditionally. Item links are opaque ``news.google.com/rss/articles/<id>`` redirects (since
mid-2024 the id no longer contains the publisher URL, and following it yields a JavaScript
interstitial), so an item becomes a ``headline``: title "Headline - Publisher" split on its last
" - ", outlet from ``<source url=…>``, the Google link kept as its key (``guid``) and never
fetched. When the publisher's own page arrives from another source with the same title and
outlet, the store merges the two into one article. Only a pre-2024 id that still decodes to a
publisher URL is fetched as a full article.

Licensing: the feed's ``<copyright>`` limits use to personal, non-commercial feed reading.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated, ClassVar
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field

from crawler.config import SourceConfig
from crawler.fetch import NotModified
from crawler.parse import FeedEntry, parse_feed
from crawler.sources.base import Item, SourceContext
from crawler.sources.literature import NEWS_QUERY, host_without_www, window

LEGACY_URL = re.compile(rb"https?://[\x21-\x7e]+")


class GoogleNewsOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Search query (q); " when:Nd" covering the window since the last success is appended.
    query: str = NEWS_QUERY
    # Interface language, country and edition; the three must agree (en-US, US, US:en).
    hl: str = "en-US"
    gl: str = "US"
    ceid: str = "US:en"
    # Days to look back on the first run.
    initial_days: Annotated[int, Field(ge=1, le=30)] = 2
    # Check headlines for CAR-T terms before keeping them. Off by default: the query already
    # targets CAR-T, and Google matches article bodies, so headlines often lack the terms.
    prefilter: bool = False


class GoogleNewsSource:
    kind: ClassVar[str] = "google_news"
    Options: ClassVar[type[BaseModel]] = GoogleNewsOptions

    def __init__(self, config: SourceConfig, options: GoogleNewsOptions) -> None:
        self.config = config
        self.options = options

    def discover(self, ctx: SourceContext) -> Iterator[Item]:
        start, end = window(ctx, self.options.initial_days)
        days = max(1, math.ceil((end - start).total_seconds() / 86400))
        params = {"q": f"{self.options.query} when:{days}d", "hl": self.options.hl, "gl": self.options.gl,
                  "ceid": self.options.ceid}
        fetched = ctx.fetch_listing(self.config.url, params=params)
        if isinstance(fetched, NotModified):
            return
        feed = parse_feed(fetched)
        ctx.problems.extend(feed.problems)
        language = self.options.hl.split("-", 1)[0].lower() or None
        for entry in feed.entries:
            yield replace(entry_item(entry), prefilter=self.options.prefilter, language=language)


def entry_item(entry: FeedEntry) -> Item:
    """A headline keyed by its Google link, or a news item when the id still holds the URL.

    Without a ``<source>`` the publisher is unknown and the item is yielded without a URL, so
    the pipeline counts it as ``no_url`` rather than filing it under news.google.com.
    """
    headline, publisher = split_title(entry.title, entry.source_name)
    link = google_link(entry.link)
    publisher_url = legacy_article_url(link.rsplit("/", 1)[-1]) if link else None
    domain = entry.source_domain or (host_without_www(urlsplit(publisher_url).hostname) if publisher_url else None)
    item = Item(title=headline, url=None, kind="headline" if domain else "news", published_at=entry.published_at,
                outlet_domain=domain, outlet_name=publisher, guid=link, prefilter=True)
    return replace(item, url=publisher_url, kind="news") if publisher_url else item


def split_title(title: str, publisher: str | None) -> tuple[str, str | None]:
    """"Headline - Publisher" → ("Headline", "Publisher"), split on the last " - "."""
    if publisher and title.endswith(f" - {publisher}"):
        return title[: -len(publisher) - 3].rstrip(), publisher
    head, separator, tail = title.rpartition(" - ")
    if separator and head.strip() and tail.strip():
        return head.strip(), publisher or tail.strip()
    return title.strip(), publisher


def google_link(link: str | None) -> str | None:
    """The article link without its ``?oc=5`` tracking query: the headline's stable key."""
    if not link:
        return None
    parts = urlsplit(link.strip())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")) if parts.path else None


def legacy_article_url(article_id: str) -> str | None:
    """The publisher URL inside a pre-July-2024 article id (base64 protobuf); None for new ids."""
    try:
        raw = base64.urlsafe_b64decode(article_id + "=" * (-len(article_id) % 4))
    except (binascii.Error, ValueError):
        return None
    match = LEGACY_URL.search(raw)
    if not raw.startswith(b"\x08\x13\x22") or b"AU_yqL" in raw or not match:
        return None
    return match.group(0).decode("ascii")
