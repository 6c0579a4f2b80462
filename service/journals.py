"""Give papers stored before journals were resolved their journal as outlet (``cartwatch db journals``).

Until issue 12 every PubMed record was stored under ``pubmed.ncbi.nlm.nih.gov`` and every
Europe PMC record under ``europepmc.org``, with the journal's title as ``outlet_name``. A new
crawl does not change them (an unchanged record is not rewritten), so this walks those papers
once, resolves the journal from the stored title and DOI (``analysis.journals``; no ISSN was
stored), and moves each paper to its journal's outlet, keeping the database as its ``via``.
Claims carry copies of their article's outlet and source type: they move with it. Stories
recount their outlets. Papers whose journal the registry does not know stay where they are.

The literature sources (PubMed, Europe PMC) resolve each new record's journal here too
(``journal_registry``, ``journal_outlet``), so a paper is stored under its journal from the start.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.journals import JournalRegistry, is_conference_abstract_doi
from analysis.outlets import OutletRegistry
from service.db import StoreConfig, open_store
from service.outlets import sync_outlets
from store import AnalysisWrites, Store

ROUTES = ("pubmed.ncbi.nlm.nih.gov", "europepmc.org")
__all__ = ["JournalMoves", "JournalOutlet", "JournalRegistry", "journal_outlet", "journal_registry",
           "move_papers_to_journals", "move_stored_papers"]


@dataclass(frozen=True, slots=True)
class JournalOutlet:
    """A literature record's journal: its outlet (None when the registry does not know the
    journal) and whether the DOI is a meeting abstract's published under a journal."""

    domain: str | None
    name: str | None
    meeting_abstract: bool


def journal_registry() -> JournalRegistry:
    """The journals shipped in analysis/data/journals.csv (a literature source loads them once)."""
    return JournalRegistry.load_default()


def journal_outlet(journals: JournalRegistry, *, title: str | None, issns: tuple[str | None, ...],
                   doi: str | None) -> JournalOutlet:
    """The journal of a record by ISSN, DOI prefix or title."""
    match = journals.resolve(title=title, issns=issns, doi=doi)
    return JournalOutlet(match.journal.key if match else None, match.journal.name if match else None,
                         is_conference_abstract_doi(doi))


@dataclass(frozen=True, slots=True)
class JournalMoves:
    moved: int
    unknown: int


def move_papers_to_journals(store: Store, journals: JournalRegistry, outlets: OutletRegistry) -> JournalMoves:
    writes = AnalysisWrites(store)
    moved = unknown = 0
    for article_id, outlet_name, doi, route in writes.papers_under(ROUTES):
        match = journals.resolve(title=outlet_name, doi=doi)
        if match is None:
            unknown += 1
            continue
        outlet = outlets.resolve(match.journal.key).outlet
        with store.transaction():
            writes.move_to_outlet(article_id, outlet_domain=match.journal.key, outlet_name=match.journal.name,
                                  via=route, source_type=outlet.source_type if outlet else match.journal.source_type)
            story_id = writes.article_story(article_id)
            if story_id is not None:
                # Journals carry no lean rating, so the blindspot flag cannot change: counts only.
                writes.recount_story(story_id)
        moved += 1
    return JournalMoves(moved, unknown)


def move_stored_papers(database: StoreConfig, outlets: OutletRegistry) -> JournalMoves:
    """``cartwatch db journals``: mirror the outlets, then move every paper whose journal is known."""
    store = open_store(database)
    try:
        sync_outlets(store, outlets)
        return move_papers_to_journals(store, JournalRegistry.load_default(), outlets)
    finally:
        store.close()
