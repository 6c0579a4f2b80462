"""Give papers stored before journals were resolved their journal as outlet (``cartwatch db journals``).

Until issue 12 every PubMed record was stored under ``pubmed.ncbi.nlm.nih.gov`` and every
Europe PMC record under ``europepmc.org``, with the journal's title as ``outlet_name``. A new
crawl does not change them (an unchanged record is not rewritten), so this walks those papers
once, resolves the journal from the stored title and DOI (``analysis.journals``; no ISSN was
stored), and moves each paper to its journal's outlet, keeping the database as its ``via``.
Claims carry copies of their article's outlet and source type: they move with it. Stories
recount their outlets. Papers whose journal the registry does not know stay where they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.journals import JournalRegistry
from analysis.outlets import OutletRegistry
from store import AnalysisWrites, Store

ROUTES = ("pubmed.ncbi.nlm.nih.gov", "europepmc.org")


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
