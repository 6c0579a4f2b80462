"""Numbers as writers put them: digits, words, fractions, percentages and durations.

``mask_non_outcomes`` blanks out numbers that are never outcomes (CIs, ranges, hazard ratios,
p values, grades, doses, prices, dates, ages, prior lines, site counts, product and trial codes)
so the value scanner in ``analysis.claim_values`` cannot pick them up. Masking keeps offsets: a
masked character becomes ``~``.
"""

from __future__ import annotations

import re

from analysis.claim_probe import TENS_WORDS, UNIT_WORDS, Needs, Probe, probe

WORD_VALUES = {w: i for i, w in enumerate(UNIT_WORDS)} | {w: 20 + 10 * i for i, w in enumerate(TENS_WORDS)}

_UNIT_ALT = "|".join(sorted(UNIT_WORDS, key=len, reverse=True))
_TENS_ALT = "|".join(TENS_WORDS)
WORD_NUM = (rf"(?:(?:{_TENS_ALT})(?:[\s-]+(?:{_UNIT_ALT}))?|(?:{_UNIT_ALT})"
            rf"|(?:(?:{_UNIT_ALT})\s+)?hundred(?:\s+(?:and\s+)?(?:{_TENS_ALT}|{_UNIT_ALT}))?)")
# First letters of all number words: a lookahead on them only saves trying each word in turn.
WORD_NUM_FIRST = "".join(sorted({word[0] for word in [*UNIT_WORDS, *TENS_WORDS, "hundred"]}))
DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
NUM = rf"(?:{DIGITS}|(?i:\b(?=[{WORD_NUM_FIRST}]){WORD_NUM}\b))"
_LIST = rf"(?:{NUM}\s*,\s*)*(?:{NUM}\s*,?\s*(?:and|or)\s+)?"
MASK_CHAR = "~"
_WORD_BREAK = re.compile(r"[\s-]+")


def parse_number(raw: str) -> float | None:
    """Value of digits ("1,024", "97.9") or English words ("Seventy-one", "one hundred")."""
    cleaned = raw.strip().replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        pass
    total, current = 0, 0
    for word in _WORD_BREAK.split(cleaned.lower()):
        if word == "and":
            continue
        if word == "hundred":
            current = max(current, 1) * 100
        elif word in WORD_VALUES:
            current += WORD_VALUES[word]
        else:
            return None
    return float(total + current)


_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_CI = (r"(?:95|90|99)\s*%\s*(?:CI|C\.I\.|confidence\s+interval)s?\s*[,:=]?\s*(?:of\s+)?"
       rf"(?:{DIGITS}|NE|NR|not\s+estimable|not\s+reached)\s*%?\s*(?:–|—|-|to|,)\s*"
       rf"(?:{DIGITS}|NE|NR|not\s+estimable|not\s+reached)\s*%?")
