"""Response models: what the API promises to return (and what /docs shows)."""

from __future__ import annotations

from pydantic import BaseModel


class ErrorOut(BaseModel):
    ok: bool = False
    error: str
    status: int


class ArticleOut(BaseModel):
    id: int
    title: str
    url: str
    canonical_url: str
    kind: str
    source_name: str
    outlet_domain: str
    outlet_name: str | None
    published_at: str | None
    fetched_at: str
    updated_at: str
    summary: str | None
    doi: str | None
    pmid: str | None
    nct_id: str | None
    therapies: list[str]


class ArticleDetail(ArticleOut):
    text: str
    language: str | None
    authors: list[str]
    content_hash: str


class ArticlesPage(BaseModel):
    items: list[ArticleOut]
    next_cursor: str | None


class HealthOut(BaseModel):
    ok: bool
    schema_version: int
    articles: int
