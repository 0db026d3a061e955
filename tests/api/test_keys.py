"""Managing API keys: admins create, list (by prefix) and revoke them; a revoked or expired
key stops working at its very next request; nothing ever shows a key again, nor its hash."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from api.cli import main
from api.services.keys import hash_key
from tests.api.conftest import Api, Client
from tests.api.helpers import assert_problem


def new_key(admin: Client, **body: object) -> dict[str, object]:
    response = admin.post("/v1/keys", json={"role": "provider", "organisation": "org-a", **body})
    assert response.status_code == 201, response.text
    issued: dict[str, object] = response.json()
    return issued


def test_a_revoked_key_is_refused_at_its_next_request(api: Api, admin: Client) -> None:
    issued = new_key(admin)
    holder = Client(api.http, str(issued["key"]))
    assert holder.get("/v1/homes").status_code == 200
    response = admin.delete(f"/v1/keys/{issued['prefix']}")
    assert response.status_code == 204
    assert "revoked" in assert_problem(holder.get("/v1/homes"), 401)["detail"]
    # Revoking again changes nothing; an unknown prefix is not found.
    assert admin.delete(f"/v1/keys/{issued['prefix']}").status_code == 204
    assert_problem(admin.delete("/v1/keys/dbk_nothere"), 404)


def test_a_key_expires_after_its_lifetime(api: Api, admin: Client) -> None:
    issued = new_key(admin, expires_in_days=2)
    assert issued["expires_at"] == "2026-11-25T09:00:00Z"
    holder = Client(api.http, str(issued["key"]))
    api.clock.advance(timedelta(days=2) - timedelta(seconds=1))
    assert holder.get("/v1/homes").status_code == 200
    api.clock.advance(timedelta(seconds=1))
    assert "expired" in assert_problem(holder.get("/v1/homes"), 401)["detail"]
    listed = admin.get("/v1/keys", params={"organisation": "org-a"}).json()["items"]
    assert [k["status"] for k in listed] == ["expired"]


def test_keys_expire_after_a_year_unless_said_otherwise(admin: Client) -> None:
    assert new_key(admin)["expires_at"] == "2027-11-23T09:00:00Z"


def test_the_listing_shows_prefixes_never_keys_or_hashes(
    admin: Client, provider: Client, coordinator: Client
) -> None:
    issued = new_key(admin, label="koppeling planning")
    response = admin.get("/v1/keys")
    assert response.status_code == 200
    keys = [str(issued["key"]), *(c.key or "" for c in (admin, provider, coordinator))]
    for key in keys:
        assert key not in response.text
        assert hash_key(key) not in response.text
    items = response.json()["items"]
    assert {k["prefix"] for k in items} == {key[:12] for key in keys}
    assert set(items[0]) == {
        "prefix",
        "role",
        "organisation",
        "municipality",
        "label",
        "created_at",
        "expires_at",
        "revoked_at",
        "status",
    }
    only_org = admin.get("/v1/keys", params={"organisation": "jb-a"}).json()["items"]
    assert [k["prefix"] for k in only_org] == [str(coordinator.key)[:12]]
    only_role = admin.get("/v1/keys", params={"role": "admin"}).json()["items"]
    assert [k["prefix"] for k in only_role] == [str(admin.key)[:12]]


def test_key_options_are_checked(admin: Client) -> None:
    body = assert_problem(
        admin.post("/v1/keys", json={"role": "municipality", "organisation": "gemeente-ede"}), 422
    )
    assert body["errors"][0]["path"] == "$.municipality"
    for bad in (
        {"role": "superuser", "organisation": "x"},
        {"role": "provider", "organisation": "two words"},
        {"role": "provider", "organisation": "x", "expires_in_days": 0},
        {"role": "provider", "organisation": "x", "hash": "abc"},
    ):
        assert_problem(admin.post("/v1/keys", json=bad), 422)
    municipal = new_key(
        admin, role="municipality", organisation="gemeente-ede", municipality="0228"
    )
    assert municipal["municipality"] == "0228"


def test_token_list_and_revoke_on_the_command_line(
    api: Api, admin: Client, provider: Client, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    prefix = str(provider.key)[:12]
    out = io.StringIO()
    assert main(["token", "list", "--organisation", "org-a"], out) == 0
    listing = out.getvalue()
    assert prefix in listing
    assert str(provider.key) not in listing
    assert main(["token", "revoke", prefix], io.StringIO()) == 0
    assert_problem(provider.get("/v1/homes"), 401)
    out = io.StringIO()
    assert main(["token", "list", "--organisation", "org-a"], out) == 0
    assert prefix not in out.getvalue()  # revoked keys only with --all
    out = io.StringIO()
    assert main(["token", "list", "--all"], out) == 0
    assert f"{prefix}" in out.getvalue()
    assert "ingetrokken" in out.getvalue()


def test_token_revoke_names_an_unknown_prefix(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["token", "revoke", "dbk_nothere"]) == 2
    assert "dbk_nothere" in capsys.readouterr().err


def test_token_create_takes_a_lifetime(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = io.StringIO()
    argv = ["token", "create", "--role", "provider", "--organisation", "org-a"]
    assert main([*argv, "--expires-in-days", "30"], out) == 0
    assert "verloopt 20" in out.getvalue()
    with pytest.raises(SystemExit):
        main([*argv, "--expires-in-days", "0"], io.StringIO())
