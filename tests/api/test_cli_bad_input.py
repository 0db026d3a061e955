"""The contract for bad input (scenario.md): exit status 2, one line per problem on standard
error naming the object and field, nothing on standard output, never a traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from api.cli import main
from tests.builders import child, home, scenario_doc

COMMANDS = [
    ("scores", "--json"),
    ("rank", "--child", "C-1", "--json"),
    ("match", "--json"),
    ("capacity", "--beds", "1", "--json"),
]


def run_bad(capsys: pytest.CaptureFixture[str], scenario: str, *argv: str) -> list[str]:
    """The lines on standard error of a command that must refuse its input, in English
    (``--lang en``: the wording the engine writes; tests/cli checks the Dutch default)."""
    out = io.StringIO()
    status = main([argv[0], "--scenario", scenario, *argv[1:], "--lang", "en"], out=out)
    err = capsys.readouterr().err
    assert (status, out.getvalue()) == (2, ""), err
    assert "Traceback" not in err
    return err.splitlines()


def write(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "scenario.json"
    path.write_bytes(data)
    return str(path)


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> str:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    return "-"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_ids_the_same_once_trimmed_are_duplicates_in_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    doc = scenario_doc([home("H-1"), home("H-1 ")], [child("C-1"), child(" C-1")])
    assert run_bad(capsys, write(tmp_path, json.dumps(doc).encode()), *command) == [
        "dichtbij: home H-1: field 'id': is not unique within the scenario",
        "dichtbij: child C-1: field 'id': is not unique within the scenario",
    ]


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_json_nested_too_deeply_is_refused_from_a_file_and_from_stdin(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    source: str,
) -> None:
    data = ("[" * 50_000 + "]" * 50_000).encode()
    where = write(tmp_path, data) if source == "file" else stdin(monkeypatch, data)
    assert run_bad(capsys, where, "scores") == [
        "dichtbij: scenario: field '(document)': not usable JSON: arrays or objects nested "
        "too deeply"
    ]


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_text_that_is_not_utf8_is_refused_naming_the_byte(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    source: str,
) -> None:
    data = b'{"format":"\xff"}'
    where = write(tmp_path, data) if source == "file" else stdin(monkeypatch, data)
    assert run_bad(capsys, where, "scores") == [
        "dichtbij: scenario: field '(document)': not UTF-8 text: byte 0xff at offset 11"
    ]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_reference_date_in_year_1_is_refused_by_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    # Day 5 of year 1 minus decline_memory_days (180) overflowed in every command.
    doc = scenario_doc([home()], [child()], reference_date="0001-01-05")
    assert run_bad(capsys, write(tmp_path, json.dumps(doc).encode()), *command) == [
        "dichtbij: scenario: field 'reference_date': Input should be greater than or equal "
        "to 2000-01-01"
    ]


def test_a_policy_switch_given_as_text_is_refused_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "off" used to be read as false: the residential gate quietly turned off.
    doc = scenario_doc([home()], [child()], policy={"residential_requires_reason": "off"})
    assert run_bad(capsys, write(tmp_path, json.dumps(doc).encode()), "match") == [
        "dichtbij: scenario: field 'policy.residential_requires_reason': Input should be a "
        "valid boolean"
    ]


@pytest.mark.parametrize("command", [("match",), ("capacity", "--beds", "1")], ids=lambda c: c[0])
@pytest.mark.parametrize("seconds", ["nan", "inf", "-inf", "0", "-1", "1e300"])
def test_a_time_limit_that_is_not_a_number_of_seconds_above_0_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...], seconds: str
) -> None:
    # nan used to be taken, meaning no limit at all.
    doc = json.dumps(scenario_doc([home()], [child()])).encode()
    lines = run_bad(capsys, write(tmp_path, doc), *command, f"--time-limit={seconds}")
    assert len(lines) == 1
    assert lines[0].startswith(
        "dichtbij: --time-limit must be more than 0 and at most 604800 seconds, not "
    )


def test_a_rule_between_fields_names_the_field_to_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = scenario_doc(
        [home(age_min=12, age_max=4)],
        [child(split_reason="other"), {"id": "C-2", "parents_postcode": "6712"}],
    )
    assert run_bad(capsys, write(tmp_path, json.dumps(doc).encode()), "scores") == [
        "dichtbij: home H-1: field 'age_max': age_min 12 is above age_max 4",
        "dichtbij: child C-1: field 'split_note': split_reason 'other' requires a split_note",
        "dichtbij: child C-2: field 'birth_date': one of birth_date or age is required",
    ]
