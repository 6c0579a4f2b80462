"""Build a large synthetic cartwatch database for the latency benchmarks.

The file has the project's own schema (``store.db.open_db`` applies every migration, the FTS5
index and its triggers included), so the API and Datasette open it as they would a real one.
Content is synthetic but shaped like the real thing:

- therapies are the dictionary's canonical names (``analysis.therapies.all_therapies``), Zipf
  distributed with cilta-cel and axi-cel the most common;
- article texts are 150-600 words drawn from a Zipf vocabulary of oncology/news words and
  phrases with a long tail of rare names, plus therapy names, trial names and numbers; each
  article's claims are real sentences of its text (``start``/``end`` point at them);
- ~300 outlets (the shipped registry plus synthetic ones) with their source types, five years of
  publication dates, mostly in crawl order with a share of back-filled older items;
- claims use the 19 metric codes and carry the denormalised article columns.

Loading: rows are generated in worker processes (deterministic per batch, so the output does not
depend on the worker count) and written with ``executemany`` in large transactions, with
``journal_mode=OFF`` and ``synchronous=OFF``. The triggers are dropped during the load; the FTS
index is rebuilt in one pass, the time-keyed search index and the coverage totals are filled by
the migration's own backfill (``store.maintained.fill``), and the triggers are recreated from the
SQL ``sqlite_master`` held for them; the claims indexes are dropped and recreated the same way.
The file ends in WAL mode.

    .venv/bin/python bench/build_big_db.py                       # 100k articles / 300k claims
    .venv/bin/python bench/build_big_db.py --articles 1000000 --claims 3000000 --out /tmp/cartwatch-big.db
"""

from __future__ import annotations

import argparse
import bisect
import csv
import hashlib
import json
import multiprocessing
import os
import random
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.report import say  # noqa: E402
from analysis.therapies import all_therapies, all_trials  # noqa: E402
from store.db import open_db  # noqa: E402
from store.maintained import fill  # noqa: E402
from store.articles import title_key  # noqa: E402

BATCH = 5_000
WORD_TABLE = 1 << 24
END = datetime(2026, 11, 24, tzinfo=UTC)
SPAN_DAYS = 5 * 365

# Most-covered first: the Zipf rank of each product (the rest follow in dictionary order).
THERAPY_ORDER = ("ciltacabtagene autoleucel", "axicabtagene ciloleucel", "tisagenlecleucel",
                 "idecabtagene vicleucel", "lisocabtagene maraleucel", "brexucabtagene autoleucel",
                 "obecabtagene autoleucel", "anitocabtagene autoleucel", "anti-CD19 CAR T (academic)",
                 "equecabtagene autoleucel", "relmacabtagene autoleucel", "zevorcabtagene autoleucel")

# (code, phrase in text, unit, low, high, weight)
METRICS = (
    ("ORR", "an overall response rate of {v}%", "%", 40, 98, 14),
    ("CR", "a complete response rate of {v}%", "%", 20, 85, 12),
    ("sCR", "a stringent complete response rate of {v}%", "%", 20, 80, 3),
    ("VGPR", "a very good partial response or better in {v}%", "%", 50, 95, 2),
    ("MRD_NEG", "MRD negativity in {v}% of evaluable patients", "%", 30, 92, 3),
    ("DOR_MEDIAN", "a median duration of response of {v} months", "months", 6, 40, 5),
    ("PFS_MEDIAN", "a median progression-free survival of {v} months", "months", 3, 40, 8),
    ("PFS_RATE", "a {t}-month progression-free survival rate of {v}%", "%", 30, 80, 4),
    ("EFS_MEDIAN", "a median event-free survival of {v} months", "months", 3, 30, 3),
    ("EFS_RATE", "a {t}-month event-free survival rate of {v}%", "%", 30, 75, 2),
    ("OS_MEDIAN", "a median overall survival of {v} months", "months", 12, 60, 4),
    ("OS_RATE", "a {t}-month overall survival rate of {v}%", "%", 40, 90, 4),
    ("REMISSION_RATE", "an overall remission rate of {v}%", "%", 60, 98, 3),
    ("N_PATIENTS", "was infused in {v} patients", "patients", 12, 400, 10),
    ("FOLLOWUP_MEDIAN", "a median follow-up of {v} months", "months", 6, 60, 6),
    ("CRS_ANY", "cytokine release syndrome in {v}% of patients", "%", 40, 95, 7),
    ("CRS_GRADE3PLUS", "grade 3 or higher cytokine release syndrome in {v}%", "%", 1, 15, 5),
    ("ICANS_ANY", "neurotoxicity (ICANS) in {v}% of patients", "%", 5, 60, 5),
    ("ICANS_GRADE3PLUS", "grade 3 or higher ICANS in {v}%", "%", 1, 30, 3),
)
INDICATIONS = ("multiple myeloma", "large B-cell lymphoma", "follicular lymphoma", "mantle cell lymphoma",
               "B-cell acute lymphoblastic leukemia", "chronic lymphocytic leukemia", "lupus")

