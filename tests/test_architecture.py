"""Structural rules: a service never imports another service; libraries never import services."""

import ast
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
