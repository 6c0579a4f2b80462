"""Journal registry: a paper's outlet is its journal, found by ISSN, DOI prefix or title."""

from __future__ import annotations

import csv

import pytest

from analysis.journals import (
    DATA_FILE, JournalRegistry, is_conference_abstract_doi, normalize_issn, title_key,
)
from analysis.outlets import OutletRegistry


@pytest.fixture(scope="module")
def journals() -> JournalRegistry:
    return JournalRegistry.load_default()


def test_registry_lists_the_journals_that_publish_car_t_results(journals: JournalRegistry) -> None:
    names = {j.name for j in journals.journals()}
    assert {"New England Journal of Medicine", "The Lancet", "The Lancet Oncology", "The Lancet Haematology",
            "Journal of Clinical Oncology", "Blood", "Blood Advances", "Nature", "Nature Medicine",
            "Nature Reviews Clinical Oncology", "Journal of Hematology & Oncology", "Leukemia", "Haematologica",
            "JAMA", "JAMA Oncology", "Cancer Discovery", "Transplantation and Cellular Therapy",
            "Bone Marrow Transplantation", "Frontiers in Immunology", "Frontiers in Oncology", "Cancers",
            "medRxiv", "bioRxiv"} <= names


def test_every_issn_in_the_file_has_a_valid_check_digit() -> None:
    with DATA_FILE.open(newline="", encoding="utf-8") as handle:
        raw = [v for row in csv.DictReader(handle) for v in (row["issn_print"], row["issn_electronic"]) if v]
    assert len(raw) >= 50
    assert all(normalize_issn(v) == v for v in raw)


@pytest.mark.parametrize(("value", "expected"), [
    ("1546-170X", "1546-170X"), ("1546170x", "1546-170X"), (" 0028-4793 ", "0028-4793"),
    ("0028-4794", None), ("12345", None), ("", None), (None, None),
])
def test_normalize_issn(value: str | None, expected: str | None) -> None:
    assert normalize_issn(value) == expected


@pytest.mark.parametrize(("title", "issns", "doi", "name", "matched_by"), [
    # PubMed EFetch: Journal/Title and ISSN (print, electronic, linking).
    ("The New England journal of medicine", ("0028-4793",), "10.1056/NEJMoa2699001",
     "New England Journal of Medicine", "issn"),
    # Europe PMC core: journal title, issn and essn; an electronic ISSN alone is enough.
    ("Nature reviews. Clinical oncology", (None, "1759-4782"), None, "Nature Reviews Clinical Oncology", "issn"),
    # A Crossref-style record: container title and DOI, no ISSN we know.
    ("Some container title", ("9999-9999",), "10.1038/s41591-026-01234-5", "Nature Medicine", "doi"),
    (None, (), "10.1182/bloodadvances.2026019999", "Blood Advances", "doi"),
    (None, (), "10.1182/blood.2026024242", "Blood", "doi"),
    (None, (), "10.1016/S2352-3026(26)00012-3", "The Lancet Haematology", "doi"),
    (None, (), "10.1186/s13045-026-01700-1", "Journal of Hematology & Oncology", "doi"),
    # Titles as PubMed and Europe PMC write them.
    ("Journal of clinical oncology : official journal of the American Society of Clinical Oncology", (), None,
     "Journal of Clinical Oncology", "title"),
    ("J Hematol Oncol", (), None, "Journal of Hematology & Oncology", "title"),
    ("Cancers (Basel)", (), None, "Cancers", "title"),
    ("The Lancet. Haematology", (), None, "The Lancet Haematology", "title"),
    ("Transplantation and cellular therapy", (), None, "Transplantation and Cellular Therapy", "title"),
    ("medRxiv : the preprint server for health sciences", (), "10.1101/2026.11.10.26300001", "medRxiv", "title"),
])
def test_resolve_by_issn_then_doi_then_title(journals: JournalRegistry, title: str | None,
                                             issns: tuple[str | None, ...], doi: str | None, name: str,
                                             matched_by: str) -> None:
    match = journals.resolve(title=title, issns=issns, doi=doi)
    assert match is not None
    assert (match.journal.name, match.matched_by) == (name, matched_by)


def test_unknown_journal_and_publisher_wide_prefix_resolve_to_nothing(journals: JournalRegistry) -> None:
    assert journals.resolve(title="Journal of Obscure Studies", issns=("1351-0711",), doi="10.1136/oemed-1") is None
    # 10.1038/ is every Springer Nature title: without a journal-specific prefix it decides nothing.
    assert journals.resolve(doi="10.1038/d41586-026-00001-2") is None
    # bioRxiv and medRxiv share 10.1101: the server comes from the title, never the DOI.
    assert journals.resolve(doi="10.1101/2026.11.10.26300001") is None


def test_one_key_cannot_belong_to_two_journals() -> None:
    rows = [
        {"key": "a.org", "journal": "A", "publisher": "P", "source_type": "peer-reviewed journal",
         "issn_print": "0028-4793", "issn_electronic": "", "doi_prefixes": "", "titles": ""},
        {"key": "b.org", "journal": "B", "publisher": "P", "source_type": "peer-reviewed journal",
         "issn_print": "0028-4793", "issn_electronic": "", "doi_prefixes": "", "titles": ""},
    ]
    with pytest.raises(ValueError, match="ISSN '0028-4793' belongs to both A and B"):
        JournalRegistry.from_rows(rows)


def test_a_mistyped_issn_in_the_data_is_an_error() -> None:
    rows = [{"key": "a.org", "journal": "A", "publisher": "P", "source_type": "peer-reviewed journal",
             "issn_print": "0028-4794", "issn_electronic": "", "doi_prefixes": "", "titles": ""}]
    with pytest.raises(ValueError, match="not an ISSN"):
        JournalRegistry.from_rows(rows)


@pytest.mark.parametrize(("doi", "abstract"), [
    ("10.1200/JCO.2026.44.16_suppl.7005", True),
    ("10.1182/blood-2026-211234", True),
    ("10.1182/blood-2017-03-772228", False),  # a Blood article of 2017, not an ASH abstract
    ("10.1182/blood.2026024242", False),
    ("10.1200/JCO.26.01234", False),
    (None, False),
])
def test_meeting_abstract_dois(doi: str | None, abstract: bool) -> None:
    assert is_conference_abstract_doi(doi) is abstract


def test_journal_outlets_carry_source_type_and_publisher_like_news_outlets() -> None:
    registry = OutletRegistry.load_default()
    match = registry.resolve("nature.com/nrclinonc")
    assert match.outlet is not None
    assert (match.outlet.name, match.outlet.source_type, match.outlet.owner, match.matched_by) == (
        "Nature Reviews Clinical Oncology", "peer-reviewed journal",
        "Springer Nature Group (listed 2024; Holtzbrinck majority)", "path")
    # A journal the outlet file already lists keeps that row (one outlet, not two).
    nejm = registry.resolve("https://www.nejm.org/doi/full/10.1056/x").outlet
    assert nejm is not None and nejm.name == "New England Journal of Medicine"


def test_title_key_folds_the_ways_titles_are_written() -> None:
    assert title_key("The Lancet. Haematology") == title_key("Lancet Haematology") == "lancet haematology"
    assert title_key("Journal of Hematology & Oncology") == "journal of hematology and oncology"
