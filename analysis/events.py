"""What event an article reports: its subjects and its kind of event, in English or Spanish.

Story assignment joins articles about one event (``analysis.stories``): the same subject, the same
kind of event, within days. This module reads both from the headline and the first sentences:

- **kinds** (the keys of ``_KIND_WORDS``): approval, readout (data, results, a published study), safety
  (warnings, holds, deaths, REMS), business (deals, sales, layoffs, plants, funding), access (a
  hospital's first treatment, a new centre, coverage), policy (payment rules), trial (a study
  opens or doses its first patient). The headline decides; only a headline without any kind
  word falls back to the lead, so "FDA approves X based on trial data" is an approval.
- **subjects**, strong or weak. Strong: a product ``p:`` or trial ``t:`` (from the therapy
  dictionary, passed in), a proper name ``n:`` of two or more capitalised words in the lead
  ("Auxilio Mutuo", "Mount Sinai", "Hospital Garrahan"; places and agencies excluded), or a
  topic ``x:`` (REMS, boxed warning, T-cell malignancies, in vivo, payment). Weak: a company
  ``c:``, a target/disease class ``d:`` ("cd19 lupus") or the regulator of a safety action ``a:``
  ("FDA adds enterocolitis warning" to every product): many events share them, so they join
  only together with some title overlap (``analysis.stories``).

A regulator (FDA, EMA, NMPA, ...) named by an approval or a safety action is recorded as
``"reg:<regulator>"`` and, with a disease, is a strong subject ``g:`` ("g:nmpa myeloma": a report of
"China's drug regulator" clearing "a myeloma therapy" that names no product). Company names are cut
out before names are read; names come from a sentence-case headline as well as the lead.

Event keys are ``"<subject>|<kind>"``; ``"kind:<kind>"`` records the kinds alone and
``"subj:<subject>"`` the subjects alone, so an article whose kind cannot be read ("Primer niño
tratado con terapia CAR-T en la isla") can still join a story on a strong subject. Pure regexes:
no clock, no network, the same answer on every rebuild.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# these patterns are tried on every headline and lead; most of them hold literals the text lacks
from analysis.claims.literals import Gated

STRONG_PREFIXES = ("p:", "t:", "n:", "x:", "r:", "k:", "g:", "b:")
# Clues of a vague report (see ``clues``): never a subject of their own.
CLUE_PREFIXES = ("v:", "y:", "j:")
# What a therapy clears in a readout ("clears myeloma in first patients"), never a regulator's object.
_CLEARED = r"(?:cancer|tumou?rs?|myeloma|lymphoma|leuka?emia|disease|lupus|hiv|b[\s-]cells?|infection)"
_KIND_WORDS = {
    "approval": r"approv\w*|green[\s-]?light\w*|\bnods?\b|signs? off|sign-off|\boks?\b|luz verde|\bavala\w*|clear(?:s|ed)\b(?!\s+(?:(?:a|an|its|the|their)\s+)?(?:[\w-]+\s+){0,2}?(?:phase|late-stage|test|hurdle|bar|look|analysis|interim)\b|\s+(?:(?:the|all|their|her|his|its|detectable)\s+)?{_CLEARED})|authori[sz]\w*|positive opinion|chmp|backs\b|backed\b|backing\b|recommend\w*|"
                r"advis(?:er|or)s?\b|advisory|\bpanel\b|endors\w*|"
                r"label (?:update|expansion)|aprueba\w*|aprob\w*|autoriz\w*|recomienda\w*|visto bueno|\baval\b|"
                # A regulator widening a label approves ("US FDA expands use of J&J's cell therapy").
                r"(?:expands?|extends?|widens?|broadens?)\s+(?:(?:the\s+)?use|(?:its\s+)?label|indications?)\b|"
                r"ampl[ií]a\w*\s+(?:el\s+)?(?:uso|indicaci\w*)|go[\s-]ahead|clearance|"
                # A refusal is the same regulatory event's outcome ("FDA rejects", a complete response letter).
                r"\brejects?\b|\brejected\b|(?<!transplant )(?<!graft )(?<!organ )\brejection\b|complete response letter|rechaz(?:a|ó|o|ada|ado|o)\b|"
                # England's health technology decisions: "to be offered on the NHS" is NICE's recommendation.
                r"(?:offered|available|funded|prescribed|rolled out|get|receive)\s+(?:\w+\s+){0,3}on the nhs\b|"
                r"(?:routine|routinely)\s+(?:\w+\s+)?(?:nhs|available)|nhs use|says no to|(?:final\s+)?draft guidance|does not recommend|not recommended|turns? down|"
                # Spain's public-funding decision for a medicine, the counterpart of NICE's recommendation
                r"financiaci[oó]n p[uú]blica|financiaci[oó]n en (?:espa[ñn]a|el sns|el sistema nacional)|(?:sanidad|ministerio) financia\b|financiar[aá]n?\b|incluye en la (?:prestaci[oó]n|financiaci)\w*|"
                # A regulator taking a filing for review is the same regulatory event as its outcome's run-up.
                r"to review\b|for review|under review|priority review|accept\w* (?:\w+ )?(?:for )?review|"
                r"files? for|filing|submi(?:ts?|tted|ssion)\b|solicitud de autorizaci\w*|acepta\w* evaluar|"
                r"evaluar[aá]\b",
    "safety": r"freez(?:e|es|ing)\b|froze\b|"  # "FDA freezes Allogene's pivotal study"
              # a product's manufacturing failures and the supply they stop
              r"out[\s-]+of[\s-]+specification|batch(?:es)?\s+fail\w*|(?:batch|manufacturing)\s+failures?|"
              r"warning\w*|\brems\b|labell?ing changes?|label changes?|safety labell?ing|risk evaluation|safety (?:rules?|programs?|requirements?)|clinical hold|\bhold\b|halt\w*|died|\bdies\b|"
              # A death is a safety event; "risk of death" / "death risk" is a survival readout.
              r"(?<!risk of )(?<!riesgo de )(?:deaths?|muertes?)\b(?!\s+(?:risk|rate))|fatal\w*|"
              r"investigat(?:es?|ed|ing|ions?)\b|\bprobes?\b|\binvestiga\b|"
              r"advertencia\w*|advertir|suspend\w*|restricci\w*|paus(?:e|es|ed|ing)\b|fallec\w*|muere\w*|muri[oó]\b|"
              r"paraliz\w*",
    "business": r"(?:public|stock|share|underwritten|registered\s+direct)\s+offering|private placement|acquir\w*|acquisition|\bbuy\w*|\bdeal\b|sales|revenue\w*|earnings|forecast|(?<!draft )(?<!final )(?<!nice )(?<!nice's )guidance|layoff\w*|"
                r"cuts?\b.*\bstaff|trims?\b.*workforce|lay(?:s|ing)? off|laid off|workforce|restructur\w*|job cuts|\bplant\b|facility|raises?\s+\$|\$\d+\s*m\b|funding|"
                r"financing|\bipo\b|compra\w*|adquisici\w*|ventas|ingresos|despid\w*|planta\b|withdraw\w*|"
                r"outlook|quarterly|\bsues?\b|\bsued\b|lawsuit|patent suit|litigation|returns? to growth|"
                r"(?:first|second|third|fourth|q[1-4]) quarter|quarter (?:results|sales|revenue|earnings)|\bq[1-4]\s+(?:20\d\d|fy)\b|"
                r"profits?\b|licens\w*|royalt\w*|upfront|merger|previsi[oó]n\w*|facturaci\w*|trimestr\w*|"
                r"pulls?\b|retreat\w*|stop selling|drop\w*\s+\w+'s|"
                # Leadership changes are company news too.
                r"\bceo\b|chief executive|steps? down|resign\w*|appoint\w*|\bnames?\b.{0,40}\b(?:ceo|chief|president)|"
                r"dimite|dimisi\w*|renuncia\w*|nombra\w*|consejer[oa] delegad[oa]|director(?:a)? ejecutiv[oa]",
    # "Q1 2031 Results", "Out-of-Specification Results" are no trial's results
    "readout": r"(?<!financial )(?<!quarter )(?<!quarterly )(?<!earnings )(?<!operating )(?<![qQ][1-4] \d{4} )(?<!specification )results?\b|\bdata\b|study|studies|trial shows|survival|respons\w*|remission\w*|follow-up|"
               r"findings?|analysis|cohort|incidence|outcomes?|efficacy|meets? primary|primary endpoint|"
               r"succeed\w*|\bhits?\b|resultados?|datos|estudio|supervivencia|remisi\w*|respuest\w*|"
               r"seguimiento|mejoras?\b|mantiene|retras\w*|siguen\s+sin|sin\s+medicaci[oó]n|delays? (?:progression|relapse)|reduce\w*|keeps?\b|eficacia|logra\w*|consigue\w*|demuestra\w*|shrinks?\b|passes an early test|"
               r"shows?\b|improv\w*|stabiliz\w*|sustain\w*|durab\w*|confirm\w*|produces?\b|cur(?:ed|es?|ative)\b|"
               r"kept\b|free of|libres? de|sin progresi\w*|case series|case reports?|first-in-human|"
               r"(?:beats?|outperforms?|bests?)\s+(?:chemo\w*|standard\w*|soc\b|placebo|transplant\w*)|clears?\s+(?:(?:a|an|its|the|their)\s+)?(?:[\w-]+\s+){0,2}?(?:phase|late-stage|test|hurdle|bar|look|analysis|interim)\b|"
               # A therapy that clears a disease reports data; a regulator clears a therapy.
               r"clear(?:s|ed)?\s+(?:(?:the|all|their|her|his|its|detectable)\s+)?{_CLEARED}",
    # "como primer tratamiento" is first-line use (a readout's subject), not a first patient
    "access": r"first (?:patient|treatment|lupus patient)|treats first|(?<!como )primer(?:a)? (?:tratamiento|terapia|paciente)|"
              # "Hospital Pediátrico inicia tratamientos CAR-T", "por primera vez un niño recibió"
              r"inicia\w*\s+(?:los\s+|el\s+)?(?:tratamientos?|terapias?)\b|por primera vez|"
              # "marks 1,000th commercial CAR T-cell infusion", "became Fred Hutch's 1,000th CAR-T patient"
              r"\d[\d,.]*(?:st|nd|rd|th)\s+(?:commercial\s+)?(?:car[\s-]*t(?:[\s-]+cell)?\s+)?(?:patient|infusion|treatment)s?\b|"
              # "First NHS patients receive ...", "patients first to get ...": the same first treatments in English
              r"first (?:[\w-]+ ){1,2}patients?\b|first to (?:get|receive)\b|"
              r"\bcenters?\b|\bcentres?\b|centro\w*|certifi\w*|coverage|cobertura|now available|available at|"
              r"network|llega\w*\b(?!\s+al?\s+(?:cerebro|sistema nervioso|tumor|m[eé]dula|sangre))|traen|ofrec\w*|(?<!public )(?<!stock )(?<!share )(?<!underwritten )offer\w*|partner\w*|alianza|hospitals?\b.*\b(?:more|six|35)|"
              r"extiende|expands? use|hito|historia|realiza|aplica\w*|trata\w*\b.*\bprimer|"
              r"(?:pueden|podr[aá]n) recibir|can (?:now )?receive|will be able to receive|"
              r"treated (?:its|their) first|primer(?:a)? (?:infusi\w*|trasplante|hospital)",
    "policy": r"\bcms\b|medicare|payment rule|\bipps\b|\bdrg\b|pay for|reimburs\w*|\bnhs\b|routine nhs",
    "trial": r"doses? first|first patient dosed|launch\w* trial|trial opens|starts? phase|inicia\w* ensayo|"
             r"ensayo (?:con|busca)|enrol\w*|begins? trial",
}
# Every alternative starts at a word start ("pretreated" is not "retreat").
_KINDS = {kind: re.compile(rf"(?<![\w])(?:{words.replace('{_CLEARED}', _CLEARED)})", re.IGNORECASE)
          for kind, words in _KIND_WORDS.items()}
# Checked in this order; a headline can carry several kinds ("FDA hold after patient death").
_TOPICS = {
    "rems": r"\brems\b|risk evaluation and mitigation|(?:special |mandatory )?safety program(?:me)?s?\b",
    "boxed-warning": r"boxed warning|advertencia (?:en )?recuadro",
    "t-cell-malignancy": r"t[\s-]cell (?:malignanc\w*|lymphoma\w*|cancers?)|secondary (?:cancer|malignanc)\w*|"
                         r"linfoma de c[eé]lulas t|neoplasias? secundari\w*",
    "in-vivo": r"\bin vivo\b|inside the body|dentro del (?:cuerpo|organismo)",
    "payment": r"\bdrg\b|\bipps\b|payment rule|inpatient payment",
    "outpatient": r"\boutpatient\b|ambulatori\w*",
    # Real-world and registry cohorts are their own events, never a trial's readout.
    # A regulator's class-wide label change ("adds bowel inflammation warning", "cambios en el etiquetado"): one
    # safety action, however the adverse event is named
    "label-change": r"label(?:l)?ing changes?|label changes?|safety labell?ing|adds?\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}warning|"
                    r"new warning|cambios? en el etiquetado|exige advertir|(?:new|updated) labels?\b",
    "real-world": r"\bregistry\b|real[\s-]world|\bcibmtr\b|routine practice|outside (?:of )?trials|registro|"
                  r"vida real|retrospectiv\w*|observational|observacional|"
                  r"standard[\s-]of[\s-]care (?:setting|use)|\bebmt\b|descar-t|\bgeth\b|"
                  r"pr[aá]ctica cl[ií]nica (?:real|habitual)|fuera de(?: los)? ensayos?",
}
_TOPIC_RES = {name: Gated(re.compile(pattern, re.IGNORECASE)) for name, pattern in _TOPICS.items()}
_COMPANIES = {
    "gilead": r"gilead|\bkite\b", "arcellx": r"arcellx", "novartis": r"novartis",
    "bms": r"\bbristol(?:[\s-]+myers(?:[\s-]+squibb)?)?\b|\bbms\b|\bjuno\b", "jnj": r"johnson\s*&\s*johnson|\bj&j\b|janssen",
    "legend": r"legend biotech", "autolus": r"autolus", "kyverna": r"kyverna", "cabaletta": r"cabaletta",
    "cartesian": r"cartesian", "carsgen": r"carsgen", "immunoact": r"immunoact", "allogene": r"allogene",
    "caribou": r"caribou", "poseida": r"poseida", "immuneel": r"immuneel",
    # A national health service deciding on access is an actor like a company.
    "nhs": r"\bnhs\b",
}
_COMPANY_RES = {name: Gated(re.compile(pattern, re.IGNORECASE)) for name, pattern in _COMPANIES.items()}
_ANY_COMPANY = re.compile("|".join(f"(?:{pattern})" for pattern in _COMPANIES.values()), re.IGNORECASE)
# Regulators, for approvals and safety actions only: "China's drug regulator" and "NMPA" are one
# actor, and a regulator with a disease ("g:nmpa myeloma") names one regulatory event even when a
# report does not name the product. Two regulators' decisions on one product are two events.
_REGULATORS = {
    "fda": r"\bfda\b|food and drug administration|administraci[oó]n de (?:alimentos y medicamentos|medicamentos y "
           r"alimentos)|\bu\.?s\.? (?:health |drug |medicines? )?regulator|agencia (?:reguladora )?estadounidense|"
           r"regulador estadounidense",
    "ema": r"\bema\b|\bchmp\b|european medicines agency|european commission|agencia europea (?:del |de )?medicamentos?|"
           r"comisi[oó]n europea|europe(?:'s|an)? (?:drug |medicines? )?regulator|regulador europeo",
    "nmpa": r"\bnmpa\b|national medical products administration|china'?s (?:drug |medicines? |medical products )?"
            r"regulator|chinese (?:drug |medicines? )?regulator|regulador chino",
    "mhra": r"\bmhra\b|medicines and healthcare products regulatory agency|\bu\.?k\.? (?:drug |medicines? )?regulator|"
            r"britain'?s (?:drug |medicines? )?regulator",
    "japan": r"\bpmda\b|\bmhlw\b|japan'?s (?:health ministry|ministry of health|drug regulator|regulator)",
    "health-canada": r"health canada",
    # Spain's medicines agency and its health ministry, which decides public funding ("Sanidad incluye en la
    # financiación pública ..."): one country's regulators
    "aemps": r"\baemps\b|agencia española de medicamentos|ministerio de sanidad|(?-i:\bSanidad\b)"
             r"|comisi[oó]n interministerial de precios",
    "anvisa": r"\banvisa\b", "anmat": r"\banmat\b", "cofepris": r"\bcofepris\b", "invima": r"\binvima\b",
    "tga": r"\btga\b|therapeutic goods administration",
    # The US payer's national coverage decisions ("CMS finalizes national coverage determination", "Medicare will pay")
    "cms": r"(?-i:\bCMS\b)|centers for medicare|\bmedicare\b|national coverage determination",
    # England's health technology body: its "NICE" only in capitals (a nice result is not one).
    "nice": r"(?-i:\bNICE\b)|national institute for health and care excellence|spending watchdog|"
            r"cost[\s-]effectiveness (?:body|watchdog)",
}
_REGULATOR_RES = {name: Gated(re.compile(pattern, re.IGNORECASE)) for name, pattern in _REGULATORS.items()}
_REGULATORY_KINDS = frozenset({"approval", "safety"})
_PAYER_KINDS = frozenset({"policy", "access"})
_PAYERS = frozenset({"cms"})
_TARGETS = re.compile(r"\b(cd19|cd22|bcma|gprc5d|claudin\s?18\.2|claudina 18\.2|egfr|il13r\w*|mesothelin|psma|"
                      r"her2|gd2)\b", re.IGNORECASE)
_DISEASES = {
    "lupus": r"lupus|l[uú]pic[ao]", "myositis": r"myositis|miositis", "myasthenia": r"myasthenia|miastenia",
    "multiple-sclerosis": r"multiple sclerosis|esclerosis m[uú]ltiple", "systemic-sclerosis": r"systemic sclerosis",
    "myeloma": r"myeloma|mieloma", "lymphoma": r"lymphoma|linfoma", "leukemia": r"leuka?emia|leucemia|\bb-all\b",
    "brain-tumour": r"glioblastoma|gliomas?\b|\bdipg\b|brain (?:tumou?rs?|cancers?)|tumou?rs? (?:of|in) the brain"
                    r"|tumor(?:es)? cerebral(?:es)?|c[aá]ncer(?:es)? cerebral(?:es)?", "ovarian": r"ovarian|ovario", "gastric": r"gastric|g[aá]strico",
    "prostate": r"prostate|pr[oó]stata", "hiv": r"\bhiv\b|\bvih\b", "stiff-person": r"stiff person",
}
_AUTOIMMUNE = re.compile(r"autoimmun\w*|autoinmun\w*", re.IGNORECASE)
_DISEASE_RES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _DISEASES.items()}
# Diseases rare enough in CAR-T news to be a subject on their own (no target named).
_RARE_DISEASES = frozenset({"brain-tumour", "ovarian", "hiv", "multiple-sclerosis", "prostate", "stiff-person"})
_WORD = (r"(?:[A-ZÁÉÍÓÚÑÄÖÜ][a-záéíóúñüäöüßàâçèêëîïôùû]+(?:[-'’][A-Za-záéíóúñüäöß]+)*(?![\w])"
         r"|[A-Z]{2,}(?![-\w]))")
# A run of capitalised words, joined only by "de", "del", "de la" or "of" ("Hospital de San José").
_NAME = re.compile(rf"(?<![\w'’-]){_WORD}(?:\s+(?:(?:de(?:l| la)?|of)\s+)?{_WORD})*")
_NOT_NAMES = frozenset(
    "the a an la el los las un una in on at for with and y de del of to this that new u.s us eu fda ema nice cms "
    "food drug administration medicines agency monday tuesday wednesday thursday friday saturday sunday january "
    "february march april may june july august september october november december car-t car t cell therapy "
    "therapies multiple myeloma large b-cell lymphoma acute lymphoblastic leukemia new england nejm ash asco eha "
    "phase results background methods review chief executive national medical products secretaría salud "
    "ministerio sanidad t-cell b-cell cd19 bcma german chinese american european spanish british indian canadian "
    "researchers doctors patients investigators analysts shares médicos medicos investigadores científicos "
    "pacientes "
    # Organisations that appear in many events (journals, meetings, wires, generic institution
    # words): "published in Nature Medicine" or "at the American Society of Hematology meeting"
    # must not make two readouts of one week one event.
    "society association journal medicine meeting congress annual international hematology haematology "
    "oncology clinical reuters bloomberg associated press nature lancet blood jama cancer center centre "
    "university hospital medical health research institute school foundation news "
    # Wires, exchanges and corporate words of press releases ("/PRNewswire/", "Nasdaq: LEGN",
    # "Kite Pharma"), nationalities: every release or report of many events carries them.
    "prnewswire newswire globenewswire wire nasdaq nyse hkex pharma pharmaceuticals therapeutics biotech "
    "biotherapeutics biosciences sciences inc corp corporation company companies ltd holdings group "
    "dutch japanese french italian swiss korean israeli australian brazilian mexican colombian argentine "
    "europe european "
    # Generic words for a hospital in other languages ("Universitätsklinikum Erlangen").
    "universitatsklinikum uniklinikum klinikum uniklinik clinic clinica clinico hospitales instituto institut "
    "centro universitario universitaria".split())
# Places: a pair of words that names one is not an event's subject ("Puerto Rico", "San Juan").
_PLACES = frozenset({"puerto rico", "san juan", "new york", "nueva york", "united states", "estados unidos",
                     "buenos aires", "health canada", "los angeles", "san francisco", "ciudad mexico"})
# A sentence ends at . ! ? and space, but not after a company suffix or an initial ("Cabaletta Bio, Inc. (Nasdaq:
# CABA) today announced", "the U.S. Food and Drug Administration"), which would cut a lead before its news.
_SENTENCE = re.compile(r"(?<=[.!?])(?<!\bInc\.)(?<!\bCorp\.)(?<!\bLtd\.)(?<!\bCo\.)(?<!\bDr\.)(?<!\bNo\.)"
                       r"(?<!\b[A-Z]\.)(?<!\bvs\.)\s+")
# A trial's name as companies write it, also when the dictionary does not know it yet ("ZUMA-24",
# "KYSA-8"): capitals, a hyphen, a one- or two-digit number (product codes have three digits).
_TRIAL_LIKE = re.compile(r"(?<![\w-])(?!COVID)[A-Z]{3,}[A-Za-z]*-\d{1,2}(?![\w-])")
# A press release's dateline ("SANTA MONICA, Calif., March 5, 2025 /PRNewswire/ --", "MADRID, 5 Mar.
# (EUROPA PRESS) -"): a capitalised place, a comma, and a dash within a short line.
_DATELINE = re.compile(r"^\s*[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ .'’]+,[^\n]{0,100}?\s(?:--|—|–|-)\s+")
# A clause about an earlier event ("... after frontline approval", "tras la aprobación").
# ... and "despite" / "a pesar de" ("revenue dips despite new approvals"): a clause naming other events
_LEADING_TIME = re.compile(r"\s*(?:(?:a|one|two|three|a few|\d+)\s+)?(?:days?|weeks?|months?|hours?)\s*|\s*(?:shortly|just|soon)\s*",
                           re.IGNORECASE)
_AFTER = re.compile(r"\b(?:(?:a (?:day|week) |days |weeks |shortly |just )?after|following|tras|despu[eé]s de|despite|"
                    r"on the (?:back|heels) of|fresh off|buoyed by|"
                    r"in spite of|pese a|a pesar de)\s",
                    re.IGNORECASE)
# A possessive or an origin ending ("Mount Sinai's", "Shanghai-based"): the name is the same without it.
_AFFIX = re.compile(r"['’]s$|-(?:based|developed|led|made|headquartered)$")
# A headline in title case capitalises ordinary words too: its capitals are no sign of a name.
_TITLE_CASE_SHARE = 0.7


def event_kinds(title: str, text: str) -> frozenset[str]:
    """The kinds of event the headline names, else those of the lead's first sentence. A clause
    that starts with "after" / "tras" names an earlier event ("Legend lifts Carvykti outlook a day
    after frontline approval" is business news): its kinds count only when nothing else has one."""
    return _kinds_in(kind_source(title, text))


def kind_source(title: str, text: str) -> str:
    """The words that name the kind of event: the headline's main clause (without an "after ..."
    clause) if it names any, else the whole headline, else the same of the lead's first sentence."""
    for source in (title, _SENTENCE.split(text.strip(), 1)[0] if text.strip() else ""):
        main = _AFTER.split(source, 1)[0]
        for part in (main, source):
            if _kinds_in(part):
                return part
    return ""


def business_topics(title: str, text: str) -> frozenset[str]:
    """Which company news the kind's words name (cuts, deal, outlook, plant, funding, leadership):
    one company's layoffs reported as "lays off 30% of staff" and "trims workforce" are one event,
    its layoffs and its plant sale in one week are two."""
    source = kind_source(title, text)
    return frozenset(name for name, pattern in _BUSINESS_RES.items() if pattern.search(source))


def clues(title: str, text: str) -> frozenset[str]:
    """What an article that names no product, trial, hospital or target still says about its event:
    the diseases ``v:<disease>``, the follow-up landmark ``y:<years>`` and the journal ``j:<journal>``
    of its headline and lead ("Lupus patients remain off drugs two years on ... in the New England
    Journal of Medicine ... myositis and systemic sclerosis"). Used only for such vague reports."""
    head = f"{title}\n{' '.join(_SENTENCE.split(_DATELINE.sub('', text.strip()), 2)[:2])}"
    found = {f"v:{d}" for d in _diseases(head)}
    found |= {f"y:{y}" for y in landmarks(head)}
    found |= {f"j:{name}" for name, pattern in _JOURNAL_RES.items() if pattern.search(head)}
    return frozenset(found)


def landmarks(text: str) -> frozenset[str]:
    """Follow-up landmarks in years ("Two-Year Outcomes", "at 5 years", "tres años después")."""
    return frozenset(_NUMBER_WORDS.get(m.group(1).lower(), m.group(1)) for m in _LANDMARK.finditer(text))


def phases(title: str) -> frozenset[str]:
    """Trial phases a headline names ("Phase 3", "phase 1/2", "fase III"), as digits."""
    found: set[str] = set()
    for match in _PHASE.finditer(title):
        for part in re.split(r"[/-]", match.group(1)):
            digits = part.strip().rstrip("abAB").upper()
            found.add(_ROMAN.get(digits, digits))
    return frozenset(found)


_BUSINESS = {
    "cuts": r"layoff\w*|lay(?:s|ing)? off|laid off|\bcuts?\b|trims?|workforce|restructur\w*|job cuts|staff|"
            r"despid\w*|recort\w*|plantilla|\bere\b",
    "deal": r"acquir\w*|acquisition|\bbuy\w*|\bdeal\b|snaps? up|\bpays?\b|\bpaid\b|merger|licens\w*|upfront|royalt\w*|compra\w*|adquisici\w*",
    "outlook": r"sales|revenue\w*|earnings|forecast|guidance|outlook|quarter\w*|returns? to growth|\bq[1-4]\s+(?:20\d\d|fy)|profits?\b|ventas|ingresos|"
               r"previsi[oó]n\w*|facturaci\w*|trimestr\w*",
    "plant": r"\bplant\b|facility|planta\b|manufacturing site",
    # A bare sum ("pays $350M") is no topic: a deal and a funding round both carry one.
    "funding": r"raises?\s+\$|funding|financing|\bipo\b|financiaci\w*|ronda|offering|private placement",
    # a patent suit is its own company news: never the same event as the company's quarter
    "legal": r"\bsues?\b|\bsued\b|lawsuit|patent\w*|infring\w*|demanda\w*|litigation",
    "leadership": r"\bceo\b|chief executive|steps? down|resign\w*|appoint\w*|\bnames?\b|dimite|dimisi\w*|"
                  r"renuncia\w*|nombra\w*|consejer[oa] delegad[oa]|director(?:a)? ejecutiv[oa]",
}
_BUSINESS_RES = {name: re.compile(rf"(?<![\w])(?:{pattern})", re.IGNORECASE) for name, pattern in _BUSINESS.items()}
_JOURNALS = {
    "nejm": r"\bnejm\b|new england journal", "lancet": r"\blancet\b", "nature-medicine": r"nature medicine",
    "blood": r"(?-i:\bBlood\b)(?!\s+(?:[Cc]ancers?|[Cc]ells?|[Tt]ests?|[Dd]isorders?|[Cc]ount))", "jco": r"journal of clinical oncology|\bjco\b", "jama": r"\bjama\b",
    "cell": r"(?-i:\bCell\b)(?![\s-]\w)", "science": r"(?-i:\bScience\b)(?![\s-]\w)", "nature": r"(?-i:\bNature\b)(?! Medicine)(?!-\w)",
}
_JOURNAL_RES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _JOURNALS.items()}
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "ten": "10", "un": "1", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4",
                 "cinco": "5", "seis": "6", "siete": "7", "ocho": "8", "diez": "10"}
