"""Parsers for the raters' public file formats: bytes or text in, ``Rating`` records out.

Pure: the CLI reads the user's file and passes its content, the file name as ``origin`` and,
when known, the date the ratings were taken as ``rated_at``. Formats (SOURCE-RATINGS.md §2):

- ``allsides``: the AllSides ratings snapshot CSV (``news_source, news_link, bias_rating, ...``)
  or the AllSideR shape (``news_source, rating, rating_num, type, ..., url``). Rows that rate a
  person (AllSideR ``type`` author, "Contributor"/"(cartoonist)" names, social-media links) are
  skipped and counted in one problem line.
- ``mbfc``: the MBFC browser-extension JSON (``sources-pretty.json``), a list or a dict of
  ``{domain, name, bias, reporting, credibility, ...}``.
- ``adfontes``: Ad Fontes CSV ``source, reliability, bias``; ``source`` is a domain/URL or a
  name looked up in ``names``. Bias becomes a lean through the project's own thresholds
  (``analysis.outlets.lean_from_adfontes_bias``); reliability stays numeric, its own dimension.
- ``csv``: generic, long ``domain, dimension, value[, rater, rated_at]`` or wide
  ``domain, lean, factuality[, reliability, credibility, rater, rated_at]`` (rater defaults to
  "user"; a header with ``dimension``/``value`` is long, one naming dimensions is wide).

Lean labels are normalised to Left / Lean Left / Center / Lean Right / Right; labels outside
politics (MBFC pro-science, satire, questionable, conspiracy; AllSides Mixed) become ``NO_LEAN``
with the rater's word kept in ``raw_value``. Domains are normalised from URLs (a path is kept:
``jamanetwork.com/journals/jama``). A bad row goes into ``problems`` as "row N: reason" (CSV rows
are numbered as a spreadsheet shows them, header = row 1; JSON items from 1) and is skipped; a
second, different value for the same domain and dimension is reported and the first kept.
A file that cannot be read at all (not UTF-8, not JSON, missing columns, empty) raises
``RatingsFormatError``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from analysis.model import FACTUALITY_LABELS, LEAN_LABELS, NO_LEAN, Rating
from analysis.outlets import domain_key, lean_from_adfontes_bias, name_key

RaterFormat = Literal["allsides", "mbfc", "adfontes", "csv"]
DIMENSIONS = ("lean", "factuality", "reliability", "credibility")


class RatingsFormatError(ValueError):
    """The whole file is unreadable in the format it was declared as."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Ratings read from one file, plus one line per row that was skipped."""

    ratings: list[Rating]
    problems: list[str]


def _key(label: str) -> str:
    return re.sub(r"[\s\-_]+", " ", label.strip().lower())


_LEAN = {_key(label): label for label in LEAN_LABELS} | {
    "left center": "Lean Left", "right center": "Lean Right", "least biased": "Center",
    "extreme left": "Left", "extreme right": "Right", "far left": "Left", "far right": "Right",
}
_NOT_POLITICAL = {"mixed", "allsides", "pro science", "satire", "questionable",
                  "conspiracy pseudoscience", "conspiracy", "pseudoscience", "fake news"}
_FACTUALITY = {_key(label): label for label in FACTUALITY_LABELS}
_CREDIBILITY = {"high": "High", "medium": "Medium", "low": "Low"}
_NONE_WORDS = {"", "n/a", "na", "none", "not rated"}
_PERSON_HOSTS = ("twitter.com", "x.com", "facebook.com", "linkedin.com", "muckrack.com",
                 "wikipedia.org", "instagram.com", "youtube.com", "substack.com")


@dataclass(slots=True)
class _Collector:
    """Accumulates ratings and problems for one file; the first value per key wins."""

    rater: str
    origin: str
    rated_at: str | None
    names: Mapping[str, str]
    kept: dict[tuple[str, str, str], tuple[str, Rating]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, where: str, domain: str, dimension: str, value: str, raw: str,
            rater: str | None = None, rated_at: str | None = None) -> None:
        rating = Rating(domain=domain, rater=rater or self.rater, dimension=dimension,
                        value=value, raw_value=raw, rated_at=rated_at or self.rated_at,
                        origin=self.origin)
        key = (domain, dimension, rating.rater)
        first = self.kept.get(key)
        if first is None:
            self.kept[key] = (where, rating)
        elif first[1].value != value:
            self.problem(where, f"second {dimension} {raw!r} for {domain} ignored "
                                f"(kept {first[1].raw_value!r} from {first[0]})")

    def problem(self, where: str, reason: str) -> None:
        self.problems.append(f"{where}: {reason}")

    def domain(self, url_or_domain: str, name: str = "") -> str | None:
        text = url_or_domain.strip()
        if not text or "." not in text:
            return self.names.get(name_key(name)) if name else None
        try:
            key = domain_key(text)
        except ValueError:
            return None
        return key if "." in key.split("/", 1)[0] else None

    def result(self) -> ImportResult:
        return ImportResult([rating for _, rating in self.kept.values()], self.problems)


