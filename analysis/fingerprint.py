"""MinHash fingerprints of articles and the LSH band keys the store indexes them by.

``fingerprint(title, text)`` hashes the set of 5-word shingles of the normalised text (NFKC,
lowercase, words and numbers such as ``73.1``) with a 128-permutation MinHash (datasketch,
scheme ``affine32``, fixed seed, SHA-1 based hashing: identical in every process). Items with
fewer than ``MIN_TEXT_WORDS`` words of text (headline-only items) fall back to the set of title
words without stop words; such a fingerprint has ``kind="title"`` and only ever compares with
other title fingerprints. An item with no words at all gets ``kind="empty"``: it has no band keys
and is similar to nothing.

``band_keys`` cuts the 128 values into 32 bands of 4 rows and names each band
``"bNN:<16 hex digits>"`` (BLAKE2b of the kind and the band's values). Two fingerprints with
Jaccard similarity s share at least one key with probability 1 - (1 - s**4)**32: 0.87 at s=0.5,
0.99 at s=0.6, 0.23 at s=0.3.

``to_bytes`` is ``b"MH" + version + kind + count (uint16) + count x uint32``, little-endian:
518 bytes for 128 permutations.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from datasketch import MinHash

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SEED = 20261124
SHINGLE_WORDS = 5
MIN_TEXT_WORDS = 40
_FORMAT_VERSION = 1
_KINDS = ("text", "title", "empty")
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
# Stop words for title tokens, plus words every CAR-T headline shares.
STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or over than that the "
    "their this to was were will with after new now how why what who more most says said may "
    "can could car t cart cell cells therapy therapies treatment patients".split()
)

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


def words(text: str) -> list[str]:
    """Lowercase words and numbers of a text, after Unicode NFKC normalisation."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def title_tokens(title: str) -> frozenset[str]:
    """The distinctive words of a headline: its words minus ``STOP_WORDS``."""
    return frozenset(w for w in words(title) if w not in STOP_WORDS)


def fingerprint(title: str, text: str) -> Fingerprint:
    """Text shingles when there is enough text, else title words (see the module docstring)."""
    text_words = words(text)
    if len(text_words) >= MIN_TEXT_WORDS:
        shingles = {
            " ".join(text_words[i : i + SHINGLE_WORDS])
            for i in range(len(text_words) - SHINGLE_WORDS + 1)
        }
        return _minhash(shingles, "text")
    return title_fingerprint(title_tokens(title) or frozenset(text_words))


def title_fingerprint(tokens: frozenset[str]) -> Fingerprint:
    """Fingerprint of a set of title tokens (``title_tokens``); ``kind="title"``."""
    return _minhash(set(tokens), "title")


def band_keys(fp: Fingerprint) -> list[str]:
    """LSH keys ``"bNN:<hex>"``, one per band; none for an empty fingerprint."""
    if fp.kind == "empty":
        return []
    keys = []
    rows = len(fp.hashvalues) // BANDS
    for band in range(BANDS):
        values = fp.hashvalues[band * rows : (band + 1) * rows]
        digest = hashlib.blake2b(fp.kind.encode(), digest_size=8)
        digest.update(struct.pack(f">{len(values)}I", *values))
        keys.append(f"b{band:02d}:{digest.hexdigest()}")
    return keys


def _minhash(shingles: set[str], kind: FingerprintKind) -> Fingerprint:
    if not shingles:
        return Fingerprint(tuple([0] * NUM_PERM), "empty")
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations(),
                      scheme="affine32")
    minhash.update_batch([s.encode("utf-8") for s in sorted(shingles)])
    return Fingerprint(tuple(int(v) for v in minhash.hashvalues), kind)


@lru_cache(maxsize=1)
def _permutations() -> object:
    """The permutation parameters for ``SEED``, computed once (they depend only on the seed)."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations
