"""MinHash fingerprints of articles and the LSH band keys the store indexes them by.

``fingerprint(title, text)`` hashes the set of 5-word shingles of the normalised text (NFKC,
lowercase, words and numbers such as ``73.1``) with a 128-permutation MinHash, vectorised with
numpy (format 2): each word is hashed once from its UTF-8 bytes (a polynomial hash mod 2**64 read
off prefix sums), a shingle's hash combines its five word hashes (one odd multiplier per place),
and a 64-bit finaliser (MurmurHash3's fmix64) mixes it; permutation ``j`` maps the high 32 bits
``x`` of that to ``A[j] * x + B[j]`` mod 2**32 (``A`` odd: a bijection of 32-bit values) and keeps
the minimum, in one (128 x n) uint32 array. Every constant comes from ``SEED`` through SplitMix64, so a signature is the same in
every process and on every numpy version. Items with fewer than ``MIN_TEXT_WORDS`` words of text
(headline-only items) fall back to the set of title words without stop words; such a
fingerprint has ``kind="title"`` and only ever compares with other title fingerprints. An item
with no words at all gets ``kind="empty"``: it has no band keys and is similar to nothing.

Format 1 (datasketch, one Python-level SHA-1 per shingle, 0.17x trafilatura's CPU per news
page) gave other values; ``store.migrations`` recomputes stored signatures and keys in format 2.

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
from collections.abc import Iterable, Sequence

from analysis.model.records import Fingerprint, FingerprintKind

import numpy as np

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SEED = 20261124
SHINGLE_WORDS = 5
MIN_TEXT_WORDS = 40
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
# Stop words for title tokens, plus words every CAR-T headline shares.
STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or over than that the "
    "their this to was were will with after new now how why what who more most says said may "
    "can could car t cart cell cells therapy therapies treatment patients".split()
)

def words(text: str) -> list[str]:
    """Lowercase words and numbers of a text, after Unicode NFKC normalisation."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def word_count(text: str) -> int:
    """``len(words(text))``, without building the words when the text takes the ASCII path."""
    plain = text if text.isascii() else _ascii_punctuation(text)
    return len(words(text)) if plain is None else int(_ascii_word_spans(plain)[1].size)


def title_tokens(title: str) -> frozenset[str]:
    """The distinctive words of a headline: its words minus ``STOP_WORDS``."""
    return frozenset(w for w in words(title) if w not in STOP_WORDS)


def fingerprint(title: str, text: str, text_words: Sequence[str] | None = None) -> Fingerprint:
    """Text shingles when there is enough text, else title words (see the module docstring).

    ``text_words`` is ``words(text)`` when the caller has it already."""
    plain = text if text_words is None and text.isascii() else _ascii_punctuation(text) if text_words is None else None
    if plain is not None:
        hashes = _hashes_of_spans(*_ascii_word_spans(plain))  # as words(text) would give, without the list
    else:
        text_words = words(text) if text_words is None else text_words
        hashes = _word_hashes(text_words)
    if len(hashes) >= MIN_TEXT_WORDS:
        with np.errstate(over="ignore"):
            count = len(hashes) - SHINGLE_WORDS + 1
            shingles = hashes[:count] * _PLACES[0]
            for place in range(1, SHINGLE_WORDS):
                shingles += hashes[place : place + count] * _PLACES[place]
        return _minhash(shingles, "text")  # a repeated shingle changes no minimum: no dedup needed
    return title_fingerprint(title_tokens(title) or frozenset(words(text) if text_words is None else text_words))


def title_fingerprint(tokens: frozenset[str]) -> Fingerprint:
    """Fingerprint of a set of title tokens (``title_tokens``); ``kind="title"``."""
    return _minhash(_word_hashes(sorted(tokens)), "title")


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


def _minhash(hashes: np.ndarray, kind: FingerprintKind) -> Fingerprint:
    """The 128 minima of the permuted (finalised) hashes; ``kind="empty"`` for no hashes."""
    if hashes.size == 0:
        return Fingerprint(tuple([0] * NUM_PERM), "empty")
    with np.errstate(over="ignore"):
        mixed = (_fmix64(hashes) >> np.uint64(32)).astype(np.uint32)
        permuted = _PERM_A * mixed  # (NUM_PERM, n), mod 2**32
        permuted += _PERM_B
    return Fingerprint(tuple(permuted.min(axis=1).tolist()), kind)


def _word_hashes(tokens: Iterable[str]) -> np.ndarray:
    """One uint64 per token: sum of byte[i] * P**i over its UTF-8 bytes, mod 2**64 (the tokens are
    joined by spaces, which no token holds, and encoded once)."""
    data = np.frombuffer(" ".join(tokens).encode("utf-8"), dtype=np.uint8)
    if data.size == 0:
        return np.empty(0, dtype=np.uint64)
    spaces = np.flatnonzero(data == 32)
    starts = np.empty(spaces.size + 1, dtype=np.intp)
    starts[0], starts[1:] = 0, spaces + 1
    ends = np.empty_like(starts)
    ends[:-1], ends[-1] = spaces, data.size
    return _hashes_of_spans(data, starts, ends)


