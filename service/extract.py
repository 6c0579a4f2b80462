"""``cartwatch claims extract``: the claims one text yields, as the JSON records other tools read
(field names as in ``analysis.claims.claim_to_dict``). Nothing is stored."""

from __future__ import annotations

from typing import Any

from analysis.claims import claim_to_dict, extract_claims


def claims_of_text(text: str) -> list[dict[str, Any]]:
    return [claim_to_dict(c) for c in extract_claims(text)]
