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
from analysis.therapies import find_therapies, find_trials

# "| a | b |", as trafilatura writes an HTML table; some pages' copies drop the leading pipe ("a | b |")
_ROW = re.compile(r"^[ \t]*(?:\||[^\n|]+\|(?=[^\n]*\|[ \t]*$)).*\|[ \t]*$", re.M)
_RULE = re.compile(r"^[\s|:\-–—]+$")
# "No." is a count's heading; a bare "No" (beside "Yes") is an answer
_COUNT_HEADER = re.compile(r"^(?:n|no\.(?:\s+of\s+(?:patients|pts))?|no\s+of\s+(?:patients|pts)|number\s+of\s+(?:patients|pts)|patients|pts|"
                           r"patients?\s+(?:number|no\.?|count)|sample\s+size|"
                           r"(?:patients\s+)?(?:treated|infused|enrolled|evaluable)(?:\s+patients)?"
                           # "No. of patients infused (enrolled)", "Number of patients infused, n"
                           r"|(?:no\.?|number)\s+of\s+(?:patients|pts)\s+(?:treated|infused|enrolled|evaluable)"
                           r"(?:\s*\((?:treated|infused|enrolled|apheresed|leukapheresed)\))?(?:,\s*n)?"
                           # "# apheresed (%)", "# Treated set (%)": a count with its share of those enrolled
                           r"|(?:n\s*,\s*)?#\s*(?:apheresed|leukapheresed|treated|infused|enrolled|evaluable)"
                           r"(?:\s+(?:set|population|patients))?(?:\s*\(\s*%\s*\))?)"
                           r"(?:\s*\((?:n|no\.)\))?$", re.I)
_CELL_VALUE = re.compile(r"^\s*(?:(?P<nr>NR|not\s+reached)\b|(?P<part>\d+)\s*/\s*(?P<whole>\d+)\b"
                         r"|(?P<num>\d+(?:\.\d+)?)(?:\s*(?P<pct>%))?(?![\d.%]|\s*/))", re.I)
# "92%/68%" under "Best ORR/CR", "62%/25mo" under "PFS (12mo)(median)": two figures in one cell
_SLASH_CELL = re.compile(r"^\s*(?P<a>\d+(?:\.\d+)?|NR)\s*(?P<ua>%|mo(?:nths?)?\b|m\b|y(?:ears?|rs?)?\b)?\s*/\s*"
                         r"(?P<b>\d+(?:\.\d+)?|NR)\s*(?P<ub>%|mo(?:nths?)?\b|m\b|y(?:ears?|rs?)?\b)?", re.I)
_BRACKET_LANDMARK = re.compile(r"\(\s*(\d+(?:\.\d+)?)\s*-?\s*(mo|months?|m|y|yrs?|years?)\s*\)", re.I)
_MEDIAN_WORD = re.compile(r"\bmedian\b|\bm(?:PFS|OS|EFS|DOR)\b", re.I)
_YEARS = re.compile(r"\b(?:years?|yrs?)\b", re.I)
_PERCENT = re.compile(r"%|\bpercent\b|\brate\b", re.I)
_COMPARATOR = re.compile(r"standard|\bSOC\b|physician|investigator|placebo|chemotherap|salvage|control|comparator"
                         r"|\bbest\s+supportive|historical|SCHOLAR", re.I)
_N_PERCENT = re.compile(r",?\s*n\s*\(\s*%\s*\)|,?\s*no\.\s*\(\s*%\s*\)", re.I)
_COUNT_AND_SHARE = re.compile(r"^\s*\d+\s*\(\s*\d+(?:\.\d+)?\s*%?\s*\)\s*$")
_BRACKETED_SHARE = re.compile(r"\(\s*(\d+(?:\.\d+)?)\s*%?\s*\)")
_NO_EVENT_ROW = re.compile(r"\bgrade\s*0\b|\bno\s+(?:CRS|ICANS|cytokine|neuro)|not\s+reported|\bnone\b|\bmissing\b", re.I)
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
    # a table written one cell per line: its header's cells and each data row's, in ``rows``' order
    # (None for a pipe table, whose cells are read from its lines)
    grid: tuple[tuple[str, ...], ...] | None = None


