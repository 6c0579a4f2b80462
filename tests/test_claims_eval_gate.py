"""Claims quality gate: precision and recall on both evaluation sets may not drop below the floors.

Floors live in tests/fixtures/eval/claims_baseline.json (measured with bench/claims_eval.py, rounded down);
they only ever rise. ``own`` is the set we wrote (tests/fixtures/eval/claims_eval.jsonl); ``real`` is the
real published passages in ../shared/domain/claims-dev/, read from there (never copied into this
repository) and skipped when that folder is absent. Both sets are checked for shape so a broken
line cannot pass silently.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from analysis.model import METRIC_MEANINGS, Metric
from tests.conftest import load_bench

ROOT = Path(__file__).resolve().parent.parent
BASELINE = json.loads((ROOT / "tests" / "fixtures" / "eval" / "claims_baseline.json").read_text(encoding="utf-8"))
METRICS = {m.value for m in Metric}
STYLES = {"news", "abstract", "press", "press release", "fda", "registry", "trade news", "hospital news",
          "advocacy", "review", "spanish"}



BENCH = load_bench("claims_eval")
SETS: dict[str, list[dict[str, Any]]] = {name: BENCH.load_set(name) for name in ("own", "real")}


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return {name: BENCH.evaluate(items) for name, items in SETS.items() if items}


def _needs(name: str) -> None:
    if not SETS[name]:
        pytest.skip("../shared/domain/claims-dev/ is not on this machine")


@pytest.mark.parametrize("name", ["own", "real"])
@pytest.mark.parametrize("split", ["all", "holdout", "tune"])
def test_scores_stay_above_floors(results: dict[str, Any], name: str, split: str) -> None:
    _needs(name)
    floors, got = BASELINE[name][split], results[name][split]
    assert got["overall"]["precision"] >= floors["precision"], got["overall"]
    assert got["overall"]["recall"] >= floors["recall"], got["overall"]
    assert got["trial_accuracy"] >= floors["trial_accuracy"]


@pytest.mark.parametrize("name", ["own", "real"])
def test_sets_are_large_enough_with_held_out_items(name: str) -> None:
    _needs(name)
    items, least = SETS[name], BASELINE["min_items"][name]
    splits = [item["split"] for item in items]
    assert len(items) >= least["all"] and splits.count("holdout") >= least["holdout"]
    assert len({item["id"] for item in items}) == len(items)


def test_real_split_is_fixed_by_id() -> None:
    """The real set's hold-out is a function of the passage id alone: nobody can move an item."""
    assert BENCH.real_split("dev-ly-001") == BENCH.real_split("dev-ly-001")
    ids = [f"dev-xx-{i:03d}" for i in range(1000)]
    share = sum(BENCH.real_split(i) == "holdout" for i in ids) / len(ids)
    assert 0.25 < share < 0.35


@pytest.mark.parametrize("name", ["own", "real"])
def test_items_are_well_formed(name: str) -> None:
    _needs(name)
    negatives = 0
    for item in SETS[name]:
        assert item["split"] in {"tune", "holdout"}
        if name == "own":
            assert item["style"] in STYLES, item["id"]
        negatives += not item["claims"]
        for claim in item["claims"]:
            assert claim["metric"] in METRICS, item["id"]
            assert claim["unit"] in {"%", "months", "years", "patients"}
            assert (claim["value"] is None) == bool(claim["not_reached"])
            assert claim["therapy"] and (claim["trial"] is None or isinstance(claim["trial"], str))
    assert negatives >= 0.1 * len(SETS[name])


def test_readme_lists_exactly_the_metric_vocabulary() -> None:
    """The README's claims table is ``analysis.model.METRIC_MEANINGS``: every code of ``Metric``,
    no more, no less, each with its meaning."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Outcome claims", 1)[1].split("\n## ", 1)[0]
    table = dict(re.findall(r"^\| `([A-Za-z_0-9]+)` \| (.+?) \|$", section, re.M))
    assert set(table) == METRICS
    assert table == {str(metric): meaning for metric, meaning in METRIC_MEANINGS.items()}


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


def test_file_option_scores_a_set_kept_outside_the_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    claim = {"therapy": "ciltacabtagene autoleucel", "trial": "CARTITUDE-1", "metric": "ORR", "value": 98,
             "unit": "%", "not_reached": False, "timepoint_months": None}
    wrong = {**claim, "metric": "CR", "value": 50}
    items = [{"id": "x1", "text": "Cilta-cel produced a 98% overall response rate in CARTITUDE-1.", "claims": [claim]},
             {"id": "x2", "text": "Cilta-cel produced a 98% overall response rate in CARTITUDE-1.", "claims": [wrong]}]
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps(i) for i in items) + "\n", encoding="utf-8")
    assert BENCH.main(["--file", str(path), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)["mine"]["tune"]["overall"]
    assert (got["tp"], got["fp"], got["fn"]) == (1, 1, 1)


def test_file_option_names_a_bad_file_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    for path in (bad, tmp_path / "absent.jsonl"):
        with pytest.raises(SystemExit) as exit_info:
            BENCH.main(["--file", str(path)])
        assert exit_info.value.code == 2
        assert str(path) in capsys.readouterr().err