_LANDMARK = re.compile(r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight|ten|un|uno|dos|tres|cuatro|cinco|seis|"
                       r"siete|ocho|diez)[\s-](?:years?|yr|años?)\b", re.IGNORECASE)
_PHASE = re.compile(r"\b(?:phase|fase)\s+((?:[1-3]|i{1,3})[ab]?(?:\s*[/-]\s*(?:[1-3]|i{1,3})[ab]?)?)\b",
                    re.IGNORECASE)
_ROMAN = {"I": "1", "II": "2", "III": "3"}


def subjects(title: str, text: str, therapies: Iterable[str] = (), trials: Iterable[str] = ()) -> frozenset[str]:
    """Strong and weak subjects of an article (see the module docstring)."""
    lead = " ".join(_SENTENCE.split(_DATELINE.sub("", text.strip()), 2)[:2]) if text.strip() else ""  # first two
    head = f"{title}\n{lead}"
    found = {f"p:{t.lower()}" for t in therapies} | {f"t:{t.lower()}" for t in trials}
    found |= {f"x:{name}" for name, pattern in _TOPIC_RES.items() if pattern.search(head)}
    companies = {name for name, pattern in _COMPANY_RES.items() if pattern.search(head)}
    found |= {f"c:{name}" for name in companies}
    # A company (or health service) together with a disease is specific enough to be strong: one
    # company's myeloma readout in a week is one event, whether or not its product is named.
    found |= {f"k:{name} {disease}" for name in companies for disease in _diseases(head)}
    # A company's name is its company subject (weak), never a strong name: "Gilead", "Kite", so
    # company names are cut out before names are read. The headline's names count when it is
    # written in sentence case ("Kite offloads Hoofddorp plant" with a lead that says "Netherlands").
    sources = [lead] if title_case(title) else [title, lead]
    found |= {f"n:{name}" for source in sources for name in proper_names(_ANY_COMPANY.sub(" | ", source))
              if not any(pattern.fullmatch(name) for pattern in _COMPANY_RES.values())}
    found |= _classes(head)
    return frozenset(found)


