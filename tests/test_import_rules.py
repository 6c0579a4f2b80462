"""The import rules of docs/architecture.md, checked on the source (every import counts, including
those inside functions):

- packages import one way: analysis imports nothing of ours; store only analysis; service never
  crawler, api or cartwatch; crawler and api never cartwatch nor each other;
- no two modules import each other, directly or round a longer circle (cli.py and its commands
  included);
- the CLI's commands read through service, never through api;
- a dashboard page or JSON route never borrows another JSON route's view-model: shared views live
  in ``service/views.py`` (pages may share the page helpers of ``api/routes/pages.py``);
- service and store know nothing of the web framework.
"""

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
PAGE_MODULES = {"api.routes.pages"}  # the page helpers (render, RATERS) other pages share


def module_files() -> dict[str, Path]:
    """Every module of our packages by dotted name (a package by its own name)."""
    found = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = module_files()


def imported(path: Path) -> set[str]:
    """Dotted names this file imports (``from a import b`` counts as ``a.b`` when that is a
    module of ours, else as ``a``); relative imports are not used here."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module
                      for a in node.names}
    return names


def ours(names: set[str]) -> set[str]:
    return {n for n in names if n.split(".")[0] in PACKAGES}


GRAPH = {name: {n for n in ours(imported(path)) if n in MODULES and n != name} for name, path in MODULES.items()}


def imports_of(package: str) -> set[tuple[str, str]]:
    """(file, imported package) for every import of one of our packages from another."""
    return {(str(MODULES[name].relative_to(REPO)), target.split(".")[0])
            for name in MODULES if name.split(".")[0] == package
            for target in ours(imported(MODULES[name])) if target.split(".")[0] != package}


@pytest.mark.parametrize("package", PACKAGES)
def test_no_package_imports_against_the_flow(package: str) -> None:
    wrong = sorted((path, target) for path, target in imports_of(package) if target not in ALLOWED[package])
    assert wrong == []


def test_the_package_graph_has_no_cycle() -> None:
    graph = {p: {target for _, target in imports_of(p)} for p in PACKAGES}
    assert cycle_in(graph) is None


def test_no_module_imports_round_a_circle() -> None:
    assert cycle_in(GRAPH) is None


def test_the_cli_commands_read_through_service_not_api() -> None:
    wrong = sorted((name, n) for name in MODULES if name.startswith("cartwatch.commands")
                   for n in ours(imported(MODULES[name])) if n.split(".")[0] == "api")
    assert wrong == []


def test_no_route_borrows_another_routes_view_model() -> None:
    routes = {name for name in MODULES if name.startswith("api.routes.")}
    wrong = sorted((name, n) for name in routes for n in GRAPH[name]
                   if n in routes and n not in PAGE_MODULES)
    assert wrong == []


@pytest.mark.parametrize("package", ["service", "store"])
def test_service_and_store_do_not_know_the_web_framework(package: str) -> None:
    wrong = sorted(name for name in MODULES if name.split(".")[0] == package
                   for n in imported(MODULES[name]) if n.split(".")[0] in ("fastapi", "starlette", "jinja2"))
    assert wrong == []


def test_the_checks_see_a_cycle_and_a_borrowed_view() -> None:
    """The checks above can fail: a circle of three is found, and so is a route importing a route."""
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ("a", "b", "c", "a")
    assert cycle_in({"a": {"b"}, "b": set()}) is None
    assert "api.routes.therapies" in GRAPH["api.app"]  # the graph resolves `from api.routes import x`


def cycle_in(graph: dict[str, set[str]]) -> tuple[str, ...] | None:
    """One import circle of ``graph`` as the path round it, or None."""
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> tuple[str, ...] | None:
        if node in path:
            return (*path[path.index(node):], node)
        if node in done:
            return None
        for target in sorted(graph.get(node, ())):
            found = visit(target, (*path, node))
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start, ())
        if found:
            return found
    return None
