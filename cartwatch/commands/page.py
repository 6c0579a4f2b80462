"""``cartwatch page extract FILE.html… [--url URL]``: show how the crawler reads saved pages.

Each file is read as the crawler reads a fetched page (``crawler.parse.parse_article``: the same
decoding, tree, trafilatura call and checks) and printed as one JSON line:
``{"path", "title", "text", "published", "authors", "site_name", "canonical_url", "language"}``.
A file that cannot be read or holds no article prints ``{"path", "error"}`` and the command
exits with 1 after the last file. ``--url`` is the address the page was fetched from; it resolves
relative rel=canonical links. Without it, only an absolute canonical the page declares is shown.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from crawler.errors import CrawlerError
from crawler.fetch import Fetched
from crawler.parse import parse_article

page_app = typer.Typer(help="Inspect how pages are read.", no_args_is_help=True)

# A reserved (RFC 2606) address for files given without --url: never fetched, never shown.
PLACEHOLDER_ORIGIN = "https://page.invalid"


@page_app.callback()
def page() -> None:
    """Inspect how pages are read (a group, so `page extract` stays a subcommand)."""


@page_app.command("extract")
def extract(
    files: Annotated[list[Path], typer.Argument(help="saved HTML pages")],
    url: Annotated[str | None, typer.Option("--url", help="the URL the page(s) were fetched from")] = None,
) -> None:
    """Print the crawler's extraction of each page as one JSON line."""
    failed = False
    for path in files:
        record = extract_file(path, url)
        failed = failed or "error" in record
        typer.echo(json.dumps(record, ensure_ascii=False))
    if failed:
        raise typer.Exit(1)


def extract_file(path: Path, url: str | None = None) -> dict[str, Any]:
    try:
        body = path.read_bytes()
    except OSError as exc:
        return {"path": str(path), "error": f"cannot read file: {exc.strerror or exc}"}
    page_url = url or f"{PLACEHOLDER_ORIGIN}/{path.name}"
    fetched = Fetched(page_url, page_url, 200, {"content-type": "text/html"}, body)
    try:
        page = parse_article(fetched)
    except CrawlerError as exc:
        return {"path": str(path), "error": f"{exc.kind}: {exc.message}"}
    canonical = page.canonical_url
    if canonical and not url and canonical.startswith(PLACEHOLDER_ORIGIN):
        canonical = None  # a relative canonical resolved against the placeholder means nothing
    return {
        "path": str(path), "title": page.title, "text": page.text, "published": page.published_at,
        "authors": list(page.authors), "site_name": page.site_name, "canonical_url": canonical,
        "language": page.language,
    }

