"""The daily digest: new stories with their coverage and new claims by therapy, as text or Markdown.

Pure formatting: records in, a string out. Markdown output escapes every article-derived text, so
a title like ``<script>`` or ``**bold**`` shows as written in any Markdown renderer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.model.metrics import metric_label
from analysis.model.results import Digest, DigestClaim, DigestTherapy

LEAN_ORDER = ("Left", "Lean Left", "Center", "Lean Right", "Right", "unrated")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~&])")


def figure(claim: DigestClaim) -> str:
    """``Overall response rate 97.9%``, ``12-month Progression-free survival 75.9%``, ``Median
    progression-free survival not reached`` (+ the data cut): names for people, codes stay in the API."""
    if claim.not_reached:
        amount = "not reached"
    elif claim.value is None:
        amount = "(no value)"
    else:
        number = f"{claim.value:g}"
        amount = f"{number}%" if claim.unit == "%" else f"{number} {claim.unit}"
    timepoint = f"{claim.timepoint_months:g}-month " if claim.timepoint_months is not None else ""
    cut = f" (follow-up {claim.followup_months:g} mo)" if claim.followup_months is not None else ""
    return f"{timepoint}{metric_label(claim.metric)} {amount}{cut}"


def lean_line(lean: dict[str, int]) -> str:
    return " · ".join(f"{label} {lean.get(label, 0)}" for label in LEAN_ORDER if lean.get(label, 0))


def render_text(digest: Digest) -> str:
    lines = [f"cartwatch digest {digest.since} → {digest.until}", "",
             f"New stories ({len(digest.stories)})"]
    for s in digest.stories:
        lines.append(f"- {s.title}")
        lines.append(f"  {s.article_count} articles from {s.outlet_count} outlets; lean: {lean_line(s.lean) or 'none rated'}"
                     + (f"; blindspot: {s.blindspot}" if s.blindspot else ""))
        lines.append(f"  {s.url}")
    lines += ["", f"New claims ({sum(len(t.claims) for t in digest.therapies)})"]
    for group in digest.therapies:
        lines.append(f"{group.therapy}:")
        for c in group.claims:
            lines.append(f"- {c.trial or 'unknown trial'}: {figure(c)} [{c.evidence}, {c.outlet_domain}]")
            lines.append(f"  \"{c.sentence}\"")
    return "\n".join(lines) + "\n"


def md(text: str) -> str:
    """Markdown-escape one line of untrusted text."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(digest: Digest) -> str:
    lines = [f"# cartwatch digest {digest.since} → {digest.until}", "",
             f"## New stories ({len(digest.stories)})", ""]
    for s in digest.stories:
        lean = md(lean_line(s.lean)) or "none rated"
        blind = f" · **blindspot: {s.blindspot}**" if s.blindspot else ""
        lines.append(f"- [{md(s.title)}](<{s.url}>) — {s.article_count} articles, "
                     f"{s.outlet_count} outlets; lean: {lean}{blind}")
    lines += ["", f"## New claims ({sum(len(t.claims) for t in digest.therapies)})", ""]
    for group in digest.therapies:
        lines += [f"### {md(group.therapy)}", ""]
        lines += [_claim_md(c) for c in group.claims]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _claim_md(c: DigestClaim) -> str:
    source = md(c.outlet_domain)
    if c.article_url and c.article_url.startswith(("http://", "https://")):
        source = f"[{source}](<{c.article_url.replace('>', '%3E').replace(' ', '%20')}>)"
    return f"- {md(c.trial or 'unknown trial')}: **{md(figure(c))}** ({c.evidence}, {source}) — “{md(c.sentence)}”"


def group_claims(claims: Sequence[DigestClaim]) -> tuple[DigestTherapy, ...]:
    """Claims grouped by therapy (alphabetical), each group in the order given."""
    groups: dict[str, list[DigestClaim]] = {}
    for claim in claims:
        groups.setdefault(claim.therapy, []).append(claim)
    return tuple(DigestTherapy(t, tuple(groups[t])) for t in sorted(groups))
