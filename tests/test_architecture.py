"""Structural rules: a service never imports another service; libraries never import services
or the deployment; the areas inside a service depend one way."""

import ast
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SERVICES = ["intake", "scheduling", "volunteering", "notifications"]


def imported_top_levels(folder: Path) -> set[tuple[str, str]]:
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(str(path), alias.name.split(".")[0]) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((str(path), node.module.split(".")[0]))
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_never_imports_another_service(service: str) -> None:
    others = {f"cq_{other}" for other in SERVICES if other != service}
    offending = [
        (path, module)
        for path, module in imported_top_levels(ROOT / "services" / service)
        if module in others
    ]
    assert offending == []


def test_the_shared_library_never_imports_a_service() -> None:
    services = {f"cq_{service}" for service in SERVICES}
    offending = [
        (path, module)
        for path, module in imported_top_levels(ROOT / "libs" / "shared" / "src")
        if module in services or module == "cq_devstack"
    ]
    assert offending == []


def test_no_library_imports_a_service_or_the_deployment() -> None:
    forbidden = {f"cq_{service}" for service in SERVICES} | {"cq_devstack", "bench"}
    offending = [
        (path, module)
        for library in sorted((ROOT / "libs").iterdir())
        if (library / "src").is_dir()
        for path, module in imported_top_levels(library / "src")
        if module in forbidden
    ]
    assert offending == []


# Modules at the top of a service package that compose its areas (the app, the consumers,
# the demo data, the migrations' metadata, HTTP dependencies). Every other top-level module
# sits below the areas (settings, column types, dates) and imports none of them.
COMPOSING_MODULES = {
    "__main__.py",
    "main.py",
    "consumers.py",
    "demo.py",
    "dependencies.py",
    "models.py",
}
NOT_AREAS = {"migrations"}  # the migrations see every table through models.py


def _imported_modules(path: Path) -> Iterator[str]:
    """The absolute names of the modules `path` imports (`from a import b` yields a.b too, since
    b may be a module)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                here = _package_of(path)
                base = here[: len(here) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def _package_of(path: Path) -> list[str]:
    """The dotted package of a module under some `src` folder, as a list."""
    relative = path.parent.relative_to(next(p for p in path.parents if p.name == "src"))
    return list(relative.parts)


def area_graph(service: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str]]]:
    """(area -> {area it imports -> one importing file}, top-level modules that import an area
    although they are not composing modules)."""
    package = f"cq_{service}"
    root = ROOT / "services" / service / "src" / package
    areas = {
        folder.name
        for folder in root.iterdir()
        if (folder / "__init__.py").is_file() and folder.name not in NOT_AREAS
    }
    graph: dict[str, dict[str, str]] = {area: {} for area in areas}
    misplaced: list[tuple[str, str]] = []
    for path in sorted(root.rglob("*.py")):
        inside = path.relative_to(root).parts
        importer = inside[0] if len(inside) > 1 else None
        for module in _imported_modules(path):
            names = module.split(".")
            if names[0] != package or len(names) < 2 or names[1] not in areas:
                continue
            imported = names[1]
            if importer is None:
                if inside[0] not in COMPOSING_MODULES:
                    misplaced.append((inside[0], imported))
            elif importer in areas and imported != importer:
                graph[importer].setdefault(imported, str(path.relative_to(ROOT)))
    return graph, sorted(set(misplaced))


def cycles(graph: dict[str, dict[str, str]]) -> list[list[str]]:
    """One cycle through each area that lies on one (as the areas on it, first repeated)."""
    found: list[list[str]] = []
    for start in sorted(graph):
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        seen: set[str] = set()
        while stack:
            area, trail = stack.pop()
            for imported in sorted(graph.get(area, {})):
                if imported == start:
                    found.append([*trail, start])
                    stack.clear()
                    break
                if imported not in seen:
                    seen.add(imported)
                    stack.append((imported, [*trail, imported]))
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_the_areas_of_a_service_depend_one_way(service: str) -> None:
    """No import cycle between a service's sub-packages (its areas), and no module below the
    areas (settings, column types, ...) reaching up into one."""
    graph, misplaced = area_graph(service)
    loops = cycles(graph)
    evidence = {" -> ".join(loop): [graph[a][b] for a, b in pairwise(loop)] for loop in loops}
    assert evidence == {}, "the areas import each other in a cycle"
    assert misplaced == [], "a top-level module that is not a composing module imports an area"


def test_the_area_rule_sees_a_cycle() -> None:
    assert cycles({"a": {"b": "x"}, "b": {"a": "y"}, "c": {"a": "z"}}) == [
        ["a", "b", "a"],
        ["b", "a", "b"],
    ]
    assert cycles({"a": {"b": "x"}, "b": {}}) == []
