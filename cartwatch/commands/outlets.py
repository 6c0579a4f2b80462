"""``cartwatch sources import`` (rater files the user obtained) and ``cartwatch sources unrated``.

Rater labels are the raters' property: nothing rater-owned ships with cartwatch. The user imports
a file they obtained under the rater's terms; every value keeps its rater, date and origin.
"""

from __future__ import annotations

from dataclasses import replace
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
    from analysis.ratings_import import RatingsFormatError, is_iso_date, parse_ratings

    if rated_at is not None and not is_iso_date(rated_at):
        # Stored as given, "yesterday" would be a date nobody can sort or compare.
        typer.echo(f"error: --rated-at: {rated_at[:40]!r} is not an ISO date; use YYYY-MM-DD, e.g. 2026-11-30", err=True)
        raise typer.Exit(2)
    from cartwatch.commands.crawl import outlet_registry, sync_outlets, utc_now
    from cartwatch.context import config
    from service.ratings import import_ratings as save_ratings
    from store import Store

    cfg = config()
    registry = outlet_registry(cfg)
    try:
        data = file.read_bytes()
        result = parse_ratings(data, rater, origin=file.name, rated_at=rated_at, names=registry.name_index())
    except OSError as exc:
        typer.echo(f"error: cannot read {file}: {exc}", err=True)
        raise typer.Exit(2) from None
    except RatingsFormatError as exc:
        typer.echo(f"error: {file} is not a {rater} ratings file: {exc}", err=True)
        raise typer.Exit(2) from None
    # Store each value under the registry's key for its outlet, so articles find it.
    ratings = [replace(r, domain=registry.resolve(r.domain).domain) for r in result.ratings]
    store = Store.open(cfg.database.path, busy_timeout_ms=cfg.database.busy_timeout_ms)
    try:
        sync_outlets(store, registry)
        saved = save_ratings(store, ratings, now=utc_now())
    finally:
        store.close()
    for problem in result.problems:
        typer.echo(f"skipped: {problem}", err=True)
    typer.echo(f"imported {saved} {rater} ratings from {file.name} ({len(result.problems)} rows skipped)")


@outlets_app.command("unrated")
def unrated(
    limit: Annotated[int, typer.Option(help="show at most this many outlets", min=1)] = 100,
) -> None:
    """Outlets of stored articles that no imported rater rates, most articles first."""
    from cartwatch.context import config
    from store import Store
    from store.db import open_readonly
    from store.outlets import list_unrated

    cfg = config()
    Store.open(cfg.database.path).close()  # create / migrate before the read-only connection
    conn = open_readonly(cfg.database.path)
    try:
        rows, cursor = [], None
        while True:
            page = list_unrated(conn, limit=500, cursor=cursor)
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
