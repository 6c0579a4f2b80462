"""Therapy dictionary: aliases resolve to canonical names, mentions are found word-bounded."""

import pytest

from analysis.therapies import (
    Therapy,
    all_therapies,
    all_trials,
    find_therapies,
    find_trials,
    resolve_therapy,
    resolve_trial,
    therapy_aliases,
)

CILTA = "ciltacabtagene autoleucel"


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Carvykti", CILTA),
        ("CARVYKTI®", CILTA),
        ("cilta-cel", CILTA),
        ("cilta cel", CILTA),
        ("Cilta-cel", CILTA),
        ("JNJ-68284528", CILTA),
        ("JNJ 4528", CILTA),
        ("LCAR-B38M", CILTA),
        ("KTE C19", "axicabtagene ciloleucel"),
        ("KTE-X19", "brexucabtagene autoleucel"),
        ("JCAR017", "lisocabtagene maraleucel"),
        ("bb2121", "idecabtagene vicleucel"),
        ("CTL019", "tisagenlecleucel"),
        ("CNCT19", "inaticabtagene autoleucel"),
        ("CT041", "satricabtagene autoleucel"),
        ("CT053", "zevorcabtagene autoleucel"),
        ("CT103A", "equecabtagene autoleucel"),
        ("ARI0002h", "cesnicabtagene autoleucel"),
        ("TECARTUS", "brexucabtagene autoleucel"),
        ("NexCAR19", "actalycabtagene autoleucel"),
        ("Qartemi", "varnimcabtagene autoleucel"),
        ("anito-cel", "anitocabtagene autoleucel"),
        ("BMS-986393", "arlocabtagene autoleucel"),
        ("CABA-201", "resecabtagene autoleucel"),
        ("tisagenlecleucel", "tisagenlecleucel"),
        ("Obecabtagene Autoleucel", "obecabtagene autoleucel"),
    ],
)
def test_resolve_therapy_maps_alias_to_canonical(alias: str, canonical: str) -> None:
    assert resolve_therapy(alias) == canonical


def test_resolve_unknown_is_none() -> None:
    assert resolve_therapy("aspirin") is None
    assert resolve_trial("MONALEESA-2") is None


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("CARTITUDE-1", "CARTITUDE-1"),
        ("cartitude 4", "CARTITUDE-4"),
        ("LUMMICAR STUDY 1", "LUMMICAR-1"),
        ("TRANSCEND-NHL-001", "TRANSCEND NHL 001"),
        ("KarMMa 3", "KarMMa-3"),
        ("ZUMA 7", "ZUMA-7"),
        ("BMT CTN 1902", "BMT CTN 1902"),
        ("iMMagine-1", "iMMagine-1"),
    ],
)
def test_resolve_trial_variants(name: str, canonical: str) -> None:
    assert resolve_trial(name) == canonical


def test_find_therapies_spans_and_variants() -> None:
    text = "CARVYKTI® (cilta cel) beat KTE C19, and JNJ 4528 data were shown."
    found = find_therapies(text)
    assert [m.canonical for m in found] == [CILTA, CILTA, "axicabtagene ciloleucel", CILTA]
    for mention in found:
        assert text[mention.start : mention.end] == mention.alias
    assert found[0].alias == "CARVYKTI"


def test_find_therapies_not_inside_words() -> None:
    assert find_therapies("scarvykti, bb21210, xCTL019, AUTO12") == []


def test_case_sensitive_code_only_matches_capitals() -> None:
    assert find_therapies("an auto1 setting") == []
    assert [m.canonical for m in find_therapies("AUTO1 data")] == ["obecabtagene autoleucel"]


def test_find_trials_with_variant_spellings() -> None:
    text = "In ZUMA 7 and KarMMa-3, as in LUMMICAR STUDY 1 and TRANSCEND-NHL-001, results held."
    found = find_trials(text)
    assert [(m.canonical, m.therapy) for m in found] == [
        ("ZUMA-7", "axicabtagene ciloleucel"),
        ("KarMMa-3", "idecabtagene vicleucel"),
        ("LUMMICAR-1", "zevorcabtagene autoleucel"),
        ("TRANSCEND NHL 001", "lisocabtagene maraleucel"),
    ]
    assert text[found[2].start : found[2].end] == "LUMMICAR STUDY 1"


def test_trials_that_are_words_need_capitals() -> None:
    assert find_trials("a pilot study with Felix as mentor") == []
    assert [m.canonical for m in find_trials("the PILOT and FELIX trials")] == ["PILOT", "FELIX"]


def test_longest_trial_name_wins() -> None:
    found = find_trials("ZUMA-12 and TRANSCEND FL")
    assert [m.canonical for m in found] == ["ZUMA-12", "TRANSCEND FL"]


def test_dictionary_covers_fact_sheet() -> None:
    canon = {t.canonical for t in all_therapies()}
    for name in (
        "tisagenlecleucel", "axicabtagene ciloleucel", "brexucabtagene autoleucel",
        "lisocabtagene maraleucel", "idecabtagene vicleucel", CILTA, "obecabtagene autoleucel",
        "relmacabtagene autoleucel", "equecabtagene autoleucel", "inaticabtagene autoleucel",
        "zevorcabtagene autoleucel", "satricabtagene autoleucel", "actalycabtagene autoleucel",
        "varnimcabtagene autoleucel", "cesnicabtagene autoleucel", "anitocabtagene autoleucel",
        "anti-CD19 CAR T (academic)",
    ):
        assert name in canon
    assert all(isinstance(t, Therapy) for t in all_therapies())
    trial_products = {t.therapy for t in all_trials()}
    assert trial_products <= canon
    assert {t.canonical: t.therapy for t in all_trials()}["CARTITUDE-1"] == CILTA


def test_therapy_aliases_lists_every_name() -> None:
    aliases = therapy_aliases(CILTA)
    assert aliases[0] == CILTA
    assert {"cilta-cel", "Carvykti", "LCAR-B38M", "JNJ-4528"} <= set(aliases)
    assert therapy_aliases("nothing") == ()


def test_every_alias_resolves_to_its_own_product() -> None:
    for therapy in all_therapies():
        for alias in therapy_aliases(therapy.canonical):
            assert resolve_therapy(alias) == therapy.canonical
            assert [m.canonical for m in find_therapies(f"x {alias} y")] == [therapy.canonical]
