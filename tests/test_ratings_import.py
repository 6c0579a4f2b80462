"""Importers for the raters' public formats, tested on hand-written files with invented outlets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.model import NO_LEAN, Rating
from analysis.ratings_import import ImportResult, RatingsFormatError, parse_ratings

FIXTURES = Path(__file__).parent / "fixtures" / "ratings"


def _load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _values(result: ImportResult, dimension: str) -> dict[str, str]:
    return {r.domain: r.value for r in result.ratings if r.dimension == dimension}


def test_allsides_snapshot_normalises_labels_and_domains() -> None:
    result = parse_ratings(_load("allsides_snapshot.csv"), "allsides", "snap.csv", "2023-11-15")
    assert _values(result, "lean") == {
        "harborledger.example": "Left",
        "valleycourier.example": "Lean Left",
        "plainviewtimes.example": "Center",
        "ridgereport.example": "Lean Right",
        "summitsentinel.example": "Right",
        "bothsides.example": NO_LEAN,
    }
    mixed = next(r for r in result.ratings if r.domain == "bothsides.example")
    assert mixed.raw_value == "Mixed"


def test_allsides_snapshot_keeps_provenance_on_every_rating() -> None:
    result = parse_ratings(_load("allsides_snapshot.csv"), "allsides", "snap.csv", "2023-11-15")
    assert {(r.rater, r.rated_at, r.origin) for r in result.ratings} == {
        ("allsides", "2023-11-15", "snap.csv")
    }


def test_allsides_snapshot_reports_bad_rows_by_number() -> None:
    result = parse_ratings(_load("allsides_snapshot.csv"), "allsides", "snap.csv", None)
    assert "row 10: no website for 'Mystery Outlet'" in result.problems
    assert "row 11: unknown AllSides rating 'Sideways'" in result.problems
    assert any(p.startswith("row 12: second lean 'Right' for plainviewtimes.example")
               for p in result.problems)
    assert "skipped 2 row(s) that rate a person, not an outlet" in result.problems


def test_allsides_contributor_row_does_not_rate_the_outlet() -> None:
    result = parse_ratings(_load("allsides_snapshot.csv"), "allsides", "snap.csv", None)
    harbor = [r for r in result.ratings if r.domain == "harborledger.example"]
    assert [r.value for r in harbor] == ["Left"]


def test_allsides_name_without_link_resolves_through_names() -> None:
    names = {"mystery outlet": "mystery.example"}
    result = parse_ratings(_load("allsides_snapshot.csv"), "allsides", "snap.csv", None,
                           names=names)
    assert _values(result, "lean")["mystery.example"] == "Center"


def test_allsider_shape_skips_authors_and_maps_lowercase_labels() -> None:
    result = parse_ratings(_load("allsider.csv"), "allsides", "allsides_data.csv", "2019-10-18")
    assert _values(result, "lean") == {
        "harborledger.example": "Left",
        "plainviewtimes.example": "Center",
        "ridgereport.example": "Lean Right",
        "bothsides.example": NO_LEAN,
    }
    assert result.problems == ["skipped 1 row(s) that rate a person, not an outlet"]


def test_mbfc_list_maps_bias_reporting_and_credibility() -> None:
    result = parse_ratings(_load("mbfc_sources.json"), "mbfc", "sources-pretty.json", "2026-08-19")
    assert _values(result, "lean") == {
        "valleycourier.example": "Lean Left",
        "plainviewtimes.example": "Center",
        "medjournal.example/journals/mj": NO_LEAN,
        "rumourmill.example": NO_LEAN,
        "summitsentinel.example": "Right",
        "nofacts.example": "Center",
    }
    assert _values(result, "factuality") == {
        "valleycourier.example": "High",
        "plainviewtimes.example": "Very High",
        "medjournal.example/journals/mj": "Very High",
        "rumourmill.example": "Low",
        "summitsentinel.example": "Mixed",
    }
    assert _values(result, "credibility")["summitsentinel.example"] == "Medium"


def test_mbfc_keeps_raw_value_of_categories_without_lean() -> None:
    result = parse_ratings(_load("mbfc_sources.json"), "mbfc", "sources-pretty.json", None)
    raw = {r.domain: r.raw_value for r in result.ratings if r.dimension == "lean"}
    assert raw["medjournal.example/journals/mj"] == "pro-science"
    assert raw["rumourmill.example"] == "questionable"


def test_mbfc_reports_bad_items() -> None:
    result = parse_ratings(_load("mbfc_sources.json"), "mbfc", "sources-pretty.json", None)
    assert result.problems == [
        "item 7: unknown MBFC bias 'upside-down'",
        "item 7: unknown MBFC factual reporting 'sometimes'",
        "item 8: not a source object with a domain",
        "item 9: not a source object with a domain",
    ]


def test_mbfc_dict_keyed_by_domain() -> None:
    result = parse_ratings(_load("mbfc_by_domain.json"), "mbfc", "combined.json", None)
    assert _values(result, "lean") == {
        "valleycourier.example": "Lean Left", "summitsentinel.example": "Lean Right"}
    assert _values(result, "factuality")["valleycourier.example"] == "Mostly Factual"


def test_adfontes_bias_becomes_lean_and_reliability_stays_numeric() -> None:
    names = {"plainview times": "plainviewtimes.example"}
    result = parse_ratings(_load("adfontes.csv"), "adfontes", "af.csv", "2023-06-01", names=names)
    assert _values(result, "lean") == {
        "harborledger.example": "Lean Left",
        "plainviewtimes.example": "Center",
        "summitsentinel.example": "Right",
    }
    assert _values(result, "reliability") == {
        "harborledger.example": "44.5", "plainviewtimes.example": "47",
        "summitsentinel.example": "30"}
    assert not _values(result, "factuality")
    harbor = next(r for r in result.ratings
                  if r.domain == "harborledger.example" and r.dimension == "lean")
    assert harbor.raw_value == "-12.25"


def test_adfontes_reports_unknown_names_and_bad_numbers() -> None:
    result = parse_ratings(_load("adfontes.csv"), "adfontes", "af.csv", None)
    assert len(result.problems) == 4
    assert result.problems[0].startswith("row 3: source 'Plainview Times' is neither")
    assert result.problems[1].startswith("row 5: source 'Unknown Name Weekly'")
    assert result.problems[2].startswith("row 6: reliability 'seventy'")
    assert result.problems[3].startswith("row 7: reliability '41' (0..64) or bias '-50'")


def test_generic_csv_rows_carry_their_rater_and_date() -> None:
    result = parse_ratings(_load("generic.csv"), "csv", "mine.csv", "2026-01-01")
    by_key = {(r.domain, r.dimension): r for r in result.ratings}
    assert by_key[("harborledger.example", "lean")] == Rating(
        domain="harborledger.example", rater="house panel", dimension="lean", value="Lean Left",
        raw_value="Lean Left", rated_at="2026-10-01", origin="mine.csv")
    assert by_key[("harborledger.example", "factuality")].value == "Mostly Factual"
    assert by_key[("plainviewtimes.example", "reliability")].value == "38.5"
    assert by_key[("plainviewtimes.example", "reliability")].rater == "user"
    assert by_key[("plainviewtimes.example", "reliability")].rated_at == "2026-01-01"
    assert by_key[("ridgereport.example", "lean")].value == "Lean Left"


def test_generic_csv_bad_rows() -> None:
    result = parse_ratings(_load("generic.csv"), "csv", "mine.csv", None)
    assert [p.split(":")[0] for p in result.problems] == ["row 6", "row 7", "row 8", "row 9"]
    assert "unknown dimension 'mood'" in result.problems[0]
    assert "'very right' is not a lean value" in result.problems[1]
    assert "bad domain ''" in result.problems[2]
    assert "rated_at '30/09/2026' is not an ISO date" in result.problems[3]


def test_missing_columns_raise_naming_them() -> None:
    with pytest.raises(RatingsFormatError, match="missing column.*bias_rating or rating"):
        parse_ratings(_load("allsides_missing_columns.csv"), "allsides", "x.csv", None)


def test_truncated_json_raises() -> None:
    with pytest.raises(RatingsFormatError, match="not JSON"):
        parse_ratings(_load("mbfc_truncated.json"), "mbfc", "x.json", None)


def test_json_that_is_not_a_list_or_object_raises() -> None:
    with pytest.raises(RatingsFormatError, match="list or an object"):
        parse_ratings("42", "mbfc", "x.json", None)


def test_non_utf8_file_raises() -> None:
    with pytest.raises(RatingsFormatError, match="not UTF-8"):
        parse_ratings(_load("adfontes_latin1.csv"), "adfontes", "x.csv", None)


def test_empty_file_raises() -> None:
    with pytest.raises(RatingsFormatError, match="empty"):
        parse_ratings(b"  \n", "csv", "empty.csv", None)


def test_mbfc_file_given_as_csv_is_unreadable() -> None:
    with pytest.raises(RatingsFormatError, match="missing column"):
        parse_ratings(_load("mbfc_sources.json"), "csv", "wrong.csv", None)


def test_utf8_bom_is_accepted() -> None:
    data = "\ufeffdomain,dimension,value\nexample.org,lean,Center\n".encode()
    result = parse_ratings(data, "csv", "bom.csv", None)
    assert [(r.domain, r.value) for r in result.ratings] == [("example.org", "Center")]


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300), rater=st.sampled_from(["allsides", "mbfc", "adfontes", "csv"]))
def test_arbitrary_text_gives_a_result_or_a_format_error(text: str, rater: str) -> None:
    try:
        result = parse_ratings(text, rater, "fuzz", None)  # type: ignore[arg-type]
    except RatingsFormatError:
        return
    assert all(r.domain and r.origin == "fuzz" for r in result.ratings)


@settings(max_examples=60, deadline=None)
@given(link=st.text(max_size=40), label=st.sampled_from(["Left", "Center", "x"]))
def test_arbitrary_links_never_crash_the_allsides_parser(link: str, label: str) -> None:
    row = [cell.replace('"', '""') for cell in ("Name", link, label)]
    data = "news_source,news_link,bias_rating\n" + ",".join(f'"{c}"' for c in row) + "\n"
    result = parse_ratings(data, "allsides", "fuzz", None)
    assert len(result.ratings) + len(result.problems) >= 1


def test_the_wide_layout_domain_lean_factuality_is_accepted() -> None:
    text = ("domain,lean,factuality,rated_at\n"
            "harborledger.example,Lean Left,High,2026-10-01\n"
            "ridgereport.example,right-center,,\n"
            "quietvalley.example,,,\n"
            "plainview.example,very right,High,\n")
    result = parse_ratings(text, "csv", "wide.csv", "2026-11-30")
    assert sorted((r.domain, r.dimension, r.value, r.rated_at) for r in result.ratings) == [
        ("harborledger.example", "factuality", "High", "2026-10-01"),
        ("harborledger.example", "lean", "Lean Left", "2026-10-01"),
        ("plainview.example", "factuality", "High", "2026-11-30"),
        ("ridgereport.example", "lean", "Lean Right", "2026-11-30")]
    assert result.problems == ["row 4: no value in any of the columns lean, factuality",
                               "row 5: 'very right' is not a lean value"]


def test_the_downloadable_template_imports_as_is() -> None:
    template = Path(__file__).parent.parent / "api" / "static" / "ratings-template.csv"
    result = parse_ratings(template.read_bytes(), "csv", "ratings-template.csv")
    assert result.problems == [] and len(result.ratings) == 4
    assert {r.rater for r in result.ratings} == {"my panel"}


@pytest.mark.parametrize("text", ["2026-02-30", "yesterday", "30/09/2026", "2026-1-5"])
def test_only_real_iso_dates_are_dates(text: str) -> None:
    from analysis.ratings_import import is_iso_date

    assert not is_iso_date(text)
    assert is_iso_date("2026-02-28") and is_iso_date("2026-02-28T10:00:00Z")
