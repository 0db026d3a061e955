"""Settings from the environment, and the JSON paths of error messages (unit tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.services.errors import json_path
from api.settings import Settings, SettingsError


def test_defaults_to_an_embedded_database_seeded_with_the_demo() -> None:
    settings = Settings.from_env({})
    assert settings.embedded
    assert settings.url == "sqlite:///data/dichtbij.sqlite3"
    assert settings.should_seed_demo


def test_a_server_database_is_not_seeded_unless_asked() -> None:
    settings = Settings.from_env({"DATABASE_URL": "postgres://u:secret@db/dichtbij"})
    assert settings.url == "postgresql+psycopg://u:secret@db/dichtbij"
    assert not settings.should_seed_demo
    assert "secret" not in settings.url_for_display
    asked = Settings.from_env({"DATABASE_URL": "postgresql://db/x", "DICHTBIJ_SEED_DEMO": "1"})
    assert asked.should_seed_demo


def test_environment_overrides(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "DICHTBIJ_DATA_DIR": str(tmp_path),
            "DICHTBIJ_MAX_BODY_BYTES": "4096",
            "DICHTBIJ_POLICY": '{"hold_period_days": 2}',
        }
    )
    assert settings.url.endswith(f"{tmp_path.as_posix()}/dichtbij.sqlite3")
    assert settings.max_body_bytes == 4096
    assert settings.policy.hold_period_days == 2


def test_import_limits_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "DICHTBIJ_MAX_IMPORT_ROWS": "2000",
            "DICHTBIJ_IMPORTS_PER_HOUR": "6",
            "DICHTBIJ_IMPORTS_BURST": "1",
        }
    )
    assert (settings.max_import_rows, settings.imports_per_hour, settings.imports_burst) == (
        2000,
        6,
        1,
    )


def test_blank_values_and_lower_case_names_keep_the_defaults() -> None:
    settings = Settings.from_env(
        {"DICHTBIJ_MAX_BODY_BYTES": "  ", "dichtbij_max_body_bytes": "4096", "DATABASE_URL": ""}
    )
    assert settings.max_body_bytes == Settings().max_body_bytes
    assert settings.embedded


def test_every_variable_reaches_its_setting() -> None:
    settings = Settings.from_env(
        {
            "DICHTBIJ_LOCK_TIMEOUT_MS": "500",
            "DICHTBIJ_LOG_FORMAT": "json",
            "DICHTBIJ_SEED_DEMO": "0",
        }
    )
    assert settings.sqlite_busy_timeout_ms == 500
    assert settings.log_format == "json"
    assert settings.should_seed_demo is False


def test_settings_built_in_code_ignore_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DICHTBIJ_MAX_BODY_BYTES", "4096")
    assert Settings().max_body_bytes == 1 << 20
    assert Settings.from_env().max_body_bytes == 4096


@pytest.mark.parametrize(
    ("environ", "names"),
    [
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"DATABASE_URL": "::nonsense::"}, "DATABASE_URL"),
        ({"DICHTBIJ_MAX_BODY_BYTES": "12"}, "DICHTBIJ_MAX_BODY_BYTES"),
        ({"DICHTBIJ_MAX_IMPORT_ROWS": "0"}, "DICHTBIJ_MAX_IMPORT_ROWS"),
        ({"DICHTBIJ_IMPORTS_BURST": "many"}, "DICHTBIJ_IMPORTS_BURST"),
        ({"DICHTBIJ_POLICY": "{"}, "DICHTBIJ_POLICY"),
        ({"DICHTBIJ_LOCK_TIMEOUT_MS": "-1"}, "DICHTBIJ_LOCK_TIMEOUT_MS"),
        ({"DICHTBIJ_LOG_FORMAT": "xml"}, "DICHTBIJ_LOG_FORMAT"),
        ({"DICHTBIJ_POLICY": '{"colour": 1}'}, "policy"),
        ({"DICHTBIJ_POLICY": '{"residential_requires_reason": "off"}'}, "policy"),
    ],
)
def test_bad_settings_name_the_variable(environ: dict[str, str], names: str) -> None:
    with pytest.raises(SettingsError, match=names):
        Settings.from_env(environ)


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        ((), "$"),
        (("beds_free",), "$.beds_free"),
        (("capabilities", "trauma"), "$.capabilities.trauma"),
        (("siblings", 2), "$.siblings[2]"),
        # A key that is not a field-like name is submitted data: it is not echoed.
        (("capabilities", "odd key"), "$.capabilities[*]"),
        (("needs", "6712 AB"), "$.needs[*]"),
    ],
)
def test_json_paths(loc: tuple[str | int, ...], path: str) -> None:
    assert json_path(loc) == path


@pytest.mark.parametrize(
    ("variable", "value", "field", "expected"),
    [
        ("DICHTBIJ_MAX_IMPORT_BYTES", "2048", "max_import_bytes", 2048),
        ("DICHTBIJ_MAX_IMPORT_ROWS", "7", "max_import_rows", 7),
        ("DICHTBIJ_IMPORTS_PER_HOUR", "3", "imports_per_hour", 3),
        ("DICHTBIJ_IMPORTS_BURST", "2", "imports_burst", 2),
        ("DICHTBIJ_OPTIONS_PER_MINUTE", "9", "options_per_minute", 9),
        ("DICHTBIJ_OPTIONS_BURST", "4", "options_burst", 4),
        ("DICHTBIJ_MATCH_RUNS_PER_HOUR", "5", "match_runs_per_hour", 5),
        ("DICHTBIJ_MATCH_RUNS_BURST", "3", "match_runs_burst", 3),
        ("DICHTBIJ_KEY_LIFETIME_DAYS", "30", "key_lifetime_days", 30),
        ("DICHTBIJ_LOCK_TIMEOUT_MS", "250", "sqlite_busy_timeout_ms", 250),
        ("DICHTBIJ_DB_POOL_SIZE", "4", "db_pool_size", 4),
        ("DICHTBIJ_DB_POOL_OVERFLOW", "0", "db_pool_overflow", 0),
        ("DICHTBIJ_DB_POOL_TIMEOUT_S", "2.5", "db_pool_timeout_s", 2.5),
        ("DICHTBIJ_LOG_FORMAT", "json", "log_format", "json"),
        ("DICHTBIJ_SEED_DEMO", "0", "seed_demo", False),
    ],
)
def test_each_documented_variable_sets_its_field(
    variable: str, value: str, field: str, expected: object
) -> None:
    assert getattr(Settings.from_env({variable: value}), field) == expected
