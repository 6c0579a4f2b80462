"""Re-run analysis over stored articles (``cartwatch claims rebuild``), in id-ordered batches so
memory stays flat on a million rows, one transaction per article so a kill loses nothing."""

from __future__ import annotations

from datetime import datetime

from analysis.analyse import reports_safety_text
from analysis.model import EFFICACY_METRICS, SAFETY_METRICS
from analysis.claims import extract_claims
from store.analysis_writes import AnalysisWrites
from store.writes import Store

BATCH = 500


def rebuild_claims(store: Store, *, now: datetime) -> tuple[int, int]:
    writes = AnalysisWrites(store)
    articles = claims = 0
    after = 0
    while rows := writes.article_rows(after_id=after, limit=BATCH):
        for row in rows:
            found = extract_claims(row["text"]) if row["text"] else []
            metrics = {c.metric for c in found}
            with store.transaction():
                claims += writes.replace_claims(row["id"], found, now=now)
                writes.set_report_flags(row["id"], efficacy=bool(metrics & EFFICACY_METRICS),
                                        safety=bool(metrics & SAFETY_METRICS) or reports_safety_text(row["text"]))
            articles += 1
        after = rows[-1]["id"]
    return articles, claims
