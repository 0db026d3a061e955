"""Children: their records, sibling links and tombstones."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    delete,
    insert,
    or_,
    select,
    update,
)

from api.db.repositories.common import TableRepository, page_of, rowcount_of
from api.db.tables import (
    ChildRow,
    ChildTombstoneRow,
    HomeRow,
    SiblingLinkRow,
)
from matching.siblings import connected_groups


class ChildRepository(TableRepository[ChildRow]):
    table = ChildRow

    def get(self, child_id: str, *, lock: bool = False) -> ChildRow | None:
        return self._by_id(child_id, lock=lock)

    def lock_for_edit(self, child_id: str) -> ChildRow | None:
        """The child, its row locked against every other writer until the transaction ends
        (PostgreSQL ``FOR NO KEY UPDATE``), but not against :meth:`hold`: two edits that
        name each other (each locks its own child, then holds the other) never wait for
        each other in a cycle."""
        return self.session.get(
            ChildRow, child_id, populate_existing=True, with_for_update={"key_share": True}
        )

    def hold(self, child_ids: Collection[str]) -> set[str]:
        """Keep these children from being removed until the transaction ends (PostgreSQL
        ``FOR KEY SHARE``, in id order): a child that names them (keep_apart, siblings, a
        network home's known_to) is either stored before a removal, which then takes the
        id out again, or checked after it, and finds them gone. A removal locks the child
        ``FOR UPDATE`` (:meth:`get` with ``lock``), which waits for this lock. Returns
        those that exist once held."""
        if not child_ids:
            return set()
        return set(
            self.session.scalars(
                select(ChildRow.id)
                .where(ChildRow.id.in_(sorted(child_ids)))
                .order_by(ChildRow.id)
                .with_for_update(read=True, key_share=True)
            )
        )

    def get_many(self, child_ids: Collection[str]) -> dict[str, ChildRow]:
        return self._by_ids(child_ids)

    def page(
        self, organisation: str | None, statuses: Collection[str], offset: int, limit: int
    ) -> tuple[list[ChildRow], int]:
        query = select(ChildRow).order_by(ChildRow.id)
        if organisation is not None:
            query = query.where(ChildRow.organisation == organisation)
        if statuses:
            query = query.where(ChildRow.status.in_(list(statuses)))
        return page_of(self.session, query, offset, limit)

    def siblings_of(self, child_ids: Collection[str]) -> dict[str, set[str]]:
        """Direct sibling links of each child (both directions are stored)."""
        out: dict[str, set[str]] = {cid: set() for cid in child_ids}
        if not child_ids:
            return out
        rows = self.session.execute(
            select(SiblingLinkRow.child_id, SiblingLinkRow.sibling_id).where(
                SiblingLinkRow.child_id.in_(list(child_ids))
            )
        )
        for child_id, sibling_id in rows:
            out[child_id].add(sibling_id)
        return out

    def sibling_links(self, organisation: str) -> list[tuple[str, str]]:
        query = (
            select(SiblingLinkRow.child_id, SiblingLinkRow.sibling_id)
            .join(ChildRow, ChildRow.id == SiblingLinkRow.child_id)
            .where(ChildRow.organisation == organisation)
        )
        return [(a, b) for a, b in self.session.execute(query)]

    def component(self, child_id: str, extra_links: Iterable[tuple[str, str]] = ()) -> set[str]:
        """The sibling group of ``child_id`` (transitive), with ``extra_links`` assumed."""
        extra: dict[str, set[str]] = {}
        for a, b in extra_links:
            extra.setdefault(a, set()).add(b)
            extra.setdefault(b, set()).add(a)
        seen = {child_id}
        frontier = {child_id}
        found: dict[str, set[str]] = {}
        while frontier:
            links = self.siblings_of(frontier)
            nxt: set[str] = set()
            for cid in frontier:
                found[cid] = links[cid] | extra.get(cid, set())
                nxt |= found[cid]
            frontier = nxt - seen
            seen |= frontier
        # The walk only loads the rows; the group is the engine's connected component.
        groups = connected_groups(sorted(seen), found)
        return next(set(g) for g in groups if child_id in g)

    def set_siblings(self, child_id: str, siblings: Collection[str]) -> None:
        """Make ``siblings`` exactly the direct siblings of ``child_id``, in both directions."""
        current = self.siblings_of([child_id])[child_id]
        removed = current - set(siblings)
        added = set(siblings) - current
        if removed:
            self.session.execute(
                delete(SiblingLinkRow).where(
                    or_(
                        (SiblingLinkRow.child_id == child_id)
                        & SiblingLinkRow.sibling_id.in_(removed),
                        (SiblingLinkRow.sibling_id == child_id)
                        & SiblingLinkRow.child_id.in_(removed),
                    )
                )
            )
        if added:
            rows = [{"child_id": child_id, "sibling_id": s} for s in sorted(added)]
            rows += [{"child_id": s, "sibling_id": child_id} for s in sorted(added)]
            self.session.execute(insert(SiblingLinkRow), rows)
        if removed | added:
            # The other side's siblings changed too: what a GET of it shows is new.
            self.session.execute(
                update(ChildRow)
                .where(ChildRow.id.in_(sorted(removed | added)))
                .values(version=ChildRow.version + 1)
                .execution_options(synchronize_session=False)
            )

    def drop_from_keep_apart(self, organisation: str, child_id: str, now: datetime) -> None:
        """Remove ``child_id`` from the keep_apart lists of the organisation's children."""
        naming = [
            cid
            for cid, keep_apart in self.session.execute(
                select(ChildRow.id, ChildRow.keep_apart).where(
                    ChildRow.organisation == organisation
                )
            )
            if child_id in (keep_apart or ())
        ]
        # Only those rows are locked, and read again under the lock (PostgreSQL), so that
        # an edit of one's keep_apart committed meanwhile is kept, not written over.
        for row in self.session.scalars(
            select(ChildRow)
            .where(ChildRow.id.in_(naming))
            .order_by(ChildRow.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ):
            if child_id in row.keep_apart:
                row.keep_apart = [c for c in row.keep_apart if c != child_id]
                row.updated_at = now
                row.version += 1
        self.session.flush()

    def update_fields(self, child_id: str, values: dict[str, Any]) -> None:
        self.session.execute(
            update(ChildRow)
            .where(ChildRow.id == child_id)
            .values(**values, version=ChildRow.version + 1)
            .execution_options(synchronize_session=False)
        )

    def move(
        self,
        child_ids: Sequence[str],
        from_status: Collection[str],
        to_status: str,
        now: datetime,
        **values: Any,
    ) -> bool:
        """Move every child from one of ``from_status`` to ``to_status``; False if any was
        not in such a status (another request got there first). Rows in id order."""
        for cid in sorted(child_ids):
            result = self.session.execute(
                update(ChildRow)
                .where(ChildRow.id == cid, ChildRow.status.in_(list(from_status)))
                .values(status=to_status, updated_at=now, version=ChildRow.version + 1, **values)
                .execution_options(synchronize_session=False)
            )
            if rowcount_of(result) != 1:
                return False
        return True

    def delete(self, child_id: str, now: datetime) -> None:
        """Remove the child and leave a tombstone: its id is never given to another child."""
        self.session.execute(
            delete(SiblingLinkRow).where(
                or_(SiblingLinkRow.child_id == child_id, SiblingLinkRow.sibling_id == child_id)
            )
        )
        self.session.execute(delete(ChildRow).where(ChildRow.id == child_id))
        self.session.add(ChildTombstoneRow(id=child_id, deleted_at=now))
        self.session.flush()

    def id_taken(self, child_id: str) -> bool:
        """Whether a child has, or ever had, this id."""
        return (
            self.session.get(ChildRow, child_id) is not None
            or self.session.get(ChildTombstoneRow, child_id) is not None
        )

    def scenario_rows(
        self,
        organisation: str | None,
        statuses: Collection[str],
        *,
        ids: Collection[str] | None = None,
        parents_postcodes: Collection[str] | None = None,
    ) -> Sequence[Any]:
        """Plain rows of the children a scenario is built from (see :mod:`api.services.live`),
        only those among ``ids`` and whose parents live in one of ``parents_postcodes``
        (PC4, as stored) where these are given."""
        cols = ChildRow.__table__.c
        query = select(*cols).where(cols.status.in_(list(statuses))).order_by(cols.id)
        if organisation is not None:
            query = query.where(cols.organisation == organisation)
        if ids is not None:
            query = query.where(cols.id.in_(list(ids)))
        if parents_postcodes is not None:
            query = query.where(cols.parents_postcode.in_(list(parents_postcodes)))
        return self.session.execute(query).all()

    def current_homes(self, organisation: str | None, statuses: Collection[str]) -> set[str]:
        """The homes that children of ``organisation`` (any for ``None``) in ``statuses``
        live in now."""
        query = select(ChildRow.current_home).where(
            ChildRow.current_home.is_not(None), ChildRow.status.in_(list(statuses))
        )
        if organisation is not None:
            query = query.where(ChildRow.organisation == organisation)
        return set(self.session.scalars(query.distinct()))

    def in_status(
        self, child_ids: Collection[str], organisation: str | None, statuses: Collection[str]
    ) -> set[str]:
        """Those of ``child_ids`` whose child is of ``organisation`` (any for ``None``) and
        in one of ``statuses``."""
        if not child_ids:
            return set()
        query = select(ChildRow.id).where(
            ChildRow.id.in_(list(child_ids)), ChildRow.status.in_(list(statuses))
        )
        if organisation is not None:
            query = query.where(ChildRow.organisation == organisation)
        return set(self.session.scalars(query))

    def placed_in_residential(self, organisation: str | None) -> Sequence[Any]:
        """Plain rows (as :meth:`scenario_rows`) of the placed children who live full-time
        in a residential group: the children a match run may move out (uitstroom)."""
        cols = ChildRow.__table__.c
        query = (
            select(*cols)
            .join(HomeRow, HomeRow.id == cols.current_home)
            .where(
                cols.status == "placed",
                HomeRow.type == "residential",
                or_(cols.care_kind.is_(None), cols.care_kind != "part_time"),
            )
            .order_by(cols.id)
        )
        if organisation is not None:
            query = query.where(cols.organisation == organisation)
        return self.session.execute(query).all()

    def living_in(
        self, organisation: str, home_id: str, statuses: Collection[str]
    ) -> list[ChildRow]:
        query = select(ChildRow).where(
            ChildRow.organisation == organisation,
            ChildRow.current_home == home_id,
            ChildRow.status.in_(list(statuses)),
        )
        return list(self.session.scalars(query))

    def forget_home(self, home_id: str, now: datetime) -> None:
        """Clear ``current_home`` wherever it names the home (a withdrawn home is no one's)."""
        self.session.execute(
            update(ChildRow)
            .where(ChildRow.current_home == home_id)
            .values(current_home=None, updated_at=now, version=ChildRow.version + 1)
            .execution_options(synchronize_session=False)
        )

    def living_anywhere(self, organisation: str, statuses: Collection[str]) -> list[ChildRow]:
        """The organisation's children who live in a home now (``current_home`` is set)."""
        query = select(ChildRow).where(
            ChildRow.organisation == organisation,
            ChildRow.current_home.is_not(None),
            ChildRow.status.in_(list(statuses)),
        )
        return list(self.session.scalars(query))

    def residents(
        self,
        organisation: str | None,
        statuses: Collection[str],
        home_ids: Collection[str] | None = None,
    ) -> list[tuple[str, str, list[str]]]:
        """``(child, home, keep_apart)`` for children in ``statuses`` who live in a home (one
        of ``home_ids``, if given)."""
        query = select(ChildRow.id, ChildRow.current_home, ChildRow.keep_apart).where(
            ChildRow.current_home.is_not(None), ChildRow.status.in_(list(statuses))
        )
        if organisation is not None:
            query = query.where(ChildRow.organisation == organisation)
        if home_ids is not None:
            query = query.where(ChildRow.current_home.in_(list(home_ids)))
        return [(cid, home, list(apart)) for cid, home, apart in self.session.execute(query)]

    def links_among(
        self,
        organisation: str | None,
        statuses: Collection[str],
        ids: Collection[str] | None = None,
    ) -> list[tuple[str, str]]:
        """The sibling links from children in ``statuses`` (among ``ids``, if given)."""
        child = ChildRow.__table__.alias("c")
        query = (
            select(SiblingLinkRow.child_id, SiblingLinkRow.sibling_id)
            .join(child, child.c.id == SiblingLinkRow.child_id)
            .where(child.c.status.in_(list(statuses)))
        )
        if organisation is not None:
            query = query.where(child.c.organisation == organisation)
        if ids is not None:
            query = query.where(child.c.id.in_(list(ids)))
        return [(a, b) for a, b in self.session.execute(query)]
