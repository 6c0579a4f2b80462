"""Is a piece of text about CAR T-cell therapy?

Relevant when it names a CAR-T product (any alias from the therapy dictionary) or talks about
CAR-T therapy generically ("CAR T", "CAR-T", "CAR T-cell", "chimeric antigen receptor").
"CAR" must be written in capitals and followed by a space or hyphen and "T", so "car", "cart",
"Cart", "CART" and "CARES Act" never count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.therapies import find_therapies

NAMES_PRODUCT = "names_product"
CAR_T_GENERIC = "car_t_generic"
NO_CAR_T_TERMS = "no_car_t_terms"

_GENERIC = re.compile(
    r"(?<![A-Za-z0-9])CAR[\s\-\u2010-\u2013]T(?:s|'s|\u2019s)?(?![A-Za-z0-9])"
    r"|(?i:chimeric[\s\-]+antigen[\s\-]+receptors?)(?![A-Za-z])"
)


@dataclass(frozen=True, slots=True)
class Relevance:
    """The verdict, a short stable reason code, and the canonical products named."""

    relevant: bool
    reason: str
    therapies: tuple[str, ...] = ()


def assess_relevance(title: str, text: str) -> Relevance:
    """Judge a downloaded article by its title and body text."""
    combined = f"{title}\n\n{text}"
    therapies = tuple(dict.fromkeys(m.canonical for m in find_therapies(combined)))
    if therapies:
        return Relevance(True, NAMES_PRODUCT, therapies)
    if _GENERIC.search(combined):
        return Relevance(True, CAR_T_GENERIC)
    return Relevance(False, NO_CAR_T_TERMS)


def prefilter(title: str, summary: str) -> Relevance:
    """Judge a feed item by its title and summary, before downloading the page."""
    return assess_relevance(title, summary)
