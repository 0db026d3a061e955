"""The service's settings: one typed pydantic-settings object, read from the environment
once at start by :meth:`Settings.from_env`; every field not set takes the documented default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings import SettingsError as SourceError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from matching.policy import Policy

__all__ = ["DEFAULT_SQLITE_FILE", "Settings", "SettingsError"]

DEFAULT_SQLITE_FILE = "dichtbij.sqlite3"

#: The bounds of every rate limit (requests per period, or at once) per key.
_Rate = Annotated[int, Field(ge=1, le=100_000)]


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


class _Environ(EnvSettingsSource):
    """The environment variables of ``environ`` (the process's by default). A value that is
    empty or only blanks counts as not set, so that ``VAR=`` in a unit file keeps the
    default. Names are upper case, as documented: ``dichtbij_data_dir`` is someone
    else's variable."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {k.lower(): v.strip() for k, v in self._environ.items() if k.isupper() and v.strip()}


class Settings(BaseSettings):
    """How the service runs; environment variables in brackets (``DICHTBIJ_`` and the field
    name, unless the field says otherwise)."""

    model_config = SettingsConfigDict(
        frozen=True,
        extra="forbid",
        env_prefix="DICHTBIJ_",
        populate_by_name=True,
        case_sensitive=False,
    )

    database_url: str | None = Field(
        None,
        validation_alias="DATABASE_URL",
        description="SQLAlchemy URL (DATABASE_URL); none means an embedded SQLite file.",
    )
    data_dir: Path = Field(
        Path("data"),
        description="Folder of the embedded SQLite database (DICHTBIJ_DATA_DIR).",
    )
    seed_demo: bool | None = Field(
        None,
        description=(
            "Load the bundled demo scenario into an empty database and print demo keys "
            "(DICHTBIJ_SEED_DEMO). Default: only for the embedded database, never for a "
            "server database unless asked for."
        ),
    )
    max_body_bytes: int = Field(
        1 << 20,
        ge=1024,
        le=64 << 20,
        description="Largest JSON request body (DICHTBIJ_MAX_BODY_BYTES).",
    )
    max_import_bytes: int = Field(
        16 << 20,
        ge=1024,
        le=256 << 20,
        description=(
            "Largest CSV upload (DICHTBIJ_MAX_IMPORT_BYTES); 100,000 homes with every "
            "column filled are about 10 MiB."
        ),
    )
    max_import_rows: int = Field(
        100_000,
        ge=1,
        le=1_000_000,
        description=(
            "Most rows in one CSV import (DICHTBIJ_MAX_IMPORT_ROWS): its final write grows "
            "with it, and on SQLite every other writer waits for that write (docs/api.md)."
        ),
    )
    imports_per_hour: _Rate = Field(
        30,
        description="CSV imports per key per hour, on average (DICHTBIJ_IMPORTS_PER_HOUR).",
    )
    imports_burst: _Rate = Field(
        5,
        description="CSV imports a key may send at once (DICHTBIJ_IMPORTS_BURST).",
    )
    options_per_minute: _Rate = Field(
        60,
        description="Ranked options per key per minute, on average (DICHTBIJ_OPTIONS_PER_MINUTE).",
    )
    options_burst: _Rate = Field(
        20,
        description="Ranked options a key may ask for at once (DICHTBIJ_OPTIONS_BURST).",
    )
    options_at_once: int = Field(
        2,
        ge=1,
        le=64,
        description=(
            "Ranked options a worker process computes at once (DICHTBIJ_OPTIONS_AT_ONCE); "
            "more wait their turn, first come first served (docs/api.md, Benchmark)."
        ),
    )
    match_runs_per_hour: _Rate = Field(
        12,
        description="Match runs per key per hour, on average (DICHTBIJ_MATCH_RUNS_PER_HOUR).",
    )
    match_runs_burst: _Rate = Field(
        2,
        description="Match runs a key may start at once (DICHTBIJ_MATCH_RUNS_BURST).",
    )
    planning_per_hour: _Rate = Field(
        12,
        description=(
            "Planning answers (extra beds, frontier, simulation) per key per hour, on average "
            "(DICHTBIJ_PLANNING_PER_HOUR)."
        ),
    )
    planning_burst: _Rate = Field(
        3,
        description="Planning answers a key may ask for at once (DICHTBIJ_PLANNING_BURST).",
    )
    dask_scheduler: str | None = Field(
        None,
        description=(
            "Address of a Dask scheduler (tcp://host:8786) the planning simulations run on "
            "(DICHTBIJ_DASK_SCHEDULER); none means in the service's own process."
        ),
    )
    key_lifetime_days: int = Field(
        365,
        ge=1,
        le=3650,
        description=(
            "Days a new API key stays valid unless its creator says otherwise "
            "(DICHTBIJ_KEY_LIFETIME_DAYS)."
        ),
    )
    sqlite_busy_timeout_ms: int = Field(
        30_000,
        validation_alias="DICHTBIJ_LOCK_TIMEOUT_MS",
        ge=0,
        description=(
            "How long a writer waits for a lock before failing: SQLite's write lock, and "
            "PostgreSQL's lock_timeout (DICHTBIJ_LOCK_TIMEOUT_MS)."
        ),
    )
    db_pool_size: int = Field(
        10,
        ge=1,
        le=1000,
        description="Database connections kept open (DICHTBIJ_DB_POOL_SIZE).",
    )
    db_pool_overflow: int = Field(
        10,
        ge=0,
        le=1000,
        description="Connections opened beyond the pool at peaks (DICHTBIJ_DB_POOL_OVERFLOW).",
    )
    db_pool_timeout_s: float = Field(
        10.0,
        gt=0,
        le=300,
        description=(
            "Seconds a request waits for a free connection before it is answered 503 "
            "(DICHTBIJ_DB_POOL_TIMEOUT_S)."
        ),
    )
    log_format: Literal["text", "json"] = Field(
        "text",
        description=(
            "Log lines as text or as one JSON object per line (DICHTBIJ_LOG_FORMAT); both "
            "carry a UTC timestamp and the request id."
        ),
    )
    policy: Policy = Field(
        default_factory=Policy,
        description="Engine policy overrides as a JSON object (DICHTBIJ_POLICY).",
    )

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        # Hosting platforms hand out postgres:// URLs; psycopg 3 is the driver we ship.
        for bare in ("postgres://", "postgresql://"):
            if value.startswith(bare):
                value = "postgresql+psycopg://" + value.removeprefix(bare)
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("DATABASE_URL is not a SQLAlchemy URL") from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError("DATABASE_URL must be a sqlite or postgresql URL")
        return value

    @property
    def embedded(self) -> bool:
        """True when no DATABASE_URL was given: the SQLite file under ``data_dir``."""
        return self.database_url is None

    @property
    def url(self) -> str:
        """The database URL actually used."""
        if self.database_url is not None:
            return self.database_url
        return f"sqlite:///{(self.data_dir / DEFAULT_SQLITE_FILE).as_posix()}"

    @property
    def engine_options(self) -> dict[str, Any]:
        """Keyword arguments of :func:`api.db.engine.make_engine` from these settings."""
        return {
            "busy_timeout_ms": self.sqlite_busy_timeout_ms,
            "pool_size": self.db_pool_size,
            "max_overflow": self.db_pool_overflow,
            "pool_timeout_s": self.db_pool_timeout_s,
        }

    @property
    def url_for_display(self) -> str:
        """The URL with any password masked, for logs and the start banner."""
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def should_seed_demo(self) -> bool:
        return self.embedded if self.seed_demo is None else self.seed_demo

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # ``Settings(...)`` takes only its arguments, so a test or an embedding program is
        # never steered by the environment it happens to run in; the environment is read by
        # from_env alone, where its errors are turned into SettingsError.
        del settings_cls, env_settings, dotenv_settings, file_secret_settings
        return (init_settings,)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from environment variables; raise :class:`SettingsError` naming the bad one."""
        try:
            values = _Environ(cls, os.environ if environ is None else environ)()
        except SourceError:
            # The only value decoded as JSON is the policy.
            raise SettingsError("DICHTBIJ_POLICY is not a JSON object") from None
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else ""
            raise SettingsError(f"{_variable(field, first['loc'])}: {_reason(first)}") from None


def _reason(error: ErrorDetails) -> str:
    """Why a variable's value is refused, in our words and naming the value: pydantic's
    ("Input should be a valid integer, unable to parse string as an integer") is about a
    JSON input, not a variable someone typed, and would stay English in a Dutch line."""
    ctx, value = {k: _number(v) for k, v in error.get("ctx", {}).items()}, error["input"]
    match error["type"]:
        case "int_parsing" | "int_from_float" | "int_type":
            return f"must be a whole number, not '{value}'"
        case "float_parsing" | "float_type" | "finite_number":
            return f"must be a number, not '{value}'"
        case "bool_parsing" | "bool_type":
            return f"must be true or false, not '{value}'"
        case "greater_than_equal":
            return f"must be at least {ctx['ge']}, not {value}"
        case "less_than_equal":
            return f"must be at most {ctx['le']}, not {value}"
        case "greater_than":
            return f"must be more than {ctx['gt']}, not {value}"
        case "less_than":
            return f"must be less than {ctx['lt']}, not {value}"
        case "literal_error":
            return f"must be {ctx['expected']}, not '{value}'"
        case "extra_forbidden":
            return "is not a known field"
        case "dict_type" | "model_type":
            return "must be a JSON object"
        case "value_error":
            return error["msg"].removeprefix("Value error, ")
    return error["msg"]


def _number(bound: Any) -> Any:
    """A bound as it was meant: 0, not 0.0 (a float field's bounds are floats)."""
    return int(bound) if isinstance(bound, float) and bound.is_integer() else bound


def _variable(name: str, loc: tuple[int | str, ...]) -> str:
    """The environment variable of field or alias ``name``; for a nested error (inside
    the policy) the dotted path, which names what to fix inside the JSON."""
    if len(loc) > 1:
        return ".".join(str(p) for p in loc)
    for field_name, info in Settings.model_fields.items():
        if name in (field_name, info.validation_alias):
            return _env_name(field_name, info)
    return name


def _env_name(field_name: str, info: FieldInfo) -> str:
    alias = info.validation_alias
    return alias if isinstance(alias, str) else f"DICHTBIJ_{field_name.upper()}"
