"""Migrations: an empty database is brought to the newest schema, which matches the tables
the code declares, and the steps can be undone and replayed."""

from __future__ import annotations

import json
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from api.clock import FixedClock
from api.db.engine import current_revision, downgrade, head_revision, make_engine, migrate
from api.db.tables import metadata
from api.http.app import create_app
from api.services.keys import create_key
from api.settings import Settings
from tests.api.conftest import START, _pg_admin_engine

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'fresh' / 'db.sqlite3'}")
        yield engine
        engine.dispose()
        return
    admin, reason = _pg_admin_engine()
    if admin is None:
        pytest.skip(reason)
    name = f"dichtbij_migr_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(admin.url.set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_empty_database_migrates_to_the_declared_schema(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    migrate(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    assert set(inspect(empty_engine).get_table_names()) >= {t.name for t in metadata.sorted_tables}
    assert _differences(empty_engine) == []


def test_migrating_twice_changes_nothing(empty_engine: Engine) -> None:
    migrate(empty_engine)
    migrate(empty_engine)
    assert current_revision(empty_engine) == head_revision()


def test_migrations_can_be_undone_and_replayed(empty_engine: Engine) -> None:
    migrate(empty_engine)
    downgrade(empty_engine, "base")
    assert current_revision(empty_engine) is None
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    migrate(empty_engine)
    assert _differences(empty_engine) == []


def test_the_database_refuses_more_held_than_free_beds(empty_engine: Engine) -> None:
    migrate(empty_engine)
    insert = text(
        "INSERT INTO homes (id, organisation, type, postcode, beds_free, beds_held, age_min,"
        " age_max, capabilities, languages, known_to, created_at, updated_at) VALUES"
        " ('H-1', 'o', 'foster', '6714', 1, 2, 0, 23, '{}', '[]', '[]',"
        " '2026-11-23 00:00:00', '2026-11-23 00:00:00')"
    )
    with pytest.raises(IntegrityError, match=r"(?i)check"), empty_engine.begin() as conn:
        conn.execute(insert)


def test_postcodes_stored_before_0003_are_cut_to_their_pc4(empty_engine: Engine) -> None:
    migrate(empty_engine, "0002")
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO homes (id, organisation, type, postcode, beds_free, beds_held,"
                " age_min, age_max, capabilities, languages, known_to, created_at, updated_at)"
                " VALUES ('H-1', 'o', 'foster', '6714AB', 1, 0, 0, 23, '{}', '[]', '[]',"
                " '2026-11-23 00:00:00', '2026-11-23 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO children (id, organisation, status, age, parents_postcode,"
                " school_postcode, keep_apart, needs, urgency, languages, created_at,"
                " updated_at) VALUES ('C-1', 'o', 'waiting', 8, '6712AB', '6716', '[]', '{}',"
                " 'planned', '[]', '2026-11-23 00:00:00', '2026-11-23 00:00:00')"
            )
        )
    migrate(empty_engine)
    with empty_engine.connect() as conn:
        home = conn.execute(text("SELECT postcode FROM homes")).scalar_one()
        child = conn.execute(text("SELECT parents_postcode, school_postcode FROM children")).one()
    assert (home, *child) == ("6714", "6712", "6716")


def test_ids_of_children_deleted_before_0006_become_tombstones(empty_engine: Engine) -> None:
    migrate(empty_engine, "0005")
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO children (id, organisation, status, age, parents_postcode,"
                " keep_apart, needs, urgency, languages, created_at, updated_at) VALUES"
                " ('C-here', 'o', 'waiting', 8, '6712', '[]', '{}', 'planned', '[]',"
                " '2026-11-23 00:00:00', '2026-11-23 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO audit_events (id, at, role, action, status, outcome) VALUES"
                " (1, '2026-11-23 00:00:00', 'coordinator', 'child.read', 200, 'allowed')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO audit_event_children (event_id, child_id) VALUES"
                " (1, 'C-here'), (1, 'C-gone')"
            )
        )
    migrate(empty_engine)
    with empty_engine.connect() as conn:
        buried = conn.execute(text("SELECT id FROM child_tombstones")).scalars().all()
        version = conn.execute(text("SELECT version FROM children")).scalar_one()
    assert (buried, version) == (["C-gone"], 1)


def test_lists_stored_before_0010_name_each_item_once_and_read_again(
    empty_engine: Engine, tmp_path: Path
) -> None:
    migrate(empty_engine, "0009")
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO homes (id, organisation, type, postcode, beds_free, beds_held,"
                " age_min, age_max, capabilities, languages, known_to, care_kinds, created_at,"
                " updated_at) VALUES ('H-1', 'org-a', 'network_foster', '6714', 1, 0, 0, 23,"
                ' \'{}\', \'["nl", "en", "nl"]\', \'["C-1", "C-1"]\','
                ' \'["long_term", "crisis", "long_term"]\','
                " '2026-11-23 00:00:00', '2026-11-23 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO children (id, organisation, status, age, parents_postcode,"
                " keep_apart, needs, urgency, languages, created_at, updated_at) VALUES"
                " ('C-1', 'jb-a', 'waiting', 8, '6712', '[\"C-2\", \"C-2\"]', '{}', 'planned',"
                " '[\"pl\", \"nl\", \"pl\"]', '2026-11-23 00:00:00', '2026-11-23 00:00:00'),"
                " ('C-2', 'jb-a', 'waiting', 9, '6712', '[]', '{}', 'planned', '[\"nl\"]',"
                " '2026-11-23 00:00:00', '2026-11-23 00:00:00')"
            )
        )
    migrate(empty_engine)

    app = create_app(
        Settings(data_dir=tmp_path, seed_demo=False), clock=FixedClock(START), engine=empty_engine
    )
    http = TestClient(app)

    def as_role(role: str, organisation: str) -> dict[str, str]:
        key = create_key(
            app.state.uow, role=role, organisation=organisation, municipality=None, now=START
        ).key
        return {"Authorization": f"Bearer {key}"}

    provider, coordinator = as_role("provider", "org-a"), as_role("coordinator", "jb-a")
    home = http.get("/v1/homes/H-1", headers=provider)
    assert home.status_code == 200, home.text
    assert (home.json()["languages"], home.json()["known_to"], home.json()["care_kinds"]) == (
        ["nl", "en"],
        ["C-1"],
        ["long_term", "crisis"],
    )
    child = http.get("/v1/children/C-1", headers=coordinator)
    assert child.status_code == 200, child.text
    assert (child.json()["keep_apart"], child.json()["languages"]) == (["C-2"], ["pl", "nl"])
    # What a GET shows changed, so its version (the ETag) moved on; C-2's did not.
    with empty_engine.connect() as conn:
        versions: dict[str, int] = dict(
            conn.execute(text("SELECT id, version FROM children")).all()
        )
    assert versions == {"C-1": 2, "C-2": 1}
    # A change of some other field is no longer refused for the stored lists.
    changed = http.patch("/v1/homes/H-1", json={"beds_free": 2}, headers=provider)
    assert changed.status_code == 200, changed.text
    listed = http.get("/v1/children", headers=coordinator)
    assert listed.status_code == 200, listed.text

    downgrade(empty_engine, "0009")  # a no-op: the lists stay as they are
    with empty_engine.connect() as conn:
        languages = conn.execute(text("SELECT languages FROM children WHERE id = 'C-1'")).scalar()
    assert (json.loads(languages) if isinstance(languages, str) else languages) == ["pl", "nl"]
