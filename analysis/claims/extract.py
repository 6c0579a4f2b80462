"""Extract quantitative CAR-T outcome claims from plain text, by shared/domain/CLAIMS-GUIDE.md.

Pure and deterministic: text in, ``Claim``s out, never raises. Per sentence:
1. mask numbers that are never outcomes (analysis.claims.numbers) and find landmarks;
2. find values (rates, durations, "not reached") and cues (metric words);
3. pair values with cues (analysis.claims.pairing) and turn each pair into a metric;
4. add participant counts (analysis.claims.counts);
5. attribute therapy, trial and indication (analysis.claims.attribution).
Then each paragraph's median follow-up is copied onto its claims as ``followup_months``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, replace
from itertools import pairwise
from operator import attrgetter
from typing import Any

from analysis.claims.literals import Gated
from analysis.claims.pairing import VERSUS_GAP, Pairing, pair_values, run_start
from analysis.claims.attribution import Attribution, Context, Mention
from analysis.claims.tables import Table, find_tables, free_text_cells, table_figures
from analysis.claims.registry import Measure, find_measures, registry_figures
from analysis.claims.counts import Count, find_patient_counts, may_hold_count
from analysis.claims.labels import Cue, find_cues, may_name_outcome, stated_grade
from analysis.claims.numbers import mask_non_outcomes
from analysis.claims.probe import Needs, Probe, probe
from analysis.claims.numbers import mask
from analysis.claims.timepoints import UNIT_NEEDS
from analysis.claims.timepoints import (Timepoint, TimepointList, find_timepoint_lists, find_timepoints, is_window,
                                        mask_timepoints)
from analysis.claims.values import Value, find_values
from analysis.model import Claim, Metric
from analysis.therapies import Names
from analysis.claims.units import Span, split_paragraphs, split_sentences

_START = attrgetter("start")  # sort key: offset of a span-like record

_RESPONSE = {"ORR", "CR", "sCR", "VGPR", "MRD_NEG", "REMISSION_RATE"}
_SURVIVAL = {"PFS", "EFS", "OS"}
_NO_HIGHER = re.compile(r"\b(?:no|none\s+of\s+the|without)\s+(?:reports?\s+of\s+|cases?\s+of\s+|patients?\s+(?:had|developed|experienced)\s+)?"
                        r"(?:grade\s*(?:≥|>=)\s*3|grade\s*(?:3|three)\s*(?:or|and|-|–|/)\s*(?:higher|greater|above|4|four)"
                        r"|grade\s*(?:3|three)\b|severe|high[\s-]grade)(?P<rest>[^.;]{0,60})", re.I)
_FAMILY_WORDS = {"CRS": re.compile(r"\bCRS\b|cytokine", re.I),
                 "ICANS": re.compile(r"ICANS|neuro", re.I)}
# "128 and 97 patients", "101, 93 and 256 patients": counts listed before one noun
_COUNT_LIST = re.compile(r"(?<![\w.~%])(?P<items>\d{1,5}(?:\s*,\s*\d{1,5})*,?\s+(?:and|or)\s+\d{1,5})\s+"
                         r"(?:patients|pts|participants|adults|children|people)\b")
_GROUP_AFTER_LIST = re.compile(r"\s*(?:were\s+|had\s+been\s+)?(?:treated|infused|enrolled|dosed|evaluable|evaluated|included"
                               r"|for|with|in|,|\s)", re.I)
_DEFINING_LANDMARK = re.compile(r"\b(?:in|with|achieving|reaching|who\s+(?:were|had)\s+(?:in\s+)?)\s*(?:an?\s+)?"
                                r"(?:CR|PR|complete\s+(?:response|remission)|response|remission|MRD[\s-]+negativ\w*)\s+$", re.I)
_SPACE_ENTITY = re.compile(r"&(?:nbsp|#160|#xa0|ensp|emsp|thinsp);", re.I)
_SAFETY = {"CRS", "ICANS"}
_ALL_LOW = re.compile(r"\b(?:all|mostly|mainly|predominantly|primarily|largely)\s+(?:of\s+(?:them\s+)?)?(?:low[\s-]+)?grade", re.I)
_NO_GRADE = re.compile(r"\b(?:no|without|none\s+of|never)\s+(?:patients?\s+(?:had|developed|experienced)\s+)?"
                       r"(?:grade|severe|serious)", re.I)
_HEADLINE_FIGURE = re.compile(r"\d|\b(?:half|third|thirds|quarter|all|every|each|reached)\b", re.I)
_LOW_GRADE_LIST = re.compile(r"\b(?:grades?|G)\s*[12]\s*\(\s*[\d.]+\s*%\s*\)\s*(?:,|or|and)\s*(?:grade\s*|G)?[12]\s*\(?\s*$",
                             re.I)
_RESPECTIVELY_WORD = re.compile(r"\brespectively\b", re.I)
_PRODUCT_AFTER = re.compile(r"[\s~]*(?:\(\s*|,?\s*(?:for|with|in|among|on|after|using)\s+(?:the\s+)?"
                            r"(?:(?:patients|those)\s+(?:given|treated\s+with|receiving|on)\s+)?)", re.I)
_SAME_NAME_GAP = re.compile(r"\s*[(\[,]?\s*|\s*[)\]]\s*[(\[]\s*|\s*[)\]]?\s*")
_LIST_OF_NAMES = re.compile(r"[\s)\]]*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*/\s*)[\s(\[]*(?:with\s+)?(?:the\s+|an?\s+)?",
                            re.I)
_BRACKETED = re.compile(r"\s*\((?![^()]*%)[^()]{0,30}\)")  # "(n = 101)", never a figure's own "(13%)"
_LISTED = re.compile(r",|\band\b|\bor\b")
_PRODUCT_BEFORE = re.compile(r"~{3,}\s*[(\[,;]\s*(?:[nN]\s*[=:,]\s*)?$")
# "212 patients given axi-cel (n = 120) or tisa-cel": the product named after the count is one of a list
_ANOTHER_PRODUCT = re.compile(r"~*\s*(?:\([^()]*\)\s*)?(?:,|or|and|and/or|&)\s+(?:with\s+)?~{3,}", re.I)
_FOLLOWED = re.compile(r"\s+(?:patients\s+|pts\s+)?(?:were\s+|was\s+)?(?:treated|infused|dosed|given)?\s*(?:with\s+)?~{3,}", re.I)
_POOLED = Gated(re.compile(r"\bpool(?:ed|ing)\b|meta-analys|\bacross\s+(?:all\s+)?(?:the\s+)?(?:two|three|four|\d)\s+"
                     r"(?:approved\s+)?(?:products|therapies|CAR)", re.I))
_OWN_VALUE = re.compile(r"(?:(?!\band\b)[^)%;]){0,25}?\d+(?:[.,]\d+)?\s*%")
_PAIR_GAP = re.compile(r"[\s~]*(?:,\s*)?(?:and|vs\.?|versus)[\s~]*", re.I)
_COMPARED_WITH = re.compile(r"[\s)\]]*,?\s*(?:(?:when\s+)?compared\s+(?:with|to)|versus|vs\.?|relative\s+to|rather\s+than"
                            r"|(?:was|were|is|proved|appeared)?\s*(?:superior|inferior)\s+to|outperform\w*)\s+(?:(?:those|patients)\s+"
                            r"(?:given|treated\s+with|receiving|on)\s+)?[\s(\[]*", re.I)
_COMPARES = re.compile(r"\b(?:vs\.?|versus|compared|than|more\s+often|less\s+often|outperform\w*|higher|lower)\b", re.I)
_MIDDLE_DOT = re.compile(r"(?<=\d)·(?=\d)")
_SHARE_N = re.compile(r"(\d+(?:\.\d+)?)\s*%\s*[(\[]\s*n\s*[=,:]\s*(\d+)\b(?!\s*/)")
# "neurologic events of grade 3 or higher", "CRS (grade three or four)": the grade right after the label
_GRADE_AFTER_LABEL = re.compile(r"\s*(?:\([A-Za-z]{2,6}\)\s*)?[(,]?\s*(?:of\s+|at\s+|de\s+)?grad(?:es?|o)\s*(?:≥|>=)?\s*"
                                r"(?:\d|three|four|five|one|two)(?:\s*(?:or|to|and|o|[-–/])\s*(?:\d|higher|greater|above|worse|four"
                                r"|five|lower|two|superior))?", re.I)
_SAFETY = {"CRS", "ICANS"}
_ELIDED_GRADE = re.compile(r"(?:[;,]\s*(?:and\s+|while\s+|with\s+)?|\band\s+)(?:those\s+(?:of\s+)?|(?:the\s+)?rates?\s+of\s+"
                           # "; these were grade 3 or higher in 2% and 10%, respectively"
                           r"|(?:these|they|which)\s+(?:events\s+)?(?:were|was)\s+)?(?:of\s+)?"
                           r"(?P<grade>(?:grade|gr\.?)\s*(?:≥|>=|>)?\s*(?:3|III|three)(?:\s*(?:or|to|-|–|/)\s*"
                           r"(?:higher|greater|above|worse|more|4|IV|four|5))?(?:\s+or\s+(?:higher|greater|above|worse))?"
                           r"|severe|serious)\s+(?:events?\s+|cases?\s+|ones?\s+|toxicit(?:y|ies)\s+)?"
                           r"(?:(?:were\s+|was\s+)?(?:occurred|seen|reported|observed|noted|developed)\s+)?(?:in\s+)?(?:only\s+)?", re.I)
_GRADE_EVENTS_AFTER = re.compile(r"\)?(?:\s+of\s+(?:the\s+)?patients)?\s+(?:experiencing|experienced|having|had|developing|developed|with"
                                 r"|being|were|was|present[oó]|presentaron|tuvo|tuvieron|sufri[oó]|sufrieron|desarroll[oó]|desarrollaron)\s+"
                                 r"(?P<grade>(?:grade|gr\.?)\s*(?:≥|>=|>)?\s*(?:3|III|three)(?:\s*(?:or|to|-|–|/)\s*"
                                 r"(?:higher|greater|above|worse|more|4|IV|four|5))?(?:\s+or\s+(?:higher|greater|above|worse))?"
                                 # "solo el 12 % presentó formas graves"
                                 r"|severe|serious|(?:formas?|casos?|eventos?|cuadros?)\s+graves?)"
                                 r"(?:\s+(?:events?|cases?|ones?|episodes?|forms?|toxicit(?:y|ies))\b"
                                 # "though only 3% experienced grade 3 or higher.": the event is the label's
                                 r"|(?=\s*(?:[.;,)]|$)))", re.I)
_LIST_GAP = re.compile(r"[\s,~]*(?:\([^()]*\)[\s,~]*)?(?:and|or)?[\s~]*", re.I)
_BACK_REFERENCE = Gated(re.compile(r"\b(?:these|the\s+respective|those)\s+(?:respective\s+)?(?:rates|figures|values|proportions)\b"
                                  # "among 95 patients ..., the rates were 98.9% and 88.4%, respectively"
                                  r"|\bthe\s+(?:corresponding\s+|same\s+)?(?:rates|figures|proportions)\s+(?:were|was)\b"
                                  r"(?=[^;]{0,80}?\brespectively\b)", re.I))
# a sentence that set the product against another arm: a later "X% and Y%, respectively" gives the arms in order
_ARMS_COMPARED = re.compile(r"\b(?:versus|vs\.?|compared\s+(?:with|to)|control\s+arm|comparator|physician'?s\s+choice|placebo"
                            r"|standard[\s-]+(?:of[\s-]+care|regimens?|therapy|treatment))\b", re.I)
_RIGHT_AFTER = re.compile(r"[\s~]*(?:of\s+patients\s+)?")
_GRADE_AFTER = re.compile(r"\s+G[1-5]\b|[\s)]*\(?\s*(?:were\s+|was\s+)?(?:at|of|with|de)?\s*(?:grade|gr\.?|grado)\s*(?:≥|>=)?\s*\d"
                          r"(?:\s*(?:or|to|o|[-–/])\s*(?:\d|higher|greater|above|worse|superior))?", re.I)
# Values without a number: word fractions, "all (N) patients", "not reached" (analysis.claims.values).
_VALUE_WORDS = Needs(folded=("third", "quarter", "fourth", "fifth", "tenth", "half", "all", "every", "each"),
                     exact=("reached", "attained", "NR", "alcanz"))
_RATE_METRICS = _RESPONSE | {"PFS_RATE", "EFS_RATE", "OS_RATE"}
_SCOPE_PENALTY = {"sentence": 0.0, "paragraph": 0.15, "text": 0.3, "class": 0.3}
_MODE_PENALTY = {"tight": 0.0, "right": 0.0, "list": 0.05, "shared": 0.05, "versus": 0.05, "loose": 0.15}
PUBLIC_FIELDS = ("therapy", "trial", "indication", "metric", "value", "unit", "not_reached",
                 "timepoint_months", "ci_low", "ci_high", "denominator", "followup_months",
                 "sentence", "start", "end", "confidence", "part")


def extract_claims(text: str, *, names: Names | None = None) -> list[Claim]:
    """Every outcome claim in ``text``, in reading order; ``names`` (``analysis.therapies.find_names``
    of some title and this text) saves scanning the text for products and trials again."""
    if "&" in text and _SPACE_ENTITY.search(text):
        # "8·8&nbsp;months" left by a page's markup: read with as many spaces, which keeps every offset;
        # each claim's sentence is then the original text's (text[start:end] == sentence)
        plain = _SPACE_ENTITY.sub(lambda m: " " * len(m.group()), text)
        return [replace(c, sentence=text[c.start : c.end]) for c in extract_claims(plain)]
    return _text_claims(text, Context(text, names if names is not None and names.text == text else None))


def _text_claims(text: str, context: Context) -> list[Claim]:
    if not context.named and not context.classes:
        return []  # every claim is attributed to a product or the CD19 class, and none is named
    paragraphs = split_paragraphs(text)
    measures = find_measures(text) if "utcome" in text else []
    tables = find_tables(text)
    claims: list[Claim] = _registry_claims(text, measures, context, paragraphs) + _table_claims(text, tables, context)
    records = [(m.start, m.end) for m in measures] + [(t.start, t.end) for t in tables]
    claims += _prose_claims(text, paragraphs, records, context)
    # One claim per figure per text (guide rule 14): a headline restated in the body, or "the 97
    # patients" said twice, is one claim, reported with its first sentence.
    claims = _with_endpoint_windows(text, _without_numerators(text, _unique(claims)))
    return _with_followup(claims, [(p.start, p.end) for p in paragraphs])


# "The primary endpoint was the overall remission rate [...] within 3 months following infusion.
# ... The ORR reached 66.7%": the window the endpoint is defined with is the later rate's (rule 6)
_ENDPOINT_WINDOW = re.compile(
    r"\bend\s?points?\s+(?:was|were|is|consisted\s+of|comprised|included)\s+(?:the\s+)?(?P<label>[^.;\[\]()]{3,80}?)"
    r"\s*(?:\[[^\]]*\]|\([^)]*\))?\s+(?P<window>(?:(?:with)?in|at|by|after)\s+(?:the\s+first\s+)?\S+\s+(?:months?|days?|weeks?)"
    r"|(?:at|by)\s+(?:month|day)\s+\d+)\b", re.I)


def _with_endpoint_windows(text: str, claims: list[Claim]) -> list[Claim]:
    if "ndpoint" not in text and "nd point" not in text:
        return claims
    for m in _ENDPOINT_WINDOW.finditer(text):
        families = {c.family for c in find_cues(m.group("label"), [])} & _RESPONSE
        window = [t.months for t in find_timepoints(m.group("window") + " ") if t.attach]
        if len(families) != 1 or len(window) != 1:
            continue
        metric = families.pop()
        claims = [replace(c, timepoint_months=window[0])
                  if c.start >= m.end() and c.metric == metric and c.timepoint_months is None and c.value is not None
                  else c for c in claims]
    return claims


def _prose_claims(text: str, paragraphs: list[Span], records: list[tuple[int, int]], context: Context) -> list[Claim]:
    """The claims of the sentences of ``paragraphs`` outside the ``records`` (registry records, tables)."""
    claims: list[Claim] = []
    for paragraph in paragraphs:
        previous: list[Claim] = []
        heading: Span | None = None  # a unit ending in a colon that names one metric, for the bullets after it
        for sentence in split_sentences(text, paragraph):
            if any(lo <= sentence.start < hi or sentence.start <= lo < sentence.end for lo, hi in records):
                continue  # a results record or a table is read as one (registry, tables), not as prose
            span = (paragraph.start, paragraph.end)
            found = _sentence_claims(sentence, span, context)
            if heading is not None and _BULLET_FIGURE.match(sentence.text):
                if not found:
                    # "Progression-free survival ... was longer with satri-cel:" then "- 3.25 months with
                    # satri-cel": the item is read after its heading's label
                    found = [replace(claim, sentence=sentence.text, start=sentence.start, end=sentence.end)
                             for claim in _sentence_claims(_under_heading(heading, sentence), span, context)]
            else:
                heading = sentence if _is_metric_heading(sentence.text) else None
            if not any(c.metric in _RATE_METRICS for c in found) and _BACK_REFERENCE.search(sentence.text):
                # the group's own size ("among 95 patients ...") may come with the rates it takes
                found = found + _back_referenced(sentence, span, context, previous)
            claims.extend(found)
            previous = found or previous
    return claims


_BULLET_FIGURE = re.compile(r"\s*(?:[-•*–]\s*)?\d")
_HEADING_END = re.compile(r":\s*$")


def _is_metric_heading(text: str) -> bool:
    """A unit that ends in a colon and names exactly one metric family: a label for the items below;
    or a line that is nothing but one metric's label ("Objective response rate" above "87% (52) [75, 94]",
    a results page's table copied one cell per line)."""
    if _HEADING_END.search(text):
        return len({c.family for c in find_cues(text, []) if c.family is not None}) == 1
    label = text.strip()
    if len(label) > 40 or any(ch.isdigit() for ch in label):
        return False
    cues = [c for c in find_cues(label, []) if c.family is not None]
    return len(cues) == 1 and cues[0].start <= 1 and cues[0].end >= len(label) - 1


