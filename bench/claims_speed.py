"""Time analysis.claims.extract_claims on three corpora and compare with a saved baseline.

(a) every text of tests/fixtures/eval/claims_eval.jsonl (abstract, news and press snippets dense with figures);
(b) the text trafilatura extracts from the fixture pages (tests/fixtures/pages, tests/fixtures/golden/pages);
(c) 50 synthetic long news articles (800-1,500 words each, generated deterministically): narrative
    sentences without figures, quotes, dates and prices, and 5-10 outcome sentences per article.

CPU time is ``time.process_time``; each corpus runs ``--rounds`` times and the median counts. For
(b) and (c) the CPU of ``crawler.parse.parse_article`` (lxml + trafilatura) on the same pages is
timed as well, since the per-page pipeline may cost at most 1.3x trafilatura's extraction.

    .venv/bin/python bench/claims_speed.py                   # timings, speed-up vs the saved baseline
    .venv/bin/python bench/claims_speed.py --save-baseline   # store these timings as the baseline
    .venv/bin/python bench/claims_speed.py --baseline-rev 8706c67   # time that commit's extractor
                                                             # first (same machine load), then this one
    .venv/bin/python bench/claims_speed.py --dump out.json   # every text's claims (claim_to_dict)
    .venv/bin/python bench/claims_speed.py --check out.json  # exit 1 unless the claims are identical
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # appended: PYTHONPATH may point at another revision's analysis/

from analysis.claims import claim_to_dict, extract_claims  # noqa: E402
from crawler.errors import ExtractError  # noqa: E402
from crawler.fetch import Fetched  # noqa: E402
from crawler.parse import parse_article  # noqa: E402

EVAL_FILE = ROOT / "tests" / "fixtures" / "eval" / "claims_eval.jsonl"
PAGE_DIRS = (ROOT / "tests" / "fixtures" / "pages", ROOT / "tests" / "fixtures" / "golden" / "pages")
BASE = "https://example.org"
DEFAULT_BASELINE = Path("/tmp/cartwatch_claims_speed_baseline.json")
Corpus = list[tuple[str, str]]  # (id, text)

_THERAPIES = [("Carvykti", "cilta-cel", "CARTITUDE-4"), ("Abecma", "ide-cel", "KarMMa-3"),
              ("Yescarta", "axi-cel", "ZUMA-7"), ("Breyanzi", "liso-cel", "TRANSFORM"),
              ("Tecartus", "brexu-cel", "ZUMA-2"), ("Kymriah", "tisa-cel", "ELIANA"),
              ("Aucatzyl", "obe-cel", "FELIX")]
_FILL = {
    "person": ["Dr. Sarah Cole", "Dr. Ravi Patel", "Maria Gomez", "Dr. Liang Wu", "Tom Becker",
               "Dr. Anne Dubois", "Kevin O'Hara", "Dr. Noor Haddad"],
    "role": ["a hematologist at", "an oncologist at", "who leads the cell therapy program at",
             "a professor of medicine at"],
    "center": ["Memorial Sloan Kettering Cancer Center", "MD Anderson Cancer Center", "the Mayo Clinic",
               "Dana-Farber Cancer Institute", "the University of Pennsylvania", "Charité in Berlin"],
    "company": ["Johnson & Johnson", "Legend Biotech", "Bristol Myers Squibb", "Kite", "Novartis",
                "Autolus", "Gilead"],
    "disease": ["multiple myeloma", "large B-cell lymphoma", "mantle cell lymphoma", "lupus",
                "acute lymphoblastic leukemia", "follicular lymphoma"],
    "city": ["Chicago", "San Diego", "Amsterdam", "New Orleans", "Stockholm", "Boston"],
    "month": ["January", "March", "June", "September", "November", "December"],
    "meeting": ["the American Society of Hematology annual meeting", "the ASCO annual meeting",
                "the European Hematology Association congress"],
    "quote": ["This is a meaningful step forward for patients who had run out of options",
              "We have to be honest about the side effects as well as the benefits",
              "The question now is how early in the course of disease we should use it",
              "Access remains the biggest problem, not the science"],
}
_NARRATIVE = [
    "{person}, {role} {center}, said the results could change how doctors treat {disease}.",
    "\"{quote},\" {person} said in an interview.",
    "The company said it would present the data at {meeting} in {city} in {month}.",
    "{company} shares rose {small}% in morning trading after the announcement.",
    "The therapy carries a list price of ${price} in the United States.",
    "Regulators are expected to decide by {month} {day}, {year}.",
    "The treatment is made from a patient's own T cells, which are collected, engineered and infused back.",
    "Manufacturing capacity has long been a bottleneck, and some patients wait weeks for a slot.",
    "{company} said it had expanded its manufacturing site in {city} to meet demand.",
    "Doctors have grown more comfortable managing the side effects, {person} said.",
    "The approval was based on the {trial} study, which compared the therapy with standard regimens.",
    "Analysts estimate peak annual sales of ${bn} billion for {brand}.",
    "The first patient in the program was treated in {year}, {person} recalled.",
    "Not every patient is a candidate; many are too sick to wait for their cells to be manufactured.",
    "Insurers have pushed back on the cost, and hospitals say reimbursement often lags behind.",
    "{person} noted that two of the company's rivals are developing off-the-shelf versions.",
    "Patients typically stay near the treatment center for about four weeks after the infusion.",
    "The study enrolled patients at sites across North America, Europe and Japan.",
    "Full results will be published in a peer-reviewed journal later this year.",
    "She was diagnosed at {age} and had been through several rounds of chemotherapy.",
    "\"We are cautiously optimistic,\" said {person}. \"But we need longer follow-up.\"",
    "The therapy is given as a single infusion, unlike drugs that are taken continuously.",
    "{company}'s market value has fallen by a third since {month}.",
    "The meeting drew more than {k},000 attendees, organizers said.",
    "Earlier this month, {company} reported quarterly revenue of ${m} million from {brand}.",
    "Some experts cautioned that the comparison was not randomized and that the trial was open-label.",
    "The phase 3 trial of the therapy in earlier lines of treatment is expected to read out next year.",
    "One patient, a {age}-year-old retired teacher from Ohio, said she returned to work within months.",
    "The company plans to file for approval in Europe in the first half of {year}.",
    "Competition is heating up as bispecific antibodies, which can be given off the shelf, win approvals.",
    "{person} said the center now treats about {n} patients a year with cell therapies.",
    "The trial is being run at {n} sites in {small} countries, according to a registry listing.",
    "Hospitals must be certified before they can give the therapy, which limits where patients go.",
    "{person} said the field is moving quickly, with dozens of programs in early testing.",
]
_OUTCOME = [
    "In {trial}, the overall response rate was {p}% and {p2}% of patients achieved a complete response.",
    "Median progression-free survival was {m} months with {brand}, compared with {m2} months with standard therapy.",
    "After a median follow-up of {f} months, the median overall survival had not been reached.",
    "Cytokine release syndrome occurred in {p}% of patients, and grade 3 or higher events in {s}%.",
    "Neurologic events were reported in {p}% of the {n} patients treated with {short}.",
    "Of the {n} patients who received {short}, {k} ({pk}%) were alive and free of progression at {y} years.",
    "The {y}-year overall survival rate was {p}% (95% CI, {lo}-{hi}).",
    "{brand} reduced the risk of disease progression or death by {p}% compared with standard care "
    "(hazard ratio, 0.{hr}; P<0.001).",
    "About two-thirds of patients responded to treatment, and nearly half had a complete response.",
    "The trial enrolled {n} patients with {disease} who had received a median of {l} prior lines of therapy.",
    "Minimal residual disease negativity was achieved in {p}% of evaluable patients.",
    "The median duration of response was {m} months.",
    "Event-free survival at {x} months was {p}% in the {short} group versus {p2}% in the standard-care group.",
    "Twelve of the {n} patients ({pk}%) had a complete remission, the investigators reported.",
    "Among {n} evaluable patients, the objective response rate was {p}%.",
    "Overall, {p} percent of participants experienced cytokine release syndrome, mostly grade 1 or 2.",
]


def corpus_eval() -> Corpus:
    """(a) The annotated set's texts."""
    items = [json.loads(line) for line in EVAL_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(item["id"], item["text"]) for item in items]


