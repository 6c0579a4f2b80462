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
from operator import attrgetter

from analysis.claims.literals import Alternation, Gated, split_alternatives
from analysis.claims.probe import Gates, Needs, Probe, probe

_START = attrgetter("start")  # sort key: offset of a span-like record
_ALTERNATIVES = 8  # a cue pattern of this many alternatives or more runs only those that can match (shorter ones gain nothing)


def _compiled(pattern: str, flags: int) -> re.Pattern[str] | Alternation:
    """The cue pattern; a long alternation runs as an ``Alternation`` (same matches, less time)."""
    if flags or len(split_alternatives(pattern)) < _ALTERNATIVES:
        return re.compile(pattern, flags)
    return Alternation(pattern, flags)

_RATE = r"(?:\s+(?:rates?|probabilit(?:y|ies)))?"
_RD = r"(?:minimal|measurable)\s+residual\s+disease"
_FOLDED = -1  # flags of a pattern run, case-sensitively, on the folded sentence (Probe.folded)
_B = r"(?<!\w.)"  # after a pattern's first letter: that letter started a word (a leading "\b")
_NEG = rf"[\s-]+negativ(?:e|ity)(?:\s+(?:cr|complete\s+(?:response|remission)s?|remissions?|responses?|status|disease))?{_RATE}"
# Every pattern starts with a literal character so that sre can skip to it: case-insensitive ones
# are written in lower case and run on the folded sentence (_FOLDED); an optional or alternative
# start is spelt out as alternatives in the same order; a leading "\b" before a letter is _B after it.
_CUES: list[tuple[str | None, int, Needs, str]] = [  # family, flags, literals every match holds, pattern
    ("ORR", _FOLDED, Needs(folded=("response",)),  # (?:best\s+)?(?:overall|objective)\s+response|\bresponse
     rf"best\s+(?:overall|objective)\s+response{_RATE}|overall\s+response{_RATE}|objective\s+response{_RATE}"
     rf"|r{_B}esponse(?![\s-]*(?:evaluable|assessable|adapted|criteria)){_RATE}"
     # "best overall and complete response rates": the first label of an elliptical pair
     r"|best\s+overall(?=\s+(?:and|or)\s+(?:≥\s*)?complete)|overall(?=\s+(?:and|or)\s+(?:≥\s*)?complete\s+respon)"
     r"|objective(?=\s+(?:and|or)\s+(?:≥\s*)?complete\s+respon)"),
    ("OS", _FOLDED, Needs(folded=("overall",)),  # "median overall and progression-free survival"
     r"overall(?=\s+(?:and|or)\s+(?:progression|event)[\s-]+free\s+survival)"),
    ("ORR", 0, Needs(exact=("ORR", "respon")),  # \bB?ORRs?\b|\bresponded\b|\bresponses\b|\bany\s+response
     rf"B{_B}ORRs?\b{_RATE}|O{_B}RRs?\b{_RATE}|r{_B}esponded\b|r{_B}esponses\b|a{_B}ny\s+response"),
    ("CR", _FOLDED, Needs(folded=("complete",)),
     # "complete or stringent complete response" is CR, not sCR or ORR (guide rule 3)
     rf"complete\s+(?:or|and|/)\s+stringent\s+complete\s+(?:response|remission)s?{_RATE}"
     rf"|(?:stringent|strict)\s+complete\s+response\s*/\s*complete\s+response(?:\s*\(scr\s*/\s*cr\))?"
     # "complete response (CR)/stringent CR (sCR) rate": the combined category, abbreviations and all
     rf"|complete\s+(?:response|remission)\s*(?:\(cr\)\s*)?/\s*(?:stringent|strict)\s+(?:cr|complete\s+response)(?:\s*\(scr\))?{_RATE}"
     rf"|complete\s+(?:metabolic\s+|renal\s+|clinical\s+)?(?:response|remission)s?{_RATE}(?:\s+or\s+better)?"),
    ("CR", 0, Needs(exact=("CR",)),  # (?:≥\s*)?\bCR\s*/\s*sCR\b|\bsCR\s*/\s*CR\b|\bCRR\b|(?:≥|>=)\s*CR\b|\bCRs?\b
     rf"≥\s*\bCR\s*/\s*sCR\b{_RATE}|C{_B}R\s*/\s*sCR\b{_RATE}|s{_B}CR\s*/\s*CR\b{_RATE}|C{_B}RR\b|≥\s*CR\b"
     rf"|>=\s*CR\b|C{_B}Rs?\b(?:\s+or\s+better)?{_RATE}"),
    ("sCR", 0, Needs(exact=("stringent", "sCR", "strict")),
     rf"(?:stringent|strict)\s+(?:complete\s+response|CR)s?{_RATE}|s{_B}CRs?\b{_RATE}"),
    ("sCR", _FOLDED, Needs(folded=("stringent", "strict")),
     rf"(?:stringent|strict)\s+(?:complete\s+responses?|cr\b){_RATE}"),
    ("VGPR", _FOLDED, Needs(folded=("partial",)),
     rf"very\s+good\s+partial\s+responses?(?:\s+or\s+better)?{_RATE}"),
    ("VGPR", 0, Needs(exact=("VGPR",)),  # (?:≥\s*)?\bVGPR\b(?:\s+or\s+better)?
     rf"≥\s*\bVGPR\b(?:\s+or\s+better)?{_RATE}|V{_B}GPR\b(?:\s+or\s+better)?{_RATE}"),
    ("MRD_NEG", _FOLDED, Needs(folded=("mrd", "residual", "detectable")),  # (?:MRD|_RD)[\s-]+negativ...
     rf"mrd{_NEG}|minimal\s+residual\s+disease(?:\s*\(mrd\))?{_NEG}|measurable\s+residual\s+disease(?:\s*\(mrd\))?{_NEG}"
     rf"|mrd\s+(?:was|were|remained|became|is)\s+undetectable"
     rf"|undetectable\s+(?:mrd|{_RD})|(?:no|without)\s+detectable\s+(?:mrd|{_RD})|negative\s+for\s+mrd"
     # "in a deep remission without detectable minimal residual disease": MRD negativity, not remission
     rf"|(?:(?:deep|complete)\s+)?remission\s+(?:without|with\s+no)\s+detectable\s+(?:mrd|{_RD})"
     # "a complete remission with undetectable MRD": the MRD-negative remission (as "MRD-negative CR")
     rf"|complete\s+(?:remission|response)\s+with\s+(?:undetectable|negative)\s+(?:mrd|{_RD})"),
    # "a 100% negative measurable residual disease rate": the adjective before the noun
    ("MRD_NEG", _FOLDED, Needs(folded=("negative",)),
     rf"negative\s+(?:mrd\b|(?:minimal|measurable)\s+residual\s+disease)(?:\s*\(mrd\))?{_RATE}"),
    # "69% of MRD-evaluable patients achieved negativity": in this field a bare negativity is MRD's
    ("MRD_NEG", _FOLDED, Needs(folded=("negativity",)),
     r"(?:achiev|attain|reach)\w*\s+negativity\b"),
    ("MRD_NEG", 0, Needs(exact=("uMRD",)),
     rf"u{_B}MRD\b"),
    ("REMISSION_RATE", _FOLDED, Needs(folded=("remission",)),
     rf"overall\s+(?:complete\s+)?remission{_RATE}|doris\s+(?:complete\s+)?remission"
     rf"|remisi[oó]n\s+(?:seg[uú]n\s+)?(?:los\s+)?criterios\s+doris"
     rf"|drug[\s-]+free\s+remission|r{_B}emissions?\b{_RATE}|i{_B}n\s+remission"),
    # "complete remission (CR)/CR with incomplete hematologic recovery (CRi)", "complete response (CR)
    # or a CR with incomplete blood count recovery": the composite, not CR (guide rule 4)
    ("REMISSION_RATE", _FOLDED, Needs(folded=("incomplete",)),
     r"(?:complete\s+(?:response|remission)(?:\s*/\s*(?:response|remission))?|cr)\s*(?:\(cr\)\s*)?(?:/|or|and|\+|plus)\s*(?:an?\s+)?(?:cr|complete\s+"
     r"(?:response|remission))\s+with\s+incomplete\s+(?:[\w-]+\s+){0,3}recovery(?:\s*\(cri\))?"+_RATE),
    # "OCR rate=56%": the overall complete remission (CR + CRi) rate of a label's abbreviation
    ("REMISSION_RATE", 0, Needs(exact=("OCR",)), rf"O{_B}CR\s+rates?\b"),
    ("REMISSION_RATE", 0, Needs(exact=("CRi",)),
     rf"C{_B}R\s*(?:/|\+|or|and)\s*CRi\b{_RATE}"),
    ("REMISSION_RATE", _FOLDED, Needs(folded=("remission",)),
     r"complete\s+remission\s+(?:or|and|\+|/)\s+complete\s+remission\s+with\s+"
     r"incomplete\s+(?:\w+\s+){0,2}recovery"),
    ("DOR", _FOLDED, Needs(folded=("duration",)),  # (?:median\s+)?duration\s+of\s+...|(?:median\s+)?response...
     r"median\s+duration[\s-]+of[\s-]+(?:(?:complete\s+)?response|remission|cr\b)"
     r"|duration[\s-]+of[\s-]+(?:(?:complete\s+)?response|remission|cr\b)|median\s+(?:response|remission)\s+duration"
     r"|(?:response|remission)\s+duration"),
    ("DOR", 0, Needs(exact=("DOR", "DoR")),
     rf"D{_B}[Oo]Rs?\b"),
    ("PFS", _FOLDED, Needs(folded=("progression",)),  # ...|(?:alive\s+and\s+)?(?:free\s+of...|progression-free)|...
     rf"progression[\s-]+free\s+survival{_RATE}|alive\s+and\s+(?:free\s+(?:of|from)\s+(?:disease\s+)?progression"
     r"|progression[\s-]+free)|free\s+(?:of|from)\s+(?:disease\s+)?progression|progression[\s-]+free"
     r"|without\s+(?:disease\s+)?progression"),
    # news in lay words: "lived without their cancer getting worse", "before the disease progressed"
    ("PFS", _FOLDED, Needs(folded=("without", "before")),
     r"without\s+(?:their|the|his|her|its)\s+(?:cancer|disease|lymphoma|myeloma|leuk(?:a)?emia)\s+"
     r"(?:getting\s+worse|worsening|progressing|growing|returning|coming\s+back)"
     r"|before\s+(?:their|the|his|her)\s+(?:cancer|disease|lymphoma|myeloma|leuk(?:a)?emia)\s+(?:got\s+worse|progressed|worsened)"),
    ("PFS", 0, Needs(exact=("PFS",)),  # "mPFS" (median PFS), "pPFS" (PFS probability)
     rf"P{_B}FS\b{_RATE}|m{_B}PFS\b|p{_B}PFS\b"),
    ("EFS", _FOLDED, Needs(folded=("event",)),  # ...|(?:alive\s+)?without\s+an?\s+event|...
     rf"event[\s-]+free\s+survival{_RATE}|alive\s+without\s+an?\s+event|without\s+an?\s+event|event[\s-]+free"
     r"|free\s+of\s+(?:an?\s+)?event"),
    ("EFS", 0, Needs(exact=("EFS",)),
     rf"E{_B}FS\b{_RATE}|m{_B}EFS\b|p{_B}EFS\b"),
    ("OS", _FOLDED, Needs(folded=("surviv", "alive")),  # ...|(?:still\s+)?\balive\b|...|\bsurvived\b|\bsurvival\b
     # "alive without their cancer progressing", "alive and free of progression" are PFS, not OS
     rf"overall\s+survival{_RATE}|still\s+\balive\b(?!\s+(?:and\s+)?(?:without|free))"
     # "alive with no new anticancer therapy" is a treatment-free share, not survival
     rf"|a{_B}live\b(?!\s+(?:and\s+)?(?:without|free|with\s+no\b))|survival\s+(?:rate|probability)"
     rf"|probability\s+of\s+survival|s{_B}urvived\b|s{_B}urvival\b"),
    ("OS", _FOLDED, Needs(folded=("lived",)),  # "patients lived a median of 25.8 months"
     r"lived\s+(?:for\s+)?(?:a\s+)?median(?![^.;,]{0,40}\b(?:without|free))"),
    ("OS", 0, Needs(exact=("OS",)),
     rf"O{_B}S\b{_RATE}|m{_B}OS\b|p{_B}OS\b"),
    ("FOLLOWUP", _FOLDED, Needs(folded=("median",)),
     # "median follow-up for survival of 29.3 months": the follow-up of the survival analysis
     r"median\s+(?:of\s+)?(?:on[\s-]+study\s+|study\s+|duration\s+of\s+|overall\s+|potential\s+)?follow[\s-]*up"
     # "Median follow-up time (reverse KM approach) for OS was 42.4 months"
     r"(?:\s+time)?(?:\s*\([^()]{1,40}\))?"
     r"(?:\s+(?:for|of)\s+(?:overall\s+|progression[\s-]+free\s+)?(?:survival|os|pfs)\b)?"
     r"|followed\s+(?:up\s+)?for\s+a\s+median(?:\s+of)?"
     # "At nearly three years of follow-up (median 35.6 months)"
     r"|(?<=up\s\()median(?:\s+of)?|(?<=up\()median(?:\s+of)?"
     # "at a median 4-year follow-up": the duration inside the label
     r"|median(?=\s+(?:\d[\d.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty[\s-]+four)"
     r"[\s-]+(?:months?|years?|mo|yr)[\s-]+(?:of\s+)?follow[\s-]*up)"
     r"|at\s+a\s+median\s+of(?=\s+\S+\s+(?:months?|years?)\s+(?:after|post|following))"
     # "after a median of 12.7 months of follow-up", "a median 18 months' follow-up", "a median of 18 months follow-up"
     r"|a\s+median(?:\s+of)?(?=\s+[\d.·]+\s*(?:months?|mos?\.?|years?)['’]?\s+(?:of\s+)?follow[\s-]*up)"),
    ("FOLLOWUP", 0, Needs(exact=("MFU",)),
     rf"M{_B}FU\b"),
    ("CRS", _FOLDED, Needs(folded=("cytokine",)),
     r"cytokine[\s-]+release[\s-]+syndrome"),
    ("CRS", 0, Needs(exact=("CRS",)),
     rf"C{_B}RS\b"),
    ("ICANS", _FOLDED, Needs(folded=("immune", "neuro")),
     r"immune[\s\-–‐]+effector[\s\-–‐]+cell[\s\-–‐]+associated\s+neuro(?:toxicity|logic(?:al)?)(?:\s+syndrome)?"
     r"|neurologic(?:al)?\s+(?:events?|toxicit(?:y|ies)|adverse\s+events?|toxic\s+(?:effects?|events?)"
     r"|side\s+effects?|complications?|problems)"
     # "delayed neurotoxicity" (movement and nerve-palsy events) is not ICANS (guide rule 19)
     r"|(?<!delayed\s)(?<!late\s)(?<!non-icans\s)neurotoxicit(?:y|ies)"
     r"|neurotoxic\s+(?:side\s+)?(?:effects?|events?)"
     # tables abbreviate: "Neurotox ≥ G3", "neurotox."
     r"|(?<!delayed\s)(?<!late\s)neurotox\b\.?"),
    ("ICANS", 0, Needs(exact=("ICANS", "NEs")),  # "CRS and NEs of any grade": neurologic events
     rf"I{_B}CANS\b|N{_B}Es\b"),
    # Spanish-language reporting: the same metrics in the words of Spanish and Latin American outlets
    ("ORR", _FOLDED, Needs(folded=("respondi",)), r"respondi(?:eron|[oó])\b"),
    ("ORR", _FOLDED, Needs(folded=("respuesta",)),
     r"tasa\s+de\s+respuesta(?:\s+(?:global|general|objetiva|total))?|respuestas?\s+(?:global(?:es)?|objetivas?)"),
    # "negatividad de EMR" (enfermedad mínima residual), "EMR negativa"
    ("MRD_NEG", _FOLDED, Needs(folded=("emr", "residual")),
     r"negatividad\s+(?:de\s+(?:la\s+)?)?(?:emr\b|enfermedad\s+m[ií]nima\s+residual)|emr\s+negativ[ao]s?"
     r"|enfermedad\s+m[ií]nima\s+residual\s+(?:\(emr\)\s+)?negativ[ao]s?"
     # "remisión completa con enfermedad residual mínima indetectable", "con EMR negativa"
     r"|remisi[oó]n\s+completa\s+con\s+(?:enfermedad\s+(?:m[ií]nima\s+residual|residual\s+m[ií]nima)|emr)\s+(?:\(emr\)\s+)?"
     r"(?:indetectable|negativa)"
     r"|enfermedad\s+residual\s+m[ií]nima\s+(?:\(emr\)\s+)?(?:indetectable|negativa)"),
    ("CR", _FOLDED, Needs(folded=("complet",)), r"(?:respuesta|remisi[oó]n)(?:es)?\s+complet[ao]s?"),
    # terse lists: "98% response, 78% complete, median PFS 34.9 months"
    ("CR", _FOLDED, Needs(folded=("% complete",)), r"(?<=%\s)complete\b(?=\s*[,;.)]|\s+(?:and|or)\b)"),
    # news in lay words: "saw their cancer disappear completely", "their myeloma vanished entirely"
    ("CR", _FOLDED, Needs(folded=("disappear", "vanish")),
     r"(?:cancer|disease|myeloma|lymphoma|leuk(?:a)?emia|tumou?rs?)\s+(?:had\s+|has\s+)?(?:disappear|vanish)\w*"
     r"\s+(?:completely|entirely|altogether)"),
    # "92 percent had no evidence of cancer a month after treatment": a complete remission in lay words
    ("CR", _FOLDED, Needs(folded=("no evidence of", "no sign of", "no signs of", "no trace of", "no detectable")),
     r"no\s+(?:evidence|signs?|trace|detectable\s+(?:signs?\s+of\s+)?)\s*(?:of\s+)?(?:their\s+|the\s+|any\s+)?"
     r"(?:cancer|disease|leuk(?:a)?emia|lymphoma|myeloma|tumou?rs?)\b"),
    ("sCR", _FOLDED, Needs(folded=("estricta", "rigurosa")), r"respuesta\s+completa\s+(?:estricta|rigurosa)"),
    ("CR", _FOLDED, Needs(folded=("estricta",)),
     r"respuesta\s+completa\s+estricta\s+o\s+(?:una\s+)?(?:respuesta\s+)?completa"),
    ("REMISSION_RATE", _FOLDED, Needs(folded=("incompleta",)),
     # "remisión completa o (remisión) completa con recuperación hematológica incompleta"
     r"remisi[oó]n\s+completa\s+o\s+(?:la\s+|una\s+)?(?:remisi[oó]n\s+)?completa\s+con\s+recuperaci[oó]n\s+(?:\w+\s+)?incompleta"),
    # "mantener sin progresión al 80%", "(SLP)": progression-free in other Spanish words
    ("PFS", _FOLDED, Needs(folded=("progresi",)), r"supervivencia\s+libre\s+de\s+progresi[oó]n|sin\s+progresi[oó]n"
     r"|libres?\s+de\s+progresi[oó]n"),
    ("PFS", 0, Needs(exact=("SLP",)), rf"S{_B}LP\b"),
    ("EFS", _FOLDED, Needs(folded=("eventos",)), r"supervivencia\s+libre\s+de\s+eventos"),
    ("OS", _FOLDED, Needs(folded=("supervivencia",)), r"supervivencia\s+(?:global|general)|supervivencia\b"),
    ("DOR", _FOLDED, Needs(folded=("duraci",)), r"duraci[oó]n\s+(?:mediana\s+)?de\s+(?:la\s+)?respuesta"),
    ("FOLLOWUP", _FOLDED, Needs(folded=("seguimiento",)), r"mediana\s+de\s+seguimiento|seguimiento\s+mediano"),
    ("CRS", _FOLDED, Needs(folded=("citoc", "citoq")), r"s[ií]ndrome\s+de\s+liberaci[oó]n\s+de\s+cito(?:c|k|qu)inas"),
    ("ICANS", _FOLDED, Needs(folded=("neurotox",)), r"neurotoxicidad(?:es)?"),
    ("REMISSION_RATE", _FOLDED, Needs(folded=("remisi",)), r"remisi[oó]n(?:es)?(?!\s+complet)"),
    # Neighbour words (no metric family).
    (None, _FOLDED, Needs(folded=(
        "partial", "complete", "survival", "mortality", "time", "respon", "success", "turnaround", "vein",
        "manufactur", "refractory", "triple", "exposed", "prior", "age", "hazard", "risk", "share", "stock",
        "revenue", "sales", "price", "infection", "neutropenia", "thrombocytopenia", "emia", "cytopenia",
        "hypogammaglobulin", "parkinsonism", "cranial", "guillain", "death", "died", "aplasia", "persistence",
        "tocilizumab", "steroids", "bridging", "hospitali", "intensive", "adverse", "second", "malignanc",
        "male", "men", "extramedullary", "cytogenetic", "relapse", "progressed", "discontinu", "lymphodepleti",
        "retreat", "control", "benefit", "remission", "ongoing", "nonrespon", "non-respon", "continuous",
        "pyrexia", "fever", "hypotension", "hypoxia", "headache", "fatigue", "nausea", "diarrh", "tremor", "aphasia",
        "encephalopathy", "hlh", "macrophage", "lysis", "near", "beginning", "began", "starting", "onset",
        "crossover", "cross-over", "crossing over", "crossed over", "and/or", "never", "stable", "progressive", "best", "ongoing", "sustained", "maintain",
        "delayed", "movement", "non-icans", "eligib", "maintained", "durable", "remained in", "still in", "stayed in",
        "remain in", "continued in", "remaining in", "major clinical", "underwent", "outpatient", "out-patient", "infecci", "alisis", "álisis", "mortalidad")),
     r"partial\s+(?:response|remission)s?|complete\s+remission\s+with\s+incomplete\s+(?:\w+\s+)"
     r"{0,2}recovery|relapse[\s-]+free\s+survival|leuk(?:a)?emia[\s-]+free\s+survival"
     r"|disease[\s-]+specific(?:[\s-]+free)?\s+survival|metastasis[\s-]+free\s+survival"
     r"|non[\s-]+relapse\s+mortality|time\s+to\s+(?:first\s+|best\s+|complete\s+)?(?:response|remission)"
     r"|still\s+(?:in\s+)?respon(?:ding|se)|remained?\s+(?:in\s+)?respon(?:ding|se)"
     r"|remaining\s+(?:in\s+)?respon(?:ding|se)|continued\s+(?:in\s+)?respon(?:ding|se)|success\s+rate"
     # ongoing remission shares are like duration-of-response rates: never a claim (rule 16)
     r"|(?:still|remained?|remaining|continued|stayed|sustained)\s+(?:in\s+)?(?:(?:a|an|complete|deep|ongoing)\s+)*remission"
     # "21 of 24 (87.5%) remained in CR", "stayed in complete response": ongoing, like the above
     r"|(?:still|remained?|remaining|continued|stayed|were\s+still)\s+in\s+(?:a\s+)?(?:cr|scr|complete\s+(?:response|remission))\b"
     r"|continued\s+remission|ongoing\s+(?:remission|response)s?|non-?remission|non-?respon\w+"
     # "83% maintained a clinically meaningful response through month 12": an ongoing share (rule 16)
     r"|maintain(?:ed|ing|s)?\s+(?:an?\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?:response|remission)s?"
     r"|continuous\s+response|remained\s+in\s+response|near\s+cr\b|near[\s-]+complete\s+response"
     # baseline history: "44% had never achieved a complete response with previous treatment"
     r"|never\s+(?:achieved|had|reached|attained)\s+(?:an?\s+)?(?:complete\s+)?(?:response|remission)"
     # other response categories and durations of response (rule 16)
     r"|stable\s+disease|progressive\s+disease|best\s+response"
     r"|(?:responses?|remissions?)(?:\s+to\s+\S+)?\s+(?:were|was|remained)\s+ongoing"
     r"|(?:sustained|maintain(?:ed|ing)?|sustaining|durable)\s+(?:(?:their|the|an?)\s+)?"
     r"(?:mrd|minimal\s+residual\s+disease|measurable\s+residual\s+disease)(?:\s*\(mrd\))?[\s-]+negativ\w+"
     # "sustained MRD-negative >=CR of at least 12 months": the CR names whose sustained negativity it is
     r"(?:\s*(?:≥|>=)\s*(?:cr|complete\s+response))?"
     # onset timing, crossover and combined safety figures are not the metric next to them
     r"|(?:beginning|began|starting|onset)\s+(?:on|by|after)\s+day|crossover|cross-over|cross(?:ing|ed|es)?\s+over"
     # "CRS onset within 24 hours", "time to ICANS onset": timing, not incidence
     r"|(?:crs|icans|cytokine[\s-]+release[\s-]+syndrome|neurotoxicity)\s+onset|(?:time\s+to\s+)?onset\s+of\s+(?:crs|icans|cytokine[\s-]+release"
     r"[\s-]+syndrome|neurotoxicity)"
     # "MRD-negative status was sustained for >=12 months in 40%": a duration of MRD negativity (rule 16)
     r"|(?:mrd|minimal\s+residual\s+disease|measurable\s+residual\s+disease)[\s-]+negativ\w*(?:\s+(?:status|state|disease))?"
     r"\s+(?:was\s+|were\s+|is\s+|remained\s+)?(?:sustained|maintained|durable)"
     r"|crs\s+and/or\s+(?:nes?|icans|neuro\w+)"
     # other adverse events, so that their shares do not fall to a CRS or ICANS label nearby
     r"|pyrexia|fever|hypotension|hypoxia|headache|fatigue|nausea|diarrh(?:o)?ea|tremor|aphasia|encephalopathy"
     r"|hlh|macrophage\s+activation|tumou?r\s+lysis|hypogammaglobulin\w*"
     # "43% would not have been eligible for ZUMA-1": an eligibility share, not an outcome
     r"|(?:in)?eligib(?:le|ility)"
     # neurotoxicity other than ICANS (guide rule 19): its share is not ICANS's
     r"|(?:delayed|late|non-icans)\s+neuro\w+|movement\s+(?:and\s+neurocognitive\s+)?(?:disorders?|toxicit\w+)"
     rf"|turnaround|vein[\s-]+to[\s-]+vein|manufactur\w*|refractory|triple[\s-]+class|e{_B}xposed\b"
     rf"|p{_B}rior\s+lines?|a{_B}ged?\b|hazard|r(?<![\w-].)isk\b|s{_B}hares?\b|s{_B}tock\b|r{_B}evenue|s{_B}ales\b"
     rf"|p{_B}rice|infections?|neutropenia|thrombocytopenia|an(?:a)?emia|cytopenias?"
     rf"|hypogammaglobulin(?:a)?emia|parkinsonism|cranial\s+nerve|guillain|d{_B}eaths?\b|d{_B}ied\b"
     rf"|m{_B}ortality\b|b[\s-]+cell\s+aplasia|persistence|tocilizumab|corticosteroids|steroids|bridging"
     r"|hospitali[sz]\w+|out[\s-]?patients?(?:\s+setting)?|intensive\s+care"
     # Spanish: infections, cranial nerve palsies, parkinsonism, mortality are no metric's figures
     r"|infecci[oó]n(?:es)?|par[aá]lisis|parkinsonismo|mortalidad|adverse\s+events?|second\s+primary|malignanc\w+"
     rf"|m{_B}ale\b|f{_B}emale\b|m{_B}en\b|w{_B}omen\b|high[\s-]+risk"
     r"|extramedullary|cytogenetic\w*|progressed\b|discontinu\w+|lymphodepleti\w+"
     # "13 patients had relapsed" is an event; "relapsed leukemia" / "relapsed or refractory" name the disease
     r"|relapsed?\b(?!\s*(?:/|or|and|,)?\s*(?:refractory|r/r|leuk|lymph|myeloma|disease|all\b|b-all|lbcl|dlbcl|mm\b"
     r"|cll\b|fl\b|mcl\b|aggressive|b[\s-]cell|multiple|acute|large|follicular|mantle|cancer|blood))"
     r"|(?<![a-z])retreat\w+|disease\s+control\s+rate|clinical\s+benefit"
     # "an ACR-EULAR major clinical response" in myositis: a disease-activity criterion, not ORR
     r"|major\s+clinical\s+response"
     # "18% of responders underwent SCT during MRD-negative remission": a share transplanted, not an outcome
     r"|underwent\s+(?:an?\s+)?(?:(?:allogeneic|autologous|consolidative|subsequent)\s+)*(?:stem[\s-]+cell\s+transplant\w*"
     r"|allo-?sct\b|a?sct\b|hsct\b|hct\b|transplant\w*)"),
    (None, 0, Needs(exact=("PR", "RFS", "DSS", "NRM", "CRi", "HLH", "AE", "DCR", "CBR", "MR")),
     rf"P{_B}Rs?\b|R{_B}FS\b|D{_B}SS\b|N{_B}RM\b|C{_B}Ri\b|H{_B}LH\b|A{_B}Es?\b|D{_B}CR\b|C{_B}BR\b|M{_B}R\b"),
    # "Responses to cilta-cel were ongoing at 12 months in 85%": the product's name (a blocked span)
    # splits "responses ... were ongoing" above, so the verb stands on its own
    (None, _FOLDED, Needs(folded=("ongoing",)), r"(?:were|was|remained)\s+ongoing"),
    # "PD: 20% & SD: 10%": progressive and stable disease (and a standard deviation) are no metric's figures
    (None, 0, Needs(exact=("PD", "SD")), rf"P{_B}D\b(?=\s*[:(]|\s+\d)|S{_B}D\b(?=\s*[:(]|\s+\d)"),
]
_COMPILED = [(needs, family, _compiled(pattern, max(flags, 0)), flags == _FOLDED)
             for family, flags, needs, pattern in _CUES]
