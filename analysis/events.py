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
  ``c:`` or a target/disease class ``d:`` ("cd19 lupus"): many events share them, so they join
  only together with some title overlap (``analysis.stories``).

Event keys are ``"<subject>|<kind>"``; ``"kind:<kind>"`` records the kinds alone and
``"subj:<subject>"`` the subjects alone, so an article whose kind cannot be read ("Primer niño
tratado con terapia CAR-T en la isla") can still join a story on a strong subject. Pure regexes:
no clock, no network, the same answer on every rebuild.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

STRONG_PREFIXES = ("p:", "t:", "n:", "x:", "r:", "k:")
_KIND_WORDS = {
    "approval": r"approv\w*|clear(?:s|ed)\b(?!\s+(?:a\s+)?(?:phase|late-stage|test|hurdle))|authori[sz]\w*|positive opinion|chmp|backs\b|backed\b|recommend\w*|"
                r"advis(?:er|or)s?\b|advisory|\bpanel\b|endors\w*|"
                r"label (?:update|expansion)|aprueba\w*|aprobaci\w*|autoriz\w*|recomienda\w*|visto bueno|"
                # A regulator taking a filing for review is the same regulatory event as its outcome's run-up.
                r"to review\b|for review|under review|priority review|accept\w* (?:\w+ )?(?:for )?review|"
                r"files? for|filing|submi(?:ts?|tted|ssion)\b|solicitud de autorizaci\w*|acepta\w* evaluar|"
                r"evaluar[aá]\b",
    "safety": r"warning\w*|\brems\b|risk evaluation|safety (?:rules?|programs?|requirements?)|clinical hold|\bhold\b|halt\w*|death\w*|died|\bdies\b|"
              r"advertencia\w*|muerte\w*|suspend\w*|restricci\w*",
    "business": r"acquir\w*|acquisition|\bbuy\w*|\bdeal\b|sales|revenue\w*|earnings|forecast|guidance|layoff\w*|"
                r"cuts?\b.*\bstaff|trims?\b.*workforce|\bplant\b|facility|raises?\s+\$|\$\d+\s*m\b|funding|"
                r"financing|\bipo\b|compra\w*|adquisici\w*|ventas|ingresos|despid\w*|planta\b|withdraw\w*|"
                r"pulls?\b|retreat\w*|stop selling|drop\w*\s+\w+'s",
    "readout": r"results?\b|\bdata\b|study|studies|trial shows|survival|respons\w*|remission\w*|follow-up|"
               r"findings?|analysis|cohort|incidence|outcomes?|efficacy|meets? primary|primary endpoint|"
               r"succeed\w*|\bhits?\b|resultados?|datos|estudio|supervivencia|remisi\w*|respuest\w*|"
               r"seguimiento|mejoras?\b|mantiene|reduce\w*|keeps?\b|shrinks?\b|passes an early test|"
               r"shows?\b|improv\w*|stabiliz\w*|sustain\w*|durab\w*|confirm\w*|produces?\b|cur(?:ed|es?|ative)\b|"
               r"kept\b|free of|libres? de|sin progresi\w*|clears?\s+(?:a\s+)?(?:phase|late-stage|test)",
    "access": r"first (?:patient|treatment|lupus patient)|treats first|primer(?:a)? (?:tratamiento|terapia|paciente)|"
              r"\bcenters?\b|\bcentres?\b|centro\w*|certifi\w*|coverage|cobertura|now available|available at|"
              r"network|llega\w*|traen|ofrec\w*|offer\w*|partner\w*|alianza|hospitals?\b.*\b(?:more|six|35)|"
              r"extiende|expands? use|hito|historia|realiza|aplica\w*|trata\w*\b.*\bprimer|"
              r"(?:pueden|podr[aá]n) recibir|can (?:now )?receive|will be able to receive",
    "policy": r"\bcms\b|medicare|payment rule|\bipps\b|\bdrg\b|pay for|reimburs\w*|\bnhs\b|routine nhs",
    "trial": r"doses? first|first patient dosed|launch\w* trial|trial opens|starts? phase|inicia\w* ensayo|"
             r"ensayo (?:con|busca)|enrol\w*|begins? trial",
}
# Every alternative starts at a word start ("pretreated" is not "retreat").
_KINDS = {kind: re.compile(rf"(?<![\w])(?:{words})", re.IGNORECASE) for kind, words in _KIND_WORDS.items()}
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
    "real-world": r"\bregistry\b|real[\s-]world|\bcibmtr\b|routine practice|outside (?:of )?trials|registro|"
                  r"vida real",
}
_TOPIC_RES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _TOPICS.items()}
_COMPANIES = {
    "gilead": r"gilead|\bkite\b", "arcellx": r"arcellx", "novartis": r"novartis",
    "bms": r"bristol[\s-]myers|\bbms\b|\bjuno\b", "jnj": r"johnson\s*&\s*johnson|\bj&j\b|janssen",
    "legend": r"legend biotech", "autolus": r"autolus", "kyverna": r"kyverna", "cabaletta": r"cabaletta",
    "cartesian": r"cartesian", "carsgen": r"carsgen", "immunoact": r"immunoact", "allogene": r"allogene",
    "caribou": r"caribou", "poseida": r"poseida", "immuneel": r"immuneel",
    # A national health service deciding on access is an actor like a company.
    "nhs": r"\bnhs\b",
}
_COMPANY_RES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _COMPANIES.items()}
_TARGETS = re.compile(r"\b(cd19|cd22|bcma|gprc5d|claudin\s?18\.2|claudina 18\.2|egfr|il13r\w*|mesothelin|psma|"
                      r"her2|gd2)\b", re.IGNORECASE)
