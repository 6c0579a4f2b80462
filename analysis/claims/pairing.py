"""Pair each value in a sentence with the cue that says what it measures.

Rules, in order, within one clause (clauses split on ";"):
1. comparator values ("versus 2.0 months", "16% in the standard-care group") are dropped;
2. coordinated lists zip: "median PFS and OS were 8.8 and 19.4 months";
3. a cue right before the value with only linking words between wins ("ORR was 97.9%");
4. else a cue right after it ("82.5% achieved sCR", "98% overall response rate");
5. else the nearest cue before it ("Response rates were 50%, 69% and 81%").
"Not reached" after a list of cues applies to each ("Medians for PFS, DOR and OS were not reached").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.claims.labels import Cue
from analysis.claims.probe import fold
from analysis.claims.values import Value

_TIGHT_LEFT = re.compile(
    r"[\s~(:=]*(?:(?:rates?|was|were|is|are|of|reached|achieved|at|in|to|by|improved|increased|"
    r"occurred|observed|reported|seen|estimated|noted|approximately|about|nearly|almost|a|an|the|"
    r"median|overall|with|each|remained|stood|being|for|just|only|over|under|nearly|roughly|"
    r"around|than|more|less|high|low|as|showed|demonstrated|produced|yielded)[\s~(:=]*)*",
    re.I)
_RIGHT_BAD = re.compile(r"[,;]|^\s*(?:and|or|but|while|whereas|versus|vs\.?|compared)\b"
                        r"|\b(?:and|or|but|while|whereas|versus|vs\.?|than)\s*$", re.I)
_COMPARATOR_BEFORE = re.compile(
    r"(?:\bvs\.?|\bversus|compared\s+(?:with|to)|\bagainst|\bfrom|relative\s+to|\bthan)\s*"
    r"(?:a\s+|an\s+|the\s+)?(?:median\s+(?:of\s+)?|rate\s+of\s+)?(?:just\s+|only\s+)?[~\s]*$", re.I)
_COMPARATOR_WORDS = ("vs", "versus", "compared", "against", "from", "relative", "than")  # one is in every match
_COMPARATOR_AFTER = re.compile(
    r"^[\s~]*(?:\([^)]*\)\s*)?(?:of\s+(?:the\s+)?(?:patients|those)\s+)?"
    r"(?:with|in|for|on|among|using|receiving|given|under)"
    r"\s+(?:the\s+|a\s+|an\s+)?(?:patients\s+(?:on|receiving|given)\s+)?(?:standard|SOC\b|control|"
    r"comparator|chemo\w*|salvage|placebo|physician|investigator|TPC\b|best\s+supportive|conventional"
    r"|usual\s+care|treatment\s+of\s+(?:physician|investigator)|daratumumab|pomalidomide|DPd\b|PVd\b)",
    re.I)
_COMPARISON = re.compile(r"standard|control\b|comparator|versus|\bvs\b|placebo|physician|chemotherapy", re.I)
_RUN_GAP = re.compile(r"[\s,~]*(?:and|or|&|/)?[\s,~]*(?:(?:the\s+)?median\s+)?")
_SEMICOLON = re.compile(";")
_RESPECTIVELY = re.compile(r"\brespectively\b")
_OF_MEDIAN = re.compile(r"\s*(?:of\s+)?(?:median\s+)?")
_MEDIAN_FAMILIES = {"DOR", "PFS", "EFS", "OS"}


@dataclass(frozen=True, slots=True)
class Pairing:
    value: Value
    cue: Cue
    mode: str  # "tight" | "right" | "list" | "loose" | "shared"


def pair_values(masked: str, values: list[Value], cues: list[Cue]) -> list[Pairing]:
    """Cue for every value that has one; see the module docstring for the rules."""
    pairings: list[Pairing] = []
    for lo, hi in _clauses(masked):
        clause_values = [v for v in values if lo <= v.start < hi and not _is_comparator(masked, v, lo)]
        clause_cues = [c for c in cues if lo <= c.start < hi]
        zipped = _zip_lists(masked, clause_values, clause_cues)
        done = {p.value for p in zipped}
        single = [p for v in clause_values if v not in done
                  for p in _pair_one(masked, v, clause_values, clause_cues)]
        pairings.extend(zipped + _drop_respective_comparators(masked, lo, hi, single))
    return pairings


def _drop_respective_comparators(masked: str, lo: int, hi: int, pairings: list[Pairing]) -> list[Pairing]:
    """"a complete response occurred in 39% and 5%, respectively" (arms): keep the first value."""
    clause = masked[lo:hi]
    if "respectively" not in clause or not _RESPECTIVELY.search(clause) or not _COMPARISON.search(masked):
        return pairings
    kept: list[Pairing] = []
    for pairing in pairings:
        prev = kept[-1] if kept else None
        if (prev is not None and prev.cue == pairing.cue and prev.value.kind == pairing.value.kind
                and _RUN_GAP.fullmatch(masked[prev.value.end : pairing.value.start])):
            continue
        kept.append(pairing)
    return kept


def _clauses(masked: str) -> list[tuple[int, int]]:
    bounds = [0] + [m.end() for m in _SEMICOLON.finditer(masked)] + [len(masked)]
    return list(zip(bounds[:-1], bounds[1:]))


def _is_comparator(masked: str, value: Value, lo: int) -> bool:
    before = masked[max(lo, value.start - 40) : value.start]
    folded = fold(before)
    if any(word in folded for word in _COMPARATOR_WORDS) and _COMPARATOR_BEFORE.search(before):
        return True
    return _COMPARATOR_AFTER.match(masked[value.end : value.end + 80]) is not None


def _pair_one(masked: str, value: Value, values: list[Value], cues: list[Cue]) -> list[Pairing]:
    left = [c for c in cues if c.end <= value.start]
    right = [c for c in cues if c.start >= value.end]
    if left and not value.right_only and _TIGHT_LEFT.fullmatch(masked[left[-1].end : value.start]):
        return _with_list(masked, value, left, "tight")
    if right and _right_ok(masked, value, right[0], values):
        return [Pairing(value, right[0], "right")]
    if left and not value.right_only and not value.loose:
        return _with_list(masked, value, left, "loose")
    return []


def _right_ok(masked: str, value: Value, cue: Cue, values: list[Value]) -> bool:
    gap = masked[value.end : cue.start]
    if value.kind != "rate" and not _OF_MEDIAN.fullmatch(gap):
        return False
    if any(value.end <= v.start < cue.start for v in values):
        return False
    return not _RIGHT_BAD.search(gap) and len(gap.split()) <= 12


def _with_list(masked: str, value: Value, left: list[Cue], mode: str) -> list[Pairing]:
    """The chosen cue, plus the rest of its coordinated list for "not reached"."""
    chosen = [left[-1]]
    if value.kind == "nr":
        for cue in reversed(left[:-1]):
            if not _RUN_GAP.fullmatch(masked[cue.end : chosen[-1].start]):
                break
            chosen.append(cue)
        chosen = [c for c in chosen if c.family in _MEDIAN_FAMILIES] or chosen[:1]
    return [Pairing(value, cue, mode if len(chosen) == 1 else "shared") for cue in reversed(chosen)]


def _zip_lists(masked: str, values: list[Value], cues: list[Cue]) -> list[Pairing]:
    """"ORR and CR rates were 73% and 33%": k cues in a row, then k values in a row."""
    out: list[Pairing] = []
    for run in _runs(masked, cues):
        following = [v for v in values if v.start >= run[-1].end]
        if len(run) < 2 or len(following) < len(run):
            continue
        take = following[: len(run)]
        if not _TIGHT_LEFT.fullmatch(masked[run[-1].end : take[0].start]):
            continue
        if all(_RUN_GAP.fullmatch(masked[a.end : b.start]) for a, b in zip(take, take[1:])):
            out.extend(Pairing(v, c, "list") for v, c in zip(take, run))
    return out


def run_start(masked: str, cue: Cue, cues: list[Cue]) -> int:
    """Start of the coordinated cue list that ends with ``cue`` ("CRS and neurologic events")."""
    for run in _runs(masked, cues):
        if cue in run:
            return run[0].start
    return cue.start


def _runs(masked: str, cues: list[Cue]) -> list[list[Cue]]:
    runs: list[list[Cue]] = []
    for cue in cues:
        if runs and _RUN_GAP.fullmatch(masked[runs[-1][-1].end : cue.start]):
            runs[-1].append(cue)
        else:
            runs.append([cue])
    return runs
