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

Sets (``--set``, repeatable; each table names its set):

- ``bench`` (default): the 14 CAR-T news pages of ``bench/pages`` (our own text in five layouts
  modelled on real sites, see ``make_pages.py``);
- ``html:DIR``: every ``*.html`` of a folder of real pages, measured the same way (pages
  trafilatura finds no article text in are counted and left out), e.g. trafilatura's own test
  pages: ``--set html:/path/to/trafilatura/tests/cache``;
- ``reference``: the trimmed real payloads of ``../shared/reference/samples`` (PubMed EFetch XML,
  Europe PMC and ClinicalTrials.gov JSON), each record turned into an item by our source parser
  and analysed as the crawler does. These are not HTML, so there is no trafilatura to compare
  with: the table gives our CPU per item. Skipped when ``../shared`` is absent.

    .venv/bin/python bench/pipeline_cpu.py --set bench --set reference
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
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
from lxml import etree  # noqa: E402
from trafilatura.utils import load_html  # noqa: E402

from bench.report import code_state, say  # noqa: E402
from analysis import analyse as analyse_module  # noqa: E402
from analysis.analyse import analyse, reports_safety_text  # noqa: E402
from analysis.claims import extract_article_claims  # noqa: E402
from analysis.fingerprint import fingerprint  # noqa: E402
from analysis.journals import JournalRegistry  # noqa: E402
from analysis.outlets import OutletRegistry  # noqa: E402
from analysis.proximity import article_source_type, manufacturer_proximity  # noqa: E402
from analysis.relevance import assess_relevance  # noqa: E402
from analysis.stories import article_meta, story_keys  # noqa: E402
from analysis.syndication import copy_keys, text_key  # noqa: E402
from crawler import parse as parse_module  # noqa: E402
from crawler.errors import CrawlerError  # noqa: E402
from crawler.fetch import Fetched  # noqa: E402
from crawler.parse import ExtractedPage, decode_html, parse_article  # noqa: E402
from crawler.pipeline import build_article  # noqa: E402
from crawler.sources import ctgov, europepmc, pubmed  # noqa: E402
from crawler.sources.base import Item  # noqa: E402

PAGES = ROOT / "bench" / "pages"
REFERENCE = ROOT.parent / "shared" / "reference" / "samples"
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




def load_pages() -> list[Page]:
    manifest = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))
    return [Page(e["file"], e["url"], "press_release" if e["layout"] == "pressrelease" else "news",
                 (PAGES / e["file"]).read_bytes()) for e in manifest]


def load_html_dir(folder: Path) -> tuple[list[Page], int]:
    """The folder's pages that trafilatura finds article text in, and how many it left out."""
    pages, left_out = [], 0
    for path in sorted(folder.glob("*.html")):
        page = Page(path.name, f"https://{path.stem}/", "news", path.read_bytes())
        try:
            parse_article(page.fetched())
        except CrawlerError:
            left_out += 1
            continue
        pages.append(page)
    return pages, left_out


def load_reference_items() -> list[tuple[str, Item]]:
    """(sample name, item) for every record of the PubMed, Europe PMC and ClinicalTrials.gov samples."""
    if not REFERENCE.is_dir():
        return []
    journals = JournalRegistry.load_default()
    root = etree.fromstring((REFERENCE / "pubmed_efetch.xml").read_bytes(), parser=pubmed.XML_PARSER)
    found = [("pubmed_efetch.xml", pubmed.record_item(r, journals=journals))
             for r in root if r.tag in ("PubmedArticle", "PubmedBookArticle")]
    search = json.loads((REFERENCE / "europepmc_search.json").read_text(encoding="utf-8"))
    found += [("europepmc_search.json", europepmc.record_item(r, journals=journals))
              for r in search["resultList"]["result"]]
    studies = json.loads((REFERENCE / "ctgov_v2_studies.json").read_text(encoding="utf-8"))["studies"]
    found += [("ctgov_v2_studies.json", ctgov.study_item(s)) for s in studies]
    return [(name, item) for name, item in found if item is not None and item.text]


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
    # as analyse calls it: the text's claims, and the headline's when it states a figure
    t["claims"], _ = cpu(lambda: tuple(extract_article_claims(article.title or "", article.text or "",
                                                              names=relevance.names)))
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
    htmls = {p.name: decode_html(p.fetched()) for p in pages}
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


