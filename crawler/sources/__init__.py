"""Source kinds by name. ``config.toml`` picks one with ``kind = "…"``."""

from __future__ import annotations

from crawler.sources.bing_news import BingNewsSource
from crawler.sources.base import SourceKind
from crawler.sources.biorxiv import BiorxivSource
from crawler.sources.ctgov import CtgovSource
from crawler.sources.europepmc import EuropePmcSource
from crawler.sources.gdelt import GdeltSource
from crawler.sources.google_news import GoogleNewsSource
from crawler.sources.pubmed import PubmedSource
from crawler.sources.rss import RssSource

SOURCE_KINDS: dict[str, SourceKind] = {
    RssSource.kind: RssSource,
    PubmedSource.kind: PubmedSource,
    EuropePmcSource.kind: EuropePmcSource,
    CtgovSource.kind: CtgovSource,
    BiorxivSource.kind: BiorxivSource,
    GdeltSource.kind: GdeltSource,
    BingNewsSource.kind: BingNewsSource,
    GoogleNewsSource.kind: GoogleNewsSource,
}