_DISEASES = {
    "lupus": r"lupus|l[uú]pic[ao]", "myositis": r"myositis|miositis", "myasthenia": r"myasthenia|miastenia",
    "multiple-sclerosis": r"multiple sclerosis|esclerosis m[uú]ltiple", "systemic-sclerosis": r"systemic sclerosis",
    "myeloma": r"myeloma|mieloma", "lymphoma": r"lymphoma|linfoma", "leukemia": r"leuka?emia|leucemia|\bb-all\b",
    "glioblastoma": r"glioblastoma|brain tumou?r", "ovarian": r"ovarian|ovario", "gastric": r"gastric|g[aá]strico",
    "prostate": r"prostate|pr[oó]stata", "hiv": r"\bhiv\b|\bvih\b", "stiff-person": r"stiff person",
}
_DISEASE_RES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _DISEASES.items()}
# Diseases rare enough in CAR-T news to be a subject on their own (no target named).
_RARE_DISEASES = frozenset({"glioblastoma", "ovarian", "hiv", "multiple-sclerosis", "prostate", "stiff-person"})
_WORD = r"(?:[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:[-'][A-Za-záéíóúñ]+)*|[A-Z]{2,}(?![-\w]))"
# A run of capitalised words, joined only by "de", "del", "de la" or "of" ("Hospital de San José").
_NAME = re.compile(rf"{_WORD}(?:\s+(?:(?:de(?:l| la)?|of)\s+)?{_WORD})*")
_NOT_NAMES = frozenset(
    "the a an la el los las un una in on at for with and y de del of to this that new u.s us eu fda ema nice cms "
    "food drug administration medicines agency monday tuesday wednesday thursday friday saturday sunday january "
    "february march april may june july august september october november december car-t car t cell therapy "
    "therapies multiple myeloma large b-cell lymphoma acute lymphoblastic leukemia new england nejm ash asco eha "
    "phase results background methods review chief executive national medical products secretaría salud "
    "ministerio sanidad t-cell b-cell cd19 bcma german chinese american european spanish british indian canadian "
    "researchers doctors patients investigators analysts shares "
    # Organisations that appear in many events (journals, meetings, wires, generic institution
    # words): "published in Nature Medicine" or "at the American Society of Hematology meeting"
    # must not make two readouts of one week one event.
    "society association journal medicine meeting congress annual international hematology haematology "
    "oncology clinical reuters bloomberg associated press nature lancet blood jama cancer center centre "
    "university hospital medical health research institute school foundation news".split())
