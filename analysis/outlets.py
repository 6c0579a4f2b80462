"""Outlet registry: who publishes a URL, and what the raters (not we) say about that publisher.

Resolving a URL or domain: (1) lowercase the host, drop the port and leading ``www.``, ``amp.``,
``m.``, ``mobile.``; (2) per-path entries (``jamanetwork.com/journals/jama``), longest path prefix
on whole segments, under the host or a parent; (3) the longest host suffix (``uk.news.sky.com`` →
``news.sky.com``); (4) never above the registered domain (public-suffix aware, tldextract's
bundled snapshot, no network), so ``leeds.gov.uk`` is not ``gov.uk`` but ``www.gov.uk`` is;
(5) nothing found: ``outlet=None``, ``matched_by="unrated"``, keyed by the registered domain.

``matched_by`` is "exact" (the host is an entry), "path", "suffix" (an entry between the host and
its registered domain), "registered_domain" (the registered domain is the entry) or "unrated".
Alias rows (``bbc.co.uk`` → ``bbc.com``, old or misspelt domains the raters use) resolve to their
outlet, and a rating stored under any of an outlet's keys (``OutletMatch.rating_keys``) is that
outlet's rating. Config overrides win over the shipped file; ``provenance`` says "config".

Ratings are per rater; ``lean_of``/``factuality_of`` give one rater's value or the average
across raters (Ground News style), see ``_view``.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Literal
from urllib.parse import urlsplit

import tldextract

from analysis.journals import JournalRegistry
from analysis.model import (
    FACTUALITY_LABELS,
    LEAN_LABELS,
    OWNERSHIP_CATEGORIES,
    SOURCE_TYPES,
    Outlet,
    Rating,
)

DATA_FILE = Path(__file__).with_name("data") / "outlets.csv"
OVERRIDABLE_FIELDS = (
    "name", "source_type", "owner", "ownership_category", "country", "verified_at", "language",
)
# The project's own mapping of Ad Fontes bias (-42..+42) to lean, not Ad Fontes': |bias| <= 6
# is Center, <= 18 is Lean Left/Right, beyond that Left/Right (the bands of their chart).
ADFONTES_CENTER_MAX = 6.0
ADFONTES_LEAN_MAX = 18.0

MatchedBy = Literal["exact", "suffix", "path", "registered_domain", "unrated"]
_PREFIXES = ("www.", "amp.", "m.", "mobile.")
_EMPTY: Mapping[str, Mapping[str, str]] = MappingProxyType({})
_NO_ALIASES: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class OutletMatch:
    """The outlet behind a URL; ``domain`` is the registry key used (or the registered domain)."""

    outlet: Outlet | None
    domain: str
    matched_by: MatchedBy
    registered_domain: str
    rating_keys: tuple[str, ...] = ()
    overridden: frozenset[str] = frozenset()

    def provenance(self, field: str) -> str:
        """Where a field's value came from: "config", "registry", or "unrated"."""
        if self.outlet is None:
            return "unrated"
        return "config" if field in self.overridden else "registry"


def split_url(url_or_domain: str) -> tuple[str, str]:
    """``(host, path)``: lowercase host without port and mobile/AMP prefixes, path sans slash.

    Raises ``ValueError`` for text that cannot be split as a URL (e.g. an unclosed ``[``).
    """
    text = url_or_domain.strip()
    if "//" not in text:
        text = "//" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
    except ValueError as exc:
        raise ValueError(f"not a URL or domain: {url_or_domain!r}") from exc
    stripped = True
    while stripped:
        stripped = False
        for prefix in _PREFIXES:
            if host.startswith(prefix) and "." in host[len(prefix):]:
                host, stripped = host[len(prefix):], True
    return host, parts.path.rstrip("/").lower()


def domain_key(url_or_domain: str) -> str:
    """The key a rating or registry row is stored under: ``host`` or ``host/path``."""
    host, path = split_url(url_or_domain)
    return host + path if path else host


def name_key(name: str) -> str:
    """Outlet name for matching raters' names: no parentheses, no leading "the", alnum only."""
    text = re.sub(r"\([^)]*\)", " ", name.lower())
    text = re.sub(r"[^0-9a-z]+", " ", text).strip()
    return text[4:] if text.startswith("the ") else text


