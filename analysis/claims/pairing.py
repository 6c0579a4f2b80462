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
from dataclasses import dataclass, replace

from analysis.claims.arms import COMPARATOR_ARM
from analysis.claims.literals import Gated
from analysis.claims.labels import Cue
from analysis.claims.probe import fold
from analysis.claims.timepoints import TimepointList
from analysis.claims.values import Value

_LABEL_RIGHT_AFTER = re.compile(r"[\s~]*(?:had\s+(?:an?\s+)?|with\s+(?:an?\s+)?)?")
_TIGHT_LEFT = re.compile(
    # a ";" can only sit inside brackets here (clauses end at the others): "(CR; 61%)"
    r"(?:[\s~(:=)\];]|,(?=\s*(?:was|were|is|are|stood|reached|came)\b))*(?:(?:rates?|was|were|is|are|of|reached|achieved|at|in|to|by|improved|increased|"
    r"occurred|observed|reported|seen|estimated|noted|approximately|about|nearly|almost|a|an|the|"
    r"median|overall|with|each|remained|stood|being|for|just|only|over|under|nearly|roughly|"
    r"around|than|more|less|high|low|as|showed|demonstrated|produced|yielded|came|stood|reaching|amounting|totaling|"
    r"totalling|measured|fue|fueron|del|de|alcanz[oó]|alcanzaron|logr[oó]|lleg[oó]\s+a|se\s+situ[oó]\s+en|una?|la|el)[\s~(:=]*)*",
    re.I)
_RIGHT_BAD = re.compile(r"[,;]|^\s*(?:and|or|but|while|whereas|versus|vs\.?|compared|y|e|o|pero|mientras)\b"
                        r"|\b(?:and|or|but|while|whereas|versus|vs\.?|than|y|e|o|pero)\s*$", re.I)
_COMPARATOR_BEFORE = re.compile(
    r"(?:\bvs\.?|\bversus|compared\s+(?:with|to)|\bagainst|\bfrom|relative\s+to|\bthan|as\s+opposed\s+to"
    # Spanish: "frente al 16%", "en comparación con el 20%", "comparado con"
    r"|\bfrente\s+a(?:l)?|comparaci[oó]n\s+con(?:\s+el)?|comparad[oa]\s+con(?:\s+el)?)\s*"
    r"(?:a\s+|an\s+|the\s+|el\s+)?(?:median\s+(?:of\s+)?|rate\s+of\s+)?(?:just\s+|only\s+)?[~\s]*"
    # "ide-cel 13.8 months vs standard regimens 4.4 months", "cilta-cel 76% vs SOC 49%": the comparator named
    r"(?:(?:standard[\s-]+(?:of[\s-]+care|care|regimens?|therap(?:y|ies)|treatment)|SOC|SRs?|control|chemotherapy|placebo"
    r"|comparator|DPd|PVd)(?:\s+(?:arm|group|cohort))?\s*[:,]?\s*)?$", re.I)
_COMPARED_RUN = re.compile(r"(?:\bvs\.?|\bversus|compared\s+(?:with|to)|\bthan)\s+[\d.]+\s*%?(?:\s*,\s*[\d.]+\s*%?)*\s*,?\s*(?:and|or)\s+$",
                           re.I)
# ... after "with/to/on/receiving" only: "axi-cel versus SOC (21.5 vs 2.5 months)" lists both arms in order
_COMPARATOR_BRACKET = re.compile(rf"\b(?:with|to|on|receiving|given)\s+(?:the\s+)?{COMPARATOR_ARM}\s*\(\s*$", re.I)
_COMPARATOR_WORDS = ("vs", "versus", "compared", "against", "from", "relative", "than", "opposed", "frente", "comparaci",
                     "comparad")  # one is in every match
_COMPARATOR_AFTER = re.compile(
    r"^[\s~]*(?:\([^)]*\)\s*)?(?:of\s+(?:the\s+)?(?:patients|those)\s+)?"
    r"(?:with|in|for|on|among|using|receiving|given|under|con|en)"
    r"\s+(?:the\s+|a\s+|an\s+|el\s+|la\s+|los\s+)?(?:patients\s+(?:on|receiving|given)\s+|grupo\s+(?:de\s+|del\s+)?)?"
    r"(?:tratamiento\s+est[aá]ndar|est[aá]ndar|quimioterapia|standard|SOC\b|control|"
    r"comparator|chemo\w*|salvage|placebo|physician|investigator|TPC\b|best\s+supportive|conventional|historical"
    r"|multimodal\w*|intensive\s+(?:chemo\w*|therapy)"
    r"|SCHOLAR|external\s+control|synthetic\s+control"
    r"|usual\s+care|treatment\s+of\s+(?:physician|investigator)|daratumumab|pomalidomide|DPd\b|PVd\b)",
    re.I)
