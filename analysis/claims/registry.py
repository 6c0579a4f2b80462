"""Registry results (ClinicalTrials.gov posted results), read as the records they are (guide rule 20).

A results record is not prose: an outcome measure's title names the metric ("Progression-Free
Survival Rate at Month 12"), each arm has its own value, the time frame is the window of
observation and never a value, and "NA" for a median with a note about too few events means the
median was not reached. Two layouts are read:

* the record as the registry's web page shows it, one field per line::

      Outcome Measure: Overall Response Rate (ORR)
      Time Frame: Up to 2 years
      Arm/Group: Cilta-cel — 97.9 percentage of participants (95% CI 92.7 to 99.7)
      Number of Participants Analyzed: 97

* the sentences ``crawler.sources.ctgov`` writes from the registry's API::

      Primary outcome result: Overall Response Rate (time frame: Up to 2 years). Cilta-cel: 97.9
      percentage of participants (95% Confidence Interval 92.7 to 99.7) of 97 participants analysed.

Only the CAR-T arm's figures become claims: an arm named for a product, or the only arm that is not
a comparator (standard of care, physician's choice, placebo, chemotherapy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.claims.labels import find_cues, stated_grade
from analysis.claims.probe import fold
from analysis.claims.timepoints import find_timepoints
from analysis.therapies import find_therapies, find_trials

_HEADER = re.compile(r"^[ \t]*(?:(?:primary|secondary|other)\s+)?outcome\s+measure\s*:\s*(?P<title>[^\n]+)$"
                     r"|(?:primary|secondary|other(?:\s+pre-specified)?)\s+outcome\s+result\s*:\s*(?P<api>[^\n]+?)"
                     r"(?:\s*\(time\s+frame:[^)]*\))?\.(?=\s|$)", re.I | re.M)
# _HEADER for the ``fold``ed text, as ``probe.on_folded`` writes it but keeping re.M and the group
# names: the same spans, found case-sensitively, which sre does faster than trying ignore-case at
# every character (it has no upper-case escape, which lower-casing would change)
_HEADER_FOLDED = re.compile(_HEADER.pattern.lower().replace("(?p<", "(?P<"), re.M)
_ARM_LINE = re.compile(r"^[ \t]*Arm/Group\s*(?:Title)?\s*:\s*(?P<label>[^\n]*)$", re.I | re.M)
_FIELD_END = re.compile(r"\s+[—–-]\s+|:\s+(?=[\d.]|NA\b)")
_COMPARATOR = re.compile(r"standard|\bSOC\b|physician|investigator|placebo|chemotherap|salvage|control|comparator"
                         r"|\bPVd\b|\bDPd\b|\bbest\s+supportive", re.I)
# A share on its own line or after the arm label; never a confidence level ("95% CI") or a count
_PERCENT = re.compile(r"(?<![\d.(])(?P<value>\d+(?:\.\d+)?)[ \t]*(?:%(?![ \t]*(?:CI\b|C\.I\.|confidence))"
                      r"|percent(?:age)?[ \t]+of[ \t]+participants|percent\b(?![ \t]*(?:CI\b|confidence)))"
                      r"|percentage[ \t]+of[ \t]+participants[ \t]*:[ \t]*(?P<value2>\d+(?:\.\d+)?)", re.I)
_SHARE = re.compile(r"(?P<part>\d+)\s+participants\s+of\s+(?P<whole>\d+)\s+participants\s+analy[sz]ed", re.I)
_MEDIAN = re.compile(r"(?P<value>\d+(?:\.\d+)?|NA)\s+(?P<unit>months?|years?)\b", re.I)
_ANALYSED = re.compile(r"(?:overall\s+)?number\s+of\s+participants\s+analy[sz]ed\s*:\s*(?P<n>\d+)"
                       r"|\bof\s+(?P<n2>\d+)\s+participants\s+analy[sz]ed", re.I)
_NOT_REACHED_NOTE = re.compile(r"not\s+(?:been\s+)?reached|too\s+few|insufficient\s+number|not\s+estimable\s+due", re.I)
_SURVIVAL = {"PFS", "EFS", "OS"}
_RESPONSE = {"ORR", "CR", "sCR", "VGPR", "MRD_NEG", "REMISSION_RATE"}


@dataclass(frozen=True, slots=True)
class RegistryFigure:
    """One figure of a results record (or of a results table's cell: ``analysis.claims.tables``),
    with the span of the line, arm or row it came from."""

    therapy: str | None  # from the arm's own label; None when the arm does not name a product
    metric: str
    value: float | None
    unit: str
    not_reached: bool
    timepoint_months: float | None
    start: int
    end: int
    trial: str | None = None  # a results table's column heading may name the trial ("Ide-cel (KarMMa-3)")


@dataclass(frozen=True, slots=True)
class Measure:
    title: str
    start: int
    end: int


def find_measures(text: str) -> list[Measure]:
    """Outcome-measure blocks: from each header to the next header (or the end of its paragraph)."""
    heads = list(_HEADER_FOLDED.finditer(fold(text)))  # the spans of _HEADER's matches in ``text``
    out = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        if m.group("api") is not None:  # the crawler's sentences end with their paragraph
            blank = text.find("\n\n", m.end())
            end = min(end, blank) if blank != -1 else end
        named = "title" if m.group("title") is not None else "api" if m.group("api") is not None else None
        title = text[m.start(named) : m.end(named)] if named else ""  # as written, not folded
        out.append(Measure(title.strip(), m.start(), end))
    return out


def registry_figures(text: str, measure: Measure) -> list[RegistryFigure]:
    """The CAR-T arm's figures of one measure."""
    family = _family(measure.title)
    arms = _arms(text, measure)
    chosen = _car_t_arms(arms)
    note = _NOT_REACHED_NOTE.search(text, measure.start, measure.end) is not None
    figures = []
    for label, start, end in chosen:
        therapy = _therapy(label)
        body = text[start:end]
        counted = _ANALYSED.search(body)
        if counted and len(arms) == 1:  # in a randomised record the arm's count is the arm as randomised (rule 15)
            figures.append(RegistryFigure(therapy, "N_PATIENTS", float(counted.group("n") or counted.group("n2")),
                                          "patients", False, None, start, end))
        if family is not None:
            figures.extend(_value(family, measure.title, body, note, therapy, start, end))
    return figures


def _family(title: str) -> str | None:
    families = [c.family for c in find_cues(title, []) if c.family]
    return families[0] if families else None


def _arms(text: str, measure: Measure) -> list[tuple[str, int, int]]:
    """(label, start, end) of each arm's part of the block; one unnamed arm when none is listed."""
    lines = list(_ARM_LINE.finditer(text, measure.start, measure.end))
    if lines:
        arms = []
        for i, m in enumerate(lines):
            end = lines[i + 1].start() if i + 1 < len(lines) else measure.end
            label = _FIELD_END.split(m.group("label"), maxsplit=1)[0]
            arms.append((label.strip(), m.start(), end))
        return arms
    head = _HEADER.match(text, measure.start) or _HEADER.search(text, measure.start)
    body_start = head.end() if head else measure.start
    parts = []
    cursor = body_start
    for piece in re.split(r";", text[body_start : measure.end]):
        label = piece.split(":", 1)[0].strip() if ":" in piece else ""
        parts.append((label, cursor, cursor + len(piece)))
        cursor += len(piece) + 1
    return parts


def _car_t_arms(arms: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    named = [arm for arm in arms if _therapy(arm[0]) is not None]
    if named:
        return named
    others = [arm for arm in arms if not _COMPARATOR.search(arm[0])]
    return others if len(others) == 1 else []


def _therapy(label: str) -> str | None:
    found = find_therapies(label) or []
    if found:
        return found[0].canonical
    trials = find_trials(label) or []
    return trials[0].therapy if trials else None


def _value(family: str, title: str, body: str, note: bool, therapy: str | None,
           start: int, end: int) -> list[RegistryFigure]:
    percent = _PERCENT.search(body)
    share = _SHARE.search(body)
    median = _MEDIAN.search(body)
    if percent is None and share is not None and int(share.group("whole")) > 0:
        rate = round(100 * int(share.group("part")) / int(share.group("whole")), 1)
        metric = _rate_metric(family, title) if family in (_RESPONSE | _SURVIVAL | {"CRS", "ICANS"}) else None
        return [RegistryFigure(therapy, metric, rate, "%", False, None, start, end)] if metric else []
    if percent and (family in _RESPONSE or family in _SURVIVAL or family in ("CRS", "ICANS")):
        metric = _rate_metric(family, title)
        if metric is None:
            return []
        timepoints = [t for t in find_timepoints(title) if t.attach]
        months = timepoints[0].months if timepoints and metric not in ("CRS_ANY", "CRS_GRADE3PLUS",
                                                                          "ICANS_ANY", "ICANS_GRADE3PLUS") else None
        value = float(percent.group("value") or percent.group("value2"))
        return [RegistryFigure(therapy, metric, value, "%", False, months, start, end)]
    if median and family in (_SURVIVAL | {"DOR", "FOLLOWUP"}):
        metric = "FOLLOWUP_MEDIAN" if family == "FOLLOWUP" else f"{family}_MEDIAN"
        unit = "years" if median.group("unit").lower().startswith("y") else "months"
        if median.group("value").upper() == "NA":
            # "NA" is a not-reached median only when the record says why (too few events)
            return [RegistryFigure(therapy, metric, None, "months", True, None, start, end)] if note else []
        return [RegistryFigure(therapy, metric, float(median.group("value")), unit, False, None, start, end)]
    return []


def _rate_metric(family: str, title: str) -> str | None:
    if family in _RESPONSE:
        return family
    if family in _SURVIVAL:
        return f"{family}_RATE"
    grade = stated_grade(title)
    if grade == "low":
        return None
    return f"{family}_GRADE3PLUS" if grade == "g3" else f"{family}_ANY"
