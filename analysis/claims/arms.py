"""Names of comparator arms, one vocabulary for every stage that must not credit an arm's figure to CAR-T.

Pairing drops a value announced for the comparator ("versus SOC (21.5 vs 2.5 months)") and counts drop
an arm's size ("standard of care (n = 211)"); both read the same list, so an arm name learnt once
(DPd, PVd, treatment of physician's choice) is known to both.
"""

from __future__ import annotations

# Regular-expression source (no groups that capture); callers add their own context around it.
COMPARATOR_ARM = (
    r"(?:SOC|standard(?:[\s-]+(?:of[\s-]+care|care|regimens?|therap(?:y|ies)|treatment))?"
    r"|control(?:\s+(?:arm|group))?|placebo|chemo\w*|TPC|BSC|physician\w*(?:'?s\s+choice)?"
    r"|comparator|PVd|DPd|regimens?)"
)
