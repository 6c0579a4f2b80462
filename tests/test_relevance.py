"""Relevance: CAR-T products or generic CAR-T terms make an item relevant, nothing else does."""

import pytest

from analysis.relevance import Relevance, assess_relevance, prefilter


@pytest.mark.parametrize(
    ("title", "text", "therapies"),
    [
        ("Carvykti label expanded", "The FDA acted today.", ("ciltacabtagene autoleucel",)),
        ("Myeloma update", "Data for ide-cel and CARVYKTI® were shown.",
         ("idecabtagene vicleucel", "ciltacabtagene autoleucel")),
        ("Lymphoma news", "KTE C19 was studied in ZUMA-1.", ("axicabtagene ciloleucel",)),
    ],
)
def test_names_product(title: str, text: str, therapies: tuple[str, ...]) -> None:
    assert assess_relevance(title, text) == Relevance(True, "names_product", therapies)


@pytest.mark.parametrize(
    "text",
    [
        "A new CAR T therapy for lupus.",
        "CAR-T cells were infused.",
        "Patients received CAR T-cell therapy.",
        "Access to CAR-Ts remains uneven.",
        "A chimeric antigen receptor construct targeting CD19.",
        "Chimeric Antigen Receptor T cells",
    ],
)
def test_generic_car_t_terms(text: str) -> None:
    result = assess_relevance("", text)
    assert result.relevant and result.reason == "car_t_generic" and result.therapies == ()


@pytest.mark.parametrize(
    "text",
    [
        "Used car sales rose 4% in October as dealers cut prices.",
        "Add the item to your cart before checkout.",
        "Cart abandonment is rising; the Cart team responded.",
        "The CARES Act provided relief to hospitals.",
        "A car tire blew out; the car-t shirt meme spread.",
        "CART and CARTS are acronyms in traffic engineering.",
        "Oscar T. Smith won the race.",
        "",
    ],
)
def test_negatives(text: str) -> None:
    assert assess_relevance("Business", text) == Relevance(False, "no_car_t_terms")


def test_title_alone_is_enough() -> None:
    assert assess_relevance("CAR T approval in Europe", "No body.").relevant


def test_prefilter_uses_same_rules() -> None:
    assert prefilter("Yescarta sales", "Kite reported revenue.").reason == "names_product"
    assert prefilter("Car sales", "Dealers report a slow month.").relevant is False
