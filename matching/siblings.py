"""Sibling groups and placement units.

Siblings form connected components of the symmetric sibling relation (networkx). A group
without a recorded ``split_reason`` is one placement unit: all together or none. A group
with one is placed member by member.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from matching.errors import InputProblem
from matching.model import Child, SplitReason

__all__ = ["Unit", "placement_units", "sibling_graph", "sibling_groups", "sibling_problems"]


def sibling_graph(children: Iterable[Child]) -> nx.Graph:
    """Undirected graph of children; an edge wherever either child lists the other."""
    graph = nx.Graph()
    known = set()
    kids = list(children)
    for c in kids:
        graph.add_node(c.id)
        known.add(c.id)
    for c in kids:
        for s in c.siblings:
            if s in known and s != c.id:
                graph.add_edge(c.id, s)
    return graph


def sibling_groups(children: Iterable[Child]) -> list[tuple[str, ...]]:
    """Every sibling group (singletons included), members sorted, groups in input order."""
    kids = list(children)
    order = {c.id: i for i, c in enumerate(kids)}
    groups = [
        tuple(sorted(comp, key=order.__getitem__))
        for comp in nx.connected_components(sibling_graph(kids))
    ]
    return sorted(groups, key=lambda g: order[g[0]])


@dataclass(frozen=True, slots=True)
class Unit:
    """What is placed as one: a whole sibling group, or one child."""

    members: tuple[str, ...]
    group: tuple[str, ...]
    split_reason: SplitReason | None = None

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def together(self) -> bool:
        """A sibling group of two or more placed in one home."""
        return len(self.members) > 1

    @property
    def split_from_siblings(self) -> bool:
        return len(self.group) > 1 and not self.together


def _group_split_reason(group: Sequence[str], by_id: dict[str, Child]) -> SplitReason | None:
    for cid in group:
        reason = by_id[cid].split_reason
        if reason is not None:
            return reason
    return None


def placement_units(children: Sequence[Child]) -> list[Unit]:
    """The units the engine places: unsplittable groups whole, the rest child by child."""
    by_id = {c.id: c for c in children}
    units: list[Unit] = []
    for group in sibling_groups(children):
        reason = _group_split_reason(group, by_id) if len(group) > 1 else None
        if reason is None:
            units.append(Unit(members=group, group=group))
        else:
            units.extend(Unit(members=(cid,), group=group, split_reason=reason) for cid in group)
    return units


def sibling_problems(children: Sequence[Child]) -> list[InputProblem]:
    """Unknown sibling ids and keep_apart inside a group that may not be split."""
    problems: list[InputProblem] = []
    known = {c.id for c in children}
    for c in children:
        for s in sorted(c.siblings - known):
            problems.append(InputProblem(f"child {c.id}", "siblings", f"unknown child id '{s}'"))
    by_id = {c.id: c for c in children}
    for group in sibling_groups(children):
        if len(group) < 2 or _group_split_reason(group, by_id) is not None:
            continue
        members = set(group)
        for cid in group:
            for other in sorted(by_id[cid].keep_apart & members):
                problems.append(
                    InputProblem(
                        f"child {cid}",
                        "keep_apart",
                        f"'{other}' is a sibling in a group that may not be split; "
                        "record a split_reason to place them apart",
                    )
                )
    return problems
