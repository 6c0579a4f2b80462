"""The repository's config.toml ships every source kind with real endpoints, and documents every
kind-specific key it could take."""

from __future__ import annotations

import re
from pathlib import Path

from cartwatch.config import load_config
from crawler.sources import SOURCE_KINDS
from crawler.sources.literature import GDELT_QUERY_ES, NEWS_QUERY_ES

REPO = Path(__file__).parent.parent


def test_repository_config_ships_every_kind_with_a_real_endpoint() -> None:
    config = load_config(REPO / "config.toml")
    kinds = {s.kind for s in config.sources}
    assert kinds == set(SOURCE_KINDS)
    urls = {s.name: s.url for s in config.sources}
    assert urls["pubmed"] == "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
    assert urls["europepmc"] == "https://www.ebi.ac.uk/europepmc/webservices/rest/search"
    assert urls["ctgov"] == "https://clinicaltrials.gov/api/v2/studies"
    assert urls["medrxiv"] == "https://api.biorxiv.org/details/medrxiv"
    assert urls["gdelt"] == "https://api.gdeltproject.org/api/v2/doc/doc"
    assert urls["bing-news"] == "https://www.bing.com/news/search"
    assert urls["google-news"] == "https://news.google.com/rss/search"
    assert urls["fda-press"].startswith("https://www.fda.gov/")
    assert all(not re.search(r"localhost|127\.0\.0\.1|example\.", url) for url in urls.values())


def test_every_kind_specific_key_is_documented_in_config_toml() -> None:
    text = (REPO / "config.toml").read_text(encoding="utf-8")
    words = set(re.findall(r"[a-z_]+", text))
    missing = {kind: sorted(set(cls.Options.model_fields) - words) for kind, cls in SOURCE_KINDS.items()}
    assert not any(missing.values()), f"undocumented source keys: {missing}"


def test_pubmed_pacing_respects_ncbis_three_requests_per_second() -> None:
    pubmed = load_config(REPO / "config.toml").source("pubmed")
    assert float(pubmed.options["min_delay_seconds"]) >= 0.34  # type: ignore[arg-type]


def test_spanish_search_queries_name_the_products_of_therapies_json() -> None:
    """config.toml spells the Spanish queries out (to be read and edited); they must stay the
    ones ``crawler.sources.literature`` builds from the one product list."""
    config = load_config(REPO / "config.toml")
    assert config.source("gdelt-es").options["query"] == GDELT_QUERY_ES
    assert config.source("google-news-es").options["query"] == NEWS_QUERY_ES
    assert config.source("bing-news-es").options["query"] == NEWS_QUERY_ES