def _under_heading(heading: Span, item: Span) -> Span:
    """The item read as "<heading's label>: <item>", placed so that the item keeps its offsets."""
    label = heading.text.strip().rstrip(":")
    prefix = f"{label}: "
    return Span(prefix + item.text.lstrip("-•*– "), item.start - len(prefix) + (len(item.text) - len(item.text.lstrip("-•*– "))),
                item.end)


def extract_article_claims(title: str, text: str, *, names: Names | None = None) -> list[Claim]:
    """An article's claims: its text's, and before them the figures its headline states that the
    text does not. A figure in headline and text is one claim (rule 14), kept with the text's
    sentence, which says more; a headline-only figure has ``part="title"`` and offsets in the title."""
    body = extract_claims(text, names=names) if text else []
    if not title or not _HEADLINE_FIGURE.search(title):
        return body
    if not text:
        joined = extract_claims(title)
    else:
        # the headline is read with the text as its context: its product may be named only below
        whole = f"{title}\n\n{text}"
        if "&" in whole and _SPACE_ENTITY.search(whole):
            joined = extract_claims(whole)
        else:
            context = Context(whole, _joined_names(names, title, text))
            if not _headline_may_claim(whole, len(title), context):
                return body  # what follows would keep no claim of the headline
            joined = _text_claims(whole, context)
    stated = {_key(c) for c in body}
    head = [replace(c, part="title") for c in joined if c.end <= len(title) and _key(c) not in stated]
    return head + body


