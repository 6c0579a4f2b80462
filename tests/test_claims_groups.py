"""Claims in sentences that report several patient groups or arms at once (CLAIMS-GUIDE rules 9, 15, 17).

Each structure was found in real abstracts read while developing (never copied here); the sentences are
our own, with other products and figures.
"""

from __future__ import annotations

import pytest

from analysis.claims import extract_claims

_CASES = [
    pytest.param(
        "Anito-cel was given to 120 patients. Overall and complete response rates by group were as follows: every "
        "infused patient (N = 120), 91% and 66%; patients given product within specification (n = 98), 93% and 70%; "
        "and those who also had fludarabine lymphodepletion (n = 80), 95% and 73%, respectively.",
        {("N_PATIENTS", 120, None), ("N_PATIENTS", 98, None), ("N_PATIENTS", 80, None), ("ORR", 91, None),
         ("CR", 66, None), ("ORR", 93, None), ("CR", 70, None), ("ORR", 95, None), ("CR", 73, None)},
        id="label-list-heads-groups-after-a-colon"),
    pytest.param(
        "With cilta-cel, response rates were as follows: ORR and CR, 88% and 61%.",
        {("ORR", 88, None), ("CR", 61, None)}, id="one-group-after-a-colon-still-zips"),
    pytest.param(
        "In TRANSFORM, at the interim analysis of overall survival, the median was 38.2 (95% CI, 29.0 to NR) vs "
        "33.5 (95% CI, 21.7 to NR) months with liso-cel and standard care, respectively (HR, 0.95).",
        {("OS_MEDIAN", 38.2, None)}, id="unit-shared-across-masked-intervals-and-versus"),
    pytest.param(
        "Forty and 44 patients aged 70 or older were randomized to liso-cel and standard care, respectively.",
        set(), id="arm-sizes-as-randomised-with-a-qualifier-are-not-counts"),
    pytest.param(
        "In KarMMa-3, 386 patients were randomized 2:1 to ide-cel or standard regimens.",
        {("N_PATIENTS", 386, None)}, id="the-whole-randomised-total-is-a-count"),
    pytest.param(
        "The 2-year survival rate was 61% in ZUMA-1 and 22% in SCHOLAR-1.",
        {("OS_RATE", 61, 24)}, id="historical-cohort-named-after-its-figure"),
    pytest.param(
        "With axi-cel, two-year PFS and OS rates were 52% and 70% in patients without bridging therapy vs 35% and "
        "58% in bridged patients.",
        {("PFS_RATE", 52, 24), ("OS_RATE", 70, 24), ("PFS_RATE", 35, 24), ("OS_RATE", 58, 24)},
        id="two-patient-groups-compared-with-vs"),
    pytest.param(
        "With axi-cel, two-year PFS and OS rates were 52% and 70% in patients given axi-cel vs 35% and 28% in "
        "patients given salvage chemotherapy.",
        {("PFS_RATE", 52, 24), ("OS_RATE", 70, 24)}, id="a-treatment-on-the-far-side-of-vs-stays-a-comparator"),
    pytest.param(
        "With tisa-cel, CRS occurred in all 24 patients, but grade 3 or higher CRS and neurologic events were rare "
        "(8% for each).",
        {("CRS_ANY", 100, None), ("N_PATIENTS", 24, None), ("CRS_GRADE3PLUS", 8, None), ("ICANS_GRADE3PLUS", 8, None)},
        id="one-figure-for-each-listed-label"),
    pytest.param(
        "With tisa-cel, grade 3 or higher CRS and ICANS each occurred in 6% of patients.",
        {("CRS_GRADE3PLUS", 6, None), ("ICANS_GRADE3PLUS", 6, None)}, id="each-before-the-verb"),
    pytest.param(
        "With tisa-cel, grade 3 or higher CRS and ICANS occurred in 6% and 3% of patients, respectively; each "
        "patient recovered.",
        {("CRS_GRADE3PLUS", 6, None), ("ICANS_GRADE3PLUS", 3, None)}, id="each-elsewhere-leaves-a-list-alone"),
    pytest.param(
        "In patients given the middle dose of liso-cel, the data showed strong activity. Specifically: Overall "
        "Response rate: 80 percent (8/10) Complete Response rate: 60 percent (6/10) Severe Cytokine Release "
        "Syndrome: 10 percent (1/10) Severe neurotoxicity: 20 percent (2/10)",
        {("ORR", 80, None), ("CR", 60, None), ("CRS_GRADE3PLUS", 10, None), ("ICANS_GRADE3PLUS", 20, None)},
        id="labels-with-colons-run-together-in-a-release"),
    pytest.param(
        "Six patients with SLE received anti-CD19 CAR T cells. Remission of SLE according to DORIS criteria was "
        "achieved in all six patients after 3 months.",
        {("N_PATIENTS", 6, None), ("REMISSION_RATE", 100, 3)}, id="all-n-patients-after-a-passive-outcome"),
    pytest.param(
        "Six patients with SLE received anti-CD19 CAR T cells. Remission was defined by DORIS criteria, and "
        "infusion was given in all six patients as outpatients.",
        {("N_PATIENTS", 6, None)}, id="all-n-patients-after-another-verb-gives-no-rate"),
    pytest.param(
        "With brexu-cel, 39% of patients with relapsed/refractory mantle cell lymphoma were alive after 5 years.",
        {("OS_RATE", 39, 60)}, id="a-described-group-before-its-outcome"),
    pytest.param(
        "With brexu-cel, the median PFS was 48.0 months for patients with a CR. For those with a PR the median PFS "
        "was 3.1 months and 2.3 months with no response.",
        {("PFS_MEDIAN", 48, None), ("PFS_MEDIAN", 3.1, None), ("PFS_MEDIAN", 2.3, None)},
        id="a-duration-is-never-a-count-and-a-response-word-does-not-list-with-a-metric"),
    pytest.param(
        "With brexu-cel, the median DOR was 46.7 months for patients who had a CR (n = 46) and 2.2 months for "
        "patients with a PR (n = 16).",
        {("DOR_MEDIAN", 46.7, None), ("DOR_MEDIAN", 2.2, None), ("N_PATIENTS", 46, None), ("N_PATIENTS", 16, None)},
        id="the-label-that-names-an-earlier-group-is-not-the-next-figures"),
    pytest.param("With brexu-cel, 25 patients converted to a CR after an initial PR.", set(), id="conversions-are-events"),
    pytest.param(
        "With liso-cel, median DOR and PFS were 30.1 months (95% CI, 15.2-41.0) and 22.4 months (95% CI, 11.9-40.3) "
        "in cohort A; and 48.2 months (95% CI, 5.1 to NE) and 27.6 months (95% CI, 3.0 to NE) in cohort B.",
        {("DOR_MEDIAN", 30.1, None), ("PFS_MEDIAN", 22.4, None), ("DOR_MEDIAN", 48.2, None), ("PFS_MEDIAN", 27.6, None)},
        id="a-second-group-after-a-semicolon-takes-the-same-labels"),
    pytest.param(
        "A pilot study of tisa-cel in children continues to show promise. Of 36 children given the cells, 90 percent "
        "had no evidence of leukemia a month after treatment.",
        {("N_PATIENTS", 36, None), ("CR", 90, 1)}, id="no-evidence-of-cancer-is-a-complete-remission"),
    pytest.param(
        "With eque-cel, at 1 year, the PFS rate was 61.0% for all cohorts and 80.5% for the patients without "
        "extramedullary disease.", {("PFS_RATE", 61, 12), ("PFS_RATE", 80.5, 12)}, id="a-figure-for-a-described-group"),
    pytest.param(
        "Up to the cutoff, a total of 21 cases of RRMM received the academic anti-BCMA CAR T cells; 4 cases of "
        "grade 3 CRS were recorded.", {("N_PATIENTS", 21, None)}, id="cases-are-patients-unless-they-count-events"),
    pytest.param(
        "With cilta-cel, the rate of complete response rose from 30.1% before infusion to 66.7% at month 3 and to "
        "91.0% at final follow-up.", {("CR", 66.7, 3), ("CR", 91.0, None)}, id="a-figure-at-its-own-data-cut"),
    pytest.param(
        "Overall, 80.4 percent of patients had a response after receiving eque-cel, and 70.1 percent achieved a "
        "complete response within three months of infusion.", {("ORR", 80.4, None), ("CR", 70.1, 3)},
        id="a-landmark-belongs-to-the-next-clauses-figure"),
    pytest.param(
        "With axi-cel, ORR and CR were 80% and 60% at 6 months.", {("ORR", 80, 6), ("CR", 60, 6)},
        id="a-listed-landmark-still-reaches-the-whole-list"),
    pytest.param(
        "With liso-cel, the median follow-up was 31.0 months (0.5-40.2) among the heavily pretreated patients, "
        "compared with 28.5 months (95% CI, 1.1-37.0) among the earlier-line patients.",
        {("FOLLOWUP_MEDIAN", 31.0, None), ("FOLLOWUP_MEDIAN", 28.5, None)}, id="subgroups-compared-with-compared-with"),
    pytest.param(
        "With liso-cel, median PFS was 30.0 months for patients in the trial, compared with 9.5 months for patients "
        "given chemotherapy.", {("PFS_MEDIAN", 30.0, None)}, id="a-treatment-group-after-compared-with-stays-out"),
    pytest.param(
        "With brexu-cel, median duration of response and progression-free survival were 33.1 months (95% CI, 15.0-45.2; "
        "with 15 patients in ongoing response, all complete responses) and 24.0 months (95% CI, 11.8-44.1) in cohort 1; "
        "and 55.0 months (95% CI, 4.2 to not estimable; with 2 patients in ongoing response, all complete responses) "
        "and 28.1 months (95% CI, 3.0 to not estimable) in cohort 2.",
        {("DOR_MEDIAN", 33.1, None), ("PFS_MEDIAN", 24.0, None), ("DOR_MEDIAN", 55.0, None), ("PFS_MEDIAN", 28.1, None)},
        id="a-label-inside-an-intervals-aside-is-not-the-sentences"),
    pytest.param(
        "With liso-cel, PFS and OS were 41.0% and 51.2%, respectively, at 2 years (previously 45.0% and 58.3%, "
        "respectively, at 12 months). With all but 3 evaluable patients past the 2-year visit, median OS was 26.9 "
        "months, with median follow-up for survival of 28.8 months.",
        {("PFS_RATE", 41.0, 24), ("OS_RATE", 51.2, 24), ("PFS_RATE", 45.0, 12), ("OS_RATE", 58.3, 12),
         ("OS_MEDIAN", 26.9, None), ("FOLLOWUP_MEDIAN", 28.8, None)},
        id="an-asides-own-landmark-follow-up-for-survival-and-all-but-n"),
    pytest.param(
        "With liso-cel, all patients who received fludarabine/cyclophosphamide lymphodepletion demonstrated an overall "
        "response to the therapy.", {("ORR", 100, None)}, id="all-patients-described-by-a-relative-clause"),
    pytest.param(
        "At data cut-off, 19 of 22 patients (86.4%) treated with relma-cel remained in CR, and the 2-year OS rate was "
        "81.0%.", {("OS_RATE", 81.0, 24)}, id="remained-in-cr-is-an-ongoing-share"),
    pytest.param(
        "With cilta-cel, the ORR was 84% in heavily pretreated patients.", {("ORR", 84, None)},
        id="pretreated-is-no-retreatment-word"),
    pytest.param(
        "With cilta-cel, response rates of 70% to 95% have been reported across cohorts; the CR rate in CARTITUDE-1 "
        "was 82.5%.", {("CR", 82.5, None)}, id="a-span-of-results-is-a-range"),
    pytest.param(
        "Of the 150 patients enrolled, 132 received ide-cel, including 50 at the 450 x 10^6 dose.",
        {("N_PATIENTS", 150, None), ("N_PATIENTS", 132, None), ("N_PATIENTS", 50, None)},
        id="a-dose-levels-count-after-including"),
    pytest.param(
        "Tisa-cel: median EFS 24 months; 12-month OS 77%; MRD-negative remission 97% of responders.",
        {("EFS_MEDIAN", 24, None), ("OS_RATE", 77, 12), ("MRD_NEG", 97, None)}, id="mrd-negative-remission-is-mrd"),
    pytest.param(
        "The study of cilta-cel enrolled two cohorts: 230 patients at 5 centres (safety cohort) plus 45 in the "
        "expansion cohort.", {("N_PATIENTS", 230, None), ("N_PATIENTS", 45, None)},
        id="enrolled-two-cohorts-is-no-count-plus-a-further-cohort-is"),
    pytest.param(
        "Design: cilta-cel vs standard care.\nPFS: 28.0 mo vs 11.8 mo.\nOverall survival: ITT population 40.2 vs 35.1 mo, "
        "HR 0.78.", {("PFS_MEDIAN", 28.0, None), ("OS_MEDIAN", 40.2, None)}, id="a-unit-mo-shared-across-vs"),
    pytest.param(
        "Twenty-nine (29) children with heavily pretreated neuroblastoma (15 had refractory disease, 13 had relapsed "
        "disease) took part in this trial of anti-GD2 CAR T cells.", {("N_PATIENTS", 29, None)},
        id="an-aside-after-the-group-is-not-its-event"),
    pytest.param(
        "Response and CR rates were, respectively: 87% and 60% overall (N = 140); 90% and 65% in patients under 65 "
        "(n = 90); 81% and 52% in those aged 65 or older (n = 50). All received liso-cel.",
        {("ORR", 87, None), ("CR", 60, None), ("ORR", 90, None), ("CR", 65, None), ("ORR", 81, None), ("CR", 52, None),
         ("N_PATIENTS", 140, None), ("N_PATIENTS", 90, None), ("N_PATIENTS", 50, None)},
        id="respectively-before-the-colon-values-before-their-groups"),
]


