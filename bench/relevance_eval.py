"""Score analysis.relevance.assess_relevance against tests/fixtures/eval/relevance_eval.jsonl.

The set is headlines and leads written for this project (English and Spanish): CAR-T coverage
by product name, generic wording, Spanish and mixed-case forms, "CART" in context and CAR-T
described in words, and decoys (CART racing, shopping carts, CART regression trees, TIL, TCR-T,
CAR-NK, transplants). Each item is judged on its title and lead only, as an article whose page
says no more would be. 30% of the items (by a hash of their id, fixed when the set was written
and before any tuning) are held out: tune on ``tune`` only and report ``holdout`` separately.

    .venv/bin/python bench/relevance_eval.py                      # precision/recall per split
    .venv/bin/python bench/relevance_eval.py --errors --split tune  # list misses (tuning only)
    .venv/bin/python bench/relevance_eval.py --json
    .venv/bin/python bench/relevance_eval.py --real   # also: recall on ../shared real passages

``tests/fixtures/eval/relevance_fresh.jsonl`` (49 items) was written after the rules, as a check of how
they carry to headlines their author had not tuned on; it is reported as its own line
("fresh"). Its first measurement (recall 0.88, precision 1.00) led to one rule (a distinctive
trial name counts, ``names_trial``), so its later figures are tuned too.

``--real`` reads the real published CAR-T passages of ../shared/domain/claims-dev/ (rewritten
excerpts, each from a CAR-T page; never copied into this repository) and counts how many the
check keeps: a recall figure on real writing, text only (no title), with no decoys to measure
precision on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.relevance import assess_relevance  # noqa: E402

EVAL_FILE = ROOT / "tests" / "fixtures" / "eval" / "relevance_eval.jsonl"
FRESH_FILE = ROOT / "tests" / "fixtures" / "eval" / "relevance_fresh.jsonl"
REAL_DIR = ROOT.parent / "shared" / "domain" / "claims-dev"
SPLITS = ("tune", "holdout", "all")
HOLDOUT_SHARE = 3  # tenths


def load_items(path: Path = EVAL_FILE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split_of(item_id: str) -> str:
    """"holdout" for a fixed 30% of ids (first 8 hex digits of SHA-256, mod 10 < 3)."""
    bucket = int(hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:8], 16) % 10
    return "holdout" if bucket < HOLDOUT_SHARE else "tune"


def score(items: list[dict[str, Any]]) -> dict[str, Any]:
    tp = fp = fn = tn = 0
    errors = []
    for item in items:
        got = assess_relevance(item["title"], item["lead"])
        if got.relevant and item["label"]:
            tp += 1
        elif got.relevant:
            fp += 1
            errors.append({"id": item["id"], "kind": "false_positive", "reason": got.reason, "title": item["title"]})
        elif item["label"]:
            fn += 1
            errors.append({"id": item["id"], "kind": "false_negative", "reason": got.reason, "title": item["title"]})
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"items": len(items), "positives": tp + fn, "decoys": fp + tn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": round(precision, 4), "recall": round(recall, 4), "errors": errors}


def evaluate(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    results = {split: score([i for i in items if split == "all" or split_of(i["id"]) == split]) for split in SPLITS}
    for lang in ("en", "es"):
        results[f"all_{lang}"] = score([i for i in items if i["lang"] == lang])
    if FRESH_FILE.exists():
        results["fresh"] = score(load_items(FRESH_FILE))
    return results


def real_recall() -> None:
    passages = [json.loads(line) for path in sorted(REAL_DIR.glob("real_*.jsonl"))
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    missed = [p["id"] for p in passages if not assess_relevance("", p["text"]).relevant]
    kept = len(passages) - len(missed)
    sys.stdout.write(f"real passages: {kept}/{len(passages)} kept (recall {kept / max(len(passages), 1):.4f}); "
                     f"missed: {', '.join(missed) or 'none'}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list misclassified items of --split")
    parser.add_argument("--split", choices=SPLITS, default="tune")
    parser.add_argument("--real", action="store_true", help="recall on the real passages in ../shared")
    args = parser.parse_args(argv)
    if args.real:
        real_recall()
    results = evaluate(load_items())
    if args.json:
        sys.stdout.write(json.dumps({k: {m: v for m, v in r.items() if m != "errors"} for k, r in results.items()},
                                    indent=2) + "\n")
        return 0
    sys.stdout.write(f"{'split':10} {'items':>5} {'pos':>4} {'decoy':>5} {'tp':>4} {'fp':>3} {'fn':>3} "
                     f"{'precision':>9} {'recall':>7}\n")
    for name, r in results.items():
        sys.stdout.write(f"{name:10} {r['items']:5d} {r['positives']:4d} {r['decoys']:5d} {r['tp']:4d} {r['fp']:3d} "
                         f"{r['fn']:3d} {r['precision']:9.4f} {r['recall']:7.4f}\n")
    if args.errors:
        for error in results[args.split]["errors"]:
            sys.stdout.write(f"{error['id']} {error['kind']:14} {error['reason']:16} {error['title']}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
