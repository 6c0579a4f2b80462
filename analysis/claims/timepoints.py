"""Landmarks in one (masked) sentence: "2-year", "at 12 months", "within three months", "five years after".

``find_timepoints`` returns each landmark in months; ``mask_timepoints`` blanks them so that the
value scanner (analysis.claims.values) never reads a landmark as a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter

from analysis.claims.literals import Gated
from analysis.claims.numbers import NUM, Numbered, letters_first, mask, num, number_first, parse_number
from analysis.claims.probe import Gates, Needs, Probe, probe

_START = attrgetter("start")  # sort key: offset of a span-like record

DUR_UNIT = r"(?:months?|mos?\b\.?|years?|yrs?|weeks?|wks?|days?|meses|mes\b|años|año\b|semanas|días)"
DUR_UNIT_WORD = r"(?:month|year|week|day)"
# \b(?:at|within|...|for(?:...)?) and \b(?:month|day|week|year), written to start at their first letter
_TP_PREP = letters_first(["at", "within", "by", "after", "through", "beyond", "over", "past", "until", r"up\s+to",
                          r"a\s+los", r"a\s+las", "tras",
                          r"for(?:\s+(?:at\s+least|more\s+than|over|up\s+to|the\s+first))?"], ignorecase=True)
_UNIT_FIRST = letters_first(["month", "day", "week", "year"], ignorecase=True)
_NOT_AFTER = r"\w~."  # (?<![\w~.]){NUM}
_TIMEPOINTS = [Numbered(build, re.I) for build in (
    lambda w: rf"{_TP_PREP}\s+(?:(?:month|day|week|year)\s+{num(w)}\b|{num(w)}\s*(?:-|\s)?{DUR_UNIT}"
              rf"(?:\s+or\s+(?:more|longer))?|{num(w)}\s+or\s+more\s+{DUR_UNIT})",
    lambda w: rf"{number_first(_NOT_AFTER, words=w)}\s*[-\u2010\u2011]\s*(?:month|year|day|week|mo)\b(?!s)",
    lambda w: rf"{number_first(_NOT_AFTER, words=w)}\s+{DUR_UNIT}\s+(?:after|post|following|from|since|later)\b",
    lambda w: rf"{_UNIT_FIRST}\s+{num(w)}\b",
)]
_GATES = Gates([Needs(), Needs(exact=("-", "\u2010", "\u2011")),
                Needs(folded=("after", "post", "following", "from", "since", "later")),
                Needs(folded=("month", "day", "week", "year"))])  # what each of _TIMEPOINTS needs
# "median of 2 years", "median progression-free survival (PFS) at 62.2 months": a median's value
# "median duration of complete response stood at 21.8 months": the median's value, not a landmark
_MEDIAN_BEFORE = re.compile(r"median\s+(?:of\s+)?$|\bmedian\s+(?:(?!(?:who|among|in|with|for|and|patients|not|never|yet|still)\b)[a-z-]+\s+){1,5}"
                            r"(?:\([A-Za-z]{2,5}\)\s+)?(?:(?:was|were|is|stood|came(?:\s+in|\s+out)?|reached|amounted|measured|settled|landed|held|sat|remained)\s+)?$"
                            r"|\bm(?:PFS|OS|DOR|EFS)\s+(?:\w+\s+){0,2}$", re.I)
# ... or "for ~17 mos. of median follow-up": the follow-up's own length
_ADJECTIVE_MEDIAN = re.compile(r"\s*(?:median|mfu\b|follow[\s-]*up|m(?:PFS|OS|DOR|EFS)\b)|\.?\s*of\s+(?:the\s+)?median\s+follow", re.I)
_FOLLOWUP_BEFORE = re.compile(r"(?:follow[\s-]*up|\bFU\b)\s*(?:period\s+)?(?:[a-z]+\s+){0,2}?(?:was\s+|of\s+|reached\s+|:\s*)?$", re.I)
_VALUE_PHRASE = re.compile(rf"{NUM}\s+\w+\s+(?:after|post|following)", re.I)
_LINK_BEFORE = re.compile(r"(?:was|were|is|of|:|to)\s*$", re.I)
_UNIT_WORD = re.compile(r"(month|mo|year|yr|week|wk|day|meses|mes|años|año|semana|día)", re.I)
_UNIT_NAME = re.compile(r"\b(?:month|day|week|year)s?\b|\b(?:meses|mes|años|año|semanas?|días?)\b", re.I)
_NUM = re.compile(NUM)
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}(?=\s*(?:meses|mes\b|años|año\b|semanas|días))")
_UP_TO = re.compile(r"(?:for\s+)?up\s+to", re.I)
# "At a median follow-up of 24 months (m), PFS was 20m": an abstract that defines "m" as months
# writes its durations "20m"; a bare "m" means months only where the sentence says so
_DEFINES_M = re.compile(r"\bmonths?\s*\(m\)", re.I)
_LANDMARK_IN_M = re.compile(r"\b(?:at|by|after)\s+(\d+(?:\.\d+)?)m\b")
DURATION_IN_M = re.compile(r"(?<![\w.$€£~])(\d+(?:\.\d+)?)m\b")


def defines_m_as_months(masked: str) -> bool:
    return "(m)" in masked and _DEFINES_M.search(masked) is not None


UNIT_NEEDS = Needs(folded=("mo", "day", "week", "year", "yr", "wk", "mes", "año", "semana", "día"),
                   number=True)  # every DUR_UNIT
_DATA_CUT = re.compile(r"\s+of\b|\s+(?:~+\s+)?(?:[A-Za-z-]+\s+)?(?:update|analysis|analyses|follow[\s-]*up"
                       r"|data|results|report|cut|extension|outcomes|landmark\s+analysis)\b", re.I)


# "a cinco años", "a los 12 meses": Spanish landmarks, with the number words a landmark uses
_SPANISH_NUMBERS = {"uno": 1.0, "un": 1.0, "dos": 2.0, "tres": 3.0, "cuatro": 4.0, "cinco": 5.0, "seis": 6.0,
                    "siete": 7.0, "ocho": 8.0, "nueve": 9.0, "diez": 10.0, "once": 11.0, "doce": 12.0,
                    "dieciocho": 18.0, "veinticuatro": 24.0, "treinta": 30.0, "treinta y seis": 36.0}
_SPANISH_LANDMARK = re.compile(r"\ba\s+(?:los\s+|las\s+)?(\d+(?:[.,]\d+)?|" + "|".join(sorted(_SPANISH_NUMBERS, key=len, reverse=True))
                               + r")\s+(años|año|meses|mes|semanas|días|dias)\b", re.I)
# "en los tres primeros meses", "en los primeros 28 días": a Spanish response window; "al año": at one year
_SPANISH_WINDOW = re.compile(r"\ben\s+los\s+(?:(\d+|" + "|".join(sorted(_SPANISH_NUMBERS, key=len, reverse=True))
                             + r")\s+primeros|primeros\s+(\d+|" + "|".join(sorted(_SPANISH_NUMBERS, key=len, reverse=True))
                             + r"))\s+(años|meses|semanas|días|dias)\b|\bal\s+(año)\b", re.I)
_AT_LEAST = re.compile(r"(?<![\w~])(?:>|≥)\s*(\d+(?:\.\d+)?)\s*(months?|years?)\b", re.I)
# "a month after treatment", "a year later": one unit, written with the article
_A_UNIT_AFTER = re.compile(r"\b[Aa]\s+(month|year|week)\s+(?:after|post|following|later)\b")
# "two and a half years after treatment", "at one and a half years": a landmark with a half
_AND_A_HALF = re.compile(r"\b(?:(?:at|by|within)\s+)?(one|two|three|four|five|\d+)\s+and\s+a\s+half\s+(years?|months?)\b"
                         r"(?:\s+(?:after|post|following|later)\b)?", re.I)
_OF_AT_LEAST = re.compile(r"\bof\s+(\d+(?:\.\d+)?)\s*(months?|years?)\s+or\s+(?:more|longer)\b", re.I)
_HALF_NUMBERS = {"one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0}
_WINDOW = re.compile(r"(?:within|by|at|a\s+los|a\s+las|en\s+los|al)\s", re.I)  # Spanish too: "a los 28 días"
_UNIT_FIRST_RE = re.compile(r"(?:month|day|week|year)\s", re.I)
_AFTER_WORD = re.compile(r"\b(?:after|post|following)$", re.I)
_SINCE_TREATMENT = re.compile(r"\s*(?:of|after|post|following|from)[\s-]+(?:the\s+|a\s+|their\s+)?(?:CAR[\s-]*T\s+)?"
                              r"(?:cells?\s+)?(?:infusion|treatment|therapy|dosing|administration|randomi[sz]ation|~{3,})", re.I)


@dataclass(frozen=True, slots=True)
class Timepoint:
    months: float
    start: int
    end: int
    attach: bool


@dataclass(frozen=True, slots=True)
class TimepointList:
    """Landmarks listed for values listed in the same order: "6- and 12-month", "at six, 12 and
    18 months", "at 6 weeks, 3 months and 6 months" (guide rule 17)."""

    months: tuple[float, ...]
    start: int
    end: int
    items: tuple[tuple[int, int], ...] = ()  # each landmark's span, for reading them one by one

    def one_by_one(self) -> list[Timepoint]:
        """The listed landmarks as separate ones, when no listed values take them in order."""
        return [Timepoint(months, start, end, True) for months, (start, end) in zip(self.months, self.items)]


