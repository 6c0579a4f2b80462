"""Manufacturer proximity and article source type."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import proximity
from analysis.model import Outlet
from analysis.proximity import (
    PROXIMITY_LABELS, article_source_type, developers_for, manufacturer_proximity,
)

CILTA = ["ciltacabtagene autoleucel"]
NEWS = Outlet("statnews.com", "STAT", "health/medical trade press")


def test_manufacturer_outlet_and_wire_outlet_are_manufacturer() -> None:
    company = Outlet("legendbiotech.com", "Legend Biotech", "manufacturer/company")
    wire = Outlet("prnewswire.com", "PR Newswire", "press release wire")
    assert manufacturer_proximity("Results were good.", "Data", company, CILTA) == "manufacturer"
    assert manufacturer_proximity("Results were good.", "Data", wire, CILTA) == "manufacturer"


@pytest.mark.parametrize("text", [
    "SOMERSET, N.J., Dec. 9, 2025 /PRNewswire/ -- Results from CARTITUDE-4 were presented.",
    "PHILADELPHIA--(BUSINESS WIRE)--Kite today announced new data.",
    "LONDON, June 1, 2025 (GLOBE NEWSWIRE) -- Autolus Therapeutics plc reported data.",
    "Data were presented at ASH. About Legend Biotech\nLegend Biotech is a global company.",
    "Data were presented. Cautionary Note Regarding Forward-Looking Statements: this release...",
    "Data were presented.\nMedia Contact: press@example.com",
])
def test_press_release_markers_mean_manufacturer(text: str) -> None:
    assert manufacturer_proximity(text, "Data at ASH", NEWS, CILTA) == "manufacturer"


def test_wire_named_in_passing_is_not_a_release() -> None:
    text = ("The readout, first distributed on Business Wire, impressed analysts. "
            "Investigators reported a 45% reduction in risk, researchers said.")
    assert manufacturer_proximity(text, "Readout", NEWS, CILTA) == "independent"


@pytest.mark.parametrize("text", [
    "The therapy cut the risk of death by 45%, said Mythili Koneru, chief medical officer "
    "of Legend Biotech.",
    "According to Johnson & Johnson, the label update is expected next year.",
    "Carvykti met its primary endpoint. The company said it would file in Europe.",
    "Janssen said the trial met its endpoint. Legend Biotech's chief executive said sales grew.",
])
def test_developer_as_main_source_quotes_manufacturer(text: str) -> None:
    assert manufacturer_proximity(text, "Carvykti update", NEWS, CILTA) == "quotes_manufacturer"


def test_independent_voices_outweigh_one_company_quote() -> None:
    text = ("The therapy helped, said a Legend Biotech spokesperson. "
            "Dr. Ann Lee, who was not involved in the study, said the data were mature. "
            "Dr. Bo Chen, a myeloma specialist at a university hospital, said toxicity matters.")
    assert manufacturer_proximity(text, "Carvykti update", NEWS, CILTA) == "independent"


def test_developer_headline_counts_as_company_source() -> None:
    text = "The data were presented in San Diego on Monday."
    title = "Legend Biotech Announces Overall Survival Data"
    assert manufacturer_proximity(text, title, NEWS, CILTA) == "quotes_manufacturer"


def test_other_products_developer_is_not_this_articles_manufacturer() -> None:
    text = "Novartis said its own product was unaffected by the ruling."
    assert manufacturer_proximity(text, "Carvykti ruling", NEWS, CILTA) == "independent"


def test_no_attribution_is_independent() -> None:
    text = "A phase 3 trial randomised 419 patients. Median PFS was not reached."
    assert manufacturer_proximity(text, "Trial", None, CILTA) == "independent"


def test_developers_for_accepts_brand_names_and_falls_back_to_all() -> None:
    assert developers_for(["Carvykti"]) == ("Janssen", "Johnson & Johnson", "J&J", "Legend Biotech")
    assert "Novartis" in developers_for(["tisa-cel"])
    everyone = developers_for([])
    assert {"Novartis", "Kite", "Autolus", "CARsgen", "Kyverna", "Cabaletta"} <= set(everyone)


def test_labels_are_the_published_vocabulary() -> None:
    assert PROXIMITY_LABELS == ("manufacturer", "quotes_manufacturer", "independent")


@pytest.mark.parametrize(("outlet", "kind", "expected"), [
    (NEWS, "news", "health/medical trade press"),
    (Outlet("pubmed.ncbi.nlm.nih.gov", "PubMed", "aggregator"), "paper", "peer-reviewed journal"),
    (Outlet("news.google.com", "Google News", "aggregator"), "headline", "aggregator"),
    (None, "preprint", "preprint server"),
    (None, "news", None),
])
def test_article_source_type(outlet: Outlet | None, kind: str, expected: str | None) -> None:
    assert article_source_type(outlet, kind) == expected


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=400), title=st.text(max_size=80))
def test_proximity_never_raises_on_arbitrary_text(text: str, title: str) -> None:
    assert manufacturer_proximity(text, title, None, []) in PROXIMITY_LABELS


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=".!? \n\taAbıİsaid told About WIRE wire forward Contact:", max_size=120))
def test_the_fast_scans_read_what_the_plain_patterns_read(text: str) -> None:
    if len(text.lower()) == len(text):  # the gap scan's own case (the other splits as before)
        plain = [s for s in proximity._SENTENCE_END.split(text) if proximity._ANY_CUE.search(s.lower())]
        assert proximity._cue_sentences(text) == plain
    folded = proximity.fold(text)
    for pattern, on_folded in ((proximity._INDEPENDENT, proximity._INDEPENDENT_FOLDED),
                               (proximity._ATTRIBUTION, proximity._ATTRIBUTION_FOLDED),
                               (proximity._COMPANY_VOICE, proximity._COMPANY_VOICE_FOLDED)):
        assert bool(pattern.search(text)) == bool(on_folded.search(folded))
    if proximity._RELEASE_MARKERS.search(text):
        assert any(word in folded for word in proximity._RELEASE_WORDS)
