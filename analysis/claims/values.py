"""Find outcome-shaped values in one (masked) sentence: rates, durations and "not reached".

A rate comes from a percentage, an "X of Y" / "X/Y" fraction, a word fraction ("one-third",
"three in four", "half") or "all N patients"; a stated percentage wins over a fraction next to
it, whose Y becomes the denominator. Landmarks (analysis.claims.timepoints) are found and masked
first and are never values themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from operator import attrgetter
from typing import NamedTuple

from analysis.claims.numbers import (CI_RE, DIGITS, DIGITS_REST, WORD_NUM, WORD_NUM_FIRST, Numbered, num, num_head,
                                    num_rest, number_first, parse_number)
from analysis.claims.probe import Gates, Needs, Probe, probe
from analysis.claims.timepoints import DUR_UNIT, DURATION_IN_M, UNIT_NEEDS, defines_m_as_months, is_years, to_months

_START = attrgetter("start")  # sort key: offset of a span-like record


def _in_fraction(words: bool) -> str:
    """"three in four", "5 out of 6"; with digits only, "\\b(\\d+)" is written to start at its digit."""
    if words:
        return rf"\b(?=[\d{WORD_NUM_FIRST}])({WORD_NUM}|\d+)\s+(?:in|out\s+of|de\s+cada)\s+({WORD_NUM}|\d+)\b(?!\s*%)"
    return r"(\d(?<!\w.)\d*)\s+(?:in|out\s+of|de\s+cada)\s+(\d+)\b(?!\s*%)"


_NR = re.compile(r"\bnot\s+(?:yet\s+)?(?:been\s+|being\s+)?(?:reached|attained)\b|\bNR\b"
                 r"|(?<=\bwas\s)not\s+(?:yet\s+)?met\b"  # "The median DOR was not met"

                 r"|\bno\s+(?:se\s+)?(?:ha(?:n)?\s+)?(?:alcanz[oó]|alcanzad[ao]s?)\b")  # Spanish: "no se alcanzó"
_NOT_AFTER = r"\w.~"  # the numbers of percentages and durations: (?<![\w.~]){NUM}
_PCT = Numbered(lambda w: rf"{number_first(_NOT_AFTER, words=w)}\s*(?:%|percent\b|per\s+cent\b|por\s+ciento\b)", re.I)
_PCT_SUFFIX = re.compile(r"\s*(?:%|percent|per\s+cent|por\s+ciento)$", re.I)
# (?<![\w.~/])(?:{NUM}\s+of\s+{NUM}...|\d+\s*/\s*\d+...), starting at a number (see number_first)
_FRACTION = Numbered(lambda w: rf"{num_head(w)}(?<![\w.~/].)(?:{num_rest(w)}\s+(?:of|out\s+of)\s+(?:the\s+|all\s+)?"
                     rf"{num(w)}(?![\w.%~])|(?<=\d)\d*\s*/\s*\d+(?![\w.%~/]))", re.I)
# "Among the 41 evaluable patients, 40 were MRD negative": an outcome fraction split across a comma
_SPLIT_FRACTION = Numbered(
    lambda w: rf"\b(?:Of|Among|(?:For|In)(?=\s+(?:the|these|all)\s))\s+(?:the\s+|these\s+|all\s+)?({num(w)})\s+[^,;]{{0,80}}?,\s*({num(w)})\s+"
    r"(?!\s*\()(?=(?:patients?\s+|pts\s+)?(?:had|have|achieved|reached|attained|responded|experienced|developed|showed"
    r"|(?:were|was)(?!\s+(?:infused|treated|dosed|given|enrolled|evaluable|randomi)))\b)", re.I)
_NEXT_PART = re.compile(r"[^,;.]{1,60}?,?\s+(?:and|while|whereas)\s+(\d+)\s+(?=(?:patients?\s+)?(?:had|achieved|reached|attained"
                        r"|responded|experienced|developed|showed)\b)", re.I)
_WORD_FRACTIONS = {"third": 100 / 3, "thirds": 200 / 3, "quarter": 25.0, "quarters": 75.0,
                   "fourths": 75.0, "fifth": 20.0, "fifths": 80.0, "tenth": 10.0, "half": 50.0}
_WORD_FRACTION = re.compile(
    r"\b(?:(?:one|a)[\s-]+(third|quarter|fifth|tenth)(?=\s+of\b|[\s-]+\()|one[\s-](third|quarter|fifth)"
    r"|two[\s-]+(thirds)|three[\s-]+(quarters|fourths)|four[\s-]+(fifths)"
    r"|(?<!first\s)(?<!second\s)(?<!a\s)(half)(?=\s+(?:of|\(|were|was|had|achieved|responded|"
    r"remained|reached|are|have)\b|\s*\())",
    re.I)
_IN_FRACTION = Numbered(_in_fraction, re.I)
_ALL = Numbered(lambda w: r"\b(?:all|every|each)\s+(?:of\s+)?(?:the\s+|these\s+|those\s+)?"
                rf"(?:{num(w)}\s+)?(?:[\w/-]+\s+){{0,2}}?(?:patients?|participants?|subjects|adults"
                r"|children|people|responders)\b"
                r"|\b(?:every|each)\s+one\s+of\s+(?:them|these|those)\b|\ball\s+of\s+(?:them|these|those|whom)\b"
                # "all eight achieved DORIS remission": the number stands for the patients
                rf"|\ball\s+(?:{num(w)})(?=\s+(?:achieved|attained|reached|responded|had|were|went|remained|experienced"
                r"|developed|showed|became|entered|maintained)\b)"
                # "five women with lupus treated with CAR T cells all went into drug-free remission", "they all responded"
                r"|(?<=[a-z]\s)all(?=\s+(?:went\s+into|achieved|attained|reached|responded|entered)\b)", re.I)
_VERB_AFTER = re.compile(r"\s+(?:were|was)\b")
_CLAUSE_ENDS = re.compile(r"\s*(?:[.;,)]|$)")
_NEARLY_BEFORE = re.compile(r"\b(?:nearly|almost|virtually|practically|essentially|not|close\s+to|just\s+about)\s+$", re.I)
_DURATION = Numbered(lambda w: rf"{number_first(_NOT_AFTER, words=w)}\s*(?:-|\s)?({DUR_UNIT})", re.I)
# (?<![\w.~])((?:{DIGITS}\s*,\s*)*{DIGITS}) and|or {DIGITS} (%|months|years), written to start at the
# first digit as in number_first ("(?:X)*Y" spelt "X(?:X)*Y|Y", which tries the same ways in the same order)
_SHARED_UNIT = re.compile(rf"([\d.](?<![\w.~].)(?:{DIGITS_REST}\s*,\s*(?:{DIGITS}\s*,\s*)*{DIGITS}|{DIGITS_REST}))"
                          # masked intervals ("~~~~ ~~~") may sit after either figure: "38.2 (95% CI ...) vs
                          # 33.5 (95% CI ...) months"
                          # ... or a bracket holding only a masked interval: "11.5 (7.9-not estimable) and 9.1 (...) months"
                          rf"[\s~]*(?:\([\s~]*\)[\s~]*)?,?[\s~]*(?:and|or|vs\.?|versus)[\s~]+({DIGITS})[\s~]*(\([\s~]*\)[\s~]*)?"
                          rf"(%|months?|mo\b|years?)")


_IN_BEFORE = re.compile(r"\b(?:in|among)\s+$", re.I)
_FRACTION_SPLIT = re.compile(r"\s*(?:/|\bout\s+of\b|\bof\b)\s*(?:the\s+|all\s+)?", re.I)
_DIGITS = re.compile(DIGITS)
_COMMA = re.compile(r"\s*,")
# "33 of 34 patients responded to ~~~~~~~~ (97%)" (a masked product name), "73% (n = 187/256)"
_PAREN_GAP = re.compile(r"\s*(?:(?:[A-Za-z-]+|~{3,})\s+){0,4}?\(\s*(?:n\s*[=:,]\s*)?")
_WORDY_GAP = re.compile(r"[A-Za-z~]{2}")
_PAREN_CLOSE = re.compile(r"\s*(?:patients|pts|participants)?\s*[);,\-–]")
_CI_BOUND = re.compile(rf"{DIGITS}|NE|NR|not\s+estimable|not\s+reached", re.I)
_NUMERIC_START = re.compile(r"[\d.]")
_NEEDS = {
    _PCT: Needs(exact=("%",), folded=("cent",), number=True),
    _FRACTION: Needs(folded=("of",), exact=("/",), number=True),
    _WORD_FRACTION: Needs(folded=("third", "quarter", "fourth", "fifth", "tenth", "half")),
    _IN_FRACTION: Needs(folded=("in", "out", "cada"), number=True),
    _SPLIT_FRACTION: Needs(folded=("of", "among", "for the", "in the", "for these", "in these", "for all", "in all"), number=True),
    _ALL: Needs(folded=("all", "every", "each")),
    _DURATION: UNIT_NEEDS,
    _SHARED_UNIT: Needs(exact=("%", "month", "year", " mo"), digit=True),
    _NR: Needs(exact=("reached", "attained", "NR", "alcanz", "not met", "not yet met")),
    CI_RE: Needs(exact=("%",), digit=True),
}
_GATES = Gates(list(_NEEDS.values()))


class Value(NamedTuple):
    """One value token. ``kind`` is "rate", "dur" or "nr"; ``loose`` marks word fractions.

    A NamedTuple (immutable, compared by fields) rather than a frozen dataclass: a sentence makes
    several, and a frozen dataclass of ten fields costs three times as much to build or change.
    """

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


def find_values(masked: str, original: str, probed: Probe | None = None) -> list[Value]:
    """Rate, duration and not-reached tokens of a sentence whose timepoints are masked.

    ``probed`` describes ``original``, of which ``masked`` keeps a subset of the characters.
    """
    probed = probed or probe(original)
    gates = dict(zip(_NEEDS, _GATES.open(probed)))
    shared = list(_matches(_SHARED_UNIT, masked, gates, probed))
    values = (_rates(masked, gates, probed, shared) + _durations(masked, gates, probed, shared)
              + _not_reached(masked, gates, probed))
    values = _merge_parentheticals(sorted(values, key=_START), masked)
    values = _drop_overlaps(values)
    return _attach_cis(values, original, gates, probed)


def _matches(pattern: re.Pattern[str] | Numbered, text: str, gates: dict[object, bool],
             probed: Probe) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, skipped when the sentence lacks what every match needs (``gates``)."""
    if not gates[pattern]:
        return iter(())
    return pattern.finditer(text, probed) if isinstance(pattern, Numbered) else pattern.finditer(text)