@pytest.mark.parametrize(("text", "expected"), _CASES)
def test_groups_and_arms(text: str, expected: set[tuple[str, float, float | None]]) -> None:
    got = {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)}
    assert got == {(m, float(v), None if t is None else float(t)) for m, v, t in expected}


def test_a_tables_column_heading_names_its_trial() -> None:
    text = ("Outcomes of the approved BCMA products\n"
            "| Outcome | Ide-cel (KarMMa) | Ide-cel (KarMMa-3) | Cilta-cel (CARTITUDE-4) |\n"
            "|---|---|---|---|\n"
            "| Patients infused | 130 | 220 | 180 |\n"
            "| sCR or CR, n (%) | 40 (31) | 90 (41) | 140 (78) |\n")
    got = {(c.therapy, c.trial, c.metric, c.value) for c in extract_claims(text)}
    assert got == {
        ("idecabtagene vicleucel", "KarMMa", "N_PATIENTS", 130.0), ("idecabtagene vicleucel", "KarMMa-3", "N_PATIENTS", 220.0),
        ("ciltacabtagene autoleucel", "CARTITUDE-4", "N_PATIENTS", 180.0),
        ("idecabtagene vicleucel", "KarMMa", "CR", 31.0), ("idecabtagene vicleucel", "KarMMa-3", "CR", 41.0),
        ("ciltacabtagene autoleucel", "CARTITUDE-4", "CR", 78.0)}


def test_a_count_of_patients_with_follow_up_data_is_a_group() -> None:
    text = ("In the registry, 480 patients received tisa-cel and 390 patients had follow-up data reported; "
            "12 patients had relapsed.")
    got = {(c.metric, c.value) for c in extract_claims(text)}
    assert got == {("N_PATIENTS", 480.0), ("N_PATIENTS", 390.0)}


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("Con cilta-cel, el 97% de los pacientes respondió al tratamiento y el 67% alcanzó una respuesta completa.",
                 {("ORR", 97.0, None), ("CR", 67.0, None)}, id="respondio-singular"),
    pytest.param("En el ensayo ZUMA-7, la supervivencia libre de eventos a dos años fue del 41% con axi-cel, frente al "
                 "16% con el tratamiento estándar.", {("EFS_RATE", 41.0, 24.0)}, id="frente-al-comparator"),
    pytest.param("Con liso-cel, la respuesta global fue del 80%, en comparación con el 45% en el grupo de quimioterapia.",
                 {("ORR", 80.0, None)}, id="en-comparacion-con"),
    pytest.param("Un total de 58 pacientes recibieron obe-cel; el 76% logró la remisión completa o completa con "
                 "recuperación hematológica incompleta.", {("N_PATIENTS", 58.0, None), ("REMISSION_RATE", 76.0, None)},
                 id="cr-or-cri-elided"),
])
def test_spanish_language_groups_and_comparators(text: str, expected: set[tuple[str, float, float | None]]) -> None:
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == expected


_CELL_PER_LINE_REVIEW = """Table 3 Registrational trials of CD19 CAR T cells in follicular lymphoma.

From: A practical guide to cellular therapy in indolent lymphoma

 

Axicel (ZUMA-5 FL) [12, 14]

Tisacel (ELARA) [31]

Design

Phase-2

Phase-2

Key eligibility

r/r after two or more lines incl. an anti-CD20 antibody and an alkylator; PS 0-1

two or more prior lines; PS 0-1

N

 # apheresed (%)

127

98

# Treated set (%)

124 (98%)

97 (99%)

Toxicity

 CRS ≥ G3

6%

0%

 Neurotox ≥ G3

15%

1%

Non-relapse mortality

3.1%

1%

Best ORR/CR

94%/79%

86%/69%

PFS from infusion (24mo)(median)

65%/NR

57%/NR

OS from infusion (24mo)

81%/NR

88%/NR

Median follow-up (months)

41

29
"""


