"""Story assignment: does a new article join one of the candidate stories, or start a new one?

Pure and incremental: the store finds candidates through an index, never by scanning. It keeps
``story_keys(key, day, story_id)`` and, for each article it saves, inserts ``story_keys(fp,
meta)`` under the article's story, dated by the article: the LSH band keys of its fingerprint,
the band keys of its title words, and one ``"ev:<therapy>|<trial>"`` key per therapy and trial it
names. For a new article it looks up stories sharing any of those keys on a day within the window
(the lookup stops at the window), loads them as ``StoryCandidate``s and calls ``assign_story``.
After a join it saves ``add_to_story(candidate, fp, meta)``; for a new story ``new_story(story_id,
fp, meta)``.

``assign_story`` only consults the candidates passed in (see ``_judge`` for the vetoes on
one company's different business topics and on headlines naming other follow-up landmarks or
phases, and ``_vague_match`` for reports that name no subject of their own). A candidate is eligible when the story,
with the article added, spans at most ``window_days`` from its first to its last article
(``in_span``: the window is anchored on the story, so a story never spans more than it). It is
vetoed when both sides name trials and share none, or name therapies and share none, or are
approvals by different regulators (different events), compared with the products and trials the story is about (``StoryCandidate.about``: those
of its first article naming any, not all it collected), unless the texts are near-identical
(similarity >= ``STRICT_SIMILARITY``). The best eligible
candidate wins, by reason first (near_duplicate > therapy_trial > similar_title), then score,
then the lowest story id:

- near_duplicate: estimated Jaccard of the MinHash signatures >= ``threshold`` (syndicated copy);
- therapy_trial: shares a therapy AND a trial (score = title similarity, for ranking);
- similar_title: Jaccard of the title tokens >= ``title_threshold``.

So two readouts of different trials of one product in the same week stay apart, and an FDA
approval and a readout months apart fall outside each other's window.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from analysis.events import event_keys, is_clue, is_strong
from analysis.fingerprint import band_keys, title_fingerprint, title_tokens
from analysis.model.records import Fingerprint, StoryCandidate

NEAR_DUPLICATE = 0.5
STRICT_SIMILARITY = 0.85
TITLE_SIMILARITY = 0.5
EVENT_DAYS = 4  # one event's reports: the story with the article added spans at most this many days
WEAK_EVENT_TITLE = 0.1  # a weak shared subject (company, class) also needs this much title overlap
MAX_SIGNATURES = 5  # the first article's signature and the latest four
BLINDSPOT_SHARE = Fraction(4, 5)
BLINDSPOT_MIN_OUTLETS = 3
# Event keys that record a kind, a regulator, a headline's landmark or phase: no subject.
_NOT_SUBJECTS = ("kind:", "reg:", "ly:", "ph:")
_REASON_RANK = {"near_duplicate": 4, "therapy_trial": 3, "same_event": 2, "similar_title": 1}


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What assignment needs besides the fingerprint; ``published_at`` is UTC ISO-8601."""

    published_at: str
    therapies: frozenset[str] = frozenset()
    trials: frozenset[str] = frozenset()
    title_tokens: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()  # analysis.events.event_keys


@dataclass(frozen=True, slots=True)
class Assignment:
    """``story_id`` None means: start a new story. ``reason`` names the rule that decided."""

    story_id: int | None
    score: float
    reason: str


def article_meta(
    title: str, published_at: str, therapies: Iterable[str] = (), trials: Iterable[str] = (), text: str = ""
) -> ArticleMeta:
    """Build ``ArticleMeta``; therapy and trial names are compared case-insensitively."""
    therapies, trials = _names(therapies), _names(trials)
    return ArticleMeta(published_at, therapies, trials, title_tokens(title),
                       event_keys(title, text, therapies, trials))


def story_keys(fp: Fingerprint, meta: ArticleMeta) -> list[str]:
    """Index keys for an article: text bands, title bands, and therapy|trial event keys."""
    keys = band_keys(fp)
    if fp.kind == "text":
        keys += band_keys(title_fingerprint(meta.title_tokens))
    keys += [f"ev:{t}|{r}" for t in sorted(meta.therapies) for r in sorted(meta.trials)]
    # A vague report's clues are indexed by its diseases only: a landmark or journal alone is
    # never enough to join, and would bring every story of the window as a candidate.
    keys += [f"evt:{e}" for e in sorted(meta.events)
             if not e.startswith(_NOT_SUBJECTS) and not (is_clue(e) and not _clue_disease(e))]
    return list(dict.fromkeys(keys))


