"""``run_source``: the one function that knows the order of the stages.

    source.discover (capped) → prefilter → fetch page (conditional) → parse → relevance
        → service.ingest (analyse → store) ; then stored pages due for revalidation, the same way

Errors are caught here and nowhere else, per item: a ``CrawlerError`` is recorded as that URL's
outcome and the loop goes on; any other exception is logged with its traceback, recorded as a
bug, and the loop goes on. A failure of the listing itself (feed down, malformed feed) is the
source's error. Pages are fetched and parsed in a small thread pool (the fetcher keeps each host
polite); ingest (analysis, then one transaction per batch of items, committed after each batch
the pool returns) runs on the calling thread. The database is reached only through ``service``
(``CrawlLog``, ``ingest``).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import chain, islice

from analysis.model import Article
from crawler.canonical import canonical_url, host_of, page_identity, syndicated_from
from crawler.errors import CrawlerError, HTTPStatusError
from crawler.fetch import Fetcher, NotModified
from crawler.parse import ExtractedPage, parse_article
from crawler.sources.base import Item, Source, SourceContext
from crawler.revalidation import RevalidationPolicy
from service.crawl_log import CachedFetch, CrawlLog, HttpValidators
from service.ingest import IngestItem
from service.outlets import OutletRegistry
from service.screen import Names, judge_relevance, worth_fetching

logger = logging.getLogger(__name__)

LITERATURE_OVERLAP = timedelta(days=2)


@dataclass(slots=True)
class RunReport:
    source_name: str
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    source_error: str | None = None
    problems: list[str] = field(default_factory=list)
    complete: bool = False  # the whole listing was processed (not stopped, no source error)

    @property
    def status(self) -> str:
        if self.source_error:
            return "failed"
        return "partial" if self.errors else "ok"

    def as_row(self) -> dict[str, object]:
        return {
            "source_name": self.source_name, "status": self.status, "fetched": self.fetched, "new": self.new, "updated": self.updated,
            "unchanged": self.unchanged, "skipped": sum(self.skipped.values()), "errors": self.errors,
            "skipped_reasons": dict(self.skipped),
            "message": "; ".join(filter(None, [self.source_error, *self.problems[:5]])) or None,
        }


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What happened to one item off the main thread; the main thread records and stores it."""

    item: Item
    url: str | None
    article: Article | None = None  # relevant: to ingest
    skip_reason: str | None = None
    error: CrawlerError | None = None
    bug: BaseException | None = None
    fetched: bool = False
    cache: HttpValidators | None = None  # the page's validators, remembered with the outcome
    names: Names | None = None  # products and trials relevance found, so analysis scans once


