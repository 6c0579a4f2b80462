"""``cartwatch page extract``: one JSON line per page, the crawler's own extraction, errors too."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cartwatch.commands.page import page_app

GOLDEN = Path(__file__).parent / "fixtures" / "golden" / "pages"
KEYS = ["path", "title", "text", "published", "authors", "site_name", "canonical_url", "language"]
runner = CliRunner()


def lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_prints_one_json_line_per_page_with_the_golden_extraction() -> None:
    pages = sorted(GOLDEN.glob("*.html"))
    result = runner.invoke(page_app, ["extract", *map(str, pages)])
    assert result.exit_code == 0, result.output
    records = lines(result.output)
    assert [r["path"] for r in records] == [str(p) for p in pages]
    for record, path in zip(records, pages, strict=True):
        assert list(record) == KEYS
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert record | {"path": path.name} == expected


def test_url_option_resolves_a_relative_canonical(tmp_path: Path) -> None:
    page = GOLDEN / "newspaper_feature_cp1252.html"
    without = lines(runner.invoke(page_app, ["extract", str(page)]).output)[0]
    assert without["canonical_url"] is None  # relative, and no --url to resolve it against
    with_url = lines(runner.invoke(page_app, ["extract", str(page), "--url",
                                              "https://www.chronicle.example/health/x?utm_source=t"]).output)[0]
    assert with_url["canonical_url"] == "https://www.chronicle.example/health/2026/nov/15/car-t-wait-families"
    assert with_url["site_name"] == "The Northern Chronicle" and with_url["language"] == "en"


def test_failures_print_an_error_line_and_exit_1_after_all_files(tmp_path: Path) -> None:
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj\n")
    teaser = tmp_path / "teaser.html"
    teaser.write_text("<html><body><article><p>Subscribe to keep reading.</p></article></body></html>")
    good = GOLDEN / "trade_press_cilta_cel.html"
    result = runner.invoke(page_app, ["extract", str(pdf), str(tmp_path / "missing.html"), str(teaser), str(good)])
    assert result.exit_code == 1
    records = lines(result.output)
    assert records[0] == {"path": str(pdf), "error": "extract_error: not an HTML page (PDF bytes)"}
    assert records[1]["path"].endswith("missing.html") and str(records[1]["error"]).startswith("cannot read file")
    assert "paywall teaser or empty page" in str(records[2]["error"])
    assert records[3]["title"] == "CARTITUDE-4: Cilta-cel Extends Overall Survival in Lenalidomide-Refractory Myeloma"
