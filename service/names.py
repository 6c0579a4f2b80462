"""Names a person types or picks, against the products and trials of analysis/data/therapies.json:
the products a form or a list offers, and any alias of a product or a trial resolved to its
canonical name (the API's ``therapy`` and ``trial`` parameters, the dashboard's menus)."""

from __future__ import annotations

from analysis.therapies import Therapy, all_therapies, resolve_therapy, resolve_trial


def products() -> tuple[Therapy, ...]:
    """Every product we follow, in the file's order (menus, the therapies list)."""
    return all_therapies()


def short_names() -> dict[str, str]:
    """Each product's short name (its canonical name when it has none), for tables and charts."""
    return {t.canonical: t.short_name or t.canonical for t in all_therapies()}


def is_product(canonical: str) -> bool:
    return canonical in {t.canonical for t in all_therapies()}


def canonical_product(name: str) -> str | None:
    """The canonical name for any name of a product (generic, short, brand, code), else None."""
    return resolve_therapy(name)


def canonical_trial(name: str) -> str | None:
    """The canonical name for any spelling of a named trial, else None."""
    return resolve_trial(name)
