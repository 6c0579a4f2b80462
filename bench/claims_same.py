"""Check that a change to the claim extractor leaves its output exactly as it was.

Runs ``analysis.claims.extract_claims`` of this working tree and of another git revision (its
``analysis/`` package, taken with ``git archive``, run in a child process) on the same texts, and
compares the full claim lists field by field (every ``Claim`` field: metric, value, unit, span,
sentence, timepoint, trial, therapy, indication, CI, denominator, follow-up, confidence):

* ``real``: every passage of ``../shared/domain/claims-dev/`` (skipped when absent);
* ``own``: every text of ``tests/data/claims_eval.jsonl``;
* ``pages``: the article text of each bench page (``bench/pages``) and fixture page;
* ``synthetic``: the 50 long generated news articles of ``bench/claims_speed.py``;
* ``headlines``: ``extract_article_claims`` (the headline read with its text, as ``analyse``,
  ingest and ``claims rebuild`` call it) on each page's own title with its text, and on each text
  of the sets above cut after its first sentence or line into a headline and the rest, and with
  that first sentence kept in the text too; each once with the article's ``find_names`` (as
  ``analyse`` passes them) and once without.

Speed work on the extractor must print ``identical`` here against the commit it started from:

    .venv/bin/python bench/claims_same.py --against f00744b
    .venv/bin/python bench/claims_same.py --dump /tmp/claims.json        # this tree's claims only
    .venv/bin/python bench/claims_same.py --check /tmp/claims.json       # compare with a dump
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import re
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # appended: a child's PYTHONPATH points at another revision's analysis/

Texts = dict[str, list[tuple[str, str]]]  # set name -> [(id, text)]; a headline item's text is title + HEADLINE + text
HEADLINE = "\x00"
_FIRST_UNIT = re.compile(r"[.!?](?=\s+[A-Z])|\n")


def load_texts() -> Texts:
    """Every text of every set, keyed by set name (this tree's loaders)."""
    from bench import claims_eval, claims_speed
    from bench.pipeline_cpu import load_pages
    from crawler.parse import parse_article

    parsed = [(p.name, parse_article(p.fetched())) for p in load_pages()]
    texts = {
        "real": [(item["id"], item["text"]) for item in claims_eval.load_real_items()],
        "own": [(item["id"], item["text"]) for item in claims_eval.load_items()],
        "pages": [(name, page.text) for name, page in parsed] + claims_speed.corpus_pages(),
        "synthetic": claims_speed.corpus_synthetic(),
    }
    titled = [(f"title:{name}", f"{page.title or ''}{HEADLINE}{page.text}") for name, page in parsed]
    for name, rows in texts.items():
        for key, text in rows:
            cut = _FIRST_UNIT.search(text)
            if cut is not None and cut.end() < len(text):
                head = text[: cut.end()].strip()
                titled.append((f"cut:{name}:{key}", f"{head}{HEADLINE}{text[cut.end() :].strip()}"))
                titled.append((f"kept:{name}:{key}", f"{head}{HEADLINE}{text}"))
    return {**texts, "headlines": titled}


def claims_of(texts: Texts) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Every claim (all fields) of every text, with the ``analysis`` package first on sys.path."""
    from analysis.claims import extract_article_claims, extract_claims
    from analysis.therapies import find_names

    def headline(item: str) -> list[dict[str, Any]]:
        title, text = item.split(HEADLINE, 1)
        with_names = extract_article_claims(title, text, names=find_names(title, text))
        return [asdict(c) for c in [*with_names, *extract_article_claims(title, text)]]

    return {name: {key: headline(text) if name == "headlines" else [asdict(c) for c in extract_claims(text)]
                   for key, text in rows}
            for name, rows in texts.items()}


def claims_at(revision: str, texts: Texts) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``claims_of`` with ``revision``'s analysis/ package, in a child process."""
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "analysis"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        source, out = Path(folder) / "texts.json", Path(folder) / "claims.json"
        source.write_text(json.dumps(texts), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": folder}
        subprocess.run([sys.executable, __file__, "--claims-of", str(source), "--out", str(out)],
                       env=env, check=True, cwd=folder)
        return json.loads(out.read_text(encoding="utf-8"))


def compare(want: dict[str, Any], got: dict[str, Any], show: int) -> int:
    """Print per set how many texts and claims match; the number of texts that differ."""
    bad = 0
    for name, rows in want.items():
        differ = [key for key in rows if rows[key] != got.get(name, {}).get(key)]
        claims = sum(len(v) for v in rows.values())
        sys.stdout.write(f"{name:<10} {len(rows):>4} texts {claims:>5} claims: "
                         f"{'identical' if not differ else f'{len(differ)} texts differ'}\n")
        for key in differ[:show]:
            sys.stdout.write(f"  DIFFERENT {name} {key}\n")
            before, after = rows[key], got.get(name, {}).get(key) or []
            for claim in [c for c in before if c not in after][:3]:
                sys.stdout.write(f"    - {json.dumps(claim)}\n")
            for claim in [c for c in after if c not in before][:3]:
                sys.stdout.write(f"    + {json.dumps(claim)}\n")
        bad += len(differ)
    return bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", help="git revision whose analysis/ gives the expected claims")
    parser.add_argument("--dump", type=Path, help="write this tree's claims to this JSON file")
    parser.add_argument("--check", type=Path, help="compare this tree's claims with a --dump file")
    parser.add_argument("--show", type=int, default=5, help="differing texts to print per set")
    parser.add_argument("--claims-of", type=Path, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.claims_of:
        texts = {n: [tuple(r) for r in rows] for n, rows in json.loads(args.claims_of.read_text("utf-8")).items()}
        args.out.write_text(json.dumps(claims_of(texts)), encoding="utf-8")  # type: ignore[arg-type]
        return 0
    if not (args.against or args.dump or args.check):
        parser.error("give --against REV, --dump FILE or --check FILE")
    texts = load_texts()
    if not texts["real"]:
        sys.stdout.write("real: ../shared/domain/claims-dev/ is absent, set skipped\n")
    got = claims_of(texts)
    if args.dump:
        args.dump.write_text(json.dumps(got), encoding="utf-8")
        sys.stdout.write(f"wrote {args.dump}\n")
        return 0
    want = json.loads(args.check.read_text("utf-8")) if args.check else claims_at(args.against, texts)
    label = str(args.check) if args.check else f"revision {args.against}"
    sys.stdout.write(f"claims of this tree against {label}:\n")
    bad = compare(want, got, args.show)
    sys.stdout.write("identical\n" if not bad else f"{bad} texts differ\n")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