VERSUS_GAP = re.compile(r"[\s~]*(?:vs\.?|versus)[\s~]*", re.I)  # "60% vs 42%": what lies between compared figures
_SUBGROUPS_COMPARED = re.compile(r"\bwith\s+(?:vs\.?|versus|and|or)\s+without\b|\b(?:vs\.?|versus)\s+(?:in\s+)?(?:those|patients)\s+without\b",
                                 re.I)
# "52% and 70% in patients without bridging vs 35% and 58% in bridged patients": the figures on both
# sides of "vs" are of patient groups named alike, none of them a comparator treatment (rule 15)
_GROUP_WORDS = r"(?:in|among|for)\s+(?:the\s+|those\s+)?(?:(?:[\w~-]+\s+){0,2}(?:patients|pts|participants)|those)\b"
_PARALLEL_GROUPS = re.compile(
    rf"(?P<g1>{_GROUP_WORDS})(?P<first>[^;~]{{0,60}}?)\s*(?:vs\.?|versus|compared\s+(?:with|to))\s+[\d.]+\s*(?:%|months?|years?)?"
    rf"(?:\s*(?:,|and)\s*[\d.]+\s*(?:%|months?|years?)?)*[\s~]+"
    rf"(?P<g2>{_GROUP_WORDS})(?P<second>[^;.]{{0,40}})", re.I)
_TREATMENT_WORDS = re.compile(r"standard|\bSOC\b|control|comparator|chemo|salvage|placebo|physician|investigator"
                              r"|transplant|\bASCT\b|regimen|~", re.I)
_COMPARISON = re.compile(r"standard|control\b|comparator|versus|\bvs\b|placebo|physician|chemotherapy", re.I)
_OPENS = re.compile(r"\s*[(\[]\s*")
_CLOSES = re.compile(r"\s*[)\];,]")
_RUN_GAP = re.compile(r"(?:\s+(?:rates?|probabilit(?:y|ies)))?(?:\s*[(\[][\w-]{1,8}[)\]])?[\s,~]*(?:and|or|nor|&|/|as\s+well\s+as|(?:together|along)\s+with)?[\s,~≥]*"
                      r"(?:(?:for|of|the)\s+)?"
                      r"(?:(?:the\s+)?median\s+)?")
# Between listed values: "57.4% (CI), at 66.4% (CI), and at 87.7%", "68.1% and to 86.2%"
_VALUE_GAP = re.compile(r"[\s,~()\[\]]*(?:(?:and|or|&|as\s+well\s+as)\s+)?(?:(?:to|at|of|in)\s+)?"
                        r"(?:\d+\s+(?:pts|patients)?\s*)?[\s~(\[]*", re.I)
_GAP_BREAK = re.compile(r"[.;:]\s|\b(?:while|whereas|but|versus|vs\.?|compared)\b", re.I)
_SEMICOLON = re.compile(";")
_DEFINES_GROUP = Gated(re.compile(r"\b(?:of|in|among)\s+(?:the\s+)?(?:those|patients|pts|responders|participants)\s+"
                            r"(?:who\s+(?:had\s+)?(?:reach|achiev|attain)\w*|reaching|achieving|attaining)\s+(?:an?\s+)?$", re.I))
_THEN_OUTCOME = re.compile(r"\s*(?:or\s+better\s*)?,?\s*(?:were|was|had|achieved|reached|attained|became)\b", re.I)
# "half of those who responded", "25% for those not in CR": the label defines the group the figure is of
_WHO_BEFORE = re.compile(r"\b(?:who|that)\s+(?:had\s+)?$"
                         r"|\b(?:for|in|among)\s+(?:those|patients|pts|the\s+patients)\s+(?:who\s+(?:were|are)\s+)?(?:not\s+)?"
                         r"(?:in|with|achieving|reaching)\s+(?:an?\s+)?$", re.I)
# "2.2 months for patients who had a CR (n = 46) and ...": the label names whom an earlier figure is of
_WHO_HAD_BEFORE = re.compile(r"\b(?:patients|those|pts)\s+(?:who|that)\s+(?:had|achieved|reached|attained)\s+(?:an?\s+)?$", re.I)
_DEFINING = re.compile(r"\b(?:who|that)\s+(?:had\s+)?(?:achieved|attained|reached|obtained|had|experienced|were\s+in)\s+(?:an?\s+)?$",
                       re.I)
_THEN_ACHIEVED = re.compile(r"\s+(?:also\s+)?(?:achieved|attained|reached|had|became|were|was)\s+(?:an?\s+)?(?:(?:deep|durable|sustained)\s+)?")
_COMPARED_VALUE = re.compile(r"^\s*(?:vs\.?|versus|compared\s+(?:with|to))\s+[\d.]+\s*%", re.I)
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_RESPECTIVELY = re.compile(r"\brespectively\b|\brespective\s+(?:arms?|groups?|cohorts?)")
_LISTED_QUALIFIER = re.compile(r"\b(?:thresholds?|sensitivit(?:y|ies)|cut-?offs?|dose\s+levels?|doses)\b[^;]{0,30}?\band\b",
                               re.I)
