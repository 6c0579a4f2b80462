"""Claims: keyset listing, claims of given articles, per-therapy summaries and new claims.

Claims carry copies of their article's date, outlet and source type, so claims-by-therapy reads
one index range (``idx_claims_therapy_sort`` or, with a metric, ``idx_claims_therapy``) in
``(sort_at, id)`` order and stops after a page: no join, no count, no sort.

``ClaimTables`` writes them (replacing an article's claims as a whole).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from analysis.model import EVIDENCE_RULES, Claim, EvidenceLevel
from store.db import OnStore, dict_rows, iso
from store.pagination import Page, decode_cursor, encode_cursor

CLAIM_COLUMNS = (
    "c.id, c.article_id, c.therapy, c.trial, c.indication, c.metric, c.value, c.unit, c.not_reached, "
    "c.timepoint_months, c.ci_low, c.ci_high, c.denominator, c.followup_months, c.sentence, c.confidence, c.part, "
    "c.published_at, c.sort_at, c.outlet_domain, c.source_type, c.article_kind, c.extracted_at")


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def evidence_case(kind: str = "c.article_kind", source_type: str = "c.source_type") -> str:
    """``analysis.model.EVIDENCE_RULES`` as one SQL CASE: the same first-match order as
    ``evidence_level``, so a filter and the labels on its rows always agree."""
    whens = []
    for level, kinds, types in EVIDENCE_RULES:
        tests = ([f"{kind} IN ({_quoted(kinds)})"] if kinds else []) + \
            ([f"{source_type} IN ({_quoted(types)})"] if types else [])
        whens.append(f"WHEN {' OR '.join(tests)} THEN '{level.value}'")
    return f"(CASE {' '.join(whens)} ELSE '{EvidenceLevel.NEWS.value}' END)"


EVIDENCE_SQL = {level.value: f"{evidence_case()} = '{level.value}'" for level in EvidenceLevel}


# The therapy summary reads at most this many of a therapy's latest claims.
SUMMARY_WINDOW = 5_000


def list_claims(
    conn: sqlite3.Connection, *, therapy: str | None = None, trial: str | None = None,
    metric: str | None = None, source_type: str | None = None, evidence: str | None = None,
    since: str | None = None, until: str | None = None, limit: int = 50, cursor: str | None = None,
) -> Page:
    """Claims newest first; ``evidence`` is one of ``EVIDENCE_SQL``'s keys."""
    sql, params = claims_sql(therapy=therapy, trial=trial, metric=metric, source_type=source_type,
                             evidence=evidence, since=since, until=until, cursor=cursor)
    rows = dict_rows(conn, sql, [*params, limit + 1])
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, encode_cursor(items[-1]["sort_at"], items[-1]["id"]) if more else None)


def claims_sql(
    *, therapy: str | None = None, trial: str | None = None, metric: str | None = None,
    source_type: str | None = None, evidence: str | None = None, since: str | None = None,
    until: str | None = None, cursor: str | None = None,
) -> tuple[str, list[Any]]:
    """The listing query (its last parameter, the limit, left to the caller), for tests of its plan.
    Each claim comes with its article's title and URL, read by primary key for the rows of the
    page only (claims stay the outer loop: the LEFT JOIN keeps the order)."""
    where: list[str] = []
    params: list[Any] = []
    for clause, value in (("c.therapy = ?", therapy), ("c.trial = ?", trial), ("c.metric = ?", metric),
                          ("c.source_type = ?", source_type), ("c.sort_at >= ?", since),
                          ("c.sort_at < ?", until)):
        if value:
            where.append(clause)
            params.append(value)
    if evidence:
        where.append(EVIDENCE_SQL[evidence])
    if cursor:
        sort_at, claim_id = decode_cursor(cursor)
        where.append("(c.sort_at, c.id) < (?, ?)")
        params += [sort_at, claim_id]
    return (f"SELECT {CLAIM_COLUMNS}, a.title AS article_title, a.url AS article_url FROM claims c "
            f"LEFT JOIN articles a ON a.id = c.article_id{' WHERE ' + ' AND '.join(where) if where else ''} "
            "ORDER BY c.sort_at DESC, c.id DESC LIMIT ?"), params


