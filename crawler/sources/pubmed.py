"""PubMed through NCBI E-utilities: ESearch (JSON) for the PMIDs added in the window, then
EFetch (XML) in batches for titles, abstracts, authors, journal, dates and DOIs.

``config.url`` is the E-utilities base (``…/entrez/eutils/``); ``esearch.fcgi`` and
``efetch.fcgi`` are derived from it. Every call carries ``tool``, ``email`` and, when set,
``api_key`` (option, else the ``NCBI_API_KEY`` environment variable), as NCBI asks. NCBI allows
3 requests/second without a key (10 with one): ``min_delay_seconds`` paces this source's calls.
An over-limit answer can arrive as HTTP 200 with ``{"error":"API rate limit exceeded"}``; it is
retried with backoff like a 429, then reported. The key never reaches the database: errors
name the URL with the key redacted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import Annotated, Any, ClassVar
from urllib.parse import quote, urljoin

from lxml import etree
from pydantic import BaseModel, Field

from crawler.config import SourceConfig
from crawler.errors import CrawlerError, HTTPStatusError, ParseError
from crawler.fetch import Fetched
from crawler.sources.base import Item, SourceContext
from crawler.sources.literature import (
    PUBMED_TERM, ApiOptions, convert_record, fetch_api, iso_day, join_paragraphs, journal_outlet, language_code,
    load_json, normalize_doi, window,
)
from service.journals import JournalRegistry, journal_registry

ESEARCH_CAP = 10_000  # ESearch cannot page past the first 10,000 UIDs of a query
MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                      "nov", "dec"), start=1)}
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
# PubMed publication types of meeting abstracts (MEDLINE indexes some congress supplements).
MEETING_TYPES = frozenset({"Congress", "Meeting Abstract"})
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class PubmedOptions(ApiOptions):
    # Entrez query; the Entrez-date window (datetype=edat, mindate/maxdate) is added per run.
    term: str = PUBMED_TERM
    # Sent on every call as NCBI asks: a tool name without spaces and the developer's e-mail
    # (default: the e-mail address in [crawler] user_agent).
    tool: Annotated[str, Field(pattern=r"^\S+$")] = "cartwatch"
    email: str | None = None
    # NCBI API key (10 requests/s instead of 3); default: the NCBI_API_KEY environment variable.
    api_key: str | None = None
    # PMIDs per ESearch page (retmax) and per EFetch call (GET; NCBI wants POST above ~200).
    page_size: Annotated[int, Field(ge=1, le=10_000)] = 500
    batch_size: Annotated[int, Field(ge=1, le=200)] = 100
    min_delay_seconds: Annotated[float, Field(ge=0, le=600)] = 0.34


class PubmedSource:
    kind: ClassVar[str] = "pubmed"
    Options: ClassVar[type[BaseModel]] = PubmedOptions

    def __init__(self, config: SourceConfig, options: PubmedOptions) -> None:
        self.config = config
        self.options = options
        self.api_key = options.api_key or os.environ.get("NCBI_API_KEY") or None
        base = config.url if config.url.endswith("/") else config.url + "/"
        self.esearch_url = urljoin(base, "esearch.fcgi")
        self.efetch_url = urljoin(base, "efetch.fcgi")
        self.journals = journal_registry()

    def discover(self, ctx: SourceContext) -> Iterator[Item]:
        start, end = window(ctx, self.options.initial_days)
        search: dict[str, str | int] = {
            "db": "pubmed", "term": self.options.term, "retmode": "json", "datetype": "edat",
            "mindate": start.strftime("%Y/%m/%d"), "maxdate": end.strftime("%Y/%m/%d"),
            "retmax": self.options.page_size,
        }
        retstart, count = 0, None
        for _page in range(self.options.max_pages):
            result = self._esearch(ctx, {**search, "retstart": retstart})
            count = int(result.get("count") or 0)
            ids = [str(i) for i in result.get("idlist") or []]
            for at in range(0, len(ids), self.options.batch_size):
                yield from self._efetch(ctx, ids[at:at + self.options.batch_size])
            retstart += len(ids)
            if not ids or retstart >= min(count, ESEARCH_CAP):
                break
        else:
            ctx.problems.append(f"pubmed: stopped after max_pages={self.options.max_pages} ESearch pages")
        if count is not None and count > ESEARCH_CAP:
            ctx.problems.append(f"pubmed: {count} matches exceed ESearch's {ESEARCH_CAP}; "
                                "narrow the term or run more often")

    # --- calls ---------------------------------------------------------------------------------

    def _esearch(self, ctx: SourceContext, params: dict[str, str | int]) -> dict[str, Any]:
        fetched = self._call(ctx, self.esearch_url, params)
        try:
            body = load_json(fetched, "PubMed ESearch")
        except CrawlerError as exc:
            raise self._redacted(exc) from None
        body = body if isinstance(body, dict) else {}
        result = body.get("esearchresult")
        error = body.get("error") or (result.get("ERROR") if isinstance(result, dict) else None)
        if error or not isinstance(result, dict):
            problem = error or "no esearchresult in the answer"
            raise ParseError(self._redact(fetched.url), f"PubMed ESearch error: {problem}")
        return result

    def _efetch(self, ctx: SourceContext, ids: list[str]) -> Iterator[Item]:
        fetched = self._call(ctx, self.efetch_url, {"db": "pubmed", "id": ",".join(ids), "retmode": "xml"})
        try:
            root = etree.fromstring(fetched.body, parser=XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise ParseError(self._redact(fetched.url), f"PubMed EFetch XML is malformed or truncated: {exc}") from None
        for record in root:
            if record.tag in ("PubmedArticle", "PubmedBookArticle"):
                item = convert_record(ctx, "pubmed", partial(record_item, journals=self.journals), record)
                if item is not None:
                    yield item

    def _call(self, ctx: SourceContext, url: str, params: dict[str, str | int]) -> Fetched:
        params = {**params, **self._identity(ctx)}
        attempts = ctx.fetcher.config.retries + 1
        try:
            for attempt in range(attempts):
                fetched = fetch_api(ctx, url, params, what="PubMed", min_delay=self.options.min_delay_seconds)
                if not _rate_limited(fetched.body):
                    return fetched
                if attempt < attempts - 1:
                    ctx.fetcher.pause(url, ctx.fetcher.config.backoff_seconds * 2**attempt)
            raise HTTPStatusError(fetched.url, 429, "PubMed rate limit exceeded (HTTP 200 body 'API rate limit "
                                  f"exceeded') after {attempts} attempts; set api_key or raise min_delay_seconds")
        except CrawlerError as exc:
            raise self._redacted(exc) from None

    def _identity(self, ctx: SourceContext) -> dict[str, str]:
        identity = {"tool": self.options.tool}
        email = self.options.email or _email_in(ctx.fetcher.config.user_agent)
        if email:
            identity["email"] = email
        if self.api_key:
            identity["api_key"] = self.api_key
        return identity

    def _redact(self, url: str) -> str:
        if not self.api_key:
            return url
        return url.replace(quote(self.api_key, safe=""), "REDACTED").replace(self.api_key, "REDACTED")

    def _redacted(self, exc: CrawlerError) -> CrawlerError:
        """The same error, naming the URL without the API key (errors are stored and shown)."""
        if self._redact(exc.url) == exc.url:
            return exc
        clean = type(exc).__new__(type(exc))
        clean.__dict__.update(exc.__dict__, url=self._redact(exc.url))
        clean.args = (f"{exc.message} ({clean.url})",)
        return clean


def _rate_limited(body: bytes) -> bool:
    head = body[:300].lstrip()
    return head.startswith(b"{") and b"rate limit" in head.lower()


def _email_in(text: str) -> str | None:
    match = EMAIL.search(text)
    return match.group(0) if match else None


# --- EFetch XML → Item ----------------------------------------------------------------------


def _text(node: Any) -> str:
    """All text under a node (inline <i>, <sup>, MathML included), whitespace folded."""
    return re.sub(r"\s+", " ", "".join(node.itertext())).strip() if node is not None else ""


def record_item(record: Any, *, journals: JournalRegistry) -> Item | None:
    """One ``PubmedArticle`` or ``PubmedBookArticle`` as an Item; None without a PMID or title.
    The outlet is the journal (``journal_outlet``); the PubMed URL is the route."""
    book = record.tag == "PubmedBookArticle"
    doc = record.find("BookDocument") if book else record.find("MedlineCitation")
    article = doc if book else doc.find("Article") if doc is not None else None
    pmid = _text(doc.find("PMID")) if doc is not None else ""
    if article is None or not pmid:
        return None
    title = _text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle")) \
        or _text(doc.find("Book/BookTitle"))
    if not title:
        return None
    abstract = join_paragraphs(*(_labelled(node) for node in article.findall("Abstract/AbstractText")))
    journal = _text(article.find("Journal/Title")) if not book else _text(doc.find("Book/BookTitle"))
    item = Item(
        title=title,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        kind="paper",
        text=join_paragraphs(title, abstract),
        published_at=_published(record, article, doc, book),
        outlet_domain="pubmed.ncbi.nlm.nih.gov",
        outlet_name=journal or None,
        authors=tuple(filter(None, (_author(a) for a in article.findall("AuthorList/Author")))),
        doi=_doi(record, article),
        pmid=pmid,
        language=language_code(_text(article.find("Language"))),
        prefilter=False,
    )
    if book:
        return item
    issns = (*(_text(n) for n in article.findall("Journal/ISSN")), _text(doc.find("MedlineJournalInfo/ISSNLinking")))
    if any(_text(n) in MEETING_TYPES for n in article.findall("PublicationTypeList/PublicationType")):
        item = replace(item, kind="abstract")
    return journal_outlet(item, journals, title=journal, issns=issns)


def _labelled(node: Any) -> str:
    text = _text(node)
    label = (node.get("Label") or "").strip()
    return f"{label}: {text}" if label and text else text


def _author(node: Any) -> str:
    collective = _text(node.find("CollectiveName"))
    if collective:
        return collective
    last = _text(node.find("LastName"))
    first = _text(node.find("ForeName")) or _text(node.find("Initials"))
    return f"{first} {last}".strip()


def _doi(record: Any, article: Any) -> str | None:
    for node in (*article.findall("ELocationID"), *record.iter("ArticleId")):
        kind = node.get("EIdType") or node.get("IdType")
        if kind == "doi" and node.getparent().getparent().tag != "Reference":
            doi = normalize_doi(_text(node))
            if doi:
                return doi
    return None


def _published(record: Any, article: Any, doc: Any, book: bool) -> str | None:
    """Electronic publication date, else the issue's date, else when PubMed listed it."""
    candidates = [article.find('ArticleDate[@DateType="Electronic"]'),
                  doc.find("Book/PubDate") if book else article.find("Journal/JournalIssue/PubDate"),
                  record.find('PubmedData/History/PubMedPubDate[@PubStatus="pubmed"]'),
                  record.find('PubmedData/History/PubMedPubDate[@PubStatus="entrez"]')]
    for node in candidates:
        if node is None:
            continue
        year = _text(node.find("Year"))
        if not year:
            year, month = _medline_date(_text(node.find("MedlineDate")))
        else:
            month = _month(_text(node.find("Month")))
        if year:
            day = _text(node.find("Day")) or "1"
            return iso_day(f"{year}-{month or 1}-{day}")
    return None


def _month(value: str) -> int | None:
    if value.isdigit():
        return int(value)
    return MONTHS.get(value[:3].lower())


def _medline_date(value: str) -> tuple[str, int | None]:
    """Free-text MedlineDate such as "2020 Jan-Feb" → ("2020", 1)."""
    match = re.match(r"^(\d{4})(?:\s+([A-Za-z]{3}))?", value)
    if not match:
        return "", None
    return match.group(1), _month(match.group(2)) if match.group(2) else None
