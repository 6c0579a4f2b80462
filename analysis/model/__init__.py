"""Typed records that pass between the pipeline stages.

Every stage (crawler → analysis → store → api) speaks in these frozen dataclasses, never in raw
dicts, so a field rename is a type error rather than a silent ``KeyError`` at 3 a.m.
Times are UTC ISO-8601 strings (``2026-11-24T03:00:00Z``) because that is what SQLite stores and
what the API returns; parsing happens at the edges.

This package is the one part of analysis that every package may import (docs/architecture.md,
"Import rules"): the vocabularies (metrics, evidence levels, article kinds, outlet labels) here,
metric names and units in ``analysis.model.metrics``, and the records the views return in
``analysis.model.results``. It computes nothing beyond a vocabulary's own rules and imports
nothing of ours outside itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class Metric(StrEnum):
    """The outcome metrics a claim can carry: the one list (shared/domain/CLAIMS-GUIDE.md) that the
    extractor, the evaluation gate, the API's validation and the README use."""

    ORR = "ORR"
    CR = "CR"
    sCR = "sCR"
    VGPR = "VGPR"
    MRD_NEG = "MRD_NEG"
    DOR_MEDIAN = "DOR_MEDIAN"
    PFS_MEDIAN = "PFS_MEDIAN"
    PFS_RATE = "PFS_RATE"
    EFS_MEDIAN = "EFS_MEDIAN"
    EFS_RATE = "EFS_RATE"
    OS_MEDIAN = "OS_MEDIAN"
    OS_RATE = "OS_RATE"
    REMISSION_RATE = "REMISSION_RATE"
    N_PATIENTS = "N_PATIENTS"
    FOLLOWUP_MEDIAN = "FOLLOWUP_MEDIAN"
    CRS_ANY = "CRS_ANY"
    CRS_GRADE3PLUS = "CRS_GRADE3PLUS"
    ICANS_ANY = "ICANS_ANY"
    ICANS_GRADE3PLUS = "ICANS_GRADE3PLUS"


# What each metric means, in words (the README's metric table); short names for pages are in
# analysis.model.metrics.
METRIC_MEANINGS: dict[Metric, str] = {
    Metric.ORR: "overall (objective) response rate",
    Metric.CR: "complete response / remission rate",
    Metric.sCR: "stringent complete response rate",
    Metric.VGPR: "very good partial response (or better) rate",
    Metric.MRD_NEG: "MRD negativity rate",
    Metric.DOR_MEDIAN: "median duration of response",
    Metric.PFS_MEDIAN: "median progression-free survival",
    Metric.PFS_RATE: "progression-free survival rate at a landmark",
    Metric.EFS_MEDIAN: "median event-free survival",
    Metric.EFS_RATE: "event-free survival rate at a landmark",
    Metric.OS_MEDIAN: "median overall survival",
    Metric.OS_RATE: "overall survival rate at a landmark",
    Metric.REMISSION_RATE: "overall remission rate (CR + CRi; DORIS in lupus)",
    Metric.N_PATIENTS: "patients in a defined group (enrolled, infused, evaluable)",
    Metric.FOLLOWUP_MEDIAN: "median follow-up",
    Metric.CRS_ANY: "cytokine release syndrome, any grade",
    Metric.CRS_GRADE3PLUS: "cytokine release syndrome, grade 3 or higher",
    Metric.ICANS_ANY: "ICANS / neurologic events, any grade",
    Metric.ICANS_GRADE3PLUS: "ICANS / neurologic events, grade 3 or higher",
}
SAFETY_METRICS = frozenset({Metric.CRS_ANY, Metric.CRS_GRADE3PLUS, Metric.ICANS_ANY, Metric.ICANS_GRADE3PLUS})
EFFICACY_METRICS = frozenset(Metric) - SAFETY_METRICS - {Metric.N_PATIENTS, Metric.FOLLOWUP_MEDIAN}

# What kind of document an article row is. ``headline`` is coverage we only know by its title,
# outlet and date (e.g. a Google News item whose publisher URL is opaque); ``abstract`` is a
# meeting abstract (ASCO, ASH), even when a journal's supplement publishes it.
ArticleKind = Literal["news", "press_release", "paper", "preprint", "abstract", "trial", "headline"]


class EvidenceLevel(StrEnum):
    """How far a reported figure has been checked, the one vocabulary the API, dashboard, CSV
    and consistency view use. Only ``PEER_REVIEWED`` is a reference for other reports: a preprint
    (medRxiv, bioRxiv) has not been reviewed, an abstract is a meeting's short first look."""

    PEER_REVIEWED = "peer_reviewed"
    PREPRINT = "preprint"
    CONFERENCE_ABSTRACT = "conference_abstract"
    REGISTRY_RESULTS = "registry_results"
    PRESS_RELEASE = "press_release"
    NEWS = "news"

    @property
    def label(self) -> str:
        return EVIDENCE_LABELS[self]


