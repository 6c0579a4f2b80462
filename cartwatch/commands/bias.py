"""``cartwatch bias compare --by therapy|month|source_type [--since] [--until] [--rater]``.

Prints ``service.compare.compare`` as rich tables: per group the outlets' lean (counts and shares of
rated outlets), the articles' efficacy/safety emphasis and main source type; then the emphasis
per lean bucket and per source type over all groups.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from analysis.model.results import EmphasisShare
from cartwatch.config import AppConfig
from service.compare import Comparison, compare, comparison_rows
from service.csvout import csv_text
from service.db import open_reader
from service.names import short_names
from service.windows import ordered_window, to_instant


class CompareBy(StrEnum):
    therapy = "therapy"
    month = "month"
    source_type = "source_type"


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class RaterName(StrEnum):
    allsides = "allsides"
    mbfc = "mbfc"
    adfontes = "adfontes"
    user = "user"


def bias_comparison(db_path: str, *, by: str = "therapy", since: str | None = None, until: str | None = None,
                    rater: str | None = None, now: datetime | None = None) -> Comparison:
    now = now or datetime.now(UTC).replace(microsecond=0)
    begin = to_instant(since, now=now) if since else None
    end = to_instant(until, now=now) if until else None
    ordered_window(begin, end)
    conn = open_reader(db_path)
    try:
        return compare(conn, by=by, since=begin, until=end, rater=rater)
    finally:
        conn.close()


LEAN_SHORT = {"Left": "L", "Lean Left": "LL", "Center": "C", "Lean Right": "LR", "Right": "R"}
SHORT_NAMES = short_names()


def groups_table(found: Comparison) -> Table:
    """One row per group, narrow enough for an 80-column terminal: the lean of rated outlets as
    short labels with percentages (``LL 75 · C 25``); CSV and JSON carry every count."""
    view = found.rater or "average of raters"
    window = f"{(found.since or 'start')[:10]} → {(found.until or 'now')[:10]}"
    table = Table(title=f"coverage by {found.by.replace('_', ' ')} ({window}; lean: {view})", box=box.SIMPLE_HEAD,
                  pad_edge=False, caption="lean: % of rated outlets (L, LL, C, LR, R); unr.: unrated outlets; "
                                          "eff./saf.: % of articles reporting efficacy / safety numbers")
    table.add_column("group", overflow="fold", max_width=24)
    for name in ("art.", "outl."):
        table.add_column(name, justify="right")
    table.add_column("lean (% of rated)", overflow="fold")
    for name in ("unr.", "eff.", "saf."):
        table.add_column(name, justify="right")
    for g in found.groups:
        lean = " · ".join(f"{LEAN_SHORT[b.label]} {b.percent:g}" for b in g.lean.buckets if b.count) or "none rated"
        table.add_row(Text(SHORT_NAMES.get(g.group, g.group)), str(g.articles), str(g.outlets), lean,
                      str(g.lean.unrated), f"{g.emphasis.efficacy_percent:g}%", f"{g.emphasis.safety_percent:g}%")
    return table


def emphasis_table(title: str, shares: dict[str, EmphasisShare]) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("bucket", overflow="fold", max_width=32)
    for name in ("articles", "efficacy", "safety"):
        table.add_column(name, justify="right")
    for bucket, share in shares.items():
        table.add_row(Text(bucket), str(share.articles), f"{share.efficacy} ({share.efficacy_percent:g}%)",
                      f"{share.safety} ({share.safety_percent:g}%)")
    return table


def print_comparison(found: Comparison, console: Console) -> None:
    console.print(groups_table(found))
    console.print(emphasis_table("efficacy vs safety emphasis by outlet lean", found.emphasis_by_lean))
    console.print(emphasis_table("efficacy vs safety emphasis by source type", found.emphasis_by_source_type))


def render_comparison(found: Comparison, fmt: str) -> str:
    """CSV (the API's columns: every count) or JSON (the API's document)."""
    if fmt == "json":
        return json.dumps(dataclasses.asdict(found), indent=2, ensure_ascii=False) + "\n"
    rows, columns = comparison_rows(found)
    return csv_text(rows, columns)


def register(group: typer.Typer, config: Callable[[], AppConfig], console: Console | None = None) -> None:
    """Add ``compare`` to ``group`` (the ``bias`` sub-app); ``config`` returns the configuration."""

    @group.command("compare")
    def compare_command(
        by: Annotated[CompareBy, typer.Option(help="group by therapy, month or source type")] = CompareBy.therapy,
        since: Annotated[str | None, typer.Option(help="2026-01-01, 2026-01-01T00:00:00Z, 30d ...")] = None,
        until: Annotated[str | None, typer.Option(help="end (exclusive), same forms")] = None,
        rater: Annotated[RaterName | None, typer.Option(help="one rater's view (default: the average)")] = None,
        fmt: Annotated[OutputFormat, typer.Option("--format", help="table (80 columns), csv or json")]
        = OutputFormat.table,
    ) -> None:
        """Lean, source types and efficacy/safety emphasis of coverage, per group."""
        try:
            found = bias_comparison(config().database.path, by=by.value, since=since, until=until,
                                    rater=rater.value if rater else None)
        except ValueError as exc:
            typer.echo(f"error: --since/--until: {exc}", err=True)
            raise typer.Exit(2) from None
        if fmt is OutputFormat.table:
            print_comparison(found, console or Console())
        else:
            sys.stdout.write(render_comparison(found, fmt.value))