_GATES = Gates([needs for needs, *_ in _COMPILED])
_OUTCOME_WORDS = Needs(folded=tuple(dict.fromkeys(w for f, _, n, _ in _CUES if f for w in n.folded)),
                       exact=tuple(dict.fromkeys(w for f, _, n, _ in _CUES if f for w in n.exact)))

_G3 = re.compile(r"grados?\s*(?:≥|>=)?\s*[345]\b(?!\s*o\s+(?:inferior|menor))|grado\s*3\s*o\s*superior|\bG\s*(?:≥|>=|⩾)\s*3|\bG[345]\b|(?:≥|>=|⩾)\s*grade\s*3|grades?\s+(?:three|four|five)\b(?!\s+or\s+lower)"
                 r"|grades?\s+(?:greater|higher)\s+than\s+or\s+equal\s+to\s+(?:3|three)|grades?\s*(?:≥|>=|⩾|>)\s*[23]|grade[sd]?\s*[345]\b(?!\s*(?:or"
                 r"|to|[-–/])\s*(?:lower|less|below|[12]\b))|\bsevere\b|\bserious\b|\bgraves?\b|life[\s-]+threatening"
                 r"|\bfatal\b|high[\s-]+grade", re.I)
_ANY = Gated(re.compile(r"any[\s-]+grade|all[\s-]+grades?|\boverall\b", re.I))
_LOW = Gated(re.compile(r"grados?\s*[12]\s*(?:o|y|-)\s*2\b|\bG[12]\b|grades?\s*[12]\s*(?:[-–/]|or|to|and)\s*2\b|grade\s*[12]\b(?!\s*(?:[-–/]|or|to|"
                  r"and)\s*[345])|(?<!mostly\s)(?<!largely\s)(?<!mainly\s)(?<!predominantly\s)low[\s-]+grade|\bmild\b", re.I))


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
    found = [Cue(family, m.start(), m.end()) for (_, family, pattern, folded), run in zip(_COMPILED, _GATES.open(probed))
             if run for m in pattern.finditer(probed.folded if folded else sentence)]
    if blocked:
        found = [c for c in found if _outside(c, blocked)]
    chosen: list[Cue] = []
    for cue in sorted(found, key=lambda c: (-(c.end - c.start), c.start)):
        for c in chosen:
            if cue.start < c.end and c.start < cue.end:
                break
        else:
            chosen.append(cue)
    return _with_definitions(_with_abbreviations(sorted(chosen, key=_START), sentence), sentence)


