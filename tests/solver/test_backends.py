"""The thin solver calls: native solver chatter never reaches standard output."""

from __future__ import annotations

import os
import threading

import pytest

from solver.backends import _stdout_to_stderr


def test_what_a_solver_prints_goes_to_stderr_not_into_the_json(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with _stdout_to_stderr():
        os.write(1, b"HighsMipSolverData chatter\n")
    os.write(1, b"the document\n")
    out, err = capfd.readouterr()
    assert out == "the document\n"
    assert "HighsMipSolverData chatter" in err


def test_overlapping_solves_restore_stdout_once_the_last_one_ends(
    capfd: pytest.CaptureFixture[str],
) -> None:
    inside = threading.Barrier(2)

    def solve() -> None:
        with _stdout_to_stderr():
            inside.wait()
            os.write(1, b"chatter\n")
            inside.wait()

    threads = [threading.Thread(target=solve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    os.write(1, b"after\n")
    out, err = capfd.readouterr()
    assert out == "after\n"
    assert err.count("chatter") == 2