# between a label list and the colon that opens its groups: " were as follows", " by cohort were"
_HEADING_GAP = re.compile(r"(?:,?\s+(?:rates?|were|was|are|is|as|follows|by|per|for|each|in|across|the|respectively|"
                          r"groups?|cohorts?|subgroups?|populations?|arms?))*\s*", re.I)
_GROUPS_END = re.compile(r"[.!?](?:\s|$)")
# "grade >=3 CRS and ICANS occurred in 6% of patients each", "(10% for each)", "each occurred in 6%": one
# figure for every label of the list before it
_EACH_AFTER = re.compile(r"[\s~]*(?:of\s+(?:the\s+)?(?:patients|participants|pts)\s+)?(?:each|apiece|for\s+(?:each|both))\b", re.I)
_EACH_BEFORE = re.compile(r"[\s~]*(?:were\s+|was\s+)?(?:each|both)\s+(?:occurred|developed|seen|observed|reported|in|at)\b", re.I)
_PASSIVE_OUTCOME = re.compile(r"\b(?:was|were|has\s+been|have\s+been)\s+(?:achieved|attained|reached|observed|seen|documented"
                              r"|reported|induced)\s+(?:in|by|among|for)\s+$", re.I)
# "39% of patients with relapsed MCL were alive", "all patients who received Flu/Cy lymphodepletion demonstrated a
# response": the words between a figure and its outcome that describe the group
_DESCRIBED_GROUP = re.compile(r"[\s~]*\)?[\s~]*(?:of\s+(?:the\s+|all\s+)?(?:\d+\s+)?(?:(?:evaluable|assessable|treated|infused)\s+)?"
                              r"(?:patients|pts|adults|children|participants)\s+)?"
                              r"(?:with|who\s+had|who\s+received|who\s+were\s+given|treated\s+with)\s+[^,;]{1,80}?"
                              r"(?=\s(?:were|was|had|have|remained|achieved|reached|are|demonstrated|showed|experienced"
                              r"|responded|attained)\b)", re.I)
_LIST_JOIN = re.compile(r"[,/&]|\b(?:and|or|nor|as\s+well\s+as|together|along)\b", re.I)
_LATER_GROUP = re.compile(r"\s*(?:and|while|whereas)\s", re.I)
_FOR_GROUP = re.compile(r"\s*(?:for|in|among)\s+(?:the\s+|all\s+)?(?:patients|those|pts|participants)\s+(?:with|without|who)\b",
                        re.I)
# a masked product name right after a figure ("48% among ~~~~~~~~ recipients", "34.9 months with ~~~~~~~~~")
_PRODUCT_FOLLOWS = re.compile(r"\s*(?:months?\s+|years?\s+)?(?:among|with|for|in|on)\s+(?:the\s+)?"
                              r"(?:(?:patients|those|pts)\s+(?:given|treated\s+with|receiving|on)\s+)?~{3,}")
_PRODUCT_BEFORE_VERSUS = re.compile(r"~{3,}[^\d%~;]{0,60}(?:\bvs\.?|\bversus|compared\s+(?:with|to))[^\d;]{0,15}$", re.I)
_ARMS = re.compile(r"\b(?:arms?|groups?)\b", re.I)
_ADJECTIVE_SERIES = re.compile(r"(?:\b[a-z][a-z-]*,\s+)+[a-z][a-z-]*\s+(?:and|or)\s+"
                               r"(?!(?:the|a|an|its|their|this|that|these|those)\b)[a-z][a-z-]*\s*$")
_ASIDE_OPENS = re.compile(r"[,;]?\s*\(\s*$")
_OF_GROUP = re.compile(r"[\s~]*of\s+(?:the\s+|all\s+)?(?:\d+\s+)?(?:patients|pts|those|participants)\b", re.I)
_FOUND_TO_BE = re.compile(r"\b(?:found|shown|confirmed|determined|considered)\s+to\s+(?:be|have)\b", re.I)
_COUNTED_WORDS = re.compile(r"prior\s+lines?|lines?\s+of\s+(?:prior\s+)?therapy", re.I)
_OF_MEDIAN = re.compile(r"\s*(?:of\s+)?(?:the\s+|its\s+)?(?:median\s+)?", re.I)
_MEDIAN_FAMILIES = {"DOR", "PFS", "EFS", "OS"}


@dataclass(frozen=True, slots=True)
class Pairing:
    value: Value
    cue: Cue
    mode: str  # "tight" | "right" | "list" | "loose" | "shared" | "versus"
    months: float | None = None  # the value's own landmark from a listed set ("6- and 12-month")


