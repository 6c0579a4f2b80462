"""Screening an item for the crawler: is it about CAR-T therapy? (``analysis.relevance``)

The crawler asks twice: ``worth_fetching`` on a feed entry's title and summary before it
downloads the page, and ``judge_relevance`` on the parsed article, whose verdict also names the
products the article mentions (they become the article's therapies). What is not relevant is
counted as skipped and never reaches ``service.ingest``.
"""

from __future__ import annotations

from analysis.relevance import Relevance, assess_relevance, prefilter
from analysis.therapies import Names

__all__ = ["Names", "Relevance", "judge_relevance", "worth_fetching"]


def worth_fetching(title: str, summary: str) -> bool:
    """Whether a feed entry's title and summary name CAR-T at all (else its page is not read)."""
    return prefilter(title, summary).relevant


def judge_relevance(title: str, text: str, *, search_hit: bool = False) -> Relevance:
    """The verdict on a downloaded article (or a headline a CAR-T search returned, ``search_hit``):
    relevant or not, a short reason code, and the canonical products it names."""
    return assess_relevance(title, text, search_hit=search_hit)
