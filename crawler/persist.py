"""Save one analysed article with its claims and story, in a single transaction.

Story assignment happens here because it must be atomic with the save: candidates come from the
``story_keys`` index (never a scan), ``analysis.stories.assign_story`` decides, and the story's
index keys, counts and blindspot flag are updated before the transaction commits.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from analysis.analyse import Analysis
from analysis.outlets import lean_of
from analysis.stories import add_to_story, assign_story, is_blindspot, new_story
from analysis.therapies import resolve_trial
from store.analysis_writes import AnalysisWrites
from store.writes import SaveResult, Store, iso

STORY_WINDOW_DAYS = 7


def persist(store: Store, analysis: Analysis, *, now: datetime) -> SaveResult:
    writes = AnalysisWrites(store)
    extras = {
        "source_type": analysis.source_type, "proximity": analysis.proximity,
        "reports_efficacy": int(analysis.reports_efficacy), "reports_safety": int(analysis.reports_safety),
    }
    with store.transaction():
        result = store.save_article(analysis.article, now=now, extras=extras)
        if result.status == "unchanged":
            return result
        writes.replace_claims(result.article_id, analysis.claims, now=now)
        if writes.article_story(result.article_id) is None:
            assign_to_story(writes, result.article_id, analysis, now=now)
    return result


def assign_to_story(writes: AnalysisWrites, article_id: int, analysis: Analysis, *, now: datetime) -> int:
    meta, fp = analysis.meta, analysis.fingerprint
    when = datetime.fromisoformat(meta.published_at.replace("Z", "+00:00"))
    window = timedelta(days=STORY_WINDOW_DAYS)
    candidates = writes.story_candidates(analysis.story_keys, earliest=iso(when - window), latest=iso(when + window))
    decision = assign_story(fp, meta, candidates, window_days=STORY_WINDOW_DAYS)
    if decision.story_id is None:
        story_id = writes.create_story(analysis.article.title, first_seen_at=meta.published_at, now=now)
        story = new_story(story_id, fp, meta)
    else:
        chosen = next(c for c in candidates if c.story_id == decision.story_id)
        story = add_to_story(chosen, fp, meta)
    writes.save_story(story, keys=analysis.story_keys, now=now,
                      trial_names=[resolve_trial(t) or t for t in story.trials])
    writes.set_article_story(article_id, story.story_id)
    refresh_story(writes, story.story_id)
    return story.story_id


def refresh_story(writes: AnalysisWrites, story_id: int) -> None:
    """Recount a story's articles and outlets and re-judge its blindspot from current ratings."""
    outlets = writes.story_outlets(story_id)
    ratings = writes.ratings_for(outlets)
    leans: Counter[str] = Counter()
    for domain in outlets:
        label = lean_of([r for r in ratings if r.domain == domain]).label
        leans[label or "unrated"] += 1
    writes.update_story_counts(story_id, blindspot=is_blindspot(leans))