def parse_ratings(
    data: bytes | str, rater: RaterFormat, origin: str, rated_at: str | None = None,
    *, names: Mapping[str, str] | None = None,
) -> ImportResult:
    """Parse one rater file; ``names`` maps ``name_key(outlet name)`` to a registry key."""
    parsers: dict[str, Callable[[str, _Collector], None]] = {
        "allsides": _parse_allsides, "mbfc": _parse_mbfc, "adfontes": _parse_adfontes,
        "csv": _parse_generic,
    }
    if rater not in parsers:
        raise RatingsFormatError(f"unknown rater format {rater!r}; use one of {sorted(parsers)}")
    text = _decode(data)
    if not text.strip():
        raise RatingsFormatError(f"{origin}: the file is empty")
    collector = _Collector("user" if rater == "csv" else rater, origin, rated_at, names or {})
    parsers[rater](text, collector)
    return collector.result()


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RatingsFormatError(f"not UTF-8 text (bad byte at offset {exc.start})") from exc


def _csv_rows(
    text: str, required: Iterable[tuple[str, ...]]
) -> Iterable[tuple[str, dict[str, str]]]:
    """Rows as ``("row N", {column: value})``; each ``required`` entry needs one of its names."""
    try:
        reader = csv.reader(io.StringIO(text))
        header = [_key(h).replace(" ", "_") for h in next(reader, [])]
        missing = [" or ".join(names) for names in required if not set(names) & set(header)]
        if missing:
            raise RatingsFormatError(
                f"missing column(s) {', '.join(missing)}; found {', '.join(header) or 'none'}")
        for number, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells):
                yield f"row {number}", {h: c.strip() for h, c in zip(header, cells, strict=False)}
    except csv.Error as exc:
        raise RatingsFormatError(f"not readable as CSV: {exc}") from exc


def _parse_allsides(text: str, out: _Collector) -> None:
    required = [("news_source",), ("bias_rating", "rating"), ("news_link", "url")]
    persons = 0
    for where, row in _csv_rows(text, required):
        name = row.get("news_source", "")
        link = row.get("news_link") or row.get("url") or ""
        if _rates_person(name, link, row.get("type", "")):
            persons += 1
            continue
        label = row.get("bias_rating") or row.get("rating") or ""
        domain = out.domain(link, name)
        if domain is None:
            out.problem(where, f"no website for {name!r}")
        elif _key(label) in _LEAN or _key(label) in _NOT_POLITICAL:
            out.add(where, domain, "lean", _LEAN.get(_key(label), NO_LEAN), label)
        else:
            out.problem(where, f"unknown AllSides rating {label!r}")
    if persons:
        out.problems.append(f"skipped {persons} row(s) that rate a person, not an outlet")


def _rates_person(name: str, link: str, kind: str) -> bool:
    if "author" in kind.lower() or re.search(r"contributor|\(cartoonist\)", name, re.I):
        return True
    try:
        host = domain_key(link).split("/", 1)[0] if link else ""
    except ValueError:
        return False
    return any(host == h or host.endswith("." + h) for h in _PERSON_HOSTS)


def _parse_mbfc(text: str, out: _Collector) -> None:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RatingsFormatError(f"not JSON: {exc.msg} at line {exc.lineno}") from exc
    if isinstance(document, dict):
        items: list[Any] = [
            {"domain": key, **value} if isinstance(value, dict) else value
            for key, value in document.items()
        ]
    elif isinstance(document, list):
        items = document
    else:
        raise RatingsFormatError("MBFC JSON must be a list or an object of sources")
    for number, item in enumerate(items, start=1):
        _mbfc_item(f"item {number}", item, out)