def find_tables(text: str) -> list[Table]:
    """Pipe tables, tables written one cell per line, and tables whose cells lost their separators
    (``find_glued_tables``), of at least a header and one data row (two for glued ones)."""
    return _pipe_tables(text) + find_line_tables(text) + find_glued_tables(text)


# Some sites' table markup reaches the text with its cells run together, one row per line:
#   "Clinical trialPatient groupObjective response rateComplete remission rateOverall survivalReference"
#   "ZUMA-1 (Kite Pharma)Adults with refractory large B-cell lymphoma82%54%52% at 18 months14"
# A cell ends where a lower-case word (or a bracket, or a share) runs into a capital, a lower-case word
# into a figure ("lymphoma82%", "months14"), capitals into a share ("B-ALL81%"), or a share into the next
# cell ("81%81%", "64%43%"), or an abbreviation into a word ("Median PFSReference", "MSKCCAdults").
_GLUE = re.compile(r"(?<=[a-z)\]])(?=[A-Z])|(?<=[A-Z]{2})(?=[A-Z][a-z])|(?<=[a-z])(?=\d)|(?<=[A-Z]{2})(?=\d+(?:\.\d+)?%)"
                   r"|(?<=%)(?=[\dA-Za-z])")
_GLUED_HEADER = re.compile(r"[a-z)][A-Z][^\n]*[a-z)][A-Z]")
_GLUED_LINE = re.compile(r"^[^\n|]{12,400}$", re.M)


def find_glued_tables(text: str) -> list[Table]:
    """Tables whose cells arrive glued together: a header line of at least two metric labels, then
    at least two lines splitting into as many cells. Rows splitting otherwise are skipped."""
    if "%" not in text or text.count("\n") < 2:
        return []
    lines = list(_GLUED_LINE.finditer(text))
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        if not _GLUED_HEADER.search(lines[i].group()):
            i += 1  # a header runs at least two labels into the next ones ("...rateComplete...rateOverall")
            continue
        header = [cell.strip() for cell in _GLUE.split(lines[i].group()) if cell.strip()]
        if len(header) < 3 or sum(_column(cell) is not None for cell in header) < 2 or _FIGURE_CELL.match(header[0]):
            i += 1
            continue
        rows: list[tuple[tuple[int, int], tuple[str, ...]]] = []
        j = i + 1
        while j < len(lines) and text[lines[j - 1].end() : lines[j].start()].strip() == "":
            cells = tuple(cell.strip() for cell in _GLUE.split(lines[j].group()) if cell.strip())
            if len(cells) == len(header) and not _FIGURE_CELL.match(cells[0]):
                rows.append(((lines[j].start(), lines[j].end()), cells))
            j += 1
        if len(rows) >= 2:
            tables.append(Table(lines[i].start(), rows[-1][0][1], tuple(span for span, _ in rows),
                                (tuple(header), *(cells for _, cells in rows))))
        i = j
    return tables


def _pipe_tables(text: str) -> list[Table]:
    if "|" not in text:
        return []
    tables: list[Table] = []
    block: list[re.Match[str]] = []
    for m in [*_ROW.finditer(text), None]:
        if m is not None and (not block or text[block[-1].end() : m.start()].strip() == ""):
            block.append(m)
            continue
        rows = [r for r in block[1:] if not _RULE.match(r.group())]
        # rows without a leading pipe make a table only under a rule line ("---|---|"): a registry
        # record's "Enrollment | 75 |" lines are fields, read as prose
        ruled = any(r.group().lstrip().startswith("|") for r in block) or any(_RULE.match(r.group()) for r in block)
        if len(block) >= 2 and rows and ruled:
            tables.append(Table(block[0].start(), block[-1].end(), tuple((r.start(), r.end()) for r in rows)))
        block = [m] if m is not None else []
    return tables


# A table copied out of a web page often arrives one cell per line: header cells, then each row's
# cells, each on its own line. A cell line is short; a figure's cell starts with its figure.
_ANY_LINE = re.compile(r"^[ \t]*(\S[^\n]*?)[ \t]*$", re.M)
_SHORT_CELL, _LONG_CELL = 80, 240
_FIGURE_CELL = re.compile(r"^(?:\d|NR\b|NE\b|NA\b|N/A\b|not\s+(?:reached|estimable|evaluable|available)|[-–—]$)", re.I)
_MIN_CELL_LINES = 8


