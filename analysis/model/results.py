"""The records that analysis' computations return and the views show: distributions and a
story's coverage details (``analysis.distributions``), reported values and their agreement
(``analysis.consistency``), and the digest (``analysis.digest``).

They live beside the vocabularies in ``analysis.model`` because the API's response models, its
charts and the CLI name them; the computations that fill them stay in their analysis modules.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.model import Figure


@dataclass(frozen=True, slots=True)
class Bucket:
    label: str
    count: int
    percent: float


@dataclass(frozen=True, slots=True)
class Distribution:
    """Counts per label in the given order; ``unrated`` is kept apart from the percentages."""

    buckets: tuple[Bucket, ...]
    rated: int
    unrated: int

    def count(self, label: str) -> int:
        return next((b.count for b in self.buckets if b.label == label), 0)

    def percent(self, label: str) -> float:
        return next((b.percent for b in self.buckets if b.label == label), 0.0)


@dataclass(frozen=True, slots=True)
class DayCount:
    day: str  # UTC date, YYYY-MM-DD
    articles: int
    outlets: int


@dataclass(frozen=True, slots=True)
class FirstReport:
    article_id: int
    outlet_domain: str
    outlet_name: str | None
    published_at: str


@dataclass(frozen=True, slots=True)
class CoverageDetails:
    article_count: int
    outlet_count: int
    lean: Distribution
    factuality: Distribution
    ownership: Distribution
    source_type: Distribution
    proximity: Distribution
    first_report: FirstReport | None
    timeline: tuple[DayCount, ...]
    undated: int


@dataclass(frozen=True, slots=True)
class EmphasisShare:
    """Of ``articles`` in a bucket, how many report efficacy / safety numbers, and what share."""

    articles: int
    efficacy: int
    safety: int
    efficacy_percent: float
    safety_percent: float


@dataclass(frozen=True, slots=True)
class ReportedValue(Figure):
    """One value as a source reported it; ``reports`` counts identical claims it stands for."""

    claim_id: int
    article_id: int
    followup_months: float | None
    evidence: str
    sentence: str
    outlet_domain: str
    published_at: str | None
    reports: int = 1


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """A news/press value and the closest peer-reviewed value of the same cut it does not match.

    ``difference`` is reported minus peer-reviewed, in the group's unit (percentage points or
    months); None when one side is "not reached".
    """

    reported: ReportedValue
    peer_reviewed: ReportedValue
    difference: float | None


@dataclass(frozen=True, slots=True)
class MetricSummary:
    """Every value reported for one trial + metric + timepoint, and how they agree.

    ``consensus`` is the most reported peer-reviewed value of the latest known cut (``basis``
    "peer_reviewed"), else the most reported other value (``basis`` "news_only"); ``conflicting``
    is True when peer-reviewed values of one cut disagree among themselves.
    """

    trial: str | None
    metric: str
    unit: str
    timepoint_months: float | None
    peer_reviewed: tuple[ReportedValue, ...]
    other: tuple[ReportedValue, ...]
    consensus: ReportedValue | None
    basis: str
    conflicting: bool
    discrepancies: tuple[Discrepancy, ...]
    discrepancy_count: int
    # Preprint values, shown beside the peer-reviewed ones: never the reference, never compared.
    preprints: tuple[ReportedValue, ...] = ()


@dataclass(frozen=True, slots=True)
class DigestStory:
    id: int
    title: str
    created_at: str
    last_seen_at: str
    therapies: tuple[str, ...]
    article_count: int
    outlet_count: int
    lean: dict[str, int]  # outlets per lean label, and "unrated"
    blindspot: str | None
    url: str


@dataclass(frozen=True, slots=True)
class DigestClaim(Figure):
    id: int
    therapy: str
    followup_months: float | None
    evidence: str
    outlet_domain: str
    published_at: str | None
    sentence: str
    article_title: str | None
    article_url: str | None


@dataclass(frozen=True, slots=True)
class DigestTherapy:
    therapy: str
    claims: tuple[DigestClaim, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    since: str
    until: str
    stories: tuple[DigestStory, ...]
    therapies: tuple[DigestTherapy, ...]
