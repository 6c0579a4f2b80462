"""The speed work on the claims extractor may not change a single claim.

tests/data/claims_golden_sample.json holds texts (the annotated set, the fixture pages' extracted
text, synthetic long news articles from bench/claims_speed.py, hand-written edge cases for the cheap
gates) with the claims the extractor produced *before* any speed work. It is never regenerated from
newer code: a difference here is a behaviour change, not a stale file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analysis.claims import claim_to_dict, extract_claims

SAMPLE = Path(__file__).resolve().parent / "data" / "claims_golden_sample.json"
ROWS: list[dict[str, Any]] = json.loads(SAMPLE.read_text(encoding="utf-8"))["texts"]


def test_sample_covers_every_kind_of_text() -> None:
    kinds = {row["id"].split("/")[0] for row in ROWS}
    assert kinds == {"eval", "page", "synthetic", "edge"}
    assert sum(len(row["claims"]) for row in ROWS) > 400


@pytest.mark.parametrize("kind", ["eval", "page", "synthetic", "edge"])
def test_claims_identical_to_the_pre_speed_extractor(kind: str) -> None:
    rows = [row for row in ROWS if row["id"].startswith(kind + "/")]
    different = [row["id"] for row in rows
                 if [claim_to_dict(c) for c in extract_claims(row["text"])] != row["claims"]]
    assert different == []