class Pipeline:
    def __init__(self, source: Source, *, name: str, fetcher: Fetcher, log: CrawlLog, registry: OutletRegistry,
                 now: datetime, concurrency: int,
                 progress: Callable[[RunReport], None] | None = None,
                 revalidation: RevalidationPolicy | None = None, max_items: int = 1000) -> None:
        self.source, self.name, self.fetcher, self.log = source, name, fetcher, log
        self.max_items, self._capped = max_items, False
        self.registry = registry
        self.now, self.concurrency = now, concurrency
        self.report = RunReport(name)
        self.progress = progress
        self.revalidation = revalidation
        self._revalidating: set[str] = set()
        self._pending: list[IngestItem] = []

    def run(self, ctx: SourceContext) -> RunReport:
        try:
            items = chain(self._listing(ctx), self._due_pages())
            with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix=f"fetch-{self.name}") as pool:
                while batch := list(islice(items, self.concurrency * 4)):
                    # Database reads stay on this thread; workers only fetch, parse and judge relevance.
                    planned = [(item, self._cached(item)) for item in batch]
                    for outcome in pool.map(self._process, planned):
                        self._record(outcome)
                    self._store_pending()
                    if ctx.stop.is_set():
                        self.report.problems.append("stopped before the end of the listing")
                        break
                else:
                    self.report.complete = not self._capped
        except CrawlerError as exc:
            self.report.source_error = f"{exc.kind}: {exc}"
            self.log.record_fetch(url=exc.url, outcome="error", error_kind=exc.kind,
                                  status=getattr(exc, "status", None), message=exc.message)
        self.report.problems.extend(ctx.problems)
        return self.report

    def _discover(self, ctx: SourceContext) -> Iterator[Item]:
        yield from self.source.discover(ctx)

    def _listing(self, ctx: SourceContext) -> Iterator[Item]:
        """The source's items, stopping before the ``max_items``+1-th page never fetched before (a
        feed of 60,000 entries must not hold the crawler for hours). Known pages do not count, so
        the next run, reading the listing again, gets past the ones stored this time."""
        new_pages = 0
        for item in self._discover(ctx):
            if self._cached(item) is None and item.text is None and item.kind != "headline" and item.url:
                if new_pages == self.max_items:
                    self._capped = True
                    self.report.problems.append(f"listing stopped at {self.max_items} new pages "
                                                "(crawler.max_items_per_run); the rest is read on the next run")
                    return
                new_pages += 1
            yield item

    def _due_pages(self) -> Iterator[Item]:
        """After the listing: stored pages due for a conditional re-fetch (an article updated in
        place keeps its feed entry, so the listing alone would never ask for it again)."""
        for page in self.revalidation.due(self.log, self.now) if self.revalidation else ():
            self._revalidating.add(canonical_url(page.url))
            yield Item(title=page.title, url=page.url, kind=page.kind, published_at=page.published_at,
                       outlet_domain=page.outlet_domain, outlet_name=page.outlet_name, doi=page.doi,
                       pmid=page.pmid, nct_id=page.nct_id, prefilter=False)

    # --- off the main thread: decide, fetch, parse, analyse --------------------------------

    def _cached(self, item: Item) -> CachedFetch | None:
        if item.text is not None or item.kind == "headline" or not item.url:
            return None
        return self.log.cached_page(canonical_url(item.url))

    def _process(self, planned: tuple[Item, CachedFetch | None]) -> _Outcome:
        item, cached = planned
        try:
            return self._process_item(item, cached)
        except CrawlerError as exc:
            return _Outcome(item, exc.url, error=exc)
        except Exception as exc:  # a bug in our code: keep crawling, but loudly
            logger.exception("bug while processing %s from %s", item.url, self.name)
            return _Outcome(item, item.url, bug=exc)

    def _process_item(self, item: Item, cached: CachedFetch | None) -> _Outcome:
        if item.text is None and not item.url and item.kind != "headline":
            return _Outcome(item, None, skip_reason="no_url")
        if item.prefilter and item.text is None and not worth_fetching(item.title, item.summary or ""):
            return _Outcome(item, item.url, skip_reason="prefilter_no_car_t_terms")
        if item.text is not None or item.kind == "headline":
            return self._analyse(item, item.url or "", None, None)
        url = canonical_url(item.url or "")
        if cached and url not in self._revalidating and not _changed_since(item, cached.checked_at):
            return _Outcome(item, url, skip_reason="known_unchanged")
        etag, last_modified = (cached.etag, cached.last_modified) if cached else (None, None)
        result = self.fetcher.fetch(item.url or url, etag=etag, last_modified=last_modified)
        if isinstance(result, NotModified):
            return _Outcome(item, url, skip_reason="not_modified", cache=HttpValidators(url, etag, last_modified))
        cache = HttpValidators(url, result.etag, result.last_modified)
        try:
            page = parse_article(result)
        except CrawlerError as exc:
            # Remember the failure's validators too: an unchanged broken page is not re-downloaded.
            return _Outcome(item, url, error=exc, fetched=True, cache=cache)
        return self._analyse(item, result.url, page, cache)

    def _analyse(self, item: Item, fetched_url: str, page: ExtractedPage | None,
                 cache: HttpValidators | None) -> _Outcome:
        article = build_article(item, fetched_url, page, self.name)
        # A headline a CAR-T search returned (its page is never read) has nothing more to show: it is
        # kept unless its words show a decoy (analysis.relevance).
        search_hit = item.kind == "headline" and not item.prefilter
        relevance = judge_relevance(article.title, article.text, search_hit=search_hit)
        fetched = page is not None
        if not relevance.relevant:
            return _Outcome(item, article.canonical_url, skip_reason=f"not_relevant:{relevance.reason}",
                            fetched=fetched, cache=cache)
        article = replace(article, therapies=tuple(sorted(set(relevance.therapies))))
        return _Outcome(item, article.canonical_url, article=article, fetched=fetched, cache=cache,
                        names=relevance.names)

    # --- on the main thread: count and store -----------------------------------------------

    def _record(self, outcome: _Outcome) -> None:
        report = self.report
        report.fetched += int(outcome.fetched)
        if outcome.cache is not None and outcome.article is None:
            # Nothing to store: remember the page alone (an article's page is remembered by ingest,
            # in the article's own transaction).
            self.log.remember_page(outcome.cache)
        if outcome.error is not None:
            report.errors += 1
            err = outcome.error
            if outcome.item.url and canonical_url(outcome.item.url) in self._revalidating:
                self.log.mark_checked(canonical_url(outcome.item.url))  # not again every run
            self.log.record_fetch(url=err.url, outcome="error", error_kind=err.kind,
                                  status=err.status if isinstance(err, HTTPStatusError) else None,
                                  message=err.message)
        elif outcome.bug is not None:
            report.errors += 1
            self.log.record_fetch(url=outcome.url, outcome="bug", error_kind=type(outcome.bug).__name__,
                                  message=str(outcome.bug))
        elif outcome.skip_reason is not None:
            report.skipped[outcome.skip_reason.split(":")[0] if outcome.skip_reason.startswith("not_relevant")
                           else outcome.skip_reason] += 1
        elif outcome.article is not None:
            self._pending.append(IngestItem(outcome.article, outcome.cache, outcome.names))
        if self.progress:
            self.progress(report)

    def _store_pending(self) -> None:
        """Ingest the batch's relevant items in one transaction (one commit per batch)."""
        if not self._pending:
            return
        items, self._pending = self._pending, []
        for result in self.log.ingest_batch(items, self.registry):
            setattr(self.report, result.status, getattr(self.report, result.status) + 1)
        if self.progress:
            self.progress(self.report)