def pair_values(masked: str, values: list[Value], cues: list[Cue],
                landmarks: list[TimepointList] = (),  # type: ignore[assignment]
                arms_before: bool = False) -> list[Pairing]:
    """Cue for every value that has one; see the module docstring for the rules. ``arms_before``: the
    sentences before this one compared the product with another arm."""
    # "MRD negative in 95% of those reaching a CR or better": a label that defines the group is not
    # what the figure measures (guide rule 15)
    cues = [c for c in cues if not (_DEFINES_GROUP.search(masked[max(0, c.start - 60) : c.start])
                                    and _THEN_OUTCOME.match(masked, c.end))
            # a label inside a masked interval ("(95% CI ...; with 17 in ongoing response, all complete
            # responses)") is part of the interval's aside, not a label of the sentence
            and masked[c.start : c.end].strip("~ ")]
    pairings = _heading_lists(masked, values, cues)
    headed = {p.value for p in pairings}
    values = [v for v in values if v not in headed]
    listed: list[Cue] = []  # the labels the previous clause's list took, in order
    for lo, hi in _clauses(masked):
        clause_values = _without_comparators(masked, [v for v in values if lo <= v.start < hi], lo)
        clause_cues = [c for c in cues if lo <= c.start < hi]
        if (listed and clause_values and not any(c.family for c in clause_cues) and len(clause_values) == len(listed)
                and _LATER_GROUP.match(masked, lo) and _one_run(masked, clause_values)):
            # "... 36.5 and 25.3 months in cohort 1; and 57.5 and 29.5 months in cohort 2": the next
            # group after a semicolon takes the same labels in order (rule 17)
            pairings.extend(Pairing(v, c, "list") for v, c in zip(clause_values, listed))
            continue
        zipped = _zip_lists(masked, clause_values, clause_cues,
                            bool(clause_values) and _parallel_groups(masked, lo, clause_values[-1].end + 80))
        listed = [p.cue for p in zipped][: len({p.cue for p in zipped})] if zipped else []
        done = {p.value for p in zipped}
        single = [p for v in clause_values if v not in done
                  for p in _pair_one(masked, v, clause_values, clause_cues)]
        clause = sorted(zipped + _drop_respective_comparators(masked, lo, hi, single, arms_before),
                        key=lambda p: p.value.start)
        clause = _versus_takes_label(masked, clause_values, clause)
        clause = _loose_to_unused_subject(clause, clause_cues)
        pairings.extend(_with_listed_landmarks(masked, clause, [t for t in landmarks if lo <= t.start < hi]))
    return pairings


_DURATION_FAMILIES = {"PFS", "EFS", "OS", "DOR", "FOLLOWUP"}


def _loose_to_unused_subject(pairings: list[Pairing], cues: list[Cue]) -> list[Pairing]:
    """"The median PFS at a median follow-up of 6.1 months ... was 8.5 months": a label that already has
    its own figure does not take a second one loosely while a label before it has none; that label does."""
    taken = {p.cue for p in pairings if p.mode != "loose"}
    used = {p.cue for p in pairings}
    out = []
    for p in pairings:
        if p.mode == "loose" and p.cue in taken:
            fits = [c for c in cues if c.family and c.end <= p.value.start and c not in used and c.start < p.cue.start
                    and (c.family in _DURATION_FAMILIES) == (p.value.kind in ("dur", "nr"))]
            if fits:
                p = replace(p, cue=fits[-1])
                used.add(fits[-1])
        out.append(p)
    return out


def _heading_lists(masked: str, values: list[Value], cues: list[Cue]) -> list[Pairing]:
    """"Overall and complete response rates were as follows: all treated (N = 236), 89% and 70%; the
    conforming group (n = 191), 94% and 74%; ...": a list of k labels ending in a colon heads groups,
    each clause after it holding exactly k values in a row, which take the labels in order (rule 17)."""
    out: list[Pairing] = []
    for run in _runs(masked, cues):
        colon = masked.find(":", run[-1].end, run[-1].end + 45)
        if len(run) < 2 or colon == -1 or not _HEADING_GAP.fullmatch(masked[run[-1].end : colon]):
            continue
        end = _GROUPS_END.search(masked, colon)
        stop = end.start() if end else len(masked)
        # a label of another family ends the groups; a word with no family ("lymphodepletion") may
        # belong to a group's description
        later_cues = [c for c in cues if colon < c.start < stop and c.family is not None]
        if later_cues:
            stop = later_cues[0].start
        groups = []
        for lo, hi in _clauses(masked):
            lo, hi = max(lo, colon), min(hi, stop)
            if lo >= hi:
                continue
            group = [v for v in values if lo <= v.start < hi and not v.right_only]
            if not group:
                continue
            if len(group) != len(run) or not _one_run(masked, group):
                return out  # a clause that is not one group of k: not this structure
            groups.append(group)
        if len(groups) >= 2:
            out.extend(Pairing(v, c, "list") for group in groups for v, c in zip(group, run))
    return out