CI_RE = re.compile(_CI, re.IGNORECASE)
_MASKS = [(needs, re.compile(p, f)) for needs, p, f in [
    (Needs(exact=("%",), digit=True), _CI, re.I),
    (Needs(folded=("range", "iqr", "min")),
     r"\(\s*(?:range|IQR|interquartile\s+range|min[-–]max)\b[^()]*\)", re.I),
    (Needs(folded=("range", "iqr"), digit=True),
     rf"\b(?:range|IQR)\s*[,:]?\s*{DIGITS}\s*(?:–|—|-|to)\s*{DIGITS}", re.I),
    (Needs(folded=("ratio",), digit=True), rf"\b(?:hazard|odds)\s+ratio\b[^;.()]{{0,40}}?{DIGITS}", re.I),
    (Needs(exact=("HR", "OR", "RR"), digit=True), rf"\b(?:HR|OR|RR)\s*[,:=]?\s*{DIGITS}", 0),
    (Needs(exact=("<", "=", ">", "≤", "≥", "value"), digit=True),
     rf"\b[Pp]\s*(?:[<=>≤≥]|values?\s+(?:of|was|=))\s*{DIGITS}", 0),
    (Needs(folded=("grade",), digit=True),
     r"(?:≥|>=|⩾)\s*grade\s*\d|\bgrades?\s*(?:≥|>=|⩾|>|≤|<)?\s*\d(?:\s*(?:[-–/+]|to|or|and)\s*\d)*", re.I),
    (Needs(exact=("10",)), rf"{_LIST}{DIGITS}\s*(?:×|x|\*)\s*10\s*(?:\^|e)?\s*[-−]?\d+"
     r"|\b10\s*\^\s*[-−]?\s*\d+|\b10[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+", re.I),
    (Needs(exact=("g", "mL", "ml"), digit=True),
     rf"{DIGITS}\s*(?:mg|µg|mcg|g|mL|ml)\s*(?:/\s*(?:m2|m²|kg|day|d))?\b", 0),
    (Needs(exact=("$", "€", "£", "¥"), digit=True),
     rf"(?:US\s?|A|C)?[$€£¥]\s?{DIGITS}(?:\s*(?:million|billion|bn|mn|m|k)\b)?", re.I),
    (Needs(folded=("million", "billion", "bn", "mn", "dose", "dollars", "euros", "pounds"), number=True),
     rf"{_LIST}{NUM}\s*(?:million|billion|bn|mn)\b|\bdoses?\s+(?:levels?\s+)?(?:of\s+)?{_LIST}{NUM}"
     rf"|{DIGITS}\s*(?:dollars|euros|pounds)\b", re.I),
    (Needs(exact=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "-", "Q"),
           digit=True),
     rf"\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*,\s*\d{{4}})?|\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
     rf"|\b{_MONTH}\s+\d{{4}}|\b\d{{4}}-\d{{2}}-\d{{2}}|\bQ[1-4]\s*\d{{4}}", 0),
    (Needs(exact=("19", "20")), r"\b(?:19[5-9]\d|20[0-4]\d)\b(?!\s*%)", 0),
    (Needs(folded=("age", "old"), number=True),
     rf"\b(?:median\s+)?age[ds]?\s*(?:was|of|at|:|,|=)?\s*(?:\(?range\s*)?{NUM}(?:\s*(?:–|-|to)\s*{NUM})?"
     rf"(?:\s*(?:years?|yrs?|y)\b)?|{NUM}[\s-]+(?:years?|yrs?)[\s-]+old|{NUM}-year-old", re.I),
    (Needs(folded=("line", "regimens", "therapies"), number=True),
     rf"(?:at\s+least\s+|median\s+of\s+)?{NUM}\s*(?:(?:or|to|–|-)\s*(?:more|{NUM})\s+)?"
     r"(?:prior\s+|previous\s+|earlier\s+)?(?:lines?|regimens|therapies)\b", re.I),
    (Needs(folded=("sites", "centers", "centres", "countries", "hospitals", "institutions", "states", "cities"),
           number=True),
     rf"{NUM}\s+(?:\w+\s+)?(?:sites|centers|centres|countries|hospitals|institutions|states|cities)\b", re.I),
    (Needs(folded=("phase", "cohort", "arm", "part", "dose", "dl")),
     r"\bphase\s*(?:[1-4]|I{1,3}V?)[ab]?(?:\s*/\s*(?:[1-4]|I{1,3}V?)[ab]?)?\b"
     r"|\b(?:cohort|arm|part|dose\s+level|DL)\s*[1-9][A-Za-z]?\b", re.I),
    (Needs(digit=True), r"\b[A-Za-z]+-?\d+[A-Za-z0-9.]*\b|\b\d-1BB\b|\b\d+\s*:\s*\d+\b|\bNCT\d+", 0),
    (Needs(exact=("/",), digit=True), rf"{DIGITS}\s*%(?:\s*/\s*{DIGITS}\s*%)+", 0),
    (Needs(folded=("risk",), number=True),
     rf"\brisk\b[^.;]{{0,60}}?\bby\s+{NUM}\s*(?:%|percent)|{NUM}\s*(?:%|percent)\s+(?:lower|reduction"
     r"|reduced|decrease)\s+(?:in\s+)?(?:the\s+)?risk", re.I),
    (Needs(folded=("fold", "x"), number=True), rf"{NUM}\s*(?:(?:-|\s)fold|x\b)", re.I),
]]
_NON_SPACE = re.compile(r"\S")


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace each span by ``~`` characters (same length, so offsets survive)."""
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        start, end = max(start, cursor), min(end, len(text))
        if start < end:
            pieces += (text[cursor:start], _NON_SPACE.sub(MASK_CHAR, text[start:end]))
            cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def mask_non_outcomes(text: str, keep_out: list[tuple[int, int]], sentence: Probe | None = None) -> str:
    """``text`` with non-outcome numbers and the given name spans masked."""
    sentence = sentence or probe(text)
    spans = list(keep_out)
    for needs, pattern in _MASKS:
        if needs.met(sentence):
            spans.extend(m.span() for m in pattern.finditer(text))
    return mask(text, spans)
