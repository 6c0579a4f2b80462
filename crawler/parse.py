"""Bytes in, typed records out: feeds (feedparser) and article pages (trafilatura). No I/O.

Feeds: feedparser gets the bytes plus the response headers, never a URL, so it cannot fetch
anything itself. A feed that parses with soft problems keeps its entries and reports the
problems (like feedparser's ``bozo``); one that yields nothing usable raises ``ParseError``.

Pages: we decode the bytes ourselves (see ``decode_html``), build the tree with trafilatura's own
loader (so the extractor sees exactly the tree it would build itself: its parser drops HTML
comments and processing instructions, which lxml's default parser keeps and which would cut a
paragraph short at an ``<!-- ad -->``), read the identity hints trafilatura does not give back
(rel=canonical, og:url, <html lang>), and hand the same tree to trafilatura for text and metadata.
The text is trafilatura's, untouched but for surrounding whitespace; ``tests/test_parse.py``
holds it to ``trafilatura.extract`` on realistic news pages.
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError
from trafilatura.settings import Document
from trafilatura.utils import load_html

from crawler.errors import ExtractError, ParseError
from crawler.fetch import Fetched

HTML_TYPES = {"text/html", "application/xhtml+xml", ""}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
MIN_TEXT_CHARS = 200


@dataclass(frozen=True, slots=True)
class FeedEntry:
    title: str
    link: str | None
    summary: str | None
    published_at: str | None
    updated_at: str | None
    guid: str | None
    authors: tuple[str, ...]
    source_name: str | None  # RSS <source> / Atom <source>: the publisher, when a feed aggregates
    source_domain: str | None


@dataclass(frozen=True, slots=True)
class FeedResult:
    title: str | None
    entries: list[FeedEntry]
    problems: list[str]


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    title: str
    text: str
    published_at: str | None
    authors: tuple[str, ...]
    site_name: str | None
    canonical_url: str | None
    language: str | None
    description: str | None
    partial: bool = False  # the page says its text is behind a paywall: what we have is a teaser


def iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _struct_to_iso(value: Any) -> str | None:
    if not value:
        return None
    return iso_utc(datetime.fromtimestamp(calendar.timegm(value), tz=UTC))


def clean_text(value: str | None) -> str | None:
    """Plain text from a feed/API field that may hold (double-)escaped HTML; whitespace folded."""
    if not value:
        return None
    # Some feeds double-encode entities (FDA: "&amp;quot;"); unescape until stable.
    for _ in range(3):
        unescaped = html.unescape(value)
        if unescaped == value:
            break
        value = unescaped
    text = lxml_html.fromstring(f"<div>{value}</div>").text_content() if "<" in value else value
    return re.sub(r"\s+", " ", text).strip() or None


def parse_feed(fetched: Fetched) -> FeedResult:
    headers = {"content-type": fetched.headers.get("content-type", "application/xml")}
    parsed = feedparser.parse(fetched.body, response_headers=headers, sanitize_html=False)
    problems = []
    if parsed.get("bozo"):
        problems.append(f"feed is not well-formed: {parsed.get('bozo_exception')}")
    entries = [_entry(e) for e in parsed.entries]
    entries = [e for e in entries if e.title or e.link]
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or "no RSS or Atom structure found"
        raise ParseError(fetched.url, f"malformed feed: {reason}")
    return FeedResult(title=clean_text(parsed.feed.get("title")), entries=entries, problems=problems)


def _entry(entry: Any) -> FeedEntry:
    source = entry.get("source") or {}
    source_href = source.get("href") or source.get("url")
    return FeedEntry(
        title=clean_text(entry.get("title")) or "",
        link=(entry.get("link") or "").strip() or None,
        summary=clean_text(entry.get("summary")),
        published_at=_struct_to_iso(entry.get("published_parsed")),
        # dict.get: feedparser's own .get("updated_parsed") falls back to published (and warns).
        updated_at=_struct_to_iso(dict.get(entry, "updated_parsed")),
        guid=entry.get("id"),
        authors=tuple(a.get("name", "") for a in entry.get("authors", []) if a.get("name")),
        # RSS/Atom <source>; Bing News' <News:Source> (feedparser: news_source) names the outlet.
        source_name=clean_text(source.get("title")) or clean_text(entry.get("news_source")),
        source_domain=_host(source_href) if source_href else None,
    )


def _host(url: str) -> str | None:
    match = re.match(r"^[a-z]+://([^/:?#]+)", url.strip(), re.I)
    if not match:
        return None
    host = match.group(1).lower()
    return host[4:] if host.startswith("www.") else host


def decode_html(fetched: Fetched) -> str:
    """Decode page bytes, trusting the bytes over the labels.

    Servers often declare the wrong charset (ISO-8859-1 in the header for a UTF-8 page). Valid
    UTF-8 of any length is almost never another encoding by accident, so it wins; otherwise the
    header's charset, then the page's <meta charset>, then windows-1252 (what browsers assume).
    A page declared UTF-8 that holds one bad byte is still UTF-8: the byte becomes U+FFFD
    instead of the whole page turning into windows-1252 mojibake ("≥3" as "â‰¥3").
    """
    body = fetched.body
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = META_CHARSET.search(body[:4096])
    for label in (fetched.charset, meta.group(1).decode("ascii", "ignore") if meta else None, "windows-1252"):
        if label and label.replace("-", "").replace("_", "").lower() == "utf8":
            return body.decode("utf-8", "replace")
        if not label:
            continue
        try:
            return body.decode(label, "replace")
        except LookupError:
            continue
    return body.decode("windows-1252", "replace")


def parse_article(fetched: Fetched) -> ExtractedPage:
    if fetched.content_type not in HTML_TYPES:
        raise ExtractError(fetched.url, f"not an HTML page (content-type {fetched.content_type})")
    if fetched.body.lstrip()[:5] == b"%PDF-":
        raise ExtractError(fetched.url, "not an HTML page (PDF bytes)")
    tree = _load_tree(fetched)
    canonical = _declared_canonical(tree, fetched.url)
    language = _first(tree, "/html/@lang", '//meta[@http-equiv="content-language"]/@content')
    doc = trafilatura.bare_extraction(tree, url=fetched.url, with_metadata=True, include_comments=False)
    text = (doc.text or "").strip() if isinstance(doc, Document) else ""
    if not isinstance(doc, Document) or len(text) < MIN_TEXT_CHARS:
        raise ExtractError(fetched.url, f"no article text found ({len(text)} characters; paywall teaser or empty page)")
    site_name = doc.sitename or None
    return ExtractedPage(
        title=strip_site_name((doc.title or "").strip(), site_name),
        text=text,
        published_at=doc.date or None,
        authors=tuple(a.strip() for a in (doc.author or "").split(";") if a.strip()),
        site_name=site_name,
        canonical_url=canonical,
        language=(language or "").split("-")[0].lower() or None,
        description=doc.description or None,
        partial=is_paywalled(fetched.body),
    )


PAYWALL_MARKS = (
    # schema.org's paywall markup (Google asks publishers for it): "isAccessibleForFree": false
    re.compile(rb'"isAccessibleForFree"\s*:\s*"?false"?', re.I),
    re.compile(rb'<meta[^>]+itemprop=["\']isAccessibleForFree["\'][^>]+content=["\']false', re.I),
    # Open Graph / article content tier: "locked" or "metered" pages show a teaser to us.
    re.compile(rb'<meta[^>]+property=["\']article:content_tier["\'][^>]+content=["\'](?:locked|metered)', re.I),
)


def is_paywalled(body: bytes) -> bool:
    """Whether the page declares its content is not freely accessible (we then hold a teaser)."""
    # Every mark holds one of these words; most pages have neither, and an ignore-case pattern is
    # tried at every byte of a 100 KB page.
    lowered = body.lower()
    if b"isaccessibleforfree" not in lowered and b"content_tier" not in lowered:
        return False
    return any(mark.search(body) for mark in PAYWALL_MARKS)


def _load_tree(fetched: Fetched) -> Any:
    source = decode_html(fetched)
    try:
        tree = load_html(source)
    except (ValueError, TypeError, ParserError) as exc:
        raise ExtractError(fetched.url, f"page does not parse as HTML: {exc}") from exc
    if tree is None:
        raise ExtractError(fetched.url, "page does not parse as HTML")
    return tree


def _declared_canonical(tree: Any, page_url: str) -> str | None:
    """The page's own claim to its address: rel=canonical, else og:url (the first usable one)."""
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        for value in tree.xpath(xpath):
            joined = urljoin_safe(page_url, str(value)) if str(value).strip() else None
            if joined:
                return joined
    return None


SITE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


def strip_site_name(title: str, site_name: str | None) -> str:
    """"Headline | Outlet" → "Headline", so a page's title matches its headline elsewhere."""
    if not site_name:
        return title
    for separator in SITE_SEPARATORS:
        suffix = f"{separator}{site_name}"
        if title.casefold().endswith(suffix.casefold()) and len(title) > len(suffix):
            return title[: -len(suffix)].rstrip()
    return title


def _first(tree: Any, *xpaths: str) -> str | None:
    for xpath in xpaths:
        found = tree.xpath(xpath)
        if found and str(found[0]).strip():
            return str(found[0]).strip()
    return None


def urljoin_safe(base: str, href: str) -> str | None:
    joined = urljoin(base, href.strip())
    return joined if joined.startswith(("http://", "https://")) else None