# Non-ASCII characters that NFKC leaves (or makes) non-word characters other than a lone "." or
# ",": quotes, dashes, spaces, bullets, ellipsis ("..."), signs. As spaces they split words as
# ``words`` does, so a news text whose only non-ASCII characters are these takes the ASCII path.
_PUNCTUATION = str.maketrans(dict.fromkeys(
    "\u00a0\u2009\u200a\u2002\u2003\u202f\u2018\u2019\u201c\u201d\u00ab\u00bb\u2013\u2014\u2012\u2015"
    "\u2026\u2022\u00b7\u00a9\u00ae\u00b0\u20ac\u00a3\u00a7\u2032\u2033", " "))


def _ascii_punctuation(text: str) -> str | None:
    """``text`` with ``_PUNCTUATION`` as spaces when that leaves it ASCII, else None."""
    plain = text.translate(_PUNCTUATION)
    return plain if plain.isascii() else None


def _ascii_word_spans(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bytes of an ASCII ``text`` lower-cased, and where ``words(text)``'s words start and end in
    them: runs of letters, and runs of digits joined by single "." or "," between two digits (on
    ASCII text NFKC changes nothing and ``_WORD`` reads exactly these runs)."""
    data = np.frombuffer(text.lower().encode("ascii"), dtype=np.uint8)
    letter = (data >= 97) & (data <= 122)
    digit = (data >= 48) & (data <= 57)
    joiner = np.zeros_like(digit)
    joiner[1:-1] = ((data[1:-1] == 46) | (data[1:-1] == 44)) & digit[:-2] & digit[2:]
    kind = letter.astype(np.int8) + 2 * (digit | joiner).astype(np.int8)  # 0 none, 1 letters, 2 a number
    padded = np.zeros(kind.size + 2, dtype=np.int8)
    padded[1:-1] = kind
    change = np.flatnonzero(padded[1:] != padded[:-1])  # a run starts or ends at each change
    starts = change[:-1][padded[change[:-1] + 1] != 0]
    ends = change[1:][padded[change[:-1] + 1] != 0]
    return data, starts, ends


def _hashes_of_spans(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The word hash of each span [starts[k], ends[k]) of ``data``: (S[e] - S[s]) * P**-s, with S
    the prefix sums of byte[i] * P**i, equals the sum over the span of byte * P**(i - s)."""
    if starts.size == 0:
        return np.empty(0, dtype=np.uint64)
    powers, inverse = _powers(data.size)
    sums = np.zeros(data.size + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        np.cumsum(data * powers[: data.size], dtype=np.uint64, out=sums[1:])
        hashes: np.ndarray = (sums[ends] - sums[starts]) * inverse[starts]
    return hashes


def _fmix64(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, element-wise (wrapping uint64 arithmetic)."""
    x = x ^ (x >> np.uint64(33))
    x *= np.uint64(0xFF51AFD7ED558CCD)
    x ^= x >> np.uint64(33)
    x *= np.uint64(0xC4CEB9FE1A85EC53)
    x ^= x >> np.uint64(33)
    return x


def _splitmix64(seed: int, count: int) -> list[int]:
    """``count`` 64-bit values of SplitMix64 from ``seed`` (pure Python, so numpy cannot change them)."""
    out, state, mask = [], seed, (1 << 64) - 1
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        out.append(z ^ (z >> 31))
    return out


_P = 0x100000001B3  # the FNV-1 64-bit prime: odd, so it has an inverse mod 2**64
_CONSTANTS = _splitmix64(SEED, 2 * NUM_PERM + SHINGLE_WORDS)
_PERM_A = np.array([(c >> 32) | 1 for c in _CONSTANTS[:NUM_PERM]], dtype=np.uint32).reshape(NUM_PERM, 1)
_PERM_B = np.array([c >> 32 for c in _CONSTANTS[NUM_PERM : 2 * NUM_PERM]], dtype=np.uint32).reshape(NUM_PERM, 1)
_PLACES = [np.uint64(c | 1) for c in _CONSTANTS[2 * NUM_PERM :]]
_POWERS: list[tuple[np.ndarray, np.ndarray]] = []  # (P**i, P**-i) for i < the longest text so far


def _powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """P**i and P**-i mod 2**64 for i < at least ``size``, grown by doubling and kept."""
    if _POWERS and _POWERS[0][0].size >= size:
        return _POWERS[0]
    length = max(size, 2 * (_POWERS[0][0].size if _POWERS else 4096))
    table = []
    for base in (_P, pow(_P, -1, 1 << 64)):
        values = np.full(length, base, dtype=np.uint64)
        values[0] = 1
        with np.errstate(over="ignore"):
            table.append(np.cumprod(values, dtype=np.uint64))
    _POWERS[:] = [(table[0], table[1])]
    return _POWERS[0]