def assign_story(
    article_fp: Fingerprint, article_meta: ArticleMeta, candidates: Sequence[StoryCandidate],
    *, window_days: int = 7, threshold: float = NEAR_DUPLICATE,
    title_threshold: float = TITLE_SIMILARITY,
) -> Assignment:
    """The story this article joins, or ``Assignment(None, 0.0, "new_story")``."""
    when = _parse(article_meta.published_at)
    window = timedelta(days=window_days)
    best: tuple[int, float, int] | None = None
    best_reason = ""
    for candidate in candidates:
        if not in_span(when, candidate, window):
            continue
        reason, score = _judge(article_fp, article_meta, candidate, threshold, title_threshold,
                               in_span(when, candidate, timedelta(days=EVENT_DAYS)))
        if reason:
            key = (_REASON_RANK[reason], score, -candidate.story_id)
            if best is None or key > best:
                best, best_reason = key, reason
    if best is None:
        return Assignment(None, 0.0, "new_story")
    return Assignment(-best[2], round(best[1], 4), best_reason)


def _judge(
    fp: Fingerprint, meta: ArticleMeta, candidate: StoryCandidate,
    threshold: float, title_threshold: float, event_window: bool = False,
) -> tuple[str, float]:
    """(reason, score) for one candidate in the window; ("", 0.0) if it does not match."""
    similarity = max((fp.similarity(s) for s in candidate.signatures), default=0.0)
    therapies, trials = candidate.about
    if similarity < STRICT_SIMILARITY and (
        _disjoint(meta.trials, trials)
        # one company's quarter names whichever of its products sold: the products do not set it apart
        or (_disjoint(meta.therapies, therapies) and not _same_company_news(meta.events, candidate.events))
        or _disjoint(_kinds(meta.events), _kinds(candidate.events)) or _real_world_vs_trial(meta, candidate)
        or _other_regulator(meta.events, candidate.events) or _other_analysis(meta.events, candidate.events)
        or _other_business(meta.events, candidate.events) or _other_disease(meta.events, candidate.events)
    ):
        return "", 0.0
    if similarity >= threshold:
        return "near_duplicate", similarity
    title = _jaccard(meta.title_tokens, candidate.title_tokens)
    if meta.therapies & therapies and meta.trials & trials:
        return "therapy_trial", title
    shared = {e for e in meta.events & candidate.events
              if not e.startswith((*_NOT_SUBJECTS, "subj:")) and not is_clue(e)}
    if not _kinds(meta.events) or not _kinds(candidate.events):
        # One side names no kind of event: a strong subject alone decides.
        shared = {e for e in meta.events & candidate.events if e.startswith("subj:") and is_strong(e)}
    if event_window and (any(is_strong(e) for e in shared) or (shared and title >= WEAK_EVENT_TITLE)
                         or _vague_match(meta.events, candidate.events, title)):
        return "same_event", title
    if title >= title_threshold:
        return "similar_title", title
    return "", 0.0


def _same_company_news(events: frozenset[str], other: frozenset[str]) -> bool:
    """Both reports are business news only and name one company's same topic ("b:gilead outlook")."""
    if _kinds(events) != {"business"} or _kinds(other) != {"business"}:
        return False
    return any(e.startswith("b:") for e in events & other)


def new_story(story_id: int, fp: Fingerprint, meta: ArticleMeta) -> StoryCandidate:
    """The candidate record of a story that this article starts."""
    return StoryCandidate(story_id, (fp,), meta.therapies, meta.trials, meta.published_at,
                          meta.published_at, meta.title_tokens, meta.events, meta.therapies, meta.trials)


def add_to_story(
    candidate: StoryCandidate, fp: Fingerprint, meta: ArticleMeta, *, keep: int = MAX_SIGNATURES
) -> StoryCandidate:
    """The story after this article joined: signatures kept are the first and the latest."""
    latest = (*candidate.signatures[1:], fp)[-(keep - 1):] if keep > 1 else ()
    first, last = candidate.first_seen_at, candidate.last_seen_at
    when = _parse(meta.published_at)
    therapies, trials = candidate.about
    return StoryCandidate(
        candidate.story_id, (*candidate.signatures[:1], *latest),
        candidate.therapies | meta.therapies, candidate.trials | meta.trials,
        meta.published_at if when < _parse(first) else first,
        meta.published_at if when > _parse(last) else last,
        candidate.title_tokens, candidate.events | meta.events,
        therapies or meta.therapies, trials or meta.trials,
    )