# Places: a pair of words that names one is not an event's subject ("Puerto Rico", "San Juan").
_PLACES = frozenset({"puerto rico", "san juan", "new york", "nueva york", "united states", "estados unidos",
                     "buenos aires", "health canada", "los angeles", "san francisco", "ciudad mexico"})
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def event_kinds(title: str, text: str) -> frozenset[str]:
    """The kinds of event the headline names, else those of the lead's first sentence."""
    found = _kinds_in(title)
    if found:
        return found
    first = _SENTENCE.split(text.strip(), 1)[0] if text.strip() else ""
    return _kinds_in(first)


def subjects(title: str, text: str, therapies: Iterable[str] = (), trials: Iterable[str] = ()) -> frozenset[str]:
    """Strong and weak subjects of an article (see the module docstring)."""
    lead = " ".join(_SENTENCE.split(text.strip(), 2)[:2]) if text.strip() else ""  # the first two only
    head = f"{title}\n{lead}"
    found = {f"p:{t.lower()}" for t in therapies} | {f"t:{t.lower()}" for t in trials}
    found |= {f"x:{name}" for name, pattern in _TOPIC_RES.items() if pattern.search(head)}
    companies = {name for name, pattern in _COMPANY_RES.items() if pattern.search(head)}
    found |= {f"c:{name}" for name in companies}
    # A company (or health service) together with a disease is specific enough to be strong: one
    # company's myeloma readout in a week is one event, whether or not its product is named.
    found |= {f"k:{name} {disease}" for name in companies for disease in _diseases(head)}
    # A company's name is its company subject (weak), never a strong name: "Gilead", "Kite".
    found |= {f"n:{name}" for name in proper_names(lead or title)
              if not any(pattern.fullmatch(name) for pattern in _COMPANY_RES.values())}
    found |= _classes(head)
    return frozenset(found)


def event_keys(title: str, text: str, therapies: Iterable[str] = (), trials: Iterable[str] = ()) -> frozenset[str]:
    """``"<subject>|<kind>"`` for every subject and kind, plus ``"kind:<kind>"``; an article whose
    headline and lead name no kind of event keeps its subjects as ``"subj:<subject>"``."""
    kinds = event_kinds(title, text)
    found = subjects(title, text, therapies, trials)
    if not kinds:
        return frozenset(f"subj:{s}" for s in found)
    return frozenset({f"{s}|{k}" for s in found for k in kinds} | {f"kind:{k}" for k in kinds}
                     | {f"subj:{s}" for s in found})


def is_strong(event_key: str) -> bool:
    """Strong subjects join on their own; a company joins on its own only for an approval (one
    company's two approvals within days are rare, its deals, sales and plants are not)."""
    key = event_key[5:] if event_key.startswith("subj:") else event_key
    return key.startswith(STRONG_PREFIXES) or (key.startswith("c:") and key.endswith("|approval"))


def proper_names(text: str) -> set[str]:
    """Names in a text, folded: every run of two capitalised words ("auxilio mutuo" out of
    "Hospital Auxilio Mutuo" too, so the short and long forms meet), and single capitalised words
    of five letters or more inside a sentence ("Erlangen"); words that are places, agencies,
    months or generic terms are never part of one, and a sentence's lone first word is not one."""
    names = set()
    for sentence in _SENTENCE.split(text):
        for match in _NAME.finditer(sentence):
            if match.start() == 0 and " " not in match.group(0):
                continue
            words = [w.lower() for w in match.group(0).split() if w.lower() not in ("de", "del", "la", "of")]
            kept = [w for w in words if w not in _NOT_NAMES]
            if len(kept) == 1 and len(kept[0]) >= 5 and len(words) == 1:
                names.add(_fold(kept[0]))
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
