"""``dichtbij simulate`` through the command line: the contract document and bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from api.cli import main
from solver.simulation import FIGURES
from tests.builders import child, home, scenario_doc

QUIET = {
    "arrivals_per_year": 0,
    "bed_openings_per_year": 0,
    "decline_rate": 0,
    "breakdown_base": 0,
    "breakdown_group_extra": 0,
    "breakdown_far_extra": 0,
}


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(["simulate", *argv], out=out)
    return status, out.getvalue()


def write(tmp_path: Path, name: str, doc: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def test_json_follows_the_contract_and_the_seed_fixes_it(region_path: str) -> None:
    argv = ("--scenario", region_path, "--days", "30", "--runs", "2", "--seed", "9", "--json")
    status, text = run(*argv, "--policies", "fcfs,batch-weekly")
    assert status == 0
    doc = json.loads(text)
    assert (doc["days"], doc["runs"], doc["seed"]) == (30, 2, 9)
    assert list(doc["policies"]) == ["fcfs", "batch-weekly"]
    for figures in doc["policies"].values():
        for name in FIGURES:
            low, high = figures[name]["ci95"]
            assert low <= figures[name]["mean"] <= high
        assert figures["placed"]["mean"] > 0
    assert run(*argv, "--policies", "fcfs,batch-weekly") == (status, text)


def test_a_hand_made_case_reads_as_expected_in_dutch_and_english(tmp_path: Path) -> None:
    scenario = write(
        tmp_path,
        "one.json",
        {
            "format": "dichtbij.scenario/1",
            "reference_date": "2026-11-23",
            "policy": {},
            "homes": [
                {
                    "id": "H-1",
                    "organisation": "o",
                    "type": "foster",
                    "postcode": "6714",
                    "beds_free": 1,
                }
            ],
            "children": [{"id": "C-1", "age": 8, "parents_postcode": "6712"}],
        },
    )
    quiet = write(tmp_path, "quiet.json", QUIET)
    argv = ["--scenario", scenario, "--days", "10", "--runs", "2", "--seed", "1"]
    status, text = run(*argv, "--assumptions", quiet, "--json")
    assert status == 0
    for figures in json.loads(text)["policies"].values():
        assert figures["placed"] == {"mean": 1.0, "ci95": [1.0, 1.0]}
    status, nl = run(*argv, "--assumptions", quiet)
    assert status == 0
    assert "geplaatst" in nl
    assert "1,0 [1,0; 1,0]" in nl
    status, en = run(*argv, "--assumptions", quiet, "--lang", "en")
    assert status == 0
    assert "placed" in en
    assert "1.0 [1.0; 1.0]" in en


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--days", "0"], "--days must be between 1 and 3650"),
        (["--runs", "many"], "'many' is not a whole number"),
        (["--policies", "fcfs,lottery"], "--policies: unknown policy 'lottery'"),
        (["--policies", "fcfs,fcfs"], "--policies: a policy is named twice"),
        (["--scheduler", "10.0.0.5:8786"], "--scheduler: '10.0.0.5:8786' is not a scheduler"),
        # A scheme with no host and port, or one Dask cannot dial: named, not a traceback.
        (["--scheduler", "tcp://"], "--scheduler: cannot reach the Dask scheduler at tcp://"),
        (["--scheduler", "inproc://x"], "--scheduler: cannot reach the Dask scheduler at"),
        (["--scheduler", "tls://127.0.0.1:1"], "--scheduler: cannot reach the Dask scheduler"),
        (["--assumptions", "/nonexistent.json"], "--assumptions: cannot read"),
    ],
)
def test_bad_options_exit_2_naming_the_option_and_write_nothing(
    region_path: str, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = {"--days": "5", "--runs": "1", "--seed": "1"}
    for key, value in zip(extra[::2], extra[1::2], strict=True):
        argv[key] = value
    flat = [x for kv in argv.items() for x in kv]
    try:
        status, _ = run("--scenario", region_path, *flat, "--lang", "en")
    except SystemExit as exc:  # argparse's own checks exit from the parser
        status = int(str(exc.code))
    assert status == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_bad_assumptions_and_a_bad_scenario_exit_2(
    tmp_path: Path, region_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "bad.json", {"decline_rate": 2})
    status, out = run(
        "--scenario", region_path, "--days", "5", "--runs", "1", "--seed", "1",
        "--assumptions", bad, "--lang", "en",
    )  # fmt: skip
    assert (status, out) == (2, "")
    assert "--assumptions: decline_rate: must be between 0 and 1" in capsys.readouterr().err
    broken = write(tmp_path, "broken.json", {"format": "dichtbij.scenario/1", "homes": []})
    status, out = run("--scenario", broken, "--days", "5", "--runs", "1", "--seed", "1")
    assert (status, out) == (2, "")
    assert "reference_date" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("override", "message"),
    [
        # Finite numbers too large for the draws: an overflow or a huge allocation before.
        ({"arrivals_per_year": 1e308}, "arrivals_per_year: must be a number from 0 to"),
        ({"bed_openings_per_year": 1e20}, "bed_openings_per_year: must be a number from 0 to"),
        ({"stay_crisis_days": 1e308}, "stay_crisis_days: must be a number above 0, at most"),
        # A floor below a day on the mean wait makes Little's law derive millions a day.
        ({"min_mean_wait_days": 1e-300}, "min_mean_wait_days: must be a number from 1 to"),
    ],
)
def test_huge_assumptions_exit_2_naming_the_key(
    tmp_path: Path,
    override: dict[str, float],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Everyone waits since today: the mean wait is 0 and the floor decides the arrivals.
    doc = scenario_doc([home("H-1", beds_free=2)], [child("C-1"), child("C-2", age=12)])
    scenario = write(tmp_path, "today.json", doc)
    path = write(tmp_path, "huge.json", override)
    status, out = run(
        "--scenario", scenario, "--days", "5", "--runs", "1", "--seed", "1",
        "--policies", "fcfs", "--assumptions", path, "--lang", "en",
    )  # fmt: skip
    assert (status, out) == (2, "")
    assert f"--assumptions: {message}" in capsys.readouterr().err


def test_a_scheduler_without_workers_exits_2_and_says_so(
    region_path: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A scheduler that answers but has no worker: the world's scatter failed with a
    # traceback ("No valid workers found", exit 1), and nothing would ever run.
    from distributed import LocalCluster

    import solver.simulation.execute as execute

    monkeypatch.setattr(execute, "WORKER_WAIT_S", 1.0)
    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=0, processes=False, dashboard_address="127.0.0.1:0"
    ) as cluster:
        address = cluster.scheduler_address
        status, out = run(
            "--scenario",
            region_path,
            "--days",
            "5",
            "--runs",
            "1",
            "--seed",
            "1",
            "--scheduler",
            address,
            "--json",
            "--lang",
            "en",
        )
    assert status == 2
    assert out == ""
    assert f"--scheduler: the Dask scheduler at {address} has no workers" in capsys.readouterr().err
