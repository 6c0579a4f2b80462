"""The extractor's shortcuts change its time, never its claims: texts run with each shortcut
turned off give the same claims (bench/claims_same.py checks the same against a whole revision)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from analysis.claims import extract
from analysis.claims.attribution import Context
from analysis.therapies import find_names

EVAL = Path(__file__).parent / "fixtures" / "eval" / "claims_eval.jsonl"
PRODUCTS = ["Carvykti (cilta-cel)", "ide-cel", "axi-cel", "Breyanzi", "tisagenlecleucel", "obe-cel"]
FILLER = ["The company said more data would follow.", "Doctors welcomed the results.",
          "The therapy is given once.", "Regulators will review the filing next year."]


def _texts(count: int) -> list[str]:
    """Paragraphs of our own eval sentences, some naming products and some not, so that figures
    are credited by sentence, paragraph, earlier paragraph or text, or not at all."""
    items = [json.loads(line)["text"] for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(20261202)
    texts = []
    for _ in range(count):
        paragraphs = []
        for _ in range(rng.randint(2, 5)):
            lead = [rng.choice(PRODUCTS) + " was the subject of the report."] if rng.random() < 0.4 else []
            body = [rng.choice(items) if rng.random() < 0.6 else rng.choice(FILLER) for _ in range(rng.randint(1, 3))]
            paragraphs.append(" ".join(lead + body))
        texts.append("\n\n".join(paragraphs))
    return texts


REAL = Path(__file__).resolve().parents[2] / "shared" / "domain" / "claims-dev"
# the real passages too, when ../shared is there (read from there, never copied)
TEXTS = _texts(150) + [json.loads(line)["text"] for path in sorted(REAL.glob("*.jsonl")) if REAL.is_dir()
                       for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _all_claims(texts: list[str]) -> list[list[object]]:
    return [extract.extract_claims(text) for text in texts]


def test_skipping_sentences_no_figure_of_which_can_be_credited_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _all_claims(TEXTS)
    monkeypatch.setattr(Context, "attributes_nothing", lambda self, sentence, paragraph: False)
    assert _all_claims(TEXTS) == fast
    assert sum(map(len, fast)) > 100  # the texts do hold claims


def test_leaving_values_alone_in_sentences_without_a_metric_cue_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _all_claims(TEXTS)
    monkeypatch.setattr(extract, "_names_a_metric", lambda cues: True)
    assert _all_claims(TEXTS) == fast


def test_names_found_once_give_the_claims_a_scan_of_the_text_gives() -> None:
    for text in TEXTS[:60]:
        assert extract.extract_claims(text, names=find_names("A headline about Abecma", text)) == \
            extract.extract_claims(text)
