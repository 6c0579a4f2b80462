"""Response models: what the API promises to return (and what /docs shows).

Analysis results (coverage details, distributions, consistency summaries) are the analysis
package's frozen dataclasses, used as field types as they are.
"""

from __future__ import annotations

from fastapi.responses import Response
from pydantic import BaseModel, Field

from analysis.model.results import CoverageDetails, Distribution, MetricSummary



def json_of(model: BaseModel) -> Response:
    """A validated response model as JSON, serialised once by pydantic's core: a Response is
    sent as it is, where a returned model is dumped and validated again by FastAPI."""
    return Response(model.model_dump_json(), media_type="application/json")

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
    # The route a paper came by (PubMed, Europe PMC) when its outlet is its journal.
    via: str | None = None
    evidence: str | None = None
    evidence_label: str | None = None
    source_type: str | None = None
    proximity: str | None = None
    story_id: int | None = None
    outlet_lean: str | None = None
    outlet_factuality: str | None = None


class ClaimOut(BaseModel):
    id: int
    article_id: int
    article_title: str | None
    article_url: str | None
    therapy: str
    trial: str | None
    indication: str | None
    metric: str
    value: float | None
    unit: str
    not_reached: bool
    timepoint_months: float | None
    ci_low: float | None
    ci_high: float | None
    denominator: int | None
    followup_months: float | None
    sentence: str
    part: str = "text"  # "title" when only the headline states the figure (the sentence is the title)
    confidence: float
    published_at: str | None
    sort_at: str
    outlet_domain: str
    source_type: str | None
    article_kind: str
    evidence: str
    evidence_label: str
    extracted_at: str


class StoryRef(BaseModel):
    id: int
    title: str
    article_count: int
    outlet_count: int
    blindspot: str | None


class ArticleDetail(ArticleOut):
    text: str
    language: str | None
    authors: list[str]
    content_hash: str
    syndicated_from: str | None = None
    reports_efficacy: bool = False
    reports_safety: bool = False
    claims: list[ClaimOut] = []
    story: StoryRef | None = None


class ArticlesPage(BaseModel):
    items: list[ArticleOut]
    next_cursor: str | None


class ClaimsPage(BaseModel):
    therapy: str | None
    items: list[ClaimOut]
    next_cursor: str | None


class EchoOut(BaseModel):
    """How much of a story is syndicated copies of another outlet's report versus original reports."""

    copies: int
    original_reports: int


class StoryOut(BaseModel):
    id: int
    title: str
    first_seen_at: str
    last_seen_at: str
    created_at: str
    therapies: list[str]
    trials: list[str]
    article_count: int
    outlet_count: int
    blindspot: str | None
    lean: Distribution
    echo: EchoOut


class StoriesPage(BaseModel):
    rater: str | None
    items: list[StoryOut]
    next_cursor: str | None


class OriginOut(BaseModel):
    """The original report a syndicated copy reprints."""

    url: str
    title: str | None
    outlet: str


class StoryArticleOut(BaseModel):
    id: int
    title: str
    url: str
    kind: str
    outlet_domain: str
    outlet_name: str | None
    published_at: str | None
    source_type: str | None
    proximity: str | None
    syndicated_from: str | None
    origin: OriginOut | None = Field(None, description="the report this article copies (syndicated_from), "
                                     "with its title and outlet when it is stored")
    copies: int = Field(0, description="how many of the story's articles are copies of this one")
    evidence: str
    evidence_label: str
    reports_efficacy: bool
    reports_safety: bool
    lean: str | None
    factuality: str | None
    lean_raters: list[str]


class StoryDetail(StoryOut):
    rater: str | None
    blindspot_in_view: str | None
    coverage: CoverageDetails
    articles: list[StoryArticleOut]
    claims: list[ClaimOut]


class TherapyOut(BaseModel):
    canonical: str
    short_name: str | None
    brands: list[str]
    codes: list[str]
    target: str
    indications: list[str]
    developer: str
    status: str
    latest_claim_at: str | None


class TherapiesPage(BaseModel):
    items: list[TherapyOut]
    next_cursor: str | None = None


class TherapyDetail(BaseModel):
    therapy: TherapyOut
    aliases: list[str]
    trials: list[str]
    claims_considered: int
    window_full: bool
    metrics: list[MetricSummary]
    history: list[ClaimOut]


class HealthOut(BaseModel):
    ok: bool
    schema_version: int
    articles: int