def test_a_review_table_copied_one_cell_per_line_with_two_figures_per_cell() -> None:
    got = {(c.therapy.split()[0], c.trial, c.metric, c.value, c.not_reached, c.timepoint_months)
           for c in extract_claims(_CELL_PER_LINE_REVIEW)}
    axi, tisa = ("axicabtagene", "ZUMA-5"), ("tisagenlecleucel", "ELARA")
    expected = set()
    for (name, trial), rows in ((axi, [("N_PATIENTS", 127), ("N_PATIENTS", 124), ("CRS_GRADE3PLUS", 6),
                                       ("ICANS_GRADE3PLUS", 15), ("ORR", 94), ("CR", 79), ("FOLLOWUP_MEDIAN", 41)]),
                                (tisa, [("N_PATIENTS", 98), ("N_PATIENTS", 97), ("CRS_GRADE3PLUS", 0),
                                        ("ICANS_GRADE3PLUS", 1), ("ORR", 86), ("CR", 69), ("FOLLOWUP_MEDIAN", 29)])):
        expected |= {(name, trial, metric, float(value), False, None) for metric, value in rows}
        expected |= {(name, trial, "PFS_MEDIAN", None, True, None), (name, trial, "OS_MEDIAN", None, True, None)}
    expected |= {("axicabtagene", "ZUMA-5", "PFS_RATE", 65.0, False, 24.0), ("axicabtagene", "ZUMA-5", "OS_RATE", 81.0, False, 24.0),
                 ("tisagenlecleucel", "ELARA", "PFS_RATE", 57.0, False, 24.0),
                 ("tisagenlecleucel", "ELARA", "OS_RATE", 88.0, False, 24.0)}
    assert got == expected


def test_a_pipe_tables_column_of_two_metrics() -> None:
    text = ("| Trial | Product | N | ORR/CR, % | Median PFS (months) |\n|---|---|---|---|---|\n"
            "| ZUMA-1 | axi-cel | 101 | 83/58 | 5.9 |\n| JULIET | tisa-cel | 93 | 52/40 | 2.9 |\n")
    got = {(c.therapy.split()[0], c.metric, c.value) for c in extract_claims(text)}
    assert got == {("axicabtagene", "N_PATIENTS", 101.0), ("axicabtagene", "ORR", 83.0), ("axicabtagene", "CR", 58.0),
                   ("axicabtagene", "PFS_MEDIAN", 5.9), ("tisagenlecleucel", "N_PATIENTS", 93.0),
                   ("tisagenlecleucel", "ORR", 52.0), ("tisagenlecleucel", "CR", 40.0),
                   ("tisagenlecleucel", "PFS_MEDIAN", 2.9)}


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(
        "Three CD19 products are approved for LBCL: axi-cel (ZUMA-1; ORR 83%, CR 58%), tisa-cel (JULIET; ORR 53%, "
        "CR 39%) and liso-cel (TRANSCEND; ORR 73%, CR 53%).",
        {("axicabtagene ciloleucel", "ORR", 83.0), ("axicabtagene ciloleucel", "CR", 58.0),
         ("tisagenlecleucel", "ORR", 53.0), ("tisagenlecleucel", "CR", 39.0),
         ("lisocabtagene maraleucel", "ORR", 73.0), ("lisocabtagene maraleucel", "CR", 53.0)},
        id="each-product-with-its-trial-and-figures-in-one-bracket"),
    pytest.param(
        "Responses to ide-cel and cilta-cel were 73% and 97%, and complete responses 33% and 67%, in KarMMa and "
        "CARTITUDE-1, respectively.",
        {("idecabtagene vicleucel", "ORR", 73.0), ("ciltacabtagene autoleucel", "ORR", 97.0),
         ("idecabtagene vicleucel", "CR", 33.0), ("ciltacabtagene autoleucel", "CR", 67.0)},
        id="two-products-two-lists-and-their-trials-respectively"),
    pytest.param(
        "The ORRs with ide-cel and cilta-cel were 73% and 97%, respectively, with median PFS of 8.8 months and not "
        "reached.",
        {("idecabtagene vicleucel", "ORR", 73.0), ("ciltacabtagene autoleucel", "ORR", 97.0),
         ("idecabtagene vicleucel", "PFS_MEDIAN", 8.8), ("ciltacabtagene autoleucel", "PFS_MEDIAN", None)},
        id="a-duration-and-not-reached-pair-over-two-products"),
])
def test_reviews_comparing_products(text: str, expected: set[tuple[str, str, float | None]]) -> None:
    assert {(c.therapy, c.metric, c.value) for c in extract_claims(text)} == expected


def test_a_long_description_cell_does_not_end_a_cell_per_line_table() -> None:
    long_cell = ("r/r grade 1-3a FL after two or more lines including an anti-CD20 antibody and an alkylating agent; "
                 "PS 0-1; no CNS disease")
    text = _CELL_PER_LINE_REVIEW.replace("r/r after two or more lines incl. an anti-CD20 antibody and an alkylator; PS 0-1",
                                         long_cell)
    assert len(long_cell) > 80 and long_cell in text
    assert {(c.metric, c.value) for c in extract_claims(text)} == {(c.metric, c.value) for c in
                                                                   extract_claims(_CELL_PER_LINE_REVIEW)}


def test_two_long_lines_in_a_row_are_prose_not_table_cells() -> None:
    prose = ("Axi-cel was studied in the ZUMA-5 trial of patients with indolent lymphoma after two or more lines of therapy.\n"
             "Tisa-cel was studied in the ELARA trial of patients with follicular lymphoma after two or more lines of therapy.\n")
    cells = "\n".join(["ORR", "94%", "86%", "CR", "79%", "69%", "Median follow-up", "41", "29"]) + "\n"
    text = "Axi-cel (ZUMA-5)\nTisa-cel (ELARA)\n" + prose + cells
    assert not [c for c in extract_claims(text) if c.metric == "FOLLOWUP_MEDIAN"]


def test_a_second_car_t_product_after_compared_with_is_not_a_comparator() -> None:
    text = "Twelve-month PFS reached 70% among axi-cel recipients, compared with 45% among tisa-cel recipients."
    assert {(c.therapy, c.metric, c.value) for c in extract_claims(text)} == {
        ("axicabtagene ciloleucel", "PFS_RATE", 70.0), ("tisagenlecleucel", "PFS_RATE", 45.0)}
    other = "Cilta-cel gave a 95% response rate, compared with 61% with teclistamab in a separate trial."
    assert {(c.therapy, c.metric, c.value) for c in extract_claims(other)} == {
        ("ciltacabtagene autoleucel", "ORR", 95.0)}


_GLUED_TABLE = """Table 2.

Key trials of CD19 CAR T cells in lymphoma

TrialPopulationOverall response rateComplete response rateMedian PFSReference
ZUMA-5 (Kite)Adults with relapsed indolent lymphoma92%74%40.2 months21
ELARA (Novartis)Adults with relapsed follicular lymphoma86%69%Not reached22
TRANSCEND FL (BMS)Adults with follicular lymphoma after two lines97%94%Not reached23
  • FL = follicular lymphoma
"""


def test_a_table_whose_cells_lost_their_separators() -> None:
    got = {(c.therapy.split()[0], c.trial, c.metric, c.value, c.not_reached) for c in extract_claims(_GLUED_TABLE)}
    assert got == {
        ("axicabtagene", "ZUMA-5", "ORR", 92.0, False), ("axicabtagene", "ZUMA-5", "CR", 74.0, False),
        ("axicabtagene", "ZUMA-5", "PFS_MEDIAN", 40.2, False),
        ("tisagenlecleucel", "ELARA", "ORR", 86.0, False), ("tisagenlecleucel", "ELARA", "CR", 69.0, False),
        ("tisagenlecleucel", "ELARA", "PFS_MEDIAN", None, True),
        ("lisocabtagene", "TRANSCEND FL", "ORR", 97.0, False), ("lisocabtagene", "TRANSCEND FL", "CR", 94.0, False),
        ("lisocabtagene", "TRANSCEND FL", "PFS_MEDIAN", None, True)}


def test_prose_with_a_glued_word_is_not_a_table() -> None:
    text = ("Axi-cel gave a 92% response rate.\nThe MajesTEC-1 trial tested a bispecific.\n"
            "Response rates were high across the board.\n")
    assert {(c.metric, c.value) for c in extract_claims(text)} == {("ORR", 92.0)}


def test_members_of_a_group_who_later_relapsed_are_not_a_count() -> None:
    text = "With tisa-cel, eleven patients who had CR or CRi relapsed before the data cutoff."
    assert [c for c in extract_claims(text) if c.metric == "N_PATIENTS"] == []


def test_a_table_of_grades_keeps_only_the_grade_3_rows_and_a_bare_no_is_no_count() -> None:
    text = ("Treatment details for liso-cel recipients\n| Characteristic . | Result . |\n|---|---|\n"
            "| Severity of CRS, n (%) | |\n| Grade 0 | 150 (40.1) |\n| Grade 1-2 | 190 (50.8) |\n| Grade ≥3 | 30 (8.0) |\n"
            "| Not reported | 4 (1.1) |\n| Tocilizumab use, n (%) | |\n| No | 250 (66.8) |\n| Yes | 120 (32.1) |\n")
    assert {(c.metric, c.value) for c in extract_claims(text)} == {("CRS_GRADE3PLUS", 8.0)}


