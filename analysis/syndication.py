"""Syndicated copies found by their text: which earlier article of another outlet is this one a copy of?

A wire story or press release reprinted by other sites rarely names its original as canonical,
so a copy is also recognised by near-identical text: the estimated Jaccard similarity of the
5-word-shingle MinHash signatures (``analysis.fingerprint``) is at least ``COPY_SIMILARITY``.
Candidates come from an index, never a scan: the store keeps ``copy_keys`` (each text
article's LSH band keys under a ``cp:`` prefix) and loads only the articles sharing a key.

A text too short for a shingle fingerprint (a wire brief of 15 to 39 words) is matched by its
exact word sequence instead: ``text_key`` hashes the normalised words. The origin is the earliest
published candidate from another outlet; a copy of a copy therefore points at the first report.
Headlines alone are never copies: two outlets may write the same headline without copying.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from analysis.fingerprint import band_keys, word_count, words
from analysis.model.records import CopyCandidate, Fingerprint

# Reprints keep the body and change the boilerplate around it (a "Provided by" line, an editor's
# credit): their shingle overlap stays high, while two outlets' own reports of one event share
# facts but few 5-word runs.
COPY_SIMILARITY = 0.7
MIN_BRIEF_WORDS = 15


def text_key(text: str) -> str | None:
    """The hash of a brief's normalised words (15 to 39 of them); None for other texts."""
    if not MIN_BRIEF_WORDS <= word_count(text) < 40:
        return None
    found = words(text)
    return hashlib.blake2b(" ".join(found).encode("utf-8"), digest_size=8).hexdigest()


def copy_keys(fp: Fingerprint, brief_key: str | None = None) -> list[str]:
    """The copy-index keys of an article: its text band keys, or its brief's word hash."""
    if fp.kind == "text":
        return [f"cp:{key}" for key in band_keys(fp)]
    return [f"cpx:{brief_key}"] if brief_key else []


def find_origin(fp: Fingerprint, url: str, outlet_domain: str, published_at: str,
                candidates: Sequence[CopyCandidate], brief_key: str | None = None) -> str | None:
    """The URL of the original this article copies: the earliest near-identical article of another
    outlet published no later than this one, or that article's own origin when it is a copy. A
    candidate that is a declared copy of this very article makes it an original, not a copy."""
    if fp.kind != "text" and not brief_key:
        return None
    found = [c for c in candidates
             if c.outlet_domain != outlet_domain and c.published_at <= published_at
             and (fp.similarity(c.fingerprint) >= COPY_SIMILARITY if fp.kind == "text"
                  else c.text_key == brief_key)]
    if any(c.syndicated_from == url for c in found):
        return None
    first = min(found, key=lambda c: (c.published_at, c.url)) if found else None
    return (first.syndicated_from or first.url) if first else None


def find_copies(fp: Fingerprint, url: str, outlet_domain: str, published_at: str,
                candidates: Sequence[CopyCandidate], brief_key: str | None = None) -> list[str]:
    """Stored articles that turn out to be copies of this one, which arrived later than them but
    was published earlier (feeds are crawled in any order): near-identical, another outlet,
    published after this one, and not yet marked as anyone's copy."""
    if fp.kind != "text" and not brief_key:
        return []
    return [c.url for c in candidates
            if c.outlet_domain != outlet_domain and c.published_at > published_at and c.syndicated_from is None
            and c.url != url and (fp.similarity(c.fingerprint) >= COPY_SIMILARITY if fp.kind == "text"
                                  else c.text_key == brief_key)]