_DEFINITION = re.compile(r"\s*\(([^()]{1,80})\)")
_PARTIAL = re.compile(r"\bPR\b|partial|\+", re.I)


def _with_definitions(cues: list[Cue], sentence: str) -> list[Cue]:
    """"ORR (CR or PR): 53%", "ORR (CR or CR with incomplete hematologic recovery) ... 82%": a
    response label's bracketed definition is part of it; a CR-or-CRi definition makes it a remission
    rate (guide rule 4), a PR-or-better one keeps it an ORR."""
    out: list[Cue] = []
    skip_until = -1
    for i, cue in enumerate(cues):
        if cue.start < skip_until:
            continue
        m = _DEFINITION.match(sentence, cue.end) if cue.family == "ORR" else None
        if m is None or any(ch.isdigit() for ch in m.group(1)):  # "(CR; 81%)" holds a value, not a definition
            out.append(cue)
            continue
        inside = [c for c in cues[i + 1 :] if m.start(1) <= c.start < m.end(1)]
        family = "ORR" if _PARTIAL.search(m.group(1)) else next(
            (c.family for c in inside if c.family == "REMISSION_RATE"), "ORR")
        out.append(Cue(family, cue.start, m.end()))
        skip_until = m.end()
    return out


def _with_abbreviations(cues: list[Cue], sentence: str) -> list[Cue]:
    """"overall response rate (ORR)", "complete response [CR]": a label and the abbreviation it
    defines are one label, so lists and the words before a value see one label, not two."""
    out: list[Cue] = []
    for cue in cues:
        prev = out[-1] if out else None
        closing = sentence[cue.end : cue.end + 1]
        if (prev is not None and (prev.family == cue.family or (cue.family is None and prev.family is not None))
                and sentence[prev.end : cue.start].strip() in ("(", "[") and closing in (")", "]", ";", ",")):
            out[-1] = Cue(prev.family, prev.start, cue.end + (closing in ")]"))
        else:
            out.append(cue)
    return out


def _outside(cue: Cue, spans: list[tuple[int, int]]) -> bool:
    for start, end in spans:
        if start < cue.end and cue.start < end:
            return False
    return True




def stated_grade(window: str) -> str | None:
    """"g3", "low" or "any" for the grade wording closest to the end of ``window``; None when it
    states no grade at all."""
    best, best_end = None, -1
    for label, pattern in (("g3", _G3), ("low", _LOW), ("any", _ANY)):
        for m in pattern.finditer(window):
            if m.end() > best_end or (m.end() == best_end and label == "g3"):
                best, best_end = label, m.end()
    return best
