"""The order for one item: analyse → store article (+ its HTTP cache entry) → claims → story → flags.

``ingest`` / ``ingest_batch`` are the only functions that know this order; the crawler,
``service.reanalyse`` and ``service.ratings`` call them or their parts. Analysis is pure and runs
before the write lock is taken; everything after it is ONE transaction per batch, so a kill -9 at
any moment leaves either the batch's articles with their claims, stories, flags and the validators
of the pages they came from, or none of them (and the next crawl fetches the pages again instead
of skipping them as unchanged).

Story assignment happens inside that transaction because it must be atomic with the save:
candidates come from the ``story_keys`` index (never a scan; keys are dated, so the lookup reads
only the window), ``analysis.stories.assign_story`` decides, and the story's index keys, counts
(``story_outlets``: one row per story and outlet, moved by one per article, never recounted) and
blindspot flag (re-judged only when a rated outlet joins) are updated before the commit. Every
batch closes the stories no article can join any more (their keys are deleted), so the index
holds the recent stories only and the cost of an article does not grow with the database.
"""

from __future__ import annotations

import os
import signal
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from analysis.analyse import Analysis, analyse, report_flags
from analysis.claims import extract_article_claims
from analysis.model import Article, Claim, Rating
from analysis.outlets import OutletRegistry, lean_of
from analysis.stories import add_to_story, assign_story, is_blindspot, new_story
from analysis.syndication import find_copies, find_origin
from analysis.therapies import Names, resolve_trial
from store import AnalysisWrites, Store
from store.articles import ArticleDerived, SaveResult
from store.crawl import HttpValidators
from store.db import iso

STORY_WINDOW_DAYS = 7
# A story no article has joined for this long (in crawl time) is closed: its index keys go.
STORY_IDLE_DAYS = 14
# Test hook for the kill -9 test (tests/test_crash_recovery.py): "STEP:N" makes the process
# SIGKILL itself the N-th time it reaches STEP, inside the transaction, with nothing cleaned up.
CRASH_ENV = "CARTWATCH_TEST_CRASH_AT"


@dataclass(frozen=True, slots=True)
class IngestItem:
    """One article to store, and the page validators to remember with it (None: no page fetched)."""

    article: Article
    fetched: HttpValidators | None = None
    names: Names | None = None  # the article's product and trial mentions, when relevance found them


def ingest(store: Store, item: IngestItem, *, registry: OutletRegistry, now: datetime) -> SaveResult:
    return ingest_batch(store, [item], registry=registry, now=now)[0]


def ingest_batch(store: Store, items: Sequence[IngestItem], *, registry: OutletRegistry,
                 now: datetime) -> list[SaveResult]:
    """Ingest several items in ONE transaction (one commit per batch: each commit rewrites the
    pages it touched, so committing per article multiplies what is written). Analysis runs first,
    outside the write lock; a crash leaves the whole batch or none of it."""
    analyses = [analyse(item.article, registry, fallback_date=iso(now), names=item.names) for item in items]
    with store.transaction():
        results = [store_item(store, item, analysis, now=now) for item, analysis in zip(items, analyses, strict=True)]
        writes = AnalysisWrites(store)
        close_stories(writes, now=now)
        writes.settle_copy_keys()
        _crash_point("commit")
    return results


def close_stories(writes: AnalysisWrites, *, now: datetime) -> int:
    """Delete the index keys of stories that no article can join any more: untouched by ingest for
    ``STORY_IDLE_DAYS`` and ending before the window of anything published since. A back-filled
    story (old articles crawled now) stays open that long too, for the rest of its back-fill."""
    idle = now - timedelta(days=STORY_IDLE_DAYS)
    return writes.close_stories(idle_before=iso(idle), last_seen_before=iso(idle - timedelta(days=STORY_WINDOW_DAYS)))


def store_item(store: Store, item: IngestItem, analysis: Analysis, *, now: datetime) -> SaveResult:
    """Everything after analysis, inside the caller's transaction."""
    writes = AnalysisWrites(store)
    if item.fetched is not None:
        store.remember_fetch(item.fetched, now=now)
        if item.fetched.url != analysis.article.canonical_url:
            # Also under the article's identity, where revalidation looks its page up.
            store.remember_fetch(replace(item.fetched, url=analysis.article.canonical_url), now=now)
    _crash_point("article")
    saved = store.save_article(analysis.article, now=now, derived=derived_columns(analysis))
    if saved.text_changed:
        _crash_point("claims")
        save_claims(writes, saved, claims_of_stored_text(saved, analysis), now=now)
        mark_copy(writes, saved.article_id, analysis)
    if saved.status != "unchanged":
        _crash_point("story")
        story_id = writes.article_story(saved.article_id)
        if story_id is None:
            story_id = assign_to_story(writes, saved.article_id, analysis, now=now)
            if writes.count_into_story(story_id, analysis.article.outlet_domain):
                judge_blindspot(writes, story_id, new_outlet=analysis.article.outlet_domain)
        else:
            # An updated article may have moved outlet: count its story again (one window's articles).
            writes.recount_story(story_id)
            refresh_story(writes, story_id)
    return saved