class OutletRegistry:
    """Shipped outlet facts plus config overrides, resolved by domain."""

    def __init__(
        self,
        outlets: Iterable[Outlet],
        overrides: Mapping[str, Mapping[str, str]] = _EMPTY,
        aliases: Mapping[str, str] = _NO_ALIASES,
    ) -> None:
        self._outlets = {domain_key(o.domain): o for o in outlets}
        self._aliases = {domain_key(a): domain_key(t) for a, t in aliases.items()}
        self._overridden: dict[str, frozenset[str]] = {}
        for key, values in overrides.items():
            self._override(domain_key(key), values)
        self._paths: dict[str, list[str]] = {}
        for key in [*self._outlets, *self._aliases]:
            if "/" in key:
                host, _, path = key.partition("/")
                self._paths.setdefault(host, []).append("/" + path)
        self._extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    @classmethod
    def load_default(cls, overrides: Mapping[str, Mapping[str, str]] = _EMPTY) -> OutletRegistry:
        """The registry shipped in ``analysis/data/outlets.csv``, plus every journal of
        ``analysis/data/journals.csv`` that the outlet file does not list itself."""
        with DATA_FILE.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        listed = {domain_key(r["domain"]) for r in rows}
        journals = [_outlet_row(o) for o in JournalRegistry.load_default().outlets()
                    if domain_key(o.domain) not in listed]
        return cls.from_rows([*rows, *journals], overrides)

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, str]], overrides: Mapping[str, Mapping[str, str]] = _EMPTY
    ) -> OutletRegistry:
        """Build from CSV-shaped rows (columns as in the shipped file, ``alias_of`` optional)."""
        outlets: list[Outlet] = []
        aliases: dict[str, str] = {}
        for number, row in enumerate(rows, start=2):
            if row.get("alias_of"):
                aliases[row["domain"]] = row["alias_of"]
                continue
            where = f"row {number}"
            _check_vocabulary(row.get("source_type"), row.get("ownership_category"), where)
            outlets.append(Outlet(
                domain=row["domain"], name=row["outlet"], source_type=row["source_type"],
                owner=row.get("owner") or None,
                ownership_category=row.get("ownership_category") or None,
                country=row.get("country") or None, verified_at=row.get("verified_at") or None,
                language=row.get("language") or None,
            ))
        return cls(outlets, overrides, aliases)

    def __len__(self) -> int:
        return len(self._outlets)

    def outlets(self) -> tuple[Outlet, ...]:
        """Every outlet (aliases not repeated), in registry order."""
        return tuple(self._outlets.values())

    def get(self, key: str) -> Outlet | None:
        """The outlet stored under exactly this key (or alias), no suffix matching."""
        canonical = self._canonical(domain_key(key))
        return self._outlets.get(canonical) if canonical else None

    def name_index(self) -> dict[str, str]:
        """``name_key(outlet name)`` → registry key, for rater files that give names only."""
        return {name_key(o.name): key for key, o in self._outlets.items()}

    def rating_keys(self, key: str) -> tuple[str, ...]:
        """The keys a rating may be stored under for this outlet: its own and its aliases."""
        canonical = self._canonical(domain_key(key)) or domain_key(key)
        return (canonical, *sorted(a for a, t in self._aliases.items() if t == canonical))

    def resolve(self, url_or_domain: str) -> OutletMatch:
        """The publisher of a URL or domain (see the module docstring for the order)."""
        host, path = split_url(url_or_domain)
        registered = self._extract(host).top_domain_under_public_suffix
        chain = _host_chain(host, registered)
        for candidate in chain:
            prefix = _longest_prefix(self._paths.get(candidate, ()), path)
            if prefix is not None:
                return self._match(candidate + prefix, "path", registered)
        for candidate in chain:
            if self._canonical(candidate) is not None:
                kind: MatchedBy = "exact" if candidate == host else (
                    "registered_domain" if candidate == registered else "suffix")
                return self._match(candidate, kind, registered)
        domain = registered or host
        keys = tuple(dict.fromkeys((domain, host)))
        return OutletMatch(None, domain, "unrated", registered, rating_keys=keys)

    def _match(self, key: str, kind: MatchedBy, registered: str) -> OutletMatch:
        canonical = self._canonical(key) or key
        return OutletMatch(
            self._outlets[canonical], key, kind, registered, self.rating_keys(canonical),
            self._overridden.get(canonical, frozenset()),
        )

    def _canonical(self, key: str) -> str | None:
        if key in self._outlets:
            return key
        return self._aliases.get(key)

    def _override(self, key: str, values: Mapping[str, str]) -> None:
        unknown = sorted(set(values) - set(OVERRIDABLE_FIELDS))
        if unknown:
            raise ValueError(f"override for {key}: unknown field(s) {', '.join(unknown)}")
        _check_vocabulary(values.get("source_type"), values.get("ownership_category"), key)
        canonical = self._canonical(key) or key
        current = self._outlets.get(canonical)
        if current is None:
            if not values.get("name") or not values.get("source_type"):
                raise ValueError(f"override for new outlet {key} needs name and source_type")
            current = Outlet(domain=key, name=values["name"], source_type=values["source_type"])
        self._outlets[canonical] = replace(current, **dict(values))
        self._overridden[canonical] = self._overridden.get(canonical, frozenset()) | set(values)


