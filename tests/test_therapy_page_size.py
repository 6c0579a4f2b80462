"""The Therapy page stays small on a large database: thousands of claims of one product across
many trials, metrics and sources give a page under 300 KB, newest data first."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from analysis.model.metrics import METRICS
from tests.seed import CILTA, seeded_client

KINDS = [("paper", "peer-reviewed journal", "nejm.org"), ("news", "general news", "reuters.com"),
         ("press_release", "press release wire", "prnewswire.com"), ("news", "health/medical trade press", "statnews.com")]


def add_claims(db: str, count: int) -> None:
    rng = random.Random(13)
    conn = sqlite3.connect(db)
    article = conn.execute("SELECT id FROM articles ORDER BY id LIMIT 1").fetchone()[0]
    rows = []
    for n in range(count):
        kind, source_type, domain = rng.choice(KINDS)
        metric = rng.choice(METRICS)
        unit = "months" if metric.endswith("_MEDIAN") else "%"
        day = f"20{rng.randint(20, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T00:00:00Z"
        sentence = f"In trial number {n % 40} the {metric} was {n % 97}.{n % 10} {unit} per a long explanatory sentence."
        rows.append((article, CILTA, f"TRIAL-{n % 40}", metric, round(rng.uniform(1, 99), 1), unit,
                     rng.choice([None, 12.0, 24.0]) if unit == "%" else None, rng.choice([None, 18.0, 30.0]),
                     sentence, 0, len(sentence), 0.9, day, day, domain, source_type, kind, day))
    with conn:
        conn.executemany(
            'INSERT INTO claims(article_id, therapy, trial, metric, value, unit, timepoint_months, followup_months, '
            'sentence, start, "end", confidence, published_at, sort_at, outlet_domain, source_type, article_kind, '
            'extracted_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)', rows)
    conn.close()


def test_the_therapy_page_stays_under_300_kb_with_5000_claims(tmp_path: Path) -> None:
    client = seeded_client(tmp_path)
    add_claims(client.app.state.db_path, 5000)
    response = client.get("/therapy/cilta-cel")
    assert response.status_code == 200
    size = len(response.content)
    assert size < 300_000, f"{size:,} bytes"
    html = response.text
    assert html.count('<article class="metric">') == 12  # the groups with the newest data in full
    assert "more trial and metric groups, with older data" in html
    assert html.count('<figure class="chart">') == 10 and "older or of other trials are in the CSV" in html
    assert html.count("<tr class=") == 50  # the latest claims; the rest in the CSV and the API
