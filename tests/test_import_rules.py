"""The packages import one way (docs: STYLE.md "Imports flow one way"): analysis imports nothing of
ours; store only analysis; service never crawler, api or cartwatch; crawler and api never
cartwatch nor each other. Every import counts, including those inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent
PACKAGES = ("analysis", "store", "service", "crawler", "api", "cartwatch")
ALLOWED = {
    "analysis": set(),
    "store": {"analysis"},
    "service": {"store", "analysis"},
    "crawler": {"service", "analysis"},
    "api": {"service", "store", "analysis"},
    "cartwatch": {"crawler", "api", "service", "store", "analysis"},
}


def imports_of(package: str) -> set[tuple[str, str]]:
    """(file, imported package) for every import of one of our packages from another."""
    found = set()
    for path in (REPO / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
            for name in names:
                top = name.split(".")[0]
                if top in PACKAGES and top != package:
                    found.add((str(path.relative_to(REPO)), top))
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_no_package_imports_against_the_flow(package: str) -> None:
    wrong = sorted((path, target) for path, target in imports_of(package) if target not in ALLOWED[package])
    assert wrong == []


def test_the_package_graph_has_no_cycle() -> None:
    graph = {p: {target for _, target in imports_of(p)} for p in PACKAGES}
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, " -> ".join((*path, node))
        if node not in done:
            for target in graph[node]:
                visit(target, (*path, node))
            done.add(node)

    for package in PACKAGES:
        visit(package, ())