_LIST_ITEM = rf"{NUM}(?:\s*[-\u2010\u2011]?\s*{DUR_UNIT_WORD}s?)?"
_LIST_SEP = r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+)(?:at\s+|to\s+)?"
_HYPHEN = "[-\u2010\u2011]"
# A list is a landmark list only when it says so: a preposition before it ("at six and 12
# months"), the adjective form ("6- and 12-month"), or "after" behind it. "8.8 and 19.4 months"
# after "were" is a list of values.
_TP_LIST = Gated(re.compile(
    rf"(?<![\w.~])(?:(?P<prep>at|for|by|within)\s+(?P<items>(?:{_LIST_ITEM}{_LIST_SEP})+)"
    rf"|(?P<bare>(?:{NUM}(?:{_HYPHEN}{DUR_UNIT_WORD}s?\b|{_HYPHEN})?{_LIST_SEP})+))"
    rf"{NUM}\s*(?P<hyphen>{_HYPHEN})?\s*(?P<unit>{DUR_UNIT_WORD})s?\b(?P<after>\s+(?:after|post|following)\b)?", re.I))
_LIST_NUMBER = re.compile(rf"({NUM})(?:\s*[-\u2010\u2011]?\s*({DUR_UNIT_WORD})s?\b)?", re.I)


