"""Cheap facts about one sentence, so the extractor can skip patterns that cannot match.

Every expensive pattern of the extractor is paired with a ``Needs``: literal text that each of its
matches contains. When none of that text occurs in the sentence the pattern is not run, which
changes nothing but the time spent. Case-insensitive patterns are tested against ``folded``, the
sentence lower-cased after mapping the four characters that ``re.IGNORECASE`` equates with an ASCII
letter although ``str.lower`` does not ("İ", "ı", "ſ", "K"), so a literal that an ignore-case
pattern matches always occurs in ``folded``.

Number words ("seventy-one") count only at word edges. Masking (analysis.claims.numbers) can cut a
word and so create a new word edge; in a sentence without digits that happens only at the edges of
the masks and name spans listed under ``_CUT_MARKS``, and then any number word counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.therapies import word_trie

UNIT_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
              "fourteen fifteen sixteen seventeen eighteen nineteen").split()
TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


_NUMBER_WORD = re.compile(word_trie([*UNIT_WORDS, *TENS_WORDS, "hundred"]))  # longest word first, as a trie
# The characters re.IGNORECASE matches to an ASCII letter although str.lower() does not give it.
IGNORECASE_EXTRA = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_FOLD = str.maketrans(IGNORECASE_EXTRA)
_ODD = "".join(IGNORECASE_EXTRA)
_DIGIT = re.compile(r"\d")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
# Masks that may end or start inside a word in a sentence without digits ("years old|er",
# "percent|age", "risk|y", "-fold|ed", "th|at least", "median of"), and name spans next to a word
# character outside [A-Za-z0-9].
_CUT_MARKS = ("old", "percent", "risk", "fold", "least", "median")
_ODD_WORD_CHAR = re.compile(r"[^\W0-9A-Za-z]")


_last_fold: tuple[str, str] = ("", "")  # (text, fold(text)): read and replaced as one tuple


def fold(text: str) -> str:
    """``text`` lower-cased as ``re.IGNORECASE`` compares ASCII letters; same length as ``text``.

    The last answer is kept: a sentence is folded by ``probe`` and then again by the patterns that
    look its literals up (analysis.claims.literals); the tuple keeps the string alive, so an id is
    never reused for another string while it is kept."""
    global _last_fold
    last = _last_fold
    if last[0] is text:
        return last[1]
    folded = text.translate(_FOLD) if not text.isascii() and any(char in text for char in _ODD) else text
    folded = folded.lower()
    _last_fold = (text, folded)
    return folded


def on_folded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """An ignore-case pattern rewritten for ``fold``ed text: lower-case and case-sensitive, it
    matches the folded text where the pattern matches the text, and sre can then skip ahead to its
    literals (an ignore-case pattern is tried at every character, which costs ~1 ms on a news page)."""
    if re.search(r"\\[A-Z]", pattern.pattern):
        raise ValueError(f"an upper-case escape would change meaning when lower-cased: {pattern.pattern}")
    return re.compile(pattern.pattern.lower())


def cases(letter: str) -> str:
    """Every character ``(?i:letter)`` matches, for a lower-case ASCII letter."""
    return letter + letter.upper() + "".join(c for c, folded in IGNORECASE_EXTRA.items() if folded == letter)


@dataclass(frozen=True, slots=True)
class Probe:
    """A sentence, its folded copy, and what numbers may occur in it.

    ``digit``: it holds a digit. ``number``: a number (digits or a number word) may match in it or
    in a masked copy. ``words``: some number word occurs in ``folded``, even inside another word.
    """

    text: str
    folded: str
    digit: bool
    number: bool
    words: bool


def probe(text: str, *, count_numbers: bool = True) -> Probe:
    """Probe of ``text``; without ``count_numbers`` it may hold numbers (nothing is skipped for them)."""
    folded = fold(text)
    if not count_numbers:
        return Probe(text, folded, True, True, True)
    digit = _DIGIT.search(text) is not None
    words = _NUMBER_WORD.search(folded) is not None
    return Probe(text, folded, digit, digit or (words and _has_number_word(text, folded)), words)


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
    ``also`` lists ``exact`` literals of which every match holds one as well.
    """

    folded: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    digit: bool = False
    number: bool = False
    also: tuple[str, ...] = ()  # and one of these ``exact`` literals too

    def met(self, sentence: Probe) -> bool:
        if (self.digit and not sentence.digit) or (self.number and not sentence.number):
            return False
        if self.also and not any(word in sentence.text for word in self.also):
            return False
        if not self.folded and not self.exact:
            return True
        folded, text = sentence.folded, sentence.text
        for word in self.folded:  # plain loops: this runs some 80 times a sentence
            if word in folded:
                return True
        for word in self.exact:
            if word in text:
                return True
        return False


_LONG = 8  # a Needs with more literals than this is checked on its own in Gates


class Gates:
    """The ``Needs`` of a table of patterns, checked together: each literal is looked up once.

    ``open(sentence)[i] == needs[i].met(sentence)``; one call per sentence instead of one per
    pattern is what makes it cheaper. The answer for the last sentence is kept: stages asked in turn
    about one ``Probe`` (counts' may_hold_count, then find_patient_counts) check it once. Callers
    only read the list.
    """

    def __init__(self, needs: list[Needs]) -> None:
        self.long = [(i, n) for i, n in enumerate(needs) if len(n.folded) + len(n.exact) > _LONG]
        short = [n if len(n.folded) + len(n.exact) <= _LONG else Needs() for n in needs]
        self.free = [not n.folded and not n.exact for n in short]
        self.folded = _index([n.folded for n in short])
        self.exact = _index([n.exact for n in short])
        self.digit = [i for i, n in enumerate(needs) if n.digit]
        self.number = [i for i, n in enumerate(needs) if n.number]
        self.also = [(i, n.also) for i, n in enumerate(needs) if n.also]
        self._last: tuple[Probe, list[bool]] | None = None  # one tuple: read and replaced at once

    def open(self, sentence: Probe) -> list[bool]:
        last = self._last
        if last is not None and last[0] is sentence:  # the probe is kept alive by the tuple: no reused id
            return last[1]
        hit = self._open(sentence)
        self._last = (sentence, hit)
        return hit

    def _open(self, sentence: Probe) -> list[bool]:
        hit = list(self.free)
        folded, text = sentence.folded, sentence.text
        for word, indices in self.folded:
            if word in folded:
                for i in indices:
                    hit[i] = True
        for word, indices in self.exact:
            if word in text:
                for i in indices:
                    hit[i] = True
        for i in self.digit if not sentence.digit else ():
            hit[i] = False
        for i in self.number if not sentence.number else ():
            hit[i] = False
        for i, words in self.also:
            hit[i] = hit[i] and any(word in text for word in words)
        for i, needs in self.long:  # on its own, it stops at the first literal found
            hit[i] = needs.met(sentence)
        return hit


def _index(words: list[tuple[str, ...]]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Each literal with the indices of the entries that list it."""
    where: dict[str, list[int]] = {}
    for i, entry in enumerate(words):
        for word in entry:
            where.setdefault(word, []).append(i)
    return tuple((word, tuple(indices)) for word, indices in where.items())
