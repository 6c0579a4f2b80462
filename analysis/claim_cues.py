"""Words that say which outcome a number measures, and the grade words for safety figures.

``find_cues`` returns non-overlapping cue spans (longest match wins, so "stringent complete
response" beats "complete response", which beats "response"). A cue's ``family`` is a metric
family ("ORR", "PFS", "CRS", ...) or ``None`` for neighbours that are not extraction targets
(partial response, relapse-free survival, time to response, hazard, refractory, price ...);
those still claim nearby numbers so the numbers produce nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.claim_probe import Needs, Probe, probe

_RATE = r"(?:\s+rates?)?"
_RD = r"(?:minimal|measurable)\s+residual\s+disease"
# Literals of the neighbour pattern below, one (or more) for each of its alternatives.
_NEIGHBOURS = Needs(folded=(
    "partial", "complete", "survival", "mortality", "time", "respon", "success", "turnaround", "vein",
    "manufactur", "refractory", "triple", "exposed", "prior", "age", "hazard", "risk", "share", "stock",
    "revenue", "sales", "price", "infection", "neutropenia", "thrombocytopenia", "emia", "cytopenia",
    "hypogammaglobulin", "parkinsonism", "cranial", "guillain", "death", "died", "aplasia", "persistence",
    "tocilizumab", "steroids", "bridging", "hospitali", "intensive", "adverse", "second", "malignanc", "male",
    "men", "extramedullary", "cytogenetic", "relapse", "progressed", "discontinu", "lymphodepleti", "retreat",
    "control", "benefit"))
_CUES: list[tuple[Needs, str | None, str, int]] = [
    (Needs(folded=("response",)), "ORR", rf"(?:best\s+)?(?:overall|objective)\s+response{_RATE}|\bresponse{_RATE}", re.I),
    (Needs(exact=("ORR", "respon")), "ORR", rf"\bB?ORRs?\b{_RATE}|\bresponded\b|\bresponses\b|\bany\s+response", 0),
    (Needs(folded=("complete",)), "CR", rf"complete\s+(?:metabolic\s+)?(?:response|remission)s?{_RATE}(?:\s+or\s+better)?", re.I),
    (Needs(exact=("CR",)), "CR", rf"(?:≥\s*)?\bCR\s*/\s*sCR\b{_RATE}|\bsCR\s*/\s*CR\b{_RATE}|\bCRR\b|(?:≥|>=)\s*CR\b"
     rf"|\bCRs?\b(?:\s+or\s+better)?{_RATE}", 0),
    (Needs(exact=("stringent", "sCR")), "sCR", rf"stringent\s+(?:complete\s+response|CR)s?{_RATE}|\bsCRs?\b{_RATE}", 0),
    (Needs(folded=("stringent",)), "sCR", rf"stringent\s+complete\s+responses?{_RATE}", re.I),
    (Needs(folded=("partial",)), "VGPR", rf"very\s+good\s+partial\s+responses?(?:\s+or\s+better)?{_RATE}", re.I),
    (Needs(exact=("VGPR",)), "VGPR", rf"(?:≥\s*)?\bVGPR\b(?:\s+or\s+better)?{_RATE}", 0),
    (Needs(folded=("mrd", "residual", "detectable")), "MRD_NEG", rf"(?:MRD|{_RD})[\s-]+negativ(?:e|ity)(?:\s+(?:CR|complete\s+response|status|disease))?"
     rf"{_RATE}|undetectable\s+(?:MRD|{_RD})|no\s+detectable\s+{_RD}|negative\s+for\s+MRD", re.I),
    (Needs(exact=("uMRD",)), "MRD_NEG", r"\buMRD\b", 0),
    (Needs(folded=("remission",)), "REMISSION_RATE", rf"overall\s+(?:complete\s+)?remission{_RATE}|DORIS\s+remission"
     rf"|drug[\s-]+free\s+remission|\bremissions?\b{_RATE}|\bin\s+remission", re.I),
    (Needs(exact=("CRi",)), "REMISSION_RATE", rf"\bCR\s*(?:/|\+|or|and)\s*CRi\b{_RATE}", 0),
    (Needs(folded=("remission",)), "REMISSION_RATE", r"complete\s+remission\s+(?:or|and|\+|/)\s+complete\s+remission\s+with\s+"
     r"incomplete\s+(?:\w+\s+){0,2}recovery", re.I),
    (Needs(folded=("duration",)), "DOR", r"(?:median\s+)?duration\s+of\s+(?:(?:complete\s+)?response|remission|CR)"
     r"|(?:median\s+)?response\s+duration", re.I),
    (Needs(exact=("DOR", "DoR")), "DOR", r"\bD[Oo]Rs?\b", 0),
    (Needs(folded=("progression",)), "PFS", rf"progression[\s-]+free\s+survival{_RATE}|(?:alive\s+and\s+)?(?:free\s+(?:of|from)\s+"
     r"(?:disease\s+)?progression|progression[\s-]+free)|without\s+(?:disease\s+)?progression", re.I),
    (Needs(exact=("PFS",)), "PFS", rf"\bPFS\b{_RATE}", 0),
    (Needs(folded=("event",)), "EFS", rf"event[\s-]+free\s+survival{_RATE}|(?:alive\s+)?without\s+an?\s+event|event[\s-]+free",
     re.I),
    (Needs(exact=("EFS",)), "EFS", rf"\bEFS\b{_RATE}", 0),
    (Needs(folded=("surviv", "alive")), "OS", rf"overall\s+survival{_RATE}|(?:still\s+)?\balive\b|survival\s+(?:rate|probability)"
     r"|probability\s+of\s+survival|\bsurvived\b|\bsurvival\b", re.I),
    (Needs(exact=("OS",)), "OS", rf"\bOS\b{_RATE}", 0),
    (Needs(folded=("median",)), "FOLLOWUP", r"median\s+(?:on[\s-]+study\s+|duration\s+of\s+|overall\s+|potential\s+)?follow[\s-]*up"
     r"|followed\s+(?:up\s+)?for\s+a\s+median(?:\s+of)?"
     r"|at\s+a\s+median\s+of(?=\s+\S+\s+(?:months?|years?)\s+(?:after|post|following))", re.I),
    (Needs(exact=("MFU",)), "FOLLOWUP", r"\bMFU\b", 0),
    (Needs(folded=("cytokine",)), "CRS", r"cytokine[\s-]+release[\s-]+syndrome", re.I),
    (Needs(exact=("CRS",)), "CRS", r"\bCRS\b", 0),
    (Needs(folded=("immune", "neuro")), "ICANS", r"immune[\s-]+effector[\s-]+cell[\s-]+associated\s+neurotoxicity(?:\s+syndrome)?"
     r"|neurologic(?:al)?\s+(?:events?|toxicit(?:y|ies)|adverse\s+events?)|neurotoxicit(?:y|ies)"
     r"|neurotoxic\s+(?:side\s+)?(?:effects?|events?)", re.I),
    (Needs(exact=("ICANS",)), "ICANS", r"\bICANS\b", 0),
    (_NEIGHBOURS, None, r"partial\s+(?:response|remission)s?|complete\s+remission\s+with\s+incomplete\s+(?:\w+\s+)"
     r"{0,2}recovery|(?:relapse|leuk(?:a)?emia|disease[\s-]+specific|metastasis)[\s-]+free\s+survival"
     r"|non[\s-]+relapse\s+mortality|time\s+to\s+(?:first\s+|best\s+|complete\s+)?(?:response|remission)"
     r"|(?:still|remained?|remaining|continued)\s+(?:in\s+)?respon(?:ding|se)|success\s+rate"
     r"|turnaround|vein[\s-]+to[\s-]+vein|manufactur\w*|refractory|triple[\s-]+class|\bexposed\b"
     r"|\bprior\s+lines?|\baged?\b|hazard|\brisk\b|\bshares?\b|\bstock\b|\brevenue|\bsales\b|\bprice"
     r"|infections?|neutropenia|thrombocytopenia|an(?:a)?emia|cytopenias?|hypogammaglobulin(?:a)?emia"
     r"|parkinsonism|cranial\s+nerve|guillain|\bdeaths?\b|\bdied\b|\bmortality\b|B[\s-]+cell\s+aplasia"
     r"|persistence|tocilizumab|(?:cortico)?steroids|bridging|hospitali[sz]\w+|intensive\s+care"
     r"|adverse\s+events?|second\s+primary|malignanc\w+|\b(?:male|female|men|women)\b|high[\s-]+risk"
     r"|extramedullary|cytogenetic\w*|relapsed?\b|progressed\b|discontinu\w+|lymphodepleti\w+"
     r"|retreat\w+|disease\s+control\s+rate|clinical\s+benefit", re.I),
    (Needs(exact=("PR", "RFS", "DSS", "NRM", "CRi", "HLH", "AE", "DCR", "CBR", "MR")), None, r"\b(?:PRs?|RFS|DSS|NRM|CRi|HLH|AEs?|DCR|CBR|MR)\b", 0),
]
_COMPILED = [(needs, family, re.compile(pattern, flags)) for needs, family, pattern, flags in _CUES]
_OUTCOME_WORDS = Needs(folded=tuple(dict.fromkeys(w for n, f, _, _ in _CUES if f for w in n.folded)),
                       exact=tuple(dict.fromkeys(w for n, f, _, _ in _CUES if f for w in n.exact)))

_G3 = re.compile(r"(?:≥|>=|⩾)\s*grade\s*3|grades?\s*(?:≥|>=|⩾|>)\s*[23]|grades?\s*[345]\b(?!\s*(?:or"
                 r"|to|[-–/])\s*(?:lower|less|below|[12]\b))|\bsevere\b|\bserious\b|life[\s-]+threatening"
                 r"|\bfatal\b|high[\s-]+grade", re.I)
_ANY = re.compile(r"any[\s-]+grade|all[\s-]+grades?|\boverall\b", re.I)
_LOW = re.compile(r"grades?\s*[12]\s*(?:[-–/]|or|to|and)\s*2\b|grade\s*[12]\b(?!\s*(?:[-–/]|or|to|"
                  r"and)\s*[345])|low[\s-]+grade|\bmild\b", re.I)


@dataclass(frozen=True, slots=True)
class Cue:
    family: str | None
    start: int
    end: int


def may_name_outcome(sentence: Probe) -> bool:
    """False when no cue of a metric family (``Cue.family`` not None) can occur in the sentence."""
    return _OUTCOME_WORDS.met(sentence)


def find_cues(sentence: str, blocked: list[tuple[int, int]], probed: Probe | None = None) -> list[Cue]:
    """Non-overlapping cues, longest first, outside the blocked (product/trial name) spans."""
    probed = probed or probe(sentence)
    found = [Cue(family, m.start(), m.end()) for needs, family, pattern in _COMPILED if needs.met(probed)
             for m in pattern.finditer(sentence)]
    found = [c for c in found if not any(s < c.end and c.start < e for s, e in blocked)]
    chosen: list[Cue] = []
    for cue in sorted(found, key=lambda c: (-(c.end - c.start), c.start)):
        if all(cue.end <= c.start or c.end <= cue.start for c in chosen):
            chosen.append(cue)
    return sorted(chosen, key=lambda c: c.start)


def grade_class(window: str) -> str:
    """"g3", "low" or "any" for the grade wording closest to the end of ``window``."""
    best, best_end = "any", -1
    for label, pattern in (("g3", _G3), ("low", _LOW), ("any", _ANY)):
        for m in pattern.finditer(window):
            if m.end() > best_end or (m.end() == best_end and label == "g3"):
                best, best_end = label, m.end()
    return best
