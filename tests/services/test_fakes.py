"""The fake unit of work stays a fake of the real one: each of its repository methods
exists on the real repository with the same parameters, so a service that runs on the
fake calls nothing the real one lacks."""

from __future__ import annotations

import inspect

import pytest

from api.db import repositories
from tests.services import fakes

PAIRS = [
    (fakes._Homes, repositories.HomeRepository),
    (fakes._Children, repositories.ChildRepository),
    (fakes._Proposals, repositories.ProposalRepository),
    (fakes._Placements, repositories.PlacementRepository),
    (fakes._AuditTrail, repositories.AuditTrailRepository),
]


@pytest.mark.parametrize(("fake", "real"), PAIRS, ids=[real.__name__ for _, real in PAIRS])
def test_every_fake_method_has_the_real_ones_parameters(fake: type, real: type) -> None:
    methods = [n for n, _ in inspect.getmembers(fake, inspect.isfunction) if n[0] != "_"]
    assert methods
    for name in methods:
        assert hasattr(real, name), f"{real.__name__} has no {name}"
        fake_params = list(inspect.signature(getattr(fake, name)).parameters)
        real_params = list(inspect.signature(getattr(real, name)).parameters)
        # The fake may leave off trailing optional parameters the services never pass.
        assert real_params[: len(fake_params)] == fake_params, name
