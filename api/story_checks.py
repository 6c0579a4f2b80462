"""The Story page's "differs from the peer-reviewed value" list: the discrepancies (as on the
Therapy page, ``analysis.consistency``) whose news or press-release side is one of the story's
articles, so a reader sees on the story itself which of its figures disagree with the paper."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from analysis.consistency import Discrepancy, collapse, summarize
from store.alerts import therapy_values


def story_discrepancies(conn: sqlite3.Connection, therapies: Iterable[str], article_ids: set[int]) -> list[Discrepancy]:
    found = []
    for therapy in sorted(set(therapies)):
        for summary in summarize(collapse(therapy_values(conn, therapy))):
            found += [d for d in summary.discrepancies if d.reported.article_id in article_ids]
    return found