def event_keys(title: str, text: str, therapies: Iterable[str] = (), trials: Iterable[str] = ()) -> frozenset[str]:
    """``"<subject>|<kind>"`` for every subject and kind, plus ``"kind:<kind>"``; an article whose
    headline and lead name no kind of event keeps its subjects as ``"subj:<subject>"``."""
    kinds = event_kinds(title, text)
    found = subjects(title, text, therapies, trials)
    named = regulators(title, text) if kinds & _REGULATORY_KINDS else frozenset()
    if kinds & _PAYER_KINDS:
        named |= regulators(title, text) & _PAYERS  # a payer's coverage decision is its own event
    found |= regulator_subjects(title, text, named)
    if "business" in kinds:
        # One company's layoffs (or deal, outlook, plant, funding, leadership change) within days
        # is one event, however it is worded: ``b:<company> <topic>`` is strong.
        companies = {s[2:] for s in found if s.startswith("c:")}
        found |= {f"b:{c} {t}" for c in companies for t in business_topics(title, text)}
    if "safety" in kinds:
        # A regulator's safety action across a class names no product: the regulator is its
        # (weak) subject, joining only with some title overlap.
        found |= {f"a:{r}" for r in named}
    found |= clues(title, text)
    if not kinds:
        return frozenset({f"subj:{s}" for s in found} | {f"ly:{y}" for y in landmarks(title)}
                         | {f"ph:{p}" for p in phases(title)})
    # The headline's follow-up landmarks and trial phases (``"ly:5"``, ``"ph:3"``) tell two analyses
    # of one product apart ("two-year update" and "five-year data", "phase 1" and "phase 3").
    marks = {f"ly:{y}" for y in landmarks(title)} | {f"ph:{p}" for p in phases(title)}
    return frozenset({f"{s}|{k}" for s in found for k in kinds} | {f"kind:{k}" for k in kinds}
                     | {f"subj:{s}" for s in found} | {f"reg:{r}" for r in named} | marks)


