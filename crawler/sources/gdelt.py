"""GDELT DOC 2.0 API, ArtList mode: news articles matching the query, with their real URLs.

``config.url`` is the DOC endpoint (``https://api.gdeltproject.org/api/v2/doc/doc``). Each run
asks for articles GDELT saw between the window start and now (``startdatetime``/``enddatetime``,
UTC ``YYYYMMDDHHMMSS``; GDELT keeps about three months, so older starts are clamped). Every hit
is the publisher's own URL and domain, so the pipeline fetches the page conditionally like any
feed item; the API's ``domain`` field is the outlet hint.

GDELT answers ``{}`` when nothing matched, and a plain-text message with HTTP 200 when it rejects
the query (too short, bad operator): that is the source's ``ParseError`` quoting the message.
There is no paging: one call returns at most ``max_records`` (≤ 250); a full page is recorded as
a problem, since older hits of the window were cut off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from crawler.config import SourceConfig
from crawler.errors import ParseError
from crawler.sources.base import Item, SourceContext
from crawler.sources.literature import (
    GDELT_QUERY, convert_record, fetch_api, host_without_www, load_json, window,
)

GDELT_MEMORY = timedelta(days=90)
SEENDATE = re.compile(r"^(\d{4})(\d{2})(\d{2})T?(\d{2})(\d{2})(\d{2})Z?$")
LANGUAGES = {"english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it",
             "portuguese": "pt", "chinese": "zh", "japanese": "ja", "korean": "ko", "dutch": "nl"}


class GdeltOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # GDELT query: quoted phrases, OR inside parentheses, operators such as sourcelang:spanish.
    # No language filter by default: CAR-T coverage in Spanish and other languages is wanted.
    query: str = GDELT_QUERY
    # Articles per call (GDELT's maximum is 250; there is no paging).
    max_records: Annotated[int, Field(ge=1, le=250)] = 250
    # Days to look back on the first run (GDELT keeps about 90).
    initial_days: Annotated[int, Field(ge=1, le=90)] = 2
    # This source's own gap between calls, seconds (GDELT asks for about one call per 5 s).
    min_delay_seconds: Annotated[float, Field(ge=0, le=600)] = 5.0
    # Check titles for CAR-T terms before fetching pages. Off by default: the query already
    # targets CAR-T and GDELT matches article bodies, so titles often lack the terms.
    prefilter: bool = False


class GdeltSource:
    kind: ClassVar[str] = "gdelt"
    Options: ClassVar[type[BaseModel]] = GdeltOptions

    def __init__(self, config: SourceConfig, options: GdeltOptions) -> None:
        self.config = config
        self.options = options

    def discover(self, ctx: SourceContext) -> Iterator[Item]:
        start, end = window(ctx, self.options.initial_days)
        start = max(start, end - GDELT_MEMORY)
        params: dict[str, str | int] = {
            "query": self.options.query, "mode": "ArtList", "format": "json", "sort": "DateDesc",
            "maxrecords": self.options.max_records,
            "startdatetime": f"{start:%Y%m%d%H%M%S}", "enddatetime": f"{end:%Y%m%d%H%M%S}",
        }
        fetched = fetch_api(ctx, self.config.url, params, what="GDELT", min_delay=self.options.min_delay_seconds)
        if fetched.content_type.startswith("text/") and not fetched.body.lstrip().startswith(b"{"):
            message = " ".join(fetched.body[:300].decode("utf-8", "replace").split())
            raise ParseError(fetched.url, f"GDELT rejected the query: {message!r}")
        body = load_json(fetched, "GDELT")
        articles = (body.get("articles") or []) if isinstance(body, dict) else None
        if not isinstance(articles, list):
            raise ParseError(fetched.url, "GDELT answer has no articles list")
        if len(articles) >= self.options.max_records:
            ctx.problems.append(f"gdelt: {len(articles)} articles = max_records; "
                                "older matches of the window were cut off")
        for article in articles:
            item = convert_record(ctx, "gdelt", self.article_item, article)
            if item is not None:
                yield item

    def article_item(self, article: Any) -> Item | None:
        if not isinstance(article, dict) or not article.get("url"):
            return None
        return Item(
            title=" ".join(str(article.get("title") or "").split()),
            url=str(article["url"]),
            kind="news",
            published_at=seen_date(article.get("seendate")),
            outlet_domain=host_without_www(article.get("domain")),
            language=LANGUAGES.get(str(article.get("language") or "").lower()),
            prefilter=self.options.prefilter,
        )


def seen_date(value: Any) -> str | None:
    """GDELT's "20250603T141500Z" → "2025-06-03T14:15:00Z"."""
    match = SEENDATE.match(str(value or "").strip())
    if not match:
        return None
    y, mo, d, h, mi, s = match.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"