def claims_of_articles(conn: sqlite3.Connection, article_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Every claim of these articles, in article then text order (``idx_claims_article``)."""
    rows = conn.execute(
        f"SELECT {CLAIM_COLUMNS} FROM claims c WHERE c.article_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY c.article_id, c.start, c.id", [json.dumps(sorted(set(article_ids)))])
    return [dict(r) for r in rows]


def therapy_claims(conn: sqlite3.Connection, therapy: str, *, window: int = SUMMARY_WINDOW) -> list[dict[str, Any]]:
    """The latest ``window`` claims of one therapy, oldest first, with their article's title."""
    rows = conn.execute(
        f"SELECT * FROM (SELECT {CLAIM_COLUMNS} FROM claims c WHERE c.therapy = ? "
        "ORDER BY c.sort_at DESC, c.id DESC LIMIT ?) ORDER BY sort_at, id", [therapy, window])
    items = [dict(r) for r in rows]
    attach_articles(conn, items)
    return items


def new_claims(
    conn: sqlite3.Connection, *, since: str, until: str | None = None, therapy: str | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Claims extracted in ``[since, until)``, newest extraction first."""
    where = ["c.extracted_at >= ?"]
    params: list[Any] = [since]
    if until:
        where.append("c.extracted_at < ?")
        params.append(until)
    if therapy:
        where.append("c.therapy = ?")
        params.append(therapy)
    rows = conn.execute(f"SELECT {CLAIM_COLUMNS} FROM claims c WHERE {' AND '.join(where)} "
                        "ORDER BY c.extracted_at DESC, c.id DESC LIMIT ?", [*params, limit])
    items = [dict(r) for r in rows]
    attach_articles(conn, items)
    return items


def latest_claim_at(conn: sqlite3.Connection, therapy: str) -> str | None:
    """When the newest claim of a therapy was published (one index probe)."""
    row = conn.execute("SELECT max(sort_at) FROM claims WHERE therapy = ?", [therapy]).fetchone()
    return row[0] if row else None


def attach_articles(conn: sqlite3.Connection, items: list[dict[str, Any]]) -> None:
    """Add ``article_title`` and ``article_url`` to claim rows (one query by primary key)."""
    ids = sorted({item["article_id"] for item in items})
    found = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT id, title, url FROM articles WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(ids)])}
    for item in items:
        item["article_title"], item["article_url"] = found.get(item["article_id"], (None, None))


CLAIM_WRITE_COLUMNS = ("therapy", "trial", "indication", "metric", "value", "unit", "not_reached",
                 "timepoint_months", "ci_low", "ci_high", "denominator", "followup_months",
                 "sentence", "start", "end", "confidence", "part")


_CLAIM_INSERT = (
    f"INSERT INTO claims(article_id, {', '.join(f'{chr(34)}{c}{chr(34)}' for c in CLAIM_WRITE_COLUMNS)}, "
    "published_at, sort_at, outlet_domain, source_type, article_kind, extracted_at) "
    f"VALUES (?, {', '.join('?' for _ in CLAIM_WRITE_COLUMNS)}, ?, ?, ?, ?, ?, ?)"
)


class ClaimTables(OnStore):
    """An article's claims and the efficacy / safety flags that follow from them."""

    def replace_claims(self, article_id: int, claims: Iterable[Claim], *, now: datetime) -> int:
        with self.store.transaction():
            self.db.execute("DELETE FROM claims WHERE article_id = ?", [article_id])
            article = self.db.execute(
                "SELECT published_at, sort_at, outlet_domain, source_type, kind FROM articles WHERE id = ?",
                [article_id]).fetchone()
            count = 0
            for claim in claims:
                values = [getattr(claim, c) for c in CLAIM_WRITE_COLUMNS]
                self.db.execute(_CLAIM_INSERT, [article_id, *values, *article, iso(now)])
                count += 1
        return count

    def set_report_flags(self, article_id: int, *, efficacy: bool, safety: bool) -> None:
        self.db.execute("UPDATE articles SET reports_efficacy = ?, reports_safety = ? WHERE id = ?",
                        [int(efficacy), int(safety), article_id])
