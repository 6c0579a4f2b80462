"""Event kinds and subjects, English and Spanish: what joins two reports into one story."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.events import clues, event_keys, event_kinds, is_strong, proper_names, subjects
from analysis.relevance import assess_relevance


@pytest.mark.parametrize(("title", "text", "kinds"), [
    ("U.S. FDA Approves Kite's Anito-cel", "Based on data from the iMMagine-1 trial.", {"approval"}),
    ("La FDA aprueba una nueva terapia CAR-T", "", {"approval"}),
    ("Bristol's next myeloma cell therapy clears phase 3 test", "", {"readout"}),
    ("Gilead to buy Arcellx in $7.8 billion deal", "", {"business"}),
    ("FDA scraps REMS for CAR-T therapies", "", {"safety"}),
    ("Auxilio Mutuo realiza el primer tratamiento Car-T en la isla", "", {"access"}),
    # No kind word in the headline: the lead's first sentence decides.
    ("Single-dose CAR-T therapy potentially curative in multiple myeloma",
     "A single infusion left one third of heavily pretreated patients free of progression five years later, "
     "according to long-term follow-up. Sales grew.", {"readout"}),
])
def test_event_kinds(title: str, text: str, kinds: set[str]) -> None:
    assert event_kinds(title, text) == kinds


def test_pretreated_is_not_a_retreat() -> None:
    assert "business" not in event_kinds("", "Patients with heavily pretreated myeloma responded.")


def test_names_meet_in_short_and_long_forms_and_across_languages() -> None:
    spanish = proper_names("El Hospital Auxilio Mutuo anunció una alianza con la Cruz Roja Americana.")
    english = proper_names("Auxilio Mutuo Hospital has partnered with the American Red Cross.")
    assert "auxilio mutuo" in spanish & english
    # Places, agencies and generic words are not names; a lone sentence-initial word is not one.
    assert not proper_names("Puerto Rico and the United States. Patients in New York were treated.")


def test_subjects_strong_and_weak() -> None:
    found = subjects("Lupus patients stay in remission after CAR-T", "CD19-targeted cells were given in Erlangen.",
                     (), ())
    assert "d:cd19 lupus" in found and not is_strong("d:cd19 lupus|readout")
    assert "n:erlangen" in found and is_strong("n:erlangen|readout")
    hiv = subjects("Ensayo con células CAR-T busca eliminar el VIH", "", (), ())
    assert "r:hiv" in hiv  # a rare disease in CAR-T news is a subject on its own
    product = event_keys("Carvykti extends survival", "", ("ciltacabtagene autoleucel",), ("CARTITUDE-4",))
    assert {"p:ciltacabtagene autoleucel|readout", "t:cartitude-4|readout", "kind:readout"} <= product


def test_real_world_registry_is_its_own_topic() -> None:
    keys = event_keys("CIBMTR registry data show axi-cel works in older patients", "", ("axicabtagene ciloleucel",), ())
    assert "x:real-world|readout" in keys


def test_an_article_without_a_kind_keeps_its_subjects() -> None:
    keys = event_keys("Primer niño tratado con terapia CAR-T en la isla",
                      "Un paciente de 8 años recibió la terapia en el Hospital Pediátrico Universitario.")
    assert not any(k.startswith("kind:") for k in keys)
    # "Universitario" is a generic word of hospital names, as "University" is
    assert "subj:n:pediatrico" in keys and is_strong("subj:n:pediatrico")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=600))
def test_reading_events_and_relevance_never_raises(title: str, text: str) -> None:
    keys = event_keys(title, text)
    assert all(isinstance(k, str) and k for k in keys)
    assert isinstance(assess_relevance(title, text).relevant, bool)


def test_journals_meetings_wires_and_places_are_not_an_events_subject() -> None:
    lead = ("The data were presented at the American Society of Hematology annual meeting in San Diego "
            "and published in Nature Medicine, Reuters reported from New York.")
    assert proper_names(lead) == {"san diego"}  # a city stays a name; organisations of many events do not
    assert "san jose" in proper_names("Una paciente recibió la terapia en el Hospital de San José.")


@pytest.mark.parametrize(("title", "kinds"), [
    ("EMA accepts Clinic's academic CAR-T for review", {"approval"}),
    ("La agencia europea acepta evaluar un CAR-T académico", {"approval"}),
    ("Kite files for approval of its CAR-T in an earlier line", {"approval"}),
    ("Regulator eases safety rules for cell therapies", {"safety"}),
])
def test_a_regulators_review_is_an_approval_kind_event(title: str, kinds: set[str]) -> None:
    assert event_kinds(title, "") >= kinds
    # A review article or "a review of the label" is not a regulatory review.
    assert "approval" not in event_kinds("A review of CAR-T in myeloma", "")


def test_spanish_inn_forms_name_the_product() -> None:
    for text in ("El hospital administró ciltacabtagén autoleucel por primera vez.",
                 "Pacientes tratados con lisocabtagen maraleucel en el ensayo."):
        assert assess_relevance(text, "").therapies, text


def test_a_company_with_a_disease_is_a_strong_subject_and_a_safety_program_is_rems() -> None:
    found = subjects("Gilead's myeloma cell therapy shows durable responses", "")
    assert "k:gilead myeloma" in found and is_strong("k:gilead myeloma|readout")
    # The company alone stays weak, and another disease is another subject.
    assert not is_strong("c:gilead|readout")
    assert "k:gilead myeloma" not in subjects("Gilead lymphoma data", "")
    assert "x:rems" in subjects("FDA loosens rules", "The agency scrapped the special safety program for CAR-T.")
    assert "k:nhs myeloma" in subjects("Myeloma patients to get CAR-T on the NHS", "")


def test_names_come_from_a_sentence_case_headline_and_lose_possessives_and_company_names() -> None:
    # The headline names the plant, the lead only the country: the headline's name counts.
    found = subjects("Kite offloads Hoofddorp plant to CDMO", "A contract manufacturer is buying the facility.")
    assert "n:hoofddorp" in found
    # A title-case headline capitalises every word: its capitals are no names.
    assert not any(s.startswith("n:") for s in subjects("FDA Approves Liso-cel for Marginal Zone Lymphoma", ""))
    # "Mount Sinai's" is "Mount Sinai"; a company inside a run is no part of a name.
    assert "mount sinai" in proper_names("Doctors at Mount Sinai's cancer centre said.")
    assert not [s for s in subjects("Bristol Myers Squibb wins nod", "Shares of Bristol Myers Squibb rose on Monday.")
                if s.startswith("n:")]
    # A name never starts inside a word ("CARsgen" holds no "Rsgen").
    assert not any("rsgen" in n for n in proper_names("The company CARsgen Therapeutics said."))


def test_a_generic_hospital_word_leaves_the_name_and_a_dateline_is_no_subject() -> None:
    assert "erlangen" in proper_names("Patients treated at Universitätsklinikum Erlangen remain well.")
    assert "garrahan" in proper_names("Doctors at Hospital Garrahan said.")
    release = subjects("Legend Biotech reports results", "SOMERSET, N.J., March 3, 2026 /PRNewswire/ -- Legend "
                       "Biotech Corporation (NASDAQ: LEGN) today announced results from a study.")
    assert not [s for s in release if s.startswith("n:")], release


@pytest.mark.parametrize(("title", "kinds"), [
    ("FDA gives green light to Kite's lymphoma therapy", {"approval"}),
    ("Luz verde de la FDA a una nueva terapia CAR-T", {"approval"}),
    ("FDA nod for Breyanzi in marginal zone lymphoma", {"approval"}),
    # "Death risk" is a survival readout; a death is a safety event.
    ("Carvykti cuts death risk in myeloma", set()),
    ("Patient death prompts clinical hold", {"safety"}),
    ("FDA investigating secondary cancers after CAR-T", {"safety"}),
    # A therapy that clears a cancer reports data; a regulator that clears a therapy approves it.
    ("In vivo CAR-T clears myeloma in first patients", {"readout"}),
    ("US FDA clears Autolus leukemia cell therapy", {"approval"}),
    ("Kite names new chief executive", {"business"}),
    ("Dimite el consejero delegado de la biotecnológica", {"business"}),
])
def test_more_ways_of_saying_a_kind_of_event(title: str, kinds: set[str]) -> None:
    found = event_kinds(title, "")
    assert kinds <= found and ("safety" in found) == ("safety" in kinds)


def test_a_regulator_with_a_disease_is_a_strong_subject_of_a_regulatory_event() -> None:
    release = event_keys("CARsgen announces NMPA approval of zevor-cel",
                         "China's National Medical Products Administration has approved it for multiple myeloma.")
    report = event_keys("Chinese cell therapy approved for earlier use",
                        "A CAR-T therapy for multiple myeloma can now be used earlier, China's drug regulator said.")
    assert "g:nmpa myeloma|approval" in release & report and is_strong("g:nmpa myeloma|approval")
    assert "reg:nmpa" in report
    # A readout that mentions the FDA is no regulatory event: no regulator subject.
    assert not [k for k in event_keys("Myeloma data impress", "The FDA approved the drug in 2024.") if "g:" in k]


def test_an_after_clause_names_an_earlier_event_and_layoffs_are_business() -> None:
    assert event_kinds("Legend lifts Carvykti revenue outlook a day after frontline approval", "") == {"business"}
    assert event_kinds("Autolus wins NICE backing for Aucatzyl after price deal", "") == {"approval"}
    assert "business" in event_kinds("Caribou lays off 30% of staff, narrows pipeline", "")
    # With nothing before it, the clause's kind is the kind.
    assert event_kinds("After approval, doctors weigh demand", "") == {"approval"}


def test_trial_like_names_and_a_regulators_safety_action() -> None:
    from analysis.events import trial_like_names

    assert trial_like_names("Yescarta shows outcomes in ZUMA-24", "KYV-101 in KYSA-8; COVID-19 aside.") == {
        "zuma-24", "kysa-8"}
    keys = event_keys("FDA Adds Enterocolitis Warning to All CAR T-Cell Therapy Labels", "")
    assert "a:fda|safety" in keys and not is_strong("a:fda|safety")


@pytest.mark.parametrize(("title", "kind"), [
    # A regulator widening a label approves; Spanish past tenses of "aprobar" too.
    ("US FDA expands use of J&J, Legend's blood cancer cell therapy", "approval"),
    ("La EMA amplía el uso de Breyanzi al linfoma folicular", "approval"),
    ("La agencia aprobó la terapia el martes", "approval"),
    ("FDA rejects Allogene's cell therapy, citing manufacturing", "approval"),
    # England's access decisions are NICE's recommendations.
    ("New leukaemia cell therapy to be offered on the NHS", "approval"),
    ("Caribou to pause enrollment after patient death", "safety"),
    ("Legend lifts Carvykti outlook on strong third quarter", "business"),
    ("Cabaletta licenses Chinese CD19 CAR-T in $40 million upfront deal", "business"),
    ("Hospital de Clínicas realiza la primera infusión de CAR-T", "access"),
])
def test_how_outlets_word_regulatory_business_and_access_events(title: str, kind: str) -> None:
    assert kind in event_kinds(title, "")


def test_readout_words_that_are_not_other_kinds() -> None:
    # A quarter of patients is a share, not a quarter's sales; a rejection of a graft no regulator's.
    assert "business" not in event_kinds("A quarter of patients relapsed after CAR-T", "")
    assert "approval" not in event_kinds("CAR-Treg cells curb transplant rejection in mice", "")


def test_nice_is_a_regulator_and_real_world_wording_is_the_registry_topic() -> None:
    from analysis.events import regulators

    assert regulators("NICE recommends obe-cel", "") == {"nice"}
    assert regulators("Leukaemia therapy on the NHS", "The spending watchdog reversed a rejection.") == {"nice"}
    assert not regulators("A nice result for patients", "")
    for title in ("Retrospective analysis of axi-cel in older adults", "Cilta-cel en la práctica clínica real",
                  "EBMT data on tisa-cel outside trials"):
        assert "x:real-world" in subjects(title, "")
    # An approval's lead that mentions commercial launch is no registry analysis.
    assert "x:real-world" not in subjects("FDA approves obe-cel", "Autolus has its first commercial product.")


def test_business_topics_clues_landmarks_and_phases() -> None:
    from analysis.events import business_topics, clues, landmarks, phases

    assert business_topics("Caribou trims workforce in restructuring", "") == {"cuts"}
    assert business_topics("Legend lifts Carvykti outlook a day after approval", "") == {"outlook"}
    assert "b:legend outlook|business" in event_keys("Legend lifts Carvykti sales outlook", "Legend Biotech said.")
    found = clues("Lupus patients remain off drugs two years on",
                  "Results appeared in the New England Journal of Medicine. Some had myositis.")
    assert {"v:lupus", "v:myositis", "y:2", "j:nejm"} <= found
    assert landmarks("Two-Year Outcomes; at 5 years; tres años después") == {"2", "5", "3"}
    assert phases("Phase 1/2 and fase III and phase 1b") == {"1", "2", "3"}
    assert not phases("Phase-out of REMS")


@pytest.mark.parametrize(("title", "text", "kinds"), [
    # "despite ..." names other events, like "after ...": sales news stays business news
    ("Novartis cell therapy sales fall despite two new approvals", "", {"business"}),
    ("FDA Requires Labeling Changes for CD19 CAR T Products Regarding Facial Palsy", "", {"safety"}),
    ("Kite's Yescarta beats chemo in first-line lymphoma trial", "", {"readout"}),
    ("CD19 CAR T cells in myasthenia gravis: a phase 1 case series", "", {"readout"}),
    # "reach the brain" is where cells go, not a hospital that starts offering a therapy
    ("Las células CAR-T llegan al cerebro en la esclerosis múltiple", "", set()),
    ("La terapia CAR-T llega al Hospital de Navarra", "", {"access"}),
    ("Sanidad incluye en la financiación pública una terapia CAR-T para el linfoma", "", {"approval"}),
])
def test_more_event_kinds(title: str, text: str, kinds: set[str]) -> None:
    assert event_kinds(title, text) == kinds


def test_spains_funding_decision_and_englands_nice_are_two_regulators() -> None:
    nice = event_keys("NICE backs liso-cel in second-line lymphoma", "", ["lisocabtagene maraleucel"])
    spain = event_keys("Sanidad incluye en la financiación pública liso-cel en segunda línea", "",
                       ["lisocabtagene maraleucel"])
    assert "reg:nice" in nice and "reg:aemps" in spain and "reg:aemps" not in nice


def test_a_lead_is_not_cut_after_a_company_suffix_or_an_initial() -> None:
    text = ("BOSTON, May 3, 2027 (BUSINESS WIRE) -- Acme Cell Co. (Nasdaq: ACME) today announced that the U.S. Food "
            "and Drug Administration placed a clinical hold on its lupus CAR-T trial. More follows.")
    assert "v:lupus" in clues("Acme Cell announces clinical hold", text)


def test_zola_cel_is_a_known_product_with_its_trial() -> None:
    relevance = assess_relevance("Zola-cel leads to drug-free remission in refractory SLE",
                                 "Data from the Breakfree-1 study of CD19 NEX-T cells were shown at EULAR.")
    assert "bms-986353" in relevance.therapies
    assert {m.canonical for m in relevance.names.trials()} == {"Breakfree-1"}


def test_a_headline_opening_with_an_earlier_regulators_decision_is_the_later_regulators_event() -> None:
    keys = event_keys("Days after FDA nod, Kite's anito-cel wins CHMP backing in Europe",
                      "Europe's drug committee has recommended approval of the BCMA cell therapy.",
                      ["anitocabtagene autoleucel"])
    assert "reg:ema" in keys and "reg:fda" not in keys


def test_financial_results_are_business_not_a_readout() -> None:
    assert event_kinds("Autolus Reports Third Quarter 2027 Financial Results", "") == {"business"}
    assert "readout" in event_kinds("Autolus Presents Three-Year Results From FELIX", "")


def test_a_payers_coverage_decision_on_car_t_in_autoimmune_disease_has_a_payer_subject() -> None:
    first = event_keys("CMS Finalizes National Coverage Determination for CAR T-Cell Therapy in Autoimmune Disease Trials",
                       "The Centers for Medicare & Medicaid Services issued a final decision.")
    second = event_keys("Medicare will pay for CAR-T in autoimmune disease trials under final CMS decision",
                        "Medicare will cover CAR-T cell therapy for beneficiaries in qualifying trials.")
    assert {k for k in first if k.startswith("g:cms autoimmune|")} & second


def test_spanish_public_funding_in_other_words_is_an_approval() -> None:
    assert "approval" in event_kinds("Tecartus logra financiación en España para la leucemia del adulto", "")


@pytest.mark.parametrize(("title", "kinds"), [
    ("Cabaletta's myositis CAR-T clears registrational test", {"readout"}),
    ("Cabaletta Bio Announces Pricing of $150 Million Underwritten Public Offering", {"business"}),
    ("Cabaletta raises $150M on the back of myositis data", {"business"}),
    ("NICE says no to Autolus' Aucatzyl in draft guidance", {"approval"}),
    ("La FDA exige advertir de la enterocolitis asociada a las terapias CAR-T", {"safety"}),
])
def test_kinds_of_round_five(title: str, kinds: set[str]) -> None:
    assert event_kinds(title, "") == kinds


def test_a_class_wide_label_change_is_one_safety_action_in_any_words() -> None:
    english = event_keys("US FDA adds bowel inflammation warning to CAR-T cancer therapies",
                         "The FDA will require makers of CAR-T cell therapies to warn about bowel inflammation.")
    spanish = event_keys("La FDA exige advertir de la enterocolitis asociada a las terapias CAR-T",
                         "La FDA exigirá cambios en el etiquetado de las terapias CAR-T autorizadas.")
    assert {k for k in english if "label-change" in k} & spanish
    assert not any(k.startswith(("j:", "subj:j:")) for k in event_keys(
        "FDA Requires Labeling Changes for CAR T Cell Therapies to Warn of Immune Effector Cell-Associated Enterocolitis", ""))


def test_clearing_a_futility_look_is_a_readout() -> None:
    assert event_kinds("Allogene's ALPHA3 clears futility look, keeping CAR-T hopes alive", "") == {"readout"}


def test_an_unknown_inn_close_to_a_known_one_is_not_that_product() -> None:
    from analysis.therapies import find_therapies

    assert find_therapies("the ALPHA3 trial of cemacabtagene ansegedleucel in lymphoma") == []
    assert [m.canonical for m in find_therapies("patients given tisagenleclucel")] == ["tisagenlecleucel"]


@pytest.mark.parametrize(("title", "kinds"), [
    # a headline can carry several kinds: the hold (safety) and the study it stops
    ("FDA freezes a biotech's off-the-shelf lymphoma study after a patient death", {"safety", "readout"}),
    ("Hospital Infantil inicia tratamientos CAR-T para niños con leucemia", {"access"}),
    ("First NHS patients get a new CAR-T therapy for leukaemia", {"access", "policy"}),
    # "como primer tratamiento" is first-line use, a readout's subject, not a first patient
    ("Terapia CAR-T como primer tratamiento retrasa el avance del linfoma", {"readout"}),
])
def test_kinds_of_round_six(title: str, kinds: set[str]) -> None:
    assert event_kinds(title, "") == kinds


def test_a_brain_tumour_in_either_language_with_its_target_is_one_subject() -> None:
    paper = event_keys("GD2-CAR T cells for H3K27M-mutated diffuse midline gliomas", "A phase 1 trial in 20 children.")
    news = event_keys("Células modificadas encogen tumores cerebrales en niños",
                      "Las células reconocen una molécula llamada GD2 y redujeron los tumores.")
    assert {k for k in paper if k.startswith("subj:")} & {k for k in news if k.startswith("subj:")}


def test_a_hospitals_short_name_meets_its_long_one() -> None:
    long = proper_names("Ayer el Hospital Infantil Universitario San Jorge trató a una niña con leucemia.")
    short = proper_names("El director dijo que el Hospital Infantil trata ya a niños con leucemia.")
    assert "infantil" in long & short


@pytest.mark.parametrize(("title", "kinds"), [
    ("Johnson & Johnson Reports Q1 2031 Results", {"business"}),
    ("Autolus halts new slots after batch failures at UK plant", {"safety"}),
    ("Autolus Provides Update on Supply Following Out-of-Specification Results", {"safety"}),
    ("A cancer centre marks its 1,000th commercial CAR T-cell infusion", {"access"}),
    ("Bristol Myers sues Kite over myeloma cell therapy patents", {"business"}),
    ("Charities condemn NICE rejection of a myeloma cell therapy", {"approval"}),
])
def test_kinds_of_round_seven(title: str, kinds: set[str]) -> None:
    assert event_kinds(title, "") == kinds


def test_blood_cancer_is_not_the_journal_blood() -> None:
    assert not any(k.endswith("j:blood") for k in event_keys("Blood cancer charities condemn a decision", ""))
    assert any(k.endswith("j:blood") for k in event_keys("Long-term data published in Blood", ""))