def _joined_names(names: Names | None, title: str, text: str) -> Names | None:
    """The mentions of "title\n\ntext" from those of the title and the text (``Names.therapies``:
    no name spans the gap), so the joined text is not scanned again; None without ``names``."""
    if names is None or not names.fits(title, text):
        return None
    shift = len(title) + 2
    return Names("", f"{title}\n\n{text}", (), (),
                 names.title_therapies + tuple(replace(m, start=m.start + shift, end=m.end + shift)
                                               for m in names.text_therapies),
                 names.title_trials + tuple(replace(m, start=m.start + shift, end=m.end + shift)
                                            for m in names.text_trials))


def _headline_may_claim(whole: str, title_end: int, context: Context) -> bool:
    """False when ``_text_claims(whole, context)`` holds no claim ending in the headline
    (``whole[:title_end]``), found without reading the text's sentences: the headline's own
    sentences, read as ``_text_claims`` reads them, give no claim. The passes after them only drop
    claims or fill in fields, so no claim of the headline can come out of them."""
    if not context.named and not context.classes:
        return False
    paragraphs = split_paragraphs(whole)
    measures = find_measures(whole) if "utcome" in whole else []
    tables = find_tables(whole)
    records = [(m.start, m.end) for m in measures] + [(t.start, t.end) for t in tables]
    if any(lo < title_end for lo, _ in records):
        return True  # a record or a table that takes in the headline: read the whole text
    # no record reaches the headline, so none of its claims end there; the headline's paragraphs
    # end before the blank line after it
    return bool(_prose_claims(whole, [p for p in paragraphs if p.start < title_end], records, context))


def _key(claim: Claim) -> tuple[Any, ...]:
    return (claim.therapy, claim.metric, claim.value, claim.not_reached, claim.timepoint_months)


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    """The claim's public fields, in the order the CLI prints them."""
    data = asdict(claim)
    return {name: data[name] for name in PUBLIC_FIELDS}


