"""How close an article is to the therapy's manufacturer, and the source type of an article.

``manufacturer_proximity`` returns one of ``PROXIMITY_LABELS``:

- "manufacturer": issued by the developer or its wire release. The outlet is a
  manufacturer/company or press release wire, or the text carries press-release markers: a wire
  dateline (``/PRNewswire/``, ``(BUSINESS WIRE)``, ``(GLOBE NEWSWIRE)``; a wire merely named in
  passing does not count), an "About <developer>" boilerplate heading, a forward-looking
  statements notice, or "Media/Investor Contact:".
- "quotes_manufacturer": the developer is the main source. Sentences that attribute something
  (said, says, told, according to) are counted; if at least half of them attribute it to a
  developer of the article's therapies ("said X, chief medical officer of Legend Biotech",
  "according to Johnson & Johnson", "the company said"), or a developer headline ("Legend
  Biotech Announces ..."), the article quotes the manufacturer. Voices marked independent
  ("who was not involved in the study") count as non-developer attributions.
- "independent": everything else.

Developers come from ``DEVELOPERS``, keyed by the canonical names of ``analysis/therapies.json``;
brand and short names are accepted too. With no known therapy, every developer counts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from analysis.claims.probe import fold, on_folded
from analysis.model import Outlet

PROXIMITY_LABELS = ("manufacturer", "quotes_manufacturer", "independent")
MANUFACTURER_SOURCE_TYPES = ("manufacturer/company", "press release wire")

_BMS = ("Bristol Myers Squibb", "Bristol-Myers Squibb", "BMS", "Celgene")
_JNJ = ("Janssen", "Johnson & Johnson", "J&J", "Legend Biotech")
_KITE = ("Kite Pharma", "Kite", "Gilead Sciences", "Gilead")
_CARSGEN = ("CARsgen Therapeutics", "CARsgen")
DEVELOPERS: Mapping[str, tuple[str, ...]] = {
    "tisagenlecleucel": ("Novartis",),
    "axicabtagene ciloleucel": _KITE,
    "brexucabtagene autoleucel": _KITE,
    "lisocabtagene maraleucel": (*_BMS, "Juno Therapeutics", "Juno"),
    "idecabtagene vicleucel": (*_BMS, "2seventy bio", "bluebird bio"),
    "ciltacabtagene autoleucel": _JNJ,
    "obecabtagene autoleucel": ("Autolus Therapeutics", "Autolus"),
    "relmacabtagene autoleucel": ("JW Therapeutics",),
    "equecabtagene autoleucel": (
        "IASO Bio", "IASO Biotherapeutics", "Innovent Biologics", "Innovent"),
    "inaticabtagene autoleucel": ("Juventas Cell Therapy", "Juventas", "CASI Pharmaceuticals"),
    "zevorcabtagene autoleucel": _CARSGEN,
    "satricabtagene autoleucel": _CARSGEN,
    "ct071": _CARSGEN,
    "actalycabtagene autoleucel": ("ImmunoACT",),
    "varnimcabtagene autoleucel": ("Immuneel Therapeutics", "Immuneel"),
    "anitocabtagene autoleucel": ("Arcellx", *_KITE),
    "arlocabtagene autoleucel": _BMS,
    "orvacabtagene autoleucel": (*_BMS, "Juno Therapeutics"),
    "bms-986354": _BMS,
    "bb21217": ("bluebird bio", "2seventy bio", *_BMS),
    "resecabtagene autoleucel": ("Cabaletta Bio", "Cabaletta"),
    "azercabtagene zapreleucel": ("Imugene",),
    "kyv-101": ("Kyverna Therapeutics", "Kyverna"),
    "descartes-08": ("Cartesian Therapeutics", "Cartesian"),
    "cemacabtagene ansegedleucel": ("Allogene Therapeutics", "Allogene"),
}
_ALIASES = {
    "kymriah": "tisagenlecleucel", "tisa-cel": "tisagenlecleucel",
    "yescarta": "axicabtagene ciloleucel", "axi-cel": "axicabtagene ciloleucel",
    "tecartus": "brexucabtagene autoleucel", "brexu-cel": "brexucabtagene autoleucel",
    "breyanzi": "lisocabtagene maraleucel", "liso-cel": "lisocabtagene maraleucel",
    "abecma": "idecabtagene vicleucel", "ide-cel": "idecabtagene vicleucel",
    "carvykti": "ciltacabtagene autoleucel", "cilta-cel": "ciltacabtagene autoleucel",
    "aucatzyl": "obecabtagene autoleucel", "obe-cel": "obecabtagene autoleucel",
    "carteyva": "relmacabtagene autoleucel", "fucaso": "equecabtagene autoleucel",
    "nexcar19": "actalycabtagene autoleucel", "qartemi": "varnimcabtagene autoleucel",
    "anito-cel": "anitocabtagene autoleucel", "zevor-cel": "zevorcabtagene autoleucel",
    "rese-cel": "resecabtagene autoleucel", "cema-cel": "cemacabtagene ansegedleucel",
}
_ARTICLE_KIND_TYPES = {
    "paper": "peer-reviewed journal", "preprint": "preprint server",
    "trial": "government/regulator", "press_release": "press release wire",
}
_RELEASE_MARKERS = re.compile(
    r"/\s*PR\s?Newswire[^/]{0,20}/|\(\s*(?:BUSINESS\s?WIRE|GLOBE\s?NEWSWIRE|PR\s?Newswire|"
    r"ACCESSWIRE)\s*\)|forward[-\s]looking\s+statements?|"
    r"\b(?:Media|Investor|Press)\s+(?:Contacts?|Inquiries|Relations)\s*:",
    re.IGNORECASE,
)
# Every attribution pattern needs one of these words; matched on the lowercased text at once.
_ANY_CUE = re.compile(r"said|says|told|according|announc|reported|stated|noted|involved|independent|unaffiliated")
_ATTRIBUTION = re.compile(r"\b(?:said|says|told|according to)\b", re.IGNORECASE)
_COMPANY_VOICE = re.compile(
    r"\bthe compan(?:y|ies)(?:'s?)?\b[^.\n]{0,40}?\b(?:said|says|announced|stated|noted)\b|"
    r"\bcompany spokes(?:person|man|woman)\b|\bthe compan(?:y|ies) said\b",
    re.IGNORECASE,
)
_INDEPENDENT = re.compile(
    r"\b(?:was|were|is|are)\s*n[o']?t\s+involved\b|\bnot involved (?:in|with)\b|"
    r"\bindependent (?:expert|researcher|analyst|investigator)s?\b|\bunaffiliated\b",
    re.IGNORECASE,
)
# Matched on the ``fold``ed sentence as lower-case case-sensitive patterns (``on_folded``), which
# find the same matches and skip ahead to their literals.
_ATTRIBUTION_FOLDED, _COMPANY_VOICE_FOLDED, _INDEPENDENT_FOLDED = (
    on_folded(p) for p in (_ATTRIBUTION, _COMPANY_VOICE, _INDEPENDENT))
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# The same gaps, found from their first character (the stop or a line break) instead of trying
# the lookbehind at every character: a gap is group 1 of the first way and the whole of the second.
_SENTENCE_GAP = re.compile(r"[.!?](\s+)|\n+")
# Every _RELEASE_MARKERS match holds one of these words, in ``probe.fold``ed text.
_RELEASE_WORDS = ("wire", "forward", "contact", "inquiries", "relations")


def developers_for(therapies: Iterable[str]) -> tuple[str, ...]:
    """Developer names for the given therapies (canonical, brand or short names), or all."""
    names: list[str] = []
    for therapy in therapies:
        key = therapy.strip().lower()
        names.extend(DEVELOPERS.get(_ALIASES.get(key, key), ()))
    if not names:
        names = [name for developer in DEVELOPERS.values() for name in developer]
    return tuple(dict.fromkeys(names))


def article_source_type(outlet: Outlet | None, kind: str = "news") -> str | None:
    """The source type of an article: its outlet's, except that a paper, preprint or trial
    record found through an aggregator (PubMed, Google News) takes its own kind's type."""
    by_kind = _ARTICLE_KIND_TYPES.get(kind)
    if outlet is None:
        return by_kind
    if outlet.source_type == "aggregator" and by_kind is not None:
        return by_kind
    return outlet.source_type