def test_bullet_items_under_a_heading_that_names_one_metric() -> None:
    text = ("What the trial found\n- The study enrolled 150 patients with advanced gastric cancer.\n"
            "- Progression-free survival, the time before the cancer grew, was longer with satri-cel:\n"
            "- 3.4 months with satri-cel\n- 1.8 months with standard treatment\n"
            "- Overall survival was also longer:\n- 8.0 months with satri-cel\n- 4.6 months with standard treatment\n")
    claims = extract_claims(text)
    assert {(c.metric, c.value) for c in claims} == {("N_PATIENTS", 150.0), ("PFS_MEDIAN", 3.4), ("OS_MEDIAN", 8.0)}
    assert all(text[c.start : c.end] == c.sentence for c in claims)


def test_an_arm_named_group_or_tpc_in_a_randomised_sentence_is_no_count() -> None:
    text = ("Of 250 screened, 150 patients were randomly allocated to the satri-cel group (n=100) or the TPC group "
            "(n=50).")
    assert ("N_PATIENTS", 50.0) not in {(c.metric, c.value) for c in extract_claims(text)}


def test_a_back_reference_keeps_the_landmark_of_the_labels_it_takes() -> None:
    text = ("With obe-cel, for patients in CR at month 3, the 24-month EFS and OS probabilities were 51.0% and 54.0%, "
            "respectively. These respective rates were 70.0% and 80.0% for patients in CRi.")
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {
        ("EFS_RATE", 51.0, 24.0), ("OS_RATE", 54.0, 24.0), ("EFS_RATE", 70.0, 24.0), ("OS_RATE", 80.0, 24.0)}
    own = ("With obe-cel, the 12-month EFS and OS rates were 51.0% and 60.0%. These respective rates were 40.0% and "
           "50.0% at 24 months.")
    assert ("EFS_RATE", 40.0, 24.0) in {(c.metric, c.value, c.timepoint_months) for c in extract_claims(own)}


def test_a_landmark_reached_or_passed_after_progression_free() -> None:
    text = "With tisa-cel, all 8 patients were still in CR at month 3, and 6 of 8 remained progression-free >12 months."
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {
        ("N_PATIENTS", 8.0, None), ("PFS_RATE", 75.0, 12.0)}
    bound = "Cilta-cel responses were durable after >3 years of follow-up, with an ORR of 97%."
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(bound)} == {("ORR", 97.0, None)}


def test_a_toxicity_takeaway_before_the_product_is_named_is_not_background() -> None:
    # "incidence" marks epidemiology before any product is named, but not when the figures are CAR-T toxicities
    text = ("Severe toxicity was uncommon: the incidence of grade 3 or higher CRS and ICANS was 3.1% and 6.2%, "
            "respectively.\nThe ZUMA-3 trial of brexu-cel treated 78 adults with B-ALL.")
    assert {(c.metric, c.value) for c in extract_claims(text)} >= {("CRS_GRADE3PLUS", 3.1), ("ICANS_GRADE3PLUS", 6.2)}
    epidemiology = ("The incidence of the disease is about 4% per decade of age.\n"
                    "The ZUMA-3 trial of brexu-cel treated 78 adults with B-ALL.")
    assert {(c.metric, c.value) for c in extract_claims(epidemiology)} == {("N_PATIENTS", 78.0)}


def test_a_breakdown_in_brackets_takes_the_labels_after_its_figures() -> None:
    text = "With brexu-cel, the overall remission rate was 71% (56% complete remission and 15% CRi)."
    assert {(c.metric, c.value) for c in extract_claims(text)} == {("REMISSION_RATE", 71.0), ("CR", 56.0)}
    restated = "With brexu-cel, the overall response rate (83% ORR) held at one year."
    assert {(c.metric, c.value) for c in extract_claims(restated)} == {("ORR", 83.0)}


def test_an_earlier_phase_study_of_the_product_is_not_the_named_trial() -> None:
    text = ("Arlo-cel results from the phase 2 pivotal QUINTESSENTIAL study were shared.\n"
            "\u2014 In 65 patients, the ORR was 91% at a median follow-up of 8.1 months \u2014\n"
            "\u2014 A 28.4-month median PFS in the phase 1 study of arlo-cel \u2014")
    trials = {(c.metric, c.value): c.trial for c in extract_claims(text)}
    assert trials[("ORR", 91.0)] == "QUINTESSENTIAL"
    assert trials[("PFS_MEDIAN", 28.4)] is None
    same_phase = ("Arlo-cel results from the phase 2 QUINTESSENTIAL study were shared. In the phase 2 study, the ORR "
                  "was 91%.")
    assert {c.trial for c in extract_claims(same_phase)} == {"QUINTESSENTIAL"}


def test_em_dash_subheads_of_a_release_are_units_of_their_own() -> None:
    text = ("Company Reports Data for Its Cilta-cel Study\n"
            "\u2014 An ORR of 96% in 80 patients \u2014\n"
            "\u2014 Median PFS not reached after 20 months \u2014")
    claims = extract_claims(text)
    assert ("ORR", 96.0) in {(c.metric, c.value) for c in claims}
    assert all(c.sentence.count("\u2014") <= 2 for c in claims)


def _figures(text: str) -> set[tuple[str, float | None]]:
    return {(c.metric, c.value) for c in extract_claims(text)}


def test_values_listed_before_their_labels_with_respectively() -> None:
    text = "Of 30 evaluable patients given liso-cel, 80% and 50% achieved overall and complete responses, respectively."
    assert _figures(text) == {("N_PATIENTS", 30.0), ("ORR", 80.0), ("CR", 50.0)}


def test_counts_of_analysis_sets_and_relapsed_refractory_groups() -> None:
    assert _figures("Liso-cel was studied. We enrolled 120 relapsed/refractory CLL patients.") == {("N_PATIENTS", 120.0)}
    sets = ("With liso-cel, of 120 leukapheresed patients, 101 received liso-cel, 90 (DL1 = 10; DL2 = 80) were "
            "efficacy evaluable, and 50 (DL1 = 5; DL2 = 45) were in the PEAS.")
    assert _figures(sets) == {("N_PATIENTS", n) for n in (120.0, 101.0, 90.0, 10.0, 80.0, 50.0, 5.0, 45.0)}
    events = "With eque-cel, CRS occurred in 90 of 100 patients (90 percent; grade 1 to 2 in 88 patients [88 percent])."
    assert ("N_PATIENTS", 88.0) not in _figures(events)


def test_a_null_hypothesis_is_no_rate_and_cr_or_cri_with_its_abbreviations_is_a_remission_rate() -> None:
    text = ("With liso-cel, the endpoint was met (null hypothesis: ≤ 5%) with the rate of complete response/remission "
            "(CR) and CR with incomplete marrow recovery (CRi) at 20.5%.")
    assert _figures(text) == {("REMISSION_RATE", 20.5)}


def test_immune_effector_cell_associated_neurologic_syndrome_with_an_en_dash_is_icans() -> None:
    text = ("With axi-cel, grade 3 or higher cytokine release syndrome and immune effector cell\u2013associated "
            "neurologic syndrome occurred in 6% and 12% of patients, respectively.")
    assert _figures(text) == {("CRS_GRADE3PLUS", 6.0), ("ICANS_GRADE3PLUS", 12.0)}


def test_in_all_patients_after_a_figure_is_whom_it_is_of_and_maintained_mrd_negativity_is_no_claim() -> None:
    text = "With eque-cel, the CR rate was 70.0% at 12 months in all patients."
    assert _figures(text) == {("CR", 70.0)}
    kept = "With eque-cel, every patient reached MRD negativity, with 65.0% maintaining MRD negativity beyond a year."
    assert _figures(kept) == {("MRD_NEG", 100.0)}


def test_the_rates_were_respectively_takes_the_previous_labels_beside_its_group_count() -> None:
    text = ("With eque-cel, the ORR was 95.0%, with 80.0% achieving at least a CR. Among 90 patients without prior "
            "CAR T therapy, the rates were 97.0% and 85.0%, respectively.")
    assert _figures(text) == {("ORR", 95.0), ("CR", 80.0), ("N_PATIENTS", 90.0), ("ORR", 97.0), ("CR", 85.0)}


def test_pooled_commercial_cohorts_and_care_after_car_t_failure_credit_no_product() -> None:
    pooled = ("Through a registry we found 40 adults given commercial CD19-directed CAR T-cell therapy; most were "
              "treated with axicabtagene ciloleucel (60%). The 1-year overall survival was 50%.")
    assert _figures(pooled) == set()
    after = ("Forty patients with lymphoma received an allogeneic transplant following anti-CD19 CAR T failure. "
             "One-year overall survival was 55%.")
    assert _figures(after) == set()
    own = "Severe CRS was least common with liso-cel (3%), compared with axi-cel (11%)."
    assert ("CRS_GRADE3PLUS", 3.0) in _figures(own)


