"""Claim extraction: one test per reporting pattern named in issue 4 and CLAIMS-GUIDE.md."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.claims import PUBLIC_FIELDS, claim_to_dict, extract_claims
from analysis.model import Claim, Metric

CILTA = "ciltacabtagene autoleucel"
IDE = "idecabtagene vicleucel"
AXI = "axicabtagene ciloleucel"


def _by_metric(text: str) -> dict[str, list[Claim]]:
    found: dict[str, list[Claim]] = {}
    for claim in extract_claims(text):
        found.setdefault(claim.metric, []).append(claim)
    return found


def _one(text: str, metric: str) -> Claim:
    claims = _by_metric(text).get(metric, [])
    assert len(claims) == 1, (metric, extract_claims(text))
    return claims[0]


def test_percent_before_metric_words() -> None:
    claim = _one("Carvykti produced a 98% overall response rate.", "ORR")
    assert (claim.therapy, claim.value, claim.unit, claim.timepoint_months) == (CILTA, 98.0, "%", None)


def test_rate_with_parenthetical_second_metric() -> None:
    found = _by_metric("With cilta-cel, the ORR was 97.9% (94.9% VGPR or better).")
    assert [c.value for c in found["ORR"]] == [97.9]
    assert [c.value for c in found["VGPR"]] == [94.9]
    assert set(found) == {"ORR", "VGPR"}


def test_median_duration_of_response() -> None:
    claim = _one("Cilta-cel showed a median duration of response of 21.8 months.", "DOR_MEDIAN")
    assert (claim.value, claim.unit, claim.not_reached, claim.timepoint_months) == (21.8, "months", False, None)


def test_median_not_reached() -> None:
    claim = _one("With ide-cel, median PFS was not reached.", "PFS_MEDIAN")
    assert (claim.value, claim.unit, claim.not_reached) == (None, "months", True)


def test_not_reached_list_gives_one_claim_per_metric() -> None:
    found = _by_metric("Medians for PFS, DOR and OS were not reached with CARVYKTI.")
    assert set(found) == {"PFS_MEDIAN", "DOR_MEDIAN", "OS_MEDIAN"}
    assert all(c[0].not_reached and c[0].value is None for c in found.values())


def test_word_fraction_with_counts_and_five_year_landmark() -> None:
    text = "With cilta-cel, one-third (32/97) remained progression-free for five years."
    claim = _one(text, "PFS_RATE")
    assert abs(claim.value - 33.3) <= 0.5
    assert (claim.denominator, claim.timepoint_months) == (97, 60.0)
    assert "N_PATIENTS" not in _by_metric(text)


def test_x_of_y_rate() -> None:
    claim = _one("Thirty-one of 32 patients responded to LCAR-B38M.", "ORR")
    assert (claim.therapy, claim.value, claim.denominator) == (CILTA, 96.9, 32)
    assert "N_PATIENTS" not in _by_metric("Thirty-one of 32 patients responded to LCAR-B38M.")


def test_stated_percentage_wins_over_fraction() -> None:
    claim = _one("In ZUMA-3, 39 of 55 adults (71%) reached CR or CRi with brexu-cel.", "REMISSION_RATE")
    assert (claim.value, claim.denominator, claim.trial) == (71.0, 55, "ZUMA-3")


def test_numbers_in_words() -> None:
    found = _by_metric("Seventy-one adults with myeloma received anito-cel, and seventy-three percent responded.")
    assert [c.value for c in found["N_PATIENTS"]] == [71.0]
    assert [c.value for c in found["ORR"]] == [73.0]
    assert _one("Half of the patients treated with relma-cel had a complete response.", "CR").value == 50.0
    assert _one("Three in four patients responded to relma-cel.", "ORR").value == 75.0


def test_confidence_interval_in_parentheses_is_not_a_claim() -> None:
    claims = extract_claims("The ORR with axi-cel was 92% (95% CI, 85–97).")
    assert [(c.metric, c.value, c.ci_low, c.ci_high) for c in claims] == [("ORR", 92.0, 85.0, 97.0)]


def test_not_estimable_ci_bound_is_none() -> None:
    claim = _one("Median DOR with obe-cel was 14.1 months (95% CI, 8.2 to NE).", "DOR_MEDIAN")
    assert (claim.value, claim.ci_low, claim.ci_high) == (14.1, 8.2, None)


def test_ranges_are_not_claims() -> None:
    text = "At a median follow-up of 15.9 months (range, 0.1 to 27.3), median PFS was not reached with cilta-cel."
    found = _by_metric(text)
    assert [c.value for c in found["FOLLOWUP_MEDIAN"]] == [15.9]
    assert set(found) == {"FOLLOWUP_MEDIAN", "PFS_MEDIAN"}


def test_several_claims_in_one_sentence() -> None:
    text = "Breyanzi induced responses in 73% of 256 evaluable patients, including complete responses in 53%."
    got = {(c.metric, c.value) for c in extract_claims(text)}
    assert got == {("ORR", 73.0), ("CR", 53.0), ("N_PATIENTS", 256.0)}


def test_respectively_lists_zip() -> None:
    got = {(c.metric, c.value, c.timepoint_months) for c in
           extract_claims("The 27-month PFS and OS rates were 54.9% and 70.4%, respectively, with cilta-cel.")}
    assert got == {("PFS_RATE", 54.9, 27.0), ("OS_RATE", 70.4, 27.0)}


def test_therapy_inherited_within_paragraph_with_lower_confidence() -> None:
    text = "Abecma was studied in KarMMa. Median PFS was 8.8 months.\n\nMedian PFS was 4.4 months with Kymriah."
    claims = extract_claims(text)
    assert [(c.therapy, c.value, c.trial) for c in claims] == [
        (IDE, 8.8, "KarMMa"), ("tisagenlecleucel", 4.4, None)]
    assert text[claims[0].start : claims[0].end] == "Median PFS was 8.8 months."
    named = _one("Median PFS was 8.8 months with ide-cel.", "PFS_MEDIAN")
    assert claims[0].confidence < named.confidence


def test_no_therapy_no_claim() -> None:
    text = "Cilta-cel and ide-cel were discussed.\n\nThe ORR was 80% in the other study."
    assert extract_claims(text) == []


def test_comparator_arm_values_are_excluded() -> None:
    claims = extract_claims("In ZUMA-7, median event-free survival was 8.3 vs 2.0 months with axi-cel.")
    assert [(c.metric, c.value, c.trial) for c in claims] == [("EFS_MEDIAN", 8.3, "ZUMA-7")]
    text = "At 12 months, PFS was 75.9% with cilta-cel and 48.6% with standard care; ORR was 84.6% versus 67.3%."
    got = {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)}
    assert got == {("PFS_RATE", 75.9, 12.0), ("ORR", 84.6, None)}


def test_timepoints() -> None:
    assert _one("The 2-year PFS with axi-cel was 60.5%.", "PFS_RATE").timepoint_months == 24.0
    assert _one("Five years after Yescarta, 42.6% of patients were alive.", "OS_RATE").timepoint_months == 60.0
    claim = _one("Kymriah produced remission at 90 days in 81% of patients.", "REMISSION_RATE")
    assert claim.timepoint_months == 3.0
    assert _one("With ide-cel, median OS was 19.4 months.", "OS_MEDIAN").timepoint_months is None


def test_duration_in_years_keeps_unit() -> None:
    claim = _one("Patients given Yescarta lived a median of two years without an event.", "EFS_MEDIAN")
    assert (claim.value, claim.unit) == (2.0, "years")


def test_followup_is_claimed_and_copied_to_the_paragraph() -> None:
    text = ("Cilta-cel was studied in CARTITUDE-1. With a median follow-up of 61.3 months, "
            "median PFS was 34.9 months.\n\nCarvykti's ORR was 97%.")
    claims = extract_claims(text)
    by_metric = {c.metric: c for c in claims}
    assert by_metric["FOLLOWUP_MEDIAN"].value == 61.3
    assert by_metric["PFS_MEDIAN"].followup_months == 61.3
    assert by_metric["ORR"].followup_months == 61.3  # the text's only data cut
    assert "up to" not in text and _by_metric("Ide-cel patients were followed for up to 2 years.") == {}


def test_patient_counts() -> None:
    got = [c.value for c in extract_claims(
        "A total of 381 patients were randomized: 254 to ide-cel and 127 to a standard regimen.")]
    assert got == [381.0]  # the arms as randomised are not N_PATIENTS (guide rule 15)
    assert _one("The ORR with eque-cel was 92% of 61 MRD-evaluable patients.", "N_PATIENTS").value == 61.0
    assert _one("(n = 68) patients got KTE-X19.", "N_PATIENTS").value == 68.0
    for text in ("Arcellx plans to enroll approximately 450 patients to test anito-cel.",
                 "With cilta-cel, 15 patients achieved a complete response.",
                 "Cilta-cel trials ran at 34 sites in 6 countries."):
        assert "N_PATIENTS" not in _by_metric(text), text


def test_safety_grades() -> None:
    found = _by_metric("With cilta-cel, CRS occurred in 95% of patients (grade 3 or 4 in 4%), "
                       "and neurotoxicity in 21% (grade ≥3 in 10%).")
    assert {m: [c.value for c in cs] for m, cs in found.items()} == {
        "CRS_ANY": [95.0], "CRS_GRADE3PLUS": [4.0], "ICANS_ANY": [21.0], "ICANS_GRADE3PLUS": [10.0]}
    found = _by_metric("Neurologic events occurred in 30% of liso-cel patients, all grade 1–2.")
    assert set(found) == {"ICANS_ANY"}
    assert _one("Severe CRS occurred in 13% with axi-cel.", "CRS_GRADE3PLUS").value == 13.0


def test_distractors_produce_nothing() -> None:
    for text in (
        "Cilta-cel was given at 0.75 × 10^6 CAR+ T cells/kg to patients with a median age of 61 years.",
        "Yescarta's list price was $373,000 when the FDA approved it on October 18, 2017.",
        "Ide-cel patients had received a median of six prior lines of therapy, and 84% were triple-class refractory.",
        "Carvykti cut the risk of progression or death by 74% (hazard ratio 0.26; P<0.001).",
        "Median time to first response with cilta-cel was 0.95 months.",
        "Non-relapse mortality at 12 months was 3.2% with liso-cel, and 12% had partial responses.",
        "Relapse-free survival with Kymriah was 59% at one year.",
        "Legend Biotech shares rose 12% after Carvykti sales reached $500 million.",
    ):
        assert extract_claims(text) == [], text


def test_trial_only_when_named_and_normalised() -> None:
    claim = _one("Zevor-cel led to an ORR of 92.2% in LUMMICAR STUDY 1.", "ORR")
    assert (claim.therapy, claim.trial) == ("zevorcabtagene autoleucel", "LUMMICAR-1")
    assert _one("In a phase 1 study, cilta-cel's ORR was 97%.", "ORR").trial is None
    assert _one("In ZUMA 7, the ORR was 83%.", "ORR").therapy == AXI


def test_indication_is_normalised() -> None:
    assert _one("In relapsed multiple myeloma, Abecma's ORR was 73%.", "ORR").indication == "multiple myeloma"
    assert _one("Axi-cel's ORR in large B-cell lymphoma was 82%.", "ORR").indication == "LBCL"


def test_academic_class_when_no_product_is_named() -> None:
    found = _by_metric("All eight patients with SLE treated with CD19 CAR T cells reached DORIS remission.")
    assert [(c.therapy, c.value) for c in found["REMISSION_RATE"]] == [("anti-CD19 CAR T (academic)", 100.0)]
    assert [c.value for c in found["N_PATIENTS"]] == [8.0]


def test_claim_to_dict_has_public_fields() -> None:
    claim = extract_claims("Carvykti's ORR was 97.9% (95% CI, 92.7–99.7) in 97 patients.")[0]
    data = claim_to_dict(claim)
    assert tuple(data) == PUBLIC_FIELDS
    assert {"therapy", "trial", "metric", "value", "unit", "not_reached", "timepoint_months", "ci_low",
            "ci_high", "denominator", "sentence", "start", "end", "confidence"} <= set(data)


def test_deterministic_and_offsets() -> None:
    text = "Intro.\n\n  Carvykti's ORR was 97%.  Median PFS was 34.9 months.\n"
    first, second = extract_claims(text), extract_claims(text)
    assert first == second and len(first) == 2
    for claim in first:
        assert text[claim.start : claim.end] == claim.sentence
        assert 0.0 <= claim.confidence <= 1.0


_PIECES = st.sampled_from([
    "cilta-cel ", "Carvykti ", "ZUMA-7 ", "ORR ", "CR ", "median ", "PFS ", "not reached ", "NR ", "was ",
    "97.9% ", "% ", "of ", "32/97 ", "one-third ", "half ", "all ", "patients ", "grade ≥3 ", "CRS ",
    "at 12 months ", "2-year ", "versus ", "(95% CI, 1–NE) ", "(n = 5) ", ". ", "; ", ", ", "\n\n", "\n",
    "months ", "years ", "three in four ", "0", "7", "(", ")", "\u00a0", "ß", "\u0130",
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=40).map("".join)))
def test_arbitrary_text_never_raises_and_offsets_hold(text: str) -> None:
    for claim in extract_claims(text):
        assert text[claim.start : claim.end] == claim.sentence
        assert claim.metric in {m.value for m in Metric}
        assert claim.unit in {"%", "months", "years", "patients"}


# Structures found in real reporting (shared/domain/claims-dev and public pages), in our own words.
# Each row: text, then the (metric, value, timepoint) tuples it must give, exactly.
_STRUCTURES = [
    pytest.param(  # the seed story: adjective-form median, enrolled count, word fraction over years
        "- The CARTITUDE-1 trial of cilta-cel enrolled 97 heavily pretreated patients, showing a 98% overall "
        "response rate and a 21.8-month median duration of response.\n- One-third of patients stayed "
        "progression-free for five years.",
        {("N_PATIENTS", 97, None), ("ORR", 98, None), ("DOR_MEDIAN", 21.8, None), ("PFS_RATE", 33.3, 60)},
        id="seed-story"),
    pytest.param(
        "With axi-cel, median PFS and OS were 14.1 and 31.2 months, respectively.",
        {("PFS_MEDIAN", 14.1, None), ("OS_MEDIAN", 31.2, None)}, id="respectively-medians"),
    pytest.param(
        "Liso-cel gave 6- and 12-month EFS rates of 71% and 52%.",
        {("EFS_RATE", 71, 6), ("EFS_RATE", 52, 12)}, id="listed-landmarks"),
    pytest.param(
        "With obe-cel, OS rates at six, 12 and 18 months reached 88%, 70% and 61%.",
        {("OS_RATE", 88, 6), ("OS_RATE", 70, 12), ("OS_RATE", 61, 18)}, id="landmarks-in-words"),
    pytest.param(
        "For tisa-cel the estimated 24-month PFS, DOR and OS rates stood at 51.2% (95% CI, 40-61), "
        "at 60.3% (95% CI, 48-70) and at 80.1% (95% CI, 70-87).",
        {("PFS_RATE", 51.2, 24), ("OS_RATE", 80.1, 24)}, id="label-list-across-verb"),
    pytest.param(
        "Grade 3 or higher CRS and neurologic events occurred in 4% and 11% of brexu-cel patients, respectively.",
        {("CRS_GRADE3PLUS", 4, None), ("ICANS_GRADE3PLUS", 11, None)}, id="shared-grade-qualifier"),
    pytest.param(
        "Cilta-cel's overall and complete response rates were 91% and 72%. In patients with one prior line, "
        "these rates were 95% and 80%, respectively.",
        {("ORR", 91, None), ("CR", 72, None), ("ORR", 95, None), ("CR", 80, None)}, id="back-reference"),
    pytest.param(
        "At 24 months, PFS with ide-cel was 41%; 38% of patients had a CR.",
        {("PFS_RATE", 41, 24), ("CR", 38, None)}, id="landmark-scoped-to-its-clause"),
    pytest.param(
        "The 12-month EFS rate with axi-cel was 47%, as opposed to 22% for those assigned to standard care.",
        {("EFS_RATE", 47, 12)}, id="comparator-as-opposed-to"),
    pytest.param(
        "MRD negativity was seen in 88% of anito-cel patients who reached CR or better.",
        {("MRD_NEG", 88, None)}, id="subgroup-definition-is-not-a-claim"),
    pytest.param(
        "The ORR with eque-cel was 95 percent (95 percent confidence interval, 88 to 98), and the median "
        "PFS was 26.3 months [95% CI (confidence interval), 19.1-NR].",
        {("ORR", 95, None), ("PFS_MEDIAN", 26.3, None)}, id="confidence-intervals-in-words"),
    pytest.param(
        "Among the 50 evaluable patients treated with zevor-cel, 46 were MRD negative.",
        {("MRD_NEG", 92, None)}, id="split-fraction"),
    pytest.param(
        "Of 140 patients who underwent leukapheresis, 121 (86%) went on to receive brexu-cel.",
        {("N_PATIENTS", 140, None), ("N_PATIENTS", 121, None)}, id="leukapheresed-and-infused"),
    pytest.param(
        "In 7 patients (41%) on ide-cel CRS occurred, including 1 patient with grade 3 CRS.",
        {("CRS_ANY", 41, None)}, id="event-counts-are-not-groups"),
    pytest.param(
        "In a registry analysis of 1,020 patients given commercial liso-cel, the CR rate was 55%, similar "
        "to TRANSCEND NHL 001.",
        {("N_PATIENTS", 1020, None), ("CR", 55, None)}, id="real-world-keeps-its-own-figures"),
    pytest.param(
        "The trial randomized 300 patients: 150 to cilta-cel and 150 to standard care.",
        {("N_PATIENTS", 300, None)}, id="arms-as-randomised"),
    pytest.param(
        "Obe-cel produced an improvement of 40% in event-free survival after >2 years of median follow-up.",
        set(), id="relative-effects-and-bounds"),
    pytest.param(
        "Relma-cel achieved a high rate of complete responses (CR; 81%); 19% of responders remained in "
        "remission at two years.",
        {("CR", 81, None)}, id="abbreviation-and-ongoing-remission"),
    pytest.param(
        "Among 44 evaluable patients, ORR was 86%. Anito-cel was given as one infusion.",
        {("N_PATIENTS", 44, None), ("ORR", 86, None)}, id="among-group-then-a-metric"),
    pytest.param(
        "Of 120 patients who had apheresis, 104 were given liso-cel and 90 (cohort A = 61; cohort B = 29) "
        "were evaluable.",
        {("N_PATIENTS", 120, None), ("N_PATIENTS", 104, None), ("N_PATIENTS", 90, None),
         ("N_PATIENTS", 61, None), ("N_PATIENTS", 29, None)}, id="named-parts-of-a-group"),
    pytest.param(
        "Ten patients had been enrolled, of whom seven had received an infusion of tisa-cel.",
        {("N_PATIENTS", 10, None), ("N_PATIENTS", 7, None)}, id="of-whom-had-received"),
    pytest.param(
        "In all, 21 patients with scleroderma have now been treated with CD19 CAR T cells; 41 pts had been "
        "infused with ide-cel elsewhere.",
        {("N_PATIENTS", 21, None), ("N_PATIENTS", 41, None)}, id="have-now-been-treated-and-pts"),
    pytest.param(
        "With eque-cel, CRS and neurologic events occurred in 91% and 12%; grade 3 or higher events occurred in "
        "2% and 1%, respectively.",
        {("CRS_ANY", 91, None), ("ICANS_ANY", 12, None), ("CRS_GRADE3PLUS", 2, None), ("ICANS_GRADE3PLUS", 1, None)},
        id="grade-list-with-elided-labels"),
    pytest.param(
        "Any-grade CRS and ICANS were seen in 55% and 21% of zevor-cel patients, and grade ≥3 in 3% and 6%.",
        {("CRS_ANY", 55, None), ("ICANS_ANY", 21, None), ("CRS_GRADE3PLUS", 3, None), ("ICANS_GRADE3PLUS", 6, None)},
        id="grade-list-after-a-comma"),
    pytest.param(
        "CRS was reported in 77% of patients given arlo-cel (grade 3/4: 2%).",
        {("CRS_ANY", 77, None), ("CRS_GRADE3PLUS", 2, None)}, id="grade-range-then-colon"),
    pytest.param(
        "Patients given ide-cel lived a median of 24.8 months and went a median of 13.1 months without their "
        "cancer getting worse; serious neurologic side effects affected 3%.",
        {("OS_MEDIAN", 24.8, None), ("PFS_MEDIAN", 13.1, None), ("ICANS_GRADE3PLUS", 3, None)},
        id="lay-words-for-survival-and-neurotoxicity"),
    pytest.param(
        "Patients who got axi-cel lived a median of three years without an event.",
        {("EFS_MEDIAN", 3, None)}, id="lived-a-median-without-an-event-is-efs"),
    pytest.param(
        "After one infusion of anito-cel, 37 of 38 patients responded (97%).",
        {("ORR", 97, None)}, id="fraction-label-then-stated-share"),
    pytest.param(
        "The CR rate with liso-cel was 61% (n = 55/90), and the ORR 80% (n = 72/90).",
        {("CR", 61, None), ("ORR", 80, None)}, id="share-then-n-equals-fraction"),
    pytest.param(
        "Con cilta-cel, 9 de cada 10 pacientes respondieron y la mediana de supervivencia global no se alcanzó.",
        {("ORR", 90, None), ("OS_MEDIAN", None, None)}, id="spanish-de-cada-and-no-se-alcanzo"),
    pytest.param(
        "With ide-cel the median DOR was 10.9 months (95% CI, 9.0-11.4) in responders (partial response or "
        "better) and 20.1 months [95% CI, 12.0 months, NE] in those with a stringent CR.",
        {("DOR_MEDIAN", 10.9, None), ("DOR_MEDIAN", 20.1, None)}, id="second-median-after-an-aside"),
    pytest.param(
        "In the 86-patient study, arlo-cel was given to 80 people, including 12 with extramedullary disease.",
        {("N_PATIENTS", 86, None), ("N_PATIENTS", 80, None), ("N_PATIENTS", 12, None)},
        id="count-as-adjective-and-including-subgroup"),
    pytest.param(
        "A total of 44 patients were dosed with arlo-cel (part A, 30; part B, 14).",
        {("N_PATIENTS", 44, None), ("N_PATIENTS", 30, None), ("N_PATIENTS", 14, None)},
        id="parts-of-a-group-in-a-later-bracket"),
    pytest.param(
        "Thirty-one patients (22 with SLE and 9 with myositis) received CD19 CAR T cells.",
        {("N_PATIENTS", 31, None), ("N_PATIENTS", 22, None), ("N_PATIENTS", 9, None)},
        id="parts-of-a-group-with-their-disease"),
    pytest.param(
        "Liso-cel was infused in 20 patients at dose level 1 and 51 patients at dose level 2.",
        {("N_PATIENTS", 20, None), ("N_PATIENTS", 51, None)}, id="counts-after-dose-levels"),
    pytest.param(
        "Seventy patients were enrolled; 64 were infused with eque-cel and 4 died before infusion.",
        {("N_PATIENTS", 70, None), ("N_PATIENTS", 64, None)}, id="infused-then-another-counts-event"),
    pytest.param(
        "Patients infused with zevor-cel: 102\nEfficacy-evaluable: 98; safety set: 102",
        {("N_PATIENTS", 102, None), ("N_PATIENTS", 98, None)}, id="fact-box-counts"),
    pytest.param(
        "With obe-cel, the 3-year probabilities of event-free survival (pEFS), relapse-free survival (pRFS) and "
        "overall survival (pOS) stood at 41.0%, 48.2% and 55.5%, respectively.",
        {("EFS_RATE", 41.0, 36), ("OS_RATE", 55.5, 36)}, id="label-list-with-abbreviations-and-a-neighbour"),
    pytest.param(
        "Anito-cel reached a 15-month progression-free survival (PFS; 79%).",
        {("PFS_RATE", 79, 15)}, id="landmark-before-a-bracketed-value"),
    pytest.param(
        "CRS occurred in 88% of patients given eque-cel; most CRS was grade 1 (52%) or 2 (30%).",
        {("CRS_ANY", 88, None)}, id="listed-low-grade-shares"),
    pytest.param(
        "The measurable residual disease (MRD)-negative rate with zevor-cel was 91%, and MRD was undetectable in "
        "84% of evaluable patients.",
        {("MRD_NEG", 91, None), ("MRD_NEG", 84, None)}, id="mrd-in-more-words"),
    pytest.param(
        "In the cilta-cel arm, 60% and 51% of patients became MRD negative at sensitivity thresholds of 10-5 and "
        "10-6, respectively, versus 15% and 7% in the standard-care arm.",
        {("MRD_NEG", 60, None), ("MRD_NEG", 51, None)}, id="listed-thresholds-and-a-listed-comparator"),
    pytest.param(
        "A single infusion of obe-cel put 72% of adults with relapsed leukemia into remission; half of those who "
        "responded were still in remission a year later.",
        {("REMISSION_RATE", 72, None)}, id="relapsed-names-the-disease-and-who-responded-defines-a-group"),
]


@pytest.mark.parametrize(("text", "expected"), _STRUCTURES)
def test_real_reporting_structures(text: str, expected: set[tuple[str, float | None, float | None]]) -> None:
    got = {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)}
    assert got == {(m, None if v is None else float(v), None if t is None else float(t)) for m, v, t in expected}


def test_real_world_cohorts_keep_trial_null() -> None:
    text = ("In 410 patients treated with standard-of-care cilta-cel at 12 US centers, the ORR was 89%, "
            "consistent with CARTITUDE-1.")
    assert {c.trial for c in extract_claims(text)} == {None}


def test_figures_pooled_over_two_products_are_not_claims() -> None:
    text = ("We treated 20 patients with axi-cel and 15 with tisa-cel. One-year overall survival for the "
            "whole cohort was 64%.")
    assert [c.metric for c in extract_claims(text) if c.metric != "N_PATIENTS"] == []


def test_headline_and_body_figure_is_one_claim() -> None:
    text = "Carvykti hits 97% response rate\n\nIn CARTITUDE-1, Carvykti produced a 97% overall response rate."
    assert [(c.metric, c.value) for c in extract_claims(text)] == [("ORR", 97.0)]


def test_metric_codes_come_from_the_one_vocabulary() -> None:
    text = "Ide-cel: ORR 73%, CR 33%, median PFS 8.8 months, grade 3 or higher CRS 5%, in 128 patients."
    assert {c.metric for c in extract_claims(text)} <= {m.value for m in Metric}


def _tuples(text: str) -> set[tuple[str, str, float | None, bool, float | None]]:
    return {(c.therapy, c.metric, c.value, c.not_reached, c.timepoint_months) for c in extract_claims(text)}


def test_registry_record_as_the_web_page_shows_it() -> None:
    text = ("Outcome Measure: Progression-Free Survival Rate at Month 18\n"
            "Time Frame: Up to approximately 4 years\n"
            "Arm/Group: Idecabtagene vicleucel\n"
            "Number of Participants Analyzed: 88\n"
            "Percentage of participants: 44.2 (95% CI 33.0 to 54.8)\n\n"
            "Outcome Measure: Overall Survival (OS)\n"
            "Time Frame: From infusion to death (up to 5 years)\n"
            "Arm/Group: Idecabtagene vicleucel — Median (95% CI): NA months (30.1 to NA)\n"
            "NA: the median was not reached because too few participants had events.")
    assert _tuples(text) == {
        ("idecabtagene vicleucel", "N_PATIENTS", 88.0, False, None),
        ("idecabtagene vicleucel", "PFS_RATE", 44.2, False, 18.0),
        ("idecabtagene vicleucel", "OS_MEDIAN", None, True, None),
    }


def test_registry_record_keeps_the_car_t_arm_and_never_reads_the_time_frame() -> None:
    text = ("Outcome Measure: Event-Free Survival (EFS)\n"
            "Time Frame: Up to approximately 36 months\n"
            "Arm/Group: Axicabtagene ciloleucel — Median (95% CI): 9.1 months (5.9 to 14.2)\n"
            "Arm/Group: Standard of care — Median (95% CI): 2.3 months (1.7 to 3.1)")
    assert _tuples(text) == {("axicabtagene ciloleucel", "EFS_MEDIAN", 9.1, False, None)}


def test_registry_results_as_the_crawler_writes_them() -> None:
    text = ("Primary outcome result: Complete Response Rate (time frame: Up to 2 years). Breyanzi: 61.5 "
            "percentage of participants (95% Confidence Interval 50.1 to 71.8) of 91 participants analysed; "
            "Salvage chemotherapy: 32.4 percentage of participants (95% Confidence Interval 22.9 to 43.2) of 92 "
            "participants analysed.\n\n"
            "Secondary outcome result: Overall Response Rate (time frame: Up to 2 years). Breyanzi: 79 Participants "
            "of 91 participants analysed; Salvage chemotherapy: 45 Participants of 92 participants analysed.\n\n"
            "Status: COMPLETED. Enrollment (estimated): 200.")
    assert _tuples(text) == {
        ("lisocabtagene maraleucel", "CR", 61.5, False, None),
        ("lisocabtagene maraleucel", "ORR", 86.8, False, None),
    }


def test_spanish_language_reporting() -> None:
    text = ("En el estudio CARTITUDE-1, 97 pacientes recibieron cilta-cel; la tasa de respuesta global fue del "
            "97,9 % y la mediana de supervivencia libre de progresión alcanzó 34,9 meses. La supervivencia global "
            "a los tres años fue del 62,9 %.")
    assert _tuples(text) == {
        ("ciltacabtagene autoleucel", "N_PATIENTS", 97.0, False, None),
        ("ciltacabtagene autoleucel", "ORR", 97.9, False, None),
        ("ciltacabtagene autoleucel", "PFS_MEDIAN", 34.9, False, None),
        ("ciltacabtagene autoleucel", "OS_RATE", 62.9, False, 36.0),
    }


def test_english_thousands_are_not_decimal_commas() -> None:
    assert _tuples("Among 1,297 patients treated with commercial axi-cel, the ORR was 73%.") == {
        ("axicabtagene ciloleucel", "N_PATIENTS", 1297.0, False, None),
        ("axicabtagene ciloleucel", "ORR", 73.0, False, None),
    }


def test_a_shares_n_that_is_that_share_of_another_count_is_a_numerator() -> None:
    text = ("In CARTITUDE-1 the overall response rate with cilta-cel reached 98% (n, 97). "
            "Furthermore, 78% (n, 76) attained a stringent complete response.")
    assert {(c.metric, c.value) for c in extract_claims(text)} == {
        ("N_PATIENTS", 97.0), ("ORR", 98.0), ("sCR", 78.0)}


def test_headline_lines_and_fact_boxes_are_units() -> None:
    text = ("Kite reports long-term ZUMA-1 data\n"
            "-- 43 Percent Alive Four Years After a Single Yescarta Infusion --\n"
            "Yescarta was given to 101 patients.\n\n"
            "97.9%\nCARTITUDE-1 ORR for cilta-cel\n8.8 mo\nMedian PFS with ide-cel in KarMMa")
    got = {(c.therapy, c.metric, c.value, c.timepoint_months) for c in extract_claims(text)}
    assert got == {("axicabtagene ciloleucel", "OS_RATE", 43.0, 48.0), ("axicabtagene ciloleucel", "N_PATIENTS", 101.0, None),
                   ("ciltacabtagene autoleucel", "ORR", 97.9, None), ("idecabtagene vicleucel", "PFS_MEDIAN", 8.8, None)}


def test_baseline_history_and_group_definitions_are_not_claims() -> None:
    text = ("A total of 120 patients received liso-cel at level 1 (40 patients) or level 2 (80 patients); 38% "
            "had never achieved a complete response with earlier treatment. All patients who achieved CR "
            "remained in remission at one year.")
    assert {(c.metric, c.value) for c in extract_claims(text)} == {
        ("N_PATIENTS", 120.0), ("N_PATIENTS", 40.0), ("N_PATIENTS", 80.0)}


def test_randomised_total_counts_and_arms_do_not() -> None:
    text = ("Adults eligible for transplant (N = 184) were randomly assigned to liso-cel (n = 92) or standard "
            "of care (n = 92).")
    assert {(c.metric, c.value) for c in extract_claims(text)} == {("N_PATIENTS", 184.0)}


def test_head_to_head_comparisons_credit_each_product() -> None:
    text = ("In a matched real-world comparison, cilta-cel outperformed ide-cel, with a higher overall response "
            "rate (91% vs 79%). Any-grade CRS affected 80% of cilta-cel and 76% of ide-cel recipients.")
    assert {(c.therapy, c.metric, c.value) for c in extract_claims(text)} == {
        ("ciltacabtagene autoleucel", "ORR", 91.0), ("idecabtagene vicleucel", "ORR", 79.0),
        ("ciltacabtagene autoleucel", "CRS_ANY", 80.0), ("idecabtagene vicleucel", "CRS_ANY", 76.0)}


def test_the_words_of_a_comparison_order_the_products_not_their_first_mention() -> None:
    text = ("Of 300 myeloma patients given ide-cel (n = 210) or cilta-cel (n = 90), cilta-cel, compared with ide-cel, "
            "gave a higher complete response rate (58% vs 37%).")
    assert {(c.therapy, c.metric, c.value) for c in extract_claims(text)} == {
        ("idecabtagene vicleucel", "N_PATIENTS", 210.0), ("ciltacabtagene autoleucel", "N_PATIENTS", 90.0),
        ("ciltacabtagene autoleucel", "CR", 58.0), ("idecabtagene vicleucel", "CR", 37.0)}


def test_a_figure_followed_by_its_trial_belongs_to_that_trials_product() -> None:
    text = "Median overall survival was 24.8 months in KarMMa and 50.3 months in CARTITUDE-1."
    assert {(c.therapy, c.trial, c.value) for c in extract_claims(text)} == {
        ("idecabtagene vicleucel", "KarMMa", 24.8), ("ciltacabtagene autoleucel", "CARTITUDE-1", 50.3)}


@pytest.mark.parametrize(("text", "expected"), [
    # the one product named just before a count in its clause
    ("Ide-cel was approved on KarMMa, in which 128 patients were infused; cilta-cel on CARTITUDE-1 (97 patients "
     "treated).", {("idecabtagene vicleucel", 128.0), ("ciltacabtagene autoleucel", 97.0)}),
    # products in a list, or set against each other, share the count: pooled, no claim (rule 15)
    ("Ide-cel and cilta-cel were given to 150 patients at our centre.", set()),
    ("Cilta-cel outperformed ide-cel in a series of 150 patients.", set()),
    # the product named next, not the one before, owns the count
    ("Like ide-cel, the product was delayed for six patients enrolled in CARTITUDE-1 who never received it.", set()),
])
def test_counts_in_sentences_naming_two_products(text: str, expected: set[tuple[str, float]]) -> None:
    assert {(c.therapy, c.value) for c in extract_claims(text) if c.metric == "N_PATIENTS"} == expected


def test_treated_at_named_centres_or_ineligible_for_the_pivotal_trial_is_real_world() -> None:
    text = ("We describe 212 patients given axi-cel (n = 120) or tisa-cel (n = 92) at 14 Spanish centers. "
            "Many would have been ineligible for ZUMA-1 or JULIET.")
    found = [(c.therapy, c.value, c.trial) for c in extract_claims(text) if c.metric == "N_PATIENTS"]
    assert found == [("axicabtagene ciloleucel", 120.0, None), ("tisagenlecleucel", 92.0, None)]


@pytest.mark.parametrize(("text", "therapy"), [
    ("Autologous CAR T cells targeting B-cell maturation antigen gave an ORR of 84%.", "anti-BCMA CAR T (academic)"),
    ("A fourth-generation anti-BCMA CAR with a CD28 domain gave an ORR of 84%.", "anti-BCMA CAR T (academic)"),
    ("T cells transduced with a CD19-directed chimeric antigen receptor gave a CR in 64%.",
     "anti-CD19 CAR T (academic)"),
    # the target after CAR, and academic constructs against other targets, named the same way (rule 11)
    ("CAR-BCMA T cells gave an ORR of 81% at the highest dose.", "anti-BCMA CAR T (academic)"),
    ("CD7 CAR-T cells induced a complete remission in 90% of patients with T-ALL.", "anti-CD7 CAR T (academic)"),
    ("GPRC5D-targeted CAR T cells gave an ORR of 71%.", "anti-GPRC5D CAR T (academic)"),
])
def test_academic_products_described_in_words(text: str, therapy: str) -> None:
    assert {c.therapy for c in extract_claims(text)} == {therapy}


@pytest.mark.parametrize("text", [
    "With anito-cel, 9 patients received bridging therapy.",
    "Tocilizumab was given to 31 patients treated with liso-cel.",
    "Three patients with CLL received venetoclax while on liso-cel.",
    "After cilta-cel, 11 patients received corticosteroids.",
    "With axi-cel, 4 patients with grade 3 CRS were moved to intensive care.",
    "In the axi-cel study, 19 patients went on to receive a stem cell transplant.",
    "Among ide-cel recipients, 6 patients needed intensive care.",
    "Twenty patients died after tisa-cel, including 4 with infections.",
    "Eighteen patients had received a prior BCMA-directed therapy before cilta-cel.",
    "With brexu-cel, 25 patients were refractory to BTK inhibitors.",
])
def test_counts_of_other_care_baseline_traits_and_events_are_not_groups(text: str) -> None:
    assert [c.value for c in extract_claims(text) if c.metric == "N_PATIENTS"] == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The ORRs for cilta-cel, ide-cel and arlo-cel were 97%, 73% and 91%, respectively.",
     {("ciltacabtagene autoleucel", 97.0), ("idecabtagene vicleucel", 73.0), ("arlocabtagene autoleucel", 91.0)}),
    ("ORR was 97% for cilta-cel, 73% for ide-cel and 91% (arlo-cel).",
     {("ciltacabtagene autoleucel", 97.0), ("idecabtagene vicleucel", 73.0), ("arlocabtagene autoleucel", 91.0)}),
    ("In CARTITUDE-1 (cilta-cel) the ORR was 97%, whereas KarMMa (ide-cel) reported an ORR of 73% and the arlo-cel "
     "study 91%.",
     {("ciltacabtagene autoleucel", 97.0), ("idecabtagene vicleucel", 73.0), ("arlocabtagene autoleucel", 91.0)}),
    ("Pooled over cilta-cel, ide-cel and arlo-cel, the ORR was 85%.", set()),
    ("With cilta-cel, ide-cel and arlo-cel, the ORR was 85%.", set()),
    # each product's bracket of figures: the second figure in a bracket is the bracket's product's too
    ("Cilta-cel (CARTITUDE-1: CR 80%, ORR 97%), ide-cel (KarMMa: CR 33%, ORR 73%) and arlo-cel (CR 45%, ORR 91%) "
     "lead the field.",
     {("ciltacabtagene autoleucel", 97.0), ("idecabtagene vicleucel", 73.0), ("arlocabtagene autoleucel", 91.0)}),
    # a count in brackets after each name does not break the list; the figures pair in order
    ("The trials of cilta-cel (n = 97), ide-cel (n = 128) and arlo-cel (n = 84) reported ORRs of 97%, 73% and 91%, "
     "respectively.",
     {("ciltacabtagene autoleucel", 97.0), ("idecabtagene vicleucel", 73.0), ("arlocabtagene autoleucel", 91.0)}),
    ("In CARTITUDE-1 (n = 97), KarMMa (n = 128) and the arlo-cel study (n = 84), ORRs were 97%, 73% and 91%.",
     {("ciltacabtagene autoleucel", 97.0), ("idecabtagene vicleucel", 73.0), ("arlocabtagene autoleucel", 91.0)}),
    # the products listed after their figures
    ("ORRs of 97%, 73% and 91% were seen with cilta-cel, ide-cel and arlo-cel, respectively.",
     {("ciltacabtagene autoleucel", 97.0), ("idecabtagene vicleucel", 73.0), ("arlocabtagene autoleucel", 91.0)}),
])
def test_reviews_credit_each_of_several_products_its_own_figure(text: str, expected: set[tuple[str, float]]) -> None:
    assert {(c.therapy, c.value) for c in extract_claims(text) if c.metric == "ORR"} == expected


def test_results_tables_as_trafilatura_writes_them() -> None:
    text = ("Pivotal studies of BCMA products.\n"
            "| Study | Product | Patients | ORR (%) | sCR/CR (%) | Median PFS (mo) | 24-month OS (%) | CRS grade ≥3 (%) |\n"
            "|---|---|---|---|---|---|---|---|\n"
            "| CARTITUDE-1 | cilta-cel | 97 | 97.9 | 82.5 | 34.9 | 74 | 4 |\n"
            "| KarMMa | ide-cel | 128 | 73 (66-81) | 33 | 8.8 | NR | 5 |\n"
            "| Standard regimens | physician's choice | 190 | 28 | 1 | 4.4 | 50 | 0 |\n"
            "| Both products | cilta-cel and ide-cel | 225 | 84 | 55 | | | |\n")
    got = {(c.therapy[:5], c.trial, c.metric, c.value, c.timepoint_months) for c in extract_claims(text)}
    assert got == {
        ("cilta", "CARTITUDE-1", "N_PATIENTS", 97.0, None), ("cilta", "CARTITUDE-1", "ORR", 97.9, None),
        ("cilta", "CARTITUDE-1", "CR", 82.5, None), ("cilta", "CARTITUDE-1", "PFS_MEDIAN", 34.9, None),
        ("cilta", "CARTITUDE-1", "OS_RATE", 74.0, 24.0), ("cilta", "CARTITUDE-1", "CRS_GRADE3PLUS", 4.0, None),
        ("ideca", "KarMMa", "N_PATIENTS", 128.0, None), ("ideca", "KarMMa", "ORR", 73.0, None),
        ("ideca", "KarMMa", "CR", 33.0, None), ("ideca", "KarMMa", "PFS_MEDIAN", 8.8, None),
        ("ideca", "KarMMa", "CRS_GRADE3PLUS", 5.0, None)}


@pytest.mark.parametrize(("text", "therapy"), [
    ("Tisagenleclucel gave an ORR of 52%.", "tisagenlecleucel"),
    ("Axicabtagen ciloleucel gave an ORR of 82%.", "axicabtagene ciloleucel"),
    ("Lisocabtagen maraleucel gave an ORR of 73%.", "lisocabtagene maraleucel"),
])
def test_generic_names_with_a_typo_are_still_the_product(text: str, therapy: str) -> None:
    assert {c.therapy for c in extract_claims(text)} == {therapy}


def test_long_ordinary_words_are_not_taken_for_generic_names() -> None:
    from analysis.therapies import find_therapies
    assert find_therapies("Leucapheresis, leucocytes and antigen-agnostic management of leukaemia.") == []


def test_a_news_storys_subject_carries_over_paragraphs_that_do_not_name_it() -> None:
    text = ("Legend Biotech said its cell therapy Carvykti kept more myeloma patients alive in a large trial.\n\n"
            "The study enrolled 400 patients whose disease had come back after earlier treatment.\n\n"
            "The overall response rate was 84%, and severe cytokine release syndrome occurred in 2% of patients.\n\n"
            "Carvykti competes with Abecma, a rival therapy approved earlier.")
    got = {(c.therapy, c.metric, c.value) for c in extract_claims(text)}
    assert got == {("ciltacabtagene autoleucel", "N_PATIENTS", 400.0), ("ciltacabtagene autoleucel", "ORR", 84.0),
                   ("ciltacabtagene autoleucel", "CRS_GRADE3PLUS", 2.0)}


def test_an_unnamed_paragraph_after_another_products_paragraph_stays_unattributed() -> None:
    # conservative: after a paragraph about a second product, an unnamed figure could be either
    text = ("Carvykti was approved for myeloma.\n\nAbecma was studied in KarMMa.\n\n"
            "The overall response rate was 73%.")
    assert [(c.therapy, c.value) for c in extract_claims(text)] == []


def test_a_figure_belongs_to_the_trial_last_named_before_it() -> None:
    text = ("Updated results from the iMMagine-1 study of anito-cel were presented.\n\n"
            "The overall response rate was 96%.\n\n"
            "About anito-cel: the iMMagine-3 trial is enrolling patients.")
    assert [(c.metric, c.trial) for c in extract_claims(text)] == [("ORR", "iMMagine-1")]


def test_a_drug_labels_turned_round_table() -> None:
    text = ("The efficacy of CARVYKTI was established in CARTITUDE-1.\n"
            "| Outcome | CARVYKTI (N = 97) |\n|---|---|\n"
            "| Overall response rate, n (%) | 95 (97.9) |\n| 95% CI | (92.7, 99.7) |\n"
            "| Stringent complete response, n (%) | 80 (82.5) |\n| Median DOR, months | 21.8 |\n")
    got = {(c.metric, c.value, c.trial) for c in extract_claims(text)}
    # the column's "(N = 97)" is the size of the treated group it reports on (rule 9)
    assert got == {("ORR", 97.9, "CARTITUDE-1"), ("sCR", 82.5, "CARTITUDE-1"), ("DOR_MEDIAN", 21.8, "CARTITUDE-1"),
                   ("N_PATIENTS", 97.0, "CARTITUDE-1")}


def test_registry_page_enrollment_with_a_capital_actual() -> None:
    text = "A Study of Cilta-cel in Myeloma\n\nEnrollment (Actual): 113"
    assert [(c.metric, c.value) for c in extract_claims(text)] == [("N_PATIENTS", 113.0)]


def test_a_headline_figure_is_one_claim_with_the_texts_and_a_headline_only_figure_is_kept() -> None:
    from analysis.claims import extract_article_claims
    title = "Cilta-cel: 98% response rate and 34.9-month median PFS in CARTITUDE-1"
    text = "In CARTITUDE-1, 97 patients received cilta-cel. The overall response rate was 98%."
    claims = extract_article_claims(title, text)
    got = {(c.metric, c.value, c.part) for c in claims}
    assert got == {("PFS_MEDIAN", 34.9, "title"), ("N_PATIENTS", 97.0, "text"), ("ORR", 98.0, "text")}
    headline = next(c for c in claims if c.part == "title")
    assert title[headline.start : headline.end] == headline.sentence == title
    assert extract_article_claims("Cilta-cel results", text) == extract_claims(text)


def _cells_per_line(*cells: str) -> str:
    """A table as it arrives copied out of a web page: one cell per line, blank lines between."""
    return "\n\n".join(cells)


def test_a_table_of_products_across_written_one_cell_per_line() -> None:
    text = _cells_per_line(
        "Table 2. The two BCMA products side by side",
        "CARTITUDE-1", "Ide-cel (KarMMa)", "(n = 97)", "(n = 128)",
        "Response", "Overall response rate, n (%)", "95 (98)", "94 (73)", "≥CR, %", "80", "33",
        "Progression-free survival", "Median, months", "34.9", "8.8",
        "Cytokine release syndrome", "Any grade, %", "95", "84", "Grade ≥3, %", "4", "5",
        "Median age, years", "61", "61")
    assert _tuples(text) == {
        ("ciltacabtagene autoleucel", "N_PATIENTS", 97.0, False, None), ("idecabtagene vicleucel", "N_PATIENTS", 128.0, False, None),
        ("ciltacabtagene autoleucel", "ORR", 98.0, False, None), ("idecabtagene vicleucel", "ORR", 73.0, False, None),
        ("ciltacabtagene autoleucel", "CR", 80.0, False, None), ("idecabtagene vicleucel", "CR", 33.0, False, None),
        ("ciltacabtagene autoleucel", "PFS_MEDIAN", 34.9, False, None), ("idecabtagene vicleucel", "PFS_MEDIAN", 8.8, False, None),
        ("ciltacabtagene autoleucel", "CRS_ANY", 95.0, False, None), ("idecabtagene vicleucel", "CRS_ANY", 84.0, False, None),
        ("ciltacabtagene autoleucel", "CRS_GRADE3PLUS", 4.0, False, None),
        ("idecabtagene vicleucel", "CRS_GRADE3PLUS", 5.0, False, None)}


def test_a_table_of_metrics_across_written_one_cell_per_line() -> None:
    text = _cells_per_line("Lymphoma products compared", "Product", "Study", "ORR (%)", "CR (%)", "Median OS (months)",
                           "Axi-cel", "ZUMA-1", "82", "58", "25.8", "Tisa-cel", "JULIET", "53", "39", "11.1")
    assert {(t, m, v) for t, m, v, _, _ in _tuples(text)} == {
        ("axicabtagene ciloleucel", "ORR", 82.0), ("axicabtagene ciloleucel", "CR", 58.0),
        ("axicabtagene ciloleucel", "OS_MEDIAN", 25.8), ("tisagenlecleucel", "ORR", 53.0),
        ("tisagenlecleucel", "CR", 39.0), ("tisagenlecleucel", "OS_MEDIAN", 11.1)}


def test_a_row_with_fewer_figures_than_products_is_skipped_and_short_lines_that_are_no_table_give_nothing() -> None:
    merged = _cells_per_line("Axi-cel", "Liso-cel", "Complete response, %", "54", "53",
                             "Grade ≥3 CRS, %", "not reported", "Median follow-up, months", "27", "19")
    assert ("axicabtagene ciloleucel", "CRS_GRADE3PLUS") not in {(t, m) for t, m, *_ in _tuples(merged)}
    assert ("axicabtagene ciloleucel", "CR", 54.0, False, None) in _tuples(merged)
    menu = _cells_per_line("Related products", "Axi-cel", "Tisa-cel", "News", "2024", "2023", "Events", "12",
                           "Contact", "15", "Archive", "2022")
    assert extract_claims(menu) == []


def test_a_pipe_table_with_section_rows_and_count_share_cells() -> None:
    text = ("| . | Ide-cel (KarMMa) . | Cilta-cel (CARTITUDE-1) . |\n|---|---|---|\n"
            "| No. of patients infused (enrolled) | 128 (140) | 97 (113) |\n"
            "| Median age (range), y | 61 (33-78) | 61 (43-78) |\n"
            "| Response rate | | |\n| sCR or CR | 42 (33) | 80 (82) |\n"
            "| Median PFS (95% CI), mo | 8.8 (5.6-11.6) | 34.9 (25.2-NE) |\n"
            "| CRS | | |\n| Any grade | 107 (84) | 92 (95) |\n| Grade ≥3 | 7 (5) | 4 (4) |\n")
    assert {(t, m, v) for t, m, v, _, _ in _tuples(text)} == {
        ("idecabtagene vicleucel", "N_PATIENTS", 128.0), ("ciltacabtagene autoleucel", "N_PATIENTS", 97.0),
        ("idecabtagene vicleucel", "CR", 33.0), ("ciltacabtagene autoleucel", "CR", 82.0),
        ("idecabtagene vicleucel", "PFS_MEDIAN", 8.8), ("ciltacabtagene autoleucel", "PFS_MEDIAN", 34.9),
        ("idecabtagene vicleucel", "CRS_ANY", 84.0), ("ciltacabtagene autoleucel", "CRS_ANY", 95.0),
        ("idecabtagene vicleucel", "CRS_GRADE3PLUS", 5.0), ("ciltacabtagene autoleucel", "CRS_GRADE3PLUS", 4.0)}


@pytest.mark.parametrize(("text", "expected"), [
    # the product given outside a trial is still the product, not a comparator arm
    ("In this retrospective series, 214 patients received standard-of-care cilta-cel.", {214.0}),
    # a count whose verb leads into the comparator ("received standard care") is the comparator's
    ("In KarMMa-3, 225 patients received ide-cel and 126 received standard regimens.", {225.0}),
])
def test_standard_of_care_product_versus_standard_care(text: str, expected: set[float]) -> None:
    assert {c.value for c in extract_claims(text) if c.metric == "N_PATIENTS"} == expected


def test_all_of_whom_is_every_one_of_the_group_just_named() -> None:
    text = "Among 60 infused children, 50 (83%) reached remission with tisa-cel, all of whom were MRD negative."
    assert ("MRD_NEG", 100.0) in {(c.metric, c.value) for c in extract_claims(text)}


def test_a_stop_followed_by_citation_numbers_ends_the_sentence() -> None:
    text = ("Liso-cel gave an ORR of 73% (95% CI, 67-78).1 After a median follow-up of 19 months, the median "
            "duration of response (DOR) stood at 23.1 months.2,3 Tisa-cel figures came from 21.8 Months of data.")
    got = {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)}
    assert {("ORR", 73.0, None), ("FOLLOWUP_MEDIAN", 19.0, None), ("DOR_MEDIAN", 23.1, None)} <= got


@pytest.mark.parametrize(("text", "expected"), [
    ("Axi-cel was given. The median duration of complete response stood at 40.2 months.", {("DOR_MEDIAN", 40.2)}),
    ("Axi-cel was given. After a median of 26 months follow-up, the ORR was 74%.",
     {("FOLLOWUP_MEDIAN", 26.0), ("ORR", 74.0)}),
    ("Axi-cel was given. At a median 26 months' follow-up, the ORR was 74%.", {("FOLLOWUP_MEDIAN", 26.0), ("ORR", 74.0)}),
    # "after eight months of follow-up" is when the median was looked at, not its value
    ("Axi-cel was given. Median overall survival was still not reached after eight months of follow-up.",
     {("OS_MEDIAN", None)}),
    # a rate for a treatment other than CAR-T before it ("with multimodal therapy") is not a claim
    ("Event-free survival tops 80% with multimodal therapy. Axi-cel gave an ORR of 74%.", {("ORR", 74.0)}),
])
def test_median_phrasings_from_reworded_reports(text: str, expected: set[tuple[str, float | None]]) -> None:
    assert {(c.metric, c.value) for c in extract_claims(text)} == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Three hundred sixty-five patients were randomized in the liso-cel trial.", {365}),
    ("Two hundred and twelve patients received liso-cel.", {212}),
    # a group's parts named by their disease are subgroup sizes; parts named by a response are events
    ("Among 52 infused patients (40 DLBCL, 12 MCL), liso-cel gave an ORR of 81%.", {52, 40, 12}),
    ("Among 52 evaluable patients (40 CR, 12 PR), liso-cel gave an ORR of 100%.", {52}),
])
def test_counts_in_words_and_a_groups_disease_parts(text: str, expected: set[int]) -> None:
    assert {int(c.value or 0) for c in extract_claims(text) if c.metric == "N_PATIENTS"} == expected


def test_two_landmark_lists_in_one_sentence_each_take_their_own_figures() -> None:
    text = "After liso-cel, EFS at 1 and 2 years was 52% and 45%, respectively, while OS at 1 and 2 years was 70% and 61%."
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {
        ("EFS_RATE", 52.0, 12.0), ("EFS_RATE", 45.0, 24.0), ("OS_RATE", 70.0, 12.0), ("OS_RATE", 61.0, 24.0)}


def test_a_bracket_after_a_figure_with_its_own_label_and_figure_is_an_aside() -> None:
    text = "Liso-cel achieved an ORR of 87% (CR, 62%) in CLL and 95% (CR, 70%) in SLL."
    assert {(c.metric, c.value) for c in extract_claims(text)} == {
        ("ORR", 87.0), ("CR", 62.0), ("ORR", 95.0), ("CR", 70.0)}


@pytest.mark.parametrize(("text", "expected"), [
    # "almost all" is no rate (rule 21); a cancer that disappeared completely is a complete response
    ("Carvykti was tested in 40 people. Almost all of them responded, and half of them saw their cancer disappear completely.",
     {("N_PATIENTS", 40.0, None), ("CR", 50.0, None)}),
    # alive without progression is progression-free survival, not overall survival
    ("Four years after Carvykti, 41% of patients were alive without their cancer progressing.", {("PFS_RATE", 41.0, 48.0)}),
    # the group a share is taken of is a count even when the sentence then says what happened
    ("In the study of Carvykti, 90% of 58 patients responded.", {("ORR", 90.0, None), ("N_PATIENTS", 58.0, None)}),
])
def test_news_in_lay_words(text: str, expected: set[tuple[str, float, float | None]]) -> None:
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Cytokine release syndrome occurred in 61% of ide-cel patients, with 4% experiencing grade 3 or higher events.",
     {("CRS_ANY", 61.0), ("CRS_GRADE3PLUS", 4.0)}),
    ("Ide-cel led to CRS in 61% and to neurotoxicity in 18%; these were grade 3 or higher in 4% and 3%, respectively.",
     {("CRS_ANY", 61.0), ("ICANS_ANY", 18.0), ("CRS_GRADE3PLUS", 4.0), ("ICANS_GRADE3PLUS", 3.0)}),
    # a grade with no cases does not qualify the next clause's label
    ("No grade 3 or higher CRS was seen with ide-cel, and ICANS occurred in 6%.", {("ICANS_ANY", 6.0)}),
    # delayed neurotoxicity is not ICANS (rule 19), and its share does not fall to the ICANS label before it
    ("With ide-cel, ICANS occurred in 6% and delayed neurotoxicity in 2%.", {("ICANS_ANY", 6.0)}),
])
def test_safety_grades_stated_after_or_apart_from_their_label(text: str, expected: set[tuple[str, float]]) -> None:
    assert {(c.metric, c.value) for c in extract_claims(text)} == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "grade 42%" is "any grade" and 42%, not grade 4 and 2%
    ("Ide-cel safety. CRS: any grade 84%, grade ≥3 5%; ICANS: any grade 18%, grade ≥3 3%.",
     {("CRS_ANY", 84.0), ("CRS_GRADE3PLUS", 5.0), ("ICANS_ANY", 18.0), ("ICANS_GRADE3PLUS", 3.0)}),
    # "all grade 1-2" describes every case counted, so the figure is any grade
    ("With ide-cel, ICANS, all grade 1-2, occurred in 18%.", {("ICANS_ANY", 18.0)}),
    ("With ide-cel, CRS occurred in 84%; grade ≥3 in 5%.", {("CRS_ANY", 84.0), ("CRS_GRADE3PLUS", 5.0)}),
    ("With ide-cel, CRS and ICANS of any grade occurred in 84% and 18%, and of grade 3 or higher in 5% and 3%.",
     {("CRS_ANY", 84.0), ("ICANS_ANY", 18.0), ("CRS_GRADE3PLUS", 5.0), ("ICANS_GRADE3PLUS", 3.0)}),
])
def test_safety_grade_wordings(text: str, expected: set[tuple[str, float]]) -> None:
    assert {(c.metric, c.value) for c in extract_claims(text)} == expected


def test_neither_nor_not_reached_applies_to_both_medians() -> None:
    text = "With brexu-cel, neither median PFS nor median OS had been reached at the data cut-off."
    assert {(c.metric, c.not_reached) for c in extract_claims(text)} == {("PFS_MEDIAN", True), ("OS_MEDIAN", True)}


@pytest.mark.parametrize(("text", "trial"), [
    # a later trial of a family whose trials all study one product is that product's trial
    ("In KarMMa-9, ide-cel after transplant gave an ORR of 90%.", "KarMMa-9"),
    ("Liso-cel in TRANSCEND-WORLD gave an ORR of 61%.", "TRANSCEND-WORLD"),
    # a cohort after a trial's full name keeps the trial (guide rule 12)
    ("In the TRANSCEND FL-MZL cohort, liso-cel gave an ORR of 84%.", "TRANSCEND FL"),
    # the family's name in ordinary words is no trial
    ("In a pilot 12-patient study, liso-cel gave an ORR of 84%.", None),
])
def test_trials_named_by_their_family(text: str, trial: str | None) -> None:
    assert [c.trial for c in extract_claims(text) if c.metric == "ORR"] == [trial]


def test_a_trial_named_as_yet_to_report_owns_no_figure() -> None:
    text = "Arlo-cel gave an ORR of 91% in 70 patients. The phase 3 QUINTESSENTIAL-2 study is enrolling."
    assert {(c.metric, c.trial) for c in extract_claims(text)} == {("ORR", None), ("N_PATIENTS", None)}


@pytest.mark.parametrize("text", [
    "A multicentre consortium reported an ORR of 80% with liso-cel in 150 patients, close to TRANSCEND.",
    "In routine practice, liso-cel gave an ORR of 80% in 150 patients, in line with TRANSCEND.",
    "At community hospitals, liso-cel gave an ORR of 80% in 150 patients, as in TRANSCEND.",
    "Liso-cel gave an ORR of 80% in 150 patients, of whom 40% would not have been eligible for TRANSCEND.",
])
def test_real_world_cohorts_in_more_words_keep_no_trial_and_eligibility_is_no_outcome(text: str) -> None:
    assert {(c.metric, c.value, c.trial) for c in extract_claims(text)} == {
        ("ORR", 80.0, None), ("N_PATIENTS", 150.0, None)}


@pytest.mark.parametrize(("text", "expected"), [
    ("Six patients with SLE received KYV-101; all six achieved DORIS remission by 6 months.",
     {("N_PATIENTS", 6.0, None), ("REMISSION_RATE", 100.0, 6.0)}),
    ("With KYV-101, all 10 patients with lupus nephritis were in complete renal response at 12 months.",
     {("N_PATIENTS", 10.0, None), ("CR", 100.0, 12.0)}),
])
def test_autoimmune_remission_wordings(text: str, expected: set[tuple[str, float, float | None]]) -> None:
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == expected


def test_including_a_count_in_a_named_cohort() -> None:
    text = "The study enrolled 140 patients, including 25 in the outpatient cohort, and liso-cel produced an ORR of 80%."
    assert {c.value for c in extract_claims(text) if c.metric == "N_PATIENTS"} == {140.0, 25.0}


@pytest.mark.parametrize(("text", "expected"), [
    # a page's markup left in the text: the entity reads as spaces, every offset kept
    ("The KarMMa study of ide-cel reported a median PFS that was 8·8&nbsp;months.", {("PFS_MEDIAN", 8.8)}),
    ("Anito-cel impressed, with mPFS estimated at 28 months after 26.5 months of follow-up.", {("PFS_MEDIAN", 28.0)}),
    ("Cilta-cel reached a 27-month mPFS in its pivotal study.", {("PFS_MEDIAN", 27.0)}),
    ("With cilta-cel, most CRS was grade 1 (47%) or 2 (35%); 4 patients (7%) experienced grade 3 events.",
     {("CRS_GRADE3PLUS", 7.0)}),
    # low-grade cases are every case when the text says none reached grade 3
    ("Satri-cel was given to 30 patients. CRS of grade 1 or 2 was seen in 90% of them. There were no reports of "
     "grade 3 or higher CRS.", {("N_PATIENTS", 30.0), ("CRS_ANY", 90.0)}),
])
def test_wordings_from_trade_press_and_abstracts(text: str, expected: set[tuple[str, float]]) -> None:
    assert {(c.metric, c.value) for c in extract_claims(text)} == expected


def test_offsets_survive_a_space_entity() -> None:
    text = "Ide-cel gave a median PFS of 8.8&nbsp;months; the ORR was 73%."
    claims = extract_claims(text)
    assert {(c.metric, c.value) for c in claims} == {("PFS_MEDIAN", 8.8), ("ORR", 73.0)}
    assert all(text[c.start : c.end] == c.sentence for c in claims)


@pytest.mark.parametrize("verb", ["came in at", "settled at", "landed at", "held at", "came out at", "sat at"])
def test_a_median_after_any_reporting_verb_with_at(verb: str) -> None:
    text = f"Brexu-cel was given to 60 patients. The median duration of response {verb} 14.3 months."
    assert ("DOR_MEDIAN", 14.3, None) in {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)}


def test_a_group_split_by_baseline_traits_is_still_a_group() -> None:
    text = "Of the 120 patients treated with liso-cel, 40 were aged 70 or older, and 30 had extramedullary disease."
    assert [c.value for c in extract_claims(text) if c.metric == "N_PATIENTS"] == [120.0]


@pytest.mark.parametrize(("text", "expected"), [
    ("In a cohort of 59, relma-cel gave an ORR of 76%.", {59.0}),
    ("Relma-cel gave an ORR of 76% among the 59 who were infused.", {59.0}),
    ("The first 59 patients to receive relma-cel had an ORR of 76%.", {59.0}),
    ("Fifty-nine patients with lymphoma have now received relma-cel, with an ORR of 76%.", {59.0}),
    # uptake after launch, with no outcome beside it, is no study group
    ("Relma-cel was approved in June. Since then, seven patients have received it, and 90 are on the waiting list.",
     set()),
])
def test_counts_without_a_noun_or_with_a_later_verb(text: str, expected: set[float]) -> None:
    assert {c.value for c in extract_claims(text) if c.metric == "N_PATIENTS"} == expected


@pytest.mark.parametrize("text", [
    "With ide-cel, 33% of patients had CRS onset within 24 hours.",
    "With ide-cel, the median duration of CRS was 5 days.",
    "With ide-cel, MRD-negative status was sustained for 12 months or longer in 40%.",
])
def test_timing_and_durations_of_events_are_not_outcome_figures(text: str) -> None:
    assert extract_claims(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    # another treatment as the figure's subject: not a CAR-T claim (rules 1 and 15)
    ("Cilta-cel gave an ORR of 97%. By comparison, teclistamab achieved an ORR of 63% and talquetamab 73%.", {("ORR", 97.0)}),
    ("In patients relapsing after axi-cel, subsequent glofitamab produced an ORR of 56%.", set()),
    ("After progression on ide-cel, salvage therapy produced responses in 48% of patients.", set()),
    ("Historically, refractory LBCL had an ORR of 26% (SCHOLAR-1); axi-cel gave an ORR of 83%.", {("ORR", 83.0)}),
    # ... but not what the patients had before, nor the comparator a product beat
    ("In patients refractory to teclistamab, cilta-cel gave an ORR of 60%.", {("ORR", 60.0)}),
    ("Axi-cel outperformed chemotherapy: 65% of patients had a complete response.", {("CR", 65.0)}),
])
def test_figures_of_treatments_other_than_car_t(text: str, expected: set[tuple[str, float]]) -> None:
    assert {(c.metric, c.value) for c in extract_claims(text)} == expected


def test_a_diseases_background_before_any_product_is_named_is_no_claim() -> None:
    text = ("For patients with mantle cell lymphoma after a BTK inhibitor, median overall survival is only 6 months.\n\n"
            "In ZUMA-2, brexu-cel gave an ORR of 91%.")
    assert {(c.metric, c.value) for c in extract_claims(text)} == {("ORR", 91.0)}


def test_listed_counts_pair_with_listed_products_respectively() -> None:
    text = "In ZUMA-1 and TRANSCEND NHL 001, 101 and 256 patients were treated, respectively."
    assert {(c.therapy, c.trial, c.value) for c in extract_claims(text)} == {
        ("axicabtagene ciloleucel", "ZUMA-1", 101.0), ("lisocabtagene maraleucel", "TRANSCEND NHL 001", 256.0)}


def test_a_terse_list_of_figures_with_bare_labels() -> None:
    text = "Carvykti in brief: 97 patients, 98% response, 78% complete, median PFS 34.9 months."
    assert {(c.metric, c.value) for c in extract_claims(text)} == {
        ("N_PATIENTS", 97.0), ("ORR", 98.0), ("CR", 78.0), ("PFS_MEDIAN", 34.9)}


def test_two_subgroups_compared_with_vs_are_both_claims() -> None:
    text = "With anito-cel, ORR was 100% vs 84.6% in patients with vs without extramedullary disease (P = .31)."
    assert {(c.metric, c.value) for c in extract_claims(text)} == {("ORR", 100.0), ("ORR", 84.6)}


def test_a_response_that_defines_a_subgroup_is_neither_its_label_nor_its_landmark() -> None:
    text = "With axi-cel, 2-year OS was 61% for patients in CR at month 3 and 25% for those not in CR."
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {
        ("OS_RATE", 61.0, 24.0), ("OS_RATE", 25.0, 24.0)}


def test_a_relative_change_is_no_rate() -> None:
    assert extract_claims("Cilta-cel improved overall survival by 45% and cut the risk of relapse by 30 percent.") == []


def test_epidemiology_before_any_product_is_named_is_no_claim() -> None:
    text = ("About 35,000 people in the US are diagnosed with multiple myeloma each year, and the 5-year survival "
            "rate is 60%. Carvykti gave an ORR of 97% in CARTITUDE-1.")
    assert {(c.metric, c.value) for c in extract_claims(text)} == {("ORR", 97.0)}
