"""Fingerprints, LSH keys, incremental story assignment and the blindspot rule."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.fingerprint import BANDS, band_keys, fingerprint
from analysis.model.records import Fingerprint
from analysis.stories import (
    ArticleMeta, Assignment, StoryCandidate, add_to_story, article_meta, assign_story,
    is_blindspot, new_story, story_keys,
)

CILTA = ("ciltacabtagene autoleucel",)

WIRE = """\
Johnson & Johnson and Legend Biotech said on Tuesday that their cell therapy Carvykti helped
patients with multiple myeloma live longer than standard treatment in the CARTITUDE-4 trial,
a result doctors had waited years to see. After a median follow-up of 33.6 months, the risk of
death was 45% lower for patients who received the one-time infusion than for those given the
usual drug combinations, according to data presented at the American Society of Hematology
meeting in San Diego. The study enrolled 419 patients whose cancer had stopped responding to
lenalidomide after one to three earlier lines of treatment. Median overall survival was not
reached in either group. Cytokine release syndrome occurred in 76% of treated patients, mostly
mild, and 21 patients developed movement and neurocognitive side effects. Several patients
developed second cancers, a risk that regulators added to the label last year. Doctors who
treat the disease said the survival benefit should push the therapy into earlier use, but the
one-time treatment costs about $465,000 in the United States and only certified centers can give
it. Manufacturing capacity has limited supply, and some patients died waiting for their cells.
The companies said they have expanded production in Belgium and New Jersey. Analysts expect
sales to exceed $1 billion this year.
"""

COPY_2 = WIRE.replace("said on Tuesday", "said Tuesday").replace(
    "a result doctors had waited years to see. ", "").replace(
    "Analysts expect\nsales to exceed $1 billion this year.", "Shares rose 4% in early trading.")

COPY_3 = ("By the Associated Wire staff. " + WIRE.replace("mostly\nmild", "mostly mild ones")
          + "\nThe trial was run at 81 sites, including two hospitals in the region.")

OTHER_TRIAL = """\
Legend Biotech presented longer follow-up from the CARTITUDE-2 study on Monday, describing
patients with early relapse after frontline therapy who received ciltacabtagene autoleucel in
an open-label cohort. In cohort B, 19 patients were treated and the overall response rate was
100%, with most responses deepening to stringent complete response over the first year. The
investigators in Atlanta focused on minimal residual disease negativity, which was reached by
most evaluable patients, and on whether outpatient administration is feasible. Parkinsonism was
not seen in this cohort after the protocol added bridging changes and closer monitoring of
neurologic symptoms. The researchers plan to open a new cohort that tests the infusion in
patients who have not yet received a stem cell transplant and to report quality of life data
next spring at a European meeting.
"""

APPROVAL = """\
The Food and Drug Administration approved Carvykti on Friday for adults with multiple myeloma
whose disease returned after at least one earlier line of therapy, moving the cell therapy from
last-line use into second line. The agency based its decision on progression-free survival in a
randomised study and required a boxed warning about secondary blood cancers and prolonged
low blood counts. An advisory committee had voted in favour last month after debating early
deaths seen in the treatment arm. Doctors said the approval would let more patients reach the
therapy while their immune cells are still healthy enough to manufacture a product, though the
limited number of certified centers and long waits for a manufacturing slot remain obstacles.
"""


def _meta(title: str, when: str, trials: tuple[str, ...] = ("CARTITUDE-4",)) -> ArticleMeta:
    return article_meta(title, when, CILTA, trials)


def _story(story_id: int, text: str, title: str, when: str,
           trials: tuple[str, ...] = ("CARTITUDE-4",)) -> StoryCandidate:
    return new_story(story_id, fingerprint(title, text), _meta(title, when, trials))


# --- fingerprints -----------------------------------------------------------------------------


def test_syndicated_copies_are_near_duplicates_and_share_band_keys() -> None:
    fps = [fingerprint("t", text) for text in (WIRE, COPY_2, COPY_3)]
    assert all(fp.kind == "text" for fp in fps)
    assert fps[0].similarity(fps[1]) >= 0.5
    assert fps[0].similarity(fps[2]) >= 0.5
    assert set(band_keys(fps[0])) & set(band_keys(fps[1]))
    assert set(band_keys(fps[0])) & set(band_keys(fps[2]))


def test_distinct_events_are_not_similar_and_share_no_band_key() -> None:
    wire, other = fingerprint("t", WIRE), fingerprint("t", OTHER_TRIAL)
    assert wire.similarity(other) < 0.2
    assert not set(band_keys(wire)) & set(band_keys(other))


def test_fingerprint_round_trips_through_bytes() -> None:
    fp = fingerprint("title", WIRE)
    data = fp.to_bytes()
    assert len(data) == 6 + 4 * 128
    assert Fingerprint.from_bytes(data) == fp
    headline = fingerprint("Carvykti extends survival", "")
    assert Fingerprint.from_bytes(headline.to_bytes()) == headline


@pytest.mark.parametrize("data", [b"", b"XX\x01\x00\x80\x00", b"MH\x01\x00\x02\x00abc"])
def test_from_bytes_rejects_other_data(data: bytes) -> None:
    with pytest.raises(ValueError, match="not a fingerprint"):
        Fingerprint.from_bytes(data)


def test_headline_only_items_fall_back_to_title_words() -> None:
    a = fingerprint("Carvykti extends survival in CARTITUDE-4 myeloma trial", "")
    b = fingerprint("CARTITUDE-4: Carvykti extends survival in myeloma trial", "Short blurb.")
    assert (a.kind, b.kind) == ("title", "title")
    assert a.similarity(b) == pytest.approx(1.0)
    assert a.similarity(fingerprint("x", WIRE)) == 0.0


def test_empty_item_matches_nothing() -> None:
    empty = fingerprint("", "")
    assert empty.kind == "empty"
    assert band_keys(empty) == []
    assert empty.similarity(empty) == 0.0


def test_band_keys_have_fixed_shape() -> None:
    keys = band_keys(fingerprint("t", WIRE))
    assert len(keys) == BANDS == 32
    assert all(re.fullmatch(r"b\d{2}:[0-9a-f]{16}", key) for key in keys)
    assert [key[:3] for key in keys] == [f"b{i:02d}" for i in range(32)]


def test_band_keys_are_stable_across_processes() -> None:
    root = Path(__file__).resolve().parents[1]
    code = ("import sys; from analysis.fingerprint import band_keys, fingerprint; "
            "print(','.join(band_keys(fingerprint('t', sys.stdin.read()))))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", code], input=WIRE, capture_output=True,
                           text=True, cwd=root, env=env, check=True, timeout=60)
    assert other.stdout.strip().split(",") == band_keys(fingerprint("t", WIRE))


def test_story_keys_cover_text_title_and_events() -> None:
    meta = _meta("Carvykti extends survival in myeloma", "2025-12-09T14:00:00Z")
    keys = story_keys(fingerprint("t", WIRE), meta)
    assert "ev:ciltacabtagene autoleucel|cartitude-4" in keys
    # Event keys: product and trial, each with the kind of event ("survival" is a readout).
    events = [k for k in keys if k.startswith("evt:")]
    assert {"evt:p:ciltacabtagene autoleucel|readout", "evt:t:cartitude-4|readout"} <= set(events)
    assert len(keys) == 2 * BANDS + 1 + len(events)
    assert len(set(keys)) == len(keys)


# --- assignment -------------------------------------------------------------------------------


def test_three_syndicated_copies_form_one_story() -> None:
    story = _story(1, WIRE, "Carvykti extends survival", "2025-12-09T14:00:00Z")
    for text, when in ((COPY_2, "2025-12-09T16:30:00Z"), (COPY_3, "2025-12-10T08:00:00Z")):
        fp, meta = fingerprint("x", text), _meta("Myeloma cell therapy wins", when, ())
        assignment = assign_story(fp, meta, [story])
        assert (assignment.story_id, assignment.reason) == (1, "near_duplicate")
        assert assignment.score >= 0.5
        story = add_to_story(story, fp, meta)
    assert len(story.signatures) == 3
    assert (story.first_seen_at, story.last_seen_at) == ("2025-12-09T14:00:00Z",
                                                         "2025-12-10T08:00:00Z")


def test_same_week_different_trial_stays_apart() -> None:
    story = _story(1, WIRE, "Carvykti extends survival", "2025-12-09T14:00:00Z")
    fp = fingerprint("t", OTHER_TRIAL)
    meta = _meta("Carvykti early relapse data", "2025-12-08T10:00:00Z", ("CARTITUDE-2",))
    assert assign_story(fp, meta, [story]) == Assignment(None, 0.0, "new_story")


def test_approval_months_before_the_readout_stays_apart() -> None:
    story = _story(1, APPROVAL, "FDA approves Carvykti in second line", "2024-04-05T20:00:00Z")
    meta = _meta("Carvykti extends survival", "2025-12-09T14:00:00Z")
    assert assign_story(fingerprint("t", WIRE), meta, [story]).story_id is None
    # Both name Carvykti and CARTITUDE-4; beyond the window, the kinds of event (an approval, a
    # survival readout) keep them apart too.
    assert assign_story(fingerprint("t", WIRE), meta, [story], window_days=800).story_id is None
    readout = _story(2, APPROVAL, "Carvykti survival data presented", "2024-04-05T20:00:00Z")
    assert assign_story(fingerprint("t", WIRE), meta, [readout], window_days=800).story_id == 2


def test_same_therapy_and_trial_joins_without_similar_text() -> None:
    story = _story(7, WIRE, "Carvykti extends survival", "2025-12-09T14:00:00Z")
    headline = fingerprint("Legend shares jump on myeloma survival data", "")
    meta = _meta("Legend shares jump on myeloma survival data", "2025-12-10T01:00:00Z")
    assert assign_story(headline, meta, [story]).reason == "therapy_trial"


def test_similar_headline_joins_without_trial() -> None:
    story = _story(3, WIRE, "Carvykti extends survival in myeloma", "2025-12-09T14:00:00Z")
    fp = fingerprint("Carvykti extends survival in myeloma, study finds", "")
    meta = article_meta("Carvykti extends survival in myeloma, study finds",
                        "2025-12-11T09:00:00Z", CILTA)
    assignment = assign_story(fp, meta, [story])
    # Same product, same kind of event (a survival readout), two days apart: one event.
    assert (assignment.story_id, assignment.reason) == (3, "same_event")


def test_only_candidates_passed_in_are_consulted() -> None:
    wire_story = _story(1, WIRE, "Carvykti extends survival", "2025-12-09T14:00:00Z")
    other_story = _story(2, OTHER_TRIAL, "Early relapse data", "2025-12-08T10:00:00Z",
                         ("CARTITUDE-2",))
    fp, meta = fingerprint("t", COPY_2), _meta("Copy", "2025-12-09T18:00:00Z")
    assert assign_story(fp, meta, []).story_id is None
    assert assign_story(fp, meta, [other_story]).story_id is None
    assert assign_story(fp, meta, [other_story, wire_story]).story_id == 1


def test_best_candidate_wins_and_ties_go_to_lowest_id() -> None:
    a = _story(5, WIRE, "Carvykti extends survival", "2025-12-09T14:00:00Z")
    b = _story(4, WIRE, "Carvykti extends survival", "2025-12-09T15:00:00Z")
    weaker = _story(3, COPY_3, "Carvykti extends survival", "2025-12-09T15:00:00Z")
    meta = _meta("x", "2025-12-09T20:00:00Z")
    assignment = assign_story(fingerprint("t", WIRE), meta, [a, weaker, b])
    assert (assignment.story_id, assignment.score) == (4, 1.0)


def test_copy_outside_the_window_starts_a_new_story() -> None:
    story = _story(1, WIRE, "Carvykti extends survival", "2025-12-09T14:00:00Z")
    meta = _meta("Copy", "2025-12-20T00:00:00Z")
    assert assign_story(fingerprint("t", COPY_2), meta, [story]).story_id is None
    assert assign_story(fingerprint("t", COPY_2), meta, [story], window_days=14).story_id == 1


def test_add_to_story_keeps_first_and_latest_signatures() -> None:
    story = _story(1, WIRE, "t", "2025-12-09T14:00:00Z")
    fps = [fingerprint(f"headline {i}", "") for i in range(6)]
    for i, fp in enumerate(fps):
        story = add_to_story(story, fp, _meta("t", f"2025-12-1{i}T00:00:00Z"))
    assert story.signatures == (fingerprint("t", WIRE), *fps[-4:])
    assert story.last_seen_at == "2025-12-15T00:00:00Z"


# --- blindspots -------------------------------------------------------------------------------


@pytest.mark.parametrize(("counts", "expected"), [
    ({"Left": 2, "Lean Left": 2, "Center": 1}, "left"),               # exactly 80%
    ({"Lean Left": 3, "Center": 1}, None),                            # 75%: Center counts
    ({"Right": 4, "Lean Right": 0, "Center": 1}, "right"),
    ({"Left": 2}, None),                                              # only 2 rated outlets
    ({"Right": 2, "unrated": 10}, None),                              # unrated do not count
    ({"Lean Right": 3, "unrated": 40}, "right"),                      # ... either way
    ({"Left": 2, "Right": 2, "Center": 1}, None),
    ({}, None),
])
def test_blindspot_rule(counts: dict[str, int], expected: str | None) -> None:
    assert is_blindspot(counts) == expected


@settings(max_examples=60, deadline=None)
@given(title=st.text(max_size=80), text=st.text(max_size=600))
def test_any_fingerprint_round_trips_and_bands(title: str, text: str) -> None:
    fp = fingerprint(title, text)
    assert Fingerprint.from_bytes(fp.to_bytes()) == fp
    assert len(band_keys(fp)) in (0, BANDS)


def test_a_report_without_a_kind_joins_on_a_strong_subject_only() -> None:
    first = article_meta("Hospital Pediátrico Universitario trata al primer niño con CAR-T",
                         "2026-08-20T10:00:00Z", text="El Hospital Pediátrico Universitario en San Juan trató a un niño.")
    story = new_story(1, fingerprint("t", ""), first)
    kindless = article_meta("Primer niño tratado con terapia CAR-T en la isla", "2026-08-20T15:00:00Z",
                            text="Un niño recibió la terapia en el Hospital Pediátrico Universitario.")
    assignment = assign_story(fingerprint("Primer niño tratado", ""), kindless, [story])
    assert (assignment.story_id, assignment.reason) == (1, "same_event")
    other = article_meta("Terapia en la isla", "2026-08-20T15:00:00Z", text="Un niño recibió la terapia en Ponce.")
    assert assign_story(fingerprint("Terapia en la isla", ""), other, [story]).story_id is None


def test_two_regulators_approvals_of_one_product_stay_apart() -> None:
    fda = article_meta("FDA approves Carvykti in earlier myeloma", "2026-03-02T12:00:00Z", CILTA,
                       text="The U.S. Food and Drug Administration approved the therapy.")
    story = new_story(1, fingerprint("fda", ""), fda)
    same = article_meta("Carvykti wins US approval", "2026-03-02T18:00:00Z", CILTA,
                        text="The FDA approved the J&J cell therapy on Monday.")
    assert assign_story(fingerprint("same", ""), same, [story]).story_id == 1
    europe = article_meta("European Commission approves Carvykti", "2026-03-04T12:00:00Z", CILTA,
                          text="The European Commission granted a marketing authorisation.")
    assert assign_story(fingerprint("eu", ""), europe, [story]).story_id is None


def test_a_named_trial_names_its_product() -> None:
    from analysis.analyse import analyse
    from analysis.model import Article
    from analysis.outlets import OutletRegistry

    article = Article(canonical_url="https://example.org/a", url="https://example.org/a",
                      title="Final CARTITUDE-4 analysis confirms survival benefit", text="The trial met its goal.",
                      source_name="t", outlet_domain="example.org", kind="news", published_at="2026-03-02T12:00:00Z")
    meta = analyse(article, OutletRegistry.load_default(), fallback_date="2026-03-02T12:00:00Z").meta
    assert "ciltacabtagene autoleucel" in meta.therapies


def test_one_companys_layoffs_worded_two_ways_join_and_its_plant_sale_stays_apart() -> None:
    first = article_meta("Caribou lays off 30% of staff, narrows pipeline", "2026-11-19T13:00:00Z",
                         text="Caribou Biosciences will cut about 30% of its workforce.")
    assert "b:caribou cuts|business" in first.events
    story = new_story(1, fingerprint("a", ""), first)
    same = article_meta("Caribou trims workforce by nearly a third in restructuring", "2026-11-19T17:00:00Z",
                        text="Caribou Biosciences is laying off roughly 50 employees.")
    decision = assign_story(fingerprint("b", ""), same, [story])
    assert (decision.story_id, decision.reason) == (1, "same_event")
    plant = article_meta("Caribou sells its Berkeley plant", "2026-11-20T09:00:00Z",
                         text="Caribou agreed to sell the manufacturing facility.")
    assert assign_story(fingerprint("c", ""), plant, [story]).story_id is None


def test_a_vague_report_joins_on_a_disease_and_one_more_clue() -> None:
    paper = article_meta("CD19 CAR T-Cell Therapy in Refractory Systemic Lupus Erythematosus: Two-Year Outcomes",
                         "2025-09-10T21:00:00Z", text="Fifteen patients with lupus, myositis or systemic sclerosis "
                         "received CD19 CAR T cells at Erlangen.")
    story = new_story(1, fingerprint("paper", ""), paper)
    vague = article_meta("Lupus patients treated with CAR-T remain off drugs two years on", "2025-09-12T10:00:00Z",
                         text="A German group says its patients are still in remission two years later.")
    assert not any(is_strong_subject(e) for e in vague.events)
    assert assign_story(fingerprint("vague", ""), vague, [story]).reason == "same_event"
    # Only the disease in common: a different lupus report of the week stays apart.
    other = article_meta("Lupus patients treated with CAR-T report fatigue", "2025-09-12T10:00:00Z",
                         text="A survey of patients found lasting tiredness.")
    assert assign_story(fingerprint("other", ""), other, [story]).story_id is None
    # Two reports that both name their own subjects never join on clues.
    named = article_meta("Mount Sinai lupus patients remain off drugs two years after CAR-T",
                         "2025-09-12T10:00:00Z", text="Doctors at Mount Sinai treated lupus and myositis.")
    assert assign_story(fingerprint("named", ""), named, [story]).story_id is None


def test_other_follow_up_landmarks_or_phases_are_other_analyses() -> None:
    five = article_meta("Carvykti five-year data show durable remissions", "2026-12-07T10:00:00Z", CILTA)
    story = new_story(1, fingerprint("five", ""), five)
    two = article_meta("Carvykti two-year data in earlier myeloma show responses", "2026-12-08T10:00:00Z", CILTA)
    assert assign_story(fingerprint("two", ""), two, [story]).story_id is None
    same = article_meta("At 5 years, Carvykti keeps patients in remission", "2026-12-08T10:00:00Z", CILTA)
    assert assign_story(fingerprint("same", ""), same, [story]).story_id == 1
    phase1 = article_meta("Arlo-cel phase 1 results", "2026-02-06T10:00:00Z", ("arlocabtagene autoleucel",))
    phase3 = article_meta("Arlo-cel meets goal in phase III study", "2026-02-06T12:00:00Z", ("arlocabtagene autoleucel",))
    assert assign_story(fingerprint("p3", ""), phase3, [new_story(1, fingerprint("p1", ""), phase1)]).story_id is None


def is_strong_subject(event_key: str) -> bool:
    from analysis.events import is_strong

    return event_key.startswith("subj:") and is_strong(event_key)


def test_a_product_named_only_as_the_rival_is_not_what_the_article_is_about() -> None:
    from analysis.analyse import _subjects
    from analysis.therapies import find_names

    title = "US FDA approves Gilead, Arcellx cell therapy for blood cancer"
    text = ("The U.S. Food and Drug Administration approved Gilead and Arcellx's cell therapy for multiple myeloma, "
            "setting up a contest with Johnson & Johnson's Carvykti.")
    assert _subjects(["ciltacabtagene autoleucel"], find_names(title, text)) == ()
    own = "J&J's Carvykti extends survival in myeloma, rivals say little."
    assert _subjects(["ciltacabtagene autoleucel"], find_names(own, "")) == ("ciltacabtagene autoleucel",)
    # a company's history in an aside ("..., which sold ... Kymriah, ...") is not the subject either
    title = "Novartis to buy a lupus CAR-T developer for $3 billion"
    text = ("Novartis, which sold the first approved CAR-T therapy, Kymriah, said it would buy the developer of a "
            "CD19 cell therapy for lupus.")
    assert _subjects(["tisagenlecleucel"], find_names(title, text)) == ()


def test_two_readouts_of_one_product_in_different_diseases_are_two_stories() -> None:
    lupus = article_meta("Autolus presents obe-cel data in lupus nephritis", "2028-01-12T12:00:00Z",
                         ["obecabtagene autoleucel"], text="All nine patients with lupus nephritis had a renal response.")
    leukaemia = article_meta("Real-world outcomes of obe-cel in adults with B-ALL", "2028-01-14T12:00:00Z",
                             ["obecabtagene autoleucel"], text="Among 88 adults with leukemia the remission rate was 80%.")
    fp = fingerprint("Autolus presents obe-cel data in lupus nephritis", "All nine patients had a renal response.")
    story = new_story(1, fp, lupus)
    other = fingerprint("Real-world outcomes of obe-cel in adults with B-ALL", "Among 88 adults the remission rate was 80%.")
    assert assign_story(other, leukaemia, [story]).story_id is None


def test_one_companys_quarter_joins_whichever_products_each_report_names() -> None:
    release = article_meta("Gilead Sciences Announces First Quarter 2031 Financial Results", "2031-04-24T20:00:00Z",
                           ["anitocabtagene autoleucel"], text="Cell therapy sales rose on anito-cel, Gilead said.")
    story = new_story(1, fingerprint("Gilead Q1 release", "Cell therapy sales rose on anito-cel."), release)
    news = article_meta("Gilead's cell therapy unit returns to growth on new myeloma product", "2031-04-25T10:00:00Z",
                        ["axicabtagene ciloleucel"], text="Yescarta revenue fell while the newer product grew this quarter.")
    fp = fingerprint("Gilead unit returns to growth", "Yescarta revenue fell while the newer product grew this quarter.")
    assert assign_story(fp, news, [story]).story_id == 1
    # a patent suit against the same company that week is other news
    suit = article_meta("Bristol Myers sues Gilead's Kite over myeloma cell therapy patents", "2031-04-22T12:00:00Z",
                        ["anitocabtagene autoleucel"], text="The lawsuit says anito-cel infringes patents.")
    suit_story = new_story(2, fingerprint("BMS sues Kite", "The lawsuit says anito-cel infringes patents."), suit)
    assert assign_story(fingerprint("Gilead Q1 release", "Cell therapy sales rose on anito-cel."), release,
                        [suit_story]).story_id is None


def test_a_report_in_another_language_joins_on_three_shared_clues() -> None:
    paper = article_meta("CD19 CAR T-Cell Therapy in Refractory Autoimmune Disease: Five-Year Follow-up",
                         "2031-10-02T21:00:00Z", [], text="We followed 40 patients with lupus, myositis or systemic "
                         "sclerosis given CD19 CAR T cells; 34 remained free of immunosuppression.")
    story = new_story(1, fingerprint("paper", "We followed 40 patients"), paper)
    spanish = article_meta("Cinco años después, los pacientes con lupus tratados con CAR-T siguen sin medicación",
                           "2031-10-03T08:00:00Z", [], text="El estudio siguió a pacientes con lupus y miositis "
                           "durante cinco años.")
    assert assign_story(fingerprint("es", "El estudio siguió a pacientes"), spanish, [story]).story_id == 1
