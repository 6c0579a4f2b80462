"""Recomputing stored MinHash signatures after a format change (migration 8: format 2).

``refresh_fingerprints`` runs when the write handle opens (``service.db.open_store``) and finds
nothing to do on a current database. After migration 8 it recomputes, from the stored title and
text, each story's signatures (its first article's and its latest four's, by id: the order they
joined in, as ``analysis.stories.add_to_story`` keeps them) and band keys, then every copy-index
signature still in format 1 with its keys, so articles ingested afterwards find the same stories
and copies as before; then it deletes its ``upkeep`` row. One transaction per story or article: a kill loses nothing, and the next
open carries on where this one stopped. About 1 ms of CPU per article, once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from analysis.fingerprint import band_keys, fingerprint, title_fingerprint, title_tokens
from analysis.syndication import copy_keys
from store import AnalysisWrites, Store

BATCH = 500
TASK = "fingerprints_v2"  # the row migration 8 adds to ``upkeep``


def refresh_fingerprints(store: Store) -> int:
    """Recompute what migration 8 left stale; the number of stories and articles redone."""
    writes = AnalysisWrites(store)
    if not writes.upkeep_pending(TASK):
        return 0  # a current database: one lookup in a table of at most a few rows
    done = after = 0
    while story_ids := writes.stories_without_signatures(after_id=after, limit=BATCH):
        for story_id in story_ids:
            members = writes.story_texts(story_id)
            if not members:
                continue
            signatures, keys = [], {}
            for _, title, text, published in members:
                fp = fingerprint(title, text)
                signatures.append(fp)
                added = band_keys(fp) + (band_keys(title_fingerprint(title_tokens(title))) if fp.kind == "text" else [])
                keys.update(dict.fromkeys((key, _epoch_day(published)) for key in added))
            with store.transaction():
                writes.restore_story_index(story_id, (signatures[0], *signatures[1:][-4:]), list(keys))
            done += 1
        after = story_ids[-1]
    after = 0
    while rows := writes.stale_fingerprints(after_id=after, limit=BATCH):
        for article_id, title, text, text_key in rows:
            fp = fingerprint(title, text)
            with store.transaction():
                writes.index_copy_keys(article_id, copy_keys(fp, text_key), fp, text_key)
            done += 1
        after = rows[-1][0]
        with store.transaction():
            writes.settle_copy_keys()
    with store.transaction():
        writes.settle_copy_keys(at_least=0)
        writes.upkeep_done(TASK)
    return done


def _epoch_day(moment: str) -> int:
    """Days since 1970-01-01 (UTC) of an ISO-8601 date or datetime (0 when it does not parse)."""
    try:
        parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        return 0
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return (parsed.date() - date(1970, 1, 1)).days
