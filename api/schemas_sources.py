"""Response models of /sources, /sources/unrated and /crawl."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class RatingOut(BaseModel):
    rater: str
    dimension: str
    value: str
    raw_value: str
    rated_at: str | None
    origin: str | None


class AverageOut(BaseModel):
    """The view used by default: each rater's latest value, averaged (``analysis.outlets``)."""

    lean: str | None
    lean_score: float | None
    lean_raters: list[str]
    factuality: str | None
    factuality_score: float | None
    factuality_raters: list[str]


class OutletOut(BaseModel):
    domain: str
    name: str
    source_type: str | None
    owner: str | None
    ownership_category: str | None
    country: str | None
    verified_at: str | None
    language: str | None = None
    provenance: str
    ratings: list[RatingOut]
    average: AverageOut


class OutletsPage(BaseModel):
    items: list[OutletOut]
    next_cursor: str | None


class UnratedOut(BaseModel):
    domain: str
    name: str | None
    articles: int
    source_type: str | None
    in_registry: bool


class UnratedPage(BaseModel):
    items: list[UnratedOut]
    next_cursor: str | None


class CrawlResultOut(BaseModel):
    run_id: int
    started_at: str
    finished_at: str | None
    status: str
    fetched: int
    new: int
    updated: int
    unchanged: int
    skipped: int
    errors: int
    skipped_reasons: dict[str, int]
    message: str | None


class FailedFetchOut(BaseModel):
    url: str | None
    at: str
    error_kind: str | None
    status: int | None
    message: str | None


class SourceStatusOut(BaseModel):
    name: str
    kind: str
    url: str
    last_run_at: str | None
    last_success_at: str | None
    last_error: str | None
    last_error_at: str | None
    error_count: int
    # When `cartwatch run` will next crawl it (None: not scheduled by a running process yet).
    next_run_at: str | None
    last_result: CrawlResultOut | None
    last_failed_fetch: FailedFetchOut | None


class RunOut(BaseModel):
    id: int
    started_at: str
    finished_at: str | None
    trigger: str
    status: str
    outcomes: dict[str, int]


class CrawlStatusOut(BaseModel):
    sources: list[SourceStatusOut]
    runs: list[RunOut]


class CrawlStartedOut(BaseModel):
    ok: bool = True
    status: int = 202
    started: Any
