"""Find outcome-shaped values in one (masked) sentence: rates, durations and "not reached".

A rate comes from a percentage, an "X of Y" / "X/Y" fraction, a word fraction ("one-third",
"three in four", "half") or "all N patients"; a stated percentage wins over a fraction next to
it, whose Y becomes the denominator. Landmarks ("2-year", "at 12 months", "within three
months", "five years after") are found first and are never values themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from analysis.claim_numbers import CI_RE, DIGITS, NUM, WORD_NUM, WORD_NUM_FIRST, mask, parse_number
from analysis.claim_probe import Needs, Probe, probe

_DUR_UNIT = r"(?:months?|mos?\b\.?|years?|yrs?|weeks?|wks?|days?)"
_TP_PREP = (r"(?:at|within|by|after|through|beyond|over|past|until|up\s+to|for(?:\s+(?:at\s+least|"
            r"more\s+than|over|up\s+to|the\s+first))?)")
_TIMEPOINTS = [re.compile(p, re.I) for p in (
    rf"\b{_TP_PREP}\s+(?:(?:month|day|week|year)\s+{NUM}\b|{NUM}\s*(?:-|\s)?{_DUR_UNIT}"
    r"(?:\s+or\s+(?:more|longer))?|{NUM}\s+or\s+more\s+{_DUR_UNIT})".replace("{NUM}", NUM),
    rf"(?<![\w~.]){NUM}\s*[-\u2010\u2011]\s*(?:month|year|day|week|mo)\b(?!s)",
    rf"(?<![\w~.]){NUM}\s+{_DUR_UNIT}\s+(?:after|post|following|from|since|later)\b",
    rf"\b(?:month|day|week|year)\s+{NUM}\b",
)]
_NR = re.compile(r"\bnot\s+(?:yet\s+)?(?:been\s+)?(?:reached|attained)\b|\bNR\b")
_PCT = re.compile(rf"(?<![\w.~]){NUM}\s*(?:%|percent\b|per\s+cent\b)", re.I)
_PCT_SUFFIX = re.compile(r"\s*(?:%|percent|per\s+cent)$", re.I)
_FRACTION = re.compile(rf"(?<![\w.~/]){NUM}\s+(?:of|out\s+of)\s+(?:the\s+|all\s+)?{NUM}(?![\w.%~])"
                       r"|(?<![\w.~/])\d+\s*/\s*\d+(?![\w.%~/])", re.I)
_WORD_FRACTIONS = {"third": 100 / 3, "thirds": 200 / 3, "quarter": 25.0, "quarters": 75.0,
                   "fourths": 75.0, "fifth": 20.0, "fifths": 80.0, "tenth": 10.0, "half": 50.0}
_WORD_FRACTION = re.compile(
    r"\b(?:(?:one|a)[\s-]+(third|quarter|fifth|tenth)(?=\s+of\b|[\s-]+\()|one[\s-](third|quarter|fifth)"
    r"|two[\s-]+(thirds)|three[\s-]+(quarters|fourths)|four[\s-]+(fifths)"
    r"|(?<!first\s)(?<!second\s)(?<!a\s)(half)(?=\s+(?:of|\(|were|was|had|achieved|responded|"
    r"remained|reached|are|have)\b|\s*\())",
    re.I)
_IN_FRACTION = re.compile(rf"\b(?=[\d{WORD_NUM_FIRST}])({WORD_NUM}|\d+)\s+(?:in|out\s+of)\s+({WORD_NUM}|\d+)\b(?!\s*%)", re.I)
_ALL = re.compile(r"\b(?:all|every|each)\s+(?:of\s+)?(?:the\s+|these\s+|those\s+)?"
                  rf"(?:{NUM}\s+)?(?:[\w-]+\s+){{0,2}}?(?:patients?|participants?|subjects|adults"
                  r"|children|people|responders)\b", re.I)
_DURATION = re.compile(rf"(?<![\w.~]){NUM}\s*(?:-|\s)?({_DUR_UNIT})", re.I)
_SHARED_UNIT = re.compile(rf"(?<![\w.~])((?:{DIGITS}\s*,\s*)*{DIGITS})\s*,?\s*(?:and|or|vs\.?|versus)\s+{DIGITS}"
                          rf"\s*(%|months?|years?)")


_MEDIAN_BEFORE = re.compile(r"median\s+(?:of\s+)?$", re.I)
_VALUE_PHRASE = re.compile(rf"{NUM}\s+\w+\s+(?:after|post|following)", re.I)
_LINK_BEFORE = re.compile(r"(?:was|were|is|of|:|to)\s*$", re.I)
_UNIT_WORD = re.compile(r"(month|mo|year|yr|week|wk|day)", re.I)
_UNIT_NAME = re.compile(r"\b(?:month|day|week|year)s?\b", re.I)
_NUM = re.compile(NUM)
_UP_TO = re.compile(r"(?:for\s+)?up\s+to", re.I)
_FRACTION_SPLIT = re.compile(r"\s*(?:/|\bout\s+of\b|\bof\b)\s*(?:the\s+|all\s+)?", re.I)
_DIGITS = re.compile(DIGITS)
_COMMA = re.compile(r"\s*,")
_PAREN_GAP = re.compile(r"\s*(?:[A-Za-z-]+\s+){0,3}?\(\s*")
_PAREN_CLOSE = re.compile(r"\s*[);,]")
_CI_BOUND = re.compile(rf"{DIGITS}|NE|NR|not\s+estimable|not\s+reached", re.I)
_NUMERIC_START = re.compile(r"[\d.]")
_UNIT_NEEDS = Needs(folded=("mo", "day", "week", "year", "yr", "wk"), number=True)  # every _DUR_UNIT
_NEEDS = {
    _PCT: Needs(exact=("%",), folded=("cent",), number=True),
    _FRACTION: Needs(folded=("of",), exact=("/",), number=True),
    _WORD_FRACTION: Needs(folded=("third", "quarter", "fourth", "fifth", "tenth", "half")),
    _IN_FRACTION: Needs(folded=("in", "out"), number=True),
    _ALL: Needs(folded=("all", "every", "each")),
    _DURATION: _UNIT_NEEDS,
    _SHARED_UNIT: Needs(exact=("%", "month", "year"), digit=True),
    _NR: Needs(exact=("reached", "attained", "NR")),
    CI_RE: Needs(exact=("%",), digit=True),
}
_DATA_CUT = re.compile(r"\s+of\b|\s+(?:~+\s+)?(?:[A-Za-z-]+\s+)?(?:update|analysis|analyses|follow[\s-]*up"
                       r"|data|results|report|cut|extension|outcomes|landmark\s+analysis)\b", re.I)


@dataclass(frozen=True, slots=True)
class Timepoint:
    months: float
    start: int
    end: int
    attach: bool


@dataclass(frozen=True, slots=True)
class Value:
    """One value token. ``kind`` is "rate", "dur" or "nr"; ``loose`` marks word fractions."""

    kind: str
    value: float | None
    unit: str
    start: int
    end: int
    denominator: int | None = None
    loose: bool = False
    right_only: bool = False
    ci_low: float | None = None
    ci_high: float | None = None


def _to_months(amount: float, unit: str) -> float:
    unit = unit.lower()
    if unit.startswith("y"):
        return amount * 12
    if unit.startswith("w"):
        return round(amount * 7 / 30, 2)
    if unit.startswith("d"):
        return round(amount / 30, 2)
    return amount


def find_timepoints(masked: str, probed: Probe | None = None) -> list[Timepoint]:
    """Landmarks and windows in months; ``attach`` is False for "up to" and "within N months of"."""
    found: list[Timepoint] = []
    if not _UNIT_NEEDS.met(probed or probe(masked)):
        return found
    for pattern in _TIMEPOINTS:
        for m in pattern.finditer(masked):
            if any(t.start <= m.start() < t.end for t in found):
                continue
            if _is_value_context(masked[max(0, m.start() - 16) : m.start()], m.group()):
                continue
            months = _timepoint_months(m.group())
            if months is not None:
                found.append(Timepoint(months, m.start(), m.end(), _attaches(masked, m)))
    return sorted(found, key=lambda t: t.start)


def _is_value_context(before: str, phrase: str) -> bool:
    """"median of 2 years", "OS was 19.4 months after ..." are values, not landmarks."""
    if _MEDIAN_BEFORE.search(before):
        return True
    return bool(_VALUE_PHRASE.match(phrase) and _LINK_BEFORE.search(before))


def _timepoint_months(phrase: str) -> float | None:
    unit = _UNIT_WORD.search(phrase)
    amount = _NUM.search(_UNIT_NAME.sub(" ", phrase))
    if unit is None or amount is None:
        return None
    number = parse_number(amount.group())
    return None if number is None else _to_months(number, unit.group())


def _attaches(masked: str, m: re.Match[str]) -> bool:
    if _UP_TO.match(m.group()):
        return False
    return _DATA_CUT.match(masked[m.end() :]) is None


def find_values(masked: str, original: str, probed: Probe | None = None) -> list[Value]:
    """Rate, duration and not-reached tokens of a sentence whose timepoints are masked.

    ``probed`` describes ``original``, of which ``masked`` keeps a subset of the characters.
    """
    probed = probed or probe(original)
    values = _rates(masked, probed) + _durations(masked, probed) + _not_reached(masked, probed)
    values = _merge_parentheticals(sorted(values, key=lambda v: v.start), masked)
    values = _drop_overlaps(values)
    return _attach_cis(values, original, probed)


def _matches(pattern: re.Pattern[str], text: str, probed: Probe) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, skipped when the sentence lacks what every match needs."""
    return pattern.finditer(text) if _NEEDS[pattern].met(probed) else iter(())