def find_timepoint_lists(masked: str) -> list[TimepointList]:
    """Lists of two or more landmarks sharing (or each giving) a unit, in months, in order."""
    out = []
    for m in _TP_LIST.finditer(masked):
        if not (m.group("prep") or m.group("hyphen") or m.group("after")):
            continue
        last_unit = m.group("unit")
        items = []
        for n in _LIST_NUMBER.finditer(masked, m.start("items") if m.group("prep") else m.start("bare"), m.end()):
            number = parse_number(n.group(1))
            if number is None:
                break
            items.append((number, n.group(2), n.start(), n.end()))
        if len(items) < 2:
            continue
        months = tuple(to_months(number, unit or last_unit) for number, unit, _, _ in items)
        spans = tuple((start, end) for _, _, start, end in items)
        out.append(TimepointList(months, m.start(), m.end(), spans))
    return out


def is_years(unit: str) -> bool:
    """"years", "yr", "años": a unit of years, in English or Spanish."""
    return unit.lower().startswith(("y", "añ"))


def to_months(amount: float, unit: str) -> float:
    """``amount`` of ``unit`` (any spelling of months, years, weeks, days) in months."""
    unit = unit.lower()
    if is_years(unit):
        return amount * 12
    if unit.startswith(("w", "sem")):
        return round(amount * 7 / 30, 2)
    if unit.startswith("d"):
        return round(amount / 30, 2)
    return amount


def find_timepoints(masked: str, probed: Probe | None = None) -> list[Timepoint]:
    """Landmarks and windows in months; ``attach`` is False for "up to" and "within N months of"."""
    found: list[Timepoint] = []
    probed = probed or probe(masked)
    if not UNIT_NEEDS.met(probed):
        return found
    for pattern, run in zip(_TIMEPOINTS, _GATES.open(probed)):
        for m in pattern.finditer(masked, probed) if run else ():
            if any(t.start <= m.start() < t.end for t in found):
                continue
            if _is_value_context(masked[max(0, m.start() - 48) : m.start()], m.group()):
                continue
            if _ADJECTIVE_MEDIAN.match(masked, m.end()) and not (
                    _FOLLOW_UP_VISIT.match(masked, m.end()) and _AT_THE_BEFORE.search(masked, max(0, m.start() - 8), m.start())):
                continue  # "a 21.8-month median DOR" is a median's value, not a landmark (rule 18)
            months = _timepoint_months(m.group())
            if months is not None:
                found.append(Timepoint(months, m.start(), m.end(), _attaches(masked, m)))
    for m in _SPANISH_LANDMARK.finditer(masked) if "a" in masked else ():
        if not any(t.start <= m.start() < t.end for t in found):
            amount = _SPANISH_NUMBERS.get(m.group(1).lower()) or parse_number(m.group(1))
            if amount is not None:
                found.append(Timepoint(to_months(amount, m.group(2)), m.start(), m.end(), True))
    for m in _LANDMARK_IN_M.finditer(masked) if defines_m_as_months(masked) else ():
        if not any(t.start <= m.start() < t.end for t in found):  # "an OS rate of 63% at 24m"
            found.append(Timepoint(float(m.group(1)), m.start(), m.end(), True))
    for m in _SPANISH_WINDOW.finditer(masked) if ("primeros" in masked or "al a" in masked) else ():
        if not any(t.start <= m.start() < t.end for t in found):
            word = m.group(1) or m.group(2)
            amount = 1.0 if m.group(4) else (_SPANISH_NUMBERS.get(word.lower()) or parse_number(word))
            if amount is not None:
                found.append(Timepoint(to_months(amount, m.group(3) or m.group(4)), m.start(), m.end(), True))
    for m in _AT_LEAST.finditer(masked) if (">" in masked or "≥" in masked) else ():
        # "remained progression-free >12 months": a landmark the figure reached or passed
        if not any(t.start <= m.start() < t.end for t in found):
            found.append(Timepoint(to_months(float(m.group(1)), m.group(2)), m.start(), m.end(), True))
    for m in _OF_AT_LEAST.finditer(masked) if " or " in masked else ():
        # "achieved progression-free survival of 5 years or more": a landmark reached, not a median
        if not any(t.start <= m.start() < t.end for t in found):
            amount = parse_number(m.group(1))
            if amount is not None:
                found.append(Timepoint(to_months(amount, m.group(2)), m.start(), m.end(), True))
    for m in _AND_A_HALF.finditer(masked) if " half " in masked else ():
        phrase = m.group()
        if (phrase.lower().startswith(("at ", "by ", "within "))
                or phrase.split()[-1].lower() in {"after", "post", "following", "later"}) \
                and not any(t.start <= m.start() < t.end for t in found):
            amount = _HALF_NUMBERS.get(m.group(1).lower()) or float(m.group(1))
            found.append(Timepoint(to_months(amount + 0.5, m.group(2)), m.start(), m.end(), True))
    for m in _A_UNIT_AFTER.finditer(masked) if "a " in masked else ():
        if not any(t.start <= m.start() < t.end for t in found):
            found.append(Timepoint(to_months(1.0, m.group(1)), m.start(), m.end(), True))
    return sorted(found, key=_START)


