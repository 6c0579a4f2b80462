"""The one small interface every source kind implements.

A source *discovers* items (feed entries, API records, search hits). It does its own listing
requests through the shared ``Fetcher`` but never stores anything: the pipeline decides what
to fetch next, what is relevant and what to save. Adding a source of an existing kind is a
config change; adding a kind is one module here plus one line in ``crawler/sources/__init__.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol

import httpx
from pydantic import BaseModel

from analysis.model import ArticleKind
from crawler.config import SourceConfig
from crawler.fetch import Fetched, Fetcher, NotModified


@dataclass(frozen=True, slots=True)
class Item:
    """One discovered piece of coverage, before its page (if any) is fetched.

    ``url`` is the publisher's URL when known; ``text`` is set when the listing already carries
    the full text we analyse (an abstract), in which case no page is fetched.
    """

    title: str
    url: str | None
    kind: ArticleKind = "news"
    summary: str | None = None
    text: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    outlet_domain: str | None = None
    outlet_name: str | None = None
    authors: tuple[str, ...] = ()
    doi: str | None = None
    pmid: str | None = None
    nct_id: str | None = None
    language: str | None = None
    guid: str | None = None
    prefilter: bool = True  # check title+summary for CAR-T terms before downloading the page


@dataclass(slots=True)
class SourceContext:
    """What a source may use while discovering: the fetcher, its stored state and the clock.

    ``since`` is the start of the window to ask literature APIs for (last success minus overlap);
    ``validators`` reads and ``remember`` writes the conditional-request state of a listing URL.
    """

    fetcher: Fetcher
    now: datetime
    since: datetime | None
    validators: Callable[[str], tuple[str | None, str | None]]
    remember: Callable[[Fetched], None]
    stop: threading.Event = field(default_factory=threading.Event)
    problems: list[str] = field(default_factory=list)

    def fetch_listing(self, url: str, *, params: Mapping[str, str | int] | None = None,
                      accept: str | None = None, conditional: bool = True) -> Fetched | NotModified:
        """GET a feed or API page; conditionally (ETag/Last-Modified) unless told otherwise."""
        if params:
            url = str(httpx.URL(url, params={**dict(httpx.URL(url).params), **params}))
        etag, last_modified = self.validators(url) if conditional else (None, None)
        result = self.fetcher.fetch(url, etag=etag, last_modified=last_modified, accept=accept)
        if conditional and isinstance(result, Fetched):
            # Only conditional listings need their validators; an API page's URL carries a date
            # window (and maybe a key) that is never asked for again.
            self.remember(result)
        return result


class Source(Protocol):
    kind: ClassVar[str]
    Options: ClassVar[type[BaseModel]]

    def discover(self, ctx: SourceContext) -> Iterator[Item]: ...


class SourceKind(Protocol):
    """A source class, as ``SOURCE_KINDS`` lists it: its name, its options model, and the
    constructor. Each kind takes an instance of its own ``Options`` (which the type system cannot
    tie to ``Options`` here), so callers validate with ``Options`` first, as ``build_source`` does."""

    @property
    def kind(self) -> str: ...

    @property
    def Options(self) -> type[BaseModel]: ...

    def __call__(self, config: SourceConfig, options: Any, /) -> Source: ...