def manufacturer_proximity(
    article_text: str, title: str, outlet: Outlet | None, therapies: Sequence[str]
) -> str:
    """"manufacturer", "quotes_manufacturer" or "independent" (see the module docstring)."""
    if outlet is not None and outlet.source_type in MANUFACTURER_SOURCE_TYPES:
        return "manufacturer"
    patterns = _developer_patterns(developers_for(therapies))
    folded = fold(article_text)  # what an ignore-case pattern can match shows in it as lower case
    if (any(word in folded for word in _RELEASE_WORDS) and _RELEASE_MARKERS.search(article_text)) or (
            "About " in article_text and patterns.about.search(article_text)):
        return "manufacturer"
    developer, attributed = _count_attributions(article_text, patterns)
    if patterns.headline.search(title):
        developer, attributed = developer + 1, attributed + 1
    if developer and developer * 2 >= attributed:
        return "quotes_manufacturer"
    return "independent"


def _count_attributions(text: str, patterns: _Patterns) -> tuple[int, int]:
    """(sentences attributing to a developer, all attributing or independent-voice sentences)."""
    developer = attributed = 0
    for sentence in _cue_sentences(text):
        folded = fold(sentence)
        independent = bool(_INDEPENDENT_FOLDED.search(folded))
        voice = bool(patterns.voice.search(sentence))
        if not (independent or voice or _ATTRIBUTION_FOLDED.search(folded)):
            continue
        attributed += 1
        if not independent and (voice or _COMPANY_VOICE_FOLDED.search(folded)):
            developer += 1
    return developer, attributed


