"""Wiring for a crawl: open the store and the fetcher, run the chosen sources, record the run.

Used by ``cartwatch crawl --once`` and by each scheduled job of ``cartwatch run``. Each call opens
its own database connection and HTTP pool, so scheduled sources can run side by side.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import httpx

from analysis.outlets import OutletRegistry
from cartwatch.config import AppConfig, build_source
from crawler.fetch import Fetcher
from crawler.pipeline import RunReport, run_source
from crawler.config import SourceConfig
from store.analysis_writes import AnalysisWrites
from store.writes import Store

Progress = Callable[[str, RunReport], None]


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def outlet_registry(config: AppConfig) -> OutletRegistry:
    """The shipped outlet facts with the user's ``[outlets."domain"]`` overrides on top."""
    return OutletRegistry.load_default(config.outlets)


def sync_outlets(store: Store, registry: OutletRegistry) -> None:
    pairs = []
    for outlet in registry.outlets():
        match = registry.resolve(outlet.domain)
        pairs.append((outlet, "config" if match.overridden else "cartwatch"))
    AnalysisWrites(store).sync_outlets(pairs)


def selected_sources(config: AppConfig, names: Sequence[str] | None) -> list[SourceConfig]:
    if names:
        return [config.source(name) for name in names]
    return [s for s in config.sources if s.enabled]


def crawl(
    config: AppConfig, *, names: Sequence[str] | None = None, trigger: str = "manual",
    progress: Progress | None = None, stop: threading.Event | None = None,
    transport: httpx.BaseTransport | None = None, now: datetime | None = None,
) -> list[RunReport]:
    sources = selected_sources(config, names)
    store = Store.open(config.database.path, busy_timeout_ms=config.database.busy_timeout_ms)
    reports: list[RunReport] = []
    try:
        store.sync_sources((s.name, s.kind, s.url) for s in config.sources)
        registry = outlet_registry(config)
        sync_outlets(store, registry)
        started = now or utc_now()
        run_id = store.start_run(trigger=trigger, now=started)
        with Fetcher(config.crawler, transport=transport) as fetcher:
            for source_config in sources:
                if stop is not None and stop.is_set():
                    break
                reports.append(run_source(
                    build_source(source_config), name=source_config.name, fetcher=fetcher, store=store,
                    registry=registry,
                    now=now or utc_now(), run_id=run_id, concurrency=config.crawler.concurrency, stop=stop,
                    progress=(lambda r, n=source_config.name: progress(n, r)) if progress else None,
                    clock=(lambda: now) if now else utc_now,
                ))
        failed = any(r.status == "failed" for r in reports)
        store.finish_run(run_id, now=now or utc_now(), status="failed" if failed else "ok")
    finally:
        store.close()
    return reports
