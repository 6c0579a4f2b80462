"""bioRxiv / medRxiv (api.biorxiv.org ``details``): every preprint posted in the window.

``config.url`` names the server: ``https://api.biorxiv.org/details/medrxiv`` (or ``…/biorxiv``).
The API has no keyword search, so each run walks the posting dates of the window, ``chunk_days``
at a time (narrow ranges avoid its timeouts), as ``{url}/{from}/{to}/{cursor}/json``. The cursor
is a record offset advanced by the page's own ``messages[0].count`` (pages hold 30 or 100
records depending on the endpoint; a fixed step would skip records silently), until
``cursor >= total`` or a page comes back empty. The pipeline's relevance check then keeps the
CAR-T preprints and counts every other one as ``not_relevant``.

Records repeat per version: a run keeps the latest version of each DOI (dated by its first
posting in the window), and the item URL has no version suffix, so a revision posted later
updates the stored preprint instead of becoming a second one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import partial
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Field

from crawler.config import SourceConfig
from crawler.errors import ParseError
from crawler.sources.base import Item, SourceContext
from crawler.sources.literature import (
    ApiOptions, convert_record, fetch_api, iso_day, join_paragraphs, load_json, normalize_doi, window,
)

SERVERS = {"biorxiv": ("biorxiv.org", "bioRxiv"), "medrxiv": ("medrxiv.org", "medRxiv")}


class BiorxivOptions(ApiOptions):
    # Only this subject category (e.g. "oncology", "cancer_biology"); default: all.
    category: str | None = None
    # Posting days asked per request range (the API times out on long ranges).
    chunk_days: Annotated[int, Field(ge=1, le=31)] = 3
    initial_days: Annotated[int, Field(ge=1, le=3650)] = 3
    max_pages: Annotated[int, Field(ge=1, le=10_000)] = 500


class BiorxivSource:
    kind: ClassVar[str] = "biorxiv"
    Options: ClassVar[type[BaseModel]] = BiorxivOptions

    def __init__(self, config: SourceConfig, options: BiorxivOptions) -> None:
        self.config = config
        self.options = options
        self.base = config.url.rstrip("/")
        self.server = self.base.rsplit("/", 1)[-1].lower()

    def discover(self, ctx: SourceContext) -> Iterator[Item]:
        # Versions of one preprint can sit on different pages or ranges: keep only the latest of
        # each DOI seen in the window, or a run would store v1 and then overwrite it with v2.
        latest: dict[str, dict[str, Any]] = {}
        first_posted: dict[str, str] = {}
        for record in self._records(ctx):
            doi, posted = normalize_doi(record.get("doi")), str(record.get("date") or "")
            if not doi:
                continue
            first_posted[doi] = min(first_posted.get(doi, posted), posted)
            if doi not in latest or _version(record) >= _version(latest[doi]):
                latest[doi] = record
        for doi, record in latest.items():
            item = convert_record(ctx, "biorxiv", partial(self.record_item, first_posted=first_posted[doi]), record)
            if item is not None:
                yield item

    def _records(self, ctx: SourceContext) -> Iterator[dict[str, Any]]:
        start, end = window(ctx, self.options.initial_days)
        pages = 0
        for first, last in day_ranges(start.date(), end.date(), self.options.chunk_days):
            cursor = 0
            while True:
                if pages >= self.options.max_pages:
                    ctx.problems.append(f"biorxiv: stopped after max_pages={self.options.max_pages} pages")
                    return
                pages += 1
                collection, count, total = self._page(ctx, first, last, cursor)
                yield from (r for r in collection if isinstance(r, dict))
                cursor += count
                if not collection or count <= 0 or cursor >= total:
                    break

    def _page(self, ctx: SourceContext, first: date, last: date, cursor: int) -> tuple[list[Any], int, int]:
        url = f"{self.base}/{first:%Y-%m-%d}/{last:%Y-%m-%d}/{cursor}/json"
        params = {"category": self.options.category} if self.options.category else {}
        fetched = fetch_api(ctx, url, params, what="bioRxiv API", min_delay=self.options.min_delay_seconds)
        body = load_json(fetched, "bioRxiv API")
        if not isinstance(body, dict) or not isinstance(body.get("collection", []), list):
            raise ParseError(fetched.url, "bioRxiv API answer has no collection list")
        collection = body.get("collection") or []
        messages = body.get("messages")
        message = messages[0] if isinstance(messages, list) and messages and isinstance(messages[0], dict) else {}
        try:
            count = int(message.get("count", len(collection)))
            total = int(message.get("total", cursor + count))
        except (TypeError, ValueError):
            raise ParseError(fetched.url, f"bioRxiv API message has no usable count/total: {message}") from None
        return collection, count, total

    def record_item(self, record: dict[str, Any], first_posted: str | None = None) -> Item | None:
        doi, title = normalize_doi(record.get("doi")), " ".join(str(record.get("title") or "").split())
        if not doi or not title:
            return None
        server = str(record.get("server") or self.server).lower()
        domain, name = SERVERS.get(server, SERVERS.get(self.server, ("biorxiv.org", "bioRxiv")))
        return Item(
            title=title,
            url=f"https://www.{domain}/content/{doi}",
            kind="preprint",
            text=join_paragraphs(title, " ".join(str(record.get("abstract") or "").split())),
            published_at=iso_day(first_posted or record.get("date")),
            outlet_domain=domain,
            outlet_name=name,
            authors=tuple(a.strip() for a in str(record.get("authors") or "").split(";") if a.strip()),
            doi=doi,
            language="en",
            prefilter=False,
        )


def _version(record: dict[str, Any]) -> int:
    version = str(record.get("version") or "0")
    return int(version) if version.isdigit() else 0


def day_ranges(first: date, last: date, days: int) -> Iterator[tuple[date, date]]:
    """[first, last] cut into consecutive inclusive ranges of at most ``days`` days."""
    while first <= last:
        end = min(first + timedelta(days=days - 1), last)
        yield first, end
        first = end + timedelta(days=1)
