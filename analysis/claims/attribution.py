"""Who a figure belongs to: therapy, trial and indication, looked up sentence → paragraph → text.

``Context`` is computed once per text. A sentence's own mentions win (nearest before the figure,
else nearest after); then earlier sentences of the same paragraph (CLAIMS-GUIDE rule 11: later
sentences inherit the therapy); then the whole text when it names exactly one product. A trial
named without its product (e.g. "In ZUMA-7, ...") also names the product. Academic anti-CD19
CAR T is used only when the text names no product but uses a CD19 CAR T class phrase.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter

from analysis.claims.literals import Alternation, edges_after_letters
from analysis.claims.probe import Gates, Needs, on_folded, probe
from analysis.therapies import Names, find_therapies, find_trials

_START = attrgetter("start")  # sort key: offset of a span-like record


# Academic products with no INN are named by their target (guide rule 11): "CD19-directed CAR T",
# "GD2-CART01", "anti-BCMA CAR T cells". Used only when the text names no product.
_TARGET_WORDS = {"CD19": "CD19", "GD2": "GD2",
                 "BCMA": r"(?:BCMA|B[\s-]*cell\s+maturation\s+antigen(?:\s*\(BCMA\))?)",
                 # other targets of academic constructs, named the same way ("CD7 CAR-T", "GPRC5D-targeted CAR T")
                 "CD22": "CD22", "CD20": "CD20", "CD7": "CD7", "CD30": "CD30", "CD5": "CD5", "CD70": "CD70",
                 "CD33": "CD33", "CD123": "CD123", "CD38": "CD38", "GPRC5D": "GPRC5D", "HER2": "HER2", "EGFR": "EGFR",
                 "B7-H3": r"B7[\s-]?H3", "Claudin18.2": r"(?:claudin[\s-]?18\.2|CLDN18\.2)", "mesothelin": "mesothelin"}
_CLASSES = [(f"anti-{target} CAR T (academic)",
             re.compile(rf"(?:anti-?\s*)?{words}(?:[\s-]+(?:directed|targeted|targeting|specific|redirected))?[\s-]*"
                        rf"(?:CAR|chimeric\s+antigen\s+receptor(?:\s*\(CAR\))?)[\s-]*(?:modified\s+|engineered\s+)?T"
                        rf"(?:\b|\d|[\s-]*cells?)"
                        # "chimeric antigen receptor-modified T (CAR-T) cells targeting CD19"
                        rf"|CAR[\s-]*T\)?\s+cells?\s+(?:targeting|directed\s+(?:at|against|to)|against|specific\s+for)"
                        rf"\s+(?:the\s+)?{words}|CAR[\s-]*T\s+anti-?\s*{words}\b"
                        # "a second-generation anti-BCMA CAR with a 4-1BB domain"
                        rf"|anti-?\s*{words}\s+CARs?\b"
                        # "CAR-BCMA T cells", "CART-BCMA": the target after CAR
                        rf"|\bCAR[\s-]*T?[\s-]*{words}(?:\s+T(?:[\s-]*cells?)?)?\b"
                        # "T cells engineered with a CD19-specific chimeric antigen receptor"
                        rf"|T\s+cells\s+(?:engineered|modified|transduced|redirected)\s+(?:with|to\s+express)\s+(?:an?\s+)?"
                        rf"{words}[\s-]+(?:directed|targeted|targeting|specific)?\s*(?:CAR|chimeric\s+antigen\s+receptor)"
                        # academic CD19 constructs named by their design: "19-28z", "1928z", "19-BBz"
                        + (r"|\b19[-–]?(?:28|BB)z\b(?:\s+CAR)?" if target == "CD19" else ""), re.I),
             # what every match holds, upper-cased: the regex runs only on texts that have one
             (target, "28Z", "BBZ") if target == "CD19" else (target, "MATURATION") if target == "BCMA"
             else ("B7", ) if target == "B7-H3" else ("CLAUDIN", "CLDN") if target == "Claudin18.2"
             else (target.upper(),))
            for target, words in _TARGET_WORDS.items()]
# (label, needs, pattern, on folded text): the ignore-case ones run on the folded text (``probe.on_folded``)
_INDICATIONS = [(label, needs, edges_after_letters(on_folded(re.compile(pattern, flags)) if flags & re.I
                                                  else re.compile(pattern)),
                 bool(flags & re.I)) for label, needs, pattern, flags in [
    ("multiple myeloma", Needs(folded=("myeloma",)), r"\bmultiple\s+myeloma|\bmyeloma\b", re.I),
    ("multiple myeloma", Needs(exact=("RRMM", "NDMM")), r"\bRRMM\b|\bNDMM\b", 0),
    ("LBCL", Needs(folded=("lymphoma",)), r"large\s+B[\s-]+cell\s+lymphoma", re.I),
    ("LBCL", Needs(exact=("LBCL",)), r"\b(?:LBCL|DLBCL)\b", 0),
    ("FL", Needs(folded=("follicular",)), r"follicular\s+lymphoma", re.I),
    ("MCL", Needs(folded=("mantle",)), r"mantle[\s-]+cell\s+lymphoma", re.I),
    ("MZL", Needs(folded=("marginal",)), r"marginal[\s-]+zone\s+lymphoma", re.I),
    ("MCL", Needs(exact=("MCL",)), r"\bMCL\b", 0),
    ("MZL", Needs(exact=("MZL",)), r"\bMZL\b", 0),
    ("B-ALL", Needs(folded=("lymphoblastic",)), r"acute\s+lymphoblastic\s+leuk(?:a)?emia", re.I),
    ("B-ALL", Needs(exact=("ALL",)), r"\bB-ALL\b|\bALL\b(?=\s+(?:patients|trial|cohort))", 0),
    ("CLL/SLL", Needs(folded=("lymphocytic",)), r"chronic\s+lymphocytic\s+leuk(?:a)?emia", re.I),
    ("CLL/SLL", Needs(exact=("CLL", "SLL")), r"\b(?:CLL|SLL)\b", 0),
    ("lupus nephritis", Needs(folded=("nephritis",)), r"lupus\s+nephritis", re.I),
    ("SLE", Needs(folded=("lupus",)), r"systemic\s+lupus\s+erythematosus|\blupus\b", re.I),
    ("SLE", Needs(exact=("SLE",)), r"\bSLE\b", 0),
    ("myasthenia gravis", Needs(folded=("myasthenia",)), r"myasthenia\s+gravis", re.I),
    ("myositis", Needs(folded=("myositis",)), r"myositis", re.I),
    ("systemic sclerosis", Needs(folded=("sclerosis",)), r"systemic\s+sclerosis", re.I),
    ("systemic sclerosis", Needs(exact=("SSc",)), r"\bSSc\b", 0),
    ("gastric cancer", Needs(folded=("gastr",)), r"gastric|gastro-?o?esophageal\s+junction", re.I),
    ("B-cell lymphoma", Needs(folded=("lymphoma",)), r"\bB[\s-]+cell\s+(?:non-Hodgkin\s+)?lymphomas?\b", re.I),
]]

_GATES = Gates([needs for _, needs, *_ in _INDICATIONS])
_FUTURE_AFTER = re.compile(r"(?:\s+(?:phase\s+\w+\s+)?(?:study|trial))?\s*,?\s*(?:which\s+|that\s+)?(?:is|are|will\s+be|has\s+begun)\s+"
                           r"(?:now\s+|currently\s+|still\s+)?(?:enrolling|recruiting|planned|being\s+planned|expected\s+to\s+"
                           r"(?:start|begin|open|read\s+out)|set\s+to\s+(?:start|begin)|due\s+to\s+(?:start|begin)|open\s+for\s+enrollment"
                           r"|enrolling|comparing)", re.I)
_FUTURE_BEFORE = re.compile(r"\b(?:planned|upcoming|forthcoming|future|will\s+(?:start|begin|launch|initiate|open)(?:\s+the)?)"
                            r"\s+(?:(?:phase\s+\w+|pivotal|registrational|confirmatory)\s+)*$", re.I)
# a cohort measured against a trial's entry rules: "would have failed to meet the ZUMA-2 criteria",
# "ineligible for ZUMA-1" (a trial's own "eligibility criteria" or "patients eligible for" it are the trial's)
_YARDSTICK_AFTER = re.compile(r"(?:\s+(?:trial|study))?(?:'s)?\s+(?:eligibility\s+|inclusion\s+|entry\s+)?criteria\b", re.I)
_YARDSTICK_MEET = re.compile(r"\b(?:fail\w*\s+to\s+meet|would\s+(?:not\s+)?have\s+met|(?:did\s+)?not\s+meet|unmet)\s+(?:the\s+)?$", re.I)
_YARDSTICK_BEFORE = re.compile(r"\b(?:ineligible|not\s+(?:have\s+been\s+)?eligible)\s+(?:for|to\s+enter|to\s+join)\s+(?:the\s+)?(?:pivotal\s+)?$",
                               re.I)
_DRUG_ENDING = re.compile(r"(?:mab|inib|lisib|clax|zomib|lidomide|mustine)\b")
_DRUG_HINT = re.compile(r"mab\b|inib\b|lisib\b|clax\b|zomib\b|lidomide\b|mustine\b")
_WORD_HEAD = re.compile(r"(?<![a-z])[a-z]+$")
_SUPPORTIVE = frozenset({"tocilizumab", "siltuximab", "emapalumab"})  # CRS care, not a rival treatment
_OTHER_TREATMENT = re.compile(
    r"\bbispecific(?:\s+(?:antibod(?:y|ies)|T[\s-]*cell\s+engagers?|therapy|therapies))?"
    r"|\b(?:salvage\s+)?(?:chemotherapy|chemoimmunotherapy)\b|\bsalvage\s+(?:therapy|therapies|regimens?)"
    r"|\b(?:autologous|allogeneic)\s+(?:stem[\s-]+cell\s+)?transplant(?:ation)?\b|\bSCHOLAR-1\b|\bhistorical(?:ly)?\b"
    r"|\bstandard(?:[\s-]+of[\s-]+care)?\s+(?:regimens?|therapy|therapies|chemotherapy)\b|\bphysician'?s\s+choice"
    # the next line of treatment after the product or its comparator: "3L cellular immunotherapy", "subsequent therapy"
    r"|\b(?:[2-5]L|(?:second|third|fourth|later)[\s-]+line)\s+(?:cellular\s+immunotherapy|(?:\w+\s+)?therap(?:y|ies)|treatments?)\b"
    r"|\bsubsequent\s+(?:anti-?\w+\s+)?(?:therapy|therapies|treatments?)\b",
    re.I)
_OTHER_HINT = re.compile(r"bispecific|chemo|salvage|transplant|scholar|histori|standard|physician|[2-5]l |line|subsequent")
# "refractory to teclistamab", "prior bispecifics", "daratumumab-exposed": what the patients had before
_PRIOR_BEFORE = re.compile(r"\b(?:prior|previous(?:ly)?|after|following|post|exposed\s+to|refractory\s+to|resistant\s+to"
                           r"|failed|failing|progressed\s+(?:on|after)|relapsed\s+(?:on|after)|including|such\s+as|with\s+or\s+without"
                           r"|bridging|plus|and|or"
                           # "adults eligible for autologous stem cell transplantation (N = 184)": who the patients are
                           r"|(?:in)?eligible\s+for|candidates?\s+for|fit\s+for|unfit\s+for"
                           # "axi-cel outperformed chemotherapy: 65% ...": the comparator of a product's own figure
                           r"|outperform\w*|beat|beats|bested|versus|vs\.?|compared\s+(?:with|to)|than|over|superior\s+to|against"
                           r"|relative\s+to"
                           # "axi-cel as second-line therapy": the product's own line, not another treatment
                           r"|as)\s+(?:an?\s+|the\s+|\w+[\s-]+){0,2}$", re.I)
# "newer options such as blinatumomab and inotuzumab ozogamicin, which result in median OS of < 8 months":
# a treatment listed "such as" is still the subject of the figures its own clause gives it
_RESULTS_AFTER = re.compile(r"(?:\s+(?:and|or)\s+[\w-]+(?:\s+[\w-]+)?)?\s*,?\s+(?:which|that)\s+(?:result|yield|produce|give|achieve|offer)\w*\b",
                            re.I)
_PRIOR_AFTER = re.compile(r"[\s-]*(?:exposed|refractory|naive|naïve|pretreated|resistant|failure|based|containing|bridging|"
                          r"(?:or|and)\s+\w+)", re.I)
_BACKGROUND = re.compile(r"\b(?:is|are|remains?|has\s+been|have\s+been|falls?|ranges?)\s+(?:only\s+|just\s+|still\s+|typically\s+"
                         r"|generally\s+|about\s+|around\s+|approximately\s+|under\s+|below\s+|above\s+|less\s+than\s+|poor\b)"
                         r"|\b(?:historically|typically|usually|generally|conventional|standard\s+(?:therapy|treatment))\b"
                         r"|^\s*(?:background|introduction)\s*:"
                         # epidemiology: "35,000 people are diagnosed each year, and the 5-year survival rate is 60%"
                         r"|\bdiagnosed\b|\beach\s+year\b|\bper\s+year\b|\bannually\b|\bincidence\b|\bprevalence\b", re.I)
# "a low incidence of toxicity, with grade >=3 CRS in 2.4%": the toxicities of CAR-T, not a disease's epidemiology
_TOXICITY = re.compile(r"\b(?:CRS|ICANS|cytokine[\s-]+release|neurotoxicit(?:y|ies)|neurologic(?:al)?\s+(?:events?|toxicit))", re.I)
_PHASE = r"phase\s+((?:[1-3]|I{1,3})[ab]?(?:\s*/\s*(?:[1-3]|I{1,3})[ab]?)?)"
# "in the Phase 1 study of anito-cel", not "the phase 3 KarMMa-3 study" nor "the phase 2 study, KarMMa,"
_PHASE_STUDY = re.compile(_PHASE + r"\s+(?:portion\s+of\s+the\s+|part\s+of\s+the\s+)?(?:study|trial)\b(?!\s*,?\s*(?-i:[A-Z]))",
                          re.I)
# "In a previous pilot study of tisagenlecleucel, 71% ...": an earlier, unnamed study, not the trial the text names
_EARLIER_STUDY = re.compile(r"\b(?:a|an|the|its)\s+(?:previous|earlier|prior|pilot|first-in-human)\s+(?:(?:pilot|single-cent(?:er|re)|phase\s+\w+)\s+)?"
                            r"(?:study|trial)\b(?!\s*,?\s*(?-i:[A-Z]))", re.I)
# the phase a trial is introduced with: "the Phase 2 pivotal iMMagine-1 study"
_PHASE_NAMED = re.compile(_PHASE + r"(?:[\s,-]+(?:pivotal|registrational|randomi[sz]ed|global|multi-?cent(?:er|re)|open-label"
                          r"|single-arm|confirmatory|potentially))*[\s,-]*$", re.I)
_GIVEN_BEFORE = re.compile(r"\b(?:treated\s+with|received|receiving|given|infused\s+with|(?:products?|constructs?)\s+(?:were|was))"
                           r"\s+(?:commercial\s+)?$", re.I)
_COHORT_SHARE = re.compile(r"\s*\(\s*\d+(?:\.\d+)?\s*%\s*\)")
_COMMERCIAL_BEFORE = re.compile(r"\b(?:commercial(?:ly\s+available)?|licensed|approved|standard[\s-]+of[\s-]+care|SOC)\s+$", re.I)
_FAILURE_AFTER = re.compile(r"[\s-]*(?:(?:cell\s+)?(?:therapy|treatment)\s+)?(?:failure|relapse|progression|refractor\w*)\b", re.I)
_BENCHMARK_BEFORE = re.compile(r"\b(?:compared\s+(?:with|to)|similar\s+to|on\s+par\s+with|matching|in\s+line\s+with"
                               r"|consistent\s+with|comparable\s+to)\b(?:\s+(?:what|those\s+(?:of|with)|that\s+of))?[^.;]*$",
                               re.I)
_CLAUSE_END = re.compile(r"[;)]|\b(?:whereas|while|but|compared|versus|vs)\b|,\s+(?:and|with)\s+~?", re.I)
_REAL_WORLD = re.compile(
    # EBMT the registry, not EBMT the society's meeting ("... Marrow Transplantation (EBMT) annual meeting")
    r"real[\s-]+world|\b(?:CIBMTR|DESCAR-T|ROCCA)\b|(?<!Transplantation\s\()\bEBMT\b(?!\)?\s+(?:\d{4}\s+)?(?:annual\s+)?(?:meeting|congress))|registry\s+(?:analysis|data|study|cohort)|"
    r"retrospective(?:ly)?\b|commercial(?:ly)?\s+(?:available\s+)?(?:product|axi-cel|tisa-cel|liso-cel|brexu-cel|"
    r"cilta-cel|ide-cel|CAR)|standard[\s-]+of[\s-]+care\s+(?:axi|tisa|liso|brexu|cilta|ide)|outside\s+(?:of\s+)?"
    r"(?:a\s+)?clinical\s+trials?|(?:in|across|at|from)\s+\d+\s+(?:US\s+|academic\s+|[A-Z][a-z]+\s+)?(?:centers|centres|institutions)"
    # "ineligible for ZUMA-1" describes patients treated outside the pivotal trial (guide rule 22)
    # (not "ineligible for curative-intent therapy", an older patient's treatment options)
    r"|\bineligib(?:le|ility)\s+(?:for|to\s+enter)\s+(?:the\s+|a\s+)?(?:pivotal\s+|registrational\s+)?"
    r"(?:trial|study|clinical\s+trial|zuma|transcend|juliet|karmma|cartitude|eliana|elara|felix|belinda|[a-z]+-\d)"
    # "would not have been eligible for ZUMA-1", "the US Lymphoma CAR T Consortium", "in routine practice"
    r"|\bwould\s+not\s+have\s+(?:been\s+eligible|met|qualified)|\bconsortium\b|\broutine\s+(?:clinical\s+)?(?:practice|care)"
    r"|\bcommunity\s+(?:practice|setting|centers|centres|hospitals)", re.I)
_FOLLOWING = re.compile(r"\s*(?:patients\s+|pts\s+)?(?:were|was|had\s+been)?\s*(?:treated|infused|dosed|given)\s+"
                        r"(?:with\s+)?(?:the\s+)?|\s*(?:\([^()]{0,30}\)\s*)?(?:with|for|of)\s+(?:the\s+)?", re.I)
# "22% in SCHOLAR-1", "35% among those given salvage chemotherapy": a figure whose treatment follows it
_OTHER_FOLLOWING = re.compile(r"\s*(?:patients\s+|pts\s+)?(?:were|was|had\s+been)?\s*(?:treated|infused|dosed|given)\s+"
                              r"(?:with\s+)?(?:the\s+)?|\s*(?:\([^()]{0,30}\)\s*)?(?:with|for|of|in|among)\s+(?:the\s+)?"
                              r"(?:(?:patients|those|pts)\s+(?:treated\s+with|given|receiving|on)\s+)?", re.I)
# one of these occurs in every _REAL_WORLD match: the regex runs only on texts that hold one
_CENTRES = re.compile(r"cent(?:er|re)s|institutions")
_PROSPECTIVE = re.compile(r"\bphase\s+(?:[1-3]|i{1,3})\b|first[\s-]+in[\s-]+human|single[\s-]+arm|open[\s-]+label"
                          r"|dose[\s-]+escalation")  # run on the folded (lower-case) text
_REAL_WORLD_WORDS = ("real", "cibmtr", "descar", "ebmt", "rocca", "registry", "retrospectiv", "commercial",
                     "standard", "outside", "center", "centre", "institution", "ineligib", "would", "consortium",
                     "routine", "community")
_COMPARED = re.compile(r"similar|compar|consistent|in\s+line|criteria|eligib|pivotal|matching|mirror|than\b|exclud|qualif"
                       r"|close\s+to|as\s+(?:seen\s+)?in\b|on\s+par|resembl|akin\s+to|echo", re.I)
_ORR_REMISSION = re.compile(r"overall\s+(?:complete\s+)?remission\s+rate\s*[(\[]\s*ORR\b|\bORR\s*[(\[]\s*overall\s+"
                            r"(?:complete\s+)?remission", re.I)
_COMPARED_FOLDED = Alternation(on_folded(_COMPARED).pattern)  # per sentence: the alternatives it can hold
_REAL_WORLD_FOLDED = Alternation(on_folded(_REAL_WORLD).pattern)  # its alternatives that can match, run once per text
_ORR_REMISSION_FOLDED = on_folded(_ORR_REMISSION)


@dataclass(frozen=True, slots=True)
class Mention:
    """A named thing at an offset: a product (``therapy``) and, for trials, ``trial``."""

    therapy: str
    trial: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Attribution:
    therapy: str
    trial: str | None
    indication: str | None
    scope: str  # "sentence" | "paragraph" | "text" | "class"


class Context:
    """Mentions of products, trials, class phrases and indications in one text."""

    def __init__(self, text: str, names: Names | None = None) -> None:
        """``names``: the text's mentions found already (``names.text`` is ``text``)."""
        trials = [Mention(t.therapy, t.canonical, t.start, t.end)
                  for t in (names.text_trials if names is not None else find_trials(text))]
        # "were treated with axicabtagene ciloleucel (69%)": the product's share of a cohort given several,
        # whose figures are pooled (rule 15), so the mention makes the product no figure's subject
        products = [Mention(t.canonical, None, t.start, t.end)
                    for t in (names.text_therapies if names is not None else find_therapies(text))
                    if not (_COHORT_SHARE.match(text, t.end)
                            and _GIVEN_BEFORE.search(text, max(0, t.start - 30), t.start))]
        self.trials = trials
        self.products = sorted(products + trials, key=_START)
        self.starts = [m.start for m in self.products]
        self.named = {m.therapy for m in self.products}
        # Class phrases ("CD19-directed CAR T cells") attribute figures only when no product is named
        upper = text.upper() if not self.named else ""
        self.classes = [(m.start(), label) for label, pattern, marks in _CLASSES
                        if any(mark in upper for mark in marks) for m in pattern.finditer(text)
                        # "commercial CD19-CART therapy" pools licensed products; "after anti-CD19 CAR T
                        # failure" is the history of patients given something else (rule 15)
                        if not _COMMERCIAL_BEFORE.search(text, max(0, m.start() - 25), m.start())
                        and not _FAILURE_AFTER.match(text, m.end())]
        probed = probe(text, count_numbers=False)
        gates = _GATES.open(probed)
        self.indications = _outermost([(m.start(), m.end(), label) for (label, _, pattern, folded), run
                                       in zip(_INDICATIONS, gates) if run
                                       for m in pattern.finditer(probed.folded if folded else text)])
        self.text = text
        self.folded = probed.folded  # ``fold``: same offsets as ``text``
        # Rule 22: a real-world or registry cohort keeps trial null even where the text compares it
        # with a named pivotal trial; only a sentence that itself reports the trial keeps its name.
        lower = text.lower()
        first_real_world = (self._first_real_world(probed.folded)
                            if any(word in lower for word in _REAL_WORLD_WORDS) else None)
        self.real_world = first_real_world is not None
        # figures before the text first speaks of the cohort ("Briefly, in CARTITUDE-1 the ORR was 98%.
        # A retrospective analysis of 236 patients ...") are still the trial's
        self.real_world_from = first_real_world.start() if first_real_world is not None else len(text)
        # Rule 19: "overall remission rate (ORR)" makes every later "ORR" of the text a remission rate.
        self.orr_is_remission = ("remission" in lower and "orr" in lower  # every match holds both words
                                 and _ORR_REMISSION_FOLDED.search(probed.folded) is not None)
        self._compared: dict[int, bool] = {}
        self._future: dict[int, bool] = {}  # trial mention start -> named as yet to report
        self._yardstick: dict[int, bool] = {}  # trial mention start -> named only as an eligibility yardstick
        self._others: list[tuple[int, int]] | None = None  # read on first use (``others``)
        self._other_starts: list[int] = []
        self._lower = lower

    def name_spans(self, start: int, end: int) -> list[tuple[int, int]]:
        """Product and trial name spans inside [start, end), relative to ``start``."""
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [(m.start - start, m.end - start) for m in self.products[lo:hi]]

    @staticmethod
    def _first_real_world(folded: str) -> re.Match[str] | None:
        """The first words that make a text a real-world cohort's; a count of centres does not when the
        text reports a prospective trial ("a first-in-human, phase 1 ... study ... across 4 centers")."""
        prospective: bool | None = None
        for m in _REAL_WORLD_FOLDED.finditer(folded):
            if not _CENTRES.search(m.group()):
                return m
            if prospective is None:
                prospective = _PROSPECTIVE.search(folded) is not None
            if not prospective:
                return m
        return None

    def real_world_at(self, end: int) -> bool:
        """Whether a passage ending at ``end`` reads as a real-world or registry cohort (rule 22)."""
        return self.real_world and end > self.real_world_from

    def attribute(self, pos: int, sentence: tuple[int, int], paragraph: tuple[int, int],
                  end: int | None = None) -> Attribution | None:
        """Therapy, trial and indication for a figure at absolute offset ``pos`` (ending at ``end``)."""
        found = self._following(end, sentence) if end is not None else None
        if found is None and self._other_subject(pos, end, sentence):
            return None  # "teclistamab achieved an ORR of 63%", "63% with teclistamab"
        found = found or self._therapy(pos, sentence, paragraph)
        if found is None:
            return None
        therapy, scope = found
        trial = self._trial(therapy, pos, sentence, paragraph)
        return Attribution(therapy, trial, self._indication(pos, sentence, paragraph), scope)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Product and trial mentions inside [start, end), in order."""
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return self.products[lo:hi]

    def products_in(self, start: int, end: int) -> list[str]:
        """The distinct products named in [start, end), in order of first mention."""
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return list(dict.fromkeys(m.therapy for m in self.products[lo:hi]))

    def attributes_nothing(self, sentence: tuple[int, int], paragraph: tuple[int, int]) -> bool:
        """True when ``attribute`` answers None for every figure of the sentence, so the sentence
        can hold no claim. A sentence that names a product can always credit it (its own mention,
        or one right after a figure); one that names none gets what ``_therapy`` finds in the
        paragraph or the text, which then depends on the sentence and not on the figure."""
        lo, hi = bisect_left(self.starts, sentence[0]), bisect_left(self.starts, sentence[1])
        return hi == lo and self._therapy(sentence[0], sentence, paragraph) is None

    def trial_of(self, therapy: str, pos: int, sentence: tuple[int, int], paragraph: tuple[int, int]) -> str | None:
        """The trial a figure of ``therapy`` at ``pos`` belongs to (see ``attribute``)."""
        return self._trial(therapy, pos, sentence, paragraph)

    @property
    def others(self) -> list[tuple[int, int]]:
        """Spans of treatments that are not CAR-T ("teclistamab", "salvage chemotherapy", "SCHOLAR-1"):
        a figure whose nearest subject is one of them is not a CAR-T claim (rules 1 and 15)."""
        if self._others is None:
            text = self.text
            spans = [(m.start(), m.end()) for m in _OTHER_TREATMENT.finditer(text)] if _OTHER_HINT.search(self._lower) else []
            # drug names by their ending, found from the ending back to the word's start (cheaper than
            # trying a word pattern at every word)
            for m in _DRUG_ENDING.finditer(self._lower) if _DRUG_HINT.search(self._lower) else ():
                head = _WORD_HEAD.search(self._lower, max(0, m.start() - 30), m.start())
                start = head.start() if head else m.start()
                if m.end() - start >= 7 and self._lower[start : m.end()] not in _SUPPORTIVE:
                    spans.append((start, m.end()))
            self._others = sorted(span for span in spans if _RESULTS_AFTER.match(text, span[1])
                                  or (not _PRIOR_BEFORE.search(text, max(0, span[0] - 40), span[0])
                                      and not _PRIOR_AFTER.match(text, span[1])))
            self._other_starts = [start for start, _ in self._others]
        return self._others

    def _other_subject(self, pos: int, end: int | None, sentence: tuple[int, int]) -> bool:
        """Whether a treatment other than CAR-T is the figure's subject: named before it in its
        clause with no CAR-T product named between, or named right after it ("63% with teclistamab")."""
        every = self.others
        lo, hi = bisect_left(self._other_starts, sentence[0]), bisect_left(self._other_starts, sentence[1])
        others = every[lo:hi]
        if not others:
            return False
        if end is not None:
            after = [o for o in others if o[0] >= end]
            if after and len(self.text[end : after[0][0]]) <= 40 and _OTHER_FOLLOWING.fullmatch(self.text[end : after[0][0]]):
                return True
        before = [o for o in others if o[1] <= pos]
        if not before:
            return False
        last = before[-1]
        if any(last[1] <= m.start < pos for m in self.mentions_in(sentence[0], sentence[1])):
            return False  # "Blinatumomab gave 44%, whereas obe-cel gave 77%": the product is nearer
        if _RESULTS_AFTER.match(self.text, last[1]):
            return True  # "blinatumomab ..., which result in median OS of < 8 months"
        return _CLAUSE_END.search(self.text, last[1], pos) is None

    def _following(self, end: int, sentence: tuple[int, int]) -> tuple[str, str] | None:
        """"24 were treated with tisagenlecleucel", "46.6% with axi-cel and 33.2% with tisa-cel": a
        figure's product named right after it."""
        at = bisect_left(self.starts, end)
        if at < len(self.products) and self.products[at].start < sentence[1]:
            between = self.text[end : self.products[at].start]
            if len(between) <= 40 and _FOLLOWING.fullmatch(between):
                return self.products[at].therapy, "sentence"
        return None

    def _therapy(self, pos: int, sentence: tuple[int, int], paragraph: tuple[int, int]) -> tuple[str, str] | None:
        own = _nearest(self.products, self.starts, pos, sentence)
        if own is None:
            return self._context_therapy(sentence, paragraph)
        if own.start > pos and _BENCHMARK_BEFORE.search(self.text, max(pos, own.start - 50), own.start):
            # "24-month PFS came in at 56%, on par with what Carvykti achieved": the product named after
            # the figure is its benchmark; the figure is the subject's of the text before
            subject = self._context_therapy(sentence, paragraph)
            if subject is not None and subject[0] != own.therapy:
                return subject
        return own.therapy, "sentence"

    def _context_therapy(self, sentence: tuple[int, int], paragraph: tuple[int, int]) -> tuple[str, str] | None:
        """The product of a sentence that names none: its paragraph's, or the text's subject."""
        if (self.starts and sentence[1] <= self.starts[0] and _BACKGROUND.search(self.text, sentence[0], sentence[1])
                and not _TOXICITY.search(self.text, sentence[0], sentence[1])):
            # "For FL after two prior therapies, the 5-year survival rate is only 20%", before any
            # product is named: the disease's background, not a product's figure
            return None
        lo, hi = bisect_left(self.starts, paragraph[0]), bisect_left(self.starts, sentence[0])
        if len({m.therapy for m in self.products[lo:hi]}) > 1:
            return None  # two products before and none in the sentence: pooled or unclear (rule 15)
        inherited = _nearest(self.products, self.starts, sentence[0], paragraph)
        if inherited is not None:
            if inherited.start >= sentence[1] and len(set(self.products_in(sentence[1], paragraph[1]))) > 1:
                return None  # "500 patients treated since 2017 ... ARI-0001 ... ARI-0002h": pooled (rule 15)
            return inherited.therapy, "paragraph"
        if len(self.named) == 1:
            return next(iter(self.named)), "text"
        earlier = self._earlier_subject(paragraph[0])
        if earlier is not None:
            return earlier, "text"
        if not self.named and self.classes:
            labels = {label for _, label in self.classes}
            return (labels.pop(), "class") if len(labels) == 1 else None
        return None

    def _earlier_subject(self, start: int) -> str | None:
        """A news story's subject carries over paragraphs that do not name it: the product of the
        last earlier paragraph that names products, when it names exactly one."""
        at = bisect_left(self.starts, start)
        if at == 0:
            return None
        last = self.products[at - 1]
        lo = self.text.rfind("\n", 0, last.start) + 1
        first = bisect_left(self.starts, lo)
        named = {m.therapy for m in self.products[first:at]}
        # only the text's subject (its first-named product) carries over; another product named
        # later stays in its own paragraph
        return named.pop() if len(named) == 1 and self.products[0].therapy in named else None

    def _trial(self, therapy: str, pos: int, sentence: tuple[int, int], paragraph: tuple[int, int]) -> str | None:
        # "the phase 3 QUINTESSENTIAL-2 study is enrolling": a trial yet to report owns no figure
        own = [m for m in self.trials if m.therapy == therapy and not self._is_future(m) and not self._is_yardstick(m)]
        real_world = self.real_world_at(sentence[1])
        if real_world:
            compared = self._compared.get(sentence[0])
            if compared is None:
                compared = self._compared[sentence[0]] = _COMPARED_FOLDED.search(self.folded, sentence[0],
                                                                                 sentence[1]) is not None
            own = [m for m in own if sentence[0] <= m.start < sentence[1]] if not compared else []
        starts = [m.start for m in own]
        hit = _nearest(own, starts, pos, sentence)
        if hit is not None:
            return hit.trial
        if own and (_EARLIER_STUDY.search(self.text, sentence[0], sentence[1]) or self._other_phase_study(own, sentence)):
            return None  # "30.2 months in the Phase 1 study of anito-cel", after "the Phase 2 iMMagine-1 study"
        hit = _nearest(own, starts, pos, paragraph)
        if hit is not None:
            return hit.trial
        names = {m.trial for m in own}
        if len(names) == 1:
            return names.pop()
        # "... results from the iMMagine-1 study" early on, "the iMMagine-3 trial is enrolling" in the
        # boilerplate at the end: a figure belongs to the trial last named before it
        earlier = [m for m in own if m.end <= pos]
        return earlier[-1].trial if earlier and not real_world else None

    def _other_phase_study(self, own: list[Mention], sentence: tuple[int, int]) -> bool:
        """Whether the sentence reports "the phase 1 study" while every named trial of the product was
        introduced as another phase: the figures are that earlier study's, not the named trial's."""
        study = _PHASE_STUDY.search(self.text, sentence[0], sentence[1])
        if study is None:
            return False
        said = _phases(study.group(1))
        phases: dict[str | None, set[int]] = {m.trial: set() for m in own}
        for mention in own:
            before = _PHASE_NAMED.search(self.text, max(0, mention.start - 30), mention.start)
            if before is not None:
                phases[mention.trial] |= _phases(before.group(1))
        # a trial of unknown or the same phase may be the one meant: "the phase 2 study" after "iMMagine-1"
        return all(known and not known & said for known in phases.values())

    def _is_yardstick(self, mention: Mention) -> bool:
        """"79% would have failed to meet the ZUMA-2 criteria for eligibility", "ineligible for ZUMA-1":
        a trial named only as the yardstick of a cohort's eligibility owns none of its figures."""
        yardstick = self._yardstick.get(mention.start)
        if yardstick is None:
            before = self.text[max(0, mention.start - 40) : mention.start]
            yardstick = self._yardstick[mention.start] = bool(
                (_YARDSTICK_AFTER.match(self.text, mention.end) and _YARDSTICK_MEET.search(before))
                or _YARDSTICK_BEFORE.search(before))
        return yardstick

    def _is_future(self, mention: Mention) -> bool:
        future = self._future.get(mention.start)
        if future is None:
            future = self._future[mention.start] = bool(
                _FUTURE_AFTER.match(self.text, mention.end) or _FUTURE_BEFORE.search(self.text, max(0, mention.start - 40),
                                                                                      mention.start))
        return future

    def _indication(self, pos: int, sentence: tuple[int, int], paragraph: tuple[int, int]) -> str | None:
        for lo, hi in (sentence, paragraph):
            inside = [(abs(start - pos), label) for start, label in self.indications if lo <= start < hi]
            if inside:
                return min(inside)[1]
        labels = {label for _, label in self.indications}
        return labels.pop() if len(labels) == 1 else None


def _outermost(spans: list[tuple[int, int, str]]) -> list[tuple[int, str]]:
    """(start, label) of the spans not inside a longer one ("large B-cell lymphoma" over "B-cell lymphoma")."""
    kept = [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and o != s for o in spans)]
    return sorted((start, label) for start, _, label in kept)


def _nearest(mentions: list[Mention], starts: list[int], pos: int, scope: tuple[int, int]) -> Mention | None:
    """Closest mention before ``pos`` inside ``scope``, else the closest one after it.

    ``mentions`` are in order of ``starts`` (their start offsets), so both are found by bisection.
    """
    lo, hi = bisect_left(starts, scope[0]), bisect_left(starts, scope[1])
    at = bisect_left(starts, min(max(pos, scope[0]), scope[1]), lo, hi)
    if at > lo:
        return mentions[at - 1]
    return mentions[at] if at < hi else None


def _phases(label: str) -> set[int]:
    """{1, 2} for "1b/2", {3} for "III": the phases a "phase ..." label names."""
    return {len(part) if part.startswith("I") else int(part)
            for part in (p.strip().rstrip("abAB").upper() for p in label.split("/"))}