def trial_like_names(title: str, text: str) -> frozenset[str]:
    """Trial names in the headline and the lead's first two sentences, lowercased ("zuma-24")."""
    head = f"{title}\n{' '.join(_SENTENCE.split(text.strip(), 2)[:2])}"
    return frozenset(m.group().lower() for m in _TRIAL_LIKE.finditer(head))


def regulators(title: str, text: str) -> frozenset[str]:
    """The regulators a headline's main clause names ("Days after FDA nod, anito-cel wins CHMP backing" is
    the EMA's event), else those of the headline and its lead's first two sentences."""
    main = frozenset(name for name, pattern in _REGULATOR_RES.items() if pattern.search(_main_clause(title)))
    if main:
        return main
    head = f"{title}\n{' '.join(_SENTENCE.split(text.strip(), 2)[:2])}"
    return frozenset(name for name, pattern in _REGULATOR_RES.items() if pattern.search(head))


def _main_clause(title: str) -> str:
    """The headline without its "after ..." clause: the words before it, or, when the headline opens
    with it ("Days after FDA nod, ..."), the words after its comma."""
    m = _AFTER.search(title)
    if m is None:
        return title
    if not title[: m.start()].strip(" ,") or _LEADING_TIME.fullmatch(title[: m.start()]):
        comma = title.find(",", m.end())
        return title[comma + 1 :] if comma != -1 else ""
    return title[: m.start()]