def corpus_pages() -> Corpus:
    """(b) Article text of every fixture page trafilatura can extract."""
    return [(path.name, text) for path, text in _page_texts() if text]


def _page_texts() -> list[tuple[Path, str]]:
    out = []
    for folder in PAGE_DIRS:
        for path in sorted(folder.glob("*.html")) if folder.is_dir() else []:
            html = path.read_bytes().replace(b"{base}", BASE.encode())
            out.append((path, _extract(html, f"{BASE}/{path.stem}")))
    return out


def _extract(html: bytes, url: str) -> str:
    fetched = Fetched(url, url, 200, {"content-type": "text/html"}, html)
    try:
        return parse_article(fetched).text
    except ExtractError:  # a parking page has no article text: nothing to time
        return ""


def corpus_synthetic(count: int = 50, seed: int = 20240501) -> Corpus:
    """(c) ``count`` long news articles, the same for the same seed."""
    return [(f"syn{i:02d}", _article(random.Random(seed + i))) for i in range(count)]


def _article(rng: random.Random) -> str:
    brand, short, trial = rng.choice(_THERAPIES)
    target, outcomes = rng.randint(800, 1500), rng.randint(5, 10)
    sentences = [_fill(rng, rng.choice(_NARRATIVE), brand, short, trial) for _ in range(90)]
    lead = f"{brand} ({short}) showed durable benefit in the {trial} trial, {rng.choice(_FILL['company'])} said."
    body, words = [lead], len(lead.split())
    slots = sorted(rng.sample(range(3, 45), outcomes))
    for index, sentence in enumerate(sentences):
        if words >= target:
            break
        if slots and index >= slots[0]:
            slots.pop(0)
            sentence = _fill(rng, rng.choice(_OUTCOME), brand, short, trial)
        body.append(sentence)
        words += len(sentence.split())
    paragraphs, i = [], 0
    while i < len(body):
        size = rng.randint(1, 4)
        paragraphs.append(" ".join(body[i : i + size]))
        i += size
    return "\n\n".join(paragraphs)