def _outlet_row(outlet: Outlet) -> dict[str, str]:
    """An ``Outlet`` in the shape of a row of the shipped file."""
    return {"domain": outlet.domain, "outlet": outlet.name, "source_type": outlet.source_type,
            "owner": outlet.owner or "", "ownership_category": outlet.ownership_category or "",
            "country": outlet.country or "", "verified_at": outlet.verified_at or "",
            "language": outlet.language or ""}


def _check_vocabulary(source_type: str | None, ownership: str | None, where: str) -> None:
    if source_type is not None and source_type not in SOURCE_TYPES:
        raise ValueError(f"{where}: unknown source_type {source_type!r}")
    if ownership and ownership not in OWNERSHIP_CATEGORIES:
        raise ValueError(f"{where}: unknown ownership_category {ownership!r}")


def _host_chain(host: str, registered: str) -> list[str]:
    """The host and its parents, down to (and including) the registered domain."""
    chain = [host]
    if not registered or not host.endswith(registered):
        return chain
    while chain[-1] != registered and "." in chain[-1]:
        chain.append(chain[-1].split(".", 1)[1])
    return chain


def _longest_prefix(prefixes: Iterable[str], path: str) -> str | None:
    hits = [p for p in prefixes if path == p or path.startswith(p + "/")]
    return max(hits, key=len) if hits else None


# --- Rating aggregation -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RatingView:
    """One dimension of an outlet's ratings: a label/score and the raters behind it.

    ``raters`` are the raters whose value counted; ``ratings`` are the latest rating of every
    rater considered, including values that do not count (``NO_LEAN``, unknown labels).
    """

    dimension: str
    label: str | None
    score: float | None
    raters: tuple[str, ...]
    ratings: tuple[Rating, ...]


LeanView = RatingView
FactualityView = RatingView

_LEAN_SCORES = {label: float(i - 2) for i, label in enumerate(LEAN_LABELS)}
_FACTUALITY_SCORES = {label: float(5 - i) for i, label in enumerate(FACTUALITY_LABELS)}


def lean_from_adfontes_bias(bias: float) -> str:
    """The project's own mapping of an Ad Fontes bias score to a lean label (see constants)."""
    size = abs(bias)
    if size <= ADFONTES_CENTER_MAX:
        return "Center"
    side = "Left" if bias < 0 else "Right"
    return f"Lean {side}" if size <= ADFONTES_LEAN_MAX else side




def lean_of(ratings: Sequence[Rating], rater: str | None = None) -> LeanView:
    """One rater's lean, or the average of all raters; ties round toward Center."""
    return _view(ratings, "lean", rater, _LEAN_SCORES.get, _lean_label)


def factuality_of(ratings: Sequence[Rating], rater: str | None = None) -> FactualityView:
    """One rater's factuality, or the ordinal average; ties round to the lower label."""
    return _view(ratings, "factuality", rater, _FACTUALITY_SCORES.get, _factuality_label)




def _view(
    ratings: Sequence[Rating], dimension: str, rater: str | None,
    score_of: Callable[[str], float | None], to_label: Callable[[float], str] | None,
) -> RatingView:
    """Latest value per rater, scored, averaged, and (for labelled scales) rounded to a label."""
    latest = _latest_per_rater(ratings, dimension, rater)
    scored = [(r, s) for r in latest if (s := score_of(r.value)) is not None]
    if not scored:
        return RatingView(dimension, None, None, (), tuple(latest))
    mean = sum(s for _, s in scored) / len(scored)
    label = to_label(mean) if to_label else None
    return RatingView(dimension, label, round(mean, 3), tuple(r.rater for r, _ in scored),
                      tuple(latest))


def _latest_per_rater(ratings: Iterable[Rating], dimension: str, rater: str | None) -> list[Rating]:
    latest: dict[str, Rating] = {}
    for rating in ratings:
        if rating.dimension != dimension or (rater is not None and rating.rater != rater):
            continue
        seen = latest.get(rating.rater)
        if seen is None or (rating.rated_at or "") >= (seen.rated_at or ""):
            latest[rating.rater] = rating
    return [latest[name] for name in sorted(latest)]


def _lean_label(mean: float) -> str:
    step = math.copysign(math.ceil(abs(mean) - 0.5), mean)
    return LEAN_LABELS[int(step) + 2]


def _factuality_label(mean: float) -> str:
    return FACTUALITY_LABELS[5 - math.ceil(mean - 0.5)]


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None