def regulator_subjects(title: str, text: str, named: frozenset[str]) -> frozenset[str]:
    """``"g:<regulator> <disease>"`` (strong) for a regulatory event: one regulator's decision on
    one disease within days is one event. A regulator alone is no subject (it decides many)."""
    if not named:
        return frozenset()
    lead = " ".join(_SENTENCE.split(text.strip(), 2)[:2])
    head = f"{title}\n{lead}"
    # "autoimmune disease" groups the diseases a class-wide decision covers ("CAR-T in autoimmune disease trials")
    groups = _diseases(head) | ({"autoimmune"} if _AUTOIMMUNE.search(head) else set())
    return frozenset(f"g:{r} {d}" for r in named for d in groups)


def title_case(title: str) -> bool:
    """Whether a headline capitalises most of its longer words after the first ("FDA Approves
    Liso-cel for Marginal Zone Lymphoma")."""
    longer = [w for w in title.split()[1:] if len(w) >= 4 and w[0].isalpha()]
    return bool(longer) and sum(w[0].isupper() for w in longer) / len(longer) >= _TITLE_CASE_SHARE


def is_clue(event_key: str) -> bool:
    """Whether an event key holds a vague report's clue (``clues``) rather than a subject."""
    key = event_key[5:] if event_key.startswith("subj:") else event_key
    return key.startswith(CLUE_PREFIXES)


