"""``cartwatch db stats`` and ``cartwatch db journals``: database statistics and maintenance."""

from __future__ import annotations

import typer
from rich.table import Table

from cartwatch.context import config, console

db_app = typer.Typer(help="Database maintenance and statistics.", no_args_is_help=True)


@db_app.command("stats")
def db_stats() -> None:
    """Row counts per table and the schema version."""
    from service.db import database_stats

    cfg = config()
    version, counts = database_stats(cfg.database)
    console.print(f"{cfg.database.path}: schema version {version}", highlight=False, soft_wrap=True)
    table = Table()
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in counts.items():
        table.add_row(name, str(count))
    console.print(table)


@db_app.command("journals")
def db_journals() -> None:
    """Move papers stored under PubMed / Europe PMC to their journal (kept as their route, via)."""
    from cartwatch.commands.crawl import outlet_registry
    from service.journals import move_stored_papers

    cfg = config()
    moves = move_stored_papers(cfg.database, outlet_registry(cfg))
    console.print(f"moved {moves.moved} paper(s) to their journal; {moves.unknown} from journals not in "
                  "analysis/data/journals.csv stay under PubMed / Europe PMC", highlight=False, soft_wrap=True)
