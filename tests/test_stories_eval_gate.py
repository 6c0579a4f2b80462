"""Event-story quality gate: purity, pair recall and copy marks on the labelled events may not drop.

Floors live in tests/fixtures/eval/stories_baseline.json (bench/stories_eval.py, rounded down); they only
ever rise. The tuning split's floors sit at or above the issue's targets (purity 0.98, pair
recall 0.90); the held-out split's are what it measured (see the baseline's comment).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import load_bench

ROOT = Path(__file__).resolve().parent.parent
BASELINE = json.loads((ROOT / "tests" / "fixtures" / "eval" / "stories_baseline.json").read_text(encoding="utf-8"))
TARGETS = {"purity": 0.98, "pair_recall": 0.90}



BENCH = load_bench("stories_eval")
ITEMS: list[dict[str, Any]] = BENCH.load_items()


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return BENCH.evaluate(ITEMS)


@pytest.mark.parametrize("split", ["all", "holdout", "tune", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11", "fresh12", "fresh13"])
def test_scores_stay_above_floors(results: dict[str, Any], split: str) -> None:
    floors, got = BASELINE[split], results[split]
    assert got["purity"] >= floors["purity"], got["mixed"] if split == "tune" else got["purity"]
    assert got["pair_recall"] >= floors["pair_recall"], got["split_pairs"] if split == "tune" else got["pair_recall"]
    assert got["copies_found"] >= floors["copies_found"]
    assert got["false_copy_marks"] <= floors["false_copy_marks"]


def test_tuning_floors_meet_the_issue_targets() -> None:
    assert BASELINE["tune"]["purity"] >= TARGETS["purity"]
    assert BASELINE["tune"]["pair_recall"] >= TARGETS["pair_recall"]


def test_the_set_keeps_its_size_languages_and_copies(results: dict[str, Any]) -> None:
    minimum = BASELINE["min_items"]
    assert results["all"]["articles"] >= minimum["all"] and results["all"]["events"] >= minimum["events"]
    assert results["holdout"]["articles"] >= minimum["holdout"]
    assert sum(1 for i in ITEMS if i["lang"] == "es") >= minimum["es"]
    ids = {i["id"] for i in ITEMS}
    assert len(ids) == len(ITEMS) and all(i["copy_of"] in ids for i in ITEMS if i["copy_of"])
    # Split by event group, pinned as committed: all articles of one event are on one side.
    assert [BENCH.split_of(g) for g in ("e01", "e02", "e03", "e04", "e05")] == [
        "tune", "holdout", "holdout", "tune", "holdout"]
