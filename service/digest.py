"""Building the digest from the database (the API, the CLI and the alert jobs share it), writing it
for people (``digest_text``), and a therapy's new claims for its Atom feed (``therapy_claims_since``)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any, Literal

from analysis.consistency import evidence_of
from analysis.digest import figure, group_claims, render_markdown, render_text
from analysis.model.results import Digest, DigestClaim, DigestStory
from service.views import stories_coverage
from store.claims import new_claims
from store.stories import new_stories

MAX_STORIES = 200
MAX_CLAIMS = 500


def build_digest(conn: sqlite3.Connection, *, since: str, until: str, base_url: str,
                 rater: str | None = None) -> Digest:
    """Stories created and claims extracted in ``[since, until)``; links point under ``base_url``."""
    stories = new_stories(conn, since=since, until=until, limit=MAX_STORIES)
    found, _ = stories_coverage(conn, stories, rater)
    digest_stories = tuple(DigestStory(
        id=f.story["id"], title=f.story["title"], created_at=f.story["created_at"],
        last_seen_at=f.story["last_seen_at"], therapies=tuple(f.story["therapies"]),
        article_count=f.details.article_count, outlet_count=f.details.outlet_count,
        lean={b.label: b.count for b in f.details.lean.buckets} | {"unrated": f.details.lean.unrated},
        blindspot=f.story["blindspot"], url=f"{base_url.rstrip('/')}/story/{f.story['id']}",
    ) for f in found)
    claims = [digest_claim(row) for row in new_claims(conn, since=since, until=until, limit=MAX_CLAIMS)]
    return Digest(since=since, until=until, stories=digest_stories, therapies=group_claims(claims))


def digest_claim(row: dict[str, Any]) -> DigestClaim:
    return DigestClaim(
        id=row["id"], therapy=row["therapy"], trial=row["trial"], metric=row["metric"], value=row["value"],
        unit=row["unit"], not_reached=bool(row["not_reached"]), timepoint_months=row["timepoint_months"],
        followup_months=row["followup_months"], evidence=evidence_of(row["article_kind"], row["source_type"]),
        outlet_domain=row["outlet_domain"], published_at=row["published_at"], sentence=row["sentence"],
        article_title=row.get("article_title"), article_url=row.get("article_url"))



def digest_text(digest: Digest, form: Literal["text", "markdown"] = "text") -> str:
    """The digest as people read it: plain text (the e-mail, the terminal) or Markdown."""
    return render_markdown(digest) if form == "markdown" else render_text(digest)


@dataclass(frozen=True, slots=True)
class FeedClaim:
    claim: DigestClaim
    figure: str  # the claim's figure in words: "12-month Progression-free survival 75.9%"
    article_id: int
    extracted_at: str


def therapy_claims_since(conn: sqlite3.Connection, *, therapy: str, since: str, limit: int = 100) -> list[FeedClaim]:
    """A therapy's claims extracted since ``since``, newest first (its Atom feed)."""
    found = []
    for row in new_claims(conn, since=since, therapy=therapy, limit=limit):
        claim = digest_claim(row)
        found.append(FeedClaim(claim, figure(claim), row["article_id"], row["extracted_at"]))
    return found
