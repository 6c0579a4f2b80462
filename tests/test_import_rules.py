"""The import rules of docs/architecture.md, checked on the source (every import counts, including
those inside functions):

- packages import one way: cartwatch → crawler, api, service; crawler, api → service; service →
  store, analysis; store → analysis (model types only); analysis imports nothing of ours;
- ``analysis.model`` (the package: vocabularies and the records that cross layers) is the one
  part of analysis every package may import; crawler, api, cartwatch and store import nothing
  else of analysis;
- what a service module passes on from store or analysis (in its ``__all__``) is a class its
  functions take, return or raise, never a function or a vocabulary;
- no two modules import each other, directly or round a longer circle (cli.py and its commands
  included);
- the CLI's commands read through service, never through api;
- a dashboard page or JSON route never borrows another JSON route's view-model: shared views live
  in ``service/views.py`` (pages may share the page helpers of ``api/routes/pages.py``);
- service and store know nothing of the web framework.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent
PACKAGES = ("analysis", "store", "service", "crawler", "api", "cartwatch")
ALLOWED = {
    "analysis": set(),
    "store": {"analysis"},  # model types only: test_store_takes_only_types_from_analysis
    "service": {"store", "analysis"},
    "crawler": {"service"},
    "api": {"service"},
    "cartwatch": {"crawler", "api", "service"},
}
VOCABULARY = "analysis.model"  # with its modules: the one part of analysis every package may import
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


def shared(name: str) -> bool:
    return name == VOCABULARY or name.startswith(VOCABULARY + ".")


def imports_of(package: str) -> set[tuple[str, str]]:
    """(file, imported package) for every import of one of our packages from another; the shared
    vocabulary (``analysis.model``) counts as no package."""
    return {(str(MODULES[name].relative_to(REPO)), target.split(".")[0])
            for name in MODULES if name.split(".")[0] == package
            for target in ours(imported(MODULES[name])) if target.split(".")[0] != package and not shared(target)}


def analysis_names_in_store() -> set[tuple[str, str, str]]:
    """(file, module, name) for every name store imports from analysis outside ``analysis.model``."""
    found = set()
    for name, path in MODULES.items():
        if name.split(".")[0] != "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(str(path.relative_to(REPO)), a.name, "") for a in node.names
                          if a.name.split(".")[0] == "analysis" and not shared(a.name)}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "analysis" \
                    and not shared(node.module or ""):
                found |= {(str(path.relative_to(REPO)), node.module or "", a.name) for a in node.names}
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_no_package_imports_against_the_flow(package: str) -> None:
    assert against_the_flow(package, imports_of(package)) == []


def against_the_flow(package: str, imports: set[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted((path, target) for path, target in imports if target not in ALLOWED[package])


def test_store_takes_only_types_from_analysis() -> None:
    """store names analysis' records only from ``analysis.model`` (records.py holds those that
    cross into the store: fingerprints, story and copy candidates, watches); nothing else of
    analysis, so the computations stay with service."""
    assert sorted(analysis_names_in_store()) == []
    assert not_types(analysis_names_in_store()) == []


def not_types(names: set[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return sorted((path, module, name) for path, module, name in names
                  if not name or not isinstance(getattr(importlib.import_module(module), name), type))


def passed_on_by_service() -> set[tuple[str, str, str]]:
    """(file, module, name) for every name a service module imports from store or analysis and
    lists in its ``__all__``."""
    found = set()
    for name, path in MODULES.items():
        if name.split(".")[0] != "service":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        listed = {elt.value for node in tree.body if isinstance(node, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
                  and isinstance(node.value, ast.List | ast.Tuple)
                  for elt in node.value.elts if isinstance(elt, ast.Constant)}
        found |= {(str(path.relative_to(REPO)), node.module or "", a.name) for node in ast.walk(tree)
                  if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("store", "analysis")
                  for a in node.names if (a.asname or a.name) in listed}
    return found


def test_service_passes_on_only_classes() -> None:
    """Only the classes of its own signatures: the vocabulary is imported from ``analysis.model``."""
    assert not_types(passed_on_by_service()) == []
    assert sorted(found for found in passed_on_by_service() if shared(found[1])) == []


def test_the_vocabulary_imports_only_itself() -> None:
    """``analysis.model`` is shared by every package, so it can only lean on itself."""
    wrong = sorted((name, n) for name in MODULES if shared(name)
                   for n in ours(imported(MODULES[name])) if not shared(n))
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
    """The checks above can fail: a circle of three is found, and so is a route importing a route;
    the package rule sees an import of store from api, and only ``analysis.model`` is shared."""
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ("a", "b", "c", "a")
    assert cycle_in({"a": {"b"}, "b": set()}) is None
    assert "api.routes.therapies" in GRAPH["api.app"]  # the graph resolves `from api.routes import x`
    assert against_the_flow("api", {("api/x.py", "store"), ("api/x.py", "service")}) == [("api/x.py", "store")]
    assert against_the_flow("crawler", {("crawler/x.py", "analysis")}) == [("crawler/x.py", "analysis")]
    assert against_the_flow("service", {("service/x.py", "crawler")}) == [("service/x.py", "crawler")]
    assert not_types({("store/x.py", "analysis.relevance", "assess_relevance"),
                      ("store/x.py", "analysis.stories", "StoryCandidate")}) == [
        ("store/x.py", "analysis.relevance", "assess_relevance")]
    assert shared("analysis.model") and shared("analysis.model.results")
    assert not shared("analysis.models") and not shared("analysis.therapies")
    assert {"analysis.model.metrics", "analysis.model.results"} <= {n for n in MODULES if shared(n)}
    assert ("service/listings.py", "store.pagination", "BadCursor") in passed_on_by_service()
    assert not_types({("service/x.py", "store.db", "iso")}) == [("service/x.py", "store.db", "iso")]
    assert ("service/ingest.py", "store") in imports_of("service")  # imports across packages are seen
    assert "analysis.model" in imported(MODULES["api.params"])  # ... and api's vocabulary imports are let through


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
