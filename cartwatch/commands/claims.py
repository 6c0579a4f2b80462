"""``cartwatch claims extract`` and ``cartwatch claims rebuild``.

``extract`` is a stable interface for other tools: plain text in, JSON claims out (field names
as in ``analysis.claims.claim_to_dict``). ``rebuild`` re-extracts the claims of every stored
article after the extractor improved, in batches, one transaction per article.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

claims_app = typer.Typer(help="Extract outcome claims from text, or rebuild stored claims.", no_args_is_help=True)


def _claims_json(text: str) -> list[dict[str, Any]]:
    from service.extract import claims_of_text

    return claims_of_text(text)


@claims_app.command("extract")
def extract(
    source: Annotated[str | None, typer.Argument(help="a plain-text file, or - for standard input")] = None,
    jsonl: Annotated[Path | None, typer.Option("--jsonl", help='lines of {"id": ..., "text": ...}')] = None,
) -> None:
    """Print the claims of one text as a JSON array, or one JSON line per input line (--jsonl)."""
    if jsonl is not None:
        _extract_jsonl(jsonl)
        return
    if source in (None, "-"):
        text = sys.stdin.read()
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            typer.echo(f"error: cannot read {source}: {exc}", err=True)
            raise typer.Exit(2) from None
    typer.echo(json.dumps(_claims_json(text), ensure_ascii=False, indent=2))


def _extract_jsonl(path: Path) -> None:
    try:
        handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    except OSError as exc:
        typer.echo(f"error: cannot read {path}: {exc}", err=True)
        raise typer.Exit(2) from None
    bad = 0
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text = record["text"]
                if not isinstance(text, str):
                    raise TypeError("text is not a string")
            except (ValueError, KeyError, TypeError) as exc:
                bad += 1
                typer.echo(f"error: {path}:{number}: expected {{\"id\": ..., \"text\": \"...\"}} ({exc})", err=True)
                continue
            typer.echo(json.dumps({"id": record.get("id"), "claims": _claims_json(text)}, ensure_ascii=False))
    if bad:
        raise typer.Exit(1)


@claims_app.command("rebuild")
def rebuild(ctx: typer.Context) -> None:
    """Re-extract claims (and efficacy/safety flags) for every stored article."""
    from cartwatch.commands.crawl import utc_now
    from cartwatch.context import config
    from service.db import open_store
    from service.reanalyse import reanalyse_claims

    store = open_store(config().database)
    try:
        articles, claims = reanalyse_claims(store, now=utc_now())
    finally:
        store.close()
    typer.echo(f"re-extracted {claims} claims from {articles} articles")
