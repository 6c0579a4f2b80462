"""What the API kinds share: the date window, the CAR-T query vocabulary and polite API calls.

Every literature and search API is asked only for what appeared since the last successful run
(``ctx.since``, which already includes the pipeline's overlap) or, on a first run, for the last
``initial_days``. API pages are fetched without conditional headers (their URLs carry the
window, so they never repeat) and each call may hold the next one to the same host back by
``min_delay_seconds`` on top of the crawler's per-host delay (``Fetcher.pause``).

The default queries below are the vocabulary of SOURCES.md: every approved CAR-T product by
generic name, short name and brand, plus the generic terms. config.toml shows them in full, so a
user can read and change what is searched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from crawler.errors import ParseError
from crawler.fetch import Fetched, NotModified
from crawler.parse import clean_text
from crawler.sources.base import Item, SourceContext
from service.journals import JournalRegistry, journal_outlet as journal_outlet_of

GENERIC_NAMES = ("ciltacabtagene", "idecabtagene", "axicabtagene", "tisagenlecleucel", "lisocabtagene",
                 "brexucabtagene", "obecabtagene")
BRANDS = ("Carvykti", "Abecma", "Yescarta", "Kymriah", "Breyanzi", "Tecartus", "Aucatzyl")
SHORT_NAMES = ("cilta-cel", "ide-cel", "axi-cel", "tisa-cel", "liso-cel", "brexu-cel", "obe-cel")

PUBMED_TERM = ('("Receptors, Chimeric Antigen"[MeSH Terms] OR "chimeric antigen receptor"[Title/Abstract] '
               'OR "CAR T"[Title/Abstract] OR "CAR-T"[Title/Abstract] OR '
               + " OR ".join(f"{name}*" for name in GENERIC_NAMES) + " OR " + " OR ".join(BRANDS) + ")")
EUROPEPMC_QUERY = ('("chimeric antigen receptor" OR "CAR T" OR "CAR-T" OR '
                   + " OR ".join(f'"{name}"' for name in SHORT_NAMES) + " OR "
                   + " OR ".join(f"{name}*" for name in GENERIC_NAMES) + " OR " + " OR ".join(BRANDS) + ")")
CTGOV_INTERVENTION = " OR ".join(GENERIC_NAMES) + ' OR "CAR T" OR "CAR-T" OR "chimeric antigen receptor"'
NEWS_QUERY = '"CAR-T" OR "CAR T-cell" OR ' + " OR ".join(BRANDS)
GDELT_QUERY = '("CAR-T" OR "CAR T-cell" OR "chimeric antigen receptor" OR ' + " OR ".join(BRANDS) + ")"
# Spanish-language coverage writes "terapia CAR-T", "células CAR-T", "Car-T" and, in full,
# "receptor de antígeno quimérico"; brand names are the same in both languages.
NEWS_QUERY_ES = ('"CAR-T" OR "terapia CAR-T" OR "células CAR-T" OR "receptor de antígeno quimérico" OR '
                 + " OR ".join(BRANDS))
GDELT_QUERY_ES = '("CAR-T" OR "terapia CAR-T" OR "células CAR-T" OR ' + " OR ".join(BRANDS) + ") sourcelang:spanish"

# ISO 639-2 codes used by PubMed / Europe PMC ("eng") → the two-letter codes articles carry.
LANGUAGES = {"eng": "en", "fre": "fr", "fra": "fr", "ger": "de", "deu": "de", "spa": "es", "ita": "it",
             "por": "pt", "chi": "zh", "zho": "zh", "jpn": "ja", "rus": "ru", "kor": "ko", "dut": "nl"}


class ApiOptions(BaseModel):
    """Keys every literature API kind has."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Days to look back on the first run (later runs start at the last success minus overlap).
    initial_days: Annotated[int, Field(ge=1, le=3650)] = 7
    # This source's own minimum gap between its calls, seconds, on top of per_host_delay_seconds.
    min_delay_seconds: Annotated[float, Field(ge=0, le=600)] = 1.0
    # Safety stop: at most this many result pages per run (a problem is recorded when hit).
    max_pages: Annotated[int, Field(ge=1, le=10_000)] = 100


