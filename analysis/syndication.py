"""Syndicated copies found by their text: which earlier article of another outlet is this one a copy of?

A wire story or press release reprinted by other sites rarely names its original as canonical,
so a copy is also recognised by near-identical text: the estimated Jaccard similarity of the
5-word-shingle MinHash signatures (``analysis.fingerprint``) is at least ``COPY_SIMILARITY``.
Candidates come from an index, never a scan: the store keeps ``copy_keys`` (each text
article's LSH band keys under a ``cp:`` prefix) and loads only the articles sharing a key.

The origin is the earliest published candidate from another outlet; a copy of a copy therefore
points at the first report. Title-only fingerprints (headlines) are never copies by text: two
outlets may write the same headline about one event without copying each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.fingerprint import Fingerprint, band_keys

# Reprints keep the body and change the boilerplate around it (a "Provided by" line, an editor's
# credit): their shingle overlap stays high, while two outlets' own reports of one event share
# facts but few 5-word runs.
COPY_SIMILARITY = 0.7


@dataclass(frozen=True, slots=True)
class CopyCandidate:
    """An earlier article as the copy index loads it; ``url`` is what a copy will point at."""

    url: str
    outlet_domain: str
    published_at: str
    fingerprint: Fingerprint


def copy_keys(fp: Fingerprint) -> list[str]:
    """The copy-index keys of an article: its text band keys, none for a headline."""
    return [f"cp:{key}" for key in band_keys(fp)] if fp.kind == "text" else []


def find_origin(fp: Fingerprint, outlet_domain: str, published_at: str,
                candidates: Sequence[CopyCandidate]) -> CopyCandidate | None:
    """The earliest near-identical article of another outlet published no later than this one."""
    if fp.kind != "text":
        return None
    found = [c for c in candidates
             if c.outlet_domain != outlet_domain and c.published_at <= published_at
             and fp.similarity(c.fingerprint) >= COPY_SIMILARITY]
    return min(found, key=lambda c: (c.published_at, c.url)) if found else None
