"""CPU cost of our per-page pipeline against trafilatura's extraction alone.

For each page in bench/pages/ (see bench/make_pages.py) it measures, in CPU time
(``time.process_time``), the median over ``--rounds`` rounds after one warm-up round of:

- trafilatura alone: ``trafilatura.bare_extraction(html, url=..., with_metadata=True)`` on the
  decoded HTML string (decoding not counted);
- ours, end to end, as ``crawler.pipeline`` runs it for a fetched page, network and database
  excluded: ``crawler.parse.parse_article(Fetched(...))`` → ``build_article`` →
  ``analysis.relevance.assess_relevance`` → ``analysis.analyse.analyse(article, registry, ...)``;
- ours stage by stage (the same calls taken apart), to show where the extra cost goes.

Rounds interleave trafilatura and ours page by page, so both see the same machine load.

    .venv/bin/python bench/pipeline_cpu.py
    .venv/bin/python bench/pipeline_cpu.py --rounds 9 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402
from trafilatura.utils import load_html  # noqa: E402

from analysis import analyse as analyse_module  # noqa: E402
from analysis.analyse import analyse, reports_safety_text  # noqa: E402
from analysis.claims import extract_claims  # noqa: E402
from analysis.fingerprint import fingerprint  # noqa: E402
from analysis.outlets import OutletRegistry  # noqa: E402
from analysis.proximity import article_source_type, manufacturer_proximity  # noqa: E402
from analysis.relevance import assess_relevance  # noqa: E402
from analysis.stories import article_meta, story_keys  # noqa: E402
from analysis.syndication import copy_keys, text_key  # noqa: E402
from crawler import parse as parse_module  # noqa: E402
from crawler.fetch import Fetched  # noqa: E402
from crawler.parse import ExtractedPage, decode_html, parse_article  # noqa: E402
from crawler.pipeline import build_article  # noqa: E402
from crawler.sources.base import Item  # noqa: E402

PAGES = ROOT / "bench" / "pages"
FALLBACK_DATE = "2026-11-24T00:00:00Z"
STAGES = ("decode+lxml", "trafilatura", "page hints", "build article", "relevance", "claims", "fingerprint",
          "outlet", "proximity", "safety text", "trials/story keys")


@dataclass(frozen=True, slots=True)
class Page:
    name: str
    url: str
    kind: str
    body: bytes

    def fetched(self) -> Fetched:
        return Fetched(url=self.url, requested_url=self.url, status=200,
                       headers={"content-type": "text/html; charset=utf-8"}, body=self.body)

    def item(self) -> Item:
        return Item(title="", url=self.url, kind=self.kind)


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def code_state() -> str:
    """The commit measured, and how many of our source files differ from it (others edit them)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    dirty = git("status", "--porcelain", "--", "analysis", "crawler", "store", "api").splitlines()
    return f"code at {git('rev-parse', '--short', 'HEAD')}" + (f" + {len(dirty)} uncommitted source file(s)" if dirty else "")


def load_pages() -> list[Page]:
    manifest = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))
    return [Page(e["file"], e["url"], "press_release" if e["layout"] == "pressrelease" else "news",
                 (PAGES / e["file"]).read_bytes()) for e in manifest]


