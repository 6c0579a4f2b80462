"""Distribution arithmetic and a story's coverage details."""

from __future__ import annotations

import pytest

from analysis.distributions import (
    CoverageRow,
    coverage_details,
    distribution,
    emphasis,
    percentages,
)
from analysis.model import LEAN_LABELS
from analysis.model.results import DayCount, FirstReport


def _row(article_id: int, domain: str, when: str | None, lean: str | None = None, *,
         factuality: str | None = None, ownership: str | None = "Corporation",
         source_type: str | None = "general news", proximity: str | None = "independent",
         efficacy: bool = False, safety: bool = False) -> CoverageRow:
    return CoverageRow(article_id, domain, domain.split(".")[0].title(), when, lean, factuality,
                       ownership, source_type, proximity, efficacy, safety)


def test_distribution_counts_in_order_with_unrated_apart() -> None:
    dist = distribution(["Left", "Center", None, "Left", "", "unrated", "Right"], LEAN_LABELS)
    assert [(b.label, b.count, b.percent) for b in dist.buckets] == [
        ("Left", 2, 50.0), ("Lean Left", 0, 0.0), ("Center", 1, 25.0),
        ("Lean Right", 0, 0.0), ("Right", 1, 25.0)]
    assert (dist.rated, dist.unrated) == (4, 3)
    assert dist.count("Left") == 2 and dist.percent("Right") == 25.0


def test_distribution_rejects_labels_outside_the_order() -> None:
    with pytest.raises(ValueError, match="'Far Left' is not one of"):
        distribution(["Far Left"], LEAN_LABELS)


@pytest.mark.parametrize(("counts", "expected"), [
    ([1, 1, 1], (33.4, 33.3, 33.3)),
    ([2, 1], (66.7, 33.3)),
    ([1, 2, 3, 4, 5, 6, 7], (3.6, 7.1, 10.7, 14.3, 17.9, 21.4, 25.0)),
    ([0, 5, 0], (0.0, 100.0, 0.0)),
    ([0, 0], (0.0, 0.0)),
    ([], ()),
])
def test_percentages_round_to_one_decimal_and_sum_to_100(counts: list[int],
                                                         expected: tuple[float, ...]) -> None:
    shares = percentages(counts)
    assert shares == expected
    if sum(counts):
        assert sum(round(s * 10) for s in shares) == 1000


def test_all_unrated_gives_zero_percentages() -> None:
    dist = distribution([None, None], LEAN_LABELS)
    assert dist.rated == 0 and dist.unrated == 2
    assert all(b.percent == 0.0 for b in dist.buckets)


STORY = [
    _row(1, "wire.com", "2025-12-09T14:00:00Z", None, source_type="press release wire",
         proximity="manufacturer", efficacy=True),
    _row(2, "left.com", "2025-12-09T15:00:00Z", "Left", factuality="High", efficacy=True),
    _row(3, "left.com", "2025-12-10T09:00:00Z", "Left", factuality="High", safety=True),
    _row(4, "center.com", "2025-12-10T10:00:00+02:00", "Center", factuality="Mixed",
         ownership="Non-profit", proximity="quotes_manufacturer", efficacy=True, safety=True),
    _row(5, "right.com", None, "Lean Right", ownership=None),
    _row(6, "early.com", "2025-12-09T13:00:00-05:00", "Lean Left", factuality="High"),
]


def test_coverage_counts_articles_and_distinct_outlets() -> None:
    details = coverage_details(STORY)
    assert (details.article_count, details.outlet_count, details.undated) == (6, 5, 1)


def test_lean_factuality_ownership_count_distinct_outlets() -> None:
    details = coverage_details(STORY)
    assert details.lean.count("Left") == 1  # left.com published twice, counted once
    assert (details.lean.rated, details.lean.unrated) == (4, 1)
    assert details.lean.percent("Left") == 25.0
    assert details.factuality.count("High") == 2
    assert details.ownership.count("Corporation") == 3
    assert details.ownership.unrated == 1


def test_source_type_and_proximity_count_articles() -> None:
    details = coverage_details(STORY)
    assert details.source_type.count("general news") == 5
    assert details.source_type.count("press release wire") == 1
    assert [(b.label, b.count) for b in details.proximity.buckets] == [
        ("manufacturer", 1), ("quotes_manufacturer", 1), ("independent", 4)]


def test_first_reporter_is_earliest_in_utc() -> None:
    # 13:00-05:00 is 18:00Z, after the wire's 14:00Z.
    assert coverage_details(STORY).first_report == FirstReport(
        1, "wire.com", "Wire", "2025-12-09T14:00:00Z")
    assert coverage_details([_row(9, "a.com", None)]).first_report is None


def test_timeline_buckets_per_utc_day() -> None:
    assert coverage_details(STORY).timeline == (
        DayCount("2025-12-09", 3, 3), DayCount("2025-12-10", 2, 2))


def test_first_report_tie_goes_to_lowest_article_id() -> None:
    rows = [_row(8, "b.com", "2025-01-01T00:00:00Z"), _row(7, "a.com", "2025-01-01T00:00:00Z")]
    assert coverage_details(rows).first_report.article_id == 7  # type: ignore[union-attr]


def test_emphasis_by_lean_and_by_source_type() -> None:
    by_lean = emphasis(STORY, "lean")
    assert by_lean["Left"].articles == 2
    assert (by_lean["Left"].efficacy_percent, by_lean["Left"].safety_percent) == (50.0, 50.0)
    assert by_lean["unrated"].efficacy == 1
    by_type = emphasis(STORY, "source_type")
    assert (by_type["general news"].efficacy, by_type["general news"].safety) == (2, 2)
    assert by_type["general news"].safety_percent == 40.0
    assert by_type["press release wire"].efficacy_percent == 100.0
