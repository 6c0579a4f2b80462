"""/articles: full-text search and filters over stored coverage, and one article in full."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from api.deps import get_conn, page_size
from api.params import BadParameter, parse_instant
from api.schemas import ArticleDetail, ArticlesPage
from store.queries import BadCursor, get_article, list_articles

router = APIRouter(tags=["articles"])


@router.get("/articles", response_model=ArticlesPage, summary="Search and list articles, newest first")
def articles(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    q: Annotated[str | None, Query(max_length=500, description="full-text query over title and text")] = None,
    since: Annotated[str | None, Query(description="2026-11-01, 2026-11-01T06:00:00Z or 24h / 7d")] = None,
    until: Annotated[str | None, Query(description="same forms as since; exclusive")] = None,
    therapy: Annotated[str | None, Query(max_length=200)] = None,
    outlet: Annotated[str | None, Query(max_length=253)] = None,
    limit: Annotated[int | None, Query(ge=1)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> ArticlesPage:
    size = page_size(request, limit)
    try:
        page = list_articles(
            conn, q=q, since=parse_instant("since", since), until=parse_instant("until", until),
            therapy=therapy, outlet=outlet, limit=size, cursor=cursor,
        )
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from None
    return ArticlesPage.model_validate({"items": page.items, "next_cursor": page.next_cursor})


@router.get("/articles/{article_id}", response_model=ArticleDetail, summary="One article with its text",
            responses={404: {"description": "no such article"}})
def article(article_id: int, conn: Annotated[sqlite3.Connection, Depends(get_conn)]) -> ArticleDetail:
    if not 0 < article_id < 2**63:
        raise HTTPException(404, f"no article with id {article_id}")
    found = get_article(conn, article_id)
    if found is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return ArticleDetail.model_validate(found)
