"""A command that refuses its input says so in Dutch unless ``--lang en`` (scenario.md: which
field of which object is wrong and why), keeping every id, field name and value."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from api.cli import main
from api.cli.problems import knows, reason_text
from api.settings import Settings, SettingsError
from matching import ScenarioError, load_scenario
from tests.builders import child, home, scenario_doc
from tests.literals import ROOT, call_arguments


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    err = capsys.readouterr().err
    assert (status, out.getvalue()) == (2, ""), err
    return err.splitlines()


def write(tmp_path: Path, doc: Any) -> str:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(doc))
    return str(path)


def test_a_bad_scenario_is_explained_in_dutch_naming_object_field_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = scenario_doc(
        [home("H-1", beds_free=-1), home("H-2", type="castle")],
        [child("C-1", parents_postcode="1000"), child("C-2", urgency="soon", keep_apart=["C-9"])],
    )
    assert refused(capsys, "scores", "--scenario", write(tmp_path, doc)) == [
        "dichtbij: woonplek H-1: veld 'beds_free': moet ten minste 0 zijn",
        "dichtbij: woonplek H-2: veld 'type': moet een van deze waarden zijn: 'network_foster', "
        "'foster', 'family_home', 'small_scale' of 'residential'",
        "dichtbij: kind C-1: veld 'parents_postcode': postcode '1000' is geen bekend Nederlands "
        "postcodegebied (PC4)",
        "dichtbij: kind C-2: veld 'urgency': moet een van deze waarden zijn: 'crisis' of 'planned'",
    ]


def test_with_lang_en_the_same_problems_read_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = scenario_doc([home("H-1", beds_free=-1)], [child("C-1")])
    assert refused(
        capsys, "rank", "--scenario", write(tmp_path, doc), "--child", "C-1", "--lang", "en"
    ) == ["dichtbij: home H-1: field 'beds_free': Input should be greater than or equal to 0"]


def test_a_missing_file_an_unknown_child_and_a_bad_option_are_refused_in_dutch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, scenario_doc([home("H-1")], [child("C-1")]))
    missing = str(tmp_path / "nope.json")
    assert refused(capsys, "match", "--scenario", missing) == [
        f"dichtbij: het scenariobestand '{missing}' bestaat niet"
    ]
    assert refused(capsys, "rank", "--scenario", path, "--child", "C-9") == [
        "dichtbij: kind 'C-9' staat niet in het scenario"
    ]
    assert refused(capsys, "match", "--scenario", path, "--frontier", "50") == [
        "dichtbij: --frontier moet van 0 tot en met 20 zijn, niet 50"
    ]
    assert refused(capsys, "scores", "--scenario", str(tmp_path)) == [
        f"dichtbij: '{tmp_path}' is een map, geen scenariobestand"
    ]


def test_a_file_that_is_not_json_is_refused_in_dutch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scenario.json"
    path.write_text('{"format": "dichtbij.scenario/1",}')
    assert refused(capsys, "scores", "--scenario", str(path)) == [
        "dichtbij: scenario: veld '(document)': geen geldige JSON: een veldnaam tussen dubbele "
        "aanhalingstekens verwacht op regel 1"
    ]


# ---- every reason the loader and the commands can give has its Dutch wording


LOADER = [ROOT / "matching" / n for n in ("scenario.py", "siblings.py", "geo.py", "errors.py")]
COMMANDS = [
    ROOT / "api" / "cli" / f"{n}.py"
    for n in (
        "common",
        "rank",
        "scores",
        "match",
        "capacity",
        "simulate",
        "serve",
        "token",
        "audit",
    )
]
#: What the service commands (serve, token, audit) pass on from the service layer.
SETTINGS = [ROOT / "api" / "settings.py"]
KEYS = [ROOT / "api" / "services" / "keys.py"]
AUDIT_QUERY = [ROOT / "api" / "services" / "proximity.py"]
#: What `simulate --assumptions` and `--scheduler` pass on from the simulation.
ASSUMPTIONS = [ROOT / "solver" / "simulation" / "assumptions.py"]
SCHEDULER = [ROOT / "solver" / "simulation" / "execute.py"]


def test_every_reason_written_in_the_loader_and_the_commands_reads_in_dutch() -> None:
    # geo.py's own ValueError is about its bundled table, not about a scenario.
    reasons = set(call_arguments(LOADER[:2], "ValueError", 0))
    reasons |= set(call_arguments(LOADER, "PostcodeError", 0))
    reasons |= set(call_arguments(LOADER, "CrossFieldError", 1))
    reasons |= set(call_arguments(LOADER, "InputProblem", 2))
    reasons |= set(call_arguments(LOADER, "_document_problem", 0))
    reasons |= set(call_arguments(COMMANDS, "UsageError", 0))
    reasons |= set(call_arguments(SETTINGS, "SettingsError", 0))
    reasons |= set(call_arguments(SETTINGS, "ValueError", 0))
    reasons |= set(call_arguments(KEYS, "KeyOptionsError", 0))
    reasons |= set(call_arguments(AUDIT_QUERY, "FieldProblem", 1))
    reasons |= set(call_arguments(ASSUMPTIONS, "AssumptionsError", 0))
    reasons |= set(call_arguments(ASSUMPTIONS, "append", 0))
    reasons |= set(call_arguments(SCHEDULER, "SchedulerError", 0))
    assert "is not unique within the scenario" in reasons
    assert "--top must be at least 1" in reasons
    assert "--workers must be at least 1" in reasons
    assert "a key must expire after it is created" in reasons
    assert "is in the future" in reasons
    assert "1: must be a whole number" in reasons
    assert len(reasons) > 80
    # Wrappers of a reason collected above: an assumption's under --assumptions, and
    # pydantic's message under a setting's environment variable (its messages are in the
    # table, and checked for the settings below).
    reasons.discard("--assumptions: 1")
    reasons.discard("1: 1")
    assert sorted(r for r in reasons if not knows(r)) == []


BAD_FIELDS: list[tuple[str, Any]] = [
    ("beds_free", 1.5),
    ("beds_free", "2"),
    ("beds_free", 10**9),
    ("age_min", -1),
    ("max_siblings", 0),
    ("religion", 3),
    ("languages", "nl"),
    ("languages", ["dutch"]),
    ("capabilities", {"trauma": 4}),
    ("capabilities", []),
    ("care_kinds", []),
    ("available_from", "tomorrow"),
    ("available_from", 20261201),
    ("id", ""),
    ("id", "x" * 100),
    ("colour", "red"),
]


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS)
def test_every_problem_pydantic_finds_in_a_home_reads_in_dutch(field: str, value: Any) -> None:
    doc = scenario_doc([{**home("H-1"), field: value}], [child("C-1")])
    with pytest.raises(ScenarioError) as caught:
        load_scenario(json.dumps(doc))
    assert [p.reason for p in caught.value.problems if not knows(p.reason)] == []


def test_every_problem_of_the_document_itself_reads_in_dutch() -> None:
    for doc in (
        {"format": "x", "reference_date": "1999-12-31", "homes": {}, "children": [5]},
        {"format": "dichtbij.scenario/1", "reference_date": "2026-11-23", "policy": {"x": 1}},
        {**scenario_doc([], []), "policy": {"residential_requires_reason": "off"}},
        {**scenario_doc([], []), "policy": {"max_distance_km": "60"}},
    ):
        with pytest.raises(ScenarioError) as caught:
            load_scenario(json.dumps(doc))
        assert [p.reason for p in caught.value.problems if not knows(p.reason)] == []


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_or_infinity_is_refused_as_not_json_not_as_out_of_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], constant: str
) -> None:
    # Python's decoder takes them; a bound then refused NaN as 'at most 400'.
    text = json.dumps(scenario_doc([home("H-1")], [child("C-1")], policy={"max_distance_km": 1}))
    path = tmp_path / "scenario.json"
    path.write_text(text.replace('"max_distance_km": 1', f'"max_distance_km": {constant}'))
    assert refused(capsys, "scores", "--scenario", str(path)) == [
        f"dichtbij: scenario: veld '(document)': geen geldige JSON: {constant} is geen JSON-getal"
    ]
    assert refused(capsys, "scores", "--scenario", str(path), "--lang", "en") == [
        f"dichtbij: scenario: field '(document)': not valid JSON: {constant} is not a JSON number"
    ]


def parser_refusal(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    """The lines the argument parser writes as it exits with status 2."""
    with pytest.raises(SystemExit) as stopped:
        main(list(argv), out=io.StringIO())
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err.splitlines()


def test_the_argument_parser_refuses_in_dutch_naming_the_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = parser_refusal(capsys, "rank", "--scenario", "x.json")
    assert lines[0].startswith("gebruik: dichtbij rank ")
    assert lines[-1] == "dichtbij rank: fout: deze opties zijn verplicht: --child"
    assert parser_refusal(capsys, "rank", "--scenario", "x", "--child", "C", "--top", "x")[-1] == (
        "dichtbij rank: fout: optie --top: 'x' is geen heel getal"
    )
    assert parser_refusal(capsys, "scores", "--scenario", "x", "--json", "--csv")[-1] == (
        "dichtbij scores: fout: optie --csv gaat niet samen met optie --json"
    )
    assert parser_refusal(capsys, "match", "--scenario", "x", "--lang", "de")[-1] == (
        "dichtbij match: fout: optie --lang: ongeldige keuze 'de' (kies uit 'nl', 'en')"
    )
    assert parser_refusal(
        capsys, "simulate", "--scenario", "x", "--days", "0", "--runs", "1", "--seed", "1"
    )[-1] == ("dichtbij simulate: fout: optie --days: --days moet van 1 tot en met 3650 zijn")
    assert parser_refusal(capsys, "ranking")[-1].startswith(
        "dichtbij: fout: onbekend commando 'ranking' (kies uit 'rank', "
    )


def test_with_lang_en_the_argument_parser_refuses_in_english(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for lang in (["--lang", "en"], ["--lang=en"]):
        lines = parser_refusal(capsys, "rank", "--scenario", "x.json", *lang)
        assert lines[0].startswith("usage: dichtbij rank ")
        assert lines[-1] == "dichtbij rank: error: the following arguments are required: --child"


# ---- the service commands (serve, token, audit) and simulate's --assumptions


@pytest.mark.parametrize(
    "environ",
    [
        {"DATABASE_URL": "mysql://localhost/db"},
        {"DATABASE_URL": "::"},
        {"DICHTBIJ_SEED_DEMO": "maybe"},
        {"DICHTBIJ_MAX_BODY_BYTES": "x"},
        {"DICHTBIJ_MAX_BODY_BYTES": "1"},
        {"DICHTBIJ_DB_POOL_TIMEOUT_S": "0"},
        {"DICHTBIJ_LOG_FORMAT": "xml"},
        {"DICHTBIJ_POLICY": "[1"},
        {"DICHTBIJ_POLICY": '{"max_distance_km": "x"}'},
        {"DICHTBIJ_POLICY": '{"colour": 1}'},
    ],
)
def test_every_bad_setting_reads_in_dutch(environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(environ)
    assert knows(str(caught.value)), str(caught.value)


def test_a_bad_setting_refuses_serve_token_and_audit_in_dutch_or_english(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://localhost/db")
    audit = ["audit", "--region", "foodvalley", "--from", "2026-01-01", "--to", "2026-02-01"]
    for argv in (["serve"], ["token", "list"], ["token", "revoke", "dbk_x"], audit):
        assert refused(capsys, *argv) == [
            "dichtbij: DATABASE_URL: DATABASE_URL moet een sqlite- of postgresql-URL zijn"
        ]
        assert refused(capsys, *argv, "--lang", "en") == [
            "dichtbij: DATABASE_URL: DATABASE_URL must be a sqlite or postgresql URL"
        ]


@pytest.mark.parametrize(
    ("environ", "dutch", "english"),
    [
        (
            {"DICHTBIJ_KEY_LIFETIME_DAYS": "abc"},
            "DICHTBIJ_KEY_LIFETIME_DAYS: moet een heel getal zijn, niet 'abc'",
            "DICHTBIJ_KEY_LIFETIME_DAYS: must be a whole number, not 'abc'",
        ),
        (
            {"DICHTBIJ_KEY_LIFETIME_DAYS": "0"},
            "DICHTBIJ_KEY_LIFETIME_DAYS: moet ten minste 1 zijn, niet 0",
            "DICHTBIJ_KEY_LIFETIME_DAYS: must be at least 1, not 0",
        ),
        (
            {"DICHTBIJ_DB_POOL_TIMEOUT_S": "0"},
            "DICHTBIJ_DB_POOL_TIMEOUT_S: moet meer dan 0 zijn, niet 0",
            "DICHTBIJ_DB_POOL_TIMEOUT_S: must be more than 0, not 0",
        ),
        (
            {"DICHTBIJ_SEED_DEMO": "maybe"},
            "DICHTBIJ_SEED_DEMO: moet true of false zijn, niet 'maybe'",
            "DICHTBIJ_SEED_DEMO: must be true or false, not 'maybe'",
        ),
        (
            {"DICHTBIJ_LOG_FORMAT": "xml"},
            "DICHTBIJ_LOG_FORMAT: moet 'text' of 'json' zijn, niet 'xml'",
            "DICHTBIJ_LOG_FORMAT: must be 'text' or 'json', not 'xml'",
        ),
        (
            {"DICHTBIJ_POLICY": '{"colour": 1}'},
            "policy.colour: is geen bekend veld",
            "policy.colour: is not a known field",
        ),
    ],
)
def test_a_bad_setting_is_said_in_our_words_in_dutch_and_english(
    environ: dict[str, str],
    dutch: str,
    english: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # pydantic's own ("Input should be a valid integer, unable to parse string as an
    # integer") ended in English, or read "een JSON-getal" for a variable someone typed.
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    create = ["token", "create", "--role", "admin", "--organisation", "dichtbij"]
    assert refused(capsys, *create) == [f"dichtbij: {dutch}"]
    assert refused(capsys, *create, "--lang", "en") == [f"dichtbij: {english}"]


def test_serve_refuses_a_bad_worker_count_in_dutch_or_english(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert refused(capsys, "serve", "--workers", "0") == [
        "dichtbij: --workers moet ten minste 1 zijn"
    ]
    assert refused(capsys, "serve", "--workers", "0", "--lang", "en") == [
        "dichtbij: --workers must be at least 1"
    ]
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    assert refused(capsys, "serve", "--workers", "2") == [
        "dichtbij: --workers boven 1 vraagt een databasebestand of databaseserver, niet :memory:"
    ]


def test_serve_refuses_a_port_out_of_range_before_it_touches_the_database(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # uvicorn took 99999, said it ran there and listened nowhere, after the demo keys had
    # been issued anew; a database it cannot use would be named first if the port came later.
    monkeypatch.setenv("DATABASE_URL", "mysql://localhost/dichtbij")
    assert refused(capsys, "serve", "--port", "99999") == [
        "dichtbij: --port moet van 1 tot en met 65535 zijn, niet 99999"
    ]
    assert refused(capsys, "serve", "--port", "0", "--lang", "en") == [
        "dichtbij: --port must be between 1 and 65535, not 0"
    ]


def test_token_refuses_in_dutch_or_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'keys.sqlite3'}")
    create = ["token", "create", "--role", "municipality", "--organisation", "gemeente-ede"]
    assert refused(capsys, *create) == [
        "dichtbij: --municipality (een CBS-code van 4 cijfers) is verplicht bij de rol municipality"
    ]
    assert refused(capsys, *create, "--municipality", "9999") == [
        "dichtbij: --municipality: '9999' is geen bekende CBS-gemeentecode"
    ]
    assert refused(capsys, *create, "--municipality", "9999", "--lang", "en") == [
        "dichtbij: municipality '9999' is not a known CBS code"
    ]
    # The field's English name was left in the Dutch line ("municipality '9999' is geen
    # bekende CBS-code"): the option is named instead, as typed.
    assert refused(capsys, *create, "--municipality", "12") == [
        "dichtbij: --municipality moet een CBS-code van 4 cijfers zijn, bijvoorbeeld 0228"
    ]
    assert refused(capsys, *create, "--municipality", "12", "--lang", "en") == [
        "dichtbij: municipality must be a CBS code of 4 digits, e.g. 0228"
    ]
    assert refused(capsys, "token", "create", "--role", "admin", "--organisation", "a b") == [
        "dichtbij: --organisation moet 1 tot en met 64 tekens zijn, zonder spaties"
    ]
    assert refused(capsys, "token", "revoke", "dbk_nothere") == [
        "dichtbij: geen API-sleutel met prefix 'dbk_nothere'"
    ]
    assert refused(capsys, "token", "revoke", "dbk_nothere", "--lang", "en") == [
        "dichtbij: no API key with prefix 'dbk_nothere'"
    ]


def test_audit_refuses_its_query_in_dutch_or_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    period = ["--from", "2026-01-01", "--to", "2026-02-01"]
    query = ["audit", "--municipality", "12", "--region", "veluwe", *period]
    assert refused(capsys, *query) == [
        "dichtbij: --region: onbekende regio (bekend: foodvalley); "
        "--municipality: geen bekende CBS-gemeentecode van 4 cijfers"
    ]
    assert refused(capsys, *query, "--lang", "en") == [
        "dichtbij: --region: unknown region (known: foodvalley); "
        "--municipality: not a known 4-digit CBS municipality code"
    ]
    backwards = ["audit", "--municipality", "0228", "--from", "2026-03-01", "--to", "2026-02-01"]
    assert refused(capsys, *backwards) == ["dichtbij: --from: ligt na --to"]
    assert refused(capsys, *backwards, "--lang", "en") == ["dichtbij: --from: is after --to"]


def test_bad_assumptions_are_refused_in_dutch_or_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def simulate(assumptions: object, *lang: str) -> list[str]:
        path = tmp_path / "assumptions.json"
        path.write_text(json.dumps(assumptions))
        argv = ["simulate", "--scenario", "@demo", "--days", "5", "--runs", "1", "--seed", "1"]
        return refused(capsys, *argv, "--assumptions", str(path), *lang)

    assert simulate({"decline_rate": 2, "far_km": 0}) == [
        "dichtbij: --assumptions: decline_rate: moet van 0 tot en met 1 zijn; "
        "far_km: moet een getal > 0 zijn"
    ]
    assert simulate({"decline_rate": 2, "far_km": 0}, "--lang", "en") == [
        "dichtbij: --assumptions: decline_rate: must be between 0 and 1; "
        "far_km: must be a number > 0"
    ]
    assert simulate({"batch_rounds": 1.5}) == [
        "dichtbij: --assumptions: batch_rounds: moet een heel getal zijn"
    ]
    assert simulate([1]) == ["dichtbij: --assumptions: assumptions: moet een JSON-object zijn"]
    missing = str(tmp_path / "nope.json")
    argv = ["simulate", "--scenario", "@demo", "--days", "5", "--runs", "1", "--seed", "1"]
    assert refused(capsys, *argv, "--assumptions", missing) == [
        f"dichtbij: --assumptions: het bestand '{missing}' bestaat niet"
    ]


def test_a_reason_is_translated_whole_or_not_at_all() -> None:
    # One part without Dutch words leaves the whole line as written: never half English.
    assert reason_text("$.to: is in the future; $.from: gone fishing", "nl") == (
        "$.to: is in the future; $.from: gone fishing"
    )
    assert not knows("--assumptions: gone fishing")
    assert reason_text("policy.x: Extra inputs are not permitted", "nl") == (
        "policy.x: is geen bekend veld"
    )


def test_a_scheduler_that_does_not_answer_is_said_in_dutch_to_the_end() -> None:
    # Dask's reason was appended as written: a Dutch line ending in English.
    said = reason_text(
        "--scheduler: cannot reach the Dask scheduler at tcp://127.0.0.1:1: "
        "Timed out trying to connect to tcp://127.0.0.1:1 after 10 s",
        "nl",
    )
    assert said == (
        "--scheduler: de Dask-scheduler op tcp://127.0.0.1:1 is niet bereikbaar: "
        "na 10 s nog geen verbinding"
    )


def test_an_assumptions_file_that_is_no_json_is_refused_in_dutch_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The parser's message was appended in English to the Dutch line, and a file that is
    # not UTF-8 (saved as UTF-16 by a spreadsheet) ended in a traceback.
    def simulate(content: bytes, *lang: str) -> list[str]:
        path = tmp_path / "assumptions.json"
        path.write_bytes(content)
        argv = ["simulate", "--scenario", "@demo", "--days", "5", "--runs", "1", "--seed", "1"]
        return [
            line.replace(str(path), "F")
            for line in refused(capsys, *argv, "--assumptions", str(path), *lang)
        ]

    assert simulate(b'{"far_km": 1 "decline_rate": 0.1}') == [
        "dichtbij: --assumptions: 'F' is geen JSON: ',' verwacht op regel 1"
    ]
    assert simulate(b"{far_km: 1}", "--lang", "en") == [
        "dichtbij: --assumptions: 'F' is not JSON: "
        "Expecting property name enclosed in double quotes at line 1"
    ]
    utf16 = '{"far_km": 1}'.encode("utf-16")
    assert simulate(utf16) == [
        f"dichtbij: --assumptions: 'F' is geen UTF-8-tekst: byte 0x{utf16[0]:02x} op positie 0"
    ]
    assert simulate(utf16, "--lang", "en") == [
        f"dichtbij: --assumptions: 'F' is not UTF-8 text: byte 0x{utf16[0]:02x} at offset 0"
    ]


def test_a_file_that_cannot_be_opened_is_said_in_our_words_in_dutch_and_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The system's English ended the line: "kan niet worden gelezen: Is a directory".
    simulate = ["simulate", "--scenario", "@demo", "--days", "5", "--runs", "1", "--seed", "1"]
    folder, missing = str(tmp_path), str(tmp_path / "nope.json")
    assert refused(capsys, *simulate, "--assumptions", folder) == [
        f"dichtbij: --assumptions: '{folder}' is een map, geen bestand"
    ]
    assert refused(capsys, *simulate, "--assumptions", folder, "--lang", "en") == [
        f"dichtbij: --assumptions: cannot read '{folder}': it is a folder, not a file"
    ]
    assert refused(capsys, *simulate, "--assumptions", missing, "--lang", "en") == [
        f"dichtbij: --assumptions: cannot read '{missing}': it does not exist"
    ]
    assert refused(capsys, "scores", "--scenario", folder, "--lang", "en") == [
        f"dichtbij: cannot read scenario file '{folder}': it is a folder, not a file"
    ]
    assert refused(capsys, "scores", "--scenario", missing, "--lang", "en") == [
        f"dichtbij: cannot read scenario file '{missing}': it does not exist"
    ]
    # A file the user may not read (the tests may run as root, who reads everything).
    path = tmp_path / "locked.json"
    path.write_text("{}")
    real_open = open

    def denied(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", denied)
    assert refused(capsys, *simulate, "--assumptions", str(path)) == [
        f"dichtbij: --assumptions: geen toegang tot het bestand '{path}'"
    ]
    assert refused(capsys, *simulate, "--assumptions", str(path), "--lang", "en") == [
        f"dichtbij: --assumptions: cannot read '{path}': no permission to read it"
    ]
    assert refused(capsys, "scores", "--scenario", str(path)) == [
        f"dichtbij: geen toegang tot het scenariobestand '{path}'"
    ]
    assert refused(capsys, "scores", "--scenario", str(path), "--lang", "en") == [
        f"dichtbij: cannot read scenario file '{path}': no permission to read it"
    ]
    # Any other reason is the system's, and said to be.
    loop = "--assumptions: cannot read 'x': Too many levels of symbolic links"
    assert reason_text(loop, "nl") == (
        "--assumptions: 'x' kan niet worden gelezen "
        "(het systeem meldt: Too many levels of symbolic links)"
    )
