"""Numbers as writers put them: digits, words, fractions, percentages and durations.

``mask_non_outcomes`` blanks out numbers that are never outcomes (CIs, ranges, hazard ratios,
p values, grades, doses, prices, dates, ages, prior lines, site counts, product and trial codes)
so the value scanner in ``analysis.claims.values`` cannot pick them up. Masking keeps offsets: a
masked character becomes ``~``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator

from analysis.claims.literals import many_alternatives
from analysis.claims.probe import TENS_WORDS, UNIT_WORDS, Gates, Needs, Probe, cases, probe

WORD_VALUES = {w: i for i, w in enumerate(UNIT_WORDS)} | {w: 20 + 10 * i for i, w in enumerate(TENS_WORDS)}

_UNIT_ALT = "|".join(sorted(UNIT_WORDS, key=len, reverse=True))
_TENS_ALT = "|".join(TENS_WORDS)
# "two hundred (and) fifty-four" before "two": the longest reading first
_TENS_UNIT = rf"(?:{_TENS_ALT})(?:[\s-]+(?:{_UNIT_ALT}))?"
WORD_NUM = (rf"(?:(?:(?:{_UNIT_ALT})\s+)?hundred(?:\s+(?:and\s+)?(?:{_TENS_UNIT}|{_UNIT_ALT}))?"
            rf"|{_TENS_UNIT}|(?:{_UNIT_ALT}))")


def _rest(words: list[str]) -> str:
    """The words as an alternation, each without its first letter, which a lookbehind checks."""
    return "(?:" + "|".join(f"(?<={word[0]}){word[1:]}" for word in words) + ")"


# First letters of all number words: a lookahead on them only saves trying each word in turn.
WORD_NUM_FIRST = "".join(sorted({word[0] for word in [*UNIT_WORDS, *TENS_WORDS, "hundred"]}))
# "97,9 %" and "34,9 meses": a decimal comma is read only right before a unit, so that English
# thousands ("1,297 patients") stay thousands.
_BEFORE_UNIT = r"(?=\s*(?:%|por\s+ciento|meses|mes\b|años|semanas|días))"
_DECIMAL_COMMA = rf"\d*,\d{{1,2}}{_BEFORE_UNIT}"
DIGITS = rf"(?:\d+,\d{{1,2}}{_BEFORE_UNIT}|\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
NUM = rf"(?:{DIGITS}|(?i:\b(?=[{WORD_NUM_FIRST}]){WORD_NUM}\b))"
# NUM and DIGITS with their first character already consumed: each way on checks that character.
_UNITS = sorted(UNIT_WORDS, key=len, reverse=True)  # the order of _UNIT_ALT
_HUNDREDS = rf"(?:\s+(?:and\s+)?(?:{_TENS_UNIT}|{_UNIT_ALT}))?"
_DIGITS_REST = (rf"(?<=\d){_DECIMAL_COMMA}|(?<=\d)\d{{0,2}}(?:,\d{{3}})+(?:\.\d+)?|(?<=\d)\d*(?:\.\d+)?|(?<=\.)\d+")
DIGITS_REST = f"(?:{_DIGITS_REST})"
_WORD_NUM_REST = (rf"(?:{_rest(_UNITS)}\s+hundred{_HUNDREDS}|(?<=h)undred{_HUNDREDS}"
                  rf"|{_rest(TENS_WORDS)}(?:[\s-]+(?:{_UNIT_ALT}))?|{_rest(_UNITS)})")
NUM_REST = rf"(?:{_DIGITS_REST}|(?i:(?<!\w.){_WORD_NUM_REST}\b))"
NUM_HEAD = rf"(?-i:[\d.{''.join(cases(letter) for letter in WORD_NUM_FIRST)}])"
MASK_CHAR = "~"


def num(words: bool) -> str:
    """NUM, or DIGITS when the text holds no number word (see ``Numbered``)."""
    return NUM if words else DIGITS


def num_list(words: bool) -> str:
    """A list of numbers before a last one: "3, 4 and " (the last number not included)."""
    return rf"(?:{num(words)}\s*,\s*)*(?:{num(words)}\s*,?\s*(?:and|or)\s+)?"


def num_head(words: bool) -> str:
    """A class of every character a number (``num(words)``) can start with."""
    return NUM_HEAD if words else r"[\d.]"


def num_rest(words: bool) -> str:
    """The rest of a number after ``num_head``: each way on checks the first character."""
    return NUM_REST if words else DIGITS_REST


def letters_first(alternatives: list[str], *, ignorecase: bool) -> str:
    """``\\b(?:a|b|...)``, each alternative starting with a letter, written to start with one class.

    As in ``number_first``: the class consumes the first letter (in every case ``ignorecase``
    allows), the word-start test looks one character back, and each alternative, in order,
    checks its first letter with a lookbehind (under the pattern's own flags).
    """
    heads = "".join(dict.fromkeys(cases(a[0]) if ignorecase else a[0] for a in alternatives))
    return f"(?-i:[{heads}])(?<!\\w.){_rest(alternatives)}"


def number_first(not_after: str = "", *, words: bool = True, group: bool = False) -> str:
    """``(?<![not_after]){num(words)}``, rewritten to start with a character class.

    One class consumes the number's first character (a digit, "." or a number word's first
    letter in any case), the lookbehind moves one character further back, and each way the
    number goes on checks that first character with a lookbehind, in NUM's order. The matches are
    the same, but sre can skip to those characters instead of trying the pattern everywhere.
    ``group`` captures the number.
    """
    number = num_head(words) + (f"(?<![{not_after}].)" if not_after else "") + num_rest(words)
    return f"({number})" if group else number


class Numbered:
    """A pattern holding numbers, compiled twice: as written, and with every number in digits.

    ``build(words)`` writes the pattern, using ``num(words)`` and friends for its numbers. On a
    sentence where no number word occurs, not even inside another word (``Probe.words`` false),
    the digits-only pattern matches exactly like the full one, and costs less.
    """

    def __init__(self, build: Callable[[bool], str], flags: int = 0) -> None:
        full, digits = build(True), build(False)
        self.full = re.compile(full, flags)
        self.digits = self.full if digits == full else re.compile(digits, flags)
        # run as an Alternation when it is one of several alternatives: the same matches
        self._full, self._digits = many_alternatives(self.full), many_alternatives(self.digits)

    def finditer(self, text: str, sentence: Probe, pos: int = 0) -> Iterator[re.Match[str]]:
        """Matches in ``text`` (the sentence ``sentence`` probes, or a masked copy) from ``pos`` on."""
        return (self._full if sentence.words else self._digits).finditer(text, pos)
_WORD_BREAK = re.compile(r"[\s-]+")


def parse_number(raw: str) -> float | None:
    """Value of digits ("1,024", "97.9") or English words ("Seventy-one", "one hundred")."""
    cleaned = raw.strip()
    cleaned = cleaned.replace(",", ".") if re.fullmatch(r"\d+,\d{1,2}", cleaned) else cleaned.replace(",", "")
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


_MONTHS = ["Jan(?:uary)?", "Feb(?:ruary)?", "Mar(?:ch)?", "Apr(?:il)?", "May", "June?", "July?", "Aug(?:ust)?",
           "Sep(?:t(?:ember)?)?", "Oct(?:ober)?", "Nov(?:ember)?", "Dec(?:ember)?"]
_MONTH = f"(?:{'|'.join(_MONTHS)})"
# Dates, written to start at their first character as in number_first: "\b{_MONTH}..." |
# "\b\d{1,2} {_MONTH} \d{4}" | "\b{_MONTH} \d{4}" | "\b\d{4}-\d{2}-\d{2}" | "\bQ[1-4] \d{4}".
_DATES = (rf"[JFMASOND\dQ](?<!\w.)(?:{_rest(_MONTHS)}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*,\s*\d{{4}})?"
          rf"|(?<=\d)\d?\s+{_MONTH}\s+\d{{4}}|{_rest(_MONTHS)}\s+\d{{4}}|(?<=\d)\d{{3}}-\d{{2}}-\d{{2}}"
          r"|(?<=Q)[1-4]\s*\d{4})")
# Codes ("CAR-T19", "4-1BB", "2:1" but not the "4: 5%" of "grade 3/4: 5%", "NCT0123"), written the same way; a letter run is followed by
# "-" or a digit, so it never gives letters back ("*+").
# ... never a unit with a citation glued on ("12.3 months1,2")
_CODES = (r"(?!(?i:months?|mos?|years?|yrs?|weeks?|days?|patients|percent)\d)[A-Za-z\d](?<!\w.)(?:(?<=[A-Za-z])[A-Za-z]*+-?\d+[A-Za-z0-9.]*\b|(?<=\d)-1BB\b"
          r"|(?<=\d)\d*\s*:\s*\d+\b(?!\s*%)|(?<=N)CT\d+)")
# "95% CI, 15 months-NR": a bound may carry its unit
_CI = (r"(?:95|90|99)\s*%\s*(?:CI|C\.I\.|confiden(?:ce|t)\s+interval)s?\s*[,:=]?\s*(?:of\s+)?"
       rf"(?:{DIGITS}|NE|NR|not\s+estimable|not\s+reached)\s*(?:%|\s*(?:months?|mo|years?))?\s*(?:–|—|-|to|,)\s*"
       rf"(?:{DIGITS}|NE|NR|not\s+estimable|not\s+reached)\s*%?")
CI_RE = re.compile(_CI, re.IGNORECASE)
_LEVEL = r"(?:95|90|99|80)\s*(?:%|percent\b|per\s+cent\b)"
_CONFIDENCE = r"(?:CI\b|C\.I\.|confiden(?:ce|t)\b|conf\.)"  # "Confident Interval": a writer's slip
# A bracket that opens with a confidence level holds only its bounds: "(95% CI, 4.5-15.8)",
# "[95% CI (confidence interval), 92.7-99.7]", "(95% confidence interval [CI], 54%-91%)".
_CI_BRACKET = (rf"[(\[]\s*{_LEVEL}\s*{_CONFIDENCE}(?:[^()\[\];]|;(?!\s*[nN]\s*=)|[(\[][^()\[\]]*[)\]])*"
               # "(95% CI 57-82; N = 55)": the group's size after the bounds stays readable
               r"(?:[)\]]|(?=;\s*[nN]\s*=))")
# Ranges are never values (guide rules 1 and 16): "42–46%", "(19-193)", "(25.4–not estimable)".
_RANGE = (rf"\brang(?:e|ed|ing)\s+(?:from\s+|between\s+)?{DIGITS}\s*%?\s*(?:to|and|-|–)\s*{DIGITS}\s*%?"
          rf"|(?<![\w.~/-]){DIGITS}\s*%?\s*(?:–|—|-|‒)\s*(?:{DIGITS}\s*%?|NR\b|NE\b|not\s+(?:estimable|reached|evaluable)(?:\s*[\[(]\s*(?:NR|NE)\s*[\])])?)"
          rf"|(?<=[(\[])\s*{DIGITS}\s*%?\s*to\s*(?:{DIGITS}\s*%?|NR\b|NE\b|not\s+(?:estimable|reached)(?:\s*[\[(]\s*(?:NR|NE)\s*[\])])?)"
          # "response rates of 73% to 98%" spans several results; "rose from 33% to 69%" is a change, kept
          rf"|(?<![\w.~/-])(?<!from\s)(?<!increased\s)(?<!rose\s){DIGITS}\s*%\s*to\s*{DIGITS}\s*%")
_MASKS = [(needs, Numbered(build, flags)) for needs, build, flags in [
    (Needs(exact=("%",), digit=True), lambda w: _CI, re.I),
    (Needs(folded=("ci", "confiden", "conf."), digit=True),
     lambda w: rf"{_CI_BRACKET}|{_LEVEL}(?=\s*(?:[(\[]\s*)?{_CONFIDENCE})", re.I),
    (Needs(exact=("-", "–", "—", "‒", " to "), folded=("rang",), digit=True), lambda w: _RANGE, re.I),
    # a test's threshold is not a result: "(null hypothesis: ≤ 5%)", "against a null rate of 20%"
    (Needs(folded=("null",), digit=True),
     lambda w: r"\bnull\s+(?:hypothesis|rate|response\s+rate)\s*(?:of|[:,=])?\s*(?:[≤<>≥]|<=|>=)?\s*=?\s*\d+(?:\.\d+)?\s*%",
     re.I),
    # relative effects and bounds are never a rate or a median: "an improvement of 60% in EFS",
    # "a 40% reduction", ">3 years of follow-up", "(minimum 18 months)"
    (Needs(folded=("improvement", "reduction", "increase", "decrease", "gain", "lower", "higher", "relative", "better"),
           number=True),
     lambda w: rf"\b(?:improvement|reduction|increase|decrease|gain)\s+of\s+{num(w)}\s*(?:%|percent\b)"
     rf"|{number_first(words=w)}\s*(?:%|percent)\s+(?:improvement|reduction|increase|decrease|gain|lower|higher|relative|better)\b",
     re.I),
    # a relative change: "improved overall survival by 45%", "cut relapses by a third"
    (Needs(folded=("improved", "increased", "extended", "prolonged", "boosted", "reduced", "lowered", "decreased", "cut"),
           number=True),
     lambda w: rf"\b(?:improved|increased|extended|prolonged|boosted|reduced|lowered|decreased|cut)\b[^.;%]{{0,40}}?\bby\s+"
     rf"(?:about\s+|nearly\s+|almost\s+|roughly\s+)?{num(w)}\s*(?:%|percent\b)", re.I),
    # stock and share moves: "Arcellx stock rose 12%", "shares fell by 4 percent"
    (Needs(folded=("stock", "share"), number=True),
     lambda w: rf"\b(?:stock|shares?)\b[^.;%]{{0,40}}?\b(?:rose|fell|jumped|climbed|dropped|gained|lost|slid|surged|soared"
     rf"|plunged|tumbled|rallied|sank|up|down)\s+(?:by\s+|as\s+much\s+as\s+|nearly\s+|about\s+)?{num(w)}\s*(?:%|percent\b)",
     re.I),
    (Needs(exact=(">", "≥"), folded=("more", "least", "min"), number=True),
     # ... but "progression-free >12 months", "alive (for) ≥5 years" is a landmark reached (analysis.claims.timepoints)
     lambda w: rf"(?<!free\s)(?<!alive\s)(?<!free\sfor\s)(?<!alive\sfor\s)(?:[>≥]|\bmore\s+than|\bat\s+least|\bminimum(?:\s+of)?|\bmin\.?)\s*{num(w)}\s*(?:-|\s)?"
     r"(?:months?|mos?\b|years?|yrs?|weeks?|days?)", re.I),
    # "all CRs had MRD <0.01%", "MRD-negative (<0.01%)": the assay's threshold, no figure
    (Needs(exact=("<", "≤"), digit=True),
     lambda w: r"(?<![\w.])(?:<|≤)\s*0?\.0*1\s*%", re.I),
    # "The most common adverse reactions (>20%) were CRS, ...": a label's incidence threshold, no figure
    (Needs(folded=("common",), number=True),
     lambda w: r"\bcommon\s+(?:[\w-]+\s+){0,3}?(?:reactions?|events?|toxicit(?:y|ies)|side\s+effects?|AEs?|ARs?)\s*"
               r"[(\[]\s*(?:incidence\s*)?(?:>|≥|>=|⩾)\s*\d+(?:\.\d+)?\s*%\s*[)\]]", re.I),
    # "the primary OS analysis 5 years after the first patient was enrolled": when an analysis ran, no median
    (Needs(folded=("first patient", "last patient"), number=True),
     lambda w: rf"{num(w)}\s*(?:-|\s)?(?:months?|years?)\s+after\s+(?:the\s+)?(?:first|last)\s+patient", re.I),
    (Needs(folded=("range", "iqr", "min")),
     lambda w: r"\(\s*(?:range|IQR|interquartile\s+range|min[-–]max)\b[^()]*\)", re.I),
    (Needs(folded=("range", "iqr"), digit=True),
     lambda w: rf"\b(?:range|IQR)\s*[,:]?\s*{DIGITS}\s*(?:–|—|-|to)\s*{DIGITS}", re.I),
    (Needs(folded=("ratio",), digit=True), lambda w: rf"\b(?:hazard|odds)\s+ratio\b[^;.()]{{0,40}}?{DIGITS}", re.I),
    (Needs(exact=("HR", "OR", "RR"), digit=True), lambda w: rf"\b(?:HR|OR|RR)\s*[,:=]?\s*{DIGITS}", 0),
    (Needs(exact=("<", "=", ">", "≤", "≥", "value"), digit=True),
     lambda w: rf"\b[Pp]\s*(?:[<=>≤≥]|values?\s+(?:of|was|=))\s*{DIGITS}", 0),
    (Needs(folded=("grade", "grado"), digit=True),
     # a grade is one digit: "any grade 42%" keeps its 42% (never "grade 4" and "2%"); Spanish "grado 3/4"
     lambda w: r"(?:≥|>=|⩾)\s*grade\s*\d(?![\d%]|\.\d)"
               r"|\bgrad(?:es?|os?)\s*(?:≥|>=|⩾|>|≤|<)?\s*\d(?![\d%]|\.\d)(?:\s*(?:[-–/+]|to|or|and|o|y|a)\s*\d(?![\d%]|\.\d))*",
     re.I),
    (Needs(exact=("10",), also=("×", "x", "X", "*", "^", *"⁰¹²³⁴⁵⁶⁷⁸⁹⁻")), lambda w: rf"{num_list(w)}{DIGITS}\s*(?:×|x|\*)\s*10\s*(?:\^|e)?\s*[-−]?\d+"
     r"|\b10\s*\^\s*[-−]?\s*\d+|\b10[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+", re.I),
    (Needs(exact=("g", "mL", "ml"), digit=True),
     lambda w: rf"{number_first(words=False)}\s*(?:mg|µg|mcg|g|mL|ml)\s*(?:/\s*(?:m2|m²|kg|day|d))?\b", 0),
    (Needs(exact=("$", "€", "£", "¥"), digit=True),
     lambda w: rf"(?:US\s?|A|C)?[$€£¥]\s?{DIGITS}(?:\s*(?:million|billion|bn|mn|m|k)\b)?", re.I),
    (Needs(folded=("million", "billion", "bn", "mn", "dose", "dollars", "euros", "pounds"), number=True),
     lambda w: rf"{num_list(w)}{num(w)}\s*(?:million|billion|bn|mn)\b"
     rf"|\bdoses?\s+(?:levels?\s+)?(?:of\s+)?{num_list(w)}{num(w)}(?![\d.])(?!\s+(?:patients|pts|participants|subjects|people))|{DIGITS}\s*(?:dollars|euros|pounds)\b", re.I),
    (Needs(exact=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "-", "Q"),
           digit=True),
     lambda w: _DATES, 0),
    (Needs(exact=("19", "20")), lambda w: r"\b(?:19[5-9]\d|20[0-4]\d)\b(?!\s*%)", 0),
    (Needs(folded=("age", "old"), number=True),
     lambda w: rf"\b(?:median\s+)?age[ds]?\s*(?:was|of|at|:|,|=)?\s*(?:\(?range\s*)?{num(w)}"
     rf"(?:\s*(?:–|-|to)\s*{num(w)})?(?:\s*(?:years?|yrs?|y)\b)?|{num(w)}[\s-]+(?:years?|yrs?)[\s-]+old"
     rf"|{num(w)}-year-old", re.I),
    (Needs(folded=("line", "regimens", "therapies"), number=True),
     lambda w: rf"(?:at\s+least\s+|median\s+of\s+)?{num(w)}\s*(?:(?:or|to|–|-)\s*(?:more|{num(w)})\s+)?"
     r"(?:prior\s+|previous\s+|earlier\s+)?(?:lines?|regimens|therapies)\b", re.I),
    (Needs(folded=("sites", "centers", "centres", "countries", "hospitals", "institutions", "states", "cities"),
           number=True),
     lambda w: rf"{number_first(words=w)}\s+(?:\w+\s+)?(?:sites|centers|centres|countries|hospitals|institutions"
     r"|states|cities)\b", re.I),
    (Needs(folded=("phase", "cohort", "arm", "part", "dose", "dl")),
     lambda w: r"\bphase\s*(?:[1-4]|I{1,3}V?)[ab]?(?:\s*/\s*(?:[1-4]|I{1,3}V?)[ab]?)?\b"
     r"|\b(?:cohort|arm|part|dose\s+level|DL)\s*[1-9][A-Za-z]?\b", re.I),
    (Needs(digit=True), lambda w: _CODES, 0),
    (Needs(exact=("/",), digit=True), lambda w: rf"{number_first(words=False)}\s*%(?:\s*/\s*{DIGITS}\s*%)+", 0),
    (Needs(folded=("risk",), number=True),
     lambda w: rf"\brisk\b[^.;]{{0,60}}?\bby\s+{num(w)}\s*(?:%|percent)|{num(w)}\s*(?:%|percent)\s+(?:lower"
     r"|reduction|reduced|decrease)\s+(?:in\s+)?(?:the\s+)?risk", re.I),
    (Needs(folded=("fold", "x"), number=True), lambda w: rf"{number_first(words=w)}\s*(?:(?:-|\s)fold|x\b)", re.I),
]]
_MASK_GATES = Gates([needs for needs, _ in _MASKS])
_CODES_AT = next(i for i, (_, pattern) in enumerate(_MASKS) if pattern.full.pattern == _CODES)
_RANGE_AT = next(i for i, (_, pattern) in enumerate(_MASKS) if pattern.full.pattern == _RANGE)
_AGE_AT = next(i for i, (_, pattern) in enumerate(_MASKS) if "age[ds]?" in pattern.full.pattern)
# The age pattern's gate words ("age", "old") sit inside "percentage", "stage", "threshold"; its numbers
# are tried at every character. It runs only where an age can be written.
_AGE_HINT = re.compile(r"\bage[ds]?\b|\bold\b", re.I)
# What every _RANGE match holds: a figure then a dash or "to", or the word "range". The gate's literals
# ("-" above all) pass almost every sentence, and _RANGE tries four lookbehind alternatives at every
# character; this one pass finds where a range can start (at most this far before the dash).
_RANGE_HINT = re.compile(r"\d\s*%?\s*(?:[–—‒-]|to\b)\s*(?:[\d.]|NR\b|NE\b|not\b)|rang", re.I)
_RANGE_REACH = 40
_DIGIT = re.compile(r"\d")
_ASCII_LETTERS = frozenset(string.ascii_letters)
_NON_SPACE = re.compile(r"\S")


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace each span by ``~`` characters (same length, so offsets survive)."""
    if not spans:
        return text
    pieces: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        start, end = max(start, cursor), min(end, len(text))
        if start < end:
            part = text[start:end]  # printable and no " ": no whitespace at all
            masked = MASK_CHAR * len(part) if " " not in part and part.isprintable() else _NON_SPACE.sub(MASK_CHAR, part)
            pieces += (text[cursor:start], masked)
            cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


