"""What the JSON API, the dashboard pages and the CLI read: outlets seen through one rater (or the
raters' average), the coverage details of stories, one story, one therapy, the outlets list, the
crawl status. Each view is a plain dict or dataclass; the routes turn them into response models,
the pages into HTML. An unknown id or name is ``NotFoundError`` (the API answers 404).

Values the database holds outside the shared vocabularies (a source type or ownership category
written by a newer crawler, say) are shown as unrated rather than failing a request.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from analysis.consistency import collapse, summarize
from analysis.distributions import CoverageRow, coverage_details
from analysis.model import OWNERSHIP_CATEGORIES, SOURCE_TYPES, Rating, evidence_level
from analysis.model.results import CoverageDetails, Discrepancy, ReportedValue
from analysis.outlets import factuality_of, lean_of
from analysis.proximity import PROXIMITY_LABELS
from analysis.stories import is_blindspot
from analysis.therapies import Therapy, all_therapies, all_trials, resolve_therapy, therapy_aliases
from service.runs import shown_status
from store.alerts import therapy_values
from store.claims import (
    SUMMARY_WINDOW,
    attach_articles,
    claims_of_articles,
    latest_claim_at,
    therapy_claims,
)
from store.crawl import recent_runs, source_status
from store.outlets import list_outlets, outlet_facts, ratings_for
from store.pagination import Page
from store.stories import articles_by_url, get_story, story_articles

HISTORY = 200  # a therapy's latest claims shown
MAX_DISCREPANCIES = 50  # per metric; ``discrepancy_count`` has them all
LEAN_BY_SLUG = {"left": "Left", "lean-left": "Lean Left", "center": "Center", "lean-right": "Lean Right",
                "right": "Right", "unrated": None}


class NotFoundError(LookupError):
    """No story, article or therapy by that id or name (the message says which)."""


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


@dataclass(frozen=True, slots=True)
class StoryCoverage:
    story: dict[str, Any]
    articles: list[dict[str, Any]]
    details: CoverageDetails
    blindspot: str | None

    @property
    def echo(self) -> dict[str, int]:
        """Syndicated copies of another outlet's report versus original reports."""
        copies = sum(1 for a in self.articles if a["syndicated_from"])
        return {"copies": copies, "original_reports": len(self.articles) - copies}


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


def claim_items(conn: sqlite3.Connection, rows: list[dict[str, Any]], *, attach: bool = False) -> list[dict[str, Any]]:
    """Claim rows as the API shows them: with their evidence class and article title."""
    if attach:
        attach_articles(conn, rows)
    for row in rows:
        row["not_reached"] = bool(row["not_reached"])
        level = evidence_level(row.get("article_kind"), row.get("source_type"))
        row["evidence"], row["evidence_label"] = level.value, level.label
    return rows


def story_item(found: StoryCoverage) -> dict[str, Any]:
    return found.story | {"lean": found.details.lean, "echo": found.echo}