CORE_WORDS = """
patients therapy treatment cancer trial data results study cell cells response survival phase
disease company said year years new clinical oncology drug approval FDA patient months median
lymphoma myeloma leukemia infusion doctors researchers hospital health care cost price safety
efficacy dose doses follow-up analysis report reported according percent risk rate rates first
second line lines prior refractory relapsed treated investigators presented meeting abstract
annual American Society Hematology Clinical Oncology European conference journal published
medicine center centres university institute program manufacturing vein-to-vein time weeks days
approved label indication indications review agency regulators committee advisory panel vote
biotech pharmaceutical shares stock investors revenue sales quarter billion million launch market
access reimbursement insurers Medicare payers community academic sites capacity slots waitlist
bridging apheresis lymphodepletion fludarabine cyclophosphamide toxicity toxicities adverse events
neurologic syndrome cytokine release infections cytopenias secondary malignancies boxed warning
monitoring outpatient inpatient administration standard chemotherapy transplant autologous
stem comparator arm randomized open-label single-arm pivotal registrational confirmatory
endpoint endpoints primary secondary exploratory subgroup high-risk extramedullary elderly
older younger frail real-world evidence registry retrospective cohort centers network CIBMTR
antigen receptor engineered T-cell T-cells CD19 BCMA GPRC5D CD22 dual-targeting allogeneic
off-the-shelf autoimmune lupus myositis sclerosis myasthenia gravis durable deep remission
remissions relapse progression outcomes benefit benefits improvement improved significant
statistically hazard ratio confidence interval cutoff update updated longer-term five-year
three-year two-year landmark cure cured functional chief executive officer medical director
professor lead author study author told interview statement press release announced today
expects expected plans plan filing submission supplemental biologics license application
priority review breakthrough designation orphan China Europe Japan India United States
commercial supply demand sold out production facility plant expansion hires workforce
shortage viral vector lentiviral retroviral manufacturing failure out-of-specification
product products pipeline competitor competitors bispecific antibodies teclistamab talquetamab
elranatamab epcoritamab glofitamab mosunetuzumab belantamab daratumumab lenalidomide
pomalidomide bortezomib carfilzomib dexamethasone steroids tocilizumab anakinra supportive
quality life patient-reported caregivers travel distance rural equity disparities Black Hispanic
women men aged age younger median-age enrolled enrolment enrollment screening eligible
ineligible excluded withdrawn discontinued deaths died death fatal grade events serious
"""

PHRASES = (
    "overall survival", "progression-free survival", "complete response", "overall response",
    "cytokine release syndrome", "multiple myeloma", "large B-cell lymphoma", "clinical trial",
    "Food and Drug Administration", "European Medicines Agency", "standard of care",
    "chimeric antigen receptor", "CAR T-cell therapy", "CAR-T", "CAR T", "bone marrow",
    "minimal residual disease", "real-world data", "second-line", "third-line", "dose level",
    "data cutoff", "median follow-up", "press conference", "annual meeting", "New England Journal",
    "The Lancet", "Journal of Clinical Oncology", "Blood", "health system", "list price",
)


