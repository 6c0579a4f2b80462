"""``?format=csv``: a list response as a CSV download (the text: ``service.csvout``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi.responses import Response

from service.csvout import csv_text


def csv_response(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *, name: str,
                 next_cursor: str | None = None) -> Response:
    """A ``text/csv`` download; the next page's cursor (if any) is in ``X-Next-Cursor``."""
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    if next_cursor:
        headers["X-Next-Cursor"] = next_cursor
    return Response(csv_text(rows, columns), media_type="text/csv; charset=utf-8", headers=headers)