def _fill(rng: random.Random, template: str, brand: str, short: str, trial: str) -> str:
    n = rng.randint(20, 400)
    k = rng.randint(1, n)
    lo = rng.randint(30, 70)
    values = {name: rng.choice(options) for name, options in _FILL.items()}
    values |= {"brand": brand, "short": short, "trial": trial, "n": n, "k": k, "pk": round(100 * k / n, 1),
               "p": rng.randint(5, 98), "p2": rng.randint(5, 60), "s": rng.randint(1, 15),
               "small": rng.randint(2, 12), "m": round(rng.uniform(3, 40), 1), "m2": round(rng.uniform(2, 15), 1),
               "f": round(rng.uniform(12, 60), 1), "y": rng.randint(2, 5), "x": rng.choice((6, 12, 24)),
               "lo": lo, "hi": lo + rng.randint(5, 25), "hr": rng.randint(20, 80), "l": rng.randint(2, 6),
               "age": rng.randint(35, 78), "day": rng.randint(1, 28), "year": rng.randint(2017, 2027),
               "price": f"{rng.randint(370, 520)},000", "bn": rng.randint(1, 5)}
    return template.format(**values)


def corpora() -> dict[str, Corpus]:
    return {"a": corpus_eval(), "b": corpus_pages(), "c": corpus_synthetic()}


def outputs(corpus: Corpus) -> list[dict[str, Any]]:
    return [{"id": key, "claims": [claim_to_dict(c) for c in extract_claims(text)]} for key, text in corpus]


