"""Sibling groups and placement units.

Siblings form connected components of the symmetric sibling relation. A group
without a recorded ``split_reason`` is one placement unit: all together or none. A group
with one is placed member by member.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from matching.errors import InputProblem
from matching.model import Child, SplitReason

__all__ = ["Unit", "connected_groups", "placement_units", "sibling_groups", "sibling_problems"]


def connected_groups(
    ids: Sequence[str], links: Mapping[str, Iterable[str]]
) -> list[tuple[str, ...]]:
    """Connected components of the symmetric relation ``links`` over ``ids``.

    A link in either direction joins two ids; links to ids not in ``ids`` are ignored.
    Members and groups come in the order of ``ids``. The one grouping every caller
    (the engine, the fixture summaries) uses.
    """
    order = {cid: i for i, cid in enumerate(ids)}
    root = list(range(len(ids)))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for cid, others in links.items():
        if cid not in order:
            continue
        for other in others:
            if other in order:
                a, b = find(order[cid]), find(order[other])
                root[max(a, b)] = min(a, b)
    groups: dict[int, list[str]] = {}
    for i, cid in enumerate(ids):
        groups.setdefault(find(i), []).append(cid)
    return [tuple(g) for g in groups.values()]


def sibling_groups(children: Iterable[Child]) -> list[tuple[str, ...]]:
    """Every sibling group (singletons included), members and groups in input order."""
    kids = list(children)
    return connected_groups([c.id for c in kids], {c.id: c.siblings for c in kids})


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


def placement_units(children: Sequence[Child], residents: Collection[str] = ()) -> list[Unit]:
    """The units the engine places: unsplittable groups whole, the rest child by child.

    ``residents`` are the ids of children who live in a home (or are about to) and are not
    placed here (:class:`~matching.model.Resident`). A brother or sister among them, named
    in a child's ``siblings``, belongs to the ``group`` of a group placed apart: keep-apart
    under a protective reason and ``max_siblings`` hold against it as against a brother or
    sister who is placed here. The family is the connected component with those residents
    in it: two children who each name only a brother who lives elsewhere are brother and
    sister too. A group placed whole is formed among the children alone.
    """
    by_id = {c.id: c for c in children}
    position = {cid: i for i, cid in enumerate(by_id)}
    outside = set(residents) - set(by_id)
    named = sorted({s for c in children for s in c.siblings if s in outside})
    links = {c.id: c.siblings for c in children}
    units: list[Unit] = []
    for family in connected_groups([*by_id, *named], links):
        kids = tuple(m for m in family if m in by_id)
        reason = _group_split_reason(kids, by_id) if len(family) > 1 else None
        if reason is None:
            units.extend(Unit(members=g, group=g) for g in sibling_groups(by_id[m] for m in kids))
        else:
            # Each child carries its own recorded reason where it has one (a threat from a
            # brother is not his specialist care), else the group's.
            units.extend(
                Unit(members=(cid,), group=family, split_reason=by_id[cid].split_reason or reason)
                for cid in kids
            )
    units.sort(key=lambda u: position[u.members[0]])  # input order, as the groups come
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
