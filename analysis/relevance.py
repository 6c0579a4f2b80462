"""Is a piece of text about CAR T-cell therapy? English and Spanish.

Relevant, in this order of reasons:

1. ``names_product``: it names a CAR-T product (any alias in the therapy dictionary).
2. ``names_trial``: it names a CAR-T trial of the dictionary whose name cannot be an ordinary
   word ("ZUMA-7", "KarMMa-3", "TRANSCEND FL": a digit, a hyphen, a space or mixed case), so
   "Kite's lymphoma cell therapy cuts risk of death" with ZUMA-7 in its lead counts, while an
   all-capitals "PILOT", "TRANSFORM" or "ENSIGN" in a headline does not.
3. ``car_t_generic``: it writes CAR-T generically. "CAR" in capitals followed by a space or
   hyphen and "T" ("CAR T", "CAR-T cells", "linfocitos CAR-T"); any case of "car" when hyphenated
   to a capital T ("Car-T", "car-T", never "car-t shirt"); any case when spaced and followed by a cell or therapy word ("Car T cells"); "CART"
   in capitals only in context: a code ("CART19", "CART-ddBCMA") or a cell/therapy word after it
   ("CART cells", "células CART" reads "CART" before "académico" too). Never "car", "cart",
   "Cart", the racing series ("la CART", "CART-era"), the regression-tree method ("CART model"),
   "CARES Act" or "Car T-shirts": after "T" only a non-letter or a hyphenated cell word may follow.
4. ``car_t_phrase``: "chimeric antigen receptor", "receptor de antígeno quimérico" and its
   word orders, unless the text is about CAR-NK or CAR-macrophage cells and names no T cells.
5. ``car_t_described``: CAR-T described in words within one passage (a sentence, or the title
   with the first sentence): T cells (or lymphocytes, immune / white blood cells, in either
   language) that are genetically engineered ("patients' own T cells, genetically altered to
   attack ..."), or modified and sent to attack/target/recognise something. A passage that also
   speaks of another engineered-cell or antibody treatment (TCR-T, TIL, NK, macrophages, Tregs,
   donor lymphocytes, stem cells, vaccines, bispecific antibodies) is not read as CAR-T.

A **search hit** (an item a CAR-T query returned) whose page cannot be read, such as a Google
News headline, has nothing more to show: ``assess_relevance(..., search_hit=True)`` keeps it
(``search_hit``) unless its headline shows a decoy sense (racing, shopping carts, the regression
method) or another cell or antibody treatment. Pages that were downloaded are always judged on
what they say.

The check is deterministic and pure (regular expressions over the text), so an article judged
once is judged the same way on every rebuild.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.therapies import Names, find_names

NAMES_PRODUCT = "names_product"
NAMES_TRIAL = "names_trial"
CAR_T_GENERIC = "car_t_generic"
CAR_T_PHRASE = "car_t_phrase"
CAR_T_DESCRIBED = "car_t_described"
NO_CAR_T_TERMS = "no_car_t_terms"
SEARCH_HIT = "search_hit"
DECOY_HEADLINE = "decoy_headline"
OTHER_CELL_THERAPY = "other_cell_therapy"

_DASH = r"[\-\u2010-\u2013]"
# What may follow the "T" of CAR-T: a non-letter, or a hyphenated cell/therapy word ("CAR-T-cell",
# "CAR T-Zellen"), never "-shirt", "-Mobile" or "-bone".
_AFTER_T = (rf"(?:s|'s|\u2019s)?(?:(?={_DASH}(?i:cel|c\u00e9lul|zell|lymph|linfocit|therap|terap|based|tratamiento))"
            rf"|(?![A-Za-z0-9\u00c0-\u024f]|{_DASH}[A-Za-z]))")
_CELL_WORDS = r"(?:cells?|c\u00e9lulas?|lymphocytes?|linfocitos?|therap\w*|terapias?|tratamientos?|zell\w*)"
_GENERIC = re.compile(
    rf"(?<![A-Za-z0-9])CAR(?:\s|{_DASH})T{_AFTER_T}"
    # Mixed case needs the hyphen and a capital T: "Car-T", "car-T", but not "car-t shirt".
    rf"|(?<![A-Za-z0-9])(?i:car){_DASH}T{_AFTER_T}"
    rf"|(?<![A-Za-z0-9])(?i:car\s+t){_DASH}?\s*(?i:{_CELL_WORDS})\b"
    rf"|(?i:\b(?:terapias?|c\u00e9lulas|linfocitos|tratamientos?|therapy|therapies)\s+car\s+t\b)"
    # "CART" only as a code or before a cell/therapy word (never the racing series or the method).
    rf"|(?<![A-Za-z0-9])CART(?:{_DASH}?\d+|{_DASH}(?:dd)?(?:BCMA|CD\d+|GD2|HER2|EGFR)\w*)(?![A-Za-z])"
    rf"|(?<![A-Za-z0-9])CART\s+(?i:{_CELL_WORDS}|acad\u00e9mic[oa]s?|product\w*|program\w*|infusions?)\b"
    rf"|(?i:\b(?:CD19|CD22|BCMA|autologous|aut\u00f3log[oa]s?|c\u00e9lulas|terapias?|linfocitos)\s+)CART\b"
)
_PHRASE = re.compile(
    r"chimeric[\s\-]+antigen[\s\-]+receptors?(?![A-Za-z])"
    r"|receptor(?:es)?\s+(?:de\s+|del\s+)?ant[i\u00ed]genos?\s+quim[e\u00e9]ricos?"
    r"|receptor(?:es)?\s+quim[e\u00e9]ricos?\s+(?:de\s+|del\s+|para\s+)?ant[i\u00ed]genos?",
    re.IGNORECASE,
)
_NK_OR_MACROPHAGE = re.compile(
    r"CAR[\s\-]?(?:NK|M)\b|natural[\s\-]killer|\bNK[\s\-]cells?|macrophages?|asesinas\s+naturales|"
    r"c\u00e9lulas\s+NK|macr\u00f3fagos?", re.IGNORECASE)
_T_CELLS = re.compile(
    r"\bT[\s\-]?(?:cells?|lymphocytes?)\b|\bc\u00e9lulas\s+T\b|\blinfocitos(?:\s+T)?\b|\bimmune\s+cells\b|"
    r"\bwhite\s+blood\s+cells\b|\bgl\u00f3bulos\s+blancos\b|\bc\u00e9lulas\s+(?:inmunitarias|inmunes)\b|"
    r"\bc\u00e9lulas\s+del\s+propio\s+paciente\b|\bdefensas\s+del\s+paciente\b", re.IGNORECASE)
# Engineering that on its own says "genetically changed": enough with T cells in one passage.
_ENGINEERED = re.compile(
    r"\bgenetically\b|\bgen[e\u00e9]ticamente\b|\b(?:re)?program(?:m)?ed\b|\breprogram\w*|\bre-?engineer\w*|"
    r"\bengineer(?:ed|s|ing)?\b|\bedit(?:ed|ados?|adas?)\b|\breprogramad[oa]s?\b", re.IGNORECASE)
# Weaker change words: need an attack/target word in the same passage.
_MODIFIED = re.compile(r"\bmodif\w*|\balter(?:ed|ad[oa]s?)\b|\bdise\u00f1ad[oa]s?\b", re.IGNORECASE)
_ATTACK = re.compile(
    r"\battack\w*|\btarget\w*|\brecogni[sz]\w*|\bhunt\w*|\bkill\w*|\bdestroy\w*|\bfight\w*|\blocks?\s+onto\b|"
    r"\bagainst\b|\beliminat\w*|\batac\w*|\breconoc\w*|\bdestru\w*|\belimin\w*|\bcontra\b|\bcombat\w*",
    re.IGNORECASE)
_OTHER_TREATMENT = re.compile(
    r"\bTCR\b|T[\s\-]cell\s+receptor|receptor(?:es)?\s+de\s+(?:c\u00e9lulas|linfocitos)\s+T|\bTILs?\b|"
    r"tumou?r[\s\-]infiltrating|infiltrantes\s+de\s+tumor|natural[\s\-]killer|\bNK\b|asesinas\s+naturales|"
    r"macrophages?|macr\u00f3fagos?|\bTregs?\b|regulatory\s+T|linfocitos\s+T\s+reguladores|donor\s+(?:T|lymphocyte)|"
    r"del\s+donante|stem\s+cells?|c\u00e9lulas\s+madre|vaccin\w*|vacunas?|antibod\w*|anticuerpos?|bispecific|"
    r"biespec\u00edfic\w*|dendritic|dendr\u00edtic\w*", re.IGNORECASE)
# Senses of "cart"/"CART" and of the query's words that a search engine may match loosely.
_DECOY_SENSES = re.compile(
    r"\b(?:racing|race cars?|indycar|open-wheel|carreras?|shopping|checkout|carts?|carritos?|"
    r"regression trees?|decision trees?|random forests?|machine learning|[aá]rbol(?:es)? de decisi[oó]n)\b",
    re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'\u00bf\u00a1(\[A-Z\u00c0-\u00dd0-9])")


@dataclass(frozen=True, slots=True)
class Relevance:
    """The verdict, a short stable reason code, and the canonical products named."""

    relevant: bool
    reason: str
    therapies: tuple[str, ...] = ()
    # the title's and text's product and trial mentions, handed on to ``analyse`` (not part of the verdict)
    names: Names | None = field(default=None, compare=False, repr=False)


def assess_relevance(title: str, text: str, *, search_hit: bool = False) -> Relevance:
    """Judge a downloaded article (or a feed item) by its title and body text; ``search_hit``
    for an item a CAR-T search returned whose page was not read (see the module docstring)."""
    found = _judge(title, text)
    if found.relevant or not search_hit:
        return found
    if _DECOY_SENSES.search(title) or _OTHER_TREATMENT.search(title):
        return Relevance(False, DECOY_HEADLINE)
    return Relevance(True, SEARCH_HIT, names=found.names)


def _judge(title: str, text: str) -> Relevance:
    combined = f"{title}\n\n{text}"
    names = find_names(title, text)
    therapies = tuple(dict.fromkeys(m.canonical for m in names.therapies()))
    if therapies:
        return Relevance(True, NAMES_PRODUCT, therapies, names)
    if any(_distinctive(m.canonical) for m in names.trials()):
        return Relevance(True, NAMES_TRIAL, names=names)
    if _GENERIC.search(combined):
        return Relevance(True, CAR_T_GENERIC, names=names)
    if _PHRASE.search(combined):
        if _NK_OR_MACROPHAGE.search(combined) and not _T_CELLS.search(combined):
            return Relevance(False, OTHER_CELL_THERAPY, names=names)
        return Relevance(True, CAR_T_PHRASE, names=names)
    if any(describes_car_t(passage) for passage in passages(title, text)):
        return Relevance(True, CAR_T_DESCRIBED, names=names)
    return Relevance(False, NO_CAR_T_TERMS, names=names)


def _distinctive(trial: str) -> bool:
    """A trial name that is no ordinary word in capitals ("ZUMA-7", not "PILOT")."""
    return not trial.isalpha() or not (trial.isupper() or trial.islower())


def prefilter(title: str, summary: str) -> Relevance:
    """Judge a feed item by its title and summary, before downloading the page."""
    return assess_relevance(title, summary)


def passages(title: str, text: str) -> list[str]:
    """The sentences of the text, plus the title joined to the first sentence (a lead often
    explains the headline: "Living drug helps teen" + "Her T cells were ... modified ...")."""
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s] if text.strip() else []
    return [f"{title}. {sentences[0]}" if sentences else title, *sentences[1:]]


def describes_car_t(passage: str) -> bool:
    """T cells genetically engineered, or modified to attack something, in one passage."""
    if not _T_CELLS.search(passage) or _OTHER_TREATMENT.search(passage):
        return False
    return bool(_ENGINEERED.search(passage)) or bool(_MODIFIED.search(passage) and _ATTACK.search(passage))