def _rates(masked: str, probed: Probe) -> list[Value]:
    out = [Value("rate", parse_number(_PCT_SUFFIX.sub("", m.group())), "%", m.start(), m.end())
           for m in _matches(_PCT, masked, probed)]
    for m in _matches(_FRACTION, masked, probed):
        out.extend(_fraction_value(m.group(), m.start(), m.end()))
    for m in _matches(_WORD_FRACTION, masked, probed):
        word = next(g for g in m.groups() if g).lower()
        out.append(Value("rate", round(_WORD_FRACTIONS[word], 1), "%", m.start(), m.end(), loose=True))
    for m in _matches(_IN_FRACTION, masked, probed):
        out.extend(_fraction_value(f"{m.group(1)} of {m.group(2)}", m.start(), m.end(), loose=True))
    for m in _matches(_ALL, masked, probed):
        out.append(Value("rate", 100.0, "%", m.start(), m.end(), loose=True, right_only=True))
    out.extend(_shared_unit(masked, "%", probed))
    return [v for v in out if v.value is not None]


def _fraction_value(raw: str, start: int, end: int, loose: bool = False) -> list[Value]:
    parts = _FRACTION_SPLIT.split(raw, maxsplit=1)
    if len(parts) != 2:
        return []
    x, y = parse_number(parts[0]), parse_number(parts[1])
    if x is None or y is None or not (0 <= x <= y) or y < 2 or x != int(x) or y != int(y):
        return []
    return [Value("rate", round(100 * x / y, 1), "%", start, end, int(y), loose=loose)]


