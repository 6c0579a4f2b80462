"""The listings the API, the dashboard pages and the CLI show, one page at a time.

Each reads one keyset page (``store.pagination``) and adds what every reader of that listing
shows: stories come with their coverage in the chosen rater's view, claims as claim items,
articles filtered on their outlet's lean in that view. A cursor this server did not hand out
raises ``BadCursor``, a search with no word to look for ``BadSearch`` (the API answers 422
naming the parameter).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from service.views import StoryCoverage, claim_items, lean_domains, stories_coverage
from store.articles import BadSearch, get_article, list_articles
from store.claims import claims_of_articles, list_claims
from store.outlets import has_ratings, list_unrated
from store.pagination import BadCursor, Page
from store.stories import get_story, list_stories, new_stories

__all__ = ["BadCursor", "BadSearch", "Page", "article_detail", "articles_page", "claims_page", "front_page_stories",
           "ratings_imported", "stories_page", "unrated_outlets"]


def articles_page(
    conn: sqlite3.Connection, *, lean: str | None = None, rater: str | None = None, q: str | None = None,
    since: str | None = None, until: str | None = None, therapy: str | None = None, outlet: str | None = None,
    source_type: str | None = None, evidence: str | None = None, story_id: int | None = None, limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """Articles newest first (/articles, the search page), full-text ``q`` and filters, only from
    outlets of ``lean`` in ``rater``'s view (the raters' average when None)."""
    domains, exclude = lean_domains(conn, lean, rater)
    return list_articles(conn, q=q, since=since, until=until, therapy=therapy, outlet=outlet, source_type=source_type,
                         domains=domains, exclude_domains=exclude, limit=limit, cursor=cursor, evidence=evidence,
                         story_id=story_id)


def article_detail(conn: sqlite3.Connection, article_id: int) -> dict[str, Any] | None:
    """One article with its claims (as claim items) and its story, or None when there is none."""
    found = get_article(conn, article_id)
    if found is None:
        return None
    found["claims"] = claim_items(conn, claims_of_articles(conn, [found["id"]]), attach=True)
    found["story"] = get_story(conn, found["story_id"]) if found.get("story_id") else None
    return found


def claims_page(
    conn: sqlite3.Connection, *, therapy: str | None = None, trial: str | None = None, metric: str | None = None,
    source_type: str | None = None, evidence: str | None = None, since: str | None = None, until: str | None = None,
    limit: int = 50, cursor: str | None = None,
) -> Page:
    """Claims newest first (/claims), as claim items."""
    page = list_claims(conn, therapy=therapy, trial=trial, metric=metric, source_type=source_type, evidence=evidence,
                       since=since, until=until, limit=limit, cursor=cursor)
    return Page(claim_items(conn, page.items), page.next_cursor)


def stories_page(
    conn: sqlite3.Connection, *, rater: str | None = None, since: str | None = None, until: str | None = None,
    therapy: str | None = None, blindspot: str | None = None, limit: int = 50, cursor: str | None = None,
) -> tuple[list[StoryCoverage], str | None]:
    """Stories by latest coverage (/stories, the archive page) with their coverage in ``rater``'s
    view, and the next page's cursor."""
    page = list_stories(conn, since=since, until=until, therapy=therapy, blindspot=blindspot, limit=limit,
                        cursor=cursor)
    found, _ = stories_coverage(conn, page.items, rater)
    return found, page.next_cursor


def front_page_stories(conn: sqlite3.Connection, *, since: str, recent: int,
                       rater: str | None) -> tuple[list[StoryCoverage], list[StoryCoverage]]:
    """The today page: stories new since ``since``, and the ``recent`` latest others."""
    new, _ = stories_coverage(conn, new_stories(conn, since=since, limit=100), rater)
    latest, _ = stories_coverage(conn, list_stories(conn, limit=recent).items, rater)
    new_ids = {f.story["id"] for f in new}
    return new, [f for f in latest if f.story["id"] not in new_ids]


def unrated_outlets(conn: sqlite3.Connection, *, limit: int, cursor: str | None) -> Page:
    """Outlet domains of stored articles that no rater rates, with their article counts."""
    return list_unrated(conn, limit=limit, cursor=cursor)


def ratings_imported(conn: sqlite3.Connection) -> bool:
    """Whether any rater's file was imported (pages say so when none was)."""
    return has_ratings(conn)

