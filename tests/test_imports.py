"""The project's modules import each other without cycles, and the layers import one way.

Imports are read from the source with :mod:`ast`, function-local ones included, so a
cycle hidden inside a function still fails. Imports under ``if TYPE_CHECKING:`` are left
out: they never run, and annotations may name a type of a module that imports this one.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("matching", "solver", "api", "fixtures")
#: Which top-level packages each layer may import (the house style's one-way rule).
ALLOWED = {
    "matching": {"matching"},
    "solver": {"solver", "matching"},
    "api": {"api", "solver", "matching", "fixtures"},
    "fixtures": {"fixtures", "matching", "solver"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(p): p
        for package in PACKAGES
        for p in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in p.parts or p.name == "env.py"
    }


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def imports_of(name: str, path: Path, modules: set[str]) -> set[str]:
    """The project modules that ``name`` imports anywhere in its body."""

    def known(target: str) -> str | None:
        # The longest project module the dotted name starts with.
        parts = target.split(".")
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in modules:
                return candidate
        return None

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in _runtime_imports(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            found = known(target)
            if found is not None and found != name:
                out.add(found)
    return out


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    names = set(modules)
    return {name: imports_of(name, path, names) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle graphlib finds, one at a time, each cut at one edge to find the next."""
    graph = {k: set(v) for k, v in graph.items()}
    found = []
    while True:
        try:
            tuple(TopologicalSorter(graph).static_order())
        except CycleError as exc:
            cycle: list[str] = exc.args[1]
            found.append(cycle)
            a, b = cycle[0], cycle[1]
            # graphlib reports the cycle in either direction of the edges.
            (graph[a] if b in graph[a] else graph[b]).remove(b if b in graph[a] else a)
        else:
            return found


def test_no_import_cycle_among_the_projects_modules() -> None:
    assert [" -> ".join(c) for c in cycles(import_graph())] == []


def test_layers_import_one_way() -> None:
    wrong = sorted(
        f"{name} imports {target}"
        for name, targets in import_graph().items()
        for target in targets
        if target.split(".")[0] not in ALLOWED[name.split(".")[0]]
    )
    assert wrong == []


def test_the_cycle_check_sees_function_local_imports(tmp_path: Path) -> None:
    source = tmp_path / "a.py"
    source.write_text("def f():\n    import b.c\n", "utf-8")
    hidden = tmp_path / "t.py"
    hidden.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import b\n")
    assert imports_of("a", source, {"b", "b.c"}) == {"b.c"}
    assert imports_of("t", hidden, {"b"}) == set()


def test_the_engine_commands_load_no_database_layer() -> None:
    # `dichtbij match`, `rank` and `scores` work on a file: loading SQLAlchemy and Alembic
    # for them cost 0.6 s of every run (the parser read the role names through the
    # repositories). A fresh interpreter, so that other tests' imports do not count.
    code = (
        "import sys\n"
        "import api.cli.parser, api.cli.match, api.cli.rank, api.cli.scores\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'fastapi') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