def find_line_tables(text: str) -> list[Table]:
    """Tables written one cell per line, either way round: a header of products (or trials) over
    rows that each start with a metric's label, or a header of metric labels over rows that each
    start with a product. Blank lines between cells are ignored; a longer line ends the table."""
    if text.count("\n") < _MIN_CELL_LINES:
        return []
    tables: list[Table] = []
    for run in _cell_runs(text):
        # a title or a note line may read as a header too: the grids covering most cells win
        found = [table for at in range(len(run) - 3) if (table := _grid_at(run, at)) is not None]
        found.sort(key=lambda t: (-sum(len(row) for row in t.grid or ()), t.start))
        for table in found:
            if all(table.end <= kept.start or table.start >= kept.end for kept in tables):
                tables.append(table)
    return sorted(tables, key=lambda t: t.start)


def _cell_runs(text: str) -> list[list[re.Match[str]]]:
    """Runs of at least _MIN_CELL_LINES short lines, blank lines between them allowed. A longer line
    (an eligibility or design cell) between two short ones is a cell of the run too; two long lines
    in a row are prose, and end it."""
    lines = list(_ANY_LINE.finditer(text))
    short = [len(m.group(1)) <= _SHORT_CELL for m in lines]
    cells = [m for i, m in enumerate(lines)
             if short[i] or (len(m.group(1)) <= _LONG_CELL and 0 < i < len(lines) - 1 and short[i - 1] and short[i + 1]
                             and not _FIGURE_CELL.match(m.group(1)))]
    runs: list[list[re.Match[str]]] = []
    run: list[re.Match[str]] = []
    for m in cells:
        if run and text[run[-1].end() : m.start()].strip():
            if len(run) >= _MIN_CELL_LINES:
                runs.append(run)
            run = []
        run.append(m)
    if len(run) >= _MIN_CELL_LINES:
        runs.append(run)
    return runs


def _grid_at(run: list[re.Match[str]], at: int) -> Table | None:
    """The table whose header starts at line ``at`` of the run: products across (``_arm_table``), or
    the longest of 2 to 6 columns with metrics across."""
    arms = _arm_table(run, at)
    if arms is not None:
        return arms
    best: tuple[int, Table] | None = None
    for width in range(2, 7):
        header = [m.group(1) for m in run[at : at + width]]
        if len(header) < width or any(_FIGURE_CELL.match(cell) for cell in header):
            continue
        by_metric = False  # products across: _arm_table
        # metrics across ("Product | Trial | ORR (%) | CR (%)"): the metric columns must hold figures,
        # other columns (trial, setting) anything
        figured = [i for i, cell in enumerate(header) if i and _column(cell) is not None]
        by_product = not by_metric and len(figured) >= 2
        if not by_metric and not by_product:
            continue
        rows: list[tuple[tuple[int, int], tuple[str, ...]]] = []
        i = at + width
        while i + width <= len(run):
            cells = [m.group(1) for m in run[i : i + width]]
            must = range(1, width) if by_metric else figured
            if _FIGURE_CELL.match(cells[0]) or not all(_FIGURE_CELL.match(cells[j]) for j in must):
                break
            rows.append(((run[i].start(1), run[i + width - 1].end(1)), tuple(cells)))
            i += width
        if not rows or (best is not None and len(rows) * width <= best[0]):
            continue
        table = Table(run[at].start(1), rows[-1][0][1], tuple(span for span, _ in rows),
                      (tuple(header), *(cells for _, cells in rows)))
        best = (len(rows) * width, table)
    return best[1] if best is not None else None


_ARM_SIZE = re.compile(r"\b[nN]\s*=\s*(\d[\d,]*)\b(?!\s*/)")
_ARM_COUNT = re.compile(r"^\(?\s*[nN]\s*=\s*\d[\d,]*\s*\)?$")


