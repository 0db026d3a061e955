"""Fuzzing the published OpenAPI document with schemathesis: whatever a client sends, valid
or not, the service answers as its schema says and never with a server error.

Every operation gets generated requests (valid and invalid ones, derandomized so that a run
is repeatable) with a key of a role that may call it, so that they reach the code behind
the access check. Runs on SQLite, in one app of its own with a small world to find;
bounded at :data:`EXAMPLES_PER_OPERATION` per operation (about 10 s in all on 2 cores).

``DICHTBIJ_FUZZ_FULL=1`` adds schemathesis' coverage phase: every boundary value and every
undeclared method of every operation (about 2,000 requests more, some 15 s).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig

from api.clock import FixedClock
from api.db.engine import make_engine
from api.http.app import create_app
from api.services import match_runs
from api.services.keys import create_key
from api.settings import Settings
from tests.api.conftest import START
from tests.api.helpers import stub_solver
from tests.builders import child, home

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient

EXAMPLES_PER_OPERATION = 15

# Whose key each operation is tried with: one that passes the role check. Everything not
# listed is tried as an admin.
ROLE_OF = {
    ("GET", "/v1/children/{child_id}/options"): "coordinator",
    ("POST", "/v1/proposals"): "coordinator",
    ("POST", "/v1/proposals/{proposal_id}/confirm"): "coordinator",
    ("POST", "/v1/proposals/{proposal_id}/withdraw"): "coordinator",
    ("POST", "/v1/placements/{placement_id}/end"): "coordinator",
    ("POST", "/v1/proposals/{proposal_id}/accept"): "provider",
    ("POST", "/v1/proposals/{proposal_id}/decline"): "provider",
    ("GET", "/v1/audit/proximity"): "municipality",
}


def _fuzz_app() -> FastAPI:
    """An app of its own on an in-memory SQLite database. Built when the module is
    imported: schemathesis reads the schema at collection time (its lazy, fixture-based
    loader does not work with pytest 9)."""
    engine = make_engine("sqlite://")
    settings = Settings(data_dir=Path("unused"), seed_demo=False, options_burst=10_000)
    return create_app(settings, clock=FixedClock(START), engine=engine)


APP = _fuzz_app()
FULL = os.environ.get("DICHTBIJ_FUZZ_FULL", "").strip() not in ("", "0")
schema = schemathesis.openapi.from_asgi(
    "/openapi.json",
    APP,
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": FULL}}}),
)


@pytest.fixture(scope="module")
def fuzz_keys() -> Iterator[dict[str, str]]:
    """A key per role, and a home and a child for the generated requests to find."""
    keys = {
        role: create_key(
            APP.state.uow,
            role=role,
            organisation=organisation,
            municipality=municipality,
            now=START,
        ).key
        for role, organisation, municipality in (
            ("admin", "beheer", None),
            ("coordinator", "jb-a", None),
            ("provider", "org-a", None),
            ("municipality", "gemeente-ede", "0228"),
        )
    }
    http = TestClient(APP)
    for path, body, role in (
        ("/v1/homes", home("H-1", beds_free=3), "provider"),
        ("/v1/children", child("C-1"), "coordinator"),
    ):
        response = http.post(path, json=body, headers={"Authorization": f"Bearer {keys[role]}"})
        assert response.status_code == 201, response.text
    with pytest.MonkeyPatch.context() as patch:
        # The solver is tested in tests/solver; here only what the service does around it.
        patch.setattr(match_runs, "run_match", stub_solver)
        yield keys


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_answers_as_documented(case: Any, fuzz_keys: dict[str, str]) -> None:
    operation = (case.method.upper(), case.path)
    role = ROLE_OF.get(operation, ROLE_OF.get((operation[0], operation[1].split(".")[0]), "admin"))
    case.call_and_validate(
        headers={"Authorization": f"Bearer {fuzz_keys[role]}"},
        # Schema-valid is not the same as acceptable here: an unknown postcode, a start date
        # years away or an audit query without a municipality are valid JSON of the right
        # shape and still 422 (RFC 9110: semantically invalid). Every other check runs.
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
