"""Typed records that pass between the pipeline stages.

Every stage (crawler → analysis → store → api) speaks in these frozen dataclasses, never in raw
dicts, so a field rename is a type error rather than a silent ``KeyError`` at 3 a.m.
Times are UTC ISO-8601 strings (``2026-11-24T03:00:00Z``) because that is what SQLite stores and
what the API returns; parsing happens at the edges.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

# What kind of document an article row is. ``headline`` is coverage we only know by its title,
# outlet and date (e.g. a Google News item whose publisher URL is opaque).
ARTICLE_KINDS = ("news", "press_release", "paper", "preprint", "trial", "headline")


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
    kind: str = "news"
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
