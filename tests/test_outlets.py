"""Outlet registry: shipped data, domain resolution, overrides and rating aggregation."""

from __future__ import annotations

import csv

import pytest

from analysis.model import NO_LEAN, OWNERSHIP_CATEGORIES, SOURCE_TYPES, Outlet, Rating
from analysis.outlets import (
    DATA_FILE,
    OutletRegistry,
    domain_key,
    factuality_of,
    lean_from_adfontes_bias,
    lean_of,
    name_key,
)


@pytest.fixture(scope="module")
def registry() -> OutletRegistry:
    return OutletRegistry.load_default()


def _rating(rater: str, value: str, dimension: str = "lean", rated_at: str | None = None,
            domain: str = "example.com") -> Rating:
    return Rating(domain=domain, rater=rater, dimension=dimension, value=value, raw_value=value,
                  rated_at=rated_at, origin="test")


# --- shipped data ---------------------------------------------------------------------------


def test_shipped_file_has_facts_only() -> None:
    with DATA_FILE.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == ["domain", "outlet", "source_type", "owner", "ownership_category",
                      "country", "verified_at", "confirmed", "alias_of", "language"]
    assert not {"lean", "factuality", "bias", "reliability"} & set(header)


def test_shipped_registry_covers_every_source_type(registry: OutletRegistry) -> None:
    outlets = registry.outlets()
    assert len(outlets) >= 150
    assert {o.source_type for o in outlets} == set(SOURCE_TYPES)
    assert {o.ownership_category for o in outlets} <= set(OWNERSHIP_CATEGORIES)


def test_verified_date_only_on_confirmed_rows() -> None:
    with DATA_FILE.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if not r["alias_of"]]
    assert all((r["verified_at"] == "2026-11-24") == (r["confirmed"] == "yes") for r in rows)


# --- resolution -----------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "name", "key", "matched_by"), [
    ("https://www.reuters.com/business/healthcare/x", "Reuters", "reuters.com", "exact"),
    ("reuters.com", "Reuters", "reuters.com", "exact"),
    ("https://amp.theguardian.com/science/x", "The Guardian", "theguardian.com", "exact"),
    ("https://m.statnews.com/2025/x", "STAT", "statnews.com", "exact"),
    ("https://mobile.nytimes.com/x", "The New York Times", "nytimes.com", "exact"),
    ("HTTPS://WWW.NYTimes.com:443/2025/x", "The New York Times", "nytimes.com", "exact"),
    ("https://edition.cnn.com/2025/health/x", "CNN", "cnn.com", "registered_domain"),
    ("https://uk.news.sky.com/story/x", "Sky News", "news.sky.com", "suffix"),
    ("https://bbc.co.uk/news/health-1", "BBC News", "bbc.co.uk", "exact"),
    ("https://www.gov.uk/government/news/x", "GOV.UK (incl. MHRA)", "gov.uk", "exact"),
])
def test_resolve_host(registry: OutletRegistry, url: str, name: str, key: str,
                      matched_by: str) -> None:
    match = registry.resolve(url)
    assert match.outlet is not None and match.outlet.name == name
    assert (match.domain, match.matched_by) == (key, matched_by)


@pytest.mark.parametrize(("url", "name", "key", "matched_by"), [
    ("https://jamanetwork.com/journals/jama/fullarticle/2812345", "JAMA",
     "jamanetwork.com/journals/jama", "path"),
    ("https://jamanetwork.com/journals/jamaoncology/fullarticle/1", "JAMA Oncology",
     "jamanetwork.com/journals/jamaoncology", "path"),
    ("https://jamanetwork.com/journals/jamacardiology/fullarticle/1", "JAMA Network",
     "jamanetwork.com", "exact"),
    ("https://jamanetwork.com/journals/jamanetworkopen/fullarticle/1", "JAMA Network Open",
     "jamanetwork.com/journals/jamanetworkopen", "path"),
    ("https://www.cell.com/cell/fulltext/S0092", "Cell", "cell.com/cell", "path"),
    ("https://www.cell.com/immunity/fulltext/S1074", "Cell / Cell Press journals", "cell.com",
     "exact"),
    ("https://www.cell.com/cancer-cell/fulltext/S1535", "Cancer Cell", "cell.com/cancer-cell", "path"),
    ("https://ashpublications.org/blood/article/145/1/1", "Blood", "ashpublications.org/blood",
     "path"),
])
def test_resolve_per_path_entries(registry: OutletRegistry, url: str, name: str, key: str,
                                  matched_by: str) -> None:
    match = registry.resolve(url)
    assert match.outlet is not None and match.outlet.name == name
    assert (match.domain, match.matched_by) == (key, matched_by)


def test_resolve_never_climbs_above_registered_domain(registry: OutletRegistry) -> None:
    match = registry.resolve("https://www.leeds.gov.uk/news")
    assert match.outlet is None
    assert (match.domain, match.matched_by, match.registered_domain) == (
        "leeds.gov.uk", "unrated", "leeds.gov.uk")


def test_unknown_outlet_is_unrated_under_registered_domain(registry: OutletRegistry) -> None:
    match = registry.resolve("https://health.unknown-paper.co.uk/a/b")
    assert match.outlet is None
    assert match.matched_by == "unrated"
    assert match.domain == "unknown-paper.co.uk"
    assert match.provenance("name") == "unrated"


