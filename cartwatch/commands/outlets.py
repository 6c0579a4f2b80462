"""``cartwatch sources import`` (rater files the user obtained) and ``cartwatch sources unrated``.

Rater labels are the raters' property: nothing rater-owned ships with cartwatch. The user imports
a file they obtained under the rater's terms; every value keeps its rater, date and origin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

outlets_app = typer.Typer(help="Outlets and their ratings.", no_args_is_help=True)
console = Console()


@outlets_app.command("import")
def import_ratings(
    file: Annotated[Path, typer.Argument(help="a rater file you obtained (CSV or JSON)")],
    rater: Annotated[Literal["allsides", "mbfc", "adfontes", "csv"], typer.Option("--rater", help="the file's format")],
    rated_at: Annotated[str | None, typer.Option("--rated-at", help="date the ratings were taken (YYYY-MM-DD)")] = None,
) -> None:
    """Import lean / factuality ratings, keeping rater, date and origin with every value."""
    from service.ratings import RatingsFormatError, import_rater_file, is_rating_date

    if rated_at is not None and not is_rating_date(rated_at):
        # Stored as given, "yesterday" would be a date nobody can sort or compare.
        typer.echo(f"error: --rated-at: {rated_at[:40]!r} is not an ISO date; use YYYY-MM-DD, e.g. 2026-11-30", err=True)
        raise typer.Exit(2)
    from cartwatch.commands.crawl import outlet_registry, utc_now
    from cartwatch.context import config

    cfg = config()
    registry = outlet_registry(cfg)
    try:
        data = file.read_bytes()
        saved, problems = import_rater_file(cfg.database, registry, data, rater, origin=file.name,
                                            rated_at=rated_at, now=utc_now())
    except OSError as exc:
        typer.echo(f"error: cannot read {file}: {exc}", err=True)
        raise typer.Exit(2) from None
    except RatingsFormatError as exc:
        typer.echo(f"error: {file} is not a {rater} ratings file: {exc}", err=True)
        raise typer.Exit(2) from None
    for problem in problems:
        typer.echo(f"skipped: {problem}", err=True)
    typer.echo(f"imported {saved} {rater} ratings from {file.name} ({len(problems)} rows skipped)")


@outlets_app.command("unrated")
def unrated(
    limit: Annotated[int, typer.Option(help="show at most this many outlets", min=1)] = 100,
) -> None:
    """Outlets of stored articles that no imported rater rates, most articles first."""
    from cartwatch.context import config
    from service.db import migrated_reader
    from service.listings import unrated_outlets

    conn = migrated_reader(config().database)
    try:
        rows, cursor = [], None
        while True:
            page = unrated_outlets(conn, limit=500, cursor=cursor)
            rows.extend(page.items)
            if not (cursor := page.next_cursor):
                break
    finally:
        conn.close()
    rows.sort(key=lambda r: (-r["articles"], r["domain"]))
    table = Table(title=f"{len(rows)} unrated outlet(s)")
    for column in ("domain", "name", "source type", "in registry", "articles"):
        table.add_column(column, justify="right" if column == "articles" else "left")
    for row in rows[:limit]:
        table.add_row(row["domain"], row["name"] or "", row["source_type"] or "",
                      "yes" if row["in_registry"] else "no", str(row["articles"]))
    console.print(table)