def _rates(masked: str, gates: dict[object, bool], probed: Probe, shared: list[re.Match[str]]) -> list[Value]:
    out = [Value("rate", parse_number(_PCT_SUFFIX.sub("", m.group())), "%", m.start(), m.end())
           for m in _matches(_PCT, masked, gates, probed)]
    for m in _matches(_FRACTION, masked, gates, probed):
        out.extend(_fraction_value(m.group(), m.start(), m.end()))
    for m in _matches(_WORD_FRACTION, masked, gates, probed):
        word = next(g for g in m.groups() if g).lower()
        out.append(Value("rate", round(_WORD_FRACTIONS[word], 1), "%", m.start(), m.end(), loose=True))
    for m in _matches(_IN_FRACTION, masked, gates, probed):
        out.extend(_fraction_value(f"{m.group(1)} of {m.group(2)}", m.start(), m.end(), loose=True))
    for m in _matches(_SPLIT_FRACTION, masked, gates, probed):
        whole, part = parse_number(m.group(1)), parse_number(m.group(2))
        if whole and part is not None and 0 < part <= whole and whole == int(whole) and part == int(part):
            out.append(Value("rate", round(100 * part / whole, 1), "%", m.start(2), m.end(2), int(whole),
                             right_only=True))
            # "For the 4 ... patients, 3 achieved sCR, and 1 achieved a VGPR": the same group's next part
            more = _NEXT_PART.match(masked, m.end())
            other = parse_number(more.group(1)) if more else None
            if more and other is not None and 0 < other <= whole - part and other == int(other):
                out.append(Value("rate", round(100 * other / whole, 1), "%", more.start(1), more.end(1), int(whole),
                                 right_only=True))
    for m in _matches(_ALL, masked, gates, probed):
        if _NEARLY_BEFORE.search(masked, max(0, m.start() - 20), m.start()):
            continue  # "nearly all patients responded" gives no rate (guide rule 21)
        # "CRS occurred in every patient": after "in/among" the label is on the left, as for any value
        left_ok = _IN_BEFORE.search(masked, max(0, m.start() - 8), m.start()) is not None
        if left_ok and ((_CLAUSE_ENDS.match(masked, m.end()) and "%" in masked[max(0, m.start() - 120) : m.start()])
                        or _VERB_AFTER.match(masked, m.end())):
            # "a 73.3% CR rate at 12 months in all patients", "PFS and OS rates in all patients were 57%
            # and 88%": whom the figures are of
            continue
        out.append(Value("rate", 100.0, "%", m.start(), m.end(), loose=True, right_only=not left_ok))
    out.extend(_shared_unit(shared, "%"))
    return [v for v in out if v.value is not None]


