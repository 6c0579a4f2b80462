"""Would trafilatura's ``fast=True`` make the per-page pipeline lean? What it saves and what it loses.

``crawler.parse`` extracts every page with ``trafilatura.bare_extraction(tree, url=..., with_metadata=True,
include_comments=False)``. ``fast=True`` skips trafilatura's fallback extractors (readability-lxml and
jusText), which it runs when its own extraction looks too short. This script runs both on the same
parsed trees, page by page and interleaved, and prints for each set:

- the CPU time of each (median of ``--rounds`` rounds after a warm-up round, ``time.process_time``);
- how many pages give the same text, and the pages whose fast text is shorter by more than
  ``--loss`` of the default text's characters (text lost to the reader and to the claims extractor).

Sets are those of ``bench/pipeline_cpu.py``: ``bench`` (the 14 CAR-T pages of ``bench/pages``), the
test pages of ``tests/fixtures/pages`` (``fixtures``), and ``html:DIR`` (any folder of real pages,
e.g. trafilatura's own ``tests/cache``, from ``git clone https://github.com/adbar/trafilatura``).

    .venv/bin/python bench/trafilatura_fast.py
    .venv/bin/python bench/trafilatura_fast.py --set bench --set fixtures --set html:/tmp/trafilatura/tests/cache
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402
from trafilatura.utils import load_html  # noqa: E402

from bench.report import code_state, say  # noqa: E402


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    html: str


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def load_set(spec: str) -> list[Page]:
    if spec == "bench":
        folder = ROOT / "bench" / "pages"
    elif spec == "fixtures":
        folder = ROOT / "tests" / "fixtures" / "pages"
    elif spec.startswith("html:"):
        folder = Path(spec[5:])
    else:
        raise SystemExit(f"unknown set {spec!r}: use bench, fixtures or html:DIR")
    if not folder.is_dir():
        raise SystemExit(f"set {spec!r}: {folder} is not a folder")
    return [Page(p.name, f"https://{p.stem}/", _decode(p.read_bytes())) for p in sorted(folder.rglob("*.html"))]


def extract(page: Page, fast: bool) -> tuple[float, str | None]:
    tree = load_html(page.html)
    if tree is None:
        return 0.0, None
    t0 = time.process_time()
    doc = trafilatura.bare_extraction(tree, url=page.url, with_metadata=True, include_comments=False, fast=fast)
    return time.process_time() - t0, (doc.text if doc is not None else None)


def measure(pages: list[Page], rounds: int) -> tuple[list[float], list[float], list[str | None], list[str | None]]:
    default_runs: list[float] = []
    fast_runs: list[float] = []
    default_texts: list[str | None] = []
    fast_texts: list[str | None] = []
    for round_no in range(rounds + 1):  # round 0 warms up
        default_total = fast_total = 0.0
        default_texts, fast_texts = [], []
        for page in pages:  # interleaved page by page: both see the same machine load
            spent, text = extract(page, fast=False)
            default_total += spent
            default_texts.append(text)
            spent, text = extract(page, fast=True)
            fast_total += spent
            fast_texts.append(text)
        if round_no:
            default_runs.append(default_total)
            fast_runs.append(fast_total)
    return default_runs, fast_runs, default_texts, fast_texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", dest="sets", help="bench, fixtures or html:DIR (repeatable)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--loss", type=float, default=0.10, help="share of characters lost that counts as a loss")
    args = parser.parse_args(argv)
    say(code_state())
    for spec in args.sets or ["bench", "fixtures"]:
        pages = load_set(spec)
        if not pages:
            say(f"set {spec}: no pages")
            continue
        default_runs, fast_runs, default_texts, fast_texts = measure(pages, args.rounds)
        default_ms = statistics.median(default_runs) * 1000
        fast_ms = statistics.median(fast_runs) * 1000
        same = sum(a == b for a, b in zip(default_texts, fast_texts, strict=True))
        lost = [(page.name, len(a or ""), len(b or "")) for page, a, b in zip(pages, default_texts, fast_texts, strict=True)
                if len(b or "") < (1 - args.loss) * len(a or "")]
        say(f"set {spec}: {len(pages)} pages; default {default_ms:.1f} ms, fast {fast_ms:.1f} ms "
            f"({fast_ms / default_ms:.2f}x, median of {args.rounds} rounds); same text on {same} of {len(pages)}; "
            f"fast loses more than {args.loss:.0%} of the text on {len(lost)}")
        for name, before, after in lost:
            say(f"    {name}: {before} -> {after} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