def _with_listed_landmarks(masked: str, pairings: list[Pairing], landmarks: list[TimepointList]) -> list[Pairing]:
    """"EFS at six and 12 months were 65.4% and 49.5%": k landmarks give k listed values of one
    cue their landmarks in order (guide rule 17)."""
    out = list(pairings)
    for landmark in landmarks:
        k = len(landmark.months)
        rates = [i for i, p in enumerate(out) if p.value.kind == "rate"]
        runs = []
        for first in range(len(rates) - k + 1):
            run = [rates[first + j] for j in range(k)]
            if len({out[i].cue for i in run}) != 1 or any(out[i].months is not None for i in run) or not all(
                    _VALUE_GAP.fullmatch(masked[out[a].value.end : out[b].value.start]) for a, b in zip(run, run[1:])):
                continue
            runs.append(run)
        if not runs:
            continue
        # "PFS at 1 and 2 years was 44% and 39%, while OS at 1 and 2 years was 64% and 51%": each
        # list takes the first free run after it, else the last one before it ("65% and 50% at 6 and 12 months")
        after = [run for run in runs if out[run[0]].value.start >= landmark.start]
        run = after[0] if after else runs[-1]
        for months, i in zip(landmark.months, run):
            out[i] = replace(out[i], months=months)
    return out


def _drop_respective_comparators(masked: str, lo: int, hi: int, pairings: list[Pairing],
                                 arms_before: bool = False) -> list[Pairing]:
    """"a complete response occurred in 39% and 5%, respectively" (arms): keep the first value."""
    clause = masked[lo:hi]
    if "respectiv" not in clause or not _RESPECTIVELY.search(clause) or not (
            arms_before or _COMPARISON.search(masked) or _ARMS.search(clause)):
        return pairings
    if _LISTED_QUALIFIER.search(clause):
        return pairings  # "at thresholds of 10-5 and 10-6, respectively, ... 62% and 57%": not the arms
    kept: list[Pairing] = []
    for pairing in pairings:
        prev = kept[-1] if kept else None
        if (prev is not None and prev.cue == pairing.cue and prev.value.kind == pairing.value.kind
                and _VALUE_GAP.fullmatch(masked[prev.value.end : pairing.value.start])):
            continue
        kept.append(pairing)
    return kept


def _clauses(masked: str) -> list[tuple[int, int]]:
    """Spans between semicolons outside brackets: "(CR; 78%)" stays one clause."""
    bounds = [0] + [m.end() for m in _SEMICOLON.finditer(masked) if _depth(masked, m.start()) == 0] + [len(masked)]
    return list(zip(bounds[:-1], bounds[1:]))


def _depth(text: str, pos: int) -> int:
    before = text[:pos]
    return max(0, before.count("(") + before.count("[") - before.count(")") - before.count("]"))


def _versus_takes_label(masked: str, values: list[Value], pairings: list[Pairing]) -> list[Pairing]:
    """"ORR was 100% vs 84.6% in patients with vs without EMD": a figure right after "vs" that
    survived the comparator check compares two subgroups, and takes the label of the figure before it."""
    by_value = {p.value: p for p in pairings}
    out = list(pairings)
    for before, value in zip(values, values[1:]):
        first = by_value.get(before)
        if first is None or first.cue.family is None or before.kind != value.kind:
            continue
        if not VERSUS_GAP.fullmatch(masked[before.end : value.start]):
            continue
        current = by_value.get(value)
        if current is None or current.cue.family is None:
            out = [p for p in out if p.value != value] + [Pairing(value, first.cue, "versus")]
    return sorted(out, key=lambda p: p.value.start)


def _without_comparators(masked: str, values: list[Value], lo: int) -> list[Value]:
    """The clause's values less the comparator's, a list after "versus" included ("versus 18% and 9%")."""
    if values and _SUBGROUPS_COMPARED.search(masked, lo, values[-1].end + 80):
        return values  # "100% vs 84.6% in patients with vs without EMD": two subgroups of CAR-T patients (rule 15)
    if values and _parallel_groups(masked, lo, values[-1].end + 80):
        return values
    kept: list[Value] = []
    previous: Value | None = None
    dropped = False
    for value in values:
        listed = previous is not None and dropped and _VALUE_GAP.fullmatch(masked[previous.end : value.start])
        dropped = bool(listed) or _is_comparator(masked, value, lo)
        if not dropped:
            kept.append(value)
        previous = value
    return kept


