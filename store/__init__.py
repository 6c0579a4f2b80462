"""The database: ``Store`` is the write handle the crawler and ``service`` use (one connection,
``transaction()``), made of the entity modules' writes; ``AnalysisWrites`` groups the writes of
what analysis derived, on the same connection. Reads are functions of each entity module taking a
(read-only) connection.

Every ``save_article`` is one transaction, so a kill -9 at any moment leaves either the whole
article (with its therapies) or none of it; the UNIQUE canonical URL and the partial unique
indexes on DOI/PMID/NCT id make a re-crawl or a crash-and-retry unable to duplicate a row.
"""

from __future__ import annotations

from store.articles import ArticleTables, CopyTables
from store.claims import ClaimTables
from store.crawl import CrawlTables
from store.outlets import OutletTables
from store.stories import StoryTables


class Store(CrawlTables, ArticleTables):
    """One connection for writing, with every entity's writes (see each module)."""


class AnalysisWrites(ClaimTables, StoryTables, CopyTables, OutletTables):
    """Claims, stories, copies, outlets and ratings, on the same connection as the ``Store``.

    Each method is meant to run inside ``Store.transaction()`` together with the article it
    belongs to (``service/ingest.py`` does that), so an article never exists without its claims
    and story."""
