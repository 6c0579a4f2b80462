"""Claims quality gate: precision and recall on the annotated set may not drop below the floors.

Floors live in tests/data/claims_baseline.json (measured with bench/claims_eval.py, rounded down);
they only ever rise. The set itself is checked for shape so a broken line cannot pass silently.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASELINE = json.loads((ROOT / "tests" / "data" / "claims_baseline.json").read_text(encoding="utf-8"))
METRICS = {
    "ORR", "CR", "sCR", "VGPR", "MRD_NEG", "DOR_MEDIAN", "PFS_MEDIAN", "PFS_RATE", "EFS_MEDIAN",
    "EFS_RATE", "OS_MEDIAN", "OS_RATE", "REMISSION_RATE", "N_PATIENTS", "FOLLOWUP_MEDIAN",
    "CRS_ANY", "CRS_GRADE3PLUS", "ICANS_ANY", "ICANS_GRADE3PLUS",
}


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("claims_eval", ROOT / "bench" / "claims_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _load_bench()
ITEMS: list[dict[str, Any]] = BENCH.load_items()


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return BENCH.evaluate(ITEMS)


@pytest.mark.parametrize("split", ["all", "holdout", "tune"])
def test_scores_stay_above_floors(results: dict[str, Any], split: str) -> None:
    floors, got = BASELINE[split], results[split]
    assert got["overall"]["precision"] >= floors["precision"], got["overall"]
    assert got["overall"]["recall"] >= floors["recall"], got["overall"]
    assert got["trial_accuracy"] >= floors["trial_accuracy"]


def test_set_is_large_enough_with_held_out_items() -> None:
    splits = [item["split"] for item in ITEMS]
    assert len(ITEMS) >= max(150, BASELINE["min_items"]["all"])
    assert splits.count("holdout") >= max(50, BASELINE["min_items"]["holdout"])
    assert len({item["id"] for item in ITEMS}) == len(ITEMS)


def test_items_are_well_formed() -> None:
    negatives = 0
    for item in ITEMS:
        assert item["style"] in {"news", "abstract", "press"} and item["split"] in {"tune", "holdout"}
        negatives += not item["claims"]
        for claim in item["claims"]:
            assert claim["metric"] in METRICS
            assert claim["unit"] in {"%", "months", "years", "patients"}
            assert (claim["value"] is None) == bool(claim["not_reached"])
            assert claim["therapy"] and (claim["trial"] is None or isinstance(claim["trial"], str))
    assert negatives >= 0.1 * len(ITEMS)


def test_scorer_follows_the_guide() -> None:
    gold = {"therapy": "x", "metric": "PFS_MEDIAN", "value": 2, "unit": "years", "not_reached": False,
            "timepoint_months": None}
    assert BENCH.claims_match(gold, dict(gold, value=24.04, unit="months"))
    assert not BENCH.claims_match(gold, dict(gold, value=24.1, unit="months"))
    rate = dict(gold, metric="PFS_RATE", value=33.3, unit="%", timepoint_months=60)
    assert BENCH.claims_match(rate, dict(rate, value=33.0))
    assert not BENCH.claims_match(rate, dict(rate, value=33.9))
    assert not BENCH.claims_match(rate, dict(rate, timepoint_months=None))
    count = dict(gold, metric="N_PATIENTS", value=97, unit="patients")
    assert not BENCH.claims_match(count, dict(count, value=96))
    assert BENCH.match_item([rate, rate], [dict(rate)]) == [(0, 0)]
