"""Therapy dictionary: every CAR-T product and trial we know, and finding them in text.

The data lives in ``analysis/data/therapies.json`` (built from shared/domain/CAR-T-FACTS.md).
Each alias (generic name, short name, brand, code name) becomes one regex alternative that
tolerates hyphen/space variants ("cilta cel", "KTE C19", "JNJ 4528") and capitalisation,
except aliases listed as case-sensitive because they are also ordinary words ("PILOT", "FELIX").
Matches never start or end inside another word. Everything is compiled once at import.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_DATA_FILE = Path(__file__).with_name("data") / "therapies.json"
_SEP_CHARS = "-\u2010\u2011\u2012\u2013\u2014\u2015 \t\u00a0"
_SEP = r"[\s\-\u2010-\u2015]?"
_SEP_DELETE = str.maketrans("", "", _SEP_CHARS)
_TOKEN = re.compile(r"[A-Za-z]+|[0-9]+|[\s\-\u2010-\u2015]+|.", re.DOTALL)
# Characters that re.IGNORECASE equates with an ASCII letter although str.lower() does not give
# that letter (tests/test_claims_speed_regression.py checks every code point).
_ODD = "\u0130\u0131\u017f\u212a"
_WORDS_ONLY = bytes(c if chr(c) in string.ascii_lowercase + string.digits else 32 for c in range(256))


@dataclass(frozen=True, slots=True)
class Therapy:
    """One CAR-T product (or, for academic CD19 CAR T, one class without an INN)."""

    canonical: str
    short_name: str | None
    brands: tuple[str, ...]
    codes: tuple[str, ...]
    target: str
    indications: tuple[str, ...]
    developer: str
    status: str
    other_aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Trial:
    """One named clinical trial and the product it studies."""

    canonical: str
    therapy: str
    nct: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TherapyMention:
    """A span of text that names a product; ``alias`` is the text as written."""

    canonical: str
    alias: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TrialMention:
    """A span of text that names a trial; ``therapy`` is the trial's product (canonical)."""

    canonical: str
    therapy: str
    start: int
    end: int


def _normalise(name: str) -> str:
    """Key for alias lookup: lowercase with hyphens and spaces removed."""
    return name.casefold().translate(_SEP_DELETE)


def _alias_regex(alias: str) -> str:
    """Regex for one alias: separators optional, optional separator at letter→digit joins."""
    parts: list[str] = []
    previous = ""
    for token in _TOKEN.findall(alias):
        if token[0] in _SEP_CHARS:
            parts.append(_SEP)
        else:
            if previous[-1:].isalpha() and token[0].isdigit():
                parts.append(_SEP)
            parts.append(re.escape(token))
        previous = token
    return "".join(parts)


def _compile(aliases: dict[str, bool]) -> re.Pattern[str]:
    """One alternation, longest alias first, word-bounded on both sides."""
    ordered = sorted(aliases, key=lambda a: (-len(a), a))
    alternatives = [
        _alias_regex(a) if sensitive else f"(?i:{_alias_regex(a)})"
        for a, sensitive in ((a, aliases[a]) for a in ordered)
    ]
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(alternatives) + r")(?![A-Za-z0-9])")


class _Names:
    """The alias alternation, tried only where a word starts with the first token of some alias.

    A match starts at an ASCII word start with an alias's first token, so trying the alternation
    at those positions alone, left to right, finds the same matches as ``finditer``. Word starts
    are read from the lower-cased text as ASCII (other characters become spaces); that is exact
    unless the text holds a character of ``_ODD``, and then the alternation scans the whole text.
    """

    def __init__(self, aliases: dict[str, bool]) -> None:
        self.pattern = _compile(aliases)
        tokens = {_TOKEN.findall(alias)[0].lower() for alias in aliases}
        self.starts = re.compile(f" {word_trie(sorted(tokens))}".encode())

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if not text.isascii() and any(char in text for char in _ODD):
            yield from self.pattern.finditer(text)
            return
        words = b" " + text.lower().encode("ascii", "replace").translate(_WORDS_ONLY)  # a byte a character
        cursor = 0
        for start in self.starts.finditer(words):
            match = self.pattern.match(text, start.start()) if start.start() >= cursor else None
            if match is not None:
                cursor = match.end()
                yield match


