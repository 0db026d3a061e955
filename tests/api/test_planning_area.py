"""A municipality's area read from its part of the database is the area cut from the whole:
the same children, homes and residents, field by field, on a generated country with
residents, proposals, keep-apart references and sibling groups across municipalities."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, update

from api.db.tables import ChildRow, HomeRow, ProposalChildRow, ProposalRow
from api.services.live import waiting_scenario
from api.services.planning import area_of, area_scenario
from api.services.seed import load_scenario_document
from fixtures.generate import generate_national
from matching.geo import postcode_table
from matching.policy import Policy
from tests.api.conftest import COORDINATOR_ORG, Api


def _country(rng: random.Random) -> dict[str, Any]:
    """A fifth of the national fixture, with siblings whose parents live elsewhere and
    children kept apart from others."""
    doc = generate_national(11, scale=0.2)
    children = doc["children"]
    with_siblings = [c for c in children if c.get("siblings")]
    for c in rng.sample(with_siblings, 15):
        c["parents_postcode"] = rng.choice(children)["parents_postcode"]
    # Kept apart from the next child by postcode: most often one of the same municipality.
    nearby = sorted(children, key=lambda c: (c["parents_postcode"], c["id"]))
    for i in rng.sample(range(len(nearby) - 1), 60):
        c, other = nearby[i], nearby[i + 1]["id"]
        if other not in c.get("siblings", ()):
            c["keep_apart"] = sorted({*c.get("keep_apart", ()), other})
    return doc


def _living(api: Api, doc: dict[str, Any], rng: random.Random) -> None:
    """Children who live in a home now (placed, or waiting to move), children proposed to
    a home, and homes made full by the held beds of those proposals."""
    now = api.clock.now()
    ids = [c["id"] for c in doc["children"]]
    homes = [h["id"] for h in doc["homes"]]
    rng.shuffle(ids)
    placed, moving, proposed = ids[:60], ids[60:75], ids[75:90]
    with api.uow.write() as tx:
        session = tx.session
        for cid in placed:
            session.execute(
                update(ChildRow)
                .where(ChildRow.id == cid)
                .values(status="placed", current_home=rng.choice(homes))
            )
        for cid in moving:
            session.execute(
                update(ChildRow).where(ChildRow.id == cid).values(current_home=rng.choice(homes))
            )
        for cid in proposed:
            home_id = rng.choice(homes)
            proposal = str(uuid.UUID(int=rng.getrandbits(128)))
            session.execute(update(ChildRow).where(ChildRow.id == cid).values(status="proposed"))
            session.execute(
                insert(ProposalRow).values(
                    id=proposal,
                    organisation=COORDINATOR_ORG,
                    home_id=home_id,
                    status="proposed",
                    beds=1,
                    created_at=now,
                    updated_at=now,
                    expires_at=now + timedelta(days=7),
                )
            )
            session.execute(
                insert(ProposalChildRow).values(proposal_id=proposal, child_id=cid, position=0)
            )
            session.execute(
                update(HomeRow).where(HomeRow.id == home_id).values(beds_held=HomeRow.beds_free)
            )
        tx.commit()


def test_the_area_read_from_its_part_is_the_area_cut_from_the_whole(api: Api) -> None:
    rng = random.Random(5)
    doc = _country(rng)
    load_scenario_document(api.uow, doc, COORDINATOR_ORG, api.clock.now())
    _living(api, doc, rng)
    today, policy = api.clock.now().date(), Policy()
    table = postcode_table()
    municipality = dict(zip(table.pc4s, table.municipality_codes, strict=True))
    counts = Counter(municipality[c["parents_postcode"][:4]] for c in doc["children"])
    # The biggest areas, a few small ones, and one without a waiting child.
    small = sorted(m for m, n in counts.items() if n <= 2)
    asked = [m for m, _ in counts.most_common(4)] + rng.sample(small, 4)
    asked += [next(m for m in table.municipality_codes if m not in counts)]
    with api.uow.read() as tx:
        whole = waiting_scenario(tx, None, today, policy)
    residents = kept_apart = from_elsewhere = 0
    for m in asked:
        expected = area_of(whole, m)
        area = area_scenario(api.uow, m, today, policy)
        assert area.children == expected.children, m
        assert area.homes == expected.homes, m
        assert area.residents == expected.residents, m
        residents += len(area.residents)
        kept_apart += sum(1 for c in area.children if c.keep_apart)
        from_elsewhere += sum(1 for c in area.children if municipality[c.parents_postcode.pc4] != m)
    # The comparison covered what the part must read beyond the municipality's own.
    assert residents > 0
    assert kept_apart > 0
    assert from_elsewhere > 0