def run_reference(items: list[tuple[str, Item]], registry: OutletRegistry, rounds: int) -> dict[str, dict[str, float]]:
    """Per item: median CPU seconds of relevance, analyse, and both (as ``Pipeline._analyse`` and
    ``ingest`` run them for an item whose text came with its listing)."""
    times: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for round_no in range(rounds + 1):
        for index, (_, item) in enumerate(items):
            t0 = time.process_time()
            article = build_article(item, item.url or "", None, "bench")
            relevance = assess_relevance(article.title, article.text)
            t1 = time.process_time()
            article = replace(article, therapies=tuple(sorted(set(relevance.therapies))))
            t2 = time.process_time()
            tuple(extract_article_claims(article.title or "", article.text or "", names=relevance.names))
            t3 = time.process_time()
            analyse(article, registry, fallback_date=FALLBACK_DATE, names=relevance.names)
            t4 = time.process_time()
            if round_no:
                row = times[index]
                row["relevance"].append(t1 - t0)
                row["claims"].append(t3 - t2)
                row["analyse"].append(t4 - t3)
    med = statistics.median
    return {f"{items[i][0]}#{i}": {k: med(v) for k, v in row.items()} for i, row in times.items()}


def report_reference(items: list[tuple[str, Item]], results: dict[str, dict[str, float]]) -> None:
    say(f"\nset: reference ({len(items)} records of ../shared/reference/samples through our source parsers; "
        "not HTML, so no trafilatura to compare with)")
    say(f"| {'record':<28} | {'words':>5} | {'relevance ms':>12} | {'analyse ms':>10} | {'of which claims ms':>18} |")
    say(f"|{'-' * 30}|{'-' * 7}|{'-' * 14}|{'-' * 12}|{'-' * 20}|")
    for (name, row), (_, item) in zip(results.items(), items, strict=True):
        say(f"| {name:<28} | {len((item.text or '').split()):5d} | {row['relevance'] * 1000:12.2f} | "
            f"{row['analyse'] * 1000:10.2f} | {row['claims'] * 1000:18.2f} |")
    total = {k: sum(r[k] for r in results.values()) * 1000 for k in ("relevance", "analyse", "claims")}
    say(f"| {'TOTAL':<28} | {sum(len((i.text or '').split()) for _, i in items):5d} | {total['relevance']:12.2f} | "
        f"{total['analyse']:10.2f} | {total['claims']:18.2f} |")


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
    parser.add_argument("--set", dest="sets", action="append", metavar="SET",
                        help="bench (default), html:DIR or reference; repeatable (see the module docstring)")
    args = parser.parse_args()
    registry = OutletRegistry.load_default()
    say(f"machine: nproc={os.cpu_count()}, load average {os.getloadavg()[0]:.2f}; trafilatura "
        f"{trafilatura.__version__}; {args.rounds} rounds (+1 warm-up), CPU time medians")
    say(f"{code_state()}; {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    for name in args.sets or ["bench"]:
        if name == "reference":
            items = load_reference_items()
            if not items:
                say("\nset: reference: ../shared/reference/samples is absent, skipped")
                continue
            report_reference(items, run_reference(items, registry, args.rounds))
            continue
        if name == "bench":
            pages, label = load_pages(), "bench (14 CAR-T news pages of bench/pages, our own text)"
        elif name.startswith("html:") and Path(name[5:]).is_dir():
            pages, left_out = load_html_dir(Path(name[5:]))
            label = f"{name} ({len(pages)} real pages; {left_out} without article text left out)"
        else:
            parser.error(f"unknown set {name!r}: bench, reference or html:DIR (an existing folder)")
        say(f"\nset: {label}")
        base, total, stages = run(pages, registry, args.rounds)
        report(pages, base, total, stages)
        if args.profile:
            profile(pages, registry, args.rounds, args.top)
    say(f"\nload average at end {os.getloadavg()[0]:.2f}; {code_state()}")


if __name__ == "__main__":
    main()
