"""Journal registry: which journal (or preprint server) published a paper, from what its record says.

A PubMed, Europe PMC, bioRxiv/medRxiv or Crossref-style record names its journal in three ways
of falling reliability: an ISSN (print or electronic; one number per journal), a DOI whose
prefix is specific to one journal (``10.1038/s41591-`` is Nature Medicine, while ``10.1038/``
alone is every Springer Nature title), and a title written many ways ("The New England journal
of medicine", "N Engl J Med"). ``JournalRegistry.resolve`` tries them in that order.

The answer's ``key`` is the journal's outlet key in the outlet registry (its home under the
publisher's domain, e.g. ``nature.com/nm``), so a paper's outlet is its journal and the route it
came by (PubMed, Europe PMC) stays only its ``via``. ``outlets()`` gives each journal as an
``Outlet`` (publisher as owner), so journals show source type and publisher like any outlet.

The data file is ``analysis/data/journals.csv``: ``|`` separates several DOI prefixes or titles.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from analysis.model import Outlet

DATA_FILE = Path(__file__).with_name("data") / "journals.csv"
JOURNAL_SOURCE_TYPES = ("peer-reviewed journal", "preprint server")
_ISSN = re.compile(r"^(\d{4})-?(\d{3}[\dX])$")
# Meeting abstracts published under a journal's DOI: JCO's meeting supplements
# ("10.1200/jco.2024.42.16_suppl.7000") and ASH abstracts in Blood since 2023
# ("10.1182/blood-2023-186789"; Blood articles before 2019 look like "blood-2017-03-772228").
_ABSTRACT_DOI = re.compile(r"^10\.\d+/\S*_suppl\b|^10\.1182/blood-\d{4}-\d{5,}$")

MatchedBy = Literal["issn", "doi", "title"]


@dataclass(frozen=True, slots=True)
class Journal:
    """One journal or preprint server; ``key`` is its outlet-registry key."""

    key: str
    name: str
    publisher: str
    ownership_category: str | None
    country: str | None
    source_type: str
    issns: tuple[str, ...]
    doi_prefixes: tuple[str, ...]
    titles: tuple[str, ...]

    def outlet(self) -> Outlet:
        return Outlet(domain=self.key, name=self.name, source_type=self.source_type, owner=self.publisher,
                      ownership_category=self.ownership_category, country=self.country, language="en")


@dataclass(frozen=True, slots=True)
class JournalMatch:
    journal: Journal
    matched_by: MatchedBy


def normalize_issn(value: str | None) -> str | None:
    """``"1546170x"`` / ``"1546-170X"`` → ``"1546-170X"``; None for anything else, including a
    number whose check digit is wrong (a typo would otherwise silently match another journal)."""
    match = _ISSN.match((value or "").strip().upper())
    if not match:
        return None
    digits = match.group(1) + match.group(2)
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    if digits[7] != ("X" if check == 10 else str(check)):
        return None
    return f"{match.group(1)}-{match.group(2)}"


def title_key(title: str) -> str:
    """A journal title for matching: no accents, case, punctuation, leading "the", subtitle
    after " : " (PubMed's "Journal of clinical oncology : official journal of ..."), or
    parenthesised place ("Cancers (Basel)"); "&" reads as "and"."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    text = text.split(" : ", 1)[0]
    text = re.sub(r"\([^)]*\)", " ", text).replace("&", " and ")
    text = re.sub(r"[^0-9a-z]+", " ", text).strip()
    return text[4:] if text.startswith("the ") else text


def is_conference_abstract_doi(doi: str | None) -> bool:
    """Whether a DOI is one of a journal's meeting-abstract DOIs (see ``_ABSTRACT_DOI``)."""
    return bool(doi) and bool(_ABSTRACT_DOI.search((doi or "").strip().lower()))


class JournalRegistry:
    """Journals by ISSN, journal-specific DOI prefix and title."""

    def __init__(self, journals: Iterable[Journal]) -> None:
        self._journals = tuple(journals)
        self._by_issn: dict[str, Journal] = {}
        self._by_title: dict[str, Journal] = {}
        prefixes: list[tuple[str, Journal]] = []
        for journal in self._journals:
            for issn in journal.issns:
                _claim(self._by_issn, issn, journal, "ISSN")
            for title in (journal.name, *journal.titles):
                _claim(self._by_title, title_key(title), journal, "title")
            prefixes += [(p, journal) for p in journal.doi_prefixes]
        # Longest first, so "10.1182/bloodadvances" wins over a shorter "10.1182/blood" prefix.
        self._prefixes = sorted(prefixes, key=lambda pair: -len(pair[0]))

    @classmethod
    def load_default(cls) -> JournalRegistry:
        with DATA_FILE.open(newline="", encoding="utf-8") as handle:
            return cls.from_rows(csv.DictReader(handle))

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> JournalRegistry:
        return cls(_journal(row, number) for number, row in enumerate(rows, start=2))

    def journals(self) -> tuple[Journal, ...]:
        return self._journals

    def outlets(self) -> tuple[Outlet, ...]:
        return tuple(j.outlet() for j in self._journals)

    def resolve(self, *, title: str | None = None, issns: Sequence[str | None] = (),
                doi: str | None = None) -> JournalMatch | None:
        """The journal a record names, by ISSN, then DOI prefix, then title; None if unknown."""
        for issn in issns:
            found = self._by_issn.get(normalize_issn(issn) or "")
            if found:
                return JournalMatch(found, "issn")
        if doi:
            lowered = doi.strip().lower()
            for prefix, journal in self._prefixes:
                if lowered.startswith(prefix):
                    return JournalMatch(journal, "doi")
        found = self._by_title.get(title_key(title)) if title else None
        return JournalMatch(found, "title") if found else None


def _claim(index: dict[str, Journal], key: str, journal: Journal, what: str) -> None:
    """One key, one journal: a second journal claiming it is an error in the data file."""
    if not key:
        return
    current = index.setdefault(key, journal)
    if current is not journal:
        raise ValueError(f"journals: {what} {key!r} belongs to both {current.name} and {journal.name}")


def _journal(row: Mapping[str, str], number: int) -> Journal:
    source_type = row["source_type"]
    if source_type not in JOURNAL_SOURCE_TYPES:
        raise ValueError(f"journals row {number}: unknown source_type {source_type!r}")
    issns = []
    for raw in (row.get("issn_print"), row.get("issn_electronic")):
        if raw:
            issn = normalize_issn(raw)
            if issn is None:
                raise ValueError(f"journals row {number}: not an ISSN: {raw!r}")
            issns.append(issn)
    return Journal(
        key=row["key"], name=row["journal"], publisher=row["publisher"],
        ownership_category=row.get("ownership_category") or None, country=row.get("country") or None,
        source_type=source_type, issns=tuple(issns),
        doi_prefixes=tuple(p.strip().lower() for p in (row.get("doi_prefixes") or "").split("|") if p.strip()),
        titles=tuple(t.strip() for t in (row.get("titles") or "").split("|") if t.strip()),
    )