def _is_value_context(before: str, phrase: str) -> bool:
    """"median of 2 years", "OS was 19.4 months after ...", "median follow-up at 13.3 months"
    are values, not landmarks."""
    if _MEDIAN_BEFORE.search(before) or _FOLLOWUP_BEFORE.search(before):
        return True
    return bool(_VALUE_PHRASE.match(phrase) and _LINK_BEFORE.search(before))


def _timepoint_months(phrase: str) -> float | None:
    unit = _UNIT_WORD.search(phrase)
    # "tras 2,5 años": a decimal comma is read only before its unit, so the unit stays for that reading
    amount = _DECIMAL_COMMA.search(phrase) or _NUM.search(_UNIT_NAME.sub(" ", phrase))
    if unit is None or amount is None:
        return None
    number = parse_number(amount.group())
    return None if number is None else to_months(number, unit.group())


def _attaches(masked: str, m: re.Match[str]) -> bool:
    if _UP_TO.match(m.group()):
        return False
    if _WINDOW.match(m.group()) and _SINCE_TREATMENT.match(masked[m.end() :]):
        return True  # "within three months of infusion" is a response window (rule 6)
    if _FOLLOW_UP_VISIT.match(masked, m.end()) and _AT_THE_BEFORE.search(masked, max(0, m.start() - 8), m.start()):
        # "At the six-month follow-up, 27 of 29 patients were progression-free": the visit is a landmark for
        # survival; a response rate still takes windows only (``is_window``)
        return True
    return _DATA_CUT.match(masked[m.end() :]) is None


_FOLLOW_UP_VISIT = re.compile(r"\s+follow[\s-]*up\b(?!\s+(?:of|data|analysis|results))", re.I)
_MARK_AFTER = re.compile(r"\s+(?:mark|landmark)\b", re.I)
_AT_THE_BEFORE = re.compile(r"\b(?:at|by)\s+the\s+$", re.I)


def is_window(masked: str, timepoint: Timepoint) -> bool:
    """A window or landmark a response rate can carry: "within 3 months", "by month 3", "at 90
    days", "28 days after infusion"; not a data cut ("at the 2-year point", "4-year results")."""
    phrase = masked[timepoint.start : timepoint.end]
    return bool(_WINDOW.match(phrase) or _UNIT_FIRST_RE.match(phrase)
                or _SINCE_TREATMENT.match(masked[timepoint.end :]) or _AFTER_WORD.search(phrase)
                # "At the 12-month mark, 44% achieved ...": a landmark like "at month 12"
                or (_MARK_AFTER.match(masked, timepoint.end) is not None
                    and _AT_THE_BEFORE.search(masked, max(0, timepoint.start - 8), timepoint.start) is not None))


def mask_timepoints(masked: str, timepoints: list[Timepoint]) -> str:
    """``masked`` with the timepoint phrases blanked as well."""
    return mask(masked, [(t.start, t.end) for t in timepoints])