EVIDENCE_LABELS = {
    EvidenceLevel.PEER_REVIEWED: "peer-reviewed paper",
    EvidenceLevel.PREPRINT: "preprint",
    EvidenceLevel.CONFERENCE_ABSTRACT: "conference abstract",
    EvidenceLevel.REGISTRY_RESULTS: "registry results",
    EvidenceLevel.PRESS_RELEASE: "press release",
    EvidenceLevel.NEWS: "news",
}
# (level, article kinds, outlet source types): the first rule whose kind or source type matches
# decides, anything else is news. Preprint comes before peer-reviewed so a medRxiv record is never
# "peer-reviewed"; an abstract before peer-reviewed because a journal supplement prints it. The
# store builds its SQL from this table, so Python and SQL cannot disagree.
EVIDENCE_RULES: tuple[tuple[EvidenceLevel, tuple[str, ...], tuple[str, ...]], ...] = (
    (EvidenceLevel.PREPRINT, ("preprint",), ("preprint server",)),
    (EvidenceLevel.CONFERENCE_ABSTRACT, ("abstract",), ()),
    (EvidenceLevel.REGISTRY_RESULTS, ("trial",), ()),
    (EvidenceLevel.PEER_REVIEWED, ("paper",), ("peer-reviewed journal",)),
    (EvidenceLevel.PRESS_RELEASE, ("press_release",), ("press release wire", "manufacturer/company")),
)


def evidence_level(article_kind: str | None, source_type: str | None) -> EvidenceLevel:
    """The evidence level of an article (and of every claim in it), per ``EVIDENCE_RULES``."""
    for level, kinds, types in EVIDENCE_RULES:
        if article_kind in kinds or source_type in types:
            return level
    return EvidenceLevel.NEWS


@dataclass(frozen=True, slots=True)
class Article:
    """One piece of coverage, ready to be stored.

    ``canonical_url`` is the identity: two fetches with the same canonical URL are the same
    article. ``outlet_domain`` is the publisher's domain (never a redirector's or mirror's).
    """

    canonical_url: str
    url: str
    title: str
    text: str
    source_name: str
    outlet_domain: str
    kind: ArticleKind = "news"
    outlet_name: str | None = None
    published_at: str | None = None
    summary: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    doi: str | None = None
    pmid: str | None = None
    nct_id: str | None = None
    therapies: tuple[str, ...] = field(default=())
    # A syndicated copy's pointer to the original (its rel=canonical on another site): the copy
    # keeps its own identity and outlet, and the link says where it came from.
    syndicated_from: str | None = None
    # Only part of the text was readable (a paywall or metered page): claims come from that part.
    partial_text: bool = False
    # The route a record came by when that is not its outlet: a paper's outlet is its journal,
    # and PubMed or Europe PMC (the host of its URL) is only how we reached it.
    via: str | None = None

    @property
    def content_hash(self) -> str:
        """Hash of what a reader sees; a changed hash means the stored copy must be updated."""
        digest = hashlib.sha256()
        for part in (self.title, self.text):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
        return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Claim:
    """One quantitative outcome figure, traceable to the sentence it came from.

    ``start``/``end`` are character offsets of ``sentence`` in the text the claim was extracted
    from, so ``text[start:end] == sentence``. Field names are a public contract (CLI JSON).
    """

    therapy: str
    metric: str
    value: float | None
    unit: str
    sentence: str
    start: int
    end: int
    trial: str | None = None
    indication: str | None = None
    not_reached: bool = False
    timepoint_months: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    denominator: int | None = None
    confidence: float = 1.0
    # The data cut the figure belongs to, when the text states it (median follow-up in months).
    followup_months: float | None = None
    # "title" for a figure only the headline states ("start"/"end" then point into the title), else "text"
    part: str = "text"


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure:
    """An outcome figure as read back from the claims table (the part every reader of claims
    shares): its trial, metric, value (None when "not reached") in its unit, and landmark."""

    trial: str | None
    metric: str
    value: float | None
    unit: str
    not_reached: bool
    timepoint_months: float | None


# An outlet's facts and ratings take their values from these lists (analysis/data/outlets.csv,
# the raters' files, the API's parameters).
SOURCE_TYPES = ("general news", "health/medical trade press", "peer-reviewed journal",
                "preprint server", "press release wire", "manufacturer/company",
                "government/regulator", "academic/hospital news office", "patient advocacy",
                "aggregator", "professional society")
OWNERSHIP_CATEGORIES = ("Independent", "Corporation", "Media conglomerate", "Billionaire-owned",
                        "Private equity", "Non-profit", "Government", "Public broadcaster",
                        "Academic", "unconfirmed")
LEAN_LABELS = ("Left", "Lean Left", "Center", "Lean Right", "Right")
FACTUALITY_LABELS = ("Very High", "High", "Mostly Factual", "Mixed", "Low", "Very Low")
NO_LEAN = "No lean"  # value of a lean rating whose rater files the outlet outside politics


@dataclass(frozen=True, slots=True)
class Outlet:
    """A publisher, with the facts we ship (never a rater's label)."""

    domain: str
    name: str
    source_type: str
    owner: str | None = None
    ownership_category: str | None = None
    country: str | None = None
    verified_at: str | None = None
    language: str | None = None  # ISO 639-1 code of the language the outlet publishes in


@dataclass(frozen=True, slots=True)
class Rating:
    """One rater's label for one outlet: lean or factuality, always with its provenance."""

    domain: str
    rater: str
    dimension: str  # "lean" | "factuality" | "reliability" (Ad Fontes, numeric) | "credibility" (MBFC)
    value: str  # normalised label, e.g. "Lean Left", "High"
    raw_value: str
    rated_at: str | None = None
    origin: str | None = None  # file name or URL the value was imported from
