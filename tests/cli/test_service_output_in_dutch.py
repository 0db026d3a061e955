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


CREATE = ["token", "create", "--role", "municipality", "--organisation", "gemeente-ede"]


def test_token_create_list_and_revoke_write_dutch(database: str) -> None:
    created = written(*CREATE, "--municipality", "0228", "--expires-in-days", "30")
    assert created[0] == "API-sleutel voor de rol municipality, organisatie gemeente-ede " + (
        "(gemeente 0228)."
    )
    assert created[1].startswith("Prefix dbk_")
    assert "; verloopt 20" in created[1]
    assert created[1].endswith(
        "De sleutel staat alleen hier: de database bewaart alleen zijn hash."
    )
    key = created[2]
    prefix = key[:12]
    assert created[1].startswith(f"Prefix {prefix}; ")
    assert written("token", "revoke", prefix) == [
        f"API-sleutel {prefix} is ingetrokken; hij werkt niet meer vanaf zijn volgende verzoek."
    ]
    listing = written("token", "list", "--all")
    assert listing[0].split() == ["prefix", "rol", "organisatie", "status", "verloopt"]
    assert listing[1].split()[:4] == [prefix, "municipality", "gemeente-ede", "ingetrokken"]


def test_token_create_list_and_revoke_write_english_with_lang_en(database: str) -> None:
    created = written(*CREATE, "--municipality", "0228", "--lang", "en")
    assert created[0] == (
        "API key for role municipality, organisation gemeente-ede (municipality 0228)."
    )
    assert created[1].endswith("It is shown only now: the database keeps only its hash.")
    prefix = created[2][:12]
    # --lang before the subcommand as well as after it.
    listing = written("token", "--lang", "en", "list")
    assert listing[0].split() == ["prefix", "role", "organisation", "status", "expires"]
    assert listing[1].split()[:4] == [prefix, "municipality", "gemeente-ede", "active"]
    assert written("token", "--lang=en", "revoke", prefix) == [
        f"API key {prefix} is revoked; it stops working at its next request."
    ]
    assert written("token", "list", "--all", "--lang", "en")[1].split()[3] == "revoked"
    assert written("token", "list", "--all")[1].split()[3] == "ingetrokken"


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


def _banner(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *lang: str) -> str:
    import api.cli.serve as serve

    # The banner is printed before the server starts; the server itself is not wanted here.
    monkeypatch.setattr(serve, "configure_logging", lambda *_: None)
    monkeypatch.setattr(serve, "create_app", lambda *_, **__: None)
    monkeypatch.setattr(serve.uvicorn, "run", lambda *_, **__: None)
    assert main(["serve", "--port", "8123", *lang], out=io.StringIO()) == 0
    return capsys.readouterr().out


def test_the_serve_banner_is_dutch_or_english(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DICHTBIJ_SEED_DEMO", "true")
    dutch = _banner(capsys, monkeypatch).splitlines()
    assert dutch[:5] == [
        "Dichtbij-service",
        f"  database:  {dutch[1].split()[-1]}",
        "  URL:       http://127.0.0.1:8123",
        "  schermen:  http://127.0.0.1:8123/ (meld u aan met een sleutel hieronder)",
        "  API-docs:  http://127.0.0.1:8123/docs",
    ]
    assert dutch[5].startswith("  demoscenario geladen: ")
    assert dutch[6].startswith("  gesimuleerde geschiedenis (synthetische demogegevens): ")
    assert dutch[7] == (
        "  demosleutels (nieuw bij elke start; eerdere demosleutels zijn ingetrokken):"
    )
    # A demo key's line is the same in both languages: scripts read the key from it.
    assert dutch[8].split()[0] == "coordinator"
    assert dutch[8].split()[2].startswith("dbk_")
    english = _banner(capsys, monkeypatch, "--lang", "en").splitlines()
    assert english[0] == "Dichtbij service"
    assert english[2:5] == [
        "  URL:      http://127.0.0.1:8123",
        "  screens:  http://127.0.0.1:8123/ (sign in with a key below)",
        "  API docs: http://127.0.0.1:8123/docs",
    ]
    assert english[5] == "  demo keys (new on every start; earlier demo keys are revoked):"
    assert len(english[6].split()) == 3
    assert english[6].split()[2].startswith("dbk_")


AUDIT = ["audit", "--region", "foodvalley", "--from", "2026-01-01", "--to", "2026-06-30"]


def test_the_audit_summary_is_dutch_or_english(database: str, tmp_path: Path) -> None:
    dutch = written(*AUDIT, "--out", str(tmp_path / "nl"))
    assert dutch[0].startswith("Audit 0203, ")
    assert dutch[0].endswith(" 2026-01-01 - 2026-06-30: <5 kinderen geplaatst.")
    english = written(*AUDIT, "--out", str(tmp_path / "en"), "--lang", "en")
    assert english[0] == dutch[0].replace("kinderen geplaatst", "children placed")


def test_the_simulated_history_note_is_dutch_or_english(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import api.cli.audit as audit

    monkeypatch.setattr(audit, "history_simulated", lambda _: True)
    assert written(*AUDIT, "--out", str(tmp_path / "nl"))[0] == (
        "Let op: deze database bevat gesimuleerde plaatsingen (demo)."
    )
    assert written(*AUDIT, "--out", str(tmp_path / "en"), "--lang", "en")[0] == (
        "Note: this database holds simulated placements (demo)."
    )


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
