"""The shape of the code (issue 10): modules are concept-sized and the import graph has no cycle.

Both checks parse the source (nothing is imported), so they see every module of the four
packages, the ones no test imports too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scoreboard", "server", "display", "judge_client")
MAX_LINES = 300


def modules() -> dict[str, Path]:
    """Dotted name → file, for every Python module under the four packages."""
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


def imported(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The first-party modules ``name`` imports at any level of its source (a function-level
    import is still an edge: it only hides the cycle until the function runs)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            mod = ".".join([*base, node.module] if node.module else base)
            targets = [mod, *(f"{mod}.{a.name}" for a in node.names)]
        else:
            continue
        for target in targets:
            # `import a.b.c` runs a, a.b and a.b.c: the nearest known module is the edge
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: set(imported(name, path, known)) for name, path in known.items()}


def _is_package_reexport(a: str, b: str) -> bool:
    """A package's ``__init__`` re-exporting its own submodule is not a cycle of concepts:
    ``scoreboard`` → ``scoreboard.board`` → ``scoreboard`` (for a sibling) is how Python
    packages expose their API. Such edges from a submodule up to its own package are dropped."""
    return a.startswith(b + ".")


def test_the_import_graph_has_no_cycle() -> None:
    graph = {
        a: {b for b in targets if not _is_package_reexport(a, b)}
        for a, targets in import_graph().items()
    }
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_every_module_is_concept_sized(name: str) -> None:
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, (
        f"{name} has {lines} lines (at most {MAX_LINES}): split it by concept"
    )