def _sentence_claims(sentence: Span, paragraph: tuple[int, int], context: Context) -> list[Claim]:
    """Claims of one sentence; most sentences hold no number or no outcome word and stop early."""
    probed = probe(sentence.text)
    outcome = may_name_outcome(probed)
    if not probed.number and not (outcome and _VALUE_WORDS.met(probed)):
        return []  # no number, fraction word, "all patients" or "not reached": nothing to claim
    countable = probed.number and may_hold_count(probed)
    if not outcome and not countable:
        return []  # numbers, but no metric word and no way to state a group size
    if context.attributes_nothing((sentence.start, sentence.end), paragraph):
        return []  # no figure of it could be credited to a product
    names = context.name_spans(sentence.start, sentence.end)
    # cues read the sentence itself, not its masked copy: without a cue of a metric family no
    # value can become a claim, so masking and value finding are left to the counts
    cues = find_cues(sentence.text, names, probed) if outcome else []
    if outcome and not _names_a_metric(cues):
        if not countable:
            return []
        outcome = False
    # a writer's "~59%" means "about 59%"; "~" is also the mask character, so it is read as a space
    masked = mask_non_outcomes(_plain(sentence.text), names, probed)
    landmarks = find_timepoint_lists(masked) if UNIT_NEEDS.met(probed) and _LISTED.search(masked) else []
    timepoints = [t for t in find_timepoints(masked, probed)
                  if not any(lst.start <= t.start < lst.end for lst in landmarks)]
    masked = mask(mask_timepoints(masked, timepoints), [(lst.start, lst.end) for lst in landmarks])
    claims = []
    if outcome:  # a value becomes a claim only through a cue of a metric family
        claims = _value_claims(masked, cues, sentence, paragraph, context, timepoints, landmarks, probed)
    if countable:  # every participant count is a number
        claims.extend(_count_claims(masked, names, sentence, paragraph, context, probed))
    return sorted(_unique(claims), key=_START)


def _names_a_metric(cues: list[Cue]) -> bool:
    """Whether a cue names a metric family: only then can a value of the sentence be a claim."""
    return any(cue.family for cue in cues)


def _registry_claims(text: str, measures: list[Measure], context: Context, paragraphs: list[Span]) -> list[Claim]:
    """Claims of registry results records (guide rule 20): the CAR-T arm's value of each measure."""
    claims = []
    for measure in measures:
        for figure in registry_figures(text, measure):
            paragraph = next(((p.start, p.end) for p in paragraphs if p.start <= figure.start < p.end),
                             (0, len(text)))
            span = (figure.start, figure.end)
            where = context.attribute(figure.start, span, paragraph)
            therapy = figure.therapy or (where.therapy if where else None)
            if therapy is None:
                continue
            trial = context.trial_of(therapy, figure.start, span, paragraph)
            line = Span(text[figure.start : figure.end], figure.start, figure.end)
            value = Value("nr" if figure.not_reached else "rate" if figure.unit == "%" else "dur", figure.value,
                          figure.unit, 0, 0)
            attribution = Attribution(therapy, trial, where.indication if where else None, "sentence")
            claims.append(_claim(attribution, line, figure.metric, value, figure.timepoint_months, 0.85))
    return claims


def _table_claims(text: str, tables: list[Table], context: Context) -> list[Claim]:
    """Claims of results tables: each row's figures for the product (or trial) the row names, or
    for the text's one product when the row names none."""
    claims = []
    for table in tables:
        for (start, end), figures in table_figures(text, table):
            row_product = _row_product(context, start, end, table)
            row = Span(text[start:end], start, end)
            for figure in figures:
                # a turned-round table names the product in the column's header
                product = (figure.therapy, figure.trial) if figure.therapy else row_product
                if product is None:
                    continue
                therapy, trial = product
                real_world = context.real_world_at(end)
                if trial is None and not real_world:
                    trial = context.trial_of(therapy, start, (start, end), (table.start, table.end))
                attribution = Attribution(therapy, None if real_world else trial, None, "sentence")
                kind = "nr" if figure.not_reached else "rate" if figure.unit == "%" else (
                    "count" if figure.unit == "patients" else "dur")
                value = Value(kind, figure.value, figure.unit, 0, 0)
                claims.append(_claim(attribution, row, figure.metric, value, figure.timepoint_months, 0.8))
        # "| Maude et al. | 30 ALL | ... | 6-month EFS: 67% CR: 90% |": an outcomes column in words
        for cell_start, cell_end, row_start, row_end in free_text_cells(text, table):
            cell = Span(text[cell_start:cell_end], cell_start, cell_end)
            claims.extend(_sentence_claims(cell, (row_start, row_end), context))
    return claims


def _row_product(context: Context, start: int, end: int, table: Table) -> tuple[str, str | None] | None:
    """The product (and trial) a table row names, or the text's one product when it names none."""
    named = {m.therapy: m for m in context.mentions_in(start, end)}
    if len(named) > 1:
        return None  # a row comparing or pooling two products
    if named:
        mention = next(iter(named.values()))
        return mention.therapy, mention.trial
    if len(context.named) == 1 or (not context.named and context.classes):
        where = context.attribute(start, (start, end), (table.start, table.end))
        return (where.therapy, None) if where is not None else None
    return None


def _plain(text: str) -> str:
    """The sentence as the scanners read it, same length: a writer's "~59%" ("about 59%") has its
    "~" (the mask character) read as a space, and the Lancet's "15·4" decimal point as a full stop."""
    if "~" in text:
        text = text.replace("~", " ")
    return _MIDDLE_DOT.sub(".", text) if "·" in text else text


def _back_referenced(sentence: Span, paragraph: tuple[int, int], context: Context,
                     previous: list[Claim]) -> list[Claim]:
    """"ORR and CR were 90% and 75%. In FL these rates were 94% and 79%, respectively": the
    values of a back-reference take the labels of the previous sentence's list, in order (rule 17)."""
    labelled = [c for c in previous if c.metric in _RATE_METRICS]
    metrics = [c.metric for c in labelled]
    if len(metrics) < 2 or len(set(metrics)) != len(metrics):
        return []
    probed = probe(sentence.text)
    masked = mask_non_outcomes(sentence.text, context.name_spans(sentence.start, sentence.end), probed)
    values = [v for v in find_values(masked, sentence.text, probed) if v.kind == "rate" and not v.loose]
    if len(values) != len(metrics):
        return []
    claims = []
    own = [t.months for t in find_timepoints(masked, probed) if t.attach]
    for earlier, value in zip(labelled, values):
        where = context.attribute(sentence.start + value.start, (sentence.start, sentence.end), paragraph)
        if where is not None:
            # "the 24-month EFS and OS ... These respective rates were ...": the landmark is part of the label
            landmark = own[0] if len(own) == 1 else earlier.timepoint_months
            claims.append(_claim(where, sentence, earlier.metric, value, landmark, 0.7))
    return claims


