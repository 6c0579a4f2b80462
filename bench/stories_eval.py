"""Score story assignment on tests/fixtures/eval/stories_eval.jsonl: purity and pair recall of events.

The set is articles written for this project (English and Spanish) in event groups: one
product's approval, one trial's readout, one safety action, one deal, one hospital's first
treatment, each told by several outlets, papers and press releases, with syndicated copies
(``copy_of``) and confusers (the same product's readout and sales in one week, two hospitals'
first treatments in one week, two companies' layoffs and funding in one week).

The articles go through the real code in publication order: ``analysis.relevance`` (products),
``analysis.analyse`` (fingerprint, event meta, index keys) and ``analysis.stories.assign_story``
over an in-memory copy of the store's index (a key → stories map, stories overlapping the
article's ±7-day window, as ``service/ingest.py`` asks SQLite; ``assign_story`` then keeps a story
within one window), and
``analysis.syndication.find_origin`` over an in-memory copy index for copies.

- purity: for each predicted story, the share of its articles from its largest event, weighted
  by size (1.0 = no story mixes events);
- pair recall: of the article pairs in one event, the share that share a story;
- copies: syndicated copies marked with the right origin, and marks on articles that are not.

30% of the event groups (by a hash of the group id, fixed when the set was written and before
any tuning) are held out; scores are computed on each split's articles after one run over all.
Two later sets run on their own: ``tests/fixtures/eval/stories_fresh.jsonl`` (19 articles, 9 events,
written after the first event rules: purity 0.95, pair recall 0.75 when first measured) and
``tests/fixtures/eval/stories_fresh2.jsonl`` (14 articles, 7 events, written after the rules it prompted:
purity 1.00, pair recall 0.56 when first measured). Each led to changes, so their later figures
are tuned; the first measurements are the ones that say how the rules carry to new events.
``tests/fixtures/eval/stories_fresh3.jsonl`` (12 articles, 7 events) was written after those changes and
is not tuned on. ``tests/fixtures/eval/stories_fresh4.jsonl`` (73 articles, 24 events, 11 in Spanish, press
releases, wires, trade press, papers; committed before it was first run) first measured purity
1.00, pair recall 0.80: its never-tuned figure; it then prompted general rules, so its later
figures are tuned. ``tests/fixtures/eval/stories_fresh5.jsonl`` (77 articles, 24 events, 14 in Spanish;
press releases with datelines, wire copies, abstracts, trade news, headlines; hard negatives) was
written after the next changes (names from sentence-case headlines, possessives, regulators,
more kind wording) and committed before it was first run; it was not tuned on before that run,
which measured purity 0.95, pair recall 0.82 (0.91 / 0.73 on the code before those changes):
its never-tuned figure. Its errors then prompted general rules, so its later figures are tuned.
``tests/fixtures/eval/stories_fresh6.jsonl`` (86 articles, 28 events, 18 in Spanish, 4 copies; hard
negatives: one product's approval, sales and second regulator's approval in one week, two trials
of one product at one meeting, a registry analysis beside a trial update, one company's two
business topics in a week) was written after the next changes (business topics, vague reports'
clues, landmark and phase vetoes, NHS/NICE approvals) and committed before it was first run:
purity 0.93, pair recall 0.81 (0.92 / 0.81 on main's code before those changes), its never-tuned figure;
0.95 / 0.81 after rebasing onto main's newer therapy dictionary (other work; still not tuned on it).
Its errors were then read (2026-12-02, fourth session) and prompted general rules, after which it measures
1.00 / 0.97 (tuned). ``tests/fixtures/eval/stories_fresh7.jsonl`` (46 articles, 16 events, 14 in Spanish, 3
copies; hard negatives of new kinds) was written after those rules and committed before it was first run:
purity 0.93, pair recall 0.82, its never-tuned figure. Its errors were then read (2026-12-03, fifth session):
1.00 / 1.00 after the rules they prompted (tuned). ``tests/fixtures/eval/stories_fresh8.jsonl`` (45 articles,
18 events, 9 in Spanish, 3 copies; one product's approvals by two regulators, its readout and a registry paper
in one week; one product's trial readout, sales and NICE decision in one week) was written after those rules
and committed before it was first run: purity 0.98 (0.9778), pair recall 0.98 (0.9756), copies 3 of 3, its
never-tuned figure; 1.00 / 1.00 after the two rules its errors prompted (tuned).
``tests/fixtures/eval/stories_fresh9.jsonl`` (43 articles, 19 events, 9 in Spanish, 3 copies; one product's
approval and phase 3 start in one week, one company's readout and stock offering, approvals by Mexico's,
Brazil's and Europe's regulators, a pivotal trial's final analysis beside a registry report of the same
product, a class-wide FDA label change) was written after those rules and committed before it was first run:
purity 0.98 (0.9767), pair recall 0.75, copies 3 of 3, its never-tuned figure; 1.00 / 1.00 after the rules its
errors prompted (tuned). ``tests/fixtures/eval/stories_fresh10.jsonl`` (39 articles, 19 events, 8 in Spanish, 2
copies; one product's filing review and its readout in one week, one product's approvals by Japan's and
Europe's regulators a day apart, a company's quarterly sales beside its product's EU approval) was written
after those rules and committed before it was first run: purity 1.00, pair recall 0.96 (0.9583), copies 2 of
2, its never-tuned figure. ``tests/fixtures/eval/stories_fresh11.jsonl`` (50 articles, 21 events, 13 in Spanish,
3 copies; two approvals of different products on one day, a plant deal a week after its product's approval,
two myasthenia readouts of different products a week apart, a readout and the partner's buyout six days
apart, a follow-up of one trial five months on, two first-patient stories of one island months apart) was
written blind by a helper session that never read the grouper and committed before it was first run:
purity 0.98, pair recall 0.76 (0.7632), copies 3 of 3, its never-tuned figure; 1.00 / 1.00 after the rules its
errors prompted (tuned). ``tests/fixtures/eval/stories_fresh12.jsonl`` (50 articles, 20 events, 11 in Spanish, 3
copies; two FDA approvals of different products on one day, one product's plant deal and its CHMP opinion four
days apart, a class-wide boxed warning and one trial's clinical hold in one week, a trial's primary analysis and
its one-year follow-up) was written blind by a helper session and committed before it was first run: purity 1.00,
pair recall 0.80, copies 3 of 3, its never-tuned figure; 1.00 / 0.89 after the rule its errors prompted (tuned);
its last two split pairs (an abstract five weeks before its meeting, a release ten days after its abstract) lie
outside the 7-day window by design. ``tests/fixtures/eval/stories_fresh13.jsonl`` (50 articles, 21 events, 11 in
Spanish, 3 copies; two companies' quarters, a patent suit, a manufacturing failure beside a registry paper on
out-of-specification products, a hospital's 1,000th infusion, guideline and reimbursement news, two trials of one
product at one meeting) was written blind by a helper session and committed before it was first run: purity
0.98, pair recall 0.79 (0.7949), copies 3 of 3, its never-tuned figure; 1.00 / 0.97 after the rules its errors
prompted (tuned).

    .venv/bin/python bench/stories_eval.py
    .venv/bin/python bench/stories_eval.py --errors --split tune
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.analyse import analyse  # noqa: E402
from analysis.model import Article  # noqa: E402
from analysis.outlets import OutletRegistry  # noqa: E402
from analysis.relevance import assess_relevance  # noqa: E402
from analysis.model.records import StoryCandidate  # noqa: E402
from analysis.stories import add_to_story, assign_story, new_story  # noqa: E402

EVAL_FILE = ROOT / "tests" / "fixtures" / "eval" / "stories_eval.jsonl"
FRESH_FILES = {"fresh": ROOT / "tests" / "fixtures" / "eval" / "stories_fresh.jsonl",
               "fresh2": ROOT / "tests" / "fixtures" / "eval" / "stories_fresh2.jsonl",
               "fresh3": ROOT / "tests" / "fixtures" / "eval" / "stories_fresh3.jsonl",
               "fresh4": ROOT / "tests" / "fixtures" / "eval" / "stories_fresh4.jsonl",
               "fresh5": ROOT / "tests" / "fixtures" / "eval" / "stories_fresh5.jsonl",
               "fresh6": ROOT / "tests" / "fixtures" / "eval" / "stories_fresh6.jsonl",
               "fresh7": ROOT / "tests" / "fixtures" / "eval" / "stories_fresh7.jsonl",
               "fresh8": ROOT / "tests" / "fixtures" / "eval" / "stories_fresh8.jsonl",
               "fresh9": ROOT / "tests" / "fixtures" / "eval" / "stories_fresh9.jsonl",
               "fresh10": ROOT / "tests" / "fixtures" / "eval" / "stories_fresh10.jsonl",
               "fresh11": ROOT / "tests" / "fixtures" / "eval" / "stories_fresh11.jsonl",
               "fresh12": ROOT / "tests" / "fixtures" / "eval" / "stories_fresh12.jsonl",
               "fresh13": ROOT / "tests" / "fixtures" / "eval" / "stories_fresh13.jsonl"}
SPLITS = ("tune", "holdout", "all")
WINDOW_DAYS = 7  # service/ingest.py STORY_WINDOW_DAYS


def load_items(path: Path = EVAL_FILE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split_of(group: str) -> str:
    bucket = int(hashlib.sha256(group.encode("utf-8")).hexdigest()[:8], 16) % 10
    return "holdout" if bucket < 3 else "tune"


def _when(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def _article(item: dict[str, Any]) -> Article:
    url = f"https://{item['outlet_domain'].split('/')[0]}/{item['id']}"
    return Article(canonical_url=url, url=url, title=item["title"], text=item["text"], source_name="eval",
                   outlet_domain=item["outlet_domain"], kind=item["kind"], published_at=item["published_at"],
                   language=item["lang"])


def run(items: list[dict[str, Any]]) -> tuple[dict[str, int], dict[str, str | None]]:
    """Assign every item, in publication order; (item id → story id, item id → copy origin id)."""
    from analysis.model.records import CopyCandidate
    from analysis.syndication import find_origin

    registry = OutletRegistry.load_default()
    keys: dict[str, set[int]] = defaultdict(set)
    stories: dict[int, StoryCandidate] = {}
    copy_keys: dict[str, set[str]] = defaultdict(set)
    copies_seen: dict[str, CopyCandidate] = {}
    assigned: dict[str, int] = {}
    origins: dict[str, str | None] = {}
    for item in sorted(items, key=lambda i: (i["published_at"], i["id"])):
        article = _article(item)
        relevance = assess_relevance(article.title, article.text)
        article = Article(**{**{f: getattr(article, f) for f in Article.__dataclass_fields__},
                             "therapies": relevance.therapies})
        analysis = analyse(article, registry, fallback_date=item["published_at"])
        when, window = _when(analysis.meta.published_at), timedelta(days=WINDOW_DAYS)
        ids = {s for k in analysis.story_keys for s in keys.get(k, ())}
        candidates = [stories[s] for s in sorted(ids)
                      if _when(stories[s].last_seen_at) >= when - window and _when(stories[s].first_seen_at) <= when + window]
        decision = assign_story(analysis.fingerprint, analysis.meta, candidates, window_days=WINDOW_DAYS)
        if decision.story_id is None:
            story = new_story(len(stories) + 1, analysis.fingerprint, analysis.meta)
        else:
            story = add_to_story(stories[decision.story_id], analysis.fingerprint, analysis.meta)
        stories[story.story_id] = story
        for key in analysis.story_keys:
            keys[key].add(story.story_id)
        assigned[item["id"]] = story.story_id
        found = {c for k in analysis.copy_keys for c in copy_keys.get(k, ())}
        origin = find_origin(analysis.fingerprint, item["id"], analysis.article.outlet_domain,
                             analysis.meta.published_at, [copies_seen[c] for c in sorted(found)], analysis.brief_key)
        origins[item["id"]] = origin
        candidate = CopyCandidate(item["id"], analysis.article.outlet_domain, analysis.meta.published_at,
                                  analysis.fingerprint, analysis.brief_key, origin)
        copies_seen[item["id"]] = candidate
        for key in analysis.copy_keys:
            copy_keys[key].add(item["id"])
    return assigned, origins


def score(items: list[dict[str, Any]], assigned: dict[str, int], origins: dict[str, str | None]) -> dict[str, Any]:
    by_story: dict[int, list[str]] = defaultdict(list)
    for item in items:
        by_story[assigned[item["id"]]].append(item["group"])
    purity = sum(Counter(groups).most_common(1)[0][1] for groups in by_story.values()) / max(len(items), 1)
    pairs = joined = 0
    split_pairs = []
    for a, b in combinations(items, 2):
        if a["group"] == b["group"]:
            pairs += 1
            if assigned[a["id"]] == assigned[b["id"]]:
                joined += 1
            else:
                split_pairs.append((a["id"], b["id"], a["group"]))
    mixed = [(story, sorted(set(groups))) for story, groups in by_story.items() if len(set(groups)) > 1]
    gold_copies = {i["id"]: i["copy_of"] for i in items if i["copy_of"]}
    marked = {i["id"]: origins[i["id"]] for i in items if origins[i["id"]]}
    right = sum(1 for i, o in marked.items() if gold_copies.get(i) == o)
    return {"articles": len(items), "events": len({i["group"] for i in items}), "stories": len(by_story),
            "purity": round(purity, 4), "pair_recall": round(joined / pairs, 4) if pairs else 1.0,
            "pairs": pairs, "pairs_joined": joined, "copies": len(gold_copies), "copies_found": right,
            "false_copy_marks": len(marked) - right, "mixed": mixed, "split_pairs": split_pairs}


def evaluate(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    assigned, origins = run(items)
    results = {split: score([i for i in items if split == "all" or split_of(i["group"]) == split], assigned, origins)
               for split in SPLITS}
    for name, path in FRESH_FILES.items():
        if path.exists():
            fresh = load_items(path)
            results[name] = score(fresh, *run(fresh))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list mixed stories and split pairs of --split")
    parser.add_argument("--split", choices=SPLITS, default="tune")
    args = parser.parse_args(argv)
    results = evaluate(load_items())
    if args.json:
        shown = {k: {m: v for m, v in r.items() if m not in ("mixed", "split_pairs")} for k, r in results.items()}
        sys.stdout.write(json.dumps(shown, indent=2) + "\n")
        return 0
    sys.stdout.write(f"{'split':8} {'articles':>8} {'events':>6} {'stories':>7} {'purity':>7} {'pair_recall':>11} "
                     f"{'copies':>6} {'found':>5} {'false':>5}\n")
    for name, r in results.items():
        sys.stdout.write(f"{name:8} {r['articles']:8d} {r['events']:6d} {r['stories']:7d} {r['purity']:7.4f} "
                         f"{r['pair_recall']:11.4f} {r['copies']:6d} {r['copies_found']:5d} {r['false_copy_marks']:5d}\n")
    if args.errors:
        for story, groups in results[args.split]["mixed"]:
            sys.stdout.write(f"mixed story {story}: {', '.join(groups)}\n")
        for a, b, group in results[args.split]["split_pairs"]:
            sys.stdout.write(f"split {group}: {a} / {b}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
