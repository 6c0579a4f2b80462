"""The outlets a process works with: the shipped facts with the user's ``[outlets."domain"]``
overrides on top (``outlet_registry``), mirrored into the database (``sync_outlets``) before a
crawl, a ratings import or a journal move reads them."""

from __future__ import annotations

from collections.abc import Mapping

from analysis.outlets import OutletRegistry
from store import AnalysisWrites, Store

__all__ = ["OutletRegistry", "outlet_registry", "sync_outlets"]


def outlet_registry(overrides: Mapping[str, Mapping[str, str]]) -> OutletRegistry:
    """The shipped outlet facts with ``overrides`` on top (a bad override is a ``ValueError``)."""
    return OutletRegistry.load_default(overrides)


def sync_outlets(store: Store, registry: OutletRegistry) -> None:
    """Write every outlet of ``registry`` to the database, marked "config" when the user overrode it."""
    pairs = []
    for outlet in registry.outlets():
        match = registry.resolve(outlet.domain)
        pairs.append((outlet, "config" if match.overridden else "cartwatch"))
    AnalysisWrites(store).sync_outlets(pairs)