def _arm_table(run: list[re.Match[str]], at: int) -> Table | None:
    """Products across, metrics down, one cell per line, as reviews and labels print them::

        Cilta-cel (CARTITUDE-1)      <- one line per arm: the header
        Ide-cel (KarMMa)
        (n = 97)                     <- optional: each arm's size
        (n = 128)
        Efficacy                     <- a label with no figures: a section
        ORR, %                       <- a label, then one figure per arm
        97
        73
        Cytokine release syndrome    <- a section whose rows say only the grade
        Grade ≥3
        4
        5

    A row's label is read with its section's ("Cytokine release syndrome, Grade ≥3"); a row with
    fewer figures than arms (a merged or empty cell) is skipped, since which figure is whose is unclear."""
    width = 0
    while at + width < len(run) and _names_an_arm(run[at + width].group(1)) and not _FIGURE_CELL.match(
            run[at + width].group(1)):
        width += 1
    if width < 2 or (at and _names_an_arm(run[at - 1].group(1))):
        return None  # one arm is read by the prose rules; the header starts at the first arm
    header = ["", *(m.group(1) for m in run[at : at + width])]
    i = at + width
    if all(i + k < len(run) and _ARM_COUNT.match(run[i + k].group(1)) for k in range(width)):
        header = ["", *(f"{arm} ({run[i + k].group(1).strip('() ')})" for k, arm in enumerate(header[1:]))]
        i += width
    rows: list[tuple[tuple[int, int], tuple[str, ...]]] = []
    section = ""
    while i < len(run):
        label = run[i].group(1)
        if _FIGURE_CELL.match(label) or _names_an_arm(label):
            break
        figures = 0
        while i + 1 + figures < len(run) and _FIGURE_CELL.match(run[i + 1 + figures].group(1)):
            figures += 1
        if figures == 0:
            section = label
        elif figures == width:
            cells = [m.group(1) for m in run[i + 1 : i + 1 + width]]
            rows.append(((run[i].start(1), run[i + width].end(1)), (_with_section(section, label), *cells)))
        i += 1 + figures
    if not rows:
        return None
    return Table(run[at].start(1), rows[-1][0][1], tuple(span for span, _ in rows),
                 (tuple(header), *(cells for _, cells in rows)))


# the words of a row that names only a part of its section's metric ("Any grade", "Grade ≥3, %",
# "Median (95% CI), months", "12-month rate"); "Median age, years" names something else
_WORD = re.compile(r"[a-z]+")
_PART_WORDS = frozenset({"any", "all", "grade", "grades", "overall", "total", "median", "rate", "rates",
                         "estimate", "estimated", "probability", "month", "months", "mo", "years", "year", "yr",
                         "y", "at", "or", "and", "higher", "greater", "than", "equal", "to", "severe", "serious",
                         "n", "no", "ci", "range", "iqr", "events", "event", "kaplan", "meier", "km"})


def _with_section(section: str, label: str) -> str:
    """A row's label read with its section's when together they name one metric ("Cytokine release
    syndrome" + "Grade ≥3"), else the row's own ("Efficacy" + "ORR, %")."""
    if section and set(_WORD.findall(label.lower())) <= _PART_WORDS:
        joined = f"{section}, {label}"
        if _column(_N_PERCENT.sub("", joined).strip(" ,;:")) is not None:
            return joined
    return label


def _arm_products(cell: str) -> set[str]:
    """The products a column heading names, by name or by trial ("KarMMa" is ide-cel's)."""
    return {m.canonical for m in find_therapies(cell)} | {t.therapy for t in find_trials(cell)}


def _names_an_arm(cell: str) -> bool:
    return bool(_arm_products(cell)) or bool(_COMPARATOR.search(cell))


def _row_cells(text: str, table: Table, index: int, start: int, end: int) -> list[str]:
    return list(table.grid[index + 1]) if table.grid is not None else _cells(text[start:end])