def word_trie(words: list[str]) -> str:
    """Regex matching each of ``words`` (lower-case letters and digits), the longest one at any
    position (``analysis.claims.probe`` builds its number words with it too)."""
    children: dict[str, list[str]] = {}
    for word in words:
        if word:
            children.setdefault(word[0], []).append(word[1:])
    if not children:
        return ""
    branches = [head + word_trie(rests) for head, rests in sorted(children.items())]
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if "" in words else body


def _load() -> tuple[tuple[Therapy, ...], tuple[Trial, ...], dict[str, bool], dict[str, bool]]:
    raw = json.loads(_DATA_FILE.read_text(encoding="utf-8"))
    therapies, therapy_cs = [], {}
    for item in raw["therapies"]:
        therapy = Therapy(
            canonical=item["canonical"],
            short_name=item["short_name"],
            brands=tuple(item["brands"]),
            codes=tuple(item["codes"]),
            target=item["target"],
            indications=tuple(item["indications"]),
            developer=item["developer"],
            status=item["status"],
            other_aliases=tuple(item["other_aliases"]),
        )
        therapies.append(therapy)
        for alias in _aliases_of(therapy):
            therapy_cs[alias] = alias in item["case_sensitive"]
    trials, trial_cs = [], {}
    for item in raw["trials"]:
        # "the Felix study", "the Juliet trial": a name kept case-sensitive because it is also a word
        # or a first name is the trial's in any case when "study" or "trial" follows it
        named = tuple(f"{alias} {noun}" for alias in item["case_sensitive"] if alias not in _COMMON_NOUN_TRIALS
                      for noun in ("study", "trial", "clinical trial"))
        trial = Trial(item["canonical"], item["therapy"], item["nct"], tuple(item["aliases"]) + named)
        trials.append(trial)
        for alias in (trial.canonical, *trial.aliases):
            trial_cs[alias] = alias in item["case_sensitive"]
    return tuple(therapies), tuple(trials), therapy_cs, trial_cs


# "a pilot study", "an outreach study" are ordinary phrases, never the PILOT or OUTREACH trials
_COMMON_NOUN_TRIALS = frozenset({"PILOT", "OUTREACH"})


def _aliases_of(therapy: Therapy) -> tuple[str, ...]:
    names = (therapy.canonical, therapy.short_name, *therapy.brands, *therapy.codes,
             *therapy.other_aliases)
    names += tuple(spanish for n in names if n and "cabtagene" in n for spanish in _spanish_inn(n))
    return tuple(dict.fromkeys(n for n in names if n))


def _spanish_inn(name: str) -> tuple[str, str]:
    """The Spanish forms of a ``-cabtagene`` INN ("ciltacabtagén autoleucel", and without the
    accent), as Spanish-language coverage writes it; the second word is the same in both languages."""
    return name.replace("cabtagene", "cabtagén"), name.replace("cabtagene", "cabtagen")


_THERAPIES, _TRIALS, _THERAPY_CS, _TRIAL_CS = _load()
_THERAPY_BY_KEY = {_normalise(a): t.canonical for t in _THERAPIES for a in _aliases_of(t)}
_TRIAL_BY_KEY = {_normalise(a): t for t in _TRIALS for a in (t.canonical, *t.aliases)}
_THERAPY_NAMES = _Names(_THERAPY_CS)
# The first word of each generic name ("tisagenlecleucel", "axicabtagene"), for typo-tolerant
# matching; a candidate word is long and shares one of the INN stems' letter groups.
_INN_HEADS = {t.canonical.split()[0].lower(): t.canonical for t in _THERAPIES
              if t.canonical.split()[0].lower().endswith(("cabtagene", "leucel")) and len(t.canonical) >= 12}
