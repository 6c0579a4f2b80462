"""Split plain text into paragraphs and sentences, keeping character offsets.

Paragraphs are separated by blank lines. A sentence ends at ``.``, ``!`` or ``?`` followed by
space and a capital, digit or opening quote, unless the word before the stop is a known
abbreviation ("vs.", "et al.", "Dr.", "U.S.") or a single initial. A line that starts with a
bullet also starts a sentence, and so does a line after a line that has no closing punctuation
(headlines, em-dash subheads, table rows, registry fields) when it starts like a sentence. A line
holding only a figure ("97.9%", "8.8 mo") is joined to the line that names it, as in fact boxes.
Every span satisfies ``text[start:end] == sentence``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_STOP = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u2022])")
# "(sCR; 95% CI, 68.8-86.1).1 After a median ...", "of 21.8 months.2,3 The": a stop followed by
# citation numbers; never the point of a decimal ("21.8 Months"), which has a digit before it
_CITED_STOP = re.compile(r"\.(?<=[A-Za-z)\]%]\.)\d{1,3}(?:[,\u2013-]\d{1,3})*\s+(?=[A-Z])")  # the stop first: sre skips to it
_BULLET_LINE = re.compile(r"\n\s*(?=[\u2022\u25aa\u2013\u2014*\-] )")  # "\u2014 " opens a release's subhead
# A line break after a line with no closing punctuation or joining word, before a capital, digit,
# bullet or quote: the line was a unit of its own (a headline, a subhead, a table row).
_LINE_UNIT = re.compile(r"(?<![,;:(\-\u2013\u2014/&])(?<!\band)(?<!\bor)(?<!\bof)(?<!\bthe)(?<!\bwith)(?<!\bin)"
                        r"[ \t]*\n[ \t]*(?=[\"'\u201c(\[]?[A-Z0-9\u2022])")
_FIGURE_ONLY = re.compile(r"[~≈<>≥≤]?\s*\d[\d.,·]*\s*(?:%|percent|mo|mos|months?|years?)?\.?")
_ABBREVIATIONS = frozenset(
    "vs v al e.g i.e dr mr mrs ms prof no nos fig figs approx ca inc ltd co corp st jr sr "
    "ref refs vol eq etc resp est".split()
)
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.?$")


@dataclass(frozen=True, slots=True)
class Span:
    """A stripped slice of the input text."""

    text: str
    start: int
    end: int


def split_paragraphs(text: str) -> list[Span]:
    """Paragraphs separated by blank lines, whitespace-trimmed, empty ones dropped."""
    spans: list[Span] = []
    cursor = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.extend(_trimmed(text, cursor, match.start()))
        cursor = match.end()
    spans.extend(_trimmed(text, cursor, len(text)))
    return spans


def split_sentences(text: str, paragraph: Span) -> list[Span]:
    """Sentences of one paragraph, with offsets into ``text`` (not into the paragraph)."""
    body = paragraph.text
    cuts = [m.end() for m in _BULLET_LINE.finditer(body)]
    cuts += [m.start() + 1 for m in _STOP.finditer(body) if not _is_abbreviation(body, m.start())]
    if "." in body:
        cuts += [m.end() for m in _CITED_STOP.finditer(body) if not _is_abbreviation(body, m.start())]
    if "\n" in body and not _hard_wrapped(body):
        cuts += _line_units(body)
    spans: list[Span] = []
    cursor = 0
    for cut in sorted(set(cuts)):
        spans.extend(_trimmed(text, paragraph.start + cursor, paragraph.start + cut))
        cursor = cut
    spans.extend(_trimmed(text, paragraph.start + cursor, paragraph.end))
    return _figures_joined(text, spans)


def _line_units(body: str) -> list[int]:
    """Where ``_LINE_UNIT`` matches, tried only at the line breaks (cheaper than at every character)."""
    cuts = []
    at = body.find("\n")
    while at != -1:
        start = at
        while start > 0 and body[start - 1] in " \t":
            start -= 1
        m = _LINE_UNIT.match(body, start)
        if m is not None:
            cuts.append(m.end())
        at = body.find("\n", at + 1)
    return cuts


def _hard_wrapped(body: str) -> bool:
    """A paragraph broken into lines of similar width (PDF or e-mail text): its line breaks are
    spaces, not unit boundaries."""
    lines = body.split("\n")
    if len(lines) < 3:
        return False
    wrapped = sum(1 for line in lines[:-1] if 40 <= len(line.strip()) <= 110 and line.rstrip()[-1:] not in ".:!?")
    return wrapped >= 0.6 * (len(lines) - 1)


def _figures_joined(text: str, spans: list[Span]) -> list[Span]:
    """"97.9%" on its own line, then "CARTITUDE-1 ORR for cilta-cel": one unit."""
    out: list[Span] = []
    for span in spans:
        prev = out[-1] if out else None
        if prev is not None and _FIGURE_ONLY.fullmatch(prev.text):
            out[-1] = Span(text[prev.start : span.end], prev.start, span.end)
        else:
            out.append(span)
    return out


def _is_abbreviation(body: str, stop: int) -> bool:
    """True when the full stop at ``stop`` ends an abbreviation or an initial."""
    if body[stop] != ".":
        return False
    match = _LAST_WORD.search(body[max(0, stop - 12) : stop])
    if match is None:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():
        return True
    if "." in word:  # "U.S", "e.g", "i.e"
        return True
    return word.lower() in _ABBREVIATIONS


def _trimmed(text: str, start: int, end: int) -> list[Span]:
    part = text[start:end]
    stripped = part.strip()  # str.strip() drops exactly the characters str.isspace() is true of
    if not stripped:
        return []
    start += len(part) - len(part.lstrip())
    return [Span(stripped, start, start + len(stripped))]
