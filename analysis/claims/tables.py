"""Results tables, read as tables: the pipe tables trafilatura writes for an HTML ``<table>``::

    | Trial | Product | N | ORR (%) | CR (%) | Median PFS (months) |
    |---|---|---|---|---|---|
    | ZUMA-1 | axi-cel | 101 | 82 | 54 | 5.9 |

A column's header names its metric (with the cue words of analysis.claims.labels, its grade and
its landmark, "12-month PFS (%)"); a row names its product or trial, or else the text's one
product stands for it. A cell gives its first figure: "82", "82%", "82 (73-89)", "52/63", "NR".
Rows of a comparator ("Standard care", "SOC") and rows naming two products give no figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from analysis.claims.labels import find_cues, stated_grade
from analysis.claims.registry import RegistryFigure
from analysis.claims.timepoints import find_timepoints
from analysis.therapies import find_therapies

_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)  # "| a | b |", as trafilatura writes an HTML table
_RULE = re.compile(r"^[\s|:\-–—]+$")
_COUNT_HEADER = re.compile(r"^(?:n|no\.?(?:\s+of\s+(?:patients|pts))?|number\s+of\s+(?:patients|pts)|patients|pts|"
                           r"(?:patients\s+)?(?:treated|infused|enrolled|evaluable)(?:\s+patients)?)"
                           r"(?:\s*\((?:n|no\.)\))?$", re.I)
_CELL_VALUE = re.compile(r"^\s*(?:(?P<nr>NR|not\s+reached)\b|(?P<part>\d+)\s*/\s*(?P<whole>\d+)\b"
                         r"|(?P<num>\d+(?:\.\d+)?)\s*(?P<pct>%)?(?![\d.]|\s*/))", re.I)
_MEDIAN_WORD = re.compile(r"\bmedian\b|\bm(?:PFS|OS|EFS|DOR)\b", re.I)
_YEARS = re.compile(r"\b(?:years?|yrs?)\b", re.I)
_PERCENT = re.compile(r"%|\bpercent\b|\brate\b", re.I)
_COMPARATOR = re.compile(r"standard|\bSOC\b|physician|investigator|placebo|chemotherap|salvage|control|comparator"
                         r"|\bbest\s+supportive|historical|SCHOLAR", re.I)
_N_PERCENT = re.compile(r",?\s*n\s*\(\s*%\s*\)|,?\s*no\.\s*\(\s*%\s*\)", re.I)
_BRACKETED_SHARE = re.compile(r"\(\s*(\d+(?:\.\d+)?)\s*%?\s*\)")
_RESPONSE = {"ORR", "CR", "sCR", "VGPR", "MRD_NEG", "REMISSION_RATE"}
_SURVIVAL = {"PFS", "EFS", "OS"}


@dataclass(frozen=True, slots=True)
class Column:
    metric: str
    unit: str  # "%", "months", "years" or "patients"
    timepoint_months: float | None


@dataclass(frozen=True, slots=True)
class Table:
    start: int
    end: int
    rows: tuple[tuple[int, int], ...]  # spans of the data rows


def find_tables(text: str) -> list[Table]:
    """Pipe tables of at least a header and one data row."""
    if "|" not in text:
        return []
    tables: list[Table] = []
    block: list[re.Match[str]] = []
    for m in [*_ROW.finditer(text), None]:
        if m is not None and (not block or text[block[-1].end() : m.start()].strip() == ""):
            block.append(m)
            continue
        rows = [r for r in block[1:] if not _RULE.match(r.group())]
        if len(block) >= 2 and rows:
            tables.append(Table(block[0].start(), block[-1].end(), tuple((r.start(), r.end()) for r in rows)))
        block = [m] if m is not None else []
    return tables


def table_figures(text: str, table: Table) -> list[tuple[tuple[int, int], list[RegistryFigure]]]:
    """Per data row (its span), the figures of the columns whose header names a metric."""
    header = _cells(text[table.start : text.index("\n", table.start) if "\n" in text[table.start : table.end]
                         else table.end])
    columns = [_column(cell) for cell in header]
    if not any(columns):
        return _transposed(text, table, header)
    out = []
    for start, end in table.rows:
        cells = _cells(text[start:end])
        if cells and _COMPARATOR.search(cells[0]):
            continue  # a comparator arm's row (rule 1)
        figures = [figure for column, cell in zip(columns, cells) if column is not None
                   for figure in [_figure(column, cell, start, end)] if figure is not None]
        out.append(((start, end), figures))
    return out


def _transposed(text: str, table: Table, header: list[str]) -> list[tuple[tuple[int, int], list[RegistryFigure]]]:
    """A label's table turned round, as drug labels print them: metrics down the first column,
    one column per arm ("| Outcome | BREYANZI (N = 192) |", "| Overall response rate, n (%) | 140 (73) |").
    A column's product is the one its header names; comparator columns give nothing."""
    arms: list[tuple[int, str | None]] = []
    for i, cell in enumerate(header[1:], 1):
        if _COMPARATOR.search(cell):
            continue
        named = {m.canonical for m in find_therapies(cell)}
        arms.append((i, named.pop() if len(named) == 1 else None))
    if not arms or (len(arms) > 1 and any(product is None for _, product in arms)):
        return []  # several arms, one not named: which figure is whose is unclear
    out = []
    for start, end in table.rows:
        cells = _cells(text[start:end])
        label = cells[0] if cells else ""
        shares = _N_PERCENT.search(label) is not None  # "n (%)": the share is the bracketed number
        column = _column(_N_PERCENT.sub("", label).strip(" ,;:"))
        if column is None or column.unit == "patients":
            continue
        figures = []
        for i, product in arms:
            if i >= len(cells):
                continue
            cell = cells[i]
            if shares:
                inner = _BRACKETED_SHARE.search(cell)
                cell = inner.group(1) if inner else ""
            figure = _figure(column, cell, start, end)
            if figure is not None:
                figures.append(replace(figure, therapy=product))
        out.append(((start, end), figures))
    return out