def _durations(masked: str, probed: Probe) -> list[Value]:
    out = []
    for m in _matches(_DURATION, masked, probed):
        number = parse_number(m.group()[: m.start(1) - m.start()].rstrip(" -"))
        unit = m.group(1).lower()
        if number is None:
            continue
        if unit.startswith("y"):
            out.append(Value("dur", number, "years", m.start(), m.end()))
        else:
            out.append(Value("dur", _to_months(number, unit), "months", m.start(), m.end()))
    return out + _shared_unit(masked, "dur", probed)


def _shared_unit(masked: str, kind: str, probed: Probe) -> list[Value]:
    """Bare numbers in "8.8 and 19.4 months" / "73 and 33%" take the list's unit."""
    out = []
    for m in _matches(_SHARED_UNIT, masked, probed):
        unit = m.group(2).lower()
        if (unit == "%") != (kind == "%"):
            continue
        for n in _DIGITS.finditer(m.group(1)):
            start, number = m.start(1) + n.start(), float(n.group().replace(",", ""))
            if unit == "%":
                out.append(Value("rate", number, "%", start, m.start(1) + n.end()))
            else:
                out.append(Value("dur", number, "years" if unit.startswith("y") else "months",
                                 start, m.start(1) + n.end()))
    return out


def _not_reached(masked: str, probed: Probe) -> list[Value]:
    return [Value("nr", None, "months", m.start(), m.end()) for m in _matches(_NR, masked, probed)]


