"""``cartwatch bias compare``: the comparison as rich tables, over a read-only connection."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from cartwatch.commands.bias import bias_comparison, print_comparison, register
from cartwatch.config import parse_config
from tests.seed import NOW, seed


@pytest.fixture
def db(tmp_path: Path) -> str:
    seed(tmp_path / "b.db")
    return str(tmp_path / "b.db")


def rendered(db: str, **options: str) -> str:
    console = Console(record=True, width=220, color_system=None)
    print_comparison(bias_comparison(db, now=NOW, **options), console)
    return console.export_text()


def test_by_therapy_prints_lean_counts_and_emphasis(db: str) -> None:
    out = rendered(db, by="therapy")
    assert "coverage by therapy (start → now; lean: average of raters)" in out
    ide = next(line for line in out.splitlines() if "ide-cel" in line)
    assert "LL 75 · C 25" in ide  # three Lean Left outlets of four rated, one Center
    assert "efficacy vs safety emphasis by outlet lean" in out and "peer-reviewed journal" in out


def test_window_and_rater(db: str) -> None:
    comparison = bias_comparison(db, by="month", since="2026-11-01", rater="allsides", now=NOW)
    assert [g.group for g in comparison.groups] == ["2026-11"]
    assert comparison.since == "2026-11-01T00:00:00Z" and comparison.rater == "allsides"
    assert "lean: allsides" in rendered(db, by="source_type", rater="allsides")
    with pytest.raises(ValueError):
        bias_comparison(db, since="last tuesday")


def test_registered_command(db: str) -> None:
    app = typer.Typer()
    bias = typer.Typer()
    app.add_typer(bias, name="bias")
    register(bias, lambda: parse_config({"database": {"path": db}}), Console(width=200, color_system=None))
    runner = CliRunner()
    result = runner.invoke(app, ["bias", "compare", "--by", "therapy", "--since", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert "cilta-cel" in result.output
    assert runner.invoke(app, ["bias", "compare", "--by", "outlet"]).exit_code == 2
    assert runner.invoke(app, ["bias", "compare", "--since", "soon"]).exit_code == 2


@pytest.mark.parametrize("by", ["therapy", "month", "source_type"])
def test_tables_fit_an_80_column_terminal(db: str, by: str) -> None:
    console = Console(record=True, width=80, color_system=None)
    print_comparison(bias_comparison(db, by=by, now=NOW), console)
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in "\n".join(lines)  # nothing cut off, only folded
    if by == "therapy":
        row = next(line for line in lines if line.lstrip().startswith("cilta-cel"))
        assert row.split() == ["cilta-cel", "12", "9", "LL", "25", "·", "C", "50", "·", "R", "25", "5", "83.3%", "8.3%"]


def test_csv_and_json_output(db: str, tmp_path: Path) -> None:
    import csv
    import io
    import json

    config = tmp_path / "config.toml"
    config.write_text(f'[database]\npath = "{db}"\n', encoding="utf-8")
    from cartwatch.cli import app as cli

    runner = CliRunner()
    as_csv = runner.invoke(cli, ["--config", str(config), "bias", "compare", "--format", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    ide = next(r for r in rows if r["group"] == "idecabtagene vicleucel")
    assert (ide["articles"], ide["lean:Lean Left"], ide["lean:Center"], ide["lean:unrated"]) == ("5", "3", "1", "1")
    as_json = json.loads(runner.invoke(cli, ["--config", str(config), "bias", "compare", "--format", "json"]).output)
    assert [g["group"] for g in as_json["groups"]] == [r["group"] for r in rows]
    bad = runner.invoke(cli, ["--config", str(config), "bias", "compare", "--format", "xml"])
    assert bad.exit_code == 2