def window(ctx: SourceContext, initial_days: int) -> tuple[datetime, datetime]:
    """The (start, end) instants to ask an API for."""
    start = ctx.since if ctx.since is not None else ctx.now - timedelta(days=initial_days)
    return min(start, ctx.now), ctx.now


def fetch_api(ctx: SourceContext, url: str, params: Mapping[str, str | int], *, what: str,
              min_delay: float = 0.0, accept: str | None = None) -> Fetched:
    """One unconditional API call, then hold the host back by ``min_delay``."""
    try:
        result = ctx.fetch_listing(url, params=params, accept=accept, conditional=False)
    finally:
        if min_delay:
            ctx.fetcher.pause(url, min_delay)
    if isinstance(result, NotModified):
        raise ParseError(url, f"{what} answered 304 Not Modified to an unconditional request")
    return result


def convert_record(ctx: SourceContext, what: str, convert: Callable[[Any], Item | None],
                   record: Any) -> Item | None:
    """One API record as an Item; a record of unexpected shape is skipped and recorded as a
    problem of the run (shown in the crawl-run table), so one odd record cannot sink the rest."""
    try:
        return convert(record)
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        ctx.problems.append(f"{what}: skipped a malformed record ({type(exc).__name__}: {exc})")
        return None


def load_json(fetched: Fetched, what: str) -> Any:
    """Decode a JSON API body, or raise ParseError quoting what came instead (an error page)."""
    try:
        return json.loads(fetched.body)
    except (ValueError, UnicodeDecodeError):
        snippet = clean_text(fetched.body[:300].decode("utf-8", "replace")) or "an empty body"
        raise ParseError(fetched.url, f"{what} did not answer JSON (content-type "
                                      f"{fetched.content_type or 'none'}): {snippet[:200]!r}") from None


def normalize_doi(value: str | None) -> str | None:
    """DOIs are case-insensitive: one lowercase spelling, without resolver prefixes."""
    if not value:
        return None
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value.strip(), flags=re.I).lower()
    return doi if doi.startswith("10.") else None


def iso_day(value: str | None) -> str | None:
    """"2023", "2023-05", "2023-05-01" or an ISO timestamp → "2023-05-01T00:00:00Z"."""
    match = re.match(r"^(\d{4})(?:[-/](\d{1,2}))?(?:[-/](\d{1,2}))?", (value or "").strip())
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}T00:00:00Z"


def language_code(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower()
    return LANGUAGES.get(value, value if len(value) == 2 else None)


def join_paragraphs(*parts: str | None) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def html_paragraphs(fragment: str | None) -> str:
    """An abstract given as HTML (Europe PMC: ``<h4>Background</h4>…``) → "Background: …" paragraphs."""
    if not fragment:
        return ""
    marked = re.sub(r"<h[1-6][^>]*>(.*?)</h[1-6]>", lambda m: f"\n{m.group(1).strip()}: ", fragment, flags=re.I | re.S)
    marked = re.sub(r"</p\s*>|<br\s*/?>", "\n", marked, flags=re.I)
    return join_paragraphs(*(clean_text(piece) for piece in marked.split("\n")))


def host_without_www(domain: str | None) -> str | None:
    if not domain:
        return None
    domain = domain.strip().lower().rstrip(".")
    return (domain[4:] if domain.startswith("www.") else domain) or None


def journal_outlet(item: Item, journals: JournalRegistry, *, title: str | None,
                   issns: tuple[str | None, ...] = ()) -> Item:
    """The item with its journal as outlet when the registry knows the journal (by ISSN, DOI
    prefix or title); the route (PubMed, Europe PMC) stays in the item's URL and becomes the
    article's ``via``. An unknown journal keeps the route as outlet and the journal's name.
    A meeting abstract published under a journal's DOI becomes kind ``abstract``."""
    journal = journal_outlet_of(journals, title=title, issns=issns, doi=item.doi)
    kind = "abstract" if item.kind == "paper" and journal.meeting_abstract else item.kind
    if journal.domain is None:
        return replace(item, kind=kind)
    return replace(item, kind=kind, outlet_domain=journal.domain, outlet_name=journal.name)
