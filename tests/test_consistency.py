"""Consistency across sources: same cut, beyond rounding, side by side, never a verdict."""

from __future__ import annotations

from dataclasses import replace

import pytest

from analysis.consistency import agrees, collapse, decimals, evidence_of, summarize
from analysis.model import EvidenceLevel
from analysis.model.results import ReportedValue

_ids = iter(range(1, 10_000))


def value(v: float | None, *, evidence: str = "news", unit: str = "%", followup: float | None = None,
          metric: str = "ORR", trial: str | None = "CARTITUDE-1", not_reached: bool = False,
          timepoint: float | None = None, published: str = "2026-01-01") -> ReportedValue:
    claim_id = next(_ids)
    return ReportedValue(
        claim_id=claim_id, article_id=claim_id, trial=trial, metric=metric, value=v, unit=unit,
        not_reached=not_reached, timepoint_months=timepoint, followup_months=followup,
        evidence=evidence, sentence=f"sentence {claim_id}", outlet_domain="example.org",
        published_at=published)


@pytest.mark.parametrize(("kind", "source_type", "expected"), [
    ("paper", None, "peer_reviewed"),
    ("paper", "peer-reviewed journal", "peer_reviewed"),
    ("news", "peer-reviewed journal", "peer_reviewed"),
    # medRxiv / bioRxiv are never peer-reviewed, whatever the record's kind says.
    ("preprint", "general news", "preprint"),
    ("preprint", "preprint server", "preprint"),
    ("news", "preprint server", "preprint"),
    ("paper", "preprint server", "preprint"),
    # A meeting abstract printed in a journal supplement is an abstract, not a paper.
    ("abstract", "peer-reviewed journal", "conference_abstract"),
    ("press_release", None, "press_release"),
    ("news", "press release wire", "press_release"),
    ("news", "manufacturer/company", "press_release"),
    ("trial", None, "registry_results"),
    ("trial", "government/regulator", "registry_results"),
    ("news", "general news", "news"),
    ("headline", None, "news"),
])
def test_evidence_class(kind: str, source_type: str | None, expected: str) -> None:
    assert evidence_of(kind, source_type) == expected


def test_every_evidence_level_has_its_name_in_words() -> None:
    assert [(level.value, level.label) for level in EvidenceLevel] == [
        ("peer_reviewed", "peer-reviewed paper"), ("preprint", "preprint"),
        ("conference_abstract", "conference abstract"), ("registry_results", "registry results"),
        ("press_release", "press release"), ("news", "news")]


def test_preprints_are_shown_beside_peer_reviewed_values_never_as_the_reference() -> None:
    paper = value(97.9, evidence="peer_reviewed")
    preprint = value(90.0, evidence="preprint")
    news = value(98)
    [summary] = summarize([paper, preprint, news])
    assert summary.peer_reviewed == (paper,) and summary.preprints == (preprint,)
    assert summary.other == (news,) and summary.consensus == paper
    assert summary.discrepancies == ()  # the preprint's 90% is not compared with anything

    # With only a preprint and news, the news is never flagged against the preprint.
    [alone] = summarize([preprint, value(70)])
    assert alone.basis == "news_only" and alone.discrepancy_count == 0


@pytest.mark.parametrize(("a", "b", "same"), [
    (value(98), value(97.9, evidence="peer_reviewed"), True),  # 97.9 rounds to 98
    (value(98), value(97.4, evidence="peer_reviewed"), False),
    (value(97.9), value(98.3, evidence="peer_reviewed"), True),  # within 0.5 pp
    (value(97.9), value(98.5, evidence="peer_reviewed"), False),
    (value(89), value(97.9, evidence="peer_reviewed"), False),
    (value(34.5, unit="months"), value(34.5, unit="months"), True),
    (value(34.5, unit="months"), value(34.6, unit="months"), False),  # > 0.05 months
    (value(2.9, unit="years"), value(34.5, unit="months"), True),  # 2.9 y = 34.8 mo, ±0.6 mo stated
    (value(3, unit="years"), value(24.0, unit="months"), False),
    (value(None, not_reached=True, unit="months"), value(None, not_reached=True, unit="months"), True),
    (value(None, not_reached=True, unit="months"), value(30.1, unit="months"), False),
    (value(97, unit="patients"), value(97, unit="patients"), True),
    (value(97, unit="patients"), value(98, unit="patients"), False),
])
def test_agrees_beyond_rounding(a: ReportedValue, b: ReportedValue, same: bool) -> None:
    assert agrees(a, b) is same
    assert agrees(b, a) is same


def test_decimals_read_from_the_stated_number() -> None:
    assert [decimals(x) for x in (98.0, 97.9, 0.05, 12.25, 1e-7)] == [0, 1, 2, 2, 2]