def test_alias_resolves_to_canonical_outlet_and_rating_keys(registry: OutletRegistry) -> None:
    match = registry.resolve("https://khn.org/news/article/x")
    assert match.outlet is not None and match.outlet.domain == "kffhealthnews.org"
    assert match.rating_keys == ("kffhealthnews.org", "khn.org")
    assert registry.rating_keys("kffhealthnews.org") == ("kffhealthnews.org", "khn.org")


# --- overrides ------------------------------------------------------------------------------


def test_override_wins_and_provenance_says_config() -> None:
    overrides = {"www.statnews.com": {"owner": "Someone Else", "country": "Canada"}}
    match = OutletRegistry.load_default(overrides).resolve("https://statnews.com/x")
    assert match.outlet is not None
    assert (match.outlet.owner, match.outlet.country) == ("Someone Else", "Canada")
    assert match.outlet.name == "STAT"
    assert match.provenance("owner") == "config"
    assert match.provenance("name") == "registry"


def test_override_through_alias_changes_canonical_outlet() -> None:
    registry = OutletRegistry.load_default({"bbc.co.uk": {"name": "BBC"}})
    assert registry.resolve("bbc.com").outlet == registry.get("bbc.co.uk")
    assert registry.resolve("https://www.bbc.com/news").outlet.name == "BBC"  # type: ignore[union-attr]


def test_override_can_add_an_outlet() -> None:
    registry = OutletRegistry(
        [Outlet("a.org", "A", "general news")],
        {"newsite.org": {"name": "New Site", "source_type": "patient advocacy"}},
    )
    match = registry.resolve("https://blog.newsite.org/x")
    assert match.outlet == Outlet("newsite.org", "New Site", "patient advocacy")
    assert match.matched_by == "registered_domain"
    assert match.provenance("source_type") == "config"


@pytest.mark.parametrize(("overrides", "message"), [
    ({"a.org": {"lean": "Left"}}, "unknown field"),
    ({"a.org": {"source_type": "blog"}}, "unknown source_type"),
    ({"a.org": {"ownership_category": "Mystery"}}, "unknown ownership_category"),
    ({"b.org": {"owner": "X"}}, "needs name and source_type"),
])
def test_bad_overrides_are_errors(overrides: dict[str, dict[str, str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OutletRegistry([Outlet("a.org", "A", "general news")], overrides)


def test_domain_and_name_keys() -> None:
    assert domain_key("https://WWW.Example.com/Journals/X/?q=1#f") == "example.com/journals/x"
    assert domain_key("m.example.com") == "example.com"
    assert name_key("ABC News (Online)") == "abc news"
    assert name_key("The Boston Globe") == "boston globe"


# --- aggregation ----------------------------------------------------------------------------


def test_lean_per_rater_and_average() -> None:
    ratings = [_rating("allsides", "Center"), _rating("mbfc", "Lean Left"),
               _rating("adfontes", "Lean Left")]
    assert lean_of(ratings, "allsides").label == "Center"
    view = lean_of(ratings)
    assert (view.label, view.score, view.raters) == ("Lean Left", -0.667,
                                                     ("adfontes", "allsides", "mbfc"))


@pytest.mark.parametrize(("labels", "expected"), [
    (("Left", "Lean Left"), "Lean Left"),      # -1.5 rounds toward Center
    (("Lean Left", "Center"), "Center"),       # -0.5 rounds toward Center
    (("Lean Right", "Right"), "Lean Right"),
    (("Left", "Right"), "Center"),
    (("Right", "Right", "Lean Right"), "Right"),
])
def test_lean_average_rounding(labels: tuple[str, ...], expected: str) -> None:
    ratings = [_rating(f"r{i}", label) for i, label in enumerate(labels)]
    assert lean_of(ratings).label == expected


def test_no_lean_values_are_listed_but_not_counted() -> None:
    ratings = [_rating("mbfc", NO_LEAN), _rating("allsides", "Right")]
    view = lean_of(ratings)
    assert (view.label, view.raters) == ("Right", ("allsides",))
    assert [r.rater for r in view.ratings] == ["allsides", "mbfc"]
    assert lean_of([_rating("mbfc", NO_LEAN)]).label is None


def test_latest_rating_of_a_rater_wins() -> None:
    ratings = [_rating("mbfc", "Left", rated_at="2026-08-19"),
               _rating("mbfc", "Center", rated_at="2024-01-01")]
    assert lean_of(ratings).label == "Left"


def test_factuality_average_is_ordinal_with_ties_to_lower() -> None:
    pair = [_rating("mbfc", "High", "factuality"), _rating("other", "Mixed", "factuality")]
    assert factuality_of(pair).label == "Mostly Factual"
    tie = [_rating("mbfc", "High", "factuality"), _rating("other", "Mostly Factual", "factuality")]
    assert factuality_of(tie).label == "Mostly Factual"
    assert factuality_of(tie, "mbfc").label == "High"
    assert factuality_of([]).label is None


@pytest.mark.parametrize(("bias", "lean"), [
    (0.0, "Center"), (6.0, "Center"), (-6.0, "Center"), (-6.01, "Lean Left"),
    (18.0, "Lean Right"), (18.5, "Right"), (-42.0, "Left"),
])
def test_adfontes_bias_mapping(bias: float, lean: str) -> None:
    assert lean_from_adfontes_bias(bias) == lean


def test_unsplittable_text_is_a_value_error(registry: OutletRegistry) -> None:
    with pytest.raises(ValueError, match="not a URL or domain"):
        registry.resolve("http://[broken/x")