def _value_claims(masked: str, cues: list[Cue], sentence: Span, paragraph: tuple[int, int],
                  context: Context, timepoints: list[Timepoint], landmarks: list[TimepointList],
                  probed: Probe) -> list[Claim]:
    values = find_values(masked, sentence.text, probed)
    if not values:
        return []
    if _POOLED.search(sentence.text):
        return []  # figures pooled over products (rule 15)
    several = len(context.products_in(sentence.start, sentence.end)) >= 3
    claims = []
    elided = _elided_grade_list(sentence.text, masked, values, cues)
    if elided:  # those values are the list's grade >=3 figures, not their nearest labels' any-grade ones
        values = [v for v in values if v not in elided]
        for value, family in elided.items():
            where = context.attribute(sentence.start + value.start, (sentence.start, sentence.end), paragraph,
                                      end=sentence.start + value.end)
            if where is not None:
                claims.append(_claim(where, sentence, f"{family}_GRADE3PLUS", value, None, 0.8))
    # "The 6-month PFS rates were 24% and 18%, respectively", after a sentence comparing the arms
    arms_before = ("respectiv" in masked and not landmarks
                   and _ARMS_COMPARED.search(context.text, max(paragraph[0], sentence.start - 400), sentence.start) is not None)
    pairings = pair_values(masked, values, cues, landmarks, arms_before=arms_before)
    taken = {p.months for p in pairings if p.months is not None}
    for landmark in landmarks:  # a list no listed values took: its landmarks stand one by one
        if not taken & set(landmark.months):
            timepoints = timepoints + landmark.one_by_one()
    own = _own_products(sentence, masked, pairings, context) if several else {}
    if several:  # three products or more: a figure counts only with its own product (else pooled, rule 15)
        kept = [(p, own[i]) for i, p in enumerate(pairings) if i in own]
        pairings = [p for p, _ in kept]
        own = {i: mention for i, (_, mention) in enumerate(kept)}
    rival = None if several else _head_to_head(sentence, context)
    pairs = _product_pairs(masked, pairings) if rival else {}
    if rival:  # "median PFS was 8.8 months in KarMMa and 34.9 months in CARTITUDE-1": a product right after its figure
        groups = _mention_groups(context.mentions_in(sentence.start, sentence.end), sentence.start, masked)
        # "... 33% and 67%, in KarMMa and CARTITUDE-1, respectively": a list of products after the figures
        # pairs them in order (``pairs``), so its first name is not the last figure's own
        own = {i: mention for i, p in enumerate(pairings) if (mention := _product_after(p.value, groups, masked))
               and not (i in pairs and _in_list(groups, next(g for g in groups if g[0] is mention), masked))}
    for index, pairing in enumerate(pairings):
        metric = _metric(pairing, sentence.text, masked, cues, context.text)
        if metric == "ORR" and context.orr_is_remission and "ORR" in sentence.text[pairing.cue.start : pairing.cue.end]:
            metric = "REMISSION_RATE"
        claim = _claim_from_pairing(pairing, metric, sentence, paragraph, context, timepoints)
        if claim is None:
            continue
        if index in own:
            mention = own[index]
            trial = mention.trial or context.trial_of(mention.therapy, sentence.start + pairing.value.start,
                                                      (sentence.start, sentence.end), paragraph)
            claims.append(replace(claim, therapy=mention.therapy, trial=None if context.real_world_at(sentence.end) else trial))
            continue
        versus = _versus_value(masked, pairing.value, values) if rival else None
        if rival and index in pairs:  # "CR rates were 60.3% and 42.1%" after "with axi-cel and with tisa-cel"
            product = rival[pairs[index]]
            claims.append(replace(claim, therapy=product, trial=context.trial_of(
                product, sentence.start, (sentence.start, sentence.end), paragraph)))
        elif rival and versus is not None:
            first, second = rival
            claims.append(replace(claim, therapy=first, trial=context.trial_of(first, sentence.start, (sentence.start, sentence.end), paragraph)))
            claims.append(replace(claim, therapy=second, value=versus.value, ci_low=None, ci_high=None, denominator=None,
                                  trial=context.trial_of(second, sentence.start, (sentence.start, sentence.end), paragraph)))
        else:
            claims.append(claim)
    return claims


def _elided_grade_list(text: str, masked: str, values: list[Value], cues: list[Cue]) -> dict[Value, str]:
    """"CRS and ICANS occurred in 42% and 30%; grade 3 or higher events in 1% and 7%": a grade
    qualifier with no label of its own, after a list of safety labels, takes those labels in order
    (guide rule 17). Value -> the label's family."""
    if "rade" not in text and "evere" not in text and "erious" not in text and "grave" not in text:
        return {}
    for m in _ELIDED_GRADE.finditer(text):  # the grade words are masked in ``masked``
        if stated_grade(m.group("grade")) != "g3":
            continue
        labels = list(dict.fromkeys(c.family for c in cues if c.end <= m.start() and c.family in _SAFETY))
        if not labels or any(c.family is not None and m.end() <= c.start < m.end() + 40 for c in cues):
            continue  # one label takes one figure: "CRS occurred in 42%; grade >=3 in 2%"
        run = [v for v in values if v.start >= m.end() and v.kind == "rate"][: len(labels)]
        if len(run) == len(labels) and run[0].start - m.end() <= 30 and all(
                _LIST_GAP.fullmatch(masked[a.end : b.start]) for a, b in zip(run, run[1:])):
            return dict(zip(run, labels))
    # "CRS occurred in 42% of patients, with 2% experiencing grade 3 or higher events": a figure
    # followed by a grade with no label of its own takes the one safety label before it
    for m in _GRADE_EVENTS_AFTER.finditer(text):
        if stated_grade(m.group("grade")) != "g3":
            continue
        labels = list(dict.fromkeys(c.family for c in cues if c.end <= m.start() and c.family in _SAFETY))
        value = next((v for v in values if v.kind == "rate" and v.end == m.start()), None)
        if value is not None and len(labels) == 1:
            return {value: labels[0]}
    return {}


def _own_products(sentence: Span, masked: str, pairings: list[Pairing], context: Context) -> dict[int, Mention]:
    """In a sentence naming three products or more, the product each figure belongs to (pairing
    index -> mention): listed products zipped with listed values ("..., respectively"), a product
    right after its value ("54% for axi-cel", "13% (axi-cel)"), or the one product named before it
    with no other value between ("JULIET (tisa-cel) reported an ORR of 52%"). Figures without one
    are pooled over the products and are not claims (rule 15)."""
    groups = _mention_groups(context.mentions_in(sentence.start, sentence.end), sentence.start, masked)
    out: dict[int, Mention] = {}
    respectively = _RESPECTIVELY_WORD.search(sentence.text) is not None
    # "In ZUMA-1 (n = 101), JULIET (n = 93) and TRANSCEND (n = 256), CR rates were 54%, 40% and 53%":
    # as many figures of one label as products listed before them pair in order, "respectively" or not
    lists = [g for g in _listed(groups, masked) if len(g) >= (2 if respectively else 3)]
    if lists:
        in_order = sorted(range(len(pairings)), key=lambda i: pairings[i].value.start)
        for listed in lists:
            later = [i for i in in_order if pairings[i].value.start >= listed[-1][1]]
            run = later[: len(listed)] if respectively else later
            if len(run) != len(listed) and respectively:
                # "grade 3 or higher CRS in 13%, 22% and 2% with axi-cel, tisa-cel and liso-cel, respectively"
                run = [i for i in in_order if pairings[i].value.end <= listed[0][1]][-len(listed):]
            if len(run) == len(listed) and len({pairings[i].cue for i in run}) == 1:
                out.update({i: mention for i, (mention, _, _) in zip(run, listed)})
    for i, pairing in sorted(enumerate(pairings), key=lambda ip: ip[1].value.start):
        if i in out:
            continue
        value = pairing.value
        if (mention := _product_after(value, groups, masked)) is not None:
            out[i] = mention
            continue
        before = [g for g in groups if g[2] <= value.start]
        if not before:
            continue
        last = before[-1]
        between = masked[last[2] : value.start]
        between_values = [j for j, p in enumerate(pairings) if last[2] <= p.value.start < value.start]
        # "axi-cel (ZUMA-1: ORR 82%, CR 54%)": a run of figures after one product is that product's,
        # so a figure may follow others only when each of them went to the same product
        # ... but "ORRs were 97%, 73% and 91%" after a list it failed to read is not one product's three ORRs
        if any(out.get(j) is not last[0] or pairings[j].cue == pairing.cue for j in between_values) or (
                _in_list(groups, last, masked)):
            continue
        span = masked[last[1] : value.start]
        # "axi-cel (ZUMA-1; ORR 83%, CR 58%)": a semicolon inside the product's own bracket keeps it
        if ";" not in between or span.count("(") > span.count(")"):
            out[i] = last[0]
    return out