def _mbfc_item(where: str, item: Any, out: _Collector) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("domain"), str):
        out.problem(where, "not a source object with a domain")
        return
    domain = out.domain(item["domain"])
    if domain is None:
        out.problem(where, f"bad domain {item['domain']!r}")
        return
    bias, reporting = _text(item.get("bias")), _text(item.get("reporting"))
    credibility = _key(_text(item.get("credibility"))).removesuffix(" credibility")
    if _key(bias) in _LEAN or _key(bias) in _NOT_POLITICAL:
        out.add(where, domain, "lean", _LEAN.get(_key(bias), NO_LEAN), bias)
    elif _key(bias) not in _NONE_WORDS:
        out.problem(where, f"unknown MBFC bias {bias!r}")
    if _key(reporting) in _FACTUALITY:
        out.add(where, domain, "factuality", _FACTUALITY[_key(reporting)], reporting)
    elif _key(reporting) not in _NONE_WORDS:
        out.problem(where, f"unknown MBFC factual reporting {reporting!r}")
    if credibility in _CREDIBILITY:
        out.add(where, domain, "credibility", _CREDIBILITY[credibility], _text(item["credibility"]))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _parse_adfontes(text: str, out: _Collector) -> None:
    for where, row in _csv_rows(text, [("source",), ("reliability",), ("bias",)]):
        source = row.get("source", "")
        is_domain = "." in source and " " not in source
        domain = out.domain(source) if is_domain else out.domain("", source)
        reliability = _number(row.get("reliability", ""), 0.0, 64.0)
        bias = _number(row.get("bias", ""), -42.0, 42.0)
        if domain is None:
            out.problem(where, f"source {source!r} is neither a domain nor a known outlet name")
        elif reliability is None or bias is None:
            out.problem(where, f"reliability {row.get('reliability')!r} (0..64) or bias "
                               f"{row.get('bias')!r} (-42..42) is not a number in range")
        else:
            out.add(where, domain, "lean", lean_from_adfontes_bias(bias), row["bias"])
            out.add(where, domain, "reliability", f"{reliability:g}", row["reliability"])


def _number(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


def _parse_generic(text: str, out: _Collector) -> None:
    """The long layout (``domain, dimension, value``: one rating a row) or the wide one
    (``domain, lean, factuality``: a column per dimension, empty cells skipped); both may add
    ``rater`` and ``rated_at`` columns."""
    try:
        header = {_key(h).replace(" ", "_") for h in next(csv.reader(io.StringIO(text)), [])}
    except csv.Error as exc:
        raise RatingsFormatError(f"not readable as CSV: {exc}") from exc
    wide = [d for d in DIMENSIONS if d in header]
    if "dimension" in header or "value" in header or not wide:
        for where, row in _csv_rows(text, [("domain",), ("dimension",), ("value",)]):
            _generic_row(out, where, row, _key(row.get("dimension", "")), row.get("value", ""))
        return
    for where, row in _csv_rows(text, [("domain",)]):
        cells = [(d, row.get(d, "")) for d in wide if row.get(d, "")]
        if not cells:
            out.problem(where, f"no value in any of the columns {', '.join(wide)}")
        for dimension, raw in cells:
            _generic_row(out, where, row, dimension, raw)


def _generic_row(out: _Collector, where: str, row: dict[str, str], dimension: str, raw: str) -> None:
    domain = out.domain(row.get("domain", ""))
    rated_at = row.get("rated_at") or None
    value = _generic_value(dimension, raw)
    if domain is None:
        out.problem(where, f"bad domain {row.get('domain')!r}")
    elif dimension not in DIMENSIONS:
        out.problem(where, f"unknown dimension {dimension!r}; use one of {DIMENSIONS}")
    elif value is None:
        out.problem(where, f"{raw!r} is not a {dimension} value")
    elif rated_at and not is_iso_date(rated_at):
        out.problem(where, f"rated_at {rated_at!r} is not an ISO date")
    else:
        out.add(where, domain, dimension, value, raw, row.get("rater") or None, rated_at)


def is_iso_date(text: str) -> bool:
    """``2026-10-01`` or ``2026-10-01T12:00:00Z``, and a real calendar date."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?)?", text):
        return False
    try:
        date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


def _generic_value(dimension: str, raw: str) -> str | None:
    key = _key(raw)
    if dimension == "lean":
        return _LEAN.get(key) or (NO_LEAN if key in _NOT_POLITICAL else None)
    if dimension == "factuality":
        return _FACTUALITY.get(key)
    if dimension == "credibility":
        return _CREDIBILITY.get(key.removesuffix(" credibility"))
    number = _number(raw, 0.0, 64.0) if dimension == "reliability" else None
    return f"{number:g}" if number is not None else None