def cpu(call: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.process_time()
    result = call()
    return time.process_time() - t0, result


def trafilatura_alone(page: Page, html: str) -> Any:
    return trafilatura.bare_extraction(html, url=page.url, with_metadata=True)


def ours(page: Page, registry: OutletRegistry) -> Any:
    """What ``Pipeline._process_item`` and ``_analyse`` do with a fetched page."""
    extracted = parse_article(page.fetched())
    article = build_article(page.item(), page.url, extracted, "bench")
    relevance = assess_relevance(article.title, article.text)
    article = replace(article, therapies=tuple(sorted(set(relevance.therapies))))
    return analyse(article, registry, fallback_date=FALLBACK_DATE, names=relevance.names)


def staged(page: Page, registry: OutletRegistry) -> dict[str, float]:
    """``ours`` taken apart (same calls, same order); CPU seconds per stage."""
    t: dict[str, float] = {}
    fetched = page.fetched()
    t["decode+lxml"], tree = cpu(lambda: load_html(decode_html(fetched)))
    t["page hints"], hints = cpu(lambda: (parse_module._declared_canonical(tree, page.url),
                                          parse_module._first(tree, "/html/@lang",
                                                              '//meta[@http-equiv="content-language"]/@content')))
    t["trafilatura"], doc = cpu(lambda: trafilatura.bare_extraction(tree, url=page.url, with_metadata=True,
                                                                    include_comments=False))
    extracted = ExtractedPage(
        title=parse_module.strip_site_name((doc.title or "").strip(), doc.sitename or None),
        text=(doc.text or "").strip(), published_at=doc.date or None,
        authors=tuple(a.strip() for a in (doc.author or "").split(";") if a.strip()),
        site_name=doc.sitename or None, canonical_url=hints[0],
        language=(hints[1] or "").split("-")[0].lower() or None, description=doc.description or None)
    t["build article"], article = cpu(lambda: build_article(page.item(), page.url, extracted, "bench"))
    t["relevance"], relevance = cpu(lambda: assess_relevance(article.title, article.text))
    article = replace(article, therapies=tuple(sorted(set(relevance.therapies))))
    t["outlet"], (match, article) = cpu(lambda: _outlet(article, registry))
    t["claims"], _ = cpu(lambda: tuple(extract_claims(article.text, names=relevance.names)))
    t["fingerprint"], fp = cpu(lambda: fingerprint(article.title, article.text))
    t["outlet"] += cpu(lambda: article_source_type(match.outlet, article.kind))[0]
    t["proximity"], _ = cpu(lambda: manufacturer_proximity(article.text, article.title, match.outlet,
                                                           article.therapies))
    t["safety text"], _ = cpu(lambda: reports_safety_text(article.text))
    t["trials/story keys"], _ = cpu(lambda: _story_keys(article, fp, relevance.names))
    return t


def _outlet(article: Any, registry: OutletRegistry) -> Any:
    match = registry.resolve(analyse_module._outlet_target(article))
    outlet = match.outlet
    return match, replace(article, outlet_domain=match.domain,
                          outlet_name=article.outlet_name or (outlet.name if outlet else None))


def _story_keys(article: Any, fp: Any, names: Any) -> Any:
    trials = {m.canonical for m in names.trials()}
    meta = article_meta(article.title, article.published_at or FALLBACK_DATE, article.therapies, trials,
                        text=article.text)
    return (story_keys(fp, meta), copy_keys(fp, text_key(article.text)))


def run(pages: list[Page], registry: OutletRegistry, rounds: int) -> tuple[dict, dict, dict]:
    """Per page: median CPU seconds of trafilatura alone, ours end to end, and each stage."""
    base: dict[str, list[float]] = defaultdict(list)
    total: dict[str, list[float]] = defaultdict(list)
    stages: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    htmls = {p.name: p.body.decode("utf-8") for p in pages}
    for round_no in range(rounds + 1):  # round 0 warms caches, regexes and lazy imports
        for page in pages:
            b, _ = cpu(lambda page=page: trafilatura_alone(page, htmls[page.name]))
            o, _ = cpu(lambda page=page: ours(page, registry))
            s = staged(page, registry)
            if round_no == 0:
                continue
            base[page.name].append(b)
            total[page.name].append(o)
            for stage, seconds in s.items():
                stages[page.name][stage].append(seconds)
    med = statistics.median
    return ({n: med(v) for n, v in base.items()}, {n: med(v) for n, v in total.items()},
            {n: {s: med(v) for s, v in d.items()} for n, d in stages.items()})


def report(pages: list[Page], base: dict, total: dict, stages: dict) -> None:
    say(f"\n| {'page':<36} | {'KB':>5} | {'trafilatura ms':>14} | {'ours ms':>8} | {'ratio':>5} |")
    say(f"|{'-' * 38}|{'-' * 7}|{'-' * 16}|{'-' * 10}|{'-' * 7}|")
    for page in pages:
        b, o = base[page.name] * 1000, total[page.name] * 1000
        say(f"| {page.name:<36} | {len(page.body) / 1024:5.0f} | {b:14.2f} | {o:8.2f} | {o / b:5.2f} |")
    b_sum, o_sum = sum(base.values()) * 1000, sum(total.values()) * 1000
    say(f"| {'TOTAL (' + str(len(pages)) + ' pages)':<36} | {sum(len(p.body) for p in pages) / 1024:5.0f} | "
        f"{b_sum:14.2f} | {o_sum:8.2f} | {o_sum / b_sum:5.2f} |")
    say("\nOurs by stage (sum over pages of per-page medians; staged run, same calls as end to end)")
    sums = {s: sum(stages[p.name].get(s, 0.0) for p in pages) * 1000 for s in STAGES}
    staged_total = sum(sums.values())
    say(f"| {'stage':<20} | {'ms':>8} | {'share':>6} | {'x trafilatura alone':>19} |")
    say(f"|{'-' * 22}|{'-' * 10}|{'-' * 8}|{'-' * 21}|")
    for stage in STAGES:
        say(f"| {stage:<20} | {sums[stage]:8.2f} | {sums[stage] / staged_total:6.1%} | {sums[stage] / b_sum:19.3f} |")
    say(f"| {'sum of stages':<20} | {staged_total:8.2f} | {1:6.1%} | {staged_total / b_sum:19.3f} |")
    extra = staged_total - sums["trafilatura"] - sums["decode+lxml"]
    say(f"\ntrafilatura alone {b_sum:.1f} ms; ours end to end {o_sum:.1f} ms = {o_sum / b_sum:.2f}x "
        f"(target <= 1.30x: {'met' if o_sum / b_sum <= 1.3 else 'MISSED'}); our stages after extraction "
        f"{extra:.1f} ms = {extra / b_sum:.2f}x trafilatura alone")


def profile(pages: list[Page], registry: OutletRegistry, rounds: int, top: int) -> None:
    """cProfile of the stages after extraction (relevance and analyse), over every page."""
    prepared = []
    for page in pages:
        extracted = parse_article(page.fetched())
        prepared.append(build_article(page.item(), page.url, extracted, "bench"))

    def extra_stages() -> None:
        for article in prepared:
            relevance = assess_relevance(article.title, article.text)
            analyse(replace(article, therapies=tuple(sorted(set(relevance.therapies)))), registry,
                    fallback_date=FALLBACK_DATE, names=relevance.names)
    extra_stages()
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(rounds):
        extra_stages()
    profiler.disable()
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key).print_stats(top)
        say(f"\ncProfile of relevance + analyse, {rounds} rounds x {len(pages)} pages, sorted by {key}:")
        say("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:12000])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries of our extra stages")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    pages = load_pages()
    registry = OutletRegistry.load_default()
    say(f"machine: nproc={os.cpu_count()}, load average {os.getloadavg()[0]:.2f}; trafilatura "
        f"{trafilatura.__version__}; {len(pages)} pages, {args.rounds} rounds (+1 warm-up), CPU time medians")
    say(f"{code_state()}; {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    base, total, stages = run(pages, registry, args.rounds)
    report(pages, base, total, stages)
    say(f"load average at end {os.getloadavg()[0]:.2f}; {code_state()}")
    if args.profile:
        profile(pages, registry, args.rounds, args.top)


if __name__ == "__main__":
    main()
