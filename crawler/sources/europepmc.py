"""Europe PMC REST search: papers and preprints first indexed in the window, cursorMark paging.

``config.url`` is the search endpoint (``…/europepmc/webservices/rest/search``). The window is
added to the query as ``FIRST_IDATE:[start TO end]`` (first index date: "new since the last run").
Paging follows ``nextCursorMark`` and stops when it is absent, repeats the current cursor, or a
page has no results. Europe PMC reports errors with HTTP 200 and ``{"errCode", "errMsg"}``: that
is the source's ``ParseError`` naming both.

A record with a PMID is the same paper PubMed gives us: it carries the PMID and DOI, so the
store merges the two into one article (the first source's text stays; the other fills blanks).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, Field

from crawler.config import SourceConfig
from crawler.errors import ParseError
from crawler.sources.base import Item, SourceContext
from crawler.sources.literature import (
    EUROPEPMC_QUERY, ApiOptions, convert_record, fetch_api, html_paragraphs, iso_day, join_paragraphs, journal_outlet,
    language_code, load_json, normalize_doi, window,
)
from service.journals import JournalRegistry, journal_registry

PREPRINT_SERVERS = {"medrxiv": "medrxiv.org", "biorxiv": "biorxiv.org", "research square": "researchsquare.com",
                    "ssrn": "ssrn.com", "preprints.org": "preprints.org"}


class EuropePmcOptions(ApiOptions):
    # Europe PMC query syntax; " AND FIRST_IDATE:[start TO end]" is appended per run.
    query: str = EUROPEPMC_QUERY
    # Records per page (1–1000) and the record detail ("core" has abstracts and author lists).
    page_size: Annotated[int, Field(ge=1, le=1000)] = 100
    result_type: Literal["core", "lite"] = "core"
    min_delay_seconds: Annotated[float, Field(ge=0, le=600)] = 0.5


class EuropePmcSource:
    kind: ClassVar[str] = "europepmc"
    Options: ClassVar[type[BaseModel]] = EuropePmcOptions

    def __init__(self, config: SourceConfig, options: EuropePmcOptions) -> None:
        self.config = config
        self.options = options
        self.journals = journal_registry()

    def discover(self, ctx: SourceContext) -> Iterator[Item]:
        start, end = window(ctx, self.options.initial_days)
        query = f"({self.options.query}) AND FIRST_IDATE:[{start:%Y-%m-%d} TO {end:%Y-%m-%d}]"
        params: dict[str, str | int] = {"query": query, "format": "json", "resultType": self.options.result_type,
                                        "pageSize": self.options.page_size}
        cursor = "*"
        for _page in range(self.options.max_pages):
            body = self._page(ctx, {**params, "cursorMark": cursor})
            results = (body.get("resultList") or {}).get("result") or []
            for record in results:
                item = convert_record(ctx, "europepmc", partial(record_item, journals=self.journals), record)
                if item is not None:
                    yield item
            following = body.get("nextCursorMark")
            if not results or not following or following == cursor:
                return
            cursor = str(following)
        ctx.problems.append(f"europepmc: stopped after max_pages={self.options.max_pages} pages")

    def _page(self, ctx: SourceContext, params: dict[str, str | int]) -> dict[str, Any]:
        fetched = fetch_api(ctx, self.config.url, params, what="Europe PMC", min_delay=self.options.min_delay_seconds,
                            accept="application/json")
        body = load_json(fetched, "Europe PMC")
        if not isinstance(body, dict):
            raise ParseError(fetched.url, "Europe PMC answer is not a JSON object")
        if "errCode" in body or "errMsg" in body:
            raise ParseError(fetched.url, f"Europe PMC error {body.get('errCode')}: {body.get('errMsg')}")
        if "resultList" not in body:
            raise ParseError(fetched.url, "Europe PMC answer has no resultList")
        return body


def record_item(record: dict[str, Any], *, journals: JournalRegistry) -> Item | None:
    """One search result (core or lite) as an Item; None without an id or title. The outlet is
    the journal or preprint server (``journal_outlet``); the Europe PMC URL is the route."""
    source, ident = str(record.get("source") or ""), str(record.get("id") or "")
    title = html_paragraphs(record.get("title"))
    if not source or not ident or not title:
        return None
    preprint = source == "PPR"
    outlet_name = _journal(record)
    server = PREPRINT_SERVERS.get((outlet_name or "").lower()) if preprint else None
    item = Item(
        title=title,
        url=f"https://europepmc.org/article/{source}/{ident}",
        kind="preprint" if preprint else "paper",
        text=join_paragraphs(title, html_paragraphs(record.get("abstractText"))),
        published_at=iso_day(record.get("firstPublicationDate") or record.get("electronicPublicationDate")
                             or record.get("pubYear")),
        outlet_domain=server or "europepmc.org",
        outlet_name=outlet_name,
        authors=_authors(record),
        doi=normalize_doi(record.get("doi")),
        pmid=str(record["pmid"]) if record.get("pmid") else None,
        language=language_code(record.get("language")),
        prefilter=False,
    )
    journal = (record.get("journalInfo") or {}).get("journal") or {}
    meeting = any("meeting" in str(t).lower() or "congress" in str(t).lower() for t in _pub_types(record))
    if meeting and not preprint:
        item = replace(item, kind="abstract")
    return journal_outlet(item, journals, title=outlet_name, issns=(journal.get("issn"), journal.get("essn")))


def _pub_types(record: dict[str, Any]) -> list[Any]:
    types = (record.get("pubTypeList") or {}).get("pubType") or []
    return types if isinstance(types, list) else [types]


def _journal(record: dict[str, Any]) -> str | None:
    journal = ((record.get("journalInfo") or {}).get("journal") or {}).get("title")
    publisher = (record.get("bookOrReportDetails") or {}).get("publisher")
    return journal or record.get("journalTitle") or publisher or None


def _authors(record: dict[str, Any]) -> tuple[str, ...]:
    listed = ((record.get("authorList") or {}).get("author")) or []
    names = [a.get("fullName") or a.get("collectiveName") for a in listed if isinstance(a, dict)]
    if not any(names):
        names = [n.strip() for n in str(record.get("authorString") or "").rstrip(".").split(",")]
    return tuple(n for n in names if n)