def _parallel_groups(masked: str, lo: int, hi: int) -> bool:
    parallel = _PARALLEL_GROUPS.search(masked, lo, hi)
    # the groups' own words name no treatment (a masked product name "~~~" included); the masked
    # intervals after the figures do not count
    return parallel is not None and not any(_TREATMENT_WORDS.search(parallel.group(g) or "")
                                            for g in ("g1", "first", "g2", "second"))


def _is_comparator(masked: str, value: Value, lo: int) -> bool:
    if _PRODUCT_FOLLOWS.match(masked, value.end) and _PRODUCT_BEFORE_VERSUS.search(masked, max(lo, value.start - 100),
                                                                                 value.start):
        # "74% among axi-cel recipients, compared with 48% among tisa-cel recipients": each figure has its
        # product, so the second is another product's ("8.3 vs 2.0 months with axi-cel" is not)
        return False
    before = masked[max(lo, value.start - 40) : value.start]
    folded = fold(before)
    if any(word in folded for word in _COMPARATOR_WORDS) and _COMPARATOR_BEFORE.search(before):
        return True
    if _COMPARED_RUN.search(before):
        return True  # "compared with 42 and 5 percent, respectively": every figure of the comparator's list
    if "(" in before and _COMPARATOR_BRACKET.search(before):
        return True  # "compared to patients treated with SOC (31.1 months)": the comparator arm's own figure
    return _COMPARATOR_AFTER.match(masked[value.end : value.end + 80]) is not None


def _pair_one(masked: str, value: Value, values: list[Value], cues: list[Cue]) -> list[Pairing]:
    left = [c for c in cues if c.end <= value.start]
    right = [c for c in cues if c.start >= value.end]
    described = _DESCRIBED_GROUP.match(masked, value.end)
    if described and right and right[0].family is None and right[0].end <= described.end():
        # "39% of patients with relapsed/refractory MCL were alive": words that describe the group are
        # not what the figure measures
        right = [c for c in right if c.start >= described.end()] + [c for c in right[1:] if c.start < described.end()
                                                                   and c.family is not None]
        right.sort(key=lambda c: c.start)
    if left and not value.right_only and _TIGHT_LEFT.fullmatch(masked[left[-1].end : value.start]):
        if ("(" in masked[left[-1].end : value.start] and right and right[0].family is not None
                and _LABEL_RIGHT_AFTER.fullmatch(masked[value.end : right[0].start])):
            # "a 77% overall remission rate (55% complete remission and 21% CRi)": a figure that opens
            # a breakdown in brackets is measured by the label right after it
            return [Pairing(value, right[0], "right")]
        return _with_list(masked, value, left, "tight")
    if right and _right_ok(masked, value, right[0], values, bool(left), described.end() if described else None):
        return [Pairing(value, right[0], "right")]
    if (value.right_only and len(right) > 1 and _DEFINING.search(masked[value.end : right[0].start])
            and _THEN_ACHIEVED.fullmatch(masked[right[0].end : right[1].start]) and right[1].family is not None):
        # "all patients who experienced a CR/sCR achieved MRD negativity": the label after the group's verb
        return [Pairing(value, right[1], "right")]
    if left and not value.right_only and value.loose \
            and _PASSIVE_OUTCOME.search(masked[left[-1].end : value.start]) \
            and len(masked[left[-1].end : value.start]) <= 80 and not _GAP_BREAK.search(masked[left[-1].end : value.start]):
        # "Remission of SLE by DORIS criteria was achieved in all five patients": the label is the subject
        return _with_list(masked, value, left, "loose")
    if left and not value.right_only and not value.loose:
        # "median DOR was 11 months in responders (partial response or better) and 19 months": a label
        # inside an aside that closed before the value is not what the value measures
        # ... nor one that names whom an earlier figure is of ("61% for patients in CR at month 3 and 25%")
        outside = [c for c in left if not _closed_after(masked[c.end : value.start])
                   and not _WHO_BEFORE.search(masked, max(0, c.start - 40), c.start)
                   and not _WHO_HAD_BEFORE.search(masked, max(0, c.start - 40), c.start)
                   # "greatest benefit after 2 prior lines (16.2 vs 4.8 months)": prior lines are counted,
                   # never a duration's measure, so a duration looks past them to its label
                   and not (value.kind == "dur" and c.family is None and _COUNTED_WORDS.fullmatch(masked[c.start : c.end]))
                   # "with no high-grade CRS": a label said to have no cases measures no later figure
                   and not _NEGATED_BEFORE.search(masked, max(0, c.start - 30), c.start)]
        return _with_list(masked, value, outside, "loose") if outside else []
    return []


def _closed_after(gap: str) -> bool:
    """Whether ``gap`` closes a bracket it did not open (the label before it sat inside an aside)."""
    depth = 0
    for char in gap:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth < 0:
                return True
    return False


