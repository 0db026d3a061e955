"""Experiment (issue 12): HiGHS and SCIP on the same cores of the national seeds.

The engine proves the largest part of a national instance by solving small 0/1 programs
(:func:`solver.engine._core_mip`: the fix-and-solve start, then one or two cores of the
pairs that reduced costs leave a chance). This script solves the largest part of each
seed with the engine, keeps every program it hands to a MIP solver, and solves each
again with HiGHS alone and SCIP alone, from the same start, with the engine's settings
(gap below one point, the cores without presolve); SCIP twice, as it comes (every
separator) and as the engine runs it (without :data:`solver.backends.SCIP_SEPARATION`).
It prints one row per program with the CPU seconds of each; the engine's own choice
(``auto``: HiGHS first, SCIP after HiGHS' head start) is what docs/solver.md, "HiGHS,
then SCIP" and "SCIP without the separators that do not pay", explains.

Run: ``.venv/bin/python scripts/core_backends.py --seeds 11 12 13 14 15 16 17 18 19 20``.
Larger instances: ``--scale 4 --seeds 11 --without-every`` (the cores of four times the
national size; ``--no-flow`` makes them from the start without :mod:`solver.singles`, as
the engine did before; ``--scip-presolve`` lets SCIP presolve them). The SCIP column runs
SCIP as the engine does, without primal heuristics on a proof core; ``--scip-heuristics``
keeps them on everywhere, to compare.
"""

from __future__ import annotations

import argparse
import inspect
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

import solver.engine as engine
from fixtures.generate import generate_national
from matching import Context, parse_scenario, score_all
from solver.backends import FloatArray, MipResult, every_scip_separator, solve_mip
from solver.batch import build_batch


@dataclass(frozen=True)
class Program:
    """One 0/1 program the engine solved, with its start and presolve setting."""

    seed: int
    step: int
    objective: FloatArray
    matrix: sp.csr_matrix
    rhs: FloatArray
    hint: NDArray[np.bool_] | None
    presolve: bool
    heuristics: bool = True
    """SCIP's primal heuristics as the engine runs it (off on the proof core)."""


def _programs(
    seed: int, scale: float = 1.0, options: engine.EngineOptions | None = None
) -> list[Program]:
    """The programs of the largest part of ``seed`` at ``scale``, as the engine's run with
    ``options`` (its defaults if None) made them."""
    ctx = Context.of(parse_scenario(generate_national(seed, scale)))
    part = build_batch(ctx, score_all(ctx)).largest_part()
    kept: list[Program] = []
    real = solve_mip

    def keep(*args: Any, **kwargs: Any) -> MipResult:
        call = inspect.signature(real).bind(*args, **kwargs)
        call.apply_defaults()
        a = call.arguments
        # Each program once: SCIP taking over from HiGHS gets the same matrix object.
        if kept and kept[-1].matrix is a["matrix"]:
            if a["backend"] == "scip":
                kept[-1] = replace(kept[-1], heuristics=a["heuristics"])
        else:
            kept.append(
                Program(
                    seed,
                    len(kept) + 1,
                    a["objective"],
                    a["matrix"],
                    a["rhs"],
                    a["hint"],
                    a["presolve"],
                )
            )
        return real(*args, **kwargs)

    # The engine calls the name it imported: replaced there for the one run.
    setattr(engine, "solve_mip", keep)  # noqa: B010
    try:
        engine.solve_part(part, float("inf"), options)
    finally:
        setattr(engine, "solve_mip", real)  # noqa: B010
    return kept


def _cpu(
    program: Program,
    backend: str,
    limit: float,
    presolve: bool | None = None,
    heuristics: bool | None = None,
) -> tuple[float, MipResult]:
    t = time.process_time()
    res = solve_mip(
        program.objective,
        program.matrix,
        program.rhs,
        limit,
        program.hint,
        program.presolve if presolve is None else presolve,
        backend,
        program.heuristics if heuristics is None else heuristics,
    )
    return time.process_time() - t, res


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 14, 17])
    parser.add_argument("--limit", type=float, default=120.0, help="seconds per solve")
    parser.add_argument("--scale", type=float, default=1.0, help="national instance times this")
    parser.add_argument("--no-flow", action="store_true", help="the start without the flow")
    parser.add_argument(
        "--without-every", action="store_true", help="skip SCIP with every separator"
    )
    parser.add_argument("--scip-presolve", action="store_true", help="SCIP presolves the cores")
    parser.add_argument(
        "--scip-heuristics", action="store_true", help="SCIP's heuristics on every program"
    )
    args = parser.parse_args(argv)
    # The engine's defaults, or its start without the flow whatever the part's size.
    options = engine.EngineOptions()
    if args.no_flow:
        options = replace(options, singles_flow_min_pairs=2**62)
    print(
        "| seed | program | pairs | rows | HiGHS CPU s | SCIP, every separator, CPU s"
        " | SCIP as the engine runs it, CPU s | same value |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for seed in args.seeds:
        for program in _programs(seed, args.scale, options):
            t_highs, highs = _cpu(program, "highs", args.limit)
            if args.without_every:
                t_every, every = math.nan, highs
            else:
                with every_scip_separator():
                    t_every, every = _cpu(program, "scip", args.limit)
            presolve = True if args.scip_presolve else None
            heuristics = True if args.scip_heuristics else None
            t_scip, scip = _cpu(program, "scip", args.limit, presolve, heuristics)
            runs = (highs, every, scip)
            marks = [("" if r.optimal else " (limit)") for r in runs]
            same = "yes" if len({round(r.value) for r in runs}) == 1 else "no"
            every_cell = "-" if math.isnan(t_every) else f"{t_every:.2f}{marks[1]}"
            print(
                f"| {seed} | {program.step} | {program.matrix.shape[1]} |"
                f" {program.matrix.shape[0]} | {t_highs:.2f}{marks[0]} |"
                f" {every_cell} | {t_scip:.2f}{marks[2]} | {same} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
