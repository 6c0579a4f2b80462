"""Skipping a pattern on a text that holds none of its necessary literals (analysis.claims.literals)
changes no match, and the headline shortcut of extract_article_claims changes no claim."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analysis import events
from analysis.claims import attribution, counts, extract, labels, numbers, pairing, timepoints
from analysis.claims.literals import Alternation, Gated, necessary_literals, split_alternatives
from analysis.claims.probe import fold
from analysis.claims.units import split_paragraphs, split_sentences
from analysis.therapies import find_names

EVAL = Path(__file__).parent / "fixtures" / "eval" / "claims_eval.jsonl"
TEXTS = [json.loads(line)["text"] for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
SENTENCES = [s.text for text in TEXTS for p in split_paragraphs(text) for s in split_sentences(text, p)]


def test_necessary_literals_of_alternatives_sequences_and_ignorecase() -> None:
    assert necessary_literals(r"\bpool(?:ed|ing)\b|meta-analys") == {"pooled", "pooling", "meta-analys"}
    # the longest literal of a sequence wins; "[sz]" branches
    assert necessary_literals(r"in\s+line|randomi[sz]ed") == {"line", "randomised", "randomized"}
    # ignore-case: lower-case, and only text that folding leaves as it is
    assert necessary_literals(r"Remisi[oó]n|CRS\b", re.I) == {"remision", "remisi", "crs"}
    assert necessary_literals(r"\d+\s*%|months?") == {"%", "month"}
    assert necessary_literals(r"\d+|months?") is None  # an alternative without literal text
    assert necessary_literals(r"(?i:abc)d") == {"d"}  # an ignore-case part of a case-sensitive pattern


def test_split_alternatives_keeps_groups_and_classes_whole() -> None:
    assert split_alternatives(r"a(?:b|c)|[|]d|e\|f") == ["a(?:b|c)", "[|]d", r"e\|f"]


def _wrapped() -> list[tuple[str, Gated | Alternation]]:
    found: list[tuple[str, Gated | Alternation]] = []
    for module in (attribution, counts, extract, labels, pairing, timepoints):
        for name, value in vars(module).items():
            if isinstance(value, (Gated, Alternation)):
                found.append((f"{module.__name__}.{name}", value))
    found += [(f"cue {i}", pattern) for i, (_, _, pattern, _) in enumerate(labels._COMPILED)
              if isinstance(pattern, Alternation)]
    found += [(f"mask {i} {which}", run) for i, (_, numbered) in enumerate(numbers._MASKS)
              for which, run in (("full", numbered._full), ("digits", numbered._digits)) if isinstance(run, Alternation)]
    return found


@pytest.mark.parametrize(("name", "wrapped"), _wrapped(), ids=[name for name, _ in _wrapped()])
def test_wrapped_patterns_match_as_the_plain_pattern(name: str, wrapped: Gated | Alternation) -> None:
    for sentence in SENTENCES:
        for text in (sentence, fold(sentence)):
            want = [m.span() for m in wrapped.pattern.finditer(text)]
            assert [m.span() for m in wrapped.finditer(text)] == want, (name, text)
            first = wrapped.pattern.search(text, 5)
            got = wrapped.search(text, 5)
            assert (got.span() if got else None) == (first.span() if first else None), (name, text)


def test_the_sentences_exercise_the_wrapped_patterns() -> None:
    matched = skipped = 0
    for _, wrapped in _wrapped():
        for sentence in SENTENCES:
            text = fold(sentence) if isinstance(wrapped, Alternation) else sentence
            matched += any(True for _ in wrapped.pattern.finditer(text))
            skipped += isinstance(wrapped, Gated) and not wrapped.may_match(text)
    assert matched > 500 and skipped > 5000


STORIES = Path(__file__).parent / "fixtures" / "eval" / "stories_eval.jsonl"


def test_gated_event_patterns_find_what_the_plain_ones_find() -> None:
    heads = [f"{item['title']}\n{item.get('text', '')[:600]}" for item in
             (json.loads(line) for line in STORIES.read_text(encoding="utf-8").splitlines() if line.strip())]
    found = 0
    for table in (events._TOPIC_RES, events._COMPANY_RES, events._REGULATOR_RES):
        for name, gated in table.items():
            for head in heads + SENTENCES[:300]:
                want = gated.pattern.search(head)
                got = gated.search(head)
                assert (got.span() if got else None) == (want.span() if want else None), (name, head)
                found += want is not None
    assert found > 50


def test_alternation_runs_only_the_alternatives_whose_literals_occur() -> None:
    alternation = Alternation(r"partial\s+response|hazard|r(?<![\w-].)isk\b")
    assert alternation.for_text("no such words") is None
    sub = alternation.for_text("the hazard of it")
    assert sub is not None and sub.pattern == "hazard"
    assert [m.group() for m in alternation.finditer("a partial response, a risk and a hazard")] == [
        "partial response", "risk", "hazard"]


def test_headline_shortcut_changes_no_claim(monkeypatch: pytest.MonkeyPatch) -> None:
    items = []
    for text in TEXTS:
        cut = re.search(r"[.!?](?=\s+[A-Z])", text)
        if cut is not None:
            items += [(text[: cut.end()], text[cut.end() :].strip()), (text[: cut.end()], text)]
    fast = [extract.extract_article_claims(t, x, names=find_names(t, x)) for t, x in items]
    monkeypatch.setattr(extract, "_headline_may_claim", lambda whole, title_end, context: True)
    assert [extract.extract_article_claims(t, x, names=find_names(t, x)) for t, x in items] == fast
    assert sum(c.part == "title" for claims in fast for c in claims) > 10  # headlines do keep claims