def test_a_median_follow_up_with_its_duration_inside_the_label() -> None:
    assert ("FOLLOWUP_MEDIAN", 5.0) in _figures("With cilta-cel, at a median 5-year follow-up, median PFS was 20 months.")
    assert ("FOLLOWUP_MEDIAN", 30.0) in _figures("With cilta-cel, after a median 30-month follow-up, the ORR was 88%.")


def test_parts_of_a_group_named_first_are_shares_of_it() -> None:
    text = ("With eque-cel, for the 5 patients who had prior CAR T exposure, 4 achieved stringent complete response, "
            "and 1 achieved a very good partial response.")
    assert {("sCR", 80.0), ("VGPR", 20.0)} <= _figures(text)


def test_disease_specific_survival_is_not_overall_survival() -> None:
    text = "With axi-cel, the 5-year OS rate was 40.0%; disease-specific survival at 5 years was 49.0%."
    assert _figures(text) == {("OS_RATE", 40.0)}


def test_the_arms_a_previous_sentence_compared_come_in_order_before_respectively() -> None:
    text = ("With satri-cel (n = 100), median PFS was 3.5 months compared with 1.9 months with physician's choice. "
            "The 6-month PFS rates were 26% and 15%, respectively.")
    assert ("PFS_RATE", 15.0) not in _figures(text)
    assert ("PFS_RATE", 26.0) in _figures(text)
    landmarks = ("A product from an academic center named GD2-CART01 was given; toxicity was brought under control. "
                 "The rate of complete remission at 6 weeks and 3 months was 35% and 30%, respectively.")
    assert {c.timepoint_months for c in extract_claims(landmarks) if c.metric == "CR"} == {1.4, 3.0}


def test_a_total_randomly_allocated_to_two_arms_is_a_count_and_arm_sizes_after_a_semicolon_are_not() -> None:
    text = ("With satri-cel, 250 patients were screened, of whom 150 were randomly allocated to the satri-cel group "
            "(n=100) or TPC group (n=50).")
    assert _figures(text) == {("N_PATIENTS", 150.0)}
    arms = ("Patients were randomly assigned 2:1 to receive either satri-cel (n = 100) or a treatment of the "
            "physician's choice (TPC; n = 50).")
    assert ("N_PATIENTS", 50.0) not in _figures(arms)


def test_figures_of_the_next_line_of_treatment_are_not_the_products() -> None:
    text = ("In the axi-cel arm of ZUMA-7, 80 of 170 randomized patients (47%) received 3L therapy. "
            "Axi-cel was given as second-line therapy to 170 patients, with an ORR of 83%.")
    figures = _figures(text)
    assert ("N_PATIENTS", 80.0) not in figures and ("ORR", 83.0) in figures


def test_listed_medians_with_bracketed_intervals_before_their_shared_unit() -> None:
    text = ("With cilta-cel, median duration of response and progression-free survival (95% CI) were 12.5 "
            "(8.0\u2014not estimable) and 10.1 (2.5\u2014not estimable) months, respectively.")
    assert _figures(text) == {("DOR_MEDIAN", 12.5), ("PFS_MEDIAN", 10.1)}


def test_rates_in_all_patients_were_is_the_population_not_a_hundred_percent() -> None:
    text = ("With tisa-cel, estimated 24-month PFS, DOR, and OS rates in all patients were 55.0% (95% CI, 45-65), "
            "65.0% (95% CI, 55-75), and 85.0% (95% CI, 77-92).")
    assert _figures(text) == {("PFS_RATE", 55.0), ("OS_RATE", 85.0)}


def test_an_earlier_pilot_study_is_not_the_trial_the_text_names() -> None:
    text = ("In a previous pilot study of tisagenlecleucel in follicular lymphoma, 70% of patients achieved a "
            "complete response. Here we report the ELARA trial, in which the CR rate was 68.0%.")
    trials = {(c.metric, c.value): c.trial for c in extract_claims(text)}
    assert trials == {("CR", 70.0): None, ("CR", 68.0): "ELARA"}


def test_a_study_in_n_adults_showed_that_is_a_count() -> None:
    assert ("N_PATIENTS", 90.0) in _figures("The study of obe-cel in 90 adults showed that 75% reached remission.")


def test_a_grade_stated_after_a_share_with_no_event_noun() -> None:
    text = ("With ide-cel, CRS occurred in 78% of patients, though only 4% experienced grade 3 or higher. ICANS was "
            "observed in 25%, with 6% being grade 3 or higher.")
    assert _figures(text) == {("CRS_ANY", 78.0), ("CRS_GRADE3PLUS", 4.0), ("ICANS_ANY", 25.0), ("ICANS_GRADE3PLUS", 6.0)}


def test_a_label_with_its_own_figure_leaves_the_next_figure_to_the_subject_before_it() -> None:
    text = ("With ide-cel, the median progression-free survival at a median follow-up of 7.0 months from infusion was "
            "9.5 months (95% CI, 7.0 to not reached).")
    assert _figures(text) == {("FOLLOWUP_MEDIAN", 7.0), ("PFS_MEDIAN", 9.5)}


def test_best_overall_and_at_least_complete_response_rates() -> None:
    text = "With ide-cel, the best overall and \u2265 complete response rates were 80% and 40%, respectively."
    assert _figures(text) == {("ORR", 80.0), ("CR", 40.0)}


def test_a_share_that_maintained_a_response_is_an_ongoing_share_not_a_response_rate() -> None:
    text = "With Descartes-08, 80% (8/10) of evaluable participants maintained a clinically meaningful response through month 12."
    assert _figures(text) == set()


def test_a_review_tables_outcomes_column_in_words_and_rows_without_a_leading_pipe() -> None:
    text = ("Table 3. Trials of CD19-directed CAR T cells.\n"
            "Study | Patient number | Costimulatory domain | Outcomes |\n"
            "---|---|---|---|\n"
            "Smith et al. (2019) | 24 ALL | 4-1BB | 6-month EFS: 60% CR: 85% (MRD-negative in 90% of those in CR) |\n"
            "Jones et al. (2020) | 12 CLL adults | CD28 | CR: 50% PD: 25% |\n")
    assert _figures(text) == {("N_PATIENTS", 24.0), ("N_PATIENTS", 12.0), ("EFS_RATE", 60.0), ("CR", 85.0),
                              ("MRD_NEG", 90.0), ("CR", 50.0)}


def test_registry_fields_written_as_key_value_pipes_are_not_a_table() -> None:
    text = ("Intervention | Biological: CTL019 T-cells |\nEnrollment | 60 |\n"
            "Pre-assignment Details | While 60 patients were enrolled, only 52 received an infusion of tisagenlecleucel. |")
    assert ("N_PATIENTS", 52.0) in _figures(text)


def test_an_interval_to_not_reached_with_its_abbreviation_is_no_not_reached_median() -> None:
    text = "With liso-cel, median event-free survival was 28.0 months (9.0 to not reached [NR]) versus 2.5 months for SOC."
    assert {(c.metric, c.value, c.not_reached) for c in extract_claims(text)} == {("EFS_MEDIAN", 28.0, False)}


def test_crossing_over_is_no_outcome_and_neither_arm_reached_the_median() -> None:
    text = ("Liso-cel was compared with standard care. Median overall survival was not reached for both arms, with 60% of "
            "patients crossing over to receive liso-cel. Neither arm reached median progression-free survival.")
    assert {(c.metric, c.not_reached) for c in extract_claims(text)} == {("OS_MEDIAN", True), ("PFS_MEDIAN", True)}


def test_complete_or_stringent_response_with_abbreviations_and_the_group_that_achieved_it() -> None:
    text = ("With zevor-cel (n = 12), the complete response (CR)/stringent CR (sCR) rate was 75.0%. Notably, all "
            "patients who experienced a CR/sCR achieved minimal residual disease negativity.")
    assert _figures(text) == {("N_PATIENTS", 12.0), ("CR", 75.0), ("MRD_NEG", 100.0)}


def test_arm_sizes_in_the_named_arms_and_sustained_mrd_negative_cr_and_a_confident_interval() -> None:
    text = ("In CARTITUDE-4, 400 patients were randomized, with 200 patients in the cilta-cel arm and 200 patients in "
            "the SOC arm. Sustained MRD-negative \u2265CR of at least 12 months was achieved in 50% versus 11%. The ORR "
            "was 97 percent (95 percent Confident Interval [CI], 91.0-99.5), with median progression-free and overall "
            "survival not yet being reached.")
    assert {(c.metric, c.value, c.not_reached) for c in extract_claims(text)} == {
        ("N_PATIENTS", 400.0, False), ("ORR", 97.0, False), ("PFS_MEDIAN", None, True), ("OS_MEDIAN", None, True)}