def mark_copy(writes: AnalysisWrites, article_id: int, analysis: Analysis) -> None:
    """Issue 12: an article whose text is near-identical to an earlier one of another outlet is
    a syndicated copy of it (when its page did not already say so by a canonical link); then its
    own fingerprint joins the copy index (analysis.syndication; lookup by key, never a scan)."""
    article, fp, brief = analysis.article, analysis.fingerprint, analysis.brief_key
    candidates = writes.copy_candidates(analysis.copy_keys, article_id=article_id)
    origin = None if article.syndicated_from else find_origin(
        fp, article.canonical_url, article.outlet_domain, analysis.meta.published_at, candidates, brief)
    if origin is not None:
        writes.set_syndicated_from(article_id, origin)
    elif article.syndicated_from is None:
        # An original that arrives after its copies: they are marked now.
        for copy_url in find_copies(fp, article.canonical_url, article.outlet_domain,
                                    analysis.meta.published_at, candidates, brief):
            writes.set_syndicated_from_url(copy_url, article.canonical_url)
    writes.index_copy_keys(article_id, analysis.copy_keys, fp, brief)


def derived_columns(analysis: Analysis) -> ArticleDerived:
    return ArticleDerived(source_type=analysis.source_type, proximity=analysis.proximity,
                          reports_efficacy=analysis.reports_efficacy, reports_safety=analysis.reports_safety)


def claims_of_stored_text(saved: SaveResult, analysis: Analysis) -> Sequence[Claim]:
    """Claims always come from the text that is stored: a second record of one paper (same DOI)
    may keep the first record's text, and its own claims would then point at text not stored."""
    if saved.text == analysis.article.text:
        return analysis.claims
    return extract_article_claims(analysis.article.title or "", saved.text or "")


def save_claims(writes: AnalysisWrites, saved: SaveResult, claims: Sequence[Claim], *, now: datetime) -> int:
    """Replace an article's claims and the efficacy / safety flags that follow from them."""
    count = writes.replace_claims(saved.article_id, claims, now=now)
    efficacy, safety = report_flags(saved.text, claims)
    writes.set_report_flags(saved.article_id, efficacy=efficacy, safety=safety)
    return count


def assign_to_story(writes: AnalysisWrites, article_id: int, analysis: Analysis, *, now: datetime) -> int:
    meta, fp = analysis.meta, analysis.fingerprint
    day = epoch_day(meta.published_at)
    when = datetime.fromisoformat(meta.published_at.replace("Z", "+00:00"))
    window = timedelta(days=STORY_WINDOW_DAYS + 1)  # a day more: dates stored in other ISO forms
    # A story the article can join spans one window with it: all its articles (and the days of
    # their keys) lie within a window of the article's date; assign_story checks it exactly.
    candidates = writes.story_candidates(analysis.story_keys, first_day=day - STORY_WINDOW_DAYS - 1,
                                         last_day=day + STORY_WINDOW_DAYS + 1, earliest=iso(when - window),
                                         latest=iso(when + window))
    decision = assign_story(fp, meta, candidates, window_days=STORY_WINDOW_DAYS)
    if decision.story_id is None:
        story_id = writes.create_story(analysis.article.title, first_seen_at=meta.published_at, now=now)
        story = new_story(story_id, fp, meta)
    else:
        chosen = next(c for c in candidates if c.story_id == decision.story_id)
        story = add_to_story(chosen, fp, meta)
    writes.save_story(story, keys=analysis.story_keys, day=day, now=now,
                      trial_names=[resolve_trial(t) or t for t in story.trials])
    writes.set_article_story(article_id, story.story_id)
    return story.story_id


def epoch_day(moment: str) -> int:
    """Days since 1970-01-01 (UTC) of an ISO-8601 date or datetime: the date of a story key."""
    parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return (parsed.date() - date(1970, 1, 1)).days


def judge_blindspot(writes: AnalysisWrites, story_id: int, *, new_outlet: str) -> None:
    """A new outlet in the story: only a rated one can change its blindspot flag."""
    if lean_of(writes.ratings_for([new_outlet])).label is not None:
        refresh_story(writes, story_id)


def refresh_story(writes: AnalysisWrites, story_id: int) -> None:
    """Re-judge a story's blindspot from its outlets (``story_outlets``) and current ratings."""
    outlets = writes.story_outlets(story_id)
    by_domain: dict[str, list[Rating]] = defaultdict(list)
    for rating in writes.ratings_for(outlets):
        by_domain[rating.domain].append(rating)
    leans: Counter[str] = Counter()
    for domain in outlets:
        leans[lean_of(by_domain[domain]).label or "unrated"] += 1
    writes.set_blindspot(story_id, is_blindspot(leans))


_crash_counts: Counter[str] = Counter()


def _crash_point(step: str) -> None:
    """SIGKILL this process at the configured step (tests only; a no-op unless CRASH_ENV is set)."""
    target = os.environ.get(CRASH_ENV)
    if not target:
        return
    name, _, nth = target.partition(":")
    if name != step:
        return
    _crash_counts[step] += 1
    if _crash_counts[step] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
