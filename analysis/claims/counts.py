"""Counts of study participants (N_PATIENTS), by CLAIMS-GUIDE rule 9.

A count defines a group: "(n = 68)", "97 patients received", "among 256 evaluable patients",
"all eight patients with SLE", "254 to ide-cel". It is not a count when it is the X or Y of an
outcome fraction ("31 of 32 patients"), sits in parentheses after a rate ("(32 people)"), is
approximate or planned ("approximately 450 patients"), belongs to the comparator arm, counts
events ("15 patients achieved CR") or is epidemiology ("35,000 patients are diagnosed each year").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter

from analysis.claims.arms import COMPARATOR_ARM
from analysis.claims.literals import Gated
from analysis.claims.numbers import WORD_NUM, WORD_NUM_FIRST, Numbered, num, number_first, parse_number
from analysis.claims.probe import Gates, Needs, Probe, probe

_START = attrgetter("start")  # sort key: offset of a span-like record

_NOUN = (r"(?:patients|pts|participants|subjects|adults|children|people|individuals|persons|recipients|pacientes"
         # "a total of 15 cases of RRMM received": a case is a patient, unless it counts events
         r"|cases(?!\s+of\s+(?:~|grade|CRS|ICANS|cytokine|neuro\w*|infections?|death|relapse|progression|severe|serious)))")
_ADJ = r"(?:(?!(?:of|in|with|and|or|to|the|were|was|had|who|for|at|after|from|by|months?|years?|weeks?|days?|mo)\b)(?:[A-Za-z][\w-]*|~{3,}|\(\d+\))\s+)"
_GROUP_VERB = (r"(?:enrolled|treated|infused|dosed|randomi[sz]ed|randomly\s+(?:allocated|assigned)|apheresed|leukapheresed|evaluable|received|underwent"
               r"|recibieron|tratados|incluidos|evaluables"
               r"|given|included|evaluated|could\s+be\s+evaluated)")
def _count(words: bool) -> str:
    """A counted number: (?<![\\w.~/%])({NUM}), written to start at the number (see number_first)."""
    return number_first(_NOT_AFTER, words=words, group=True)


_NOUNS = ("patients", "pts", "participants", "subjects", "adults", "children", "people", "individuals", "persons", "pacientes",
          "recipients", "cases")
_VERBS = ("enrolled", "treated", "infused", "dosed", "randomi", "randomly", "apheresed", "evaluable", "received", "underwent",
          "given", "included", "evaluated", "recibieron", "tratados", "incluidos", "evaluables")
_NOT_AFTER = r"\w.~/%"  # (?<![\w.~/%])({NUM})
_PATTERNS = [(needs, Numbered(build)) for needs, build in [
    # "n = 68", "(n, 97; ...)", never the "52" of "n=52/63" (an outcome fraction, rule 9)
    (Needs(exact=("=", "n,", "n:", "N 5 ", "n 5 "), digit=True),
     # "(N 5 184)": a PDF's "=" read as "5" (journal PDFs set "=" in a symbol font)
     lambda w: r"(?:\b(?:[nN]\s*=|n\s*[,:])\s*|(?<=\()[Nn]\s5\s(?=\d{2,}(?:,\d{3})*\s*\)))(\d+(?:,\d{3})*)\b(?!\s*/)(?![.,]\d)"),
    (Needs(exact=_NOUNS, number=True), lambda w: rf"\[?{_count(w)}\]?\s+{_ADJ}{{0,3}}?{_NOUN}\b"),
    (Needs(exact=_VERBS, number=True),
     lambda w: rf"{_count(w)}\s+(?:\([^()]*\)\s*)?(?:(?:were|was|had\s+been)\s+)?(?:(?:efficacy|safety|response|MRD)[\s-]+)?(?:{_GROUP_VERB}\b"
     # "54 (DL1 = 4; DL2 = 50) were in the PEAS": members of an analysis set or a cohort
     r"|in\s+the\s+(?:[\w~-]+\s+){0,4}?(?:set|population|PEAS|cohort)\b"
     # "of whom six had received an infusion": received the product, not a prior therapy
     r"|had\s+received\s+(?:an?\s+|the\s+)?(?:infusion|~{3,}|CAR))"),
    # "the 97-patient study", "a 62-person trial", "a 59-strong cohort": the count as an adjective
    (Needs(exact=("-patient", "-person", "-participant", "-subject", "-strong"), number=True),
     lambda w: rf"{_count(w)}-(?:patient|person|participant|subject|strong)\b"),
    # "in a cohort of 59,", "among the 59 who were infused": the noun left out
    (Needs(exact=("cohort", "series", "sample"), number=True),
     lambda w: rf"\b(?:cohort|series|sample)\s+of\s+{_count(w)}(?=\s*[,;.)]|\s+(?:who|treated|infused|given|receiving|with|for\s+whom)\b)"),
    (Needs(exact=("who",), number=True),
     lambda w: rf"\b(?:the|all|these)\s+{_count(w)}\s+who\s+(?:were|had\s+been)\s+(?:infused|treated|dosed|enrolled|evaluable|evaluated)\b"),
    # "268 patients, including 26 with secondary CNS lymphoma": a named subgroup's size
    (Needs(exact=("including",), number=True),
     lambda w: rf"\bincluding\s+{_count(w)}(?=\s+(?:patients\s+|pts\s+)?(?:with|who\s+had|aged|age|in\s+(?:the|a|an)\s+"
     r"(?:[\w~-]+\s+){0,3}(?:cohort|arm|group|part|subgroup|population)"
     # "including 54 at the 450 x 10^6 dose": a dose level's group (rule 15)
     r"|at\s+(?:the\s+)?(?:[\w.^×~-]+\s+){0,4}dose(?:\s+level)?|at\s+dose\s+level)\b)"),
    # "Patients treated: 97" in bullet lists and fact boxes
    (Needs(exact=(":",), digit=True),
     lambda w: r"\b(?:(?:[Pp]atients|[Pp]articipants)\s+(?:treated|enrolled|infused|dosed|evaluable|randomi[sz]ed|analy[sz]ed)"
     r"(?:\s+[\w~-]+){0,3}|(?:[Ee]fficacy|[Ss]afety)(?:[\s-]+(?:evaluable|population|set|analysis\s+set))?"
     r"|[Ee]nrolled|[Ii]nfused|[Tt]reated|[Ee]valuable)\s*:\s*(\d[\d,]*)\b(?!\s*%|[.,]\d)"),
    # "168 (89%) went on to receive brexu-cel", "94 (84%) patients received a dose": a share of
    # the enrolled that was infused is the infused group's size
    (Needs(exact=("%", "percent"), number=True),
     lambda w: rf"{_count(w)}\s*\(\s*[\d.]+\s*(?:%|percent)\s*\)\s*(?:{_NOUN}\s+)?(?:went\s+on\s+to\s+|then\s+)?"
     r"(?:received?|were\s+(?:infused|treated|dosed)|underwent\s+(?:infusion|treatment))\b"),
    # "209 treated with axi-cel and 209 with tisa-cel": the second count of a pair of products
    (Needs(exact=("and",), number=True),
     lambda w: rf"\band\s+{_count(w)}\s+(?:with|on)\s+(?=~{{3,}})"),
    # "enrolled 63 pediatric and young adult patients", "which included 59 adults", registry
    # "Enrollment 359" / "Enrollment | 75"
    (Needs(exact=("enrol", "Enrol", "included", "recruited"), number=True),
     lambda w: rf"(?:\b(?:enrolled|enrolling|included|recruited)\s+(?:a\s+total\s+of\s+)?|\bEnrollment\s*(?:\([Aa]ctual\)\s*)?"
     # (a "%" is no word: it stands outside the word-ending alternatives)
     rf"[:|]?\s*){_count(w)}(?!\s*%)(?!\s*(?:percent|sites|centers|centres|countries|hospitals|cohorts?|arms?|groups?|parts?"
     r"|dose\s+levels?|trials?|studies)\b)\b"),
    # "97/98 enrolled patients received tisagenlecleucel": those given the product out of those enrolled, both groups
    (Needs(exact=("/",), number=True),
     lambda w: r"\b(\d+)\s*/\s*\d+\s+(?:enrolled\s+|leukapheresed\s+|apheresed\s+)?(?:patients|pts)\s+"
               r"(?=(?:received|were\s+(?:infused|treated|dosed)|underwent\s+infusion)\b)"),
    (Needs(exact=("/",), number=True),
     lambda w: r"\b\d+\s*/\s*(\d+)\s+(?:enrolled\s+|leukapheresed\s+|apheresed\s+)?(?:patients|pts)\s+"
               r"(?=(?:received|were\s+(?:infused|treated|dosed)|underwent\s+infusion)\b)"),
    # "of whom 739 (57%) would have been ineligible for ZUMA-1": the ineligible subgroup's size
    (Needs(exact=("eligib",), number=True),
     lambda w: r"\bof\s+whom\s+(\d[\d,]*)\s*\(\s*[\d.]+\s*%\s*\)\s+(?=(?:would\s+(?:not\s+)?have\s+been|were)\s+(?:in)?eligible\b)"),
    # "240 patients (safety cohort) plus 48 in the expansion cohort": a further cohort's size
    (Needs(exact=("plus", "another"), number=True),
     lambda w: rf"\b(?:plus|and\s+another|with\s+another)\s+{_count(w)}(?=\s+(?:patients\s+|pts\s+)?in\s+(?:the|a|an)\s+"
     r"(?:[\w~-]+\s+){0,3}(?:cohort|arm|group|part|subgroup)\b)"),
]]
_ALWAYS_GROUP = (0, 3, 7, 8, 11, 12, 13)  # also "97/98 enrolled patients received", "of whom 739 (57%) would have been ineligible"; "n = 68", "a 62-person study", "Patients treated: 97", "168 (89%) received": the pattern says it is a group
_Y_OF_FRACTION = re.compile(rf"(?:\d+|\b(?=[{WORD_NUM_FIRST}]){WORD_NUM})\s+(?:\(\s*[\d.]+\s*%\s*\)\s+)?(?:of|out\s+of|in|de\s+cada)\s+"
                            r"(?:the\s+|all\s+)?$|/\s*$", re.I)
_SHARE_NEEDS = Needs(exact=(*_VERBS, "eligible"), number=True)
_GATES = Gates([*(needs for needs, _ in _PATTERNS), _SHARE_NEEDS])
_SHARE_OF_GROUP = Numbered(lambda w: rf"{_count(w)}\s+of\s+(?:the\s+)?({num(w)})\s+(?:{_GROUP_VERB}|eligible)\b")
_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_APPROXIMATE = re.compile(r"\b(?:m[aá]s\s+de|cerca\s+de|alrededor\s+de|aproximadamente|unos|unas|plan\w*|expect\w*|aim\w*|target\w*|will|intend\w*|seek\w*|goal|"
                          # "up to 450 patients" is a ceiling; "Up to the cutoff (June 26), a total of 15" is a date
                          r"up\s+to(?!\s+(?:the\s+)?(?:data\s+)?(?:cut|date\b)|\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)|"
                          r"approximately|about|around|roughly|nearly|almost|more\s+than|over|some|"
                          r"estimated|anticipated|at\s+least)\b[^.;]{0,25}$", re.I)
_EPIDEMIOLOGY = Gated(re.compile(r"diagnosed|each\s+year|per\s+year|annually|a\s+year\b|worldwide|incidence"
                           r"|commercially|real[\s-]+world\s+use", re.I))
# uptake after launch, with no outcome beside it: "Since then, five patients have received the drug"
_UPTAKE = re.compile(r"\bsince\s+(?:then|its\s+(?:approval|launch)|approval|launch|it\s+was\s+(?:approved|launched))"
                     r"|waiting\s+list", re.I)
_COMPARATOR_AFTER = re.compile(r"^\s*(?:(?:patients|participants|were|was|randomi[sz]ed|assigned)\s+){0,3}"
                               # "the 52 patients instead given physician's choice"
                               r"(?:to|in|on|received|receiving|with|(?:instead\s+)?given|(?:instead\s+)?assigned\s+to)\s+(?:the\s+|a\s+|an\s+)?"
                               # "standard-of-care ide-cel" is the product given outside a trial, not a comparator
                               r"(?:conventional\s+|historical\s+)?(?:standard(?![\s-]*(?:of[\s-]*care|SOC)?[\s-]*~)|SOC\b|control|comparator|chemo\w*|placebo|physician|"
                               r"investigator|salvage|best\s+supportive|usual\s+care)", re.I)
_EVENT_AFTER = re.compile(r"^\s*(?:patients\s+|pts\s+|participants\s+|responders\s+)?(?:\(\s*[\d.]+\s*%\s*\)\s*)?"
                          # "Eleven patients who had CR or CRi relapsed": a group's members, then their event
                          r"(?:who\s+(?:had|achieved|reached)\s+(?:an?\s+)?[^,;]{1,30}?\s+(?=(?:later\s+)?(?:relapsed|progressed|died)\b))?"
                          r"(?:(?:with|in)\s+(?:(?!\band\s+\d)[^,;(]){0,40}?\s+)?"
                          r"(?:died|had(?!\s+(?:been|received|undergone|failed|previously|prior|(?:at\s+least\s+)?(?:\d+\s+(?:months?\s+(?:of\s+)?)?)?follow|data|evaluable|measurable)|\s+an?\s+(?:[\w-]+\s+){0,3}rate)"
                          # "11 evaluable patients experienced an ORR of 100%": a rate of the group, not an event
                          r"|have(?!\s+(?:now\s+|since\s+|already\s+|all\s+|so\s+far\s+)?(?:been|received|undergone))"
                          r"|(?:achieved|experienced)(?!\s+an?\s+(?:[\w-]+\s+){0,3}(?:rate|ORR)\b)|"
                          r"developed|relapsed(?!\s*(?:/|or\s|and\s)\s*refractory)|progressed|responded|remained|showed(?!\s+that)|attained|reached|converted|deepened|"
                          r"were\s+(?:alive|still|in\s+remission|MRD|free|progression|censored|lost)|still\b"
                          # "with 9 patients in ongoing remission": an outcome's count, not a group
                          r"|in\s+(?:ongoing|continued|continuing|sustained|durable)\s+(?:remission|response)"
                          # "2 patients with grade 3 CRS" (the grade is masked to "~" by then)
                          r"|with\s+(?:a\s+|an\s+)?(?:grade|~+(?:\s+~+)*\s+(?:CRS|ICANS|cytokine|neuro\w*|events?|toxicit\w*)"
                          r"|infections?\b|relapses?\b|CRS\b|ICANS\b|cytokine|neurotox\w*"
                          # "with severe CRS" is an event; "with severe SLE" defines the group
                          r"|(?:severe|serious|fatal|life-threatening)\s+(?:[\w-]+\s+){0,2}?"
                          r"(?:CRS|ICANS|cytokine|neuro\w*|events?|toxicit\w*|infections?|adverse|AEs?|side|complications?)))",
                          re.I)
# "5 patients (55.6%) being in CR", "Seven patients (58%) had infections": the count is the X of
# an outcome share, not a group
_SHARE_AFTER = re.compile(r"\s*[(\[]\s*[\d.]+\s*(?:%|percent)", re.I)
# screened, planned or expected people are not a study group
_NOT_TREATED_AFTER = re.compile(r"\s*(?:[\w-]+\s+){0,2}?(?:had\s+been|have\s+been|were|are|was|will\s+be|underwent|"
                                r"to\s+be)?\s*(?:screen\w*|planned|expected|targeted|anticipated|on\s+the\s+waiting)", re.I)
# "12 patients received bridging therapy", "8 needed intensive care", "30 were refractory to BTKi": the
# count defines who got supportive or other care, or a baseline trait, not a study group (rule 9)
_OTHER_CARE = (r"(?:an?\s+|the\s+)?(?:prior|previous|subsequent|consolidat\w+|bridging|tocilizumab|steroids?|"
               r"corticosteroids?|dexamethasone|anakinra|siltuximab|ivig|immunoglobulins?|antibiotics?|vasopressors?|"
               r"(?:allo\w*\s+|autologous\s+|stem[\s-]+cell\s+)*(?:transplant\w*|SCT|HSCT|HCT)\b|intensive|ICU\b|"
               r"(?:[2-5]L|(?:second|third|fourth|later)[\s-]+line)\s+(?:\w+\s+)?(?:therapy|treatment)|"
               r"re-?treatment|salvage|radiation|radiotherapy|\w+(?:inib|mab|clax|lisib|zomib|lidomide)\b|mechanical|dialysis|re-?infusion|"
               r"a\s+second\s+(?:infusion|dose))")
_OTHER_CARE_AFTER = re.compile(
    r"\s*(?:[\w-]+\s+){0,4}?(?:\(\s*[\d.]+\s*%\s*\)\s*)?(?:"
    rf"(?:had\s+|have\s+)?(?:received|were\s+given|was\s+given|got|underwent|went\s+on\s+to\s+(?:receive|have|undergo)|proceeded\s+to(?:\s+(?:receive|undergo))?|were\s+treated\s+with)"
    rf"\s+{_OTHER_CARE}"
    r"|(?:had\s+|have\s+)?(?:been\s+)?(?:previously\s+)?(?:received|exposed\s+to)\s+(?:an?\s+)?(?:prior|previous)"
    r"|were\s+(?:refractory|triple|penta|quad|double|resistant)\b|were\s+admitted\b"
    rf"|(?:required|needed)\s+(?:{_OTHER_CARE}|hospitali\w*|admission|transfusions?|treatment\s+for))", re.I)
_OTHER_CARE_BEFORE = Gated(re.compile(rf"\b{_OTHER_CARE}[^.;]{{0,30}}\b(?:was|were)\s+(?:given|administered|used|needed|required)"
                                r"\s+(?:to|in|by|for)\s+(?:the\s+)?$", re.I))
_RANDOMISED = re.compile(r"randomi[sz]|random\s+assignment|\bassigned\b|\ballocated\b", re.I)
# "randomized, with 208 patients in the CARVYKTI arm and 211 in the SOC arm": the arms as randomised
_IN_ARM_AFTER = re.compile(r"\s*(?:patients\s+|participants\s+)?in\s+the\s+(?:[\w~®™-]+\s+){1,3}?arm\b", re.I)
_ASSIGNED_AFTER = re.compile(r"\s*(?:patients\s+|participants\s+)?(?:were\s+|was\s+)?(?:randomi[sz]ed\s+|assigned\s+|allocated\s+)?"
                             # "the first 59 patients to receive relma-cel" were given it, not assigned to an arm
                             r"(?:\d\s*:\s*\d\s+)?to\b(?!\s+(?:receive|be\s+(?:treated|infused|dosed|given)|undergo|get|have))", re.I)
# "Forty and 44 patients aged 70 or older were randomized to liso-cel and standard care, respectively":
# counts listed against the arms they were assigned to, whatever describes them first
_ASSIGNED_RESPECTIVELY = re.compile(r"[^,;.]{0,60}?\b(?:were|was)\s+(?:randomi[sz]ed|assigned|allocated)\s+"
                                    r"(?:\d\s*:\s*\d\s+)?to\b[^;.]*\brespectively\b", re.I)
# "156 were randomly allocated to the satri-cel group (n=104) or TPC group (n=52)": the whole trial, split in two
_TO_EITHER_ARM = re.compile(r"\s*(?:\(\s*\d\s*:\s*\d\s*\)\s*)?to\s+(?:either\s+)?(?:the\s+)?[^.;]{1,60}?\([^()]*\)\s+(?:or|and|versus|vs\.?)\s+"
                            r"(?:the\s+|a\s+)?[^.;]{1,60}?\([^()]*\)(?![^.;]*\brespectively\b)", re.I)
_ARM_BEFORE = re.compile(rf"(?:~{{3,}}|\b(?:{COMPARATOR_ARM}|arm|group)\b)(?:[^;]{{0,12}}|\s*;\s*)$", re.I)
_SHARE_BRACKET_BEFORE = re.compile(r"[\d.]+\s*(?:%|percent)\s*\(\s*$", re.I)
_OF_AFTER_BRACKET = re.compile(r"\s*\)\s*of\b", re.I)
_MANUFACTURED_FOR = re.compile(r"\bmanufactured\s+(?:successfully\s+)?for\s+$", re.I)
_ARM_BRACKET = re.compile(rf"(?:~{{3,}}|\b{COMPARATOR_ARM})\s*\(\s*$", re.I)
_AFTER_A_SHARE = re.compile(r"[\d.]+\s*(?:%|percent)\s*[(\[][^()\[\]]*$", re.I)
_OF_BEFORE = re.compile(r"\b(?:Of|Among)\s+(?:the\s+|these\s+|all\s+)?$", re.I)
# "Among the 41 evaluable patients, 40 were MRD negative" splits an outcome fraction (rule 9); with a
# stated share ("30 (93.8%) were") or a group verb ("75 were infused") the first count names a group.
_SPLIT_SHARE_AFTER = re.compile(rf"[^,;]{{0,80}},\s*(?:all\s+(?:but\s+)?)?(?:\d+|(?i:\b{WORD_NUM}\b))\s+(?:patients?\s+|pts\s+)?"
                                r"(?:had|have|achieved|reached|attained|responded|experienced|developed|showed|remained"
                                r"|(?:were|was)(?!\s+(?:infused|treated|dosed|given|enrolled|evaluable|randomi|assigned|allocated)))\b"
                                # "Of the 97 patients treated, 33 were aged 70 or older": a baseline trait, no outcome
                                r"(?!\s+(?:~|(?:\d+\s+)?(?:aged|older|younger|over|under|men|women|male|female|refractory|triple|penta"
                                r"|double|quad|exposed|previously|prior|high[\s-]risk|extramedullary|received\s+(?:bridging|prior)"
                                r"|a\s+median|baseline|stage|r-iss|iss|ecog|del|t\(|cytogenetic)))",
                                re.I)
_PARTS = re.compile(r"\s*\([^()]*\)")
# "38 patients were dosed with anito-cel (part A, 24; part B, 14)": a little further on in the clause
_PARTS_LATER = re.compile(r"[^().;]{1,70}?(\([^()]*\))")
# "(DL1 = 9; DL2 = 88)", "(part A, 24; part B, 14)", "(19 with SLE and 9 with lupus nephritis)"
_PART = re.compile(r"(?<![\w.~])(?!(?:HR|OR|RR|p|P|CI|median|mean|age|range|IQR|SD|aged)\b)"
                   r"(?:[A-Za-z][\w-]{0,12}(?:\s+[A-Za-z0-9][\w-]{0,6})?|~{3,})\s*[=,:]\s*(\d+)\b"
                   r"(?![.,]\d|\s*[-–%])(?=\s*[;,)]|\s+and\b)"
                   r"|(?:^\(|[;,]|\band)\s*(\d+)\s+(?:patients\s+|pts\s+)?(?:with\b|"
                   # "(35 DLBCL, 10 FL)": parts named by their disease, never by a response ("35 CR")
                   r"(?=(?:DLBCL|LBCL|t?FL|MCL|MZL|CLL|SLL|B-ALL|ALL|PMBCL|HGBCL|NHL|SLE|SSc|LN|MG|MM)\b))")
_ALL_BUT = re.compile(r"\ball\s+but\s+$", re.I)
_SHARE_OF_BEFORE = re.compile(r"\d\s*(?:%|percent|per\s+cent)\s+of\s+(?:the\s+|all\s+)?$", re.I)
_ALL_BEFORE = Gated(re.compile(r"\ball\s+(?:the\s+)?$", re.I))
_EVENT_BEFORE = Gated(re.compile(r"\b(?:deaths?|died|fatal|occurred|developed|experienced|grade|relapse\w*|"
                           r"events?)\b[^.;]{0,30}\b(?:in|among)\s+$"
                           r"|\b(?:achieved|attained|reached|experienced|seen|observed|reported)\s+(?:by|in)\s+$", re.I))


@dataclass(frozen=True, slots=True)
class Count:
    value: int
    start: int
    end: int


def may_hold_count(probed: Probe) -> bool:
    """False when no count pattern can match the sentence (none of the words every match needs)."""
    return any(_GATES.open(probed))


def find_patient_counts(masked: str, probed: Probe | None = None) -> list[Count]:
    """Group-defining counts of a sentence.

    ``probed`` describes the unmasked sentence (``masked`` keeps a subset of its characters).
    """
    probed = probed or probe(masked)
    found: dict[int, Count] = {}
    gates = _GATES.open(probed)
    for index, (_, pattern) in enumerate(_PATTERNS):
        if not gates[index]:
            continue
        randomised = _RANDOMISED.search(masked) is not None
        for m in pattern.finditer(masked, probed):
            if randomised and index == 0 and _ARM_BEFORE.search(masked, max(0, m.start() - 30), m.start()):
                continue  # "(cilta-cel, n = 208; SOC, n = 211)": the arms as randomised (rule 15)
            if index == 0 and _SHARE_BRACKET_BEFORE.search(masked, max(0, m.start() - 20), m.start()) \
                    and _OF_AFTER_BRACKET.match(masked, m.end()):
                continue  # "ongoing in 72 percent (n=70) of patients": the patients the share counts, not a group
            if randomised and _ARM_BRACKET.search(masked, max(0, m.start() - 30), m.start()):
                continue  # "to receive axi-cel (180 patients) or SOC (179 patients)": the same, in words
            number = _count_number(m.group(1))
            if number is None or number != int(number) or number < 1:
                continue
            if index in _ALWAYS_GROUP or _is_group(masked, m.start(1), m.end(), m.end(1)):
                found.setdefault(m.start(1), Count(int(number), m.start(1), m.end(1)))
    for count in list(found.values()):
        # "97 (DL1 = 9; DL2 = 88) were evaluable": the sizes of a group's named parts
        found.update({c.start: c for c in _parts_of(masked, count) if c.start not in found})
    for m in _SHARE_OF_GROUP.finditer(masked, probed) if gates[-1] else ():
        if _is_group(masked, m.start(), m.end()):
            for group in (1, 2):
                number = parse_number(m.group(group))
                if number is not None and number == int(number) and number >= 1:
                    found.setdefault(m.start(group), Count(int(number), m.start(group), m.end(group)))
    return sorted(found.values(), key=_START)


def _count_number(raw: str) -> float | None:
    """A count's number; "1.297 pacientes", "9.000": a Spanish thousands separator, never a decimal point
    (a count is whole)."""
    if _DOTTED_THOUSANDS.fullmatch(raw):
        return float(raw.replace(".", ""))
    return parse_number(raw)


def _parts_of(masked: str, count: Count) -> list[Count]:
    """The sizes of a group's named parts in the bracket right after its count, or (two parts or more)
    in a bracket further on in its clause."""
    near = _PARTS.match(masked, count.end)
    bracket, least = (near.end() - len(near.group(0).lstrip()), 1) if near else (None, 2)
    if bracket is None:
        later = _PARTS_LATER.match(masked, count.end)
        if later is None:
            return []
        bracket = later.start(1)
    inside = masked[bracket : masked.index(")", bracket) + 1]
    parts = []
    for m in _PART.finditer(inside):
        group = 1 if m.group(1) else 2
        start = bracket + m.start(group)
        parts.append(Count(int(m.group(group)), start, start + len(m.group(group))))
    return parts if len(parts) >= least else []


def _is_group(masked: str, start: int, end: int, number_end: int | None = None) -> bool:
    """``end``: where the match ends (after "received" in "179 received"); ``number_end``: where the
    number does, so "179 received standard care" is read from its verb on."""
    before, after = masked[:start], masked[end:]
    if number_end is not None and _COMPARATOR_AFTER.search(masked[number_end:]):
        return False
    if _MANUFACTURED_FOR.search(before):
        return False  # "cells were successfully manufactured for 20 subjects": a manufacturing count
    if _ALL_BUT.search(before):
        return False  # "with all but 2 evaluable patients having completed ...": those left out, not a group
    if _Y_OF_FRACTION.search(before) or _APPROXIMATE.search(before) or _EVENT_BEFORE.search(before):
        return False
    if _OTHER_CARE_AFTER.match(after) or _OTHER_CARE_BEFORE.search(before):
        return False
    if _UPTAKE.search(masked) and "%" not in masked:
        return False
    if _AFTER_A_SHARE.search(before) or _EPIDEMIOLOGY.search(masked):
        return False  # "52% (32 people)": the X of a share; "for level 1 (45 patients)" stays a group
    if _COMPARATOR_AFTER.search(after) or _SHARE_AFTER.match(after) or _NOT_TREATED_AFTER.match(after):
        return False
    if _IN_ARM_AFTER.match(masked, number_end if number_end is not None else end):
        return False  # "the 104 patients in the satri-cel arm": an arm as randomised (rule 15), said or not
    if (_ASSIGNED_AFTER.match(after) or _ASSIGNED_RESPECTIVELY.match(after)) and not _TO_EITHER_ARM.match(after):
        return False  # "254 were assigned to ide-cel": an arm as randomised, never N_PATIENTS (rule 15)
    if _OF_BEFORE.search(before) and _SPLIT_SHARE_AFTER.match(after):
        return False  # "Among the 41 evaluable patients, 40 were MRD negative": the Y of an outcome share
    if _SHARE_OF_BEFORE.search(before):
        return True  # "98% of 97 patients responded": the group a share is taken of (rule 9)
    grouped = _ALL_BEFORE.search(before) is not None
    return grouped or not _EVENT_AFTER.search(after)
