"""Ingest cost as the database grows: synthetic articles through the real write path.

Every article goes through ``service.ingest`` (analyse → article → claims → copies → story → counts,
committed per batch as the crawler does), into a fresh database built by ``store.db.open_db``. So the
file has what a crawl leaves: stories, story keys, story outlets, copy keys, FTS rows, claims.

The articles are synthetic but shaped like a crawl of CAR-T coverage (``generate``):

- events at a steady rate (about 50 articles a day, so N articles cover N / 50 days from 2021 on):
  one product (Zipf: cilta-cel and axi-cel the most common) with one of its trials or none, one kind
  (approval, readout, safety action, business, access), reported by 1-25 outlets (Zipf) within 0-4
  days, as news, press releases and papers (with DOIs), 5% in Spanish;
- texts of 120-450 words: a lead naming the product, trial and event, 0-4 sentences with outcome
  figures that the claims extractor reads, and filler drawn from a Zipf vocabulary (the one of
  ``bench/build_big_db.py``), so two outlets' reports of one event share facts but few word runs;
- syndicated copies: 12% of an event's reports reprint its first report with a credit line;
- crawl order: by publication time plus a lag of hours, and 3% back-filled papers published
  30-700 days before the crawl reached them.

It prints, for each tenth of the run, the CPU per article of the whole ingest and of its write part
(ingest minus ``analyse``), then peak RSS, bytes written per article (``/proc/self/io``) and their
ratio to the article's own text, storage per article (with the story tables' share, from
``dbstat``), and the story-size distribution: largest story, largest span, stories spanning more
than the window. ``--profile`` prints cProfile's top functions for the last tenth.

    .venv/bin/python bench/ingest_scale.py --articles 10000
    nohup .venv/bin/python bench/ingest_scale.py --articles 100000 --out /tmp/ingest-100k.db > /tmp/ingest-100k.txt &
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import heapq
import io
import os
import pstats
import random
import resource
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import service.ingest as ingest_module  # noqa: E402
from bench.report import code_state, say  # noqa: E402
from analysis.model import Article  # noqa: E402
from analysis.outlets import OutletRegistry  # noqa: E402
from analysis.therapies import all_trials  # noqa: E402
from build_big_db import load_outlets, therapy_order, vocabulary, zipf_cum  # noqa: E402
from service.ingest import STORY_WINDOW_DAYS, IngestItem, ingest_batch  # noqa: E402
from store import Store  # noqa: E402

START = datetime(2021, 1, 4, 6, tzinfo=UTC)
PER_DAY = 50
BATCH = 200
KINDS = ("readout", "readout", "readout", "approval", "safety", "business", "access")
TITLES = {
    "readout": ("{p} {t} data show durable responses in {i}", "Updated {t} results for {p} in {i}",
                "{p} keeps patients in remission: {t} follow-up", "New {p} analysis from {t} presented"),
    "approval": ("FDA approves {p} for {i}", "{p} wins approval in earlier {i} line",
                 "Regulators clear {p} for {i}", "European panel backs {p} for {i}"),
    "safety": ("FDA adds boxed warning to {p} label", "Patient death prompts clinical hold on {p} study",
               "{p} label updated over secondary cancers"),
    "business": ("{c} reports {p} sales rise in quarter", "{c} expands {p} manufacturing plant",
                 "{c} signs deal to supply {p}"),
    "access": ("Hospital treats first patient with {p}", "{p} now available at new treatment centre",
               "Insurer widens coverage of {p}"),
}
SPANISH = {
    "readout": "Nuevos datos de {p} en {i} muestran remisiones duraderas",
    "approval": "La FDA aprueba {p} para pacientes con {i}",
    "safety": "Advertencia de seguridad para {p} tras nuevos casos",
    "business": "{c} aumenta las ventas de {p}",
    "access": "Hospital realiza el primer tratamiento con {p}",
}
INDICATIONS = ("multiple myeloma", "large B-cell lymphoma", "follicular lymphoma", "mantle cell lymphoma",
               "acute lymphoblastic leukemia", "chronic lymphocytic leukemia", "lupus")
CLAIMS = ("the overall response rate was {a}% and {b}% of patients had a complete response",
          "median progression-free survival was {m} months at a median follow-up of {f} months",
          "cytokine release syndrome occurred in {a}% of patients, grade 3 or higher in {s}%",
          "neurotoxicity was reported in {s}% of the {n} patients treated",
          "the {y}-year overall survival rate was {b}%")


@dataclass(frozen=True, slots=True)
class Event:
    number: int
    at: datetime
    therapy: str
    name: str
    trial: str | None
    kind: str
    indication: str
    company: str
    reports: int


class Generator:
    """A deterministic stream of articles in crawl order (see the module docstring)."""

    def __init__(self, seed: int = 14) -> None:
        self.seed = seed
        self.words, cum = vocabulary(tail=30_000, seed=seed)
        self.word_cum = cum
        self.outlets = [o for o in load_outlets(300) if o.source_type != "peer-reviewed journal"]
        self.journals = [o for o in load_outlets(300) if o.source_type == "peer-reviewed journal"] or self.outlets
        self.outlet_cum = zipf_cum(len(self.outlets), 0.9)
        self.therapies = therapy_order()
        self.therapy_cum = zipf_cum(len(self.therapies), 1.2)
        self.trials: dict[str, list[str]] = {}
        for trial in all_trials():
            self.trials.setdefault(trial.therapy, []).append(trial.canonical)
        self.report_cum = zipf_cum(25, 1.3)

    def articles(self, count: int) -> Iterator[tuple[datetime, Article]]:
        """(crawl time, article) for ``count`` articles, in crawl order."""
        rng = random.Random(self.seed)
        pending: list[tuple[datetime, int, Article]] = []
        made = event_no = serial = 0
        day = START
        while made < count:
            today = 0
            while today < PER_DAY:
                event_no += 1
                event = self._event(rng, event_no, day)
                for at, article in self._reports(rng, event):
                    serial += 1
                    today += 1
                    heapq.heappush(pending, (at, serial, article))
            end = day + timedelta(days=1)
            while pending and pending[0][0] < end and made < count:
                at, _, article = heapq.heappop(pending)
                made += 1
                if rng.random() < 0.03:
                    article = self._backfill(rng, at, made)
                yield at + timedelta(hours=rng.randint(1, 12)), article
            day = end

    def _event(self, rng: random.Random, number: int, day: datetime) -> Event:
        therapy, name = self.therapies[bisect.bisect(self.therapy_cum, rng.random() * self.therapy_cum[-1])]
        trials = self.trials.get(therapy, [])
        trial = rng.choice(trials) if trials and rng.random() < 0.6 else None
        reports = 1 + bisect.bisect(self.report_cum, rng.random() * self.report_cum[-1])
        at = day + timedelta(seconds=rng.randint(0, 86_399))
        return Event(number, at, therapy, name, trial, rng.choice(KINDS), rng.choice(INDICATIONS),
                     name.split()[0].capitalize() + " Bio", reports)

    def _reports(self, rng: random.Random, event: Event) -> Iterator[tuple[datetime, Article]]:
        first: Article | None = None
        for i in range(event.reports):
            at = event.at + timedelta(hours=rng.uniform(0, 96) if i else 0)
            outlet = self.outlets[bisect.bisect(self.outlet_cum, rng.random() * self.outlet_cum[-1])]
            stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
            url = f"https://{outlet.domain}/{at:%Y/%m}/e{event.number}-{i}"
            if first is not None and rng.random() < 0.12:  # a syndicated copy of the first report
                text = f"{first.text} This story was provided by {first.outlet_domain}."
                yield at, Article(url, url, first.title, text, "bench", outlet.domain, kind="news",
                                  published_at=stamp, language=first.language, therapies=first.therapies)
                continue
            spanish = rng.random() < 0.05
            kind = "press_release" if i == 0 and rng.random() < 0.2 else "news"
            title = self._title(rng, event, spanish)
            article = Article(url, url, title, self._text(rng, event, spanish), "bench", outlet.domain,
                              kind=kind, published_at=stamp, language="es" if spanish else "en",
                              therapies=(event.therapy,))
            first = first or article
            yield at, article

    def _backfill(self, rng: random.Random, crawled: datetime, serial: int) -> Article:
        """A paper published 30-700 days before the crawl reached it."""
        journal = rng.choice(self.journals)
        event = self._event(rng, -serial, crawled - timedelta(days=rng.randint(30, 700)))
        event = Event(event.number, event.at, event.therapy, event.name, event.trial, "readout",
                      event.indication, event.company, 1)
        url = f"https://{journal.domain}/doi/10.9999/bench.{serial}"
        return Article(url, url, self._title(rng, event, False), self._text(rng, event, False), "bench",
                       journal.domain, kind="paper", published_at=event.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       language="en", doi=f"10.9999/bench.{serial}", therapies=(event.therapy,))

    def _title(self, rng: random.Random, event: Event, spanish: bool) -> str:
        template = SPANISH[event.kind] if spanish else rng.choice(TITLES[event.kind])
        title = template.format(p=event.name, t=event.trial or "pivotal", i=event.indication, c=event.company)
        return f"{title} ({self._word(rng)})" if rng.random() < 0.3 else title

    def _text(self, rng: random.Random, event: Event, spanish: bool) -> str:
        trial = f" in the {event.trial} trial" if event.trial else ""
        if spanish:
            lead = (f"La terapia CAR-T {event.name}{trial} fue noticia esta semana en pacientes con "
                    f"{event.indication}, según informaron los investigadores.")
        else:
            lead = (f"{event.name}, a CAR T-cell therapy from {event.company}, made news{trial} for patients with "
                    f"{event.indication} this week, according to a statement.")
        parts = [lead]
        if event.kind == "readout":
            for template in rng.sample(CLAIMS, rng.randint(1, 4)):
                figure = template.format(a=rng.randint(40, 98), b=rng.randint(20, 85), m=rng.randint(6, 40),
                                         f=rng.randint(12, 60), s=rng.randint(1, 15), n=rng.randint(20, 400),
                                         y=rng.choice((2, 3, 5)))
                parts.append(f"In {event.trial or 'the study'}, {figure}.")
        words = sum(p.count(" ") + 1 for p in parts)
        target = rng.randint(120, 450)
        while words < target:
            size = rng.randint(8, 24)
            sentence = rng.choices(self.words, cum_weights=self.word_cum, k=size)
            parts.append(" ".join(sentence).capitalize() + ".")
            words += size
        return " ".join(parts)

    def _word(self, rng: random.Random) -> str:
        return rng.choices(self.words, cum_weights=self.word_cum, k=1)[0]




def written_bytes() -> int:
    """Bytes this process caused to be written to storage (0 where /proc/self/io is absent)."""
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


class AnalyseClock:
    """CPU spent in ``analyse`` (wrapped where ``service.ingest`` calls it), to split off the write part."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.original = ingest_module.analyse

    def __enter__(self) -> AnalyseClock:
        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.process_time()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.seconds += time.process_time() - started
        ingest_module.analyse = timed
        return self

    def __exit__(self, *exc: object) -> None:
        ingest_module.analyse = self.original