# "increased 48-month OS estimates from 46.0% to 54.6%" in a sentence that sets the product against
# standard care: the figure after "from" is the comparator's, the one after "to" the product's
_FROM_TO = re.compile(r"(?<=\bfrom\s)\d+(?:\.\d+)?\s*%(?=\s+to\s+\d+(?:\.\d+)?\s*%)", re.I)
_AGAINST = re.compile(r"\bversus\b|\bvs\b|\bcompared\b|\bSOC\b|\bstandard\b", re.I)


def mask_non_outcomes(text: str, keep_out: list[tuple[int, int]], sentence: Probe | None = None) -> str:
    """``text`` with non-outcome numbers and the given name spans masked."""
    sentence = sentence or probe(text)
    spans = list(keep_out)
    if "from" in text and _AGAINST.search(text):
        spans += [m.span() for m in _FROM_TO.finditer(text)]
    for index, ((_, pattern), run) in enumerate(zip(_MASKS, _MASK_GATES.open(sentence))):
        if run:
            pos = _codes_from(text) if index == _CODES_AT else 0
            if index == _AGE_AT and not _AGE_HINT.search(text):
                continue
            if index == _RANGE_AT:
                hint = _RANGE_HINT.search(text)
                if hint is None:
                    continue
                pos = max(0, hint.start() - _RANGE_REACH)
            spans += [m.span() for m in pattern.finditer(text, sentence, pos)]
    return mask(text, spans)


def _codes_from(text: str) -> int:
    """Where a code can start at the earliest: the letters (and "-") just before the first digit.

    Between a code's start and its first digit there are only letters and one "-", so a code
    that starts before the text's first digit has that digit as its own.
    """
    first = _DIGIT.search(text)
    start = first.start() if first else len(text)
    if start > 0 and text[start - 1] == "-":
        start -= 1
    while start > 0 and text[start - 1] in _ASCII_LETTERS:
        start -= 1
    return start
