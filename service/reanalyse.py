"""Re-run claim extraction over stored articles (``cartwatch claims rebuild``), in id-ordered batches
so memory stays flat on a million rows, one transaction per article so a kill loses nothing.

It uses the claims step of ``service.ingest`` (claims and flags from the stored text), so a
rebuilt article is exactly what ingesting it today would store.
"""

from __future__ import annotations

from datetime import datetime

from analysis.claims import extract_article_claims
from service.ingest import save_claims
from store import AnalysisWrites, Store
from store.articles import SaveResult

BATCH = 500


def reanalyse_claims(store: Store, *, now: datetime) -> tuple[int, int]:
    """Returns (articles, claims) re-extracted."""
    writes = AnalysisWrites(store)
    articles = claims = 0
    after = 0
    while rows := writes.article_rows(after_id=after, limit=BATCH):
        for row in rows:
            text = row["text"] or ""
            found = extract_article_claims(row["title"] or "", text)
            with store.transaction():
                claims += save_claims(writes, SaveResult(row["id"], "updated", text, True), found, now=now)
            articles += 1
        after = rows[-1]["id"]
    return articles, claims