def test_did_not_reach_the_median_and_from_the_comparators_figure_to_the_products() -> None:
    text = ("Carvykti did not reach median PFS compared to 11.5 months with SOC, and increased 12-month PFS from 48% "
            "to 75%.")
    assert {(c.metric, c.value, c.not_reached, c.timepoint_months) for c in extract_claims(text)} == {
        ("PFS_MEDIAN", None, True, None), ("PFS_RATE", 75.0, False, 12.0)}


def test_a_negative_mrd_rate_an_interval_bracket_with_its_group_size_and_a_bracketed_abbreviation() -> None:
    text = ("With OriCAR-017, the trial achieved a 100% overall response rate and a 90% negative measurable residual "
            "disease rate. After 16.0 months, KTE-X19 gave an overall complete remission (CR) rate (CR + CR with "
            "incomplete hematological recovery [CRi]) of 70% (95% CI 55-80; N = 50).")
    assert {("ORR", 100.0), ("MRD_NEG", 90.0), ("REMISSION_RATE", 70.0), ("N_PATIENTS", 50.0)} <= _figures(text)


def test_patients_in_ongoing_remission_are_no_group_and_a_rival_listed_such_as_keeps_its_figure() -> None:
    text = ("Newer options such as blinatumomab and inotuzumab ozogamicin, which result in median overall survival of "
            "7 months, are available. With brexu-cel in ZUMA-3, median OS was 25.0 months for responders (n = 50), "
            "with 8 patients in ongoing remission.")
    assert _figures(text) == {("OS_MEDIAN", 25.0), ("N_PATIENTS", 50.0)}


def test_spanish_mrd_negativity_as_emr_and_plural_objective_responses() -> None:
    text = ("En el ensayo, el 60% de los pacientes tratados con cilta-cel alcanzaron negatividad de EMR al umbral de "
            "10⁻⁵. El 70% de ellos ofrecieron respuestas objetivas.")
    assert _figures(text) == {("MRD_NEG", 60.0), ("ORR", 70.0)}


def test_did_not_reach_the_median_and_a_follow_up_in_weeks() -> None:
    text = "With bb2121, the study did not reach the median progression free survival with median follow up of 36 weeks."
    assert {(c.metric, c.value, c.not_reached) for c in extract_claims(text)} == {
        ("PFS_MEDIAN", None, True), ("FOLLOWUP_MEDIAN", 8.4, False)}


def test_a_myositis_major_clinical_response_is_no_response_rate() -> None:
    text = ("A case series gave CD19 CAR T cells to 12 patients with autoimmune disease. Every patient with lupus had "
            "DORIS remission, and every patient with myositis had an ACR-EULAR major clinical response.")
    assert _figures(text) == {("N_PATIENTS", 12.0), ("REMISSION_RATE", 100.0)}


def test_found_to_be_adds_no_distance_and_a_bare_negativity_is_mrd() -> None:
    text = ("With ide-cel in KarMMa, eight out of ten (80%) of patients evaluable for minimal residual disease (MRD) "
            "status were found to be MRD-negative.")
    assert _figures(text) == {("MRD_NEG", 80.0)}
    text = "With cilta-cel, 71% of MRD-evaluable patients achieved negativity."
    assert _figures(text) == {("MRD_NEG", 71.0)}


def test_a_landmark_after_one_clause_figure_stays_out_of_the_next_clause() -> None:
    text = "With cilta-cel, 64% of patients achieved MRD negativity by day 56, and 48% had a complete response."
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {
        ("MRD_NEG", 64.0, 1.87), ("CR", 48.0, None)}


def test_a_comparator_named_between_versus_and_its_figure() -> None:
    text = "In KarMMa-3, median PFS: ide-cel 12.9 months vs standard regimens 3.9 months; 1-year PFS: 52% vs SOC 21%."
    assert {(c.metric, c.value) for c in extract_claims(text)} == {("PFS_MEDIAN", 12.9), ("PFS_RATE", 52.0)}


def test_durations_written_in_m_where_the_sentence_defines_m_as_months() -> None:
    text = ("With ARI0002h, at a median follow-up of 30 months (m), progression-free survival was 22m, and an overall "
            "survival rate of 58% at 36m was observed.")
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {
        ("FOLLOWUP_MEDIAN", 30.0, None), ("PFS_MEDIAN", 22.0, None), ("OS_RATE", 58.0, 36.0)}
    # without the definition an "m" is no month: money, as often as not
    assert extract_claims("Kite raised $40m on the strength of axi-cel's progression-free survival of 14m.") == []


def test_a_fraction_restated_as_a_percentage_later_is_one_figure() -> None:
    text = "With anito-cel, 31/40 assessable patients achieved a CR or better (>CR rate, 78%)."
    assert {(c.metric, c.value) for c in extract_claims(text)} == {("CR", 78.0)}


def test_the_window_a_response_endpoint_is_defined_with_goes_to_its_later_rate() -> None:
    text = ("The primary endpoint was the overall remission rate [complete remission plus CR with incomplete blood "
            "count recovery] within 3 months of tisagenlecleucel infusion. The overall remission rate was 81%, and "
            "median overall survival was 19.1 months.")
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {
        ("REMISSION_RATE", 81.0, 3.0), ("OS_MEDIAN", 19.1, None)}
    # a rate stated before the definition, or of another metric, keeps no window
    text = "The complete response rate with axi-cel was 58%. The primary endpoint was the objective response rate at 3 months."
    assert {(c.metric, c.timepoint_months) for c in extract_claims(text)} == {("CR", None)}


def test_a_product_named_after_a_figure_as_its_benchmark_does_not_take_it() -> None:
    text = ("Anito-cel showed a median PFS of 30 months.\n"
            "Its 24-month PFS came in at 61%, on par with what Carvykti achieved in CARTITUDE-1.")
    assert {(c.therapy, c.metric, c.value) for c in extract_claims(text)} == {
        ("anitocabtagene autoleucel", "PFS_MEDIAN", 30.0), ("anitocabtagene autoleucel", "PFS_RATE", 61.0)}
    # without a benchmark word the product after the figure is the figure's
    text = "Anito-cel showed a median PFS of 30 months.\nThe 24-month PFS was 61% with Carvykti in CARTITUDE-1."
    assert ("ciltacabtagene autoleucel", "PFS_RATE", 61.0) in {(c.therapy, c.metric, c.value) for c in extract_claims(text)}


def test_a_long_description_of_the_group_between_a_figure_and_its_outcome() -> None:
    text = ("In ZUMA-1, 77 (76%) of 101 evaluable patients who had chemorefractory diffuse large B-cell lymphoma and "
            "received axi-cel achieved an objective response.")
    assert _figures(text) == {("ORR", 76.0)}


def test_a_share_transplanted_during_remission_is_no_outcome() -> None:
    text = ("With obe-cel in FELIX, 21% of responders underwent SCT during measurable residual disease (MRD)-negative "
            "remission, and the overall remission rate was 76%.")
    assert _figures(text) == {("REMISSION_RATE", 76.0)}


def test_ongoing_responses_after_a_product_name_and_a_landmark_kept_in_its_clause() -> None:
    text = "Responses to cilta-cel were ongoing at 18 months in 81% of responders, and the ORR was 96%."
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {("ORR", 96.0, None)}


def test_a_landmark_with_a_half() -> None:
    text = "Kite said 64 percent of patients given Yescarta were alive without progression two and a half years after treatment."
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {("PFS_RATE", 64.0, 30.0)}
    text = "With Carvykti, PFS at one and a half years was 73%; two and a half years of follow-up showed an ORR of 84%."
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {
        ("PFS_RATE", 73.0, 18.0), ("ORR", 84.0, None)}


def test_a_floating_all_before_the_outcome_verb_is_every_patient() -> None:
    text = "Seven women with lupus treated with their own CD19 CAR T cells all went into drug-free remission."
    assert _figures(text) == {("REMISSION_RATE", 100.0)}
    assert _figures("With axi-cel, nearly all responded.") == set()


def test_a_trial_named_in_title_case_before_study_and_one_named_as_an_eligibility_yardstick() -> None:
    claims = extract_claims("Overall response across all patients treated with obe-cel in the Felix study reached 76%.")
    assert [(c.metric, c.trial) for c in claims] == [("ORR", "FELIX")]
    assert [c.trial for c in extract_claims("In a pilot study of liso-cel, the ORR was 80%.")] == [None]
    text = ("Of 171 leukapheresed patients, 150 were then infused with brexu-cel. Of these, 77% "
            "would have failed to meet the ZUMA-2 criteria for eligibility. The ORR was 88%.")
    assert {c.trial for c in extract_claims(text)} == {None}


def test_a_trials_own_eligibility_criteria_keep_its_figures() -> None:
    text = ("Patients eligible for ZUMA-7 met its eligibility criteria and were randomized; with axi-cel the ORR "
            "was 83%.")
    assert [(c.metric, c.trial) for c in extract_claims(text)] == [("ORR", "ZUMA-7")]


