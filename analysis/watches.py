"""Watches: what a user asked to hear about, and which new records match it. Pure: records in,
``Match`` es out; the store finds the new records and the service delivers the messages.

Four kinds of watch, each narrowed by an optional therapy or target class (``BCMA``):

- ``claim``: a new outcome claim, optionally of one metric and one evidence class;
- ``discrepancy``: a news or press-release value that differs from the peer-reviewed value of
  the same data cut (``analysis.consistency``), newly found because either side is new;
- ``safety``: a new article that reports safety numbers (CRS/ICANS rates, secondary malignancies);
- ``article``: a new article matching a full-text query (``analysis.search``; the store runs it).

Each ``Match.key`` names the thing found by what it says, not by row ids: claims are deleted and
re-inserted when an article is re-crawled, and a re-extracted claim must not alert again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from analysis.consistency import collapse, summarize
from analysis.model.records import NewArticle, NewClaim, Watch
from analysis.model.metrics import (
    SAFETY_METRICS,
    amount_text,
    difference_text,
    figure_text,
    metric_label,
    unit_family,
)
from analysis.model.results import ReportedValue
from analysis.therapies import all_therapies

TARGETS: dict[str, str] = {t.canonical: t.target for t in all_therapies()}
SHORT: dict[str, str] = {t.canonical: t.short_name or t.canonical for t in all_therapies()}


@dataclass(frozen=True, slots=True)
class Match:
    """One thing a watch found, as it will be said: ``key`` is unique per watch."""

    key: str
    subject: str
    text: str
    link: str | None


def covers(watch: Watch, therapies: Iterable[str]) -> bool:
    """Whether a record about ``therapies`` is within the watch's therapy or target class."""
    names = tuple(therapies)
    if watch.therapy and watch.therapy not in names:
        return False
    return not watch.target or any(TARGETS.get(t, "").casefold() == watch.target.casefold() for t in names)


def claim_matches(watch: Watch, claims: Sequence[NewClaim], *, base_url: str) -> list[Match]:
    found = []
    for c in claims:
        if not covers(watch, (c.therapy,)) or (watch.metric and c.metric != watch.metric) \
                or (watch.evidence and c.evidence != watch.evidence):
            continue
        figure = figure_text(c.metric, c.value, c.unit, not_reached=c.not_reached, timepoint_months=c.timepoint_months)
        where = f"{SHORT.get(c.therapy, c.therapy)}{' · ' + c.trial if c.trial else ''}"
        found.append(Match(
            key=f"claim:{claim_identity(c)}",
            subject=f"{where}: {figure} ({c.outlet_domain})",
            text="\n".join([f"New claim for {where}: {figure}", f"Source: {c.outlet_domain} ({c.evidence.replace('_', ' ')})",
                            f"“{c.sentence}”", f"Article: {c.article_title or ''} {c.article_url or ''}".rstrip(),
                            f"Therapy page: {therapy_link(base_url, c.therapy)}"]),
            link=c.article_url or therapy_link(base_url, c.therapy)))
    return found


def claim_identity(c: NewClaim) -> str:
    return f"{c.article_id}:{c.therapy}:{c.trial or ''}:{c.metric}:{c.timepoint_months}:{c.value}{c.unit}:{int(c.not_reached)}"


def safety_matches(watch: Watch, articles: Sequence[NewArticle], claims: Sequence[NewClaim], *,
                   base_url: str) -> list[Match]:
    """New articles reporting safety numbers; the message quotes their CRS/ICANS claims."""
    found = []
    for a in articles:
        if not a.reports_safety or not covers(watch, a.therapies):
            continue
        lines = [f"- {figure_text(c.metric, c.value, c.unit, timepoint_months=c.timepoint_months)}: “{c.sentence}”"
                 for c in claims if c.article_id == a.article_id and c.metric in SAFETY_METRICS]
        found.append(Match(
            key=f"safety:{a.article_id}",
            subject=f"Safety signal: {a.title} ({a.outlet_domain})",
            text="\n".join([f"New safety report about {_names(a.therapies)}: {a.title}", f"Source: {a.outlet_domain}",
                            *(lines or ["(secondary malignancy figures in the text)"]), f"Article: {a.url}"]),
            link=a.url))
    return found


def article_matches(watch: Watch, articles: Sequence[NewArticle], *, base_url: str) -> list[Match]:
    """Articles the store found for the watch's query, narrowed by its therapy or target."""
    what = f"matching “{watch.query}”" if watch.query else f"in watch {watch.name}"
    return [Match(key=f"article:{a.article_id}", subject=f"New article {what}: {a.title} ({a.outlet_domain})",
                  text="\n".join([f"New article {what}: {a.title}",
                                  f"Source: {a.outlet_domain}; about: {_names(a.therapies) or 'no product named'}",
                                  f"Article: {a.url}"]),
                  link=a.url)
            for a in articles if covers(watch, a.therapies)]


def discrepancy_matches(watch: Watch, therapy: str, values: Iterable[ReportedValue], new_ids: set[int], *,
                        base_url: str) -> list[Match]:
    """Discrepancies of one therapy's values in which either side is a new claim."""
    if not covers(watch, (therapy,)):
        return []
    found = []
    for summary in summarize(collapse(values)):
        if watch.metric and summary.metric != watch.metric:
            continue
        for d in summary.discrepancies:
            if d.reported.claim_id not in new_ids and d.peer_reviewed.claim_id not in new_ids:
                continue
            r, p = d.reported, d.peer_reviewed
            where = f"{SHORT.get(therapy, therapy)}{' · ' + summary.trial if summary.trial else ''}"
            label = f"{r.timepoint_months:g}-month {metric_label(r.metric)}" if r.timepoint_months is not None \
                else metric_label(r.metric)
            gap = difference_text(d.difference, unit_family(r.unit))
            said = amount_text(r.value, r.unit, not_reached=r.not_reached)
            peer = amount_text(p.value, p.unit, not_reached=p.not_reached)
            found.append(Match(
                key=f"discrepancy:{r.article_id}:{therapy}:{r.trial or ''}:{r.metric}:{r.timepoint_months}:{r.value}{r.unit}",
                subject=f"Discrepancy, {where} {label}: {said} ({r.outlet_domain}) vs {peer} peer-reviewed",
                text="\n".join([f"{where}, {label}: {r.outlet_domain} ({r.evidence.replace('_', ' ')}) says {said}; "
                                f"the peer-reviewed value of the same data cut is {peer} ({p.outlet_domain}); "
                                f"difference {gap}.",
                                f"Reported: “{r.sentence}”", f"Peer-reviewed: “{p.sentence}”",
                                f"Therapy page: {therapy_link(base_url, therapy)}"]),
                link=therapy_link(base_url, therapy)))
    return found


def therapy_link(base_url: str, therapy: str) -> str:
    return f"{base_url.rstrip('/')}/therapy/{quote(SHORT.get(therapy, therapy))}"


def _names(therapies: Iterable[str]) -> str:
    return ", ".join(SHORT.get(t, t) for t in therapies)
