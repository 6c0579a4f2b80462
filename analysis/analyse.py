"""Everything we derive from one article, in one pure call: outlet, source type, manufacturer
proximity, outcome claims, what the article reports (efficacy / safety numbers) and its story
fingerprint. ``service.ingest`` calls this before its write transaction; the store only saves
the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from analysis.claims import extract_article_claims
from analysis.events import trial_like_names
from analysis.fingerprint import fingerprint
from analysis.model.records import Fingerprint
from analysis.model import EFFICACY_METRICS, SAFETY_METRICS, Article, Claim
from analysis.outlets import OutletMatch, OutletRegistry, split_url
from analysis.proximity import article_source_type, manufacturer_proximity
from analysis.stories import ArticleMeta, article_meta, story_keys
from analysis.syndication import copy_keys, text_key
from analysis.therapies import Names, find_names

# Secondary (T-cell) malignancies are reported as counts or rates, not one of our claim metrics.
_MALIGNANCY_NUMBER = re.compile(
    r"(?:secondary|second primary|T[- ]cell)\s+(?:\w+\s+)?malignanc\w*[^.]*?\d|\d[^.]*?(?:secondary|second primary|T[- ]cell)\s+(?:\w+\s+)?malignanc",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Analysis:
    article: Article  # with outlet resolved and therapies set
    outlet: OutletMatch
    source_type: str | None
    proximity: str
    claims: tuple[Claim, ...]
    reports_efficacy: bool
    reports_safety: bool
    fingerprint: Fingerprint
    meta: ArticleMeta
    story_keys: tuple[str, ...]
    copy_keys: tuple[str, ...] = ()  # the copy index's keys (analysis.syndication)
    brief_key: str | None = None  # a short text's word hash, for copies too short to fingerprint


def analyse(article: Article, registry: OutletRegistry, *, fallback_date: str,
            names: Names | None = None) -> Analysis:
    """``fallback_date`` (when we first saw it) dates an article that states no publication date;
    ``names`` are its product and trial mentions when relevance found them already."""
    if names is None or not names.fits(article.title, article.text):
        names = find_names(article.title, article.text)
    match = registry.resolve(_outlet_target(article))
    outlet = match.outlet
    article = replace(article, outlet_domain=match.domain,
                      outlet_name=article.outlet_name or (outlet.name if outlet else None),
                      via=article.via or route_of(article.canonical_url, match.domain))
    claims = tuple(extract_article_claims(article.title or "", article.text or "", names=names))
    efficacy, safety = report_flags(article.text, claims)
    # Trials the dictionary does not know yet count too, by their written name ("ZUMA-24").
    trials = {t.canonical for t in names.trials()} | trial_like_names(article.title, article.text)
    # A named trial names its product too: "CARTITUDE-4 final analysis" is about cilta-cel, and
    # meets the reports that name only the product.
    products = (*_subjects(article.therapies, names), *(t.therapy for t in names.trials()))
    meta = article_meta(article.title, article.published_at or fallback_date, products, trials,
                        text=article.text)
    fp = fingerprint(article.title, article.text)
    brief = text_key(article.text)
    return Analysis(
        article=article,
        outlet=match,
        source_type=article_source_type(outlet, article.kind),
        proximity=manufacturer_proximity(article.text, article.title, outlet, article.therapies),
        claims=claims,
        reports_efficacy=efficacy,
        reports_safety=safety,
        fingerprint=fp,
        meta=meta,
        story_keys=tuple(story_keys(fp, meta)),
        copy_keys=tuple(copy_keys(fp, brief)),
        brief_key=brief,
    )


def _outlet_target(article: Article) -> str:
    """The publisher's URL when the article's own URL is on the publisher's site (so per-path
    entries such as a journal under its publisher's domain match), else the publisher hint."""
    host = split_url(article.canonical_url)[0] if article.canonical_url else ""
    hint = article.outlet_domain
    if host and (not hint or host == hint or host.endswith("." + hint)):
        return article.canonical_url
    return hint or article.canonical_url


def report_flags(text: str, claims: Iterable[Claim]) -> tuple[bool, bool]:
    """(reports efficacy, reports safety) of a text whose claims are ``claims``."""
    metrics = {c.metric for c in claims}
    return bool(metrics & EFFICACY_METRICS), bool(metrics & SAFETY_METRICS) or reports_safety_text(text)


def route_of(canonical_url: str, outlet_key: str) -> str | None:
    """The host we reached an article through when it is not the outlet's own site (a paper's
    PubMed or Europe PMC page); None for an outlet's own URL."""
    host = split_url(canonical_url)[0] if canonical_url else ""
    outlet_host = split_url(outlet_key)[0]
    if not host or host == outlet_host or host.endswith("." + outlet_host) or outlet_host.endswith("." + host):
        return None
    return host


def reports_safety_text(text: str) -> bool:
    """Whether the text gives a number about secondary / T-cell malignancies."""
    # The literal check first: the pattern's digit-led branch would otherwise start at every digit.
    return "malignan" in text.lower() and bool(_MALIGNANCY_NUMBER.search(text))


# "setting up a contest with Johnson & Johnson's Carvykti": a product named as the rival of the one
# the article is about (which may go unnamed: "Gilead and Arcellx's cell therapy")
_RIVAL_BEFORE = re.compile(r"(?:\b(?:contest|competition|rivalry|race|battle|fight|showdown)\s+with|\brival(?:s|ing|led)?\b"
                           r"|\bcompet\w*\s+(?:with|against)|\bchalleng\w*|\bversus\b|\bvs\.?|\bthan\b|\bunlike\b"
                           r"|\bagainst\b)[^.;]{0,40}$"
                           # "Novartis, which sold the first approved CAR-T therapy, Kymriah, ...": a company's
                           # history in an aside, not what the article is about
                           r"|,\s+which\s+(?:already\s+|also\s+|once\s+)?(?:sold|sells|markets|marketed|makes|made|launched"
                           r"|developed|pioneered|owns|won\s+approval\s+for)\b[^.;]{0,50}$", re.IGNORECASE)


def _subjects(therapies: Iterable[str], names: Names) -> tuple[str, ...]:
    """The products an article is about: those it names at least once other than as a rival."""
    rival_only = set(therapies)
    for source, mentions in ((names.title, names.title_therapies), (names.text, names.text_therapies)):
        for m in mentions:
            if not _RIVAL_BEFORE.search(source, max(0, m.start - 60), m.start):
                rival_only.discard(m.canonical)
    return tuple(t for t in therapies if t not in rival_only)