def _changed_since(item: Item, fetched_at: str) -> bool:
    """A known URL is re-checked only when its feed entry says it changed after we fetched it."""
    stamp = item.updated_at or item.published_at
    return bool(stamp and stamp > fetched_at)


def build_article(item: Item, fetched_url: str, page: ExtractedPage | None, source_name: str) -> Article:
    """Merge what the listing said with what the page said into one ``Article``.

    Identity (``crawler.canonical.page_identity``): the page's rel=canonical / og:url when it
    points at the same site, or at the publisher the listing named (a mirror's copy); a
    syndicated copy's canonical naming another outlet does not make it that outlet's article:
    it is recorded as ``syndicated_from``.
    Else the URL we fetched. A headline-only item (no publisher URL) is keyed by its
    aggregator link (``guid``), which is never fetched. Outlet: the canonical URL's host, or the
    listing's publisher hint for headline-only and API items.
    """
    url = fetched_url or item.url or (item.guid if item.kind == "headline" else None) or ""
    if page is not None:
        canonical = page_identity(url, page.canonical_url, item.outlet_domain)
    else:
        canonical = canonical_url(url) if url else ""
    outlet = host_of(canonical) if page is not None or not item.outlet_domain else item.outlet_domain
    return Article(
        canonical_url=canonical,
        url=url,
        title=(page.title if page and page.title else item.title).strip(),
        text=page.text if page else (item.text or item.summary or ""),
        source_name=source_name,
        outlet_domain=outlet,
        kind=item.kind,
        outlet_name=(page.site_name if page and page.site_name else None) or item.outlet_name,
        published_at=item.published_at or (page.published_at if page else None),
        summary=item.summary,
        authors=(page.authors if page and page.authors else item.authors),
        language=(page.language if page else None) or item.language,
        doi=item.doi, pmid=item.pmid, nct_id=item.nct_id, partial_text=bool(page and page.partial),
        syndicated_from=syndicated_from(page.canonical_url, canonical) if page is not None else None,
    )


def run_source(source: Source, *, name: str, fetcher: Fetcher, log: CrawlLog, registry: OutletRegistry,
               now: datetime, concurrency: int = 4, stop: threading.Event | None = None,
               progress: Callable[[RunReport], None] | None = None,
               clock: Callable[[], datetime] | None = None,
               revalidation: RevalidationPolicy | None = None, max_items: int = 1000) -> RunReport:
    """Crawl one source once and record its outcome (per URL, per source, per run)."""
    state = log.source_state()
    since = datetime.fromisoformat(state.last_success_at.replace("Z", "+00:00")) - LITERATURE_OVERLAP \
        if state.last_success_at else None
    # A listing's validators are remembered only once all its items are stored: remembered
    # earlier, a crash mid-listing would make the next run see 304 and never reach the rest.
    listings: list[HttpValidators] = []
    ctx = SourceContext(
        fetcher=fetcher, now=now, since=since, validators=log.listing_validators,
        remember=lambda f: listings.append(HttpValidators(f.requested_url, f.etag, f.last_modified)),
        stop=stop or threading.Event(),
    )
    pipeline = Pipeline(source, name=name, fetcher=fetcher, log=log, registry=registry, now=now,
                        concurrency=concurrency, progress=progress, revalidation=revalidation,
                        max_items=max_items)
    report = pipeline.run(ctx)
    finished = clock() if clock else now
    log.finish(error=report.source_error, listings=listings if report.complete else (),
               result=report.as_row(), finished=finished)
    return report