def median_cpu(run: Callable[[], object], rounds: int) -> float:
    """Median process time of ``rounds`` calls of ``run``, in seconds."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times)


def _time_claims(corpus: Corpus, rounds: int) -> float:
    return median_cpu(lambda: [extract_claims(text) for _, text in corpus], rounds)


def _time_trafilatura(name: str, corpus: Corpus, rounds: int) -> float | None:
    if name == "b":
        pages = [(path.read_bytes().replace(b"{base}", BASE.encode()), path.stem) for path, _ in _page_texts()]
    elif name == "c":
        pages = [(_as_html(text).encode(), key) for key, text in corpus]
    else:
        return None
    return median_cpu(lambda: [_extract(html, f"{BASE}/{key}") for html, key in pages], rounds)


def _as_html(text: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n"))
    return (f"<!DOCTYPE html><html lang=\"en\"><head><title>News</title></head><body><nav><a href=\"/\">Home</a>"
            f"</nav><main><article><h1>News</h1>\n{paragraphs}</article></main><footer>(c) News</footer>"
            "</body></html>")


def measure(rounds: int, with_trafilatura: bool) -> dict[str, dict[str, float]]:
    results = {}
    for name, corpus in corpora().items():
        seconds = _time_claims(corpus, rounds)
        words = sum(len(text.split()) for _, text in corpus)
        row = {"texts": len(corpus), "words": words, "seconds": seconds}
        traf = _time_trafilatura(name, corpus, rounds) if with_trafilatura else None
        if traf:
            row["trafilatura_seconds"] = traf
        results[name] = row
    return results


def report(results: dict[str, dict[str, float]], baseline: dict[str, Any] | None) -> None:
    sys.stdout.write(f"{'corpus':<8}{'texts':>6}{'words':>8}{'CPU s':>9}{'texts/s':>10}{'ms/1k words':>13}"
                     f"{'speed-up':>10}{'claims/traf':>13}\n")
    for name, row in results.items():
        per_k = 1000 * row["seconds"] / row["words"] * 1000
        speed = "-"
        if baseline and name in baseline and row["seconds"] > 0:
            before = baseline[name]["seconds"] / baseline[name]["words"]
            speed = f"{before / (row['seconds'] / row['words']):.2f}x"
        traf = row.get("trafilatura_seconds")
        ratio = f"{row['seconds'] / traf:.2f}" if traf else "-"
        rate = row["texts"] / row["seconds"] if row["seconds"] > 0 else float("inf")
        sys.stdout.write(f"{name:<8}{row['texts']:>6}{row['words']:>8}{row['seconds']:>9.3f}{rate:>10.1f}"
                         f"{per_k:>13.2f}{speed:>10}{ratio:>13}\n")


def check(path: Path) -> int:
    """Compare with a --dump file, text by text (texts added since the dump are only counted)."""
    expected = json.loads(path.read_text(encoding="utf-8"))
    bad = compared = 0
    for name, corpus in corpora().items():
        want = {row["id"]: row["claims"] for row in expected[name]}
        for row in outputs(corpus):
            if row["id"] in want:
                compared += 1
                if row["claims"] != want[row["id"]]:
                    bad += 1
                    sys.stdout.write(f"DIFFERENT: {name} {row['id']}\n")
    sys.stdout.write(f"{compared} texts compared: {'identical' if not bad else f'{bad} differ'}\n")
    return 1 if bad or not compared else 0


def _measure_revision(revision: str, rounds: int, baseline: Path) -> None:
    """Run this script on ``revision``'s analysis/ package, saving its timings to ``baseline``."""
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "analysis"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        env = {**os.environ, "PYTHONPATH": folder}
        subprocess.run([sys.executable, __file__, "--save-baseline", "--baseline", str(baseline),
                        "--rounds", str(rounds), "--no-trafilatura"], env=env, check=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE)
    parser.add_argument("--save-baseline", action="store_true", help="store these timings as the baseline")
    parser.add_argument("--baseline-rev", help="measure the baseline now, with analysis/ of this git revision")
    parser.add_argument("--no-trafilatura", action="store_true", help="skip timing parse_article")
    parser.add_argument("--dump", type=Path, help="write every text's claims to this JSON file")
    parser.add_argument("--check", type=Path, help="compare every text's claims with a --dump file")
    args = parser.parse_args(argv)
    if args.dump:
        args.dump.write_text(json.dumps({n: outputs(c) for n, c in corpora().items()}, indent=1), encoding="utf-8")
        return 0
    if args.check:
        return check(args.check)
    if args.baseline_rev:
        _measure_revision(args.baseline_rev, args.rounds, args.baseline)
    sys.stdout.write(f"extractor: {Path(sys.modules[extract_claims.__module__].__file__ or '').parent}\n")
    results = measure(args.rounds, not args.no_trafilatura)
    baseline = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline.exists() else None
    report(results, None if args.save_baseline else baseline)
    if args.save_baseline:
        args.baseline.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