def _right_ok(masked: str, value: Value, cue: Cue, values: list[Value], labelled_before: bool,
              group_end: int | None = None) -> bool:
    gap = masked[value.end : cue.start]
    if cue.family is None and gap.count("(") > gap.count(")") and _ASIDE_OPENS.search(gap):
        return False  # "33.2% for tisa-cel (hazard ratio ...)": an aside after the figure does not measure it
    if cue.family is None and _FOR_GROUP.match(gap):
        return False  # "79.1% for the patients without extramedullary disease": the words describe the group
    if value.kind != "rate" and not _OF_MEDIAN.fullmatch(gap):
        return False
    between = [v for v in values if value.end <= v.start < cue.start]
    if (value.right_only or _OF_GROUP.match(gap)) and _DEFINING.search(masked[value.end : cue.start]):
        # "All FL patients who achieved CR were still in remission", "79% of the 42 patients who achieved a
        # CR or better": CR defines the group
        return False
    if _WHO_BEFORE.search(gap):
        return False  # "half of those who responded were still in remission": the label defines the group
    if gap.count("(") > gap.count(")"):
        close = masked.find(")", cue.end)
        if close != -1 and any(cue.end <= v.start < close for v in values):
            return False  # "83% (CR, 65%)": the bracket after the value is an aside with its own figure
    if between and (value.right_only or labelled_before or not _one_run(masked, [value, *between])):
        return False  # "77% and 24% of patients ... achieved a CR": an unlabelled listed run shares the label after it
    # "82% of 108 assessable patients who had refractory LBCL and received axi-cel achieved a response":
    # the words that describe the group add no distance
    described = group_end is not None and not between and group_end <= cue.start
    tail = masked[group_end if described and group_end is not None else between[-1].end if between else value.end : cue.start]
    tail = _BRACKETED.sub("", _COMPARED_VALUE.sub("", tail))  # "85% vs 67% in each arm showed", "(n, 76; CI)"
    # "achieved rapid, deep and durable responses": the commas of adjectives before the label join nothing
    tail = _ADJECTIVE_SERIES.sub(" ", tail)
    # "were found to be MRD-negative": the hedge adds words, not distance
    return not _RIGHT_BAD.search(tail) and len(_FOUND_TO_BE.sub(" ", tail).split()) <= 12


def _one_run(masked: str, values: list[Value]) -> bool:
    return all(_VALUE_GAP.fullmatch(masked[a.end : b.start]) for a, b in zip(values, values[1:]))


def _with_list(masked: str, value: Value, left: list[Cue], mode: str) -> list[Pairing]:
    """The chosen cue, plus the rest of its coordinated list for "not reached"."""
    chosen = [left[-1]]
    if value.kind == "nr" or _EACH_AFTER.match(masked, value.end) or _EACH_BEFORE.match(masked, chosen[0].end, value.start):
        for cue in reversed(left[:-1]):
            if not _RUN_GAP.fullmatch(masked[cue.end : chosen[-1].start]):
                break
            chosen.append(cue)
        if value.kind == "nr":
            chosen = [c for c in chosen if c.family in _MEDIAN_FAMILIES] or chosen[:1]
    return [Pairing(value, cue, mode if len(chosen) == 1 else "shared") for cue in reversed(chosen)]


def _zip_lists(masked: str, values: list[Value], cues: list[Cue], across_versus: bool = False) -> list[Pairing]:
    """"ORR and CR rates were 73% and 33%", "PFS, DOR and OS at 2 years were, in turn, at 55%,
    at 63% and at 85%": k cues in a row, then exactly k values in a row, with
    no other cue or value between the two lists (guide rule 17)."""
    out: list[Pairing] = []
    for run in _runs(masked, cues):
        # "all patients" is a value only before its outcome ("all patients responded"), never in a list
        following = [v for v in values if v.start >= run[-1].end and not v.right_only]
        if len(run) >= 2:
            # "53% & 43% achieved any-grade CRS & neurologic events with ... (6%)": values before their
            # labels pair first, whatever figures follow
            backward = _values_then_labels(masked, values, run, cues)
            if backward or len(following) < len(run):
                out.extend(backward)
                continue
        if len(run) < 2 or len(following) < len(run):
            continue
        take = following[: len(run)]
        gap = masked[run[-1].end : take[0].start]
        if not (_TIGHT_LEFT.fullmatch(gap) or _loose_gap_ok(gap, run[-1].end, take[0].start, cues)):
            continue
        if not all(_VALUE_GAP.fullmatch(masked[a.end : b.start]) for a, b in zip(take, take[1:])):
            continue
        rest = following[len(run) :]
        if rest and _VALUE_GAP.fullmatch(masked[take[-1].end : rest[0].start]):
            continue  # more values than labels: not a one-to-one list
        out.extend(Pairing(v, c, "list") for v, c in zip(take, run))
        out.extend(_repeated_groups(masked, run, take[-1].end, rest, cues, across_versus))
    return out