@dataclass(frozen=True, slots=True)
class OutletRow:
    domain: str
    name: str
    source_type: str
    country: str


def vocabulary(tail: int = 150_000, seed: int = 7) -> tuple[list[str], list[float]]:
    """Words and phrases, most frequent first, with Zipf cumulative weights (s = 1.2: the ~500
    head words carry about three quarters of the tokens, as in English news).

    The tail is pseudo-words (investigator surnames, places, compound names): rare terms as a
    real news corpus has them. Deterministic for a given seed.
    """
    head = list(dict.fromkeys([*CORE_WORDS.split(), *PHRASES]))
    rng = random.Random(seed)
    onsets = ("b", "br", "c", "ch", "d", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "r", "s",
              "st", "t", "tr", "v", "w", "z")
    vowels = ("a", "e", "i", "o", "u", "ai", "ei", "ou", "ia")
    codas = ("", "n", "r", "s", "l", "m", "t", "nd", "rk", "ck", "sh")
    seen = set(head)
    words = list(head)
    # the function words that glue sentences together go first: they are the most frequent
    glue = ["the", "of", "and", "in", "to", "a", "with", "for", "was", "were", "on", "at", "from",
            "by", "that", "is", "as", "after", "than", "who", "had", "have", "their", "this"]
    words = glue + words
    while len(words) < len(glue) + len(head) + tail:
        w = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                    for _ in range(rng.choice((2, 2, 3))))
        if w not in seen:
            seen.add(w)
            words.append(w.capitalize() if rng.random() < 0.4 else w)
    cum, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank ** 1.2
        cum.append(total)
    return words, cum