def table_figures(text: str, table: Table) -> list[tuple[tuple[int, int], list[RegistryFigure]]]:
    """Per data row (its span), the figures of the columns whose header names a metric."""
    header = list(table.grid[0]) if table.grid is not None else _cells(
        text[table.start : text.index("\n", table.start) if "\n" in text[table.start : table.end] else table.end])
    columns = [_column(cell) for cell in header]
    # "| ORR/CR, % |" over "| 82/54 |": two metrics in one column, two figures in each cell
    paired = [column is None and "/" in cell and _slash_columns(cell) is not None for column, cell in zip(columns, header)]
    if not any(columns) and not any(paired):
        return _transposed(text, table, header)
    out = []
    for index, (start, end) in enumerate(table.rows):
        cells = _row_cells(text, table, index, start, end)
        if cells and _COMPARATOR.search(cells[0]):
            continue  # a comparator arm's row (rule 1)
        figures = [figure for column, cell in zip(columns, cells) if column is not None
                   for figure in [_figure(column, cell, start, end)] if figure is not None]
        figures += [figure for pair, head, cell in zip(paired, header, cells) if pair
                    for figure in _slash_figures(head, cell, start, end)]
        out.append(((start, end), figures))
    return out


_FREE_FIGURE = re.compile(r"\d\s*%|:\s*\d|\d\s*(?:months?|mo)\b", re.I)


def free_text_cells(text: str, table: Table) -> list[tuple[int, int, int, int]]:
    """Cells of a pipe table whose column names no metric but which hold labelled figures ("| 6-month
    EFS: 67% CR: 90% |" under "Disease-related outcomes"), as (cell start, cell end, row start, row
    end): a review table's outcomes column, read like prose."""
    if table.grid is not None:
        return []
    first = text[table.start : table.end].split("\n", 1)[0]
    header = _cells(first)
    columns = [_column(cell) for cell in header]
    out = []
    for start, end in table.rows:
        line = text[start:end]
        bounds = [i for i, ch in enumerate(line) if ch == "|"]
        edges = ([-1] if not line.lstrip().startswith("|") else []) + bounds
        for index, (a, b) in enumerate(zip(edges, edges[1:])):
            if index >= len(columns) or columns[index] is not None:
                continue
            cell = line[a + 1 : b]
            if _FREE_FIGURE.search(cell) and cell.strip():
                lead = len(cell) - len(cell.lstrip())
                out.append((start + a + 1 + lead, start + a + 1 + len(cell.rstrip()), start, end))
    return out


def _transposed(text: str, table: Table, header: list[str]) -> list[tuple[tuple[int, int], list[RegistryFigure]]]:
    """A label's table turned round, as drug labels print them: metrics down the first column,
    one column per arm ("| Outcome | BREYANZI (N = 192) |", "| Overall response rate, n (%) | 140 (73) |").
    A column's product is the one its header names; comparator columns give nothing."""
    arms: list[tuple[int, str | None]] = []
    trials: dict[int, str] = {}
    for i, cell in enumerate(header[1:], 1):
        if _COMPARATOR.search(cell):
            continue
        named = _arm_products(cell)
        arms.append((i, named.pop() if len(named) == 1 else None))
        column_trials = {t.canonical for t in find_trials(cell)}
        if len(column_trials) == 1:  # "Ide-cel (KarMMa-1)" and "Ide-cel (KarMMa-3)": one product, two trials
            trials[i] = column_trials.pop()
    if not arms or (len(arms) > 1 and any(product is None for _, product in arms)):
        return []  # several arms, one not named: which figure is whose is unclear
    out = []
    header_end = table.rows[0][0] if table.rows else table.end
    sizes = [RegistryFigure(product, "N_PATIENTS", float(size), "patients", False, None, table.start, header_end,
                            trials.get(i))
             for i, product in arms if product is not None
             for m in [_ARM_SIZE.search(header[i])] if m is not None
             for size in [int(m.group(1).replace(",", ""))] if size >= 1]
    if sizes:  # "Cilta-cel (CARTITUDE-1, n = 97)": the arm's size (rule 9)
        out.append(((table.start, header_end), sizes))
    section = ""
    for index, (start, end) in enumerate(table.rows):
        cells = _row_cells(text, table, index, start, end)
        if len(cells) > 1 and not any(cell.strip(" .") for cell in cells[1:]):
            section = cells[0]  # "| Response rate | | |": the rows below are its parts
            continue
        label = _with_section(section, cells[0]) if cells else ""
        shares = _N_PERCENT.search(label) is not None  # "n (%)": the share is the bracketed number
        column = _column(_N_PERCENT.sub("", label).strip(" ,;:"))
        if column is None and not _slash_columns(label):
            continue
        if column is not None and column.unit == "patients":
            shares = False  # "No. of patients infused (enrolled) | 128 (140)": the count comes first
        figures: list[RegistryFigure] = []
        for i, product in arms:
            if i >= len(cells):
                continue
            cell = cells[i]
            pair = _slash_figures(label, cell, start, end)
            if pair:
                figures.extend(replace(figure, therapy=product, trial=trials.get(i)) for figure in pair)
                continue
            count_share = _COUNT_AND_SHARE.match(cell)
            if column is None:
                continue
            if shares or (count_share and column.unit == "%"):
                # "42 (30)" in a rate's row: a count and its share (a value with its interval has a range)
                inner = _BRACKETED_SHARE.search(cell)
                cell = inner.group(1) if inner else ""
            figure = _figure(column, cell, start, end)
            if figure is not None:
                figures.append(replace(figure, therapy=product, trial=trials.get(i)))
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
    families = {c.family for c in cues}
    if families == {"CR", "sCR"}:
        families = {"CR"}  # "sCR or CR", "CR/sCR": complete response or better (guide rule 3)
    if len(families) != 1:
        return None  # no metric, or two ("ORR/CR"): not one column's figure
    family = families.pop()
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
        if _NO_EVENT_ROW.search(header):
            return None  # "Severity of CRS, Grade 0", "No CRS", "Not reported": not a rate of the event
        grade = stated_grade(header)
        if grade == "low":
            return None
        return Column(f"{family}_GRADE3PLUS" if grade == "g3" else f"{family}_ANY", "%", None)
    return None


