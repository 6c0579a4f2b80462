"""Outcome claims: text in, ``Claim``s out (shared/domain/CLAIMS-GUIDE.md). Pure, no I/O.

The stages, in the order one sentence passes through them:

- ``units``        paragraphs, sentences, bullets and headline lines: the units claims live in
- ``probe``        which literal words a unit holds, so later stages skip what cannot match
- ``literals``     the literals every match of a pattern holds, read from the pattern: patterns
                   (or alternatives of one) whose literals a text lacks are not run on it
- ``numbers``      numbers, and the ones that are never outcomes (CIs, ranges, HR, P, doses, dates)
- ``timepoints``   landmarks and windows ("2-year", "at month 6") in months
- ``values``       rates, durations and "not reached"
- ``labels``       metric words and their grade qualifiers (one cue per label mention)
- ``pairing``      which label each value belongs to (lists, "respectively", comparators)
- ``counts``       participant counts (N_PATIENTS)
- ``attribution``  product, trial and indication each figure is credited to
- ``extract``      the orchestration above, plus one claim per figure per text
"""

from analysis.claims.extract import PUBLIC_FIELDS, claim_to_dict, extract_article_claims, extract_claims

__all__ = ["PUBLIC_FIELDS", "claim_to_dict", "extract_article_claims", "extract_claims"]