def mark_copies(conn: sqlite3.Connection, articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each copy with its origin (title and outlet when the original is stored, else the host of
    its URL), and each article with how many of the story's articles copy it."""
    origins = articles_by_url(conn, (a["syndicated_from"] for a in articles if a["syndicated_from"]))
    echoes = Counter(a["syndicated_from"] for a in articles if a["syndicated_from"])
    marked = []
    for article in articles:
        source = article["syndicated_from"]
        stored = origins.get(source) if source else None
        origin = None if source is None else {
            "url": source, "title": stored["title"] if stored else None,
            "outlet": (stored["outlet_name"] or stored["outlet_domain"]) if stored else _host(source)}
        names = {article["canonical_url"], article["url"]}
        marked.append(article | {"origin": origin, "copies": sum(echoes.get(name, 0) for name in names)})
    return marked


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def story_detail(conn: sqlite3.Connection, story_id: int, rater: str | None) -> dict[str, Any]:
    """Everything the Story page and ``/stories/{id}`` show (``NotFoundError`` for an unknown id)."""
    story = get_story(conn, story_id)
    if story is None:
        raise NotFoundError(f"no story with id {story_id}")
    [found], views = stories_coverage(conn, [story], rater)
    articles = []
    for article in found.articles:
        view = views[article["outlet_domain"]]
        level = evidence_level(article["kind"], article["source_type"])
        articles.append(article | {
            "evidence": level.value, "evidence_label": level.label,
            "lean": view.lean, "factuality": view.factuality, "lean_raters": list(view.lean_raters),
            "outlet_name": article["outlet_name"] or view.name,
            "reports_efficacy": bool(article["reports_efficacy"]), "reports_safety": bool(article["reports_safety"])})
    claims = claim_items(conn, claims_of_articles(conn, [a["id"] for a in articles]), attach=True)
    return story_item(found) | {"rater": rater, "blindspot_in_view": found.blindspot, "coverage": found.details,
                                "articles": mark_copies(conn, articles), "claims": claims}


def therapy_item(conn: sqlite3.Connection, therapy: Therapy) -> dict[str, Any]:
    return {"canonical": therapy.canonical, "short_name": therapy.short_name, "brands": list(therapy.brands),
            "codes": list(therapy.codes), "target": therapy.target, "indications": list(therapy.indications),
            "developer": therapy.developer, "status": therapy.status,
            "latest_claim_at": latest_claim_at(conn, therapy.canonical)}


def find_therapy(name: str) -> Therapy:
    """The product for any of its names, else ``NotFoundError``."""
    canonical = resolve_therapy(name[:200])
    therapy = next((t for t in all_therapies() if t.canonical == canonical), None)
    if therapy is None:
        raise NotFoundError(f"no therapy named {name[:200]!r}")
    return therapy


def reported(row: dict[str, Any]) -> ReportedValue:
    return ReportedValue(
        claim_id=row["id"], article_id=row["article_id"], trial=row["trial"], metric=row["metric"],
        value=row["value"], unit=row["unit"], not_reached=bool(row["not_reached"]),
        timepoint_months=row["timepoint_months"], followup_months=row["followup_months"],
        evidence=row["evidence"], sentence=row["sentence"], outlet_domain=row["outlet_domain"],
        published_at=row["published_at"] or row["sort_at"])


def therapy_detail(conn: sqlite3.Connection, name: str) -> dict[str, Any]:
    """What ``/therapies/{name}`` and the Therapy page show."""
    therapy = find_therapy(name)
    rows = claim_items(conn, therapy_claims(conn, therapy.canonical))
    return {
        "therapy": therapy_item(conn, therapy),
        "aliases": list(therapy_aliases(therapy.canonical)),
        "trials": [t.canonical for t in all_trials() if t.therapy == therapy.canonical],
        "claims_considered": len(rows), "window_full": len(rows) >= SUMMARY_WINDOW,
        "metrics": list(summarize(collapse(reported(r) for r in rows), max_discrepancies=MAX_DISCREPANCIES)),
        "history": rows[-HISTORY:],
    }


def average(ratings: list[Rating]) -> dict[str, Any]:
    lean, factuality = lean_of(ratings), factuality_of(ratings)
    return {"lean": lean.label, "lean_score": lean.score, "lean_raters": list(lean.raters),
            "factuality": factuality.label, "factuality_score": factuality.score,
            "factuality_raters": list(factuality.raters)}


def outlets_page(conn: sqlite3.Connection, *, limit: int, cursor: str | None) -> Page:
    """Outlets with every rating (rater, date, origin) and the averaged view; a bad ``cursor``
    is ``store.pagination.BadCursor``."""
    page = list_outlets(conn, limit=limit, cursor=cursor)
    ratings = ratings_for(conn, (o["domain"] for o in page.items))
    for item in page.items:
        mine = ratings.get(item["domain"], [])
        item["ratings"] = [{"rater": r.rater, "dimension": r.dimension, "value": r.value, "raw_value": r.raw_value,
                            "rated_at": r.rated_at, "origin": r.origin} for r in mine]
        item["average"] = average(mine)
    return page


def crawl_status_data(conn: sqlite3.Connection) -> dict[str, Any]:
    runs = recent_runs(conn)
    for run in runs:  # a run whose process died shows as interrupted even before the next crawl
        run["status"] = shown_status(run["status"], run.pop("pid"))
    return {"sources": source_status(conn), "runs": runs}


def lean_domains(conn: sqlite3.Connection, lean: str | None, rater: str | None) -> tuple[list[str] | None, list[str] | None]:
    """(domains to keep, domains to drop) for a lean filter; ratings are a small table."""
    if lean is None:
        return None, None
    label = LEAN_BY_SLUG[lean]
    leans = {domain: lean_of(ratings, rater).label for domain, ratings in ratings_for(conn).items()}
    if label is None:
        return None, sorted(d for d, found in leans.items() if found is not None)
    return sorted(d for d, found in leans.items() if found == label), None


def story_discrepancies(conn: sqlite3.Connection, therapies: Iterable[str], article_ids: set[int]) -> list[Discrepancy]:
    found = []
    for therapy in sorted(set(therapies)):
        for summary in summarize(collapse(therapy_values(conn, therapy))):
            found += [d for d in summary.discrepancies if d.reported.article_id in article_ids]
    return found


def therapy_items(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every product with its latest claim's date (/therapies and the therapies page)."""
    return [therapy_item(conn, t) for t in all_therapies()]
