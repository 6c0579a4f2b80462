"""Atom 1.0 documents (RFC 4287), built with ElementTree so every text is XML-escaped.

Characters XML 1.0 forbids (control characters that may sit in a crawled title) are dropped
first: ElementTree escapes ``<`` and ``&`` but would write a raw U+0001 and break the feed.
``story_entries`` and ``claim_entries`` turn the digest's stories and a therapy's new claims into
feed entries.
"""

from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.model.results import Digest
from service.digest import therapy_claims_since

ATOM = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    updated: str
    link: str
    summary: str


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def atom_feed(*, feed_id: str, title: str, self_link: str, alternate: str, updated: str,
              entries: Sequence[Entry]) -> bytes:
    """An Atom feed; ``updated`` and entry times are RFC 3339 (``2026-11-24T12:00:00Z``)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    _text(feed, "updated", updated)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "cartwatch")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=xml_text(self_link), type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=xml_text(alternate), type="text/html")
    for entry in entries:
        node = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(node, "id", entry.id)
        _text(node, "title", entry.title)
        _text(node, "updated", entry.updated)
        ET.SubElement(node, f"{{{ATOM}}}link", rel="alternate", href=xml_text(entry.link), type="text/html")
        _text(node, "summary", entry.summary).set("type", "text")
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    node.text = xml_text(text)
    return node


def story_entries(digest: Digest) -> list[Entry]:
    return [Entry(id=f"tag:cartwatch,2026:story/{s.id}", title=s.title, updated=s.last_seen_at, link=s.url,
                  summary=f"{s.article_count} articles from {s.outlet_count} outlets. Lean of outlets: "
                          + (", ".join(f"{k} {v}" for k, v in s.lean.items() if v) or "none rated")
                          + (f". Blindspot: {s.blindspot}." if s.blindspot else "."))
            for s in digest.stories]


def claim_entries(conn: sqlite3.Connection, *, therapy: str, since: str, base_url: str) -> list[Entry]:
    entries = []
    for found in therapy_claims_since(conn, since=since, therapy=therapy, limit=100):
        claim = found.claim
        link = claim.article_url if (claim.article_url or "").startswith(("http://", "https://")) else \
            f"{base_url.rstrip('/')}/articles/{found.article_id}"
        entries.append(Entry(
            id=f"tag:cartwatch,2026:claim/{claim.id}", updated=found.extracted_at, link=link or "",
            title=f"{claim.trial or 'unknown trial'}: {found.figure} ({claim.outlet_domain})",
            summary=f"{claim.sentence} [{claim.evidence}; {claim.article_title or ''}]"))
    return entries