def _product_after(value: Value, groups: list[tuple[Mention, int, int]], masked: str) -> Mention | None:
    """The product named right after a figure: "54% for axi-cel", "13% (axi-cel)", "34.9 months in CARTITUDE-1"."""
    after = next((g for g in groups if g[1] >= value.end), None)
    if after and len(masked[value.end : after[1]]) <= 40 and _PRODUCT_AFTER.fullmatch(masked[value.end : after[1]]):
        return after[0]
    return None


def _mention_groups(mentions: list[Mention], offset: int, masked: str) -> list[tuple[Mention, int, int]]:
    """Mentions as (mention, start, end) relative to the sentence, "ZUMA-1 (axi-cel)" merged into one."""
    groups: list[tuple[Mention, int, int]] = []
    for m in mentions:
        start, end = m.start - offset, m.end - offset
        if groups and groups[-1][0].therapy == m.therapy and _SAME_NAME_GAP.fullmatch(masked[groups[-1][2] : start]):
            kept = groups[-1][0] if groups[-1][0].trial else m
            groups[-1] = (kept, groups[-1][1], max(end, groups[-1][2]))
        else:
            groups.append((m, start, end))
    return groups


def _listed(groups: list[tuple[Mention, int, int]], masked: str) -> list[list[tuple[Mention, int, int]]]:
    """Runs of product mentions written as a list ("axi-cel, tisa-cel and liso-cel", "axi-cel (n = 101),
    tisa-cel (n = 93) and liso-cel (n = 256)")."""
    runs: list[list[tuple[Mention, int, int]]] = []
    for group in groups:
        if runs and _LIST_OF_NAMES.fullmatch(_BRACKETED.sub("", masked[runs[-1][-1][2] : group[1]])):
            runs[-1].append(group)
        else:
            runs.append([group])
    return runs


def _in_list(groups: list[tuple[Mention, int, int]], group: tuple[Mention, int, int], masked: str) -> bool:
    return any(group in run and len(run) > 1 for run in _listed(groups, masked))


def _head_to_head(sentence: Span, context: Context) -> tuple[str, str] | None:
    """The two products a sentence compares ("Cilta-cel outperformed ide-cel ... (94% vs 82%)"): the
    sentence's first product, and the other one, named in the sentence or the text's only other."""
    named = context.products_in(sentence.start, sentence.end)
    if len(named) == 2:
        # "ide-cel (n = 266) or cilta-cel (n = 77); cilta-cel, compared with ide-cel, ... (94% vs 82%)":
        # the words that set up the comparison give the order, not the first mention
        mentions = context.mentions_in(sentence.start, sentence.end)
        for a, b in pairwise(mentions):
            if a.therapy != b.therapy and _COMPARED_WITH.fullmatch(context.text[a.end : b.start]):
                return a.therapy, b.therapy
        return named[0], named[1]
    if len(named) == 1 and len(context.named) == 2 and _COMPARES.search(sentence.text):
        return named[0], next(iter(context.named - {named[0]}))
    return None


def _product_pairs(masked: str, pairings: list[Pairing]) -> dict[int, int]:
    """In a sentence comparing two products, two values of one label side by side ("60.3% and
    42.1%") are the first product's and the second's: pairing index -> 0 or 1."""
    out: dict[int, int] = {}
    for i, (a, b) in enumerate(zip(pairings, pairings[1:])):
        # "median PFS of 8.8 months and not reached": a duration and a not-reached median pair too
        if i in out or a.cue != b.cue or ({a.value.kind, b.value.kind} - {"dur", "nr"} and a.value.kind != b.value.kind):
            continue
        if _PAIR_GAP.fullmatch(masked[a.value.end : b.value.start]):
            out[i], out[i + 1] = 0, 1
    return out


def _versus_value(masked: str, value: Value, values: list[Value]) -> Value | None:
    """The value right after ``value`` behind "vs"/"versus": the compared product's figure."""
    later = [v for v in values if v.start >= value.end and v.kind == value.kind]
    if later and VERSUS_GAP.fullmatch(masked[value.end : later[0].start]):
        return later[0]
    return None


def _claim_from_pairing(pairing: Pairing, metric: str | None, sentence: Span, paragraph: tuple[int, int],
                        context: Context, timepoints: list[Timepoint]) -> Claim | None:
    if metric is None:
        return None
    value = pairing.value
    where = context.attribute(sentence.start + value.start, (sentence.start, sentence.end), paragraph,
                              end=sentence.start + value.end)
    if where is None:
        return None
    timepoint = _timepoint(pairing, timepoints, sentence.text) if metric in _RATE_METRICS else None
    confidence = 0.95 - _SCOPE_PENALTY[where.scope] - _MODE_PENALTY[pairing.mode]
    return _claim(where, sentence, metric, value, timepoint, confidence - (0.1 if value.loose else 0.0))


def _metric(pairing: Pairing, sentence: str, masked: str, cues: list[Cue], text: str = "") -> str | None:
    family, value = pairing.cue.family, pairing.value
    if family is None:
        return None
    if family in _RESPONSE:
        return family if value.kind == "rate" else None
    if family in _SURVIVAL:
        return f"{family}_RATE" if value.kind == "rate" else f"{family}_MEDIAN"
    if family == "DOR":
        return "DOR_MEDIAN" if value.kind != "rate" else None
    if family == "FOLLOWUP":
        return "FOLLOWUP_MEDIAN" if value.kind == "dur" else None
    if value.kind != "rate":
        return None
    if _LOW_GRADE_LIST.search(sentence, max(0, value.start - 40), value.start):
        return None  # "grade 1 (47%) or 2 (35%)": the share of a low grade, listed
    after = _GRADE_AFTER.match(sentence[pairing.value.end :])
    if after and not after.group().lstrip().startswith("G") and _OWN_VALUE.match(sentence, pairing.value.end + after.end()):
        after = None  # "CRS in 75% (grade 3 or higher in 5%)": that grade has its own value
    after = after or _GRADE_AFTER_LABEL.match(sentence[pairing.cue.end :])
    window = after.group() if after else _grade_window(pairing, sentence, masked, cues)
    grade = stated_grade(window)
    if grade == "low" and _ALL_LOW.search(window):
        grade = "any"  # "ICANS, all grade 1-2, occurred in 30%": the grade describes every case counted
    if grade == "low" and _none_higher(text, family):
        grade = "any"  # "CRS of grade 1 or 2 in 94.6%" where no grade >=3 CRS occurred: that is every case
    if grade is None:  # a grade stated before the clause's first safety label covers each of them (rule 17)
        grade = _clause_grade(pairing, sentence, cues) or "any"
    return None if grade == "low" else f"{family}_GRADE3PLUS" if grade == "g3" else f"{family}_ANY"


def _none_higher(text: str, family: str) -> bool:
    """Whether the text says no case of ``family`` reached grade 3 ("There were no reports of grade 3
    or higher CRS or neurotoxicities", "no grade >=3 CRS occurred")."""
    if "rade" not in text:
        return False
    words = _FAMILY_WORDS.get(family)
    return words is not None and any(words.search(m.group("rest")) for m in _NO_HIGHER.finditer(text))