def _values_then_labels(masked: str, values: list[Value], run: list[Cue], cues: list[Cue]) -> list[Pairing]:
    """"82% and 45% achieved overall and complete responses, respectively": k values in a row, a verb
    phrase, then k labels in a row and "respectively" (guide rule 17)."""
    before = [v for v in values if v.end <= run[0].start]
    if len(before) < len(run):
        return []
    take = before[-len(run) :]
    # "53% & 43% achieved any-grade CRS & neurologic events": telegraphic writing joins both lists with
    # "&", which stands for "respectively"
    ampersands = (len(run) == 2 and "&" in masked[take[0].end : take[1].start]
                  and "&" in masked[run[0].end : run[1].start])
    if not ampersands and not _RESPECTIVELY_AFTER.match(masked, run[-1].end):
        return []
    earlier = before[: -len(run)]
    if earlier and _VALUE_GAP.fullmatch(masked[earlier[-1].end : take[0].start]):
        return []  # more values than labels
    if not all(_VALUE_GAP.fullmatch(masked[a.end : b.start]) for a, b in zip(take, take[1:])):
        return []
    gap = masked[take[-1].end : run[0].start]
    if len(gap) > 60 or any(take[-1].end <= c.start < run[0].start for c in cues) or _GAP_BREAK.search(gap):
        return []
    return [Pairing(v, c, "list") for v, c in zip(take, run)]


_RESPECTIVELY_AFTER = re.compile(r"[^.;]{0,25}?\brespectively\b", re.I)


def _repeated_groups(masked: str, run: list[Cue], after: int, rest: list[Value], cues: list[Cue],
                     across_versus: bool = False) -> list[Pairing]:
    """"ORR and CR were 89% and 70% for all patients, and 94% and 74% among the 191 ...": the same
    labels again for each later group of as many values, while no other label comes between
    (``across_versus``: also after "vs" when both sides name patient groups, ``_PARALLEL_GROUPS``)."""
    out: list[Pairing] = []
    k = len(run)
    while len(rest) >= k:
        group = rest[:k]
        gap = masked[after : group[0].start]
        # a word of no metric ("bridging") may describe a group named on both sides of "vs"
        if any(after <= c.start < group[-1].end and (c.family is not None or not across_versus) for c in cues) or (
                _GAP_BREAK.search(VERSUS_GAP.sub(" ", gap) if across_versus else gap)):
            break
        if not all(_VALUE_GAP.fullmatch(masked[a.end : b.start]) for a, b in zip(group, group[1:])):
            break
        later = rest[k:]
        if later and _VALUE_GAP.fullmatch(masked[group[-1].end : later[0].start]):
            break
        out.extend(Pairing(v, c, "list") for v, c in zip(group, run))
        after, rest = group[-1].end, later
    return out


def _loose_gap_ok(gap: str, start: int, end: int, cues: list[Cue]) -> bool:
    """Words between a label list and its value list: a verb phrase, no other label, no clause break."""
    return len(gap) <= 90 and not any(start <= c.start < end for c in cues) and _GAP_BREAK.search(gap) is None


def run_start(masked: str, cue: Cue, cues: list[Cue]) -> int:
    """Start of the coordinated cue list that ends with ``cue`` ("CRS and neurologic events")."""
    for run in _runs(masked, cues):
        if cue in run:
            return run[0].start
    return cue.start


_NEGATED_BEFORE = re.compile(r"\b(?:no|without)\s+(?:[\w≥>=-]+\s+){0,2}$", re.I)


def _runs(masked: str, cues: list[Cue]) -> list[list[Cue]]:
    runs: list[list[Cue]] = []
    closed = False  # the last run may take no further label
    for cue in cues:
        if _NEGATED_BEFORE.search(masked, max(0, cue.start - 30), cue.start):
            runs.append([cue])  # "with no high-grade CRS, grade >=3 neurologic events (6%)": no figure of its own
            closed = True
            continue
        if closed:
            runs.append([cue])
            closed = False
            continue
        if runs and cue.family == runs[-1][-1].family and _OPENS.fullmatch(masked[runs[-1][-1].end : cue.start]) \
                and _CLOSES.match(masked, cue.end):
            continue  # "event-free survival probability (pEFS)": the abbreviation restates its label
        # a word of no metric lists with a metric only across a conjunction or comma ("ORR and DCR"),
        # never by standing next to it ("for those with a PR the median PFS")
        gap = masked[runs[-1][-1].end : cue.start] if runs else ""
        if runs and _RUN_GAP.fullmatch(gap) and (
                (runs[-1][-1].family is None) == (cue.family is None) or _LIST_JOIN.search(gap)):
            runs[-1].append(cue)
        else:
            runs.append([cue])
    return runs
