"""The texts written in the project's code, read from its syntax: what the catalogue tests
(every reason has its Dutch words) compare with the catalogues."""

from __future__ import annotations

import ast
from pathlib import Path

__all__ = ["ROOT", "assigned", "call_arguments", "literal"]

ROOT = Path(__file__).resolve().parents[1]


def literal(node: ast.expr) -> str | None:
    """The text of a string literal or f-string, each formatted value as '1'."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "1" for v in node.values)
    return None


def call_arguments(paths: list[Path], name: str, arg: int) -> list[str]:
    """The literal ``arg``-th argument of every call to ``name`` in ``paths``."""
    out = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) <= arg:
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if called == name and (text := literal(node.args[arg])) is not None:
                out.append(text)
    return out


def assigned(paths: list[Path], name: str) -> list[str]:
    """Every literal assigned to a variable ``name`` in ``paths``: a reason chosen first
    and passed on (``FieldProblem("$.id", reason, ...)``) is a reason written in the code."""
    out = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Assign):
                continue
            named = any(isinstance(x, ast.Name) and x.id == name for x in node.targets)
            if named and (text := literal(node.value)) is not None:
                out.append(text)
    return out