_INN_LIKE = re.compile(r"\b(?=[A-Za-z]{10,}\b)[A-Za-z]*?(?:cabt|abtag|btage|tagen|lecl|ecleu|leuc|eucel)[A-Za-z]*\b", re.I)
_TRIAL_NAMES = _Names(_TRIAL_CS)


def _single_product_families() -> dict[str, str]:
    """Trial-name families whose every known trial studies one product ("KarMMa", "CARTITUDE") ->
    that product: a later trial of the family ("KarMMa-9") is that product's trial too. Families
    shared by several products ("ZUMA": axi-cel and brexu-cel) are left out."""
    products: dict[str, set[str]] = {}
    for trial in _TRIALS:
        head = re.match(r"([A-Za-z]{4,})(?=[-\s]?(?:\d|[A-Z]{2,}|$))", trial.canonical)
        if head:
            products.setdefault(head.group(1), set()).add(trial.therapy)
    return {family: next(iter(named)) for family, named in products.items() if len(named) == 1}


_FAMILIES = _single_product_families()
# "KarMMa-9", "TRANSCEND-WORLD", "CARTITUDE-10": a family's name as the family writes it (so "pilot 12"
# or "legend 2" in prose never match), then a number, or a hyphen and a word of capitals
_FAMILY_TRIAL = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(sorted(_FAMILIES, key=len, reverse=True)) + r")"
                           r"(?:[-\u2010\u2011\u2013 ]?(\d{1,3}[A-Za-z]?)|[-\u2010\u2011\u2013]([A-Z]{3,}))(?![A-Za-z0-9])")
# a known trial's name is not a longer one's beginning ("KarMMa" in "KarMMa-9", "TRANSCEND" in
# "TRANSCEND-WORLD"); a cohort after a full name keeps the name ("TRANSCEND FL-MZL" is TRANSCEND FL)
_LONGER_NUMBER = re.compile(r"[-\u2010\u2011\u2013]\s?\d")
_LONGER_WORD = re.compile(r"[-\u2010\u2011\u2013][A-Z]{3,}")


def _longer_name(name: str, text: str, end: int) -> bool:
    return bool(_LONGER_NUMBER.match(text, end) or (name in _FAMILIES and _LONGER_WORD.match(text, end)))


def all_therapies() -> tuple[Therapy, ...]:
    """Every product in the dictionary, in data-file order."""
    return _THERAPIES


def all_trials() -> tuple[Trial, ...]:
    """Every named trial in the dictionary, in data-file order."""
    return _TRIALS


def therapy_aliases(canonical: str) -> tuple[str, ...]:
    """All names of one product (canonical first); empty for an unknown name."""
    for therapy in _THERAPIES:
        if therapy.canonical == canonical:
            return _aliases_of(therapy)
    return ()


def resolve_therapy(name: str) -> str | None:
    """Canonical generic name for any alias ("CARVYKTI®", "cilta cel"), else None."""
    return _THERAPY_BY_KEY.get(_normalise(name.strip().rstrip("®™")))


def resolve_trial(name: str) -> str | None:
    """Canonical trial name for any spelling ("ZUMA 7", "LUMMICAR STUDY 1"), else None."""
    trial = _TRIAL_BY_KEY.get(_normalise(name.strip()))
    return trial.canonical if trial else None


def find_therapies(text: str) -> list[TherapyMention]:
    """Every product mention in ``text``, in order, non-overlapping."""
    mentions = []
    for match in _THERAPY_NAMES.finditer(text):
        canonical = _THERAPY_BY_KEY.get(_normalise(match.group()))
        if canonical is not None:
            mentions.append(TherapyMention(canonical, match.group(), match.start(), match.end()))
    if _INN_LIKE.search(text):
        mentions = sorted(mentions + _misspelt(text, mentions), key=lambda m: m.start)
    return mentions