def _clause_grade(pairing: Pairing, sentence: str, cues: list[Cue]) -> str | None:
    """"Grade >=3 CRS developed in 34.8% and neurotoxicity in 21.7%", "grade 3 or 4 adverse events
    were CRS (22%), neurologic events (12%)": the qualifier before the first safety label."""
    start = sentence.rfind(";", 0, pairing.cue.start) + 1
    safety = [c for c in cues if start <= c.start <= pairing.cue.start and c.family in _SAFETY]
    if not safety:
        return None
    window = sentence[start : safety[0].start]
    if _NO_GRADE.search(window):
        return None  # "No grade 3 or higher CRS was seen, and ICANS occurred in 5%": that grade had no cases
    return stated_grade(window)


def _grade_window(pairing: Pairing, sentence: str, masked: str, cues: list[Cue]) -> str:
    """Where grade words for this value sit: from 30 chars before the cue (list) to the value."""
    cue, value = pairing.cue, pairing.value
    if cue.start >= value.end:
        return sentence[value.end : cue.start]
    first = run_start(masked, cue, cues)
    prefix, middle = sentence[max(0, first - 30) : first], sentence[first : value.start]
    # the prefix stops at the previous figure or clause: "(5% grade >=3), whereas ICANS ..." is not ICANS's grade
    prefix = prefix[max(prefix.rfind(c) for c in "%;),") + 1 :]
    return " | ".join((prefix, middle[max(middle.rfind("%"), middle.rfind(";")) + 1 :]))


_NEXT_CLAUSE_FIGURE = re.compile(r",\s+(?:and|while|whereas|but|with)\s+(?:[\w-]+\s+){0,3}?\d+(?:\.\d+)?\s*(?:%|percent|per\s+cent)"
                                 # ", and the estimated proportion of PFS and OS at 12 months was ...": a later clause
                                 # that names its own outcome owns the landmark in it
                                 r"|,\s+(?:and|while|whereas|but)\s+[^,;]*?\b(?:PFS|OS|EFS|DOR|survival|remission|response\s+rate"
                                 r"|CRS|ICANS|MRD)\b"
                                 # "ORR of 82.1%, 66.7% complete response rate within three months": the next
                                 # listed figure, with its own label, owns the window after it
                                 r"|,\s+\d+(?:\.\d+)?\s*%\s+[A-Za-z]", re.I)
_NEXT_AND_FIGURE = re.compile(r"\s(?:and|while|whereas|but)\s+(?:[\w-]+\s+){0,3}?\d+(?:\.\d+)?\s*(?:%|percent|per\s+cent)",
                              re.I)
_CLAUSE_JOIN = re.compile(r",\s+(?:and|while|whereas|but|y|mientras\s+que)\s", re.I)
_FIGURE_JUST_BEFORE = re.compile(r"\d\s*(?:%|percent|por\s+ciento)\s*$", re.I)
_FIGURE_BEFORE = re.compile(r"\d\s*(?:%|percent|per\s+cent)(?![^,;]*[,;]\s)", re.I)
# a figure followed by its own data cut, which is not a landmark
_OWN_DATA_CUT = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:at|by)\s+(?:the\s+)?(?:final|last|latest|most\s+recent|data)"
                           r"\s+(?:follow[\s-]*up|cut[\s-]*off|analysis|assessment)", re.I)


def _next_figure_clause(sentence: str, start: int, end: int) -> bool:
    """"86 percent achieving sCR ... and 86 percent of patients being alive and progression free at 9
    months": with no comma, a later figure opens its own clause when words of its own stand between it
    and the landmark ("70% and 80% at 12 months" shares the landmark)."""
    m = _NEXT_AND_FIGURE.search(sentence, start, end)
    return m is not None and len(sentence[m.end() : end].split()) >= 3


def _other_clause_landmark(sentence: str, t: Timepoint, value: Value) -> bool:
    """"69% achieved MRD negativity by day 56, and 52% had a CR", "responses were ongoing at 12 months
    in 85%, and the ORR was 97%": a landmark of an earlier clause that holds its own figure."""
    if _FIGURE_JUST_BEFORE.search(sentence, max(0, t.start - 12), t.start):
        return True  # "la tasa fue del 100 % a los 3 meses y el 67 % alcanzó ...": that figure's own landmark
    join = _CLAUSE_JOIN.search(sentence, t.end, value.start)
    if join is None:
        return False
    return bool(_FIGURE_BEFORE.search(sentence, max(0, t.start - 60), t.start)
                or _FIGURE_BEFORE.search(sentence[: join.start()], t.end))


def _timepoint(pairing: Pairing, timepoints: list[Timepoint], sentence: str) -> float | None:
    """Landmark next to the cue ("2-year PFS", "PFS at 12 months"), else the nearest in the clause."""
    if pairing.months is not None:
        return pairing.months
    cue, value = pairing.cue, pairing.value
    if _OWN_DATA_CUT.match(sentence, value.end):
        return None  # "... to 69.4% at month 3 and to 94.4% at final follow-up": the figure says when it holds
    usable = [t for t in timepoints if t.attach
              and not _clause_break(sentence[min(t.end, value.end) : max(t.start, value.start)])
              # "82.1% had a response ..., and 66.7% achieved a CR within three months": a landmark after
              # another clause's own figure is that figure's
              and not (t.start >= value.end and _NEXT_CLAUSE_FIGURE.search(sentence, value.end, t.start))
              and not (t.start >= value.end and _next_figure_clause(sentence, value.end, t.start))
              # "69% achieved MRD negativity by day 56, and 52% had a CR": the same seen from the later figure
              and not (t.end <= value.start and _other_clause_landmark(sentence, t, value))]
    opened = sentence.rfind("(", 0, value.start)
    if opened != -1 and ")" not in sentence[opened : value.start]:
        closed = sentence.find(")", value.end)
        inside = [t for t in usable if opened < t.start and (closed == -1 or t.end <= closed)]
        if inside:  # "(previously 44.1% and 57.9%, respectively, at 12 months)": the aside's own landmark
            return inside[0].months
    right = [t for t in usable if t.start >= value.end]
    if right and _RIGHT_AFTER.fullmatch(sentence[value.end : right[0].start]):
        return right[0].months  # "89% at month 6, and 79% at month 12": the value's own landmark
    between = [t for t in usable if cue.end <= t.start and t.end <= value.start
               # "for patients in CR at month 3": that landmark defines a group, it is not the figure's
               and not _DEFINING_LANDMARK.search(sentence, max(0, t.start - 30), t.start)]
    if between and cue.family not in _RESPONSE:
        return between[-1].months  # "PFS was 73% at 6 months, while at 12 months it stood at 55%"
    if cue.family in _RESPONSE:  # a response rate takes a window, never a data cut (rule 6)
        usable = [t for t in usable if is_window(sentence, t)
                  or 0 <= cue.start - t.end <= 3]  # "3-month CR rate"
    for t in usable:
        if 0 <= cue.start - t.end <= 3 or 0 <= t.start - cue.end <= 12:
            return t.months
    before = [t for t in usable if t.end <= value.start]
    after = [t for t in usable if t.start >= value.end]
    if before:
        return before[-1].months
    return after[0].months if after else None


def _clause_break(between: str) -> bool:
    """A ";" outside brackets: "10-month PFS (PFS; 76% vs 47%)" keeps its landmark, "...; 77% had a CR" not."""
    if ";" not in between:
        return False
    depth = 0
    for char in between:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:
            return True
    return False