def _fraction_value(raw: str, start: int, end: int, loose: bool = False) -> list[Value]:
    parts = _FRACTION_SPLIT.split(raw, maxsplit=1)
    if len(parts) != 2:
        return []
    x, y = parse_number(parts[0]), parse_number(parts[1])
    if x is None or y is None or not (0 <= x <= y) or y < 2 or x != int(x) or y != int(y):
        return []
    return [Value("rate", round(100 * x / y, 1), "%", start, end, int(y), loose=loose)]


def _durations(masked: str, gates: dict[object, bool], probed: Probe, shared: list[re.Match[str]]) -> list[Value]:
    out = []
    for m in _matches(_DURATION, masked, gates, probed):
        number = parse_number(m.group()[: m.start(1) - m.start()].rstrip(" -"))
        unit = m.group(1).lower()
        if number is None:
            continue
        if is_years(unit):
            out.append(Value("dur", number, "years", m.start(), m.end()))
        else:
            out.append(Value("dur", to_months(number, unit), "months", m.start(), m.end()))
    if defines_m_as_months(masked):  # "PFS was 20m" where "24 months (m)" defines the unit
        out.extend(Value("dur", float(m.group(1)), "months", m.start(), m.end()) for m in DURATION_IN_M.finditer(masked))
    return out + _shared_unit(shared, "dur")


