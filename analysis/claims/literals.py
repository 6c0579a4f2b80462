"""What literal text every match of a pattern holds, and two ways to skip regex work with it.

``necessary_literals`` reads a pattern (its parse tree) and gives strings one of which occurs in
every match. When a text holds none of them, the pattern cannot match in it:

- ``Gated`` wraps a pattern whose ``search``/``finditer`` then return at once on such a text. It is
  for patterns that rarely match and that sre cannot skip through (ignore-case ones, and ones that
  start with a class, a ``\\b`` or a group), which it otherwise tries at every character.
- ``Alternation`` runs a long alternation ``a|b|c|...`` with only the alternatives whose literals
  occur in the string. An alternative that can match nowhere in the string changes no match when
  left out (the others are tried in their own order, at the same positions); the sub-pattern of
  each set of alternatives is compiled once. Only patterns without capture groups qualify (an
  ignore-case pattern's literals are looked up in the folded text, ``analysis.claims.probe.fold``).

Both give exactly the matches of the plain pattern; they only save the time of failing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from analysis.claims.probe import fold

_MAX_STARTS = 24  # an alternative with more possible starts than this is always kept
_MAX_CLASS = 4  # a character class of at most this many characters branches the starts ("[sz]")
_MAX_CACHED = 2048  # compiled sub-patterns kept per Alternation (the cache is emptied past this)
_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)


class Gated:
    """``pattern`` with ``search`` and ``finditer`` that skip it on a text holding none of its
    ``necessary_literals`` (identical matches, see the module docstring)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        literals = necessary_literals(pattern.pattern, pattern.flags)
        self.pattern = pattern
        self.literals = tuple(sorted(literals)) if literals is not None else None
        self.ignorecase = bool(pattern.flags & re.IGNORECASE)

    def may_match(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        """False when no match of the pattern fits in ``text[pos:endpos]``."""
        if self.literals is None:
            return True
        part = text[pos:endpos] if pos or endpos is not None else text
        if self.ignorecase:
            part = fold(part)
        for literal in self.literals:  # noqa: SIM110 (a plain loop costs less than any() over a generator)
            if literal in part:
                return True
        return False

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.pattern.match(text, pos)  # anchored: nothing to save

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.pattern.fullmatch(text)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if not self.may_match(text, pos, endpos):
            return None
        return self.pattern.search(text, pos) if endpos is None else self.pattern.search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        if not self.may_match(text, pos, endpos):
            return iter(())
        return self.pattern.finditer(text, pos) if endpos is None else self.pattern.finditer(text, pos, endpos)


class Alternation:
    """``re.compile(pattern, flags)``, with ``finditer`` and ``search`` run on a sub-pattern of the
    alternatives that can match the string (identical matches, see the module docstring). An
    ignore-case pattern's literals are looked up in the folded string."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        compiled = re.compile(pattern, flags)
        if compiled.groups or _GLOBAL_FLAGS.match(pattern):
            raise ValueError("only patterns without capture groups or leading global flags")
        self.pattern = compiled
        self.ignorecase = bool(compiled.flags & re.IGNORECASE)
        # each alternative as written, and with a leading word edge moved after its first letter
        self.alternatives = [edge_after_letter(a) for a in split_alternatives(pattern)]
        starts = [necessary_literals(alternative, flags) for alternative in self.alternatives]
        # sets of alternatives as bits: bit i is alternative i
        self.always = sum(1 << i for i, found in enumerate(starts) if found is None)
        where: dict[str, int] = {}
        for i, found in enumerate(starts):
            for literal in sorted(found or ()):
                where[literal] = where.get(literal, 0) | 1 << i
        self.literals = tuple(where.items())
        self.flags = flags
        self._cache: dict[int, re.Pattern[str] | None] = {}

    def for_text(self, text: str) -> re.Pattern[str] | None:
        """The pattern of the alternatives that can match somewhere in ``text``; None when none can."""
        if self.ignorecase:
            text = fold(text)
        active = self.always
        for literal, bits in self.literals:
            if literal in text:
                active |= bits
        try:
            return self._cache[active]
        except KeyError:
            pass
        if len(self._cache) >= _MAX_CACHED:
            self._cache.clear()
        chosen = [a for i, a in enumerate(self.alternatives) if active >> i & 1]
        compiled = (None if not chosen else self.pattern if len(chosen) == len(self.alternatives)
                    else re.compile("|".join(chosen), self.flags))
        self._cache[active] = compiled
        return compiled

    # From ``pos`` on, the literals are looked up in the whole string (more alternatives than
    # needed may stay, never fewer); up to ``endpos``, in that part of it.
    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        pattern = self.for_text(text if endpos is None else text[pos:endpos])
        if pattern is None:
            return iter(())
        return pattern.finditer(text, pos) if endpos is None else pattern.finditer(text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        pattern = self.for_text(text if endpos is None else text[pos:endpos])
        if pattern is None:
            return None
        return pattern.search(text, pos) if endpos is None else pattern.search(text, pos, endpos)


def many_alternatives(pattern: re.Pattern[str], least: int = 3) -> re.Pattern[str] | Alternation:
    """``pattern``, as an ``Alternation`` when it is one of at least ``least`` alternatives (and
    qualifies: no capture groups)."""
    if pattern.groups or _GLOBAL_FLAGS.match(pattern.pattern):
        return pattern
    try:
        parts = split_alternatives(pattern.pattern)
    except ValueError:
        return pattern
    return Alternation(pattern.pattern, pattern.flags) if len(parts) >= least else pattern


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
_LEADING_EDGE = re.compile(r"\\b([A-Za-z0-9])(?![?*+{])")


def edge_after_letter(alternative: str) -> str:
    """``\\bword...`` written ``w(?<!\\w.)ord...``: the same matches (a word edge before a word
    character is a non-word character, or none, before it), but the alternative now starts with a
    literal, so sre can skip to it instead of trying the edge at every character."""
    m = _LEADING_EDGE.match(alternative)
    return f"{m.group(1)}(?<!\\w.){alternative[m.end():]}" if m else alternative


def edges_after_letters(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` with ``edge_after_letter`` applied to each top-level alternative."""
    written = "|".join(edge_after_letter(a) for a in split_alternatives(pattern.pattern))
    return pattern if written == pattern.pattern else re.compile(written, pattern.flags)


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` as written (``"a|(?:b|c)|d"`` -> ``a``, ``(?:b|c)``, ``d``)."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a "]" first in a class is a literal
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    joined = "|".join(out)
    if joined != pattern or any(re.compile(part).groups for part in out):
        raise ValueError(f"cannot split {pattern[:60]!r}")
    return out


def necessary_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Literal strings, one of which occurs in every match of ``pattern``; None when there is no
    such set (an alternative of no literal text, or too many ways to write one).

    A match of a sequence ``a b c ...`` ends with a match of any tail ``c ...`` of it, so the strings
    a tail's matches start with will do; each top-level alternative takes the tail whose strings are
    longest. For an ignore-case pattern they are lower-case and count in the ``fold``ed text (only
    ASCII text and characters without case are kept: ``fold`` maps every character that ignore-case
    matches to an ASCII letter to that letter)."""
    parsed = sre_parse.parse(pattern, flags)
    ignore = bool(parsed.state.flags & re.IGNORECASE)
    items = list(parsed)
    alternatives = ([list(branch) for branch in items[0][1][1]]
                    if len(items) == 1 and items[0][0] is sre_constants.BRANCH else [items])
    found: set[str] = set()
    for alternative in alternatives:
        best: frozenset[str] | None = None
        for k in range(len(alternative)):
            starts = _starts(alternative[k:], [("", True)], ignore)
            if starts is None:
                continue
            texts = frozenset(_ascii(text) if ignore else text for text, _ in starts)
            if min(map(len, texts)) > (min(map(len, best)) if best else 0):
                best = texts
        if best is None:
            return None
        found |= best
    return frozenset(found)


def _ascii(text: str) -> str:
    """The longest run of ``text`` that reads the same in the folded text: ASCII characters,
    lower-cased, and characters without case ("–", "≥")."""
    runs = "".join(char if char.isascii() or char.lower() == char == char.upper() == char.casefold() else "\x80"
                   for char in text).split("\x80")
    return max(runs, key=len).lower()


def _starts(items: list[tuple[Any, Any]], prefixes: list[tuple[str, bool]],
            ignore: bool = False) -> list[tuple[str, bool]] | None:
    """Extend each open (True) prefix by what ``items`` must consume first; None when too many."""
    for op, av in items:
        if not any(open_ for _, open_ in prefixes):
            break
        if op in _ZERO_WIDTH:
            continue  # consumes nothing: the next item starts where this one stood
        if op is sre_constants.LITERAL:
            prefixes = [(text + chr(av), True) if open_ else (text, False) for text, open_ in prefixes]
        elif op is sre_constants.IN and len(av) <= _MAX_CLASS and all(o is sre_constants.LITERAL for o, _ in av):
            prefixes = [(text + chr(c), True) for text, open_ in prefixes if open_ for _, c in av] + [
                (text, False) for text, open_ in prefixes if not open_]
        elif op is sre_constants.SUBPATTERN and (ignore or not av[1] & re.IGNORECASE):
            # in an ignore-case pattern every literal is looked up folded, which a (?-i:...) part's
            # literal passes too; in a case-sensitive one a (?i:...) part ends the literal
            found = _starts(list(av[3]), prefixes, ignore)
            if found is None:
                return None
            prefixes = found
        elif op is sre_constants.BRANCH:
            closed = [(text, False) for text, open_ in prefixes if not open_]
            branches: list[tuple[str, bool]] = []
            for branch in av[1]:
                found = _starts(list(branch), [p for p in prefixes if p[1]], ignore)
                if found is None:
                    return None
                branches += found
            prefixes = closed + branches
        else:
            prefixes = [(text, False) for text, _ in prefixes]
        if len(prefixes) > _MAX_STARTS:
            return None
    return list(dict.fromkeys(prefixes))