def _cue_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (split as ``_SENTENCE_END`` splits) that hold a cue word.

    One scan of the whole text instead of a search per sentence: most sentences hold none.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # rare letters whose lowercase is longer: keep offsets exact
        return [s for s in _SENTENCE_END.split(text) if _ANY_CUE.search(s.lower())]
    cues = [m.start() for m in _ANY_CUE.finditer(lowered)]
    if not cues:
        return []
    starts, ends = [0], []
    for gap in _SENTENCE_GAP.finditer(text):
        ends.append(gap.start(1) if gap.group(1) is not None else gap.start())
        starts.append(gap.end())
    ends.append(len(text))
    chosen = sorted({bisect_right(starts, cue) - 1 for cue in cues})
    return [text[starts[i]:ends[i]] for i in chosen]


class _Patterns:
    """Regexes built for one set of developer names."""

    __slots__ = ("about", "headline", "voice")

    def __init__(self, names: tuple[str, ...]) -> None:
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        dev = rf"(?<![\w&])(?:{alternation})(?![\w&])"
        self.about = re.compile(rf"(?:^|[.!?:]\s+|\n\s*)About (?:the )?{dev}")
        self.headline = re.compile(
            rf"^\s*{dev}[^:]{{0,40}}?\b(?i:announces|reports|receives|presents|unveils)\b")
        self.voice = re.compile(
            rf"\b(?i:said)\b[^.\n]{{0,150}}?\b(?:of|at|from)\s+(?:the\s+)?{dev}|"
            rf"\b(?i:according to)\b[^.\n]{{0,40}}?{dev}|"
            rf"{dev}(?:'s)?[^.\n]{{0,60}}?\b(?i:said|says|announced|announces|reported|stated|"
            rf"noted)\b"
        )


@lru_cache(maxsize=64)
def _developer_patterns(names: tuple[str, ...]) -> _Patterns:
    return _Patterns(names)
