"""Outlets seen through one rater (or the raters' average), and the coverage details of stories.

Values the database holds outside the shared vocabularies (a source type or ownership category
written by a newer crawler, say) are shown as unrated rather than failing a request.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.distributions import CoverageDetails, CoverageRow, coverage_details
from analysis.model import Rating
from analysis.outlets import OWNERSHIP_CATEGORIES, SOURCE_TYPES, factuality_of, lean_of
from analysis.proximity import PROXIMITY_LABELS
from analysis.stories import is_blindspot
from store.queries_outlets import outlet_facts, ratings_for
from store.queries_stories import story_articles


@dataclass(frozen=True, slots=True)
class OutletView:
    """An outlet's facts and its lean/factuality in the chosen view."""

    domain: str
    name: str | None
    source_type: str | None
    ownership_category: str | None
    lean: str | None
    factuality: str | None
    lean_raters: tuple[str, ...]
    factuality_raters: tuple[str, ...]
    ratings: tuple[Rating, ...]


@dataclass(frozen=True, slots=True)
class StoryCoverage:
    story: dict[str, Any]
    articles: list[dict[str, Any]]
    details: CoverageDetails
    blindspot: str | None


def known(value: str | None, vocabulary: Sequence[str]) -> str | None:
    return value if value in vocabulary else None


def outlet_views(conn: sqlite3.Connection, domains: Iterable[str], rater: str | None) -> dict[str, OutletView]:
    wanted = sorted(set(domains))
    ratings = ratings_for(conn, wanted)
    facts = outlet_facts(conn, wanted)
    return {domain: _view(domain, facts.get(domain), ratings.get(domain, []), rater) for domain in wanted}


def _view(domain: str, fact: dict[str, Any] | None, ratings: list[Rating], rater: str | None) -> OutletView:
    lean = lean_of(ratings, rater)
    factuality = factuality_of(ratings, rater)
    fact = fact or {}
    return OutletView(
        domain=domain, name=fact.get("name"), source_type=known(fact.get("source_type"), SOURCE_TYPES),
        ownership_category=known(fact.get("ownership_category"), OWNERSHIP_CATEGORIES),
        lean=lean.label, factuality=factuality.label, lean_raters=lean.raters,
        factuality_raters=factuality.raters, ratings=tuple(ratings),
    )


def coverage_rows(articles: Iterable[dict[str, Any]], views: dict[str, OutletView]) -> list[CoverageRow]:
    rows = []
    for article in articles:
        view = views.get(article["outlet_domain"])
        rows.append(CoverageRow(
            article_id=article["id"], outlet_domain=article["outlet_domain"],
            outlet_name=article.get("outlet_name") or (view.name if view else None),
            published_at=article.get("published_at"),
            lean=view.lean if view else None, factuality=view.factuality if view else None,
            ownership_category=view.ownership_category if view else None,
            source_type=known(article.get("source_type"), SOURCE_TYPES) or (view.source_type if view else None),
            proximity=known(article.get("proximity"), PROXIMITY_LABELS),
            reports_efficacy=bool(article.get("reports_efficacy")), reports_safety=bool(article.get("reports_safety")),
        ))
    return rows


def stories_coverage(
    conn: sqlite3.Connection, stories: Sequence[dict[str, Any]], rater: str | None,
) -> tuple[list[StoryCoverage], dict[str, OutletView]]:
    """Coverage details for a page of stories: one articles query, one ratings query."""
    by_story = story_articles(conn, (s["id"] for s in stories))
    views = outlet_views(conn, (a["outlet_domain"] for arts in by_story.values() for a in arts), rater)
    found = []
    for story in stories:
        articles = by_story.get(story["id"], [])
        details = coverage_details(coverage_rows(articles, views))
        lean_counts = {b.label: b.count for b in details.lean.buckets}
        found.append(StoryCoverage(story, articles, details, is_blindspot(lean_counts)))
    return found, views
