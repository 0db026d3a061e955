"""Small builders for scenario documents: tests state only what matters to their rule."""

from __future__ import annotations

from typing import Any

from matching import Context, Scenario, parse_scenario

__all__ = ["child", "context", "home", "scenario", "scenario_doc"]

# Postcodes in Ede (0228) unless a test says otherwise.
EDE_PARENTS = "6712"
EDE_NEAR = "6714"  # about 1 km from 6712
WAGENINGEN = "6708"  # 7.5 km from 6712
GRONINGEN = "9711"  # far beyond any limit


def home(id: str = "H-1", **fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": id,
        "organisation": "org-a",
        "type": "foster",
        "postcode": EDE_NEAR,
        "beds_free": 1,
    }
    doc.update(fields)
    return doc


def child(id: str = "C-1", **fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": id, "age": 8, "parents_postcode": EDE_PARENTS}
    doc.update(fields)
    return doc


def scenario_doc(
    homes: list[dict[str, Any]],
    children: list[dict[str, Any]],
    policy: dict[str, Any] | None = None,
    reference_date: str = "2026-11-23",
) -> dict[str, Any]:
    return {
        "format": "dichtbij.scenario/1",
        "reference_date": reference_date,
        "policy": policy or {},
        "homes": homes,
        "children": children,
    }


def scenario(
    homes: list[dict[str, Any]],
    children: list[dict[str, Any]],
    policy: dict[str, Any] | None = None,
) -> Scenario:
    return parse_scenario(scenario_doc(homes, children, policy))


def context(
    homes: list[dict[str, Any]],
    children: list[dict[str, Any]],
    policy: dict[str, Any] | None = None,
) -> Context:
    return Context.of(scenario(homes, children, policy))