def _merge_parentheticals(values: list[Value], masked: str) -> list[Value]:
    """"39 of 55 adults (71%)", "82.5% (80/97)", "one-third (32/97)", "half (50%)" → one value."""
    out: list[Value] = []
    for value in values:
        prev = out[-1] if out else None
        if prev and prev.kind == value.kind == "rate" and _parenthetical(masked, prev.end, value):
            out[-1] = _combine(prev, value)
        elif prev and prev.kind == value.kind == "rate" and _apposition(masked, prev, value):
            closing = _COMMA.match(masked[value.end :])
            out[-1] = replace(_combine(prev, value), end=value.end + (closing.end() if closing else 0))
        else:
            out.append(value)
    return out


def _parenthetical(masked: str, after: int, value: Value) -> bool:
    gap = masked[after : value.start]
    closing = masked[value.end : value.end + 2]
    return _PAREN_GAP.fullmatch(gap) is not None and _PAREN_CLOSE.match(closing) is not None


def _apposition(masked: str, first: Value, second: Value) -> bool:
    """"About a third of the patients ..., 32 of 97, were ...": the exact fraction restates it."""
    gap = masked[first.end : second.start]
    return (first.loose and second.denominator is not None and not second.loose
            and first.value is not None and second.value is not None
            and abs(first.value - second.value) <= 5 and ";" not in gap and len(gap) <= 80)


def _combine(first: Value, second: Value) -> Value:
    stated = first if first.unit == "%" and first.denominator is None and not first.loose else second
    if second.denominator is None and not second.loose:
        stated = second
    denominator = first.denominator or second.denominator
    return replace(stated, start=first.start, end=second.end, denominator=denominator,
                   loose=first.loose and second.loose, right_only=False)


def _drop_overlaps(values: list[Value]) -> list[Value]:
    kept: list[Value] = []
    for value in sorted(values, key=lambda v: (v.start, -(v.end - v.start))):
        if kept and value.start < kept[-1].end:
            continue
        kept.append(value)
    return kept


def _attach_cis(values: list[Value], original: str, probed: Probe) -> list[Value]:
    out = list(values)
    for m in _matches(CI_RE, original, probed):
        bounds = _CI_BOUND.findall(m.group()[3:])
        before = [i for i, v in enumerate(out) if v.end <= m.start() and m.start() - v.end <= 6]
        if before and len(bounds) >= 2:
            low, high = (_bound(b) for b in bounds[-2:])
            out[before[-1]] = replace(out[before[-1]], ci_low=low, ci_high=high)
    return out


def _bound(raw: str) -> float | None:
    return parse_number(raw) if _NUMERIC_START.match(raw) else None


def mask_timepoints(masked: str, timepoints: list[Timepoint]) -> str:
    """``masked`` with the timepoint phrases blanked as well."""
    return mask(masked, [(t.start, t.end) for t in timepoints])