def load_outlets(count: int) -> list[OutletRow]:
    """The shipped registry's outlets, then synthetic ones up to ``count``."""
    rows: list[OutletRow] = []
    with (ROOT / "analysis" / "data" / "outlets.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row.get("source_type") and not row.get("alias_of") and "/" not in row["domain"]:
                rows.append(OutletRow(row["domain"], row["outlet"], row["source_type"], row.get("country") or "US"))
    types = ("general news", "general news", "health/medical trade press", "academic/hospital news office",
             "patient advocacy", "aggregator")
    i = 0
    while len(rows) < count:
        i += 1
        rows.append(OutletRow(f"oncnews{i:03d}.example", f"Oncology News {i}", types[i % len(types)], "US"))
    return rows[:count]


def zipf_cum(n: int, s: float) -> list[float]:
    cum, total = [], 0.0
    for rank in range(1, n + 1):
        total += 1.0 / rank ** s
        cum.append(total)
    return cum


def therapy_order() -> list[tuple[str, str]]:
    """(canonical, the name an article mostly uses) in Zipf rank order."""
    therapies = {t.canonical: t for t in all_therapies()}
    ordered = [c for c in THERAPY_ORDER if c in therapies] + [c for c in therapies if c not in THERAPY_ORDER]
    return [(c, therapies[c].short_name or (therapies[c].brands or (c,))[0]) for c in ordered]


class Generator:
    """Deterministic rows for one batch of articles (ids ``first`` .. ``first + n - 1``)."""

    def __init__(self, articles: int, claims: int, seed: int) -> None:
        self.articles, self.claims, self.seed = articles, claims, seed
        self.words, word_cum = vocabulary()
        self._words_np = numpy.array(self.words, dtype=object)
        # A lookup table of 2^24 slots, each word in proportion to its weight (at least one slot):
        # drawing a word is one random index, far cheaper than a search of the cumulative weights.
        weights = numpy.diff(numpy.array([0.0, *word_cum]))
        slots = numpy.maximum(1, numpy.floor(weights / weights.sum() * WORD_TABLE).astype(numpy.int64))
        self._word_table = numpy.repeat(numpy.arange(len(self.words), dtype=numpy.int32), slots)
        self._stream: list[str] = []
        self._cursor = 0
        self.outlets = load_outlets(300)
        self.outlet_cum = zipf_cum(len(self.outlets), 0.9)
        self.therapies = therapy_order()
        self.therapy_cum = zipf_cum(len(self.therapies), 1.2)
        self.names = dict(self.therapies)
        self.trials: dict[str, list[str]] = {}
        for trial in all_trials():
            self.trials.setdefault(trial.therapy, []).append(trial.canonical)
        self.metric_cum = list(_cumsum([m[5] for m in METRICS]))

    def batch(self, index: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
        rng = random.Random(f"{self.seed}:{index}")
        first = index * BATCH + 1
        n = min(BATCH, self.articles - index * BATCH)
        share = self.claims * (index * BATCH + n) // self.articles - self.claims * (index * BATCH) // self.articles
        plans = [self._plan(rng, first + i) for i in range(n)]
        # Every word of the batch in one vectorised draw; sentences take consecutive slices.
        draws = self._word_table[numpy.random.default_rng([self.seed, index]).integers(
            0, len(self._word_table), size=n * 640)]
        self._stream, self._cursor = self._words_np[draws].tolist(), 0
        weights = [p["claim_weight"] for p in plans]
        per_article = [0] * n
        for slot in rng.choices(range(n), weights=weights, k=share):
            per_article[slot] += 1
        articles, claims, links = [], [], []
        for plan, k in zip(plans, per_article, strict=True):
            row, claim_rows = self._article(rng, plan, k)
            articles.append(row)
            claims.extend(claim_rows)
            links.extend((t, plan["id"]) for t in plan["therapies"])
        return articles, claims, links

    def _plan(self, rng: random.Random, article_id: int) -> dict:
        outlet = self.outlets[bisect.bisect(self.outlet_cum, rng.random() * self.outlet_cum[-1])]
        position = (article_id - 1) / max(1, self.articles - 1)
        if rng.random() < 0.12:  # back-filled: an older item crawled late
            position = rng.random() * position
        moment = END - timedelta(days=SPAN_DAYS * (1 - position) + rng.uniform(0, 3), seconds=rng.randint(0, 86_399))
        moment = min(moment, END)
        picks = {self._therapy(rng) for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))}
        generic_only = rng.random() < 0.08
        therapies = () if generic_only else tuple(sorted(picks))
        stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        published = None if rng.random() < 0.03 else stamp
        fetched = (moment + timedelta(hours=rng.randint(0, 30))).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {"id": article_id, "outlet": outlet, "at": moment, "therapies": therapies,
                "kind": _kind_of(outlet.source_type, rng), "published": published, "fetched": fetched,
                "sort_at": published or fetched,
                "claim_weight": 0 if generic_only else rng.choice((0, 1, 2, 3, 4, 6))}

    def _therapy(self, rng: random.Random) -> str:
        return self.therapies[bisect.bisect(self.therapy_cum, rng.random() * self.therapy_cum[-1])][0]

    def _sentence(self, rng: random.Random) -> str:
        size = 8 + int(rng.random() * 17)
        start = self._cursor
        self._cursor += size
        words = self._stream[start:start + size]
        first = words[0]
        words[0] = first[:1].upper() + first[1:]
        return " ".join(words) + "."

    def _article(self, rng: random.Random, plan: dict, k: int) -> tuple[tuple, list[tuple]]:
        names = self.names
        therapies = plan["therapies"]
        target_words = 150 + int(rng.random() * 451)
        claim_sentences = [self._claim_sentence(rng, therapies) for _ in range(k)]
        slots = sorted(rng.sample(range(target_words // 15 + k + 1), k)) if k else []
        parts: list[str] = []
        claim_spans: list[tuple[int, int, tuple]] = []
        offset, words, sentence_no = 0, 0, 0
        pending = list(zip(slots, claim_sentences, strict=True))
        while words < target_words or pending:
            if pending and pending[0][0] <= sentence_no:
                _, (text, claim) = pending.pop(0)
                claim_spans.append((offset, offset + len(text), claim))
            else:
                text = self._sentence(rng)
                if therapies and rng.random() < 0.15:
                    text = f"{names[rng.choice(therapies)]} {text[0].lower()}{text[1:]}"
                elif rng.random() < 0.1:
                    text = f"{text[:-1]} in {2 + int(rng.random() * 399)} patients."
            parts.append(text)
            offset += len(text) + 1
            words += text.count(" ") + 1
            sentence_no += 1
        body = " ".join(parts)
        return self._article_row(rng, plan, body), [
            self._claim_row(plan, claim, body[s:e], s, e) for s, e, claim in claim_spans]

    def _claim_sentence(self, rng: random.Random, therapies: Sequence[str]) -> tuple[str, tuple]:
        names = self.names
        therapy = rng.choice(therapies)
        code, phrase, unit, low, high, _ = METRICS[bisect.bisect(self.metric_cum, rng.random() * self.metric_cum[-1])]
        value = float(rng.randint(low, high)) if unit != "months" else round(rng.uniform(low, high), 1)
        timepoint = rng.choice((12, 24, 36, 60)) if code.endswith("_RATE") and code != "REMISSION_RATE" else None
        trial = rng.choice(self.trials[therapy]) if therapy in self.trials and rng.random() < 0.6 else None
        n = rng.randint(20, 400)
        text = phrase.format(v=f"{value:g}", t=timepoint)
        lead = f"In the {trial} study, " if trial else "In the updated analysis, "
        sentence = (f"{lead}{names[therapy]} {text}." if code == "N_PATIENTS"
                    else f"{lead}{names[therapy]} showed {text} among {n} patients.")
        indication = rng.choice(INDICATIONS) if rng.random() < 0.7 else None
        claim = (therapy, trial, indication, code, value, unit, timepoint, n if unit == "%" else None,
                 round(rng.uniform(0.55, 1.0), 2))
        return sentence, claim

    def _article_row(self, rng: random.Random, plan: dict, body: str) -> tuple:
        outlet: OutletRow = plan["outlet"]
        article_id, at = plan["id"], plan["at"]
        kind = plan["kind"]
        names = self.names
        subject = names[plan["therapies"][0]] if plan["therapies"] else "CAR-T"
        title = (f"{subject} {rng.choice(TITLE_VERBS)} {rng.choice(TITLE_OBJECTS)} "
                 f"{rng.choice(self.words[:400])} {article_id % 97}")
        published, fetched, sort_at = plan["published"], plan["fetched"], plan["sort_at"]
        url = f"https://{outlet.domain}/{at:%Y/%m}/{title_key(title).replace(' ', '-')[:60]}-{article_id}"
        digest = hashlib.sha256(f"{title}\x00{body}\x00".encode()).hexdigest()
        authors = json.dumps([f"{rng.choice(self.words[400:4000]).capitalize()} {rng.choice(SURNAMES)}"]) \
            if rng.random() < 0.6 else None
        summary = body[: body.find(".", 80) + 1 or 160] if rng.random() < 0.7 else None
        return (article_id, url, url, title, body, summary, kind, _source_name(kind, outlet), outlet.domain,
                outlet.name, published, sort_at, fetched, fetched, "en", authors,
                f"10.5555/bench.{article_id}" if kind in ("paper", "preprint") else None,
                str(30_000_000 + article_id) if kind == "paper" else None,
                f"NCT{article_id:08d}" if kind == "trial" else None,
                title_key(title), digest, outlet.source_type,
                "manufacturer" if kind == "press_release" else rng.choice(("independent", "independent", "quotes_manufacturer")),
                int(any(c in body for c in (" response", " survival"))), int("syndrome" in body))

    def _claim_row(self, plan: dict, claim: tuple, sentence: str, start: int, end: int) -> tuple:
        therapy, trial, indication, code, value, unit, timepoint, denominator, confidence = claim
        outlet: OutletRow = plan["outlet"]
        return (plan["id"], therapy, trial, indication, code, value, unit, 0, timepoint, None, None, denominator,
                None, sentence, start, end, confidence, plan["published"], plan["sort_at"], outlet.domain,
                outlet.source_type, plan["kind"], plan["fetched"])


TITLE_VERBS = ("shows", "posts", "extends", "delivers", "wins", "faces", "keeps", "confirms", "reports")
TITLE_OBJECTS = ("durable responses in", "longer survival in", "FDA nod for", "safety signal in",
                 "five-year data on", "real-world results in", "label expansion for", "price scrutiny over")
SURNAMES = ("Smith", "Chen", "Garcia", "Patel", "Kim", "Nguyen", "Müller", "Rossi", "Okafor", "Cohen",
            "Tanaka", "Silva", "Novak", "Haddad", "Larsen", "Singh", "Moreau", "Kowalski")


def _kind_of(source_type: str, rng: random.Random) -> str:
    if source_type == "peer-reviewed journal":
        return "paper"
    if source_type == "preprint server":
        return "preprint"
    if source_type in ("press release wire", "manufacturer/company"):
        return "press_release"
    if source_type == "government/regulator":
        return "trial" if rng.random() < 0.5 else "news"
    return "news"


def _source_name(kind: str, outlet: OutletRow) -> str:
    return {"paper": "pubmed", "preprint": "biorxiv", "trial": "ctgov"}.get(kind, f"rss-{outlet.domain}")


def _cumsum(values: Sequence[float]) -> Iterator[float]:
    total = 0.0
    for v in values:
        total += v
        yield total


ARTICLE_COLUMNS = ("id", "canonical_url", "url", "title", "text", "summary", "kind", "source_name",
                   "outlet_domain", "outlet_name", "published_at", "sort_at", "fetched_at", "updated_at",
                   "language", "authors", "doi", "pmid", "nct_id", "title_key", "content_hash", "source_type",
                   "proximity", "reports_efficacy", "reports_safety")
CLAIM_COLUMNS = ("article_id", "therapy", "trial", "indication", "metric", "value", "unit", "not_reached",
                 "timepoint_months", "ci_low", "ci_high", "denominator", "followup_months", "sentence", "start",
                 '"end"', "confidence", "published_at", "sort_at", "outlet_domain", "source_type", "article_kind",
                 "extracted_at")

_GENERATOR: Generator | None = None


def _init_worker(articles: int, claims: int, seed: int) -> None:
    global _GENERATOR
    _GENERATOR = Generator(articles, claims, seed)


def _work(index: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
    assert _GENERATOR is not None
    return _GENERATOR.batch(index)



def build(out: Path, articles: int, claims: int, workers: int, seed: int) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    open_db(out).conn.close()  # the project's schema: migrations, FTS5 table and triggers
    conn = sqlite3.connect(out, isolation_level=None)
    saved = _drop_for_load(conn)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-2000000", "temp_store=MEMORY",
                   "foreign_keys=OFF"):
        conn.execute(f"PRAGMA {pragma}")
    _seed_small_tables(conn)
    say(f"schema ready; loading {articles:,} articles / {claims:,} claims with {workers} worker(s)")
    counts = _load(conn, articles, claims, workers, seed)
    load_s = time.perf_counter() - started
    say(f"rows loaded in {load_s:.0f}s: {counts[0]:,} articles, {counts[1]:,} claims, {counts[2]:,} article_therapies "
        f"({sum(counts) / load_s:,.0f} rows/s)")
    _restore(conn, saved)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    total = time.perf_counter() - started
    size = out.stat().st_size
    say(f"done in {total:.0f}s ({sum(counts) / total:,.0f} rows/s overall); {out} is {size / 1e9:.2f} GB")


def _drop_for_load(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """Drop the triggers (FTS indexes, coverage totals) and the claims/article_therapies secondary
    indexes; return their SQL."""
    saved = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ("
        "(type = 'trigger' AND tbl_name IN ('articles', 'article_therapies')) OR "
        "(type = 'index' AND tbl_name IN ('claims', 'article_therapies')))").fetchall()
    for kind, name, _ in saved:
        conn.execute(f'DROP {kind.upper()} "{name}"')
    return saved


def _restore(conn: sqlite3.Connection, saved: list[tuple[str, str, str]]) -> None:
    t0 = time.perf_counter()
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('rebuild')")
    say(f"FTS index rebuilt in {time.perf_counter() - t0:.0f}s")
    t0 = time.perf_counter()
    for kind, _, sql in saved:
        if kind == "index":
            conn.execute(sql)
    say(f"claims / article_therapies indexes created in {time.perf_counter() - t0:.0f}s")
    t0 = time.perf_counter()
    fill(conn)  # the migration's own backfill: time-keyed search index and coverage totals
    say(f"articles_search and the coverage totals filled in {time.perf_counter() - t0:.0f}s")
    for kind, _, sql in saved:
        if kind == "trigger":
            conn.execute(sql)
    restored = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    missing = [name for _, name, _ in saved if name not in restored]
    if missing:
        raise RuntimeError(f"not restored: {missing}")


def _seed_small_tables(conn: sqlite3.Connection) -> None:
    outlets = load_outlets(300)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO outlets(domain, name, source_type, country, verified_at) VALUES (?, ?, ?, ?, ?)",
                     [(o.domain, o.name, o.source_type, o.country, "2026-11-24") for o in outlets])
    rng = random.Random(11)
    leans = ("Left", "Lean Left", "Center", "Lean Right", "Right")
    ratings = []
    for o in outlets[::2]:
        for rater in ("allsides", "mbfc"):
            lean = rng.choice(leans)
            ratings.append((o.domain, rater, "lean", lean, lean, "2026-11-01", "bench", "2026-11-24T00:00:00Z"))
    conn.executemany("INSERT INTO ratings(domain, rater, dimension, value, raw_value, rated_at, origin, imported_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ratings)
    conn.execute("COMMIT")


def _load(conn: sqlite3.Connection, articles: int, claims: int, workers: int, seed: int) -> tuple[int, int, int]:
    article_sql = f"INSERT INTO articles({', '.join(ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})"
    claim_sql = f"INSERT INTO claims({', '.join(CLAIM_COLUMNS)}) VALUES ({', '.join('?' * len(CLAIM_COLUMNS))})"
    batches = range((articles + BATCH - 1) // BATCH)
    links: list[tuple[str, int]] = []
    n_articles = n_claims = 0
    t0 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers, _init_worker, (articles, claims, seed)) as pool:
        conn.execute("BEGIN")
        for i, (a_rows, c_rows, l_rows) in enumerate(pool.imap(_work, batches, chunksize=1), start=1):
            conn.executemany(article_sql, a_rows)
            conn.executemany(claim_sql, c_rows)
            links.extend(l_rows)
            n_articles += len(a_rows)
            n_claims += len(c_rows)
            if i % 20 == 0:
                conn.execute("COMMIT")
                conn.execute("BEGIN")
                rate = n_articles / (time.perf_counter() - t0)
                say(f"  {n_articles:,} articles, {n_claims:,} claims ({rate:,.0f} articles/s)")
        conn.execute("COMMIT")
    links.sort()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO article_therapies(therapy, article_id) VALUES (?, ?)", links)
    conn.execute("COMMIT")
    return n_articles, n_claims, len(links)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=None, help="default: 3 per article")
    parser.add_argument("--out", type=Path, default=Path("/tmp/cartwatch-big.db"))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                        help="generator processes (the main process writes; generation is the bottleneck)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    say(f"machine: nproc={os.cpu_count()}, sqlite {sqlite3.sqlite_version}")
    build(args.out, args.articles, args.claims if args.claims is not None else 3 * args.articles,
          args.workers, args.seed)


if __name__ == "__main__":
    main()