def _misspelt(text: str, found: list[TherapyMention]) -> list[TherapyMention]:
    """Generic names written with a typo, as published text sometimes has them ("tisagenleclucel",
    "axicabtagen ciloleucel"): a long word within two edits of an INN's first word."""
    out = []
    for m in _INN_LIKE.finditer(text):
        word = m.group().lower()
        if word in _INN_HEADS or any(f.start <= m.start() < f.end for f in found):
            continue
        ranked = sorted((_edits(word, head, 3), head) for head in _INN_HEADS)
        (best, head), runner_up = ranked[0], ranked[1][0]
        # one edit for shorter names, two for long ones, and never a tie between two names
        if best <= (1 if len(head) <= 12 else 2) and best < runner_up and not _other_suffix(text, m.end(), head):
            out.append(TherapyMention(_INN_HEADS[head], m.group(), m.start(), m.end()))
    return out


_NEXT_WORD = re.compile(r"\s+([A-Za-z]{6,})")


def _other_suffix(text: str, end: int, head: str) -> bool:
    """Whether the word after a near-miss head is another INN's second word: "cemacabtagene ansegedleucel"
    is a different product from "relmacabtagene autoleucel", however close the first words are."""
    m = _NEXT_WORD.match(text, end)
    if m is None or not m.group(1).lower().endswith(("leucel", "cel")):
        return False
    tails = {canonical.split()[-1] for canonical in (_INN_HEADS[head],) if " " in canonical}
    return bool(tails) and all(_edits(m.group(1).lower(), tail, 3) >= 3 for tail in tails)


def _edits(a: str, b: str, cap: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``cap`` when it is at least ``cap``."""
    if abs(len(a) - len(b)) >= cap:
        return cap
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        if min(row) >= cap:
            return cap
    return min(row[-1], cap)


@dataclass(frozen=True, slots=True)
class Names:
    """Every product and trial mention of one article, found once and shared by the stages that
    need them (relevance, claims, story keys). Offsets are into ``title`` or into ``text``."""

    title: str
    text: str
    title_therapies: tuple[TherapyMention, ...]
    title_trials: tuple[TrialMention, ...]
    text_therapies: tuple[TherapyMention, ...]
    text_trials: tuple[TrialMention, ...]

    def therapies(self) -> tuple[TherapyMention, ...]:
        """Title mentions, then text mentions (as a scan of "title\n\ntext" finds them: no name
        spans two whitespace characters, so none spans the gap)."""
        return self.title_therapies + self.text_therapies

    def trials(self) -> tuple[TrialMention, ...]:
        return self.title_trials + self.text_trials

    def fits(self, title: str, text: str) -> bool:
        """Whether these are the names of this title and text."""
        return self.title == title and self.text == text


def find_names(title: str, text: str) -> Names:
    """The products and trials named in a title and a text, each scanned once."""
    return Names(title, text, tuple(find_therapies(title)), tuple(find_trials(title)),
                 tuple(find_therapies(text)), tuple(find_trials(text)))


def find_trials(text: str) -> list[TrialMention]:
    """Every trial mention in ``text``, in order, non-overlapping."""
    mentions = []
    for match in _TRIAL_NAMES.finditer(text):
        trial = _TRIAL_BY_KEY.get(_normalise(match.group()))
        if trial is not None and not _longer_name(match.group(), text, match.end()):
            mentions.append(TrialMention(trial.canonical, trial.therapy, match.start(), match.end()))
    if any(family in text for family in _FAMILIES) and _FAMILY_TRIAL.search(text):
        taken = [(m.start, m.end) for m in mentions]
        for match in _FAMILY_TRIAL.finditer(text):
            if any(lo < match.end() and match.start() < hi for lo, hi in taken):
                continue
            family = match.group(1)
            canonical = f"{family}-{match.group(2) or match.group(3)}"
            mentions.append(TrialMention(canonical, _FAMILIES[family], match.start(), match.end()))
        mentions.sort(key=lambda m: m.start)
    return mentions