def test_round_six_real_structures() -> None:
    # "median study follow-up"; a landmark written "for >=5 years" after "progression-free"
    text = ("CARTITUDE-1 tested cilta-cel with a median study follow-up of 58.2 months. One quarter (25/100) of "
            "patients remained alive and progression-free for ≥5 years.")
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} >= {
        ("FOLLOWUP_MEDIAN", 58.2, None), ("PFS_RATE", 25.0, 60.0)}
    # arms as randomised, in brackets; when the analysis ran; the comparator arm's bracketed figure
    text = ("Researchers randomized 351 patients in ZUMA-7 to receive axi-cel (176 patients) or SOC (175 patients). "
            "The primary OS analysis ran 5 years after the first patient was enrolled. Median OS was not reached "
            "with axi-cel compared to patients treated with SOC (29.9 months).")
    assert {(c.metric, c.value, c.not_reached) for c in extract_claims(text)} == {
        ("N_PATIENTS", 351.0, False), ("OS_MEDIAN", None, True)}
    # both arms in a bracket after "versus SOC" keep the first figure
    assert _figures("Median EFS was greater with axi-cel versus SOC (19.8 vs. 2.6 months).") == {("EFS_MEDIAN", 19.8)}
    # "alive with no new anticancer therapy" is no survival figure
    assert _figures("With axi-cel in ZUMA-5, 52% of patients were alive with no new anticancer therapy.") == set()


def test_spanish_windows_mrd_negative_remission_cytokines_with_qu_and_severe_forms() -> None:
    text = ("Con varnimcabtagene autoleucel, el 81 % de los pacientes alcanzó una remisión completa con enfermedad "
            "residual mínima indetectable a los 28 días, y el 85 % logró remisión completa en los tres primeros meses. "
            "La supervivencia global al año fue del 77 %. El síndrome de liberación de citoquinas se registró en el "
            "70 % de los pacientes, aunque solo el 10 % presentó formas graves.")
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {
        ("MRD_NEG", 81.0, 0.93), ("CR", 85.0, 3.0), ("OS_RATE", 77.0, 12.0), ("CRS_ANY", 70.0, None),
        ("CRS_GRADE3PLUS", 10.0, None)}
    # a landmark right after one figure is that figure's, not the next one's
    text = "Con ARI0002h, la tasa de respuesta global fue del 98 % a los 3 meses y el 61 % alcanzó una respuesta completa."
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {("ORR", 98.0, 3.0), ("CR", 61.0, None)}
    assert _figures("With obe-cel, 68% achieved a complete remission with undetectable MRD.") == {("MRD_NEG", 68.0)}


def test_figures_before_a_text_turns_to_its_real_world_cohort_keep_their_trial() -> None:
    text = ("These approvals rest on the phase Ib/II CARTITUDE-1 trial. Briefly, ORR and sCR rates were 97% and 82%, "
            "respectively. A retrospective analysis of 16 US centers then assessed cilta-cel in a real-world "
            "population of 236 patients, with an ORR of 89%.")
    assert {(c.metric, c.value, c.trial) for c in extract_claims(text)} == {
        ("ORR", 97.0, "CARTITUDE-1"), ("sCR", 82.0, "CARTITUDE-1"), ("N_PATIENTS", 236.0, None), ("ORR", 89.0, None)}


def test_ebmt_the_meeting_is_no_registry() -> None:
    text = ("A post hoc analysis of the phase 1b/2 FELIX trial of obe-cel was presented at the Annual Meeting of the "
            "European Society for Blood and Marrow Transplantation (EBMT). The median EFS was 40.1 months.")
    assert [(c.metric, c.trial) for c in extract_claims(text)] == [("EFS_MEDIAN", "FELIX")]
    text = "Axi-cel was approved on ZUMA-1. Data from the EBMT registry on 300 patients given axi-cel show an ORR of 70%."
    assert {(c.metric, c.trial) for c in extract_claims(text)} == {("N_PATIENTS", None), ("ORR", None)}


def test_an_incidence_threshold_is_no_figure_and_adjectives_before_the_label_join_nothing() -> None:
    text = "With tisa-cel in ELARA, the most common adverse reactions (>20%) were cytokine release syndrome and fatigue."
    assert _figures(text) == set()
    text = "In the pivotal KarMMa trial of Abecma, the majority (73%) of patients achieved rapid, deep and durable responses."
    assert _figures(text) == {("ORR", 73.0)}
    # "..., and the ORR ..." is a new clause, not a series of adjectives
    text = "All 68 patients given KTE-X19 were in the safety analysis, and the ORR among them was 91%."
    assert ("ORR", 100.0) not in _figures(text)


def test_a_count_before_two_products_named_later_in_its_paragraph_is_pooled() -> None:
    text = ("Across 8 centers, we found 31 patients with DLBCL in remission at infusion. Nine were treated with "
            "axicabtagene ciloleucel and 22 with tisagenlecleucel.")
    assert ("N_PATIENTS", 31.0) not in _figures(text)
    # one product named later is the paragraph's subject, as before
    text = "A total of 97 patients were enrolled. All received cilta-cel, and the ORR was 97%."
    assert {("N_PATIENTS", 97.0), ("ORR", 97.0)} <= _figures(text)


def test_arm_sizes_in_words_without_a_randomisation_verb_in_the_sentence() -> None:
    text = ("In CT041-ST-01, 25% of the 100 patients in the satri-cel arm had received three lines, compared with "
            "20% of the 50 patients instead given physician's choice.")
    assert extract_claims(text) == []


def test_a_group_that_experienced_a_rate_is_counted() -> None:
    text = "With zevor-cel in LUMMICAR-2, 12 evaluable patients experienced an ORR of 100%."
    assert _figures(text) == {("N_PATIENTS", 12.0), ("ORR", 100.0)}
    assert ("N_PATIENTS", 5.0) not in _figures("With zevor-cel in LUMMICAR-2, 5 patients experienced grade 3 CRS.")


def test_a_subgroup_median_after_prior_lines_takes_the_label_before() -> None:
    text = ("In KarMMa-3, PFS benefit with ide-cel vs SRs held regardless of prior lines, with greatest benefit after "
            "2 prior lines (15.9 vs 4.6 months, respectively).")
    assert _figures(text) == {("PFS_MEDIAN", 15.9)}
    assert _figures("With ide-cel, patients had a median of 6 prior lines.") == set()


def test_round_seven_news_and_release_structures() -> None:
    # a count after "included" never takes a percentage's number
    assert _figures("With JNJ-4528 in CARTITUDE-1, the ORR included 66% of patients achieving a CR or better.") == {
        ("CR", 66.0)}
    # "(n=70)" between a share and "of patients" is the share's numerator; after "patients" it names the group
    text = ("With cilta-cel in CARTITUDE-1, responses were ongoing in 74 percent (n=71) of patients, and 92 percent "
            "of evaluable patients (n=52) achieved MRD negativity.")
    assert _figures(text) == {("MRD_NEG", 92.0), ("N_PATIENTS", 52.0)}
    # every figure of a comparator's list
    text = ("With Abecma in KarMMa-3, 70 percent of patients responded and 38 percent achieved a complete response "
            "compared with 41 and 6 percent, respectively, of those receiving standard regimens.")
    assert _figures(text) == {("ORR", 70.0), ("CR", 38.0)}
    # an assay threshold; "Felix clinical trial"; "a cohort of 95 for whom ..."
    assert _figures("With tisa-cel, the CR rate was 61%, and all CRs had MRD <0.01%.") == {("CR", 61.0)}
    text = ("Aucatzyl's approval rests on the Felix clinical trial: of the 64 patients from a dosed cohort of 94 for "
            "whom efficacy was evaluated, 62% achieved overall complete remission.")
    assert {(c.metric, c.value, c.trial) for c in extract_claims(text)} == {
        ("REMISSION_RATE", 62.0, "FELIX"), ("N_PATIENTS", 64.0, "FELIX"), ("N_PATIENTS", 94.0, "FELIX")}
    # a later figure with words of its own before the landmark takes it alone
    text = ("With cilta-cel in CARTITUDE-1, 84 percent of patients achieved sCR at a median follow-up of 11.2 months "
            "and 85 percent of patients were alive and progression free at 9 months.")
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {
        ("sCR", 84.0, None), ("FOLLOWUP_MEDIAN", 11.2, None), ("PFS_RATE", 85.0, 9.0)}


def test_telegraphic_ampersand_lists_ocr_rates_the_month_mark_and_a_follow_up_in_mos() -> None:
    text = "In the ELARA trial of Kymriah, 51% & 41% achieved any-grade CRS & neurologic events."
    assert _figures(text) == {("CRS_ANY", 51.0), ("ICANS_ANY", 41.0)}
    text = "In ZUMA-3, Tecartus gave high OCR rates after prior blinatumomab (OCR rate=58%; n=24)."
    assert _figures(text) == {("REMISSION_RATE", 58.0), ("N_PATIENTS", 24.0)}
    text = "With cilta-cel in CARTITUDE-4, at the 12-month mark, 45% of patients achieved MRD-negative CR."
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {("MRD_NEG", 45.0, 12.0)}
    text = "Kymriah in ELARA: 94 adult patients with r/r FL for ~16mos. of median follow-up."
    assert _figures(text) == {("FOLLOWUP_MEDIAN", 16.0), ("N_PATIENTS", 94.0)}


