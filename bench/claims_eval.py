"""Score analysis.claims.extract_claims on two sets, reported apart.

* **real**: the real published passages in ``../shared/domain/claims-dev/`` (read from there,
  never copied into this repository). A fixed 30% of them (by a hash of the passage id, see
  ``real_split``) is held out: development reads only the ``tune`` part's errors.
* **own**: the sentences we wrote, ``tests/fixtures/eval/claims_eval.jsonl``, with their own committed
  ``tune``/``holdout`` split.

Scoring follows shared/domain/CLAIMS-GUIDE.md: a claim is the tuple (therapy, metric, value,
not_reached, timepoint_months); rates match within 0.5 percentage points, durations within
0.05 months after converting years to months, N_PATIENTS exactly. Predictions and annotations
are matched one-to-one within each item; every prediction on an item with no annotated claim is
a false positive. Trial attribution is scored separately, on matched pairs.

    .venv/bin/python bench/claims_eval.py                  # both sets, table per split and metric
    .venv/bin/python bench/claims_eval.py --set real       # one set
    .venv/bin/python bench/claims_eval.py --json           # machine-readable
    .venv/bin/python bench/claims_eval.py --set real --errors --split tune   # misses (tuning only)
    .venv/bin/python bench/claims_eval.py --file /tmp/my-check.jsonl       # any set in the same format

``--file`` scores annotated passages kept outside the repository (for instance real text read while
developing, which must not be copied in); items without a ``split`` count as ``tune``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.claims import claim_to_dict, extract_claims  # noqa: E402

EVAL_FILE = ROOT / "tests" / "fixtures" / "eval" / "claims_eval.jsonl"
REAL_DIR = ROOT.parent / "shared" / "domain" / "claims-dev"
SPLITS = ("tune", "holdout", "all")
SETS = ("real", "own")


def load_items(path: Path = EVAL_FILE) -> list[dict[str, Any]]:
    """The annotated items, one JSON object per line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def real_split(item_id: str) -> str:
    """The fixed split of a real passage: 3 in 10 ids (by SHA-256) are held out, for good."""
    digest = hashlib.sha256(f"cartwatch-real:{item_id}".encode()).hexdigest()
    return "holdout" if int(digest, 16) % 10 < 3 else "tune"


def load_real_items(folder: Path = REAL_DIR) -> list[dict[str, Any]]:
    """The real passages with their fixed split; empty when the shared folder is absent."""
    items = []
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        for item in load_items(path):
            items.append({**item, "split": real_split(item["id"])})
    return items


def load_set(name: str) -> list[dict[str, Any]]:
    """One of ``SETS`` by name."""
    return load_real_items() if name == "real" else load_items()


def _months(claim: dict[str, Any]) -> float | None:
    value = claim.get("value")
    if value is None:
        return None
    return value * 12 if claim.get("unit") == "years" else value


def claims_match(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """Whether a predicted claim counts as the annotated one (CLAIMS-GUIDE "Scoring")."""
    if (gold["therapy"], gold["metric"], bool(gold["not_reached"])) != (
        pred["therapy"], pred["metric"], bool(pred["not_reached"])
    ):
        return False
    g_tp, p_tp = gold.get("timepoint_months"), pred.get("timepoint_months")
    if (g_tp is None) != (p_tp is None) or (g_tp is not None and abs(g_tp - p_tp) > 0.05):
        return False
    if gold["not_reached"]:
        return True
    if gold["metric"] == "N_PATIENTS":
        return gold["value"] == pred["value"]
    if gold["unit"] == "%" or pred["unit"] == "%":
        return gold["unit"] == pred["unit"] and abs(gold["value"] - pred["value"]) <= 0.5
    g, p = _months(gold), _months(pred)
    return g is not None and p is not None and abs(g - p) <= 0.05


def match_item(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Maximum one-to-one matching (augmenting paths; items are small)."""
    owner: dict[int, int] = {}

    def assign(g: int, seen: set[int]) -> bool:
        for p in range(len(pred)):
            if p in seen or not claims_match(gold[g], pred[p]):
                continue
            seen.add(p)
            if p not in owner or assign(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in range(len(gold)):
        assign(g, set())
    return sorted((g, p) for p, g in owner.items())


def evaluate(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision, recall and F1 overall and per metric, plus trial accuracy, for each split."""
    tallies = {s: defaultdict(lambda: [0, 0, 0]) for s in SPLITS}
    trials = {s: [0, 0] for s in SPLITS}
    counts = {s: 0 for s in SPLITS}
    for item in items:
        gold = item["claims"]
        pred = [claim_to_dict(c) for c in extract_claims(item["text"])]
        pairs = match_item(gold, pred)
        for split in (item.get("split", "tune"), "all"):
            counts[split] += 1
            _tally(tallies[split], trials[split], gold, pred, pairs)
    return {s: _summary(tallies[s], trials[s], counts[s]) for s in SPLITS}


def _tally(tally: Any, trial: list[int], gold: list[Any], pred: list[Any], pairs: list[tuple[int, int]]) -> None:
    matched_g, matched_p = {g for g, _ in pairs}, {p for _, p in pairs}
    for g, p in pairs:
        tally[gold[g]["metric"]][0] += 1
        trial[0] += gold[g].get("trial") == pred[p].get("trial")
        trial[1] += 1
    for p, claim in enumerate(pred):
        if p not in matched_p:
            tally[claim["metric"]][1] += 1
    for g, claim in enumerate(gold):
        if g not in matched_g:
            tally[claim["metric"]][2] += 1


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4)}