def _claim(where: Attribution, sentence: Span, metric: str, value: Value, timepoint: float | None,
           confidence: float) -> Claim:
    return Claim(
        # Metric() raises on a code outside the one vocabulary: a typo here cannot reach the database
        therapy=where.therapy, metric=Metric(metric).value, value=value.value, unit=value.unit,
        sentence=sentence.text, start=sentence.start, end=sentence.end, trial=where.trial,
        indication=where.indication, not_reached=value.kind == "nr", timepoint_months=timepoint,
        ci_low=value.ci_low, ci_high=value.ci_high, denominator=value.denominator,
        confidence=round(min(1.0, max(0.05, confidence)), 2),
    )


def _listed_counts(masked: str, sentence: Span, paragraph: tuple[int, int], context: Context) -> list[Claim]:
    """"In KarMMa and CARTITUDE-1, 128 and 97 patients were treated, respectively": listed counts
    zipped with as many listed products (guide rule 17)."""
    if not _RESPECTIVELY_WORD.search(sentence.text):
        return []
    groups = _mention_groups(context.mentions_in(sentence.start, sentence.end), sentence.start, masked)
    lists = [g for g in _listed(groups, masked) if len(g) >= 2]
    claims = []
    for m in _COUNT_LIST.finditer(masked):
        numbers = [int(n) for n in re.findall(r"\d+", m.group("items"))]
        listed = next((g for g in lists if len(g) == len(numbers)), None)
        if listed is None or not _GROUP_AFTER_LIST.match(masked, m.end()):
            continue
        for number, (mention, _, _), n in zip(numbers, listed, re.finditer(r"\d+", m.group("items"))):
            start = m.start("items") + n.start()
            trial = None if context.real_world_at(sentence.end) else (mention.trial or context.trial_of(
                mention.therapy, sentence.start + start, (sentence.start, sentence.end), paragraph))
            value = Value("count", float(number), "patients", start, start + len(n.group()))
            claims.append(_claim(Attribution(mention.therapy, trial, None, "sentence"), sentence, "N_PATIENTS", value,
                                 None, 0.8))
    return claims


def _count_claims(masked: str, names: list[tuple[int, int]], sentence: Span, paragraph: tuple[int, int],
                  context: Context, probed: Probe) -> list[Claim]:
    claims = []
    several = len(context.products_in(sentence.start, sentence.end)) >= 2 or _POOLED.search(sentence.text)
    if several:
        claims.extend(_listed_counts(masked, sentence, paragraph, context))
    for count in find_patient_counts(masked, probed):
        followed = _FOLLOWED.match(masked, count.end) if several else None
        if several and not _own_product(masked, count.start) and (
                followed is None or _ANOTHER_PRODUCT.match(masked, followed.end())) and (
                followed is not None or not _named_just_before(masked, count, sentence, context)):
            continue  # a count of patients given any of several products is pooled (rule 15)
        where = context.attribute(sentence.start + count.start, (sentence.start, sentence.end), paragraph,
                                  end=sentence.start + count.end)
        if where is not None:
            value = Value("count", float(count.value), "patients", count.start, count.end)
            claims.append(_claim(where, sentence, "N_PATIENTS", value, None,
                                 0.9 - _SCOPE_PENALTY[where.scope]))
    return claims


def _without_numerators(text: str, claims: list[Claim]) -> list[Claim]:
    """"78% (n, 76; ...)" after "ORR 98% (n, 97)": when a share's "n" is that share of another count
    in the text (76/97 = 78%), it counts the responders, the X of an outcome fraction (rule 9)."""
    shares = {int(m.group(2)): float(m.group(1)) for m in _SHARE_N.finditer(text)} if "(n" in text else {}
    if not shares:
        return claims
    counts = {c.value for c in claims if c.metric == "N_PATIENTS" and c.value}
    numerators = {n for n, pct in shares.items()
                  if any(whole != n and abs(100 * n / whole - pct) <= 1.0 for whole in counts if whole)}
    return [c for c in claims if not (c.metric == "N_PATIENTS" and c.value in numerators)]


def _named_just_before(masked: str, count: Count, sentence: Span, context: Context) -> bool:
    """"Axi-cel was approved on ZUMA-1, in which 101 patients were treated; tisa-cel on ...": the one
    product named last before the count, in its clause, neither one of a list ("axi-cel and tisa-cel
    were given to 212 patients") nor set against another product ("cilta-cel outperformed ide-cel in
    343 patients")."""
    groups = _mention_groups(context.mentions_in(sentence.start, sentence.end), sentence.start, masked)
    before = [g for g in groups if g[2] <= count.start]
    if not before or _in_list(groups, before[-1], masked):
        return False
    last = before[-1]
    if count.start - last[2] > 80 or ";" in masked[last[2] : count.start]:
        return False
    after = [g for g in groups if g[1] >= count.end]
    if after and after[0][0].therapy != last[0].therapy and after[0][1] - count.end <= 40 and (
            ";" not in masked[count.end : after[0][1]]):
        return False  # "nine patients enrolled in JULIET": the product named next is the count's
    others = [g for g in before if g[0].therapy != last[0].therapy]
    since = others[-1][2] if others else 0
    return _COMPARES.search(masked, since, count.start) is None


def _own_product(masked: str, start: int) -> bool:
    """"ide-cel (n = 266)": a product name (masked to "~") right before the count."""
    return _PRODUCT_BEFORE.search(masked[max(0, start - 14) : start]) is not None


def _unique(claims: list[Claim]) -> list[Claim]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for claim in claims:
        key = _key(claim)
        if key not in seen:
            seen.add(key)
            out.append(claim)
    return [c for c in out if not _restated(c, out)]


def _restated(claim: Claim, claims: list[Claim]) -> bool:
    """"29/38 reached a CR (CR rate, 76%)": a fraction's rate that the sentence also states as a
    percentage is one figure (guide rule 14); the stated percentage is kept."""
    if claim.denominator is None or claim.unit != "%" or claim.value is None:
        return False
    return any(other is not claim and other.denominator is None and other.unit == "%" and other.value is not None
               and other.metric == claim.metric and other.therapy == claim.therapy
               and other.timepoint_months == claim.timepoint_months and abs(other.value - claim.value) <= 0.5
               for other in claims)


def _with_followup(claims: list[Claim], paragraphs: list[tuple[int, int]]) -> list[Claim]:
    """Copy the stated median follow-up (months) onto the claims of its paragraph, or of the text.

    A paragraph's own follow-up wins; otherwise the text's follow-up is used when it states
    exactly one. Different data cuts of one trial then stay apart instead of contradicting.
    """
    followups = [c for c in claims if c.metric == "FOLLOWUP_MEDIAN" and c.value is not None]
    if not followups:
        return claims  # followup_months stays None
    whole = {_months(c) for c in followups}
    fallback = whole.pop() if len(whole) == 1 else None
    starts = [p[0] for p in paragraphs]  # in order and disjoint: a bisection finds an offset's paragraph

    def paragraph_of(offset: int) -> int | None:
        at = bisect_right(starts, offset) - 1
        return at if at >= 0 and offset < paragraphs[at][1] else None

    local = {paragraph_of(c.start): c for c in followups}  # each paragraph's last, in list order
    local.pop(None, None)
    out = []
    for claim in claims:
        own = local.get(paragraph_of(claim.start))
        months = _months(own) if own is not None else fallback
        out.append(claim if months is None else replace(claim, followup_months=months))
    return out


def _months(claim: Claim) -> float | None:
    if claim.value is None:
        return None
    return claim.value * 12 if claim.unit == "years" else claim.value