def story_figures(path: Path) -> dict[str, float]:
    conn = sqlite3.connect(path)
    try:
        total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        stories, largest, span, over = conn.execute(
            "SELECT count(*), max(article_count), max(julianday(last_seen_at) - julianday(first_seen_at)), "
            "sum(julianday(last_seen_at) - julianday(first_seen_at) > ?) FROM stories",
            [STORY_WINDOW_DAYS + 1e-6]).fetchone()
        sizes = [r[0] for r in conn.execute("SELECT count(*) FROM articles GROUP BY story_id ORDER BY 1 DESC")]
        top6 = sum(sizes[:6])
        checked = conn.execute(
            "SELECT max(julianday(max_at) - julianday(min_at)) FROM (SELECT min(sort_at) AS min_at, "
            "max(sort_at) AS max_at FROM articles WHERE story_id IS NOT NULL GROUP BY story_id)").fetchone()[0]
        try:
            tables = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        except sqlite3.OperationalError:
            tables = {}
    finally:
        conn.close()
    story_bytes = sum(v for k, v in tables.items() if k.startswith(("story_", "sqlite_autoindex_story", "idx_story")))
    return {"articles": total, "stories": stories, "largest": largest or 0, "span": span or 0.0,
            "span_articles": checked or 0.0, "over": over or 0, "top6_share": top6 / max(total, 1),
            "median": sizes[len(sizes) // 2] if sizes else 0, "story_bytes": story_bytes,
            "db_bytes": sum(tables.values())}


def run(count: int, out: Path, *, profile: bool, batch: int) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    say(f"machine: nproc={os.cpu_count()}, load average {os.getloadavg()[0]:.2f}; {code_state()}; "
        f"{count:,} articles into {out}, committed every {batch}")
    store = Store.open(out)
    registry = OutletRegistry.load_default()
    tenth = max(1, count // 10)
    profiler = cProfile.Profile() if profile else None
    text_bytes = done = 0
    totals = {"cpu": 0.0, "analyse": 0.0, "written": 0}
    say(f"{'tenth':>5} {'articles':>9} {'ms CPU/article':>14} {'write part':>10} {'KB written/article':>18}")
    generator = Generator()
    with AnalyseClock() as clock:
        stream = generator.articles(count)
        while done < count:
            part_cpu = 0.0
            analyse_before, written_before = clock.seconds, written_bytes()
            part = 0
            while part < tenth and done < count:
                chunk = [next(stream) for _ in range(min(batch, tenth - part, count - done))]
                text_bytes += sum(len(a.text.encode()) for _, a in chunk)
                last_tenth = done + len(chunk) > count - tenth
                if profiler and last_tenth:
                    profiler.enable()
                started = time.process_time()
                ingest_batch(store, [IngestItem(a) for _, a in chunk], registry=registry, now=chunk[-1][0])
                part_cpu += time.process_time() - started
                if profiler and last_tenth:
                    profiler.disable()
                part += len(chunk)
                done += len(chunk)
            analysed = clock.seconds - analyse_before
            written = written_bytes() - written_before
            totals["cpu"] += part_cpu
            totals["analyse"] += analysed
            totals["written"] += written
            say(f"{done * 10 // count:5d} {done:9,d} {part_cpu / part * 1000:14.2f} "
                f"{(part_cpu - analysed) / part * 1000:10.2f} {written / part / 1024:18.1f}")
    store.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = sum(Path(f"{out}{s}").stat().st_size for s in ("", "-wal") if Path(f"{out}{s}").exists())
    figures = story_figures(out)
    say(f"whole run: {totals['cpu'] / count * 1000:.2f} ms CPU per article "
        f"({(totals['cpu'] - totals['analyse']) / count * 1000:.2f} ms of it writing)")
    say(f"peak RSS {rss:.0f} MB")
    say(f"written {totals['written'] / count / 1024:.1f} KB per article "
        f"({totals['written'] / max(text_bytes, 1):.1f}x the article texts' bytes)")
    say(f"storage {size / count / 1024:.2f} KB per article ({size / 2**20:.1f} MB); story tables and indexes "
        f"{figures['story_bytes'] / max(figures['db_bytes'], 1):.1%} of it")
    say(f"stories {figures['stories']:,}: median {figures['median']} articles, largest {figures['largest']}, "
        f"six largest hold {figures['top6_share']:.1%} of articles; largest span {figures['span']:.2f} days "
        f"(by its articles' dates {figures['span_articles']:.2f}); {figures['over']} spanning more than "
        f"{STORY_WINDOW_DAYS} days")
    say(f"load average at end {os.getloadavg()[0]:.2f}; {code_state()}")
    if profiler:
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(35)
        say("\ncProfile of the last tenth (cumulative):")
        say(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/cartwatch-ingest.db"))
    parser.add_argument("--batch", type=int, default=BATCH, help="articles per commit")
    parser.add_argument("--profile", action="store_true", help="cProfile the last tenth")
    args = parser.parse_args(argv)
    if args.articles < 10 or args.batch < 1:
        sys.stderr.write("ingest_scale: --articles must be at least 10 and --batch at least 1\n")
        return 2
    run(args.articles, args.out, profile=args.profile, batch=args.batch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
