"""Articles: the upsert of one article (keyed on canonical URL, DOI, PMID, NCT id or a headline's
title), in the caller's transaction (``Store.save_article``).

A known article is updated in place, keeping its id: its content is replaced only by a newer copy
of the same page, or when full text replaces a headline-only record; a record of the same paper
from another source fills blanks only, so two sources of one paper do not overwrite each other.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlite_utils

from analysis.model import Article


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def title_key(title: str) -> str:
    return re.sub(r"[^\w]+", " ", title.casefold()).strip()


def find_existing(db: sqlite_utils.Database, article: Article) -> dict[str, Any] | None:
    lookups: list[tuple[str, object]] = [("canonical_url = ?", article.canonical_url)]
    lookups += [(f"{col} = ?", val) for col, val in
                (("doi", article.doi), ("pmid", article.pmid), ("nct_id", article.nct_id)) if val]
    lookups.append(("title_key = ? AND outlet_domain = ? AND (kind = 'headline' OR ? = 'headline')",
                    (title_key(article.title), article.outlet_domain, article.kind)))
    for where, value in lookups:
        params = list(value) if isinstance(value, tuple) else [value]
        rows = list(db.query(f"SELECT * FROM articles WHERE {where} LIMIT 1", params))
        if rows:
            return rows[0]
    return None

def article_row(article: Article, now: datetime) -> dict[str, Any]:
    return {
        "canonical_url": article.canonical_url,
        "url": article.url,
        "title": article.title,
        "text": article.text,
        "summary": article.summary,
        "kind": article.kind,
        "source_name": article.source_name,
        "outlet_domain": article.outlet_domain,
        "outlet_name": article.outlet_name,
        "published_at": article.published_at,
        # One sortable instant per article: when it was published, else when we first saw it.
        "sort_at": article.published_at or iso(now),
        "updated_at": iso(now),
        "language": article.language,
        "authors": json.dumps(list(article.authors)) if article.authors else None,
        "doi": article.doi,
        "pmid": article.pmid,
        "nct_id": article.nct_id,
        "syndicated_from": article.syndicated_from,
        "via": article.via,
        "title_key": title_key(article.title),
        "content_hash": article.content_hash,
        "partial_text": int(article.partial_text),
    }

def insert_article(db: sqlite_utils.Database, article: Article, now: datetime, extras: Mapping[str, Any]) -> int:
    row = article_row(article, now) | dict(extras) | {"fetched_at": iso(now)}
    cursor = db.execute(
        f"INSERT INTO articles({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
        list(row.values()),
    )
    return int(cursor.lastrowid or 0)

def merge_article(db: sqlite_utils.Database, existing: dict[str, Any], article: Article, now: datetime,
                  extras: Mapping[str, Any]) -> tuple[int, str]:
    """Update a known article in place, keeping its id.

    Content is replaced only by a newer copy of the same page, or when full text replaces a
    headline-only record; a match on DOI/PMID/NCT id from another source fills blanks only,
    so two sources of one paper do not overwrite each other on every crawl.
    """
    article_id = int(existing["id"])
    new_row = article_row(article, now)
    same_page = existing["canonical_url"] == article.canonical_url
    upgrade = existing["kind"] == "headline" and article.kind != "headline"
    if (same_page and existing["content_hash"] != article.content_hash and article.kind != "headline") or upgrade:
        changes = new_row | dict(extras)
    else:
        changes = {k: v for k, v in new_row.items()
                   if existing.get(k) in (None, "") and v not in (None, "") and k not in ("canonical_url",)}
        if not changes:
            return article_id, "unchanged"
        changes["updated_at"] = iso(now)
    assignments = ", ".join(f"{col} = ?" for col in changes)
    db.execute(f"UPDATE articles SET {assignments} WHERE id = ?", [*changes.values(), article_id])
    return article_id, "updated"

def replace_therapies(db: sqlite_utils.Database, article_id: int, therapies: Iterable[str]) -> None:
    db.execute("DELETE FROM article_therapies WHERE article_id = ?", [article_id])
    for therapy in sorted(set(therapies)):
        db.execute("INSERT INTO article_therapies(therapy, article_id) VALUES (?, ?)", [therapy, article_id])
