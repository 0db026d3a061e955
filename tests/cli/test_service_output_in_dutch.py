"""What the service commands (token, serve, audit, and capacity's failed check) write is Dutch
unless ``--lang en``; roles, organisations, prefixes, keys, dates and options stay as typed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from api.cli import main
from tests.literals import ROOT, call_arguments


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'service.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def written(*argv: str) -> list[str]:
    out = io.StringIO()
    assert main(list(argv), out=out) == 0
    return out.getvalue().splitlines()


def test_token_lang_before_the_subcommand_is_the_same_option() -> None:
    from api.cli.parser import build_parser

    parser = build_parser()
    for argv, lang in [
        (["token", "--lang", "en", "list"], "en"),
        (["token", "list", "--lang", "en"], "en"),
        (["token", "list"], "nl"),
        (["token", "--lang", "en", "revoke", "dbk_x"], "en"),
        (["token", "--lang", "en", "create", "--role", "admin", "--organisation", "o"], "en"),
    ]:
        assert parser.parse_args(argv).lang == lang, argv


def refused(capsys: pytest.CaptureFixture[str], status: int, *argv: str) -> list[str]:
    out = io.StringIO()
    assert main(list(argv), out=out) == status
    assert out.getvalue() == ""
    return capsys.readouterr().err.splitlines()


def test_audit_refusals_name_the_options_typed(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    future = ["audit", "--municipality", "0228", "--from", "2026-01-01", "--to", "2999-01-01"]
    assert refused(capsys, 2, *future) == ["dichtbij: --to: ligt in de toekomst"]
    assert refused(capsys, 2, *future, "--lang", "en") == ["dichtbij: --to: is in the future"]
    backwards = ["audit", "--municipality", "0228", "--from", "2026-03-01", "--to", "2026-02-01"]
    assert refused(capsys, 2, *backwards) == ["dichtbij: --from: ligt na --to"]
    assert refused(capsys, 2, *backwards, "--lang", "en") == ["dichtbij: --from: is after --to"]
    assert refused(capsys, 2, "audit", "--from", "2026-01-01", "--to", "2026-02-01") == [
        "dichtbij: --municipality: noem een gemeente of een regio"
    ]


#: The reason the solver gives when its plan fails its own check (its numbers as 1).
UNVERIFIED = call_arguments(
    [ROOT / "solver" / "planning" / "capacity.py"], "UnverifiedClaimError", 0
)


def test_a_capacity_plan_that_fails_its_check_is_told_in_dutch_or_english(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import api.cli.capacity as command
    from solver.planning import UnverifiedClaimError

    assert len(UNVERIFIED) == 1

    def fails(*_: Any, **__: Any) -> None:
        raise UnverifiedClaimError(UNVERIFIED[0])

    monkeypatch.setattr(command, "capacity", fails)
    argv = ["capacity", "--scenario", "@demo", "--beds", "2"]
    assert refused(capsys, 1, *argv) == [
        "dichtbij: het capaciteitsplan hield geen stand bij de controle: met de geplande bedden "
        "plaatst de matcher 1 kinderen (1 in crisis), het plan beloofde er 1 (1 in crisis)"
    ]
    assert refused(capsys, 1, *argv, "--lang", "en") == [
        f"dichtbij: the capacity plan did not hold when checked: {UNVERIFIED[0]}"
    ]
