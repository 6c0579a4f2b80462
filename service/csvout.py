"""CSV text of list responses (``?format=csv``) and of CLI reports with a header row, safe to open in a spreadsheet.

A text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return), also in
their full-width forms (``＝``, ``＋``, ``－``, ``＠``, which spreadsheets in CJK locales read as
the same operators), is prefixed with ``'`` so a spreadsheet shows it as text instead of running
it as a formula (OWASP "CSV injection"). Numbers are written as numbers. Lists are joined with ``; ``.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    # NFKC folds the full-width forms (U+FF1D ＝ …) onto the ASCII operators.
    return "'" + text if unicodedata.normalize("NFKC", text[:1]).startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in columns])
    return out.getvalue()

