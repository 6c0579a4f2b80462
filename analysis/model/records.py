"""Records that cross from analysis into the store and back: fingerprints (with their stored
form), the candidates the store loads for story and copy assignment, watches and what they match.
Plain data, so the store may import them (store → analysis model types only)."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Literal

from analysis.model import Figure

_FORMAT_VERSION = 2
_KINDS = ("text", "title", "empty")


FingerprintKind = Literal["text", "title", "empty"]


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """MinHash signature (uint32 values) of an article's text, or of its title words."""

    hashvalues: tuple[int, ...]
    kind: FingerprintKind = "text"

    def similarity(self, other: Fingerprint) -> float:
        """Estimated Jaccard similarity; 0.0 across kinds, lengths, or for empty items."""
        if self.kind != other.kind or self.kind == "empty" or len(self.hashvalues) != len(
            other.hashvalues
        ):
            return 0.0
        same = sum(1 for a, b in zip(self.hashvalues, other.hashvalues, strict=True) if a == b)
        return same / len(self.hashvalues)

    def to_bytes(self) -> bytes:
        """Compact storage form (see the module docstring)."""
        count = len(self.hashvalues)
        header = b"MH" + struct.pack("<BBH", _FORMAT_VERSION, _KINDS.index(self.kind), count)
        return header + struct.pack(f"<{count}I", *self.hashvalues)

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        """Inverse of ``to_bytes``; ``ValueError`` on anything else."""
        if len(data) < 6 or data[:2] != b"MH":
            raise ValueError("not a fingerprint: bad header")
        version, kind, count = struct.unpack("<BBH", data[2:6])
        if version != _FORMAT_VERSION or kind >= len(_KINDS) or len(data) != 6 + 4 * count:
            raise ValueError(
                f"not a fingerprint: version {version}, kind {kind}, {len(data)} bytes")
        values = struct.unpack(f"<{count}I", data[6:])
        return cls(tuple(values), _KINDS[kind])  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class StoryCandidate:
    """A story as the store loads it for assignment."""

    story_id: int
    signatures: tuple[Fingerprint, ...]
    therapies: frozenset[str]
    trials: frozenset[str]
    first_seen_at: str
    last_seen_at: str
    title_tokens: frozenset[str]
    events: frozenset[str] = frozenset()
    # The products and trials of the first article that named any: what the story is about.
    # ``therapies`` / ``trials`` grow with every article (a roundup naming five products joins
    # one of them); the different-product/trial check compares against this core, so a story
    # never becomes a match for every product it has collected.
    core_therapies: frozenset[str] | None = None
    core_trials: frozenset[str] | None = None

    @property
    def about(self) -> tuple[frozenset[str], frozenset[str]]:
        """(products, trials) the story is about: its core, else (stories stored before the
        core was kept) everything it names."""
        therapies = self.therapies if self.core_therapies is None else self.core_therapies
        trials = self.trials if self.core_trials is None else self.core_trials
        return therapies, trials


@dataclass(frozen=True, slots=True)
class CopyCandidate:
    """An earlier article as the copy index loads it; ``url`` is what a copy will point at."""

    url: str
    outlet_domain: str
    published_at: str
    fingerprint: Fingerprint
    text_key: str | None = None
    syndicated_from: str | None = None  # a candidate already known as a copy points at its origin


WatchKind = Literal["claim", "discrepancy", "safety", "article"]


@dataclass(frozen=True, slots=True)
class Watch:
    name: str
    kind: WatchKind
    therapy: str | None = None  # canonical product name
    target: str | None = None  # antigen class, e.g. "BCMA"
    metric: str | None = None
    evidence: str | None = None
    query: str | None = None  # the user's words; the store turns them into FTS5
    email: tuple[str, ...] = ()
    webhook: str | None = None


@dataclass(frozen=True, slots=True)
class NewClaim(Figure):
    claim_id: int
    article_id: int
    therapy: str
    evidence: str
    outlet_domain: str
    sentence: str
    article_title: str | None
    article_url: str | None


@dataclass(frozen=True, slots=True)
class NewArticle:
    article_id: int
    title: str
    url: str
    outlet_domain: str
    kind: str
    published_at: str | None
    therapies: tuple[str, ...]
    reports_safety: bool