def _summary(tally: Any, trial: list[int], items: int) -> dict[str, Any]:
    total = [sum(v[i] for v in tally.values()) for i in range(3)]
    return {
        "items": items,
        "overall": _prf(*total),
        "per_metric": {m: _prf(*tally[m]) for m in sorted(tally)},
        "trial_accuracy": round(trial[0] / trial[1], 4) if trial[1] else None,
        "trial_pairs": trial[1],
    }


def _print_table(results: dict[str, Any], splits: tuple[str, ...], label: str) -> None:
    for split in splits:
        r = results[split]
        o = r["overall"]
        sys.stdout.write(f"\n== {label} / {split}: {r['items']} items  P={o['precision']:.3f} R={o['recall']:.3f} "
                         f"F1={o['f1']:.3f} (tp={o['tp']} fp={o['fp']} fn={o['fn']})  "
                         f"trial accuracy={r['trial_accuracy']} on {r['trial_pairs']} matched\n")
        sys.stdout.write(f"{'metric':<18}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}\n")
        for metric, m in r["per_metric"].items():
            sys.stdout.write(f"{metric:<18}{m['tp']:>5}{m['fp']:>5}{m['fn']:>5}"
                             f"{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}\n")


def _print_errors(items: list[dict[str, Any]], split: str) -> None:
    keys = ("therapy", "trial", "metric", "value", "unit", "not_reached", "timepoint_months")
    for item in items:
        if split != "all" and item.get("split", "tune") != split:
            continue
        pred = [claim_to_dict(c) for c in extract_claims(item["text"])]
        pairs = match_item(item["claims"], pred)
        missed = [g for i, g in enumerate(item["claims"]) if i not in {g for g, _ in pairs}]
        extra = [p for i, p in enumerate(pred) if i not in {p for _, p in pairs}]
        bad_trial = [pred[p] for g, p in pairs if pred[p]["trial"] != item["claims"][g].get("trial")]
        if missed or extra or bad_trial:
            sys.stdout.write(f"\n[{item['id']}] {item['text']}\n")
            for label, rows in (("MISS", missed), ("EXTRA", extra), ("TRIAL", bad_trial)):
                for row in rows:
                    sys.stdout.write(f"  {label}: {json.dumps({k: row.get(k) for k in keys})}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument("--errors", action="store_true", help="list misses and false positives")
    parser.add_argument("--split", choices=SPLITS, help="only this split (default: all, and tune for --errors)")
    parser.add_argument("--set", choices=SETS, dest="sets", action="append",
                        help="only this set (default: both); --errors needs exactly one")
    parser.add_argument("--file", type=Path, help="score this JSONL file (claims-dev format) instead of the sets")
    args = parser.parse_args(argv)
    if args.file is not None:
        if not args.file.is_file():
            parser.error(f"--file: no such file: {args.file}")
        try:
            loaded = [{"split": "tune", **item} for item in load_items(args.file)]
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            parser.error(f"--file: {args.file} is not JSON lines: {exc}")
        sets_items = {args.file.stem: loaded}
    else:
        sets_items = {name: load_set(name) for name in tuple(args.sets or SETS)}
    sets = tuple(sets_items)
    if args.errors:
        if len(sets) != 1:
            parser.error("--errors needs one --set")
        _print_errors(sets_items[sets[0]], args.split or "tune")
        return 0
    results = {name: evaluate(items) for name, items in sets_items.items()}
    if args.json:
        sys.stdout.write(json.dumps(results, indent=2) + "\n")
        return 0
    for name in sets:
        if not results[name]["all"]["items"]:
            sys.stdout.write(f"\n== {name}: no items (is ../shared/domain/claims-dev/ present?)\n")
            continue
        _print_table(results[name], (args.split,) if args.split else SPLITS, name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
