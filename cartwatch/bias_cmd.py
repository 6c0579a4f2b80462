"""``cartwatch bias compare --by therapy|month|source_type [--since] [--until] [--rater]``.

Prints ``api.compare.compare`` as rich tables: per group the outlets' lean (counts and shares of
rated outlets), the articles' efficacy/safety emphasis and main source type; then the emphasis
per lean bucket and per source type over all groups.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from analysis.distributions import EmphasisShare
from analysis.outlets import LEAN_LABELS
from api.compare import Comparison, compare
from api.params import ordered_window, to_instant
from cartwatch.config import AppConfig
from store.db import open_readonly


class CompareBy(str, Enum):
    therapy = "therapy"
    month = "month"
    source_type = "source_type"


class RaterName(str, Enum):
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
    conn = open_readonly(db_path)
    try:
        return compare(conn, by=by, since=begin, until=end, rater=rater)
    finally:
        conn.close()


def groups_table(found: Comparison) -> Table:
    view = found.rater or "average of raters"
    window = f"{found.since or 'start'} → {found.until or 'now'}"
    table = Table(title=f"coverage by {found.by} ({window}; lean: {view})")
    for name in ("group", "articles", "outlets", *LEAN_LABELS, "unrated", "efficacy", "safety", "main source type"):
        table.add_column(name, justify="left" if name in ("group", "main source type") else "right")
    for g in found.groups:
        main = max(g.source_type.buckets, key=lambda b: b.count)
        table.add_row(Text(g.group), str(g.articles), str(g.outlets),
                      *(f"{b.count} ({b.percent:g}%)" for b in g.lean.buckets), str(g.lean.unrated),
                      f"{g.emphasis.efficacy_percent:g}%", f"{g.emphasis.safety_percent:g}%",
                      Text(main.label if main.count else "unrated"))
    return table


def emphasis_table(title: str, shares: dict[str, EmphasisShare]) -> Table:
    table = Table(title=title)
    for name in ("bucket", "articles", "efficacy", "safety"):
        table.add_column(name, justify="left" if name == "bucket" else "right")
    for bucket, share in shares.items():
        table.add_row(Text(bucket), str(share.articles), f"{share.efficacy} ({share.efficacy_percent:g}%)",
                      f"{share.safety} ({share.safety_percent:g}%)")
    return table


def print_comparison(found: Comparison, console: Console) -> None:
    console.print(groups_table(found))
    console.print(emphasis_table("efficacy vs safety emphasis by outlet lean", found.emphasis_by_lean))
    console.print(emphasis_table("efficacy vs safety emphasis by source type", found.emphasis_by_source_type))


def register(group: typer.Typer, config: Callable[[], AppConfig], console: Console | None = None) -> None:
    """Add ``compare`` to ``group`` (the ``bias`` sub-app); ``config`` returns the configuration."""

    @group.command("compare")
    def compare_command(
        by: Annotated[CompareBy, typer.Option(help="group by therapy, month or source type")] = CompareBy.therapy,
        since: Annotated[str | None, typer.Option(help="2026-01-01, 2026-01-01T00:00:00Z, 30d ...")] = None,
        until: Annotated[str | None, typer.Option(help="end (exclusive), same forms")] = None,
        rater: Annotated[RaterName | None, typer.Option(help="one rater's view (default: the average)")] = None,
    ) -> None:
        """Lean, source types and efficacy/safety emphasis of coverage, per group."""
        try:
            found = bias_comparison(config().database.path, by=by.value, since=since, until=until,
                                    rater=rater.value if rater else None)
        except ValueError as exc:
            typer.echo(f"error: --since/--until: {exc}", err=True)
            raise typer.Exit(2) from None
        print_comparison(found, console or Console())
