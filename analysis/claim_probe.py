"""Cheap facts about one sentence, so the extractor can skip patterns that cannot match.

Every expensive pattern of the extractor is paired with a ``Needs``: literal text that each of its
matches contains. When none of that text occurs in the sentence the pattern is not run, which
changes nothing but the time spent. Case-insensitive patterns are tested against ``folded``, the
sentence lower-cased after mapping the four characters that ``re.IGNORECASE`` equates with an ASCII
letter although ``str.lower`` does not ("İ", "ı", "ſ", "K"), so a literal that an ignore-case
pattern matches always occurs in ``folded``.

Number words ("seventy-one") count only at word edges. Masking (analysis.claim_numbers) can cut a
word and so create a new word edge; in a sentence without digits that happens only at the edges of
the masks and name spans listed under ``_CUT_MARKS``, and then any number word counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNIT_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
              "fourteen fifteen sixteen seventeen eighteen nineteen").split()
TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORD = re.compile("|".join(sorted([*UNIT_WORDS, *TENS_WORDS, "hundred"], key=len, reverse=True)))
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_ODD = "\u0130\u0131\u017f\u212a"
_DIGIT = re.compile(r"\d")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
# Masks that may end or start inside a word in a sentence without digits ("years old|er",
# "percent|age", "risk|y", "-fold|ed", "th|at least", "median of"), and name spans next to a word
# character outside [A-Za-z0-9].
_CUT_MARKS = ("old", "percent", "risk", "fold", "least", "median")
_ODD_WORD_CHAR = re.compile(r"[^\W0-9A-Za-z]")


def fold(text: str) -> str:
    """``text`` lower-cased as ``re.IGNORECASE`` compares ASCII letters; same length as ``text``."""
    if not text.isascii() and any(char in text for char in _ODD):
        text = text.translate(_FOLD)
    return text.lower()


@dataclass(frozen=True, slots=True)
class Probe:
    """A sentence, its folded copy, and whether a number (digits or words) may occur in it."""

    text: str
    folded: str
    digit: bool
    number: bool


def probe(text: str, *, count_numbers: bool = True) -> Probe:
    """Probe of ``text``; without ``count_numbers`` it may hold numbers (nothing is skipped for them)."""
    folded = fold(text)
    if not count_numbers:
        return Probe(text, folded, True, True)
    digit = _DIGIT.search(text) is not None
    return Probe(text, folded, digit, digit or _has_number_word(text, folded))


def _has_number_word(text: str, folded: str) -> bool:
    cut = any(mark in folded for mark in _CUT_MARKS) or _ODD_WORD_CHAR.search(text) is not None
    for m in _NUMBER_WORD.finditer(folded):
        start, end = m.span()
        if cut or ((start == 0 or folded[start - 1] not in _ALNUM)
                   and (end == len(folded) or folded[end] not in _ALNUM)):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Needs:
    """What every match of a pattern contains: a digit, a number, and one of some literals.

    ``folded`` literals are lower-case and looked up in ``Probe.folded`` (for ignore-case
    patterns); ``exact`` literals are looked up in ``Probe.text``. With neither, any text will do.
    """

    folded: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    digit: bool = False
    number: bool = False

    def met(self, sentence: Probe) -> bool:
        if (self.digit and not sentence.digit) or (self.number and not sentence.number):
            return False
        if not self.folded and not self.exact:
            return True
        return (any(word in sentence.folded for word in self.folded)
                or any(word in sentence.text for word in self.exact))