def is_strong(event_key: str) -> bool:
    """Strong subjects join on their own; a company joins on its own only for an approval (one
    company's two approvals within days are rare, its deals, sales and plants are not)."""
    key = event_key[5:] if event_key.startswith("subj:") else event_key
    return key.startswith(STRONG_PREFIXES) or (key.startswith("c:") and key.endswith("|approval"))


_INSTITUTIONS = frozenset({"hospital", "clinica", "centro", "instituto", "universidad", "university", "institut"})


def proper_names(text: str) -> set[str]:
    """Names in a text, folded: every run of two capitalised words ("auxilio mutuo" out of
    "Hospital Auxilio Mutuo" too, so the short and long forms meet), and single capitalised words
    of five letters or more inside a sentence ("Erlangen"), also when the rest of their run is
    generic ("Universitätsklinikum Erlangen", "Hospital Garrahan"); words that are places,
    agencies, months or generic terms are never part of one, and a sentence's lone first word is
    not one. A possessive or a "-based" ending is no part of a name ("Mount Sinai's")."""
    names = set()
    for sentence in _SENTENCE.split(text):
        for match in _NAME.finditer(sentence):
            if match.start() == 0 and " " not in match.group(0):
                continue
            words = [_fold(_AFFIX.sub("", w.lower())) for w in match.group(0).split()
                     if w.lower() not in ("de", "del", "la", "of")]
            kept = [w for w in words if w not in _NOT_NAMES]
            if len(kept) == 1 and len(kept[0]) >= 5:
                names.add(kept[0])
            elif len(kept) > 1 and len(kept[0]) >= 5 and any(
                    a in _INSTITUTIONS and b == kept[0] for a, b in zip(words, words[1:], strict=False)):
                # "Hospital Pediátrico Universitario Dr. Antonio Ortiz" is "Hospital Pediátrico" in the next report
                names.add(kept[0])
            names |= {pair for a, b in zip(kept, kept[1:], strict=False)
                      if (pair := _fold(f"{a} {b}")) not in _PLACES}
    return names


def _kinds_in(text: str) -> frozenset[str]:
    return frozenset(kind for kind, pattern in _KINDS.items() if pattern.search(text))


def _diseases(text: str) -> set[str]:
    return {name for name, pattern in _DISEASE_RES.items() if pattern.search(text)}


def _classes(text: str) -> set[str]:
    diseases = _diseases(text)
    targets = {re.sub(r"\W+", "", t.lower()).replace("claudina", "claudin") for t in _TARGETS.findall(text)}
    found = {f"d:{t} {d}" for t in targets for d in diseases}
    return found | {f"r:{d}" for d in diseases & _RARE_DISEASES}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# Names are compared folded ("Médicos" is "medicos"), so the generic words are too.
_NOT_NAMES = frozenset(_fold(w) for w in _NOT_NAMES)
