"""API keys: Bearer keys, stored only as a hash; missing, unknown, revoked or expired is 401."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import select, update

from api.cli import main
from api.db.tables import ApiKeyRow
from api.http.deps import allowed_caller
from api.services.keys import KeyOptionsError, create_key, hash_key
from tests.api.conftest import Api, Client
from tests.api.helpers import assert_problem


def test_no_key_is_401_with_a_bearer_challenge(anonymous: Client) -> None:
    response = anonymous.get("/v1/homes")
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    ["Bearer dbk_not-a-real-key", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer", "dbk_x"],
)
def test_unknown_or_malformed_keys_are_401(anonymous: Client, header: str) -> None:
    assert_problem(anonymous.get("/v1/homes", headers={"Authorization": header}), 401)


def test_only_the_hash_is_stored(api: Api) -> None:
    issued = create_key(
        api.uow, role="provider", organisation="org-a", municipality=None, now=api.clock.now()
    )
    with api.uow.read() as tx:
        row = tx.session.scalars(select(ApiKeyRow)).one()
    assert row.hash == hash_key(issued.key)
    assert issued.key not in {row.hash, row.prefix}
    assert issued.key.startswith(row.prefix)
    assert len(issued.key) > 40


def test_revoked_and_expired_keys_stop_working(api: Api, provider: Client) -> None:
    assert provider.get("/v1/homes").status_code == 200
    with api.uow.write() as tx:
        tx.session.execute(update(ApiKeyRow).values(revoked_at=api.clock.now()))
        tx.commit()
    assert "revoked" in assert_problem(provider.get("/v1/homes"), 401)["detail"]
    with api.uow.write() as tx:
        tx.session.execute(
            update(ApiKeyRow).values(revoked_at=None, expires_at=api.clock.now() + timedelta(1))
        )
        tx.commit()
    assert provider.get("/v1/homes").status_code == 200
    api.clock.advance(timedelta(days=2))
    assert "expired" in assert_problem(provider.get("/v1/homes"), 401)["detail"]


def test_key_options_are_checked(api: Api) -> None:
    now = api.clock.now()
    for role, organisation, municipality in [
        ("superuser", "org", None),
        ("municipality", "gemeente-ede", None),
        ("municipality", "gemeente-ede", "228"),
        ("municipality", "gemeente-ede", "9999"),
        ("municipality", "gemeente-ede", "0000"),
        ("provider", "two words", None),
    ]:
        with pytest.raises(KeyOptionsError):
            create_key(
                api.uow, role=role, organisation=organisation, municipality=municipality, now=now
            )


def test_token_create_prints_a_working_key_last(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = io.StringIO()
    status = main(["token", "create", "--role", "provider", "--organisation", "org-a"], out)
    assert status == 0
    key = out.getvalue().strip().splitlines()[-1]
    client = Client(api.http, key)
    assert client.get("/v1/homes").status_code == 200


def test_token_create_refuses_a_municipality_without_code(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    argv = ["token", "create", "--role", "municipality", "--organisation", "gemeente-ede"]
    assert main(argv, io.StringIO()) == 2
    assert "--municipality" in capsys.readouterr().err


def test_token_create_refuses_a_bad_database_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://localhost/db")
    assert main(["token", "create", "--role", "admin", "--organisation", "beheer"]) == 2
    assert "DATABASE_URL" in capsys.readouterr().err


def test_every_v1_endpoint_checks_its_key_and_closes_lapsed_holds_first(api: Api) -> None:
    # allowed_caller checks the key, begins the audit record, takes the token and closes
    # lapsed holds before the endpoint reads anything: no /v1 route may do without it.
    def calls(dependant: Any) -> Iterator[Any]:
        yield dependant.call
        for sub in dependant.dependencies:
            yield from calls(sub)

    routes = [
        context.route
        for context in iter_route_contexts(api.app.routes)
        if str(context.path).startswith("/v1/") and isinstance(context.route, APIRoute)
    ]
    assert len(routes) > 30
    assert [r.path for r in routes if allowed_caller not in set(calls(r.dependant))] == []