def _shared_unit(shared: list[re.Match[str]], kind: str) -> list[Value]:
    """Bare numbers in "8.8 and 19.4 months" / "73 and 33%" (``_SHARED_UNIT`` matches) take the list's unit."""
    out = []
    for m in shared:
        unit = m.group(4).lower()
        if (unit == "%") != (kind == "%"):
            continue
        numbers = [(m.start(1) + n.start(), m.start(1) + n.end(), n.group()) for n in _DIGITS.finditer(m.group(1))]
        if m.group(3):  # "9.1 (~~~) months": the last figure is cut from its unit too, so no other pattern reads it
            numbers.append((m.start(2), m.end(2), m.group(2)))
        for start, end, raw in numbers:
            number = float(raw.replace(",", ""))
            if unit == "%":
                out.append(Value("rate", number, "%", start, end))
            else:
                out.append(Value("dur", number, "years" if unit.startswith("y") else "months", start, end))
    return out


# "neither median EFS nor median OS had been reached": the verb after "nor" says both were not
_DID_NOT_REACH = re.compile(r"\b(?:did|does|has|have|had)\s+not\s+(?:yet\s+)?(?P<nr>reach)\s+(?=(?:the\s+|a\s+|its\s+)?median\b)", re.I)
_ARM_REACHED = re.compile(r"\b(?:neither|no|both|either)\s+(?:arm|group|cohort)s?\s+(?:has\s+|had\s+|have\s+)?(?:yet\s+)?"
                          r"(?P<nr>reached)\s+(?=(?:the\s+|a\s+)?median\b)", re.I)
