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
        "Car-T therapy gives a veteran a second chance.",
        "La terapia celular CAR-T llega a Puerto Rico.",
        "Pacientes reciben células Car-T en San Juan.",
        "CART22 cells persisted for a year.",
        "The CART-HER2 program reported responses.",
        "Academic CART cells matched commercial products.",
        "El Clínic amplía su CART académico.",
        "Patients received CAR T-cell therapy; CAR-T-cell expansion peaked on day 10.",
    ],
)
def test_generic_car_t_terms(text: str) -> None:
    result = assess_relevance("", text)
    assert result.relevant and result.reason == "car_t_generic" and result.therapies == ()


@pytest.mark.parametrize(
    "text",
    [
        "A chimeric antigen receptor construct targeting CD19.",
        "Chimeric Antigen Receptor T cells",
        "La terapia con receptor de antígeno quimérico se usa en linfoma.",
        "Un receptor quimérico de antígeno más seguro reduce la toxicidad.",
        "Chimeric antigen receptor NK cells were compared with engineered T cells.",
    ],
)
def test_car_t_phrases_in_english_and_spanish(text: str) -> None:
    result = assess_relevance("", text)
    assert result.relevant and result.reason == "car_t_phrase"


def test_chimeric_antigen_receptor_on_nk_cells_alone_is_another_cell_therapy() -> None:
    result = assess_relevance("Off-the-shelf NK cells", "Cord-blood natural killer cells carry a chimeric antigen "
                                                          "receptor against CD19.")
    assert result == Relevance(False, "other_cell_therapy")


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("U.S. FDA approves Gilead's cell therapy for rare blood cancer",
         "The treatment uses patients' own T cells, genetically altered to attack the cancer."),
        ("Living drug helps teen beat leukemia",
         "Her T cells were removed, modified to hunt down cancerous B cells, and infused back."),
        ("Nueva inmunoterapia contra el linfoma",
         "Sus linfocitos T fueron modificados en el laboratorio para reconocer y destruir las células malignas."),
        ("Hospital news", "First paragraph about the hospital. Doctors re-engineered the patient's white blood "
                          "cells to attack the tumor."),
    ],
)
def test_car_t_described_in_words(title: str, text: str) -> None:
    assert assess_relevance(title, text).reason == "car_t_described"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("TCR-T approved", "Patients' own T cells are engineered with a T-cell receptor that recognises MAGE-A4."),
        ("TIL therapy", "Tumor-infiltrating lymphocytes are expanded and genetically modified to attack melanoma."),
        ("Bispecific", "The engineered antibody redirects T cells to attack myeloma."),
        ("Tregs", "Researchers expanded patients' own regulatory T cells, engineered to calm inflammation."),
        ("Sickle cell", "The one-time treatment edits a patient's own blood stem cells."),
        ("T cells", "T cells patrol the body and attack infected cells."),
    ],
)
def test_other_treatments_described_in_words_are_not_car_t(title: str, text: str) -> None:
    assert not assess_relevance(title, text).relevant


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
        "Car T-shirts sold out at the auto show; a CAR T-shirt too.",
        "A CART model and a CART analysis of readmissions; the CART series raced at Long Beach.",
        "Piloto mexicano recuerda su victoria en la CART; los CART-era coches se subastaron.",
        "Los carritos de compra abandonados crecen.",
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


def test_a_distinctive_car_t_trial_name_is_enough() -> None:
    result = assess_relevance("Kite's lymphoma cell therapy cuts risk of death in older patients",
                              "An analysis of the ZUMA-7 trial focused on people aged 65 and over.")
    assert result == Relevance(True, "names_trial")
    # Trial names that are ordinary words in capitals are not.
    assert not assess_relevance("A PILOT study of diet", "TRANSFORM your kitchen; the ENSIGN of the ship.").relevant


@pytest.mark.parametrize(("title", "kept"), [
    ("Mount Sinai doctors say single-dose therapy may cure some myeloma patients", True),
    ("U.S. FDA approves Gilead's cell therapy for rare blood cancer", True),
    ("Médicos del Auxilio Mutuo explican el nuevo tratamiento contra el linfoma", True),
    ("CART racing legends reunite at Long Beach", False),
    ("Shoppers abandon online carts as fees rise", False),
    ("TIL therapy shrinks melanoma after immunotherapy", False),
    ("Bispecific antibody doubles responses in myeloma", False),
])
def test_an_unread_search_hit_is_kept_unless_its_headline_shows_a_decoy(title: str, kept: bool) -> None:
    result = assess_relevance(title, "", search_hit=True)
    assert result.relevant is kept
    assert result.reason in (("search_hit", "names_product", "car_t_generic") if kept else ("decoy_headline",))
    # Without the flag the same headline is judged on its words alone.
    assert assess_relevance(title, "").reason != "search_hit"