def _cells(line: str) -> list[str]:
    parts = [p.strip() for p in line.strip().split("|")]
    if parts and parts[0] == "":
        parts = parts[1:]
    if parts and parts[-1] == "":
        parts = parts[:-1]
    return parts if len(parts) >= 2 else []


def _column(header: str) -> Column | None:
    if _COUNT_HEADER.match(header):
        return Column("N_PATIENTS", "patients", None)
    cues = [c for c in find_cues(header, []) if c.family is not None]
    if len(cues) != 1:
        return None  # no metric, or two ("ORR/CR"): not one column's figure
    family = cues[0].family
    if family in _RESPONSE:
        return Column(family, "%", _landmark(header))
    if family in _SURVIVAL:
        if _MEDIAN_WORD.search(header):
            return Column(f"{family}_MEDIAN", "years" if _YEARS.search(header) else "months", None)
        landmark = _landmark(header)
        return Column(f"{family}_RATE", "%", landmark) if landmark is not None or _PERCENT.search(header) else None
    if family == "DOR":
        return Column("DOR_MEDIAN", "years" if _YEARS.search(header) else "months", None)
    if family == "FOLLOWUP":
        return Column("FOLLOWUP_MEDIAN", "years" if _YEARS.search(header) else "months", None)
    if family in ("CRS", "ICANS"):
        grade = stated_grade(header)
        if grade == "low":
            return None
        return Column(f"{family}_GRADE3PLUS" if grade == "g3" else f"{family}_ANY", "%", None)
    return None


def _landmark(header: str) -> float | None:
    found = [t for t in find_timepoints(header) if t.attach]
    return found[0].months if len(found) == 1 else None


def _figure(column: Column, cell: str, start: int, end: int) -> RegistryFigure | None:
    m = _CELL_VALUE.match(cell)
    if m is None:
        return None
    if m.group("nr"):
        if column.unit not in ("months", "years"):
            return None
        return RegistryFigure(None, column.metric, None, "months", True, None, start, end)
    if m.group("whole"):
        part, whole = int(m.group("part")), int(m.group("whole"))
        if column.unit != "%" or whole < 1 or part > whole:
            return None
        return RegistryFigure(None, column.metric, round(100 * part / whole, 1), "%", False, column.timepoint_months, start, end)
    value = float(m.group("num"))
    if column.unit == "patients":
        if value != int(value) or value < 1:
            return None
    elif column.unit == "%" and value > 100:
        return None
    return RegistryFigure(None, column.metric, value, column.unit, False, column.timepoint_months, start, end)