def is_blindspot(lean_counts: Mapping[str, int]) -> str | None:
    """"left" or "right" when that side has >= 80% of the story's rated outlets (at least 3).

    ``lean_counts`` counts distinct outlets per lean label. Rated coverage is Left + Lean Left +
    Center + Lean Right + Right (Center counts in the denominator); unrated and any other key
    are excluded. "left" means the left dominates: a blindspot for readers on the right.
    """
    left = lean_counts.get("Left", 0) + lean_counts.get("Lean Left", 0)
    right = lean_counts.get("Right", 0) + lean_counts.get("Lean Right", 0)
    rated = left + right + lean_counts.get("Center", 0)
    if rated < BLINDSPOT_MIN_OUTLETS:
        return None
    if left >= rated * BLINDSPOT_SHARE:
        return "left"
    if right >= rated * BLINDSPOT_SHARE:
        return "right"
    return None


def in_span(when: datetime, candidate: StoryCandidate, window: timedelta) -> bool:
    """Whether the story, with an article of this date added, spans at most ``window`` from its
    first article to its last. The window is anchored on the story's own articles, never slid by
    the latest one: a story of a product's weekly news cannot chain on for years."""
    start, end = _parse(candidate.first_seen_at), _parse(candidate.last_seen_at)
    return max(end, when) - min(start, when) <= window


def _names(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values if v.strip())


def _disjoint(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    return bool(mine) and bool(theirs) and not mine & theirs


def _real_world_vs_trial(meta: ArticleMeta, candidate: StoryCandidate) -> bool:
    """A registry or real-world analysis and a named trial's readout are two events, even for
    one product in one week (a meeting's abstracts)."""
    mine, theirs = _real_world(meta.events), _real_world(candidate.events)
    return (mine and not theirs and bool(candidate.trials)) or (theirs and not mine and bool(meta.trials))


def _other_regulator(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """Two regulators' decisions are two events, even on one product in one week (an FDA approval
    and a European Commission one): both are approvals naming regulators, and none is shared."""
    if "kind:approval" not in mine or "kind:approval" not in theirs:
        return False
    return _disjoint(_prefixed(mine, "reg:"), _prefixed(theirs, "reg:"))


def _other_analysis(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """Two headlines naming different follow-up landmarks ("two-year update", "five-year data") or
    different trial phases report two analyses, even of one product in one week."""
    return any(_disjoint(_prefixed(mine, mark), _prefixed(theirs, mark)) for mark in ("ly:", "ph:"))


def _other_business(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """One company's different business news in one week (its layoffs and its plant sale, its
    deal and its outlook) are two events: for a company both sides name, topics that share nothing."""
    def topics(events: frozenset[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for company, _, topic in (e[len("subj:b:"):].rpartition(" ") for e in events if e.startswith("subj:b:")):
            found.setdefault(company, set()).add(topic)
        return found

    ours, others = topics(mine), topics(theirs)
    return any(not ours[c] & others[c] for c in ours.keys() & others.keys())


def _other_disease(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """Two readouts naming different diseases are two analyses, even of one product in one week (its
    lupus data and a leukaemia registry paper)."""
    if "kind:readout" not in mine or "kind:readout" not in theirs:
        return False
    return _disjoint(_prefixed(mine, "subj:v:"), _prefixed(theirs, "subj:v:"))


def _vague_match(mine: frozenset[str], theirs: frozenset[str], title: float) -> bool:
    """A report that names no product, trial, hospital or target ("Lupus patients treated with
    CAR-T remain off drugs two years on") joins a story of the same kind when they share a disease
    and one more clue (another disease, the follow-up landmark, the journal) and some title words.
    Never between two sides that both name strong subjects: those decide on their own."""
    if _has_strong(mine) and _has_strong(theirs):
        return False
    if not _kinds(mine) & _kinds(theirs):
        return False
    shared = {e for e in mine & theirs if e.startswith("subj:") and is_clue(e)}
    # a report in another language shares no title words: three clues (diseases, landmark, journal) do
    enough = len(shared) >= 2 if title >= WEAK_EVENT_TITLE else len(shared) >= 3
    return any(e.startswith("subj:v:") for e in shared) and enough


def _clue_disease(event_key: str) -> bool:
    return event_key.startswith(("v:", "subj:v:"))


def _has_strong(events: frozenset[str]) -> bool:
    return any(e.startswith("subj:") and is_strong(e) for e in events)


def _prefixed(events: frozenset[str], prefix: str) -> frozenset[str]:
    return frozenset(e[len(prefix):] for e in events if e.startswith(prefix))


def _real_world(events: frozenset[str]) -> bool:
    return any(e.startswith("x:real-world|") for e in events)


def _kinds(events: frozenset[str]) -> frozenset[str]:
    return _prefixed(events, "kind:")


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _parse(moment: str) -> datetime:
    """ISO-8601 date or datetime; naive values are taken as UTC."""
    parsed = datetime.fromisoformat(moment)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