def _slash_columns(label: str) -> tuple[Column | None, Column | None] | None:
    """The two metrics a row label names for cells holding two figures: "Best ORR/CR" (one after the
    other), or one survival metric with a landmark and a median ("PFS (12mo)(median)", "OS (12mo)"),
    whose cells say by their units which figure is which. None when the label names neither."""
    head = _N_PERCENT.sub("", label).strip(" ,;:")
    if "/" in head:
        left, _, right = head.rpartition("/")
        first, second = _column(left), _column(right)
        if first is not None and second is not None:
            return first, second
    families = {c.family for c in find_cues(head, []) if c.family is not None}
    if len(families) == 1 and (family := families.pop()) in _SURVIVAL:
        landmark = _BRACKET_LANDMARK.search(head)
        months = None
        if landmark is not None:
            amount = float(landmark.group(1))
            months = amount * 12 if landmark.group(2).lower().startswith("y") else amount
        rate = Column(f"{family}_RATE", "%", months) if months is not None else None
        return rate, Column(f"{family}_MEDIAN", "months", None)
    return None


def _slash_figures(label: str, cell: str, start: int, end: int) -> list[RegistryFigure]:
    """Both figures of a "92%/68%" or "62%/25mo" cell, each with its metric (``_slash_columns``)."""
    m = _SLASH_CELL.match(cell)
    columns = _slash_columns(label) if m else None
    if m is None or columns is None:
        return []
    out = []
    by_order = "/" in _N_PERCENT.sub("", label)
    for key, unit_key, column in (("a", "ua", columns[0]), ("b", "ub", columns[1])):
        raw, unit = m.group(key), (m.group(unit_key) or "").lower()
        if not by_order:  # the cell's unit says which: a share is the landmark rate, a duration (or NR) the median
            column = columns[0] if unit == "%" else columns[1] if unit or raw.upper() == "NR" else None
        if column is None:
            continue
        if raw.upper() == "NR":
            if column.unit in ("months", "years"):
                out.append(RegistryFigure(None, column.metric, None, "months", True, None, start, end))
            continue
        value = float(raw)
        if column.unit == "%" and (value > 100 or (unit and unit != "%")):
            continue
        if column.unit in ("months", "years") and unit == "%":
            continue
        unit_out = "years" if unit.startswith("y") else column.unit
        out.append(RegistryFigure(None, column.metric, value, unit_out, False, column.timepoint_months, start, end))
    return out


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