def test_known_cuts_must_match_and_unknown_cut_compares_only_against_a_single_peer_value() -> None:
    peer_12 = value(70.0, evidence="peer_reviewed", followup=12.0)
    peer_24 = value(60.0, evidence="peer_reviewed", followup=24.0)

    def differs(reported: ReportedValue, peers: list[ReportedValue]) -> bool:
        [summary] = summarize([reported, *peers])
        return [d.reported for d in summary.discrepancies] == [reported]

    assert differs(value(50, followup=12.02), [peer_12])
    assert not differs(value(50, followup=24.5), [peer_12])  # another cut: nothing to compare
    assert differs(value(50), [peer_12])  # the only peer-reviewed value
    assert not differs(value(50), [peer_12, peer_24])  # which cut? do not guess
    assert differs(value(50), [value(70, evidence="peer_reviewed"), peer_12, peer_24])  # both unknown


def test_a_misreport_is_shown_beside_the_peer_reviewed_sentence() -> None:
    paper = value(97.9, evidence="peer_reviewed", followup=27.7, published="2025-06-01")
    wire = value(98, evidence="press_release")
    good = value(98)
    bad = value(89, published="2026-02-01")
    [summary] = summarize([bad, good, wire, paper])
    assert summary.consensus == paper and summary.basis == "peer_reviewed"
    assert summary.peer_reviewed == (paper,)
    assert [d.reported for d in summary.discrepancies] == [bad]
    [discrepancy] = summary.discrepancies
    assert discrepancy.peer_reviewed == paper
    assert discrepancy.difference == pytest.approx(-8.9)
    assert discrepancy.reported.sentence != discrepancy.peer_reviewed.sentence  # both shown


def test_a_newer_cut_is_not_a_contradiction() -> None:
    old_paper = value(None, not_reached=True, unit="months", metric="PFS_MEDIAN",
                      evidence="peer_reviewed", followup=15.9, published="2024-01-01")
    newer_news = value(40.1, unit="months", metric="PFS_MEDIAN", followup=33.6, published="2026-01-01")
    [summary] = summarize([newer_news, old_paper])
    assert summary.discrepancies == ()
    assert [v.followup_months for v in (*summary.peer_reviewed, *summary.other)] == [15.9, 33.6]


def test_groups_keep_trials_metrics_and_timepoints_apart() -> None:
    values = [value(97.9, evidence="peer_reviewed"), value(50, trial="CARTITUDE-4"),
              value(70, metric="PFS_RATE", timepoint=12.0), value(60, metric="PFS_RATE", timepoint=24.0)]
    summaries = summarize(values)
    assert [(s.trial, s.metric, s.timepoint_months) for s in summaries] == [
        ("CARTITUDE-1", "ORR", None), ("CARTITUDE-1", "PFS_RATE", 12.0),
        ("CARTITUDE-1", "PFS_RATE", 24.0), ("CARTITUDE-4", "ORR", None)]
    assert all(s.discrepancies == () for s in summaries)


def test_news_only_groups_have_a_marked_consensus_and_registry_is_never_compared() -> None:
    registry = value(10, evidence="registry")
    a, b = value(71), value(71.0, published="2026-03-01")
    [summary] = summarize([a, b, registry])
    assert summary.basis == "news_only" and summary.consensus == b
    [with_peer] = summarize([registry, value(71, evidence="peer_reviewed")])
    assert with_peer.discrepancies == ()


def test_peer_reviewed_sources_of_one_cut_that_disagree_are_flagged_as_conflicting() -> None:
    a = value(70, evidence="peer_reviewed", followup=12.0)
    b = value(80, evidence="peer_reviewed", followup=12.0)
    c = value(80, evidence="peer_reviewed", followup=24.0)
    assert summarize([a, b])[0].conflicting
    assert not summarize([a, c])[0].conflicting


def test_consensus_prefers_the_latest_cut_then_the_most_reported_value() -> None:
    early = value(70, evidence="peer_reviewed", followup=12.0)
    late = [value(65, evidence="peer_reviewed", followup=24.0), value(65.0, evidence="peer_reviewed", followup=24.0),
            value(64, evidence="peer_reviewed", followup=24.0, published="2027-01-01")]
    summary = summarize([early, *late])[0]
    assert summary.consensus is not None and summary.consensus.value == 65
    weighted = replace(late[2], reports=5)
    assert summarize([early, late[0], weighted])[0].consensus == weighted


def test_identical_reports_collapse_into_one_counted_value() -> None:
    values = [value(98), value(98, published="2026-05-01"), value(98, evidence="press_release"), value(97.9)]
    merged = collapse(values)
    assert sorted((v.value, v.evidence, v.reports) for v in merged) == [
        (97.9, "news", 1), (98, "news", 2), (98, "press_release", 1)]
    assert next(v for v in merged if v.reports == 2).published_at == "2026-05-01"