def test_values_before_labels_with_later_figures_a_negated_label_and_a_multicentre_phase_1_trial() -> None:
    text = ("Kymriah in ELARA was given to 97 patients; 52% & 44% had any-grade CRS & neurologic events with no "
            "high-grade CRS, grade ≥3 neurologic events (7%), and 19% were infused in an outpatient setting.")
    assert _figures(text) == {("N_PATIENTS", 97.0), ("CRS_ANY", 52.0), ("ICANS_ANY", 44.0), ("ICANS_GRADE3PLUS", 7.0)}
    text = ("LEGEND-2 was a first-in-human, phase 1 study of LCAR-B38M. A total of 74 patients were treated across "
            "4 centers in China. Median PFS was 18.0 months.")
    assert {c.trial for c in extract_claims(text)} == {"LEGEND-2"}
    text = "A retrospective study of axi-cel across 7 centers treated 120 patients; the ORR was 70%."
    assert {c.trial for c in extract_claims(text)} == {None}


def test_follow_up_in_more_words_and_a_unit_with_a_citation_glued_on() -> None:
    text = "With Tecartus in ZUMA-3, 51% of patients achieved a CR at a median study follow-up of 12.1 months1,2"
    assert _figures(text) == {("CR", 51.0), ("FOLLOWUP_MEDIAN", 12.1)}
    text = "With liso-cel in TRANSCEND FL, at a median of on-study follow-up of 40.2 months, the ORR was 94%."
    assert _figures(text) == {("FOLLOWUP_MEDIAN", 40.2), ("ORR", 94.0)}
    text = "With JNJ-4528, 100% of patients responded at a median six-month follow-up."
    assert _figures(text) == {("ORR", 100.0), ("FOLLOWUP_MEDIAN", 6.0)}


def test_spanish_progression_free_in_other_words_and_a_decimal_comma_landmark() -> None:
    text = ("Con cilta-cel en CARTITUDE-4, una única perfusión permitió mantener sin progresión al 78% de los "
            "pacientes tras 2,5 años de seguimiento.")
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {("PFS_RATE", 78.0, 30.0)}
    assert {(c.metric, c.timepoint_months) for c in extract_claims("Con cilta-cel, la SLP a 30 meses fue del 79%.")} == {
        ("PFS_RATE", 30.0)}


def test_spanish_safety_lists_a_median_not_met_and_an_interval_bound_with_its_unit() -> None:
    text = ("Con cilta-cel se registró síndrome de liberación de citoquinas en el 73,1%, infecciones de grado 3/4 en "
            "el 27,5% y síndrome de neurotoxicidad asociado a células efectoras en el 1,9%, además de un 6,1% de "
            "parálisis de nervios craneales.")
    assert _figures(text) == {("CRS_ANY", 73.1), ("ICANS_ANY", 1.9)}
    text = "With tisa-cel in ELARA, the median DOR was not met; median PFS was not reached (NR; 95% CI, 14 months-NR)."
    assert {(c.metric, c.not_reached, c.value) for c in extract_claims(text)} == {
        ("DOR_MEDIAN", True, None), ("PFS_MEDIAN", True, None)}


def test_spanish_thousands_in_counts_and_approximate_counts() -> None:
    text = "Un análisis del registro CIBMTR con 1.310 pacientes tratados con axi-cel comercial mostró una tasa de respuesta global del 72 %."
    assert _figures(text) == {("N_PATIENTS", 1310.0), ("ORR", 72.0)}
    text = "Con cilta-cel, la experiencia se acumula en más de 8.000 pacientes tratados en distintos entornos."
    assert _figures(text) == set()


def test_a_follow_up_visit_is_a_survival_landmark_but_no_response_window() -> None:
    text = ("With JNJ-4528 in CARTITUDE-1, at the six-month follow-up, 26 of 29 patients (89.7%) were "
            "progression-free, and the ORR was 100%.")
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {
        ("PFS_RATE", 89.7, 6.0), ("ORR", 100.0, None)}


def test_round_eight_landmarks_of_later_clauses_follow_up_time_and_manufacturing_counts() -> None:
    text = "With tisa-cel in ELIANA, the overall remission rate was 82%, with 58% of responders relapse-free at 12 months."
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {("REMISSION_RATE", 82.0, None)}
    text = ("With CNCT19, eight of 10 (80%) patients achieved a CR, and the estimated PFS and OS at 12 months were "
            "65.2% and 76.0%, respectively. Cells were successfully manufactured for 21 subjects and given to 19 subjects.")
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {
        ("CR", 80.0, None), ("PFS_RATE", 65.2, 12.0), ("OS_RATE", 76.0, 12.0), ("N_PATIENTS", 19.0, None)}
    text = "With cilta-cel in CARTITUDE-1, one-third of patients achieved progression-free survival of 5 years or more."
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {("PFS_RATE", 33.3, 60.0)}
    text = "With brexu-cel in ZUMA-3, median follow-up time (reverse KM approach) for OS was 41.9 months."
    assert _figures(text) == {("FOLLOWUP_MEDIAN", 41.9)}


def test_round_nine_counts_and_follow_up_in_brackets() -> None:
    assert _figures("Tisagenlecleucel in ELARA: 96/97 enrolled patients received tisagenlecleucel.") == {
        ("N_PATIENTS", 96.0), ("N_PATIENTS", 97.0)}
    assert _figures("With liso-cel in TRANSFORM, adults eligible for transplantation (N 5 182) were randomly assigned 1:1 "
                    "to liso-cel or SOC.") == {
        ("N_PATIENTS", 182.0)}
    text = ("A total of 1290 patients given commercial axi-cel came from the CIBMTR registry, of whom 730 (57%) would "
            "have been ineligible for ZUMA-1.")
    assert _figures(text) == {("N_PATIENTS", 1290.0), ("N_PATIENTS", 730.0)}
    text = "With Tecartus in ZUMA-2, at nearly three years of follow-up (median 34.9 months), the ORR was 90%."
    assert _figures(text) == {("FOLLOWUP_MEDIAN", 34.9), ("ORR", 90.0)}
    # older patients "ineligible for curative-intent therapy" are no real-world cohort
    text = ("Older patients may be ineligible for curative-intent therapy. In a subgroup of ZUMA-7, median EFS was "
            "greater with axi-cel versus SOC (20.1 vs. 2.4 months).")
    assert [(c.metric, c.trial) for c in extract_claims(text)] == [("EFS_MEDIAN", "ZUMA-7")]


def test_a_share_of_a_response_defined_group_and_a_listed_figure_owning_its_window() -> None:
    text = ("With ide-cel in KarMMa, MRD-negative status was confirmed in 25% of all treated patients, and in 78% of "
            "the 41 patients who achieved a CR or better.")
    assert ("MRD_NEG", 78.0) in _figures(text) and ("CR", 78.0) not in _figures(text)
    text = "With inati-cel, the data showed an ORR of 81.5%, 65.9% complete response rate (CR) within three months."
    assert {(c.metric, c.value, c.timepoint_months) for c in extract_claims(text)} == {
        ("ORR", 81.5, None), ("CR", 65.9, 3.0)}


def test_an_aside_after_a_figure_does_not_measure_it() -> None:
    text = ("In the DESCAR-T registry, 1-year progression-free survival was 45.1% for axi-cel and 32.0% for tisa-cel "
            "(hazard ratio (HR) = 0.62).")
    assert {(c.therapy, c.value) for c in extract_claims(text)} == {
        ("axicabtagene ciloleucel", 45.1), ("tisagenlecleucel", 32.0)}


def test_a_treatment_the_patients_are_eligible_for_is_not_their_subject() -> None:
    text = ("In TRANSFORM, adults eligible for autologous stem cell transplantation (N 5 182) were randomly assigned "
            "1:1 to liso-cel or SOC.")
    assert _figures(text) == {("N_PATIENTS", 182.0)}


def test_all_patients_of_a_response_group_written_with_a_slash() -> None:
    text = "With eque-cel in FUMANBA-1, 93.5% of patients achieved MRD negativity, and all sCR/CR patients achieved MRD negativity."
    assert _figures(text) == {("MRD_NEG", 93.5), ("MRD_NEG", 100.0)}


def test_a_line_that_is_only_a_metric_label_heads_the_figure_line_below() -> None:
    text = ("Response rates in ZUMA-2 with Tecartus\n"
            "Efficacy-evaluable population (n=58)\n"
            "Objective response rate\n"
            "86% (50) [74, 93]\n"
            "Complete response rate\n"
            "61% (35) [47, 73]\n"
            "Partial response rate\n"
            "25% (15) [15, 38]")
    assert _figures(text) == {("N_PATIENTS", 58.0), ("ORR", 86.0), ("CR", 61.0)}