_NOR_REACHED = re.compile(r"\bneither\b[^.;]{1,60}?\bnor\b[^.;]{1,60}?\b(?:(?:had|has|have|was|were)\s+)?(?:yet\s+)?"
                          r"(?:been\s+)?(?P<nr>reached|attained)\b", re.I)


def _not_reached(masked: str, gates: dict[object, bool], probed: Probe) -> list[Value]:
    found = [Value("nr", None, "months", m.start(), m.end()) for m in _matches(_NR, masked, gates, probed)]
    if "nor" in masked:
        found += [Value("nr", None, "months", m.start("nr"), m.end("nr")) for m in _NOR_REACHED.finditer(masked)]
    if "not reach" in masked:
        # "It did not reach median overall survival versus 31.1 months with SOC"
        found += [Value("nr", None, "months", m.start("nr"), m.end("nr"), right_only=True)
                  for m in _DID_NOT_REACH.finditer(masked)]
    if "either" in masked or "arm" in masked:
        # "Neither arm reached median overall survival": the verb stands before its label
        found += [Value("nr", None, "months", m.start("nr"), m.end("nr"), right_only=True)
                  for m in _ARM_REACHED.finditer(masked)]
    return found


def _merge_parentheticals(values: list[Value], masked: str) -> list[Value]:
    """"39 of 55 adults (71%)", "82.5% (80/97)", "one-third (32/97)", "half (50%)" → one value."""
    out: list[Value] = []
    for value in values:
        prev = out[-1] if out else None
        if prev and prev.kind == value.kind == "rate" and _parenthetical(masked, prev.end, value):
            combined = _combine(prev, value)
            if _WORDY_GAP.search(masked, prev.end, value.start):
                # "33 of 34 patients responded (97%)": the label between them stays outside the value
                combined = combined._replace(end=prev.end)
            out[-1] = combined
        elif prev and prev.kind == value.kind == "rate" and _apposition(masked, prev, value):
            closing = _COMMA.match(masked[value.end :])
            out[-1] = _combine(prev, value)._replace(end=value.end + (closing.end() if closing else 0))
        else:
            out.append(value)
    return out


def _parenthetical(masked: str, after: int, value: Value) -> bool:
    gap = masked[after : value.start]
    closing = masked[value.end : value.end + 16]
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
    return stated._replace(start=first.start, end=second.end, denominator=denominator,
                   loose=first.loose and second.loose, right_only=False)


def _drop_overlaps(values: list[Value]) -> list[Value]:
    kept: list[Value] = []
    for value in sorted(values, key=lambda v: (v.start, -(v.end - v.start))):
        if kept and value.start < kept[-1].end:
            continue
        kept.append(value)
    return kept


def _attach_cis(values: list[Value], original: str, gates: dict[object, bool], probed: Probe) -> list[Value]:
    out = list(values)
    for m in _matches(CI_RE, original, gates, probed):
        bounds = _CI_BOUND.findall(m.group()[3:])
        before = [i for i, v in enumerate(out) if v.end <= m.start() and m.start() - v.end <= 6]
        if before and len(bounds) >= 2:
            low, high = (_bound(b) for b in bounds[-2:])
            out[before[-1]] = out[before[-1]]._replace(ci_low=low, ci_high=high)
    return out


def _bound(raw: str) -> float | None:
    return parse_number(raw) if _NUMERIC_START.match(raw) else None
