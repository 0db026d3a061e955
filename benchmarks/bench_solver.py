"""Benchmark: the batch match on the region and national fixtures, against the status quo.

Prints Markdown tables (the ones committed in docs/solver.md):

1. time to the proven optimum: ``dichtbij match`` from file (wall clock, a fresh
   process) and the steps inside one process;
2. the optimum against first come, first served (crisis first, then arrival order, each
   child its best remaining home, a sibling group split where it fits nowhere whole);
3. plain formulations solved in the same run: one MIP over every pair, no
   decomposition, no LP filtering (HiGHS and SCIP), and CP-SAT with exact weights;
4. the sibling-free relaxation (every child alone, no keep-apart: an assignment
   problem) solved by the engine, by scipy's ``linear_sum_assignment`` and by an OR-tools
   min-cost flow, which must reach the same optimum;
5. ``dichtbij rank`` with waiting-list effects for sampled children of the national
   fixture;
6. ``--sections seeds``: every national seed (11 to 20) from file to proven optimum in a
   fresh process (wall clock and CPU time), beside one plain HiGHS model of the same
   instance with a time limit, and whether both reach the same optimum;
7. ``--sections growth``: 0.5, 1, 2 and 4 times the national size (seed 11): load, from
   file to answer, peak memory, beside plain HiGHS.

Run: ``.venv/bin/python benchmarks/bench_solver.py`` (all sections, an hour or more on
this machine), or one section, e.g. ``--sections seeds --seed-limit 180``;
``--quick`` skips the plain formulations of the fixtures section.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import scipy
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment
from timing import median_time  # the script's folder is on sys.path

from fixtures.generate import dumps_scenario, generate_national, generate_region
from matching import Context, Scenario, parse_scenario, rank, score_all
from matching.geo import distance_km
from solver import match
from solver.backends import solve_cpsat, solve_mip
from solver.batch import Batch, LexValue, build_batch, violations
from solver.engine import exact_objective, exact_weights
from solver.greedy import greedy
from solver.outcomes import outcomes
from solver.practice import status_quo_of
from solver.relaxation import base_rows
from solver.waiting_list import waiting_list_effects

ROOT = Path(__file__).resolve().parent.parent


def _cli_wall(argv: Sequence[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t0
    json.loads(done.stdout)  # the whole document was written
    return wall


def _fmt(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}"


# ---------------------------------------------------------------------------------------
# Outcome metrics


def _metrics(ctx: Context, placed: Mapping[str, str], score: int) -> dict[str, str]:
    o = outcomes(ctx, placed)
    return {
        "children placed": f"{o.placed} of {o.children}",
        "crisis children placed": f"{o.placed_crisis} of {o.crisis}",
        "total score (points)": str(score),
        "mean distance to parents (km)": _fmt(o.mean_km, 1),
        "median distance to parents (km)": _fmt(o.median_km, 1),
        "share within 10 km": f"{100 * o.share_within(10):.1f} %",
        "share keeping their school": f"{100 * o.share_school_kept:.1f} %",
        "sibling groups (no split_reason) placed together": f"{o.groups_together} of {o.groups}",
        "sibling groups (no split_reason) split over homes": str(o.groups_split),
        "share in family-like homes": f"{100 * o.share_family_like:.1f} %",
    }


def _status_quo(ctx: Context) -> tuple[dict[str, str], int, float]:
    t0 = time.perf_counter()
    rows = status_quo_of(ctx)
    elapsed = time.perf_counter() - t0
    return {r.child_id: r.home_id for r in rows}, sum(r.score for r in rows), elapsed


# ---------------------------------------------------------------------------------------
# Plain formulations: one model, every pair, no decomposition


def _plain_mip(problem: Batch, backend: str, limit: float) -> tuple[str, float, LexValue]:
    units = problem.pair_unit
    max_member = int(np.max(-(-problem.pair_score // np.maximum(problem.unit_size[units], 1))))
    m2 = 4 * max_member + 1
    m1 = 8 * m2
    f = (
        m1 * problem.unit_crisis[units] + m2 * problem.unit_size[units] + problem.pair_score
    ).astype(np.float64)
    rows = base_rows(problem)
    t0 = time.perf_counter()
    res = solve_mip(f, rows.matrix, rows.rhs, limit, backend=backend)
    elapsed = time.perf_counter() - t0
    chosen = np.flatnonzero(res.x) if res.x is not None else np.empty(0, dtype=np.int64)
    assert not violations(problem, chosen)
    status = "optimal" if res.optimal else f"stopped at {limit:.0f} s"
    return status, elapsed, problem.value(chosen)


def _plain_cpsat(problem: Batch, limit: float) -> tuple[str, float, LexValue]:
    objective = exact_objective(problem)
    t0 = time.perf_counter()
    res = solve_cpsat(problem, objective.tolist(), limit, workers=2)
    elapsed = time.perf_counter() - t0
    gap = 100 * (res.bound - res.value) / max(1, res.bound)
    status = "optimal" if res.optimal else f"stopped at {limit:.0f} s, gap {gap:.3g} %"
    return status, elapsed, problem.value(res.chosen)


# ---------------------------------------------------------------------------------------
# Sibling-free relaxation: an assignment problem


def _alone(scenario: Scenario) -> Scenario:
    """Every child alone: no brothers and sisters (so no group and no sibling cap of
    ``max_siblings``) and no keep-apart. A split child scores 0 sibling points, as a child
    without siblings does, so every pair scores as placed one by one."""
    kids = tuple(
        replace(c, siblings=frozenset(), split_reason=None, split_note=None, keep_apart=frozenset())
        for c in scenario.children
    )
    return Scenario.of(
        scenario.reference_date, scenario.policy, scenario.homes, kids, scenario.residents
    )


def _relaxation(ctx: Context, repeat: int) -> list[list[str]]:
    rel_ctx = Context(_alone(ctx.scenario), ctx.table)
    table = score_all(rel_ctx)
    problem = build_batch(rel_ctx, table)
    w_crisis, w_placed = exact_weights(problem)
    units = problem.pair_unit
    value = (w_crisis * problem.unit_crisis[units] + w_placed + problem.pair_score).astype(np.int64)

    def engine() -> int:
        r = match(rel_ctx, table, explain=False)
        return int(w_crisis * r.placed_crisis + w_placed * r.placed + r.total_score)

    # scipy: one column per free bed (homes expanded), one private column per stay-at-home.
    homes = np.repeat(np.arange(problem.n_homes), problem.home_beds)
    stay = np.flatnonzero(problem.pair_beds == 0)

    def lsa() -> int:
        cost = np.zeros((problem.n_units, homes.size + stay.size))
        bed_start = np.concatenate([[0], np.cumsum(problem.home_beds)])
        for p in np.flatnonzero(problem.pair_beds > 0).tolist():
            h = problem.pair_home[p]
            cost[problem.pair_unit[p], bed_start[h] : bed_start[h + 1]] = -value[p]
        for k, p in enumerate(stay.tolist()):
            cost[problem.pair_unit[p], homes.size + k] = -value[p]
        rows, cols = linear_sum_assignment(cost)
        return int(-cost[rows, cols].sum())

    def flow() -> int:
        mcf = min_cost_flow.SimpleMinCostFlow()
        n_u, n_h = problem.n_units, problem.n_homes
        source, sink = n_u + n_h, n_u + n_h + 1
        occupied = problem.pair_beds > 0
        tails = np.concatenate(
            [
                np.full(n_u, source),
                units[occupied],
                units[~occupied],
                n_u + np.arange(n_h),
                np.arange(n_u),
            ]
        )
        heads = np.concatenate(
            [
                np.arange(n_u),
                n_u + problem.pair_home[occupied],
                np.full((~occupied).sum(), sink),
                np.full(n_h, sink),
                np.full(n_u, sink),
            ]
        )
        caps = np.concatenate(
            [
                np.ones(n_u),
                np.ones(occupied.sum()),
                np.ones((~occupied).sum()),
                problem.home_beds,
                np.ones(n_u),
            ]
        ).astype(np.int64)
        costs = np.concatenate(
            [np.zeros(n_u), -value[occupied], -value[~occupied], np.zeros(n_h), np.zeros(n_u)]
        ).astype(np.int64)
        mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        mcf.set_node_supply(source, n_u)
        mcf.set_node_supply(sink, -n_u)
        assert mcf.solve() == mcf.OPTIMAL
        return int(-mcf.optimal_cost())

    out = []
    results: dict[str, int] = {}
    for name, fn in [
        ("Dichtbij engine (`solver.match`)", engine),
        ("scipy `linear_sum_assignment`", lsa),
        ("OR-tools min-cost flow", flow),
    ]:
        results[name] = fn()
        t, runs = median_time(fn, repeat)
        out.append([name, _fmt(t, 3), ", ".join(_fmt(r, 3) for r in runs)])
    assert len(set(results.values())) == 1, results
    v = next(iter(results.values()))
    crisis, rest = divmod(v, w_crisis)
    placed, points = divmod(rest, w_placed)
    out.append(["same optimum", f"{crisis} crisis, {placed} placed, {points} points", ""])
    return out


# ---------------------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _fixture(name: str, doc: dict[str, Any], path: Path, args: argparse.Namespace) -> str:
    out: list[str] = [f"## {name}"]
    repeat = args.repeat if name == "Region Foodvalley" else args.repeat_national
    walls = [_cli_wall(["match", "--scenario", str(path), "--json"]) for _ in range(repeat)]
    t0 = time.perf_counter()
    scenario = parse_scenario(doc)
    t_load = time.perf_counter() - t0
    ctx = Context.of(scenario)
    t0 = time.perf_counter()
    table = score_all(ctx)
    t_score = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = match(ctx, table, explain=False)
    t_solve = time.perf_counter() - t0
    t0 = time.perf_counter()
    explained = match(ctx, table, explain=True)
    t_explained = time.perf_counter() - t0
    assert explained.total_score == result.total_score
    problem = build_batch(ctx, table)
    big = max(result.parts, key=lambda p: p.pairs)
    out.append(
        f"{len(scenario.children)} waiting children in {problem.n_units} placement units, "
        f"{problem.n_homes} candidate homes with {int(problem.home_beds.sum())} free beds, "
        f"{problem.n_pairs} eligible (unit, home) pairs; {len(result.parts)} independent parts, "
        f"the largest with {big.units} units and {big.pairs} pairs (route: {big.route})."
    )
    out.append("")
    out.append(
        _table(
            ["step", "seconds", "note"],
            [
                [
                    f"**`dichtbij match --json` from file, wall clock (median of {repeat})**",
                    f"**{_fmt(statistics.median(walls))}**",
                    "runs: " + ", ".join(_fmt(w) for w in walls),
                ],
                ["load and validate the scenario", _fmt(t_load), ""],
                ["score every eligible pair (`score_all`)", _fmt(t_score), ""],
                [
                    "solve to the proven optimum (`match`, no explanations)",
                    _fmt(t_solve),
                    f"status {result.status.value}, gap {result.gap}",
                ],
                ["solve and explain every unplaced child", _fmt(t_explained), ""],
            ]
            + [[f"  largest part: {k}", str(v), ""] for k, v in big.stats.items() if k != "pairs"],
        )
    )
    sq_placed, sq_score, t_sq = _status_quo(ctx)
    opt_placed = {a.child_id: a.home_id for a in result.assignments}
    t0 = time.perf_counter()
    fcfs = greedy(problem)
    t_fcfs = time.perf_counter() - t0
    fcfs_placed = {
        m: problem.home_ids[problem.pair_home[p]]
        for p in fcfs.tolist()
        for m in problem.unit_members[problem.pair_unit[p]]
    }
    m_opt = _metrics(ctx, opt_placed, result.total_score)
    m_fcfs = _metrics(ctx, fcfs_placed, problem.value(fcfs).total_score)
    m_sq = _metrics(ctx, sq_placed, sq_score)
    common = set(opt_placed) & set(sq_placed)

    def mean_km(placed: Mapping[str, str]) -> str:
        sc = ctx.scenario
        d = [
            distance_km(ctx.parents_location(sc.child(c)), ctx.home_location(sc.home(placed[c])))
            for c in common
        ]
        return _fmt(statistics.fmean(d) if d else 0.0, 1)

    out.append("")
    out.append(
        _table(
            [
                "",
                "optimum (Dichtbij)",
                "first come, first served, groups whole",
                "first come, first served, groups split where needed (status quo)",
            ],
            [[k, m_opt[k], m_fcfs[k], m_sq[k]] for k in m_opt]
            + [
                [
                    f"mean distance (km), the {len(common)} children placed by both",
                    mean_km(opt_placed),
                    "",
                    mean_km(sq_placed),
                ],
                ["time (s)", _fmt(t_solve), _fmt(t_fcfs), _fmt(t_sq)],
            ],
        )
    )
    if name != "Region Foodvalley" and not args.quick:
        rows = []
        plain: list[tuple[str, Callable[[], tuple[str, float, LexValue]]]] = [
            (
                "plain MIP, HiGHS (every pair, one model, weights M1/M2)",
                lambda: _plain_mip(problem, "highs", args.plain_limit),
            ),
            ("plain MIP, SCIP (same model)", lambda: _plain_mip(problem, "scip", args.plain_limit)),
            (
                "plain CP-SAT, 2 workers, exact lexicographic weights",
                lambda: _plain_cpsat(problem, args.plain_limit),
            ),
        ]
        for label, run in plain:
            status, elapsed, value = run()
            same = (value.placed_crisis, value.placed, value.total_score) == (
                result.placed_crisis,
                result.placed,
                result.total_score,
            )
            rows.append(
                [
                    label,
                    _fmt(elapsed, 1),
                    status,
                    "yes" if same else f"no: {value}",
                    f"{elapsed / t_solve:.1f}x",
                ]
            )
        rows.insert(
            0,
            [
                "**Dichtbij (parts, LP filtering, cuts, HiGHS core)**",
                f"**{_fmt(t_solve, 1)}**",
                result.status.value,
                "yes",
                "1.0x",
            ],
        )
        out.append("")
        out.append(_table(["formulation", "seconds", "status", "same optimum", "time ratio"], rows))
    if name != "Region Foodvalley":
        out.append("")
        out.append(
            "Sibling-free relaxation (every child alone, no keep-apart): an assignment problem."
        )
        out.append("")
        out.append(
            _table(
                ["solver", f"median (s) of {args.repeat}", "runs"], _relaxation(ctx, args.repeat)
            )
        )
        rng = random.Random(5)
        sample = rng.sample([c.id for c in scenario.children], args.waiting)
        t_rank, t_effect, competitors = [], [], []
        for cid in sample:
            t0 = time.perf_counter()
            ranked = rank(ctx, cid)
            t_rank.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            effects = waiting_list_effects(ctx, ranked, top=10)
            t_effect.append(time.perf_counter() - t0)
            competitors.append(effects.competitors)
        cli = _cli_wall(
            ["rank", "--scenario", str(path), "--child", sample[0], "--waiting-list", "--json"]
        )
        out.append("")
        out.append(
            f"`dichtbij rank --waiting-list` (top 10 options), {args.waiting} sampled children:"
        )
        out.append("")
        out.append(
            _table(
                ["step", "median (s)", "max (s)", "note"],
                [
                    [
                        "rank the options (per-pair path)",
                        _fmt(statistics.median(t_rank)),
                        _fmt(max(t_rank)),
                        "",
                    ],
                    [
                        "**waiting-list effects of the 10 options**",
                        f"**{_fmt(statistics.median(t_effect))}**",
                        _fmt(max(t_effect)),
                        f"competing children: median {int(statistics.median(competitors))}",
                    ],
                    [
                        "`dichtbij rank --waiting-list --json` from file, wall clock",
                        _fmt(cli),
                        "",
                        f"child {sample[0]}, includes loading the scenario",
                    ],
                ],
            )
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs of the cheap steps")
    parser.add_argument("--repeat-national", type=int, default=3, help="runs of the national match")
    parser.add_argument("--plain-limit", type=float, default=180.0, help="time cap per plain solve")
    parser.add_argument("--waiting", type=int, default=15, help="children sampled for rank")
    parser.add_argument("--quick", action="store_true", help="skip the plain formulations")
    parser.add_argument(
        "--sections",
        nargs="*",
        choices=["fixtures", "seeds", "growth"],
        default=["fixtures", "seeds", "growth"],
        help="fixtures: region and default national in detail; seeds: the distribution "
        "over national seeds; growth: 0.5x to 4x the national size",
    )
    parser.add_argument(
        "--seeds", type=int, nargs="*", default=list(range(11, 21)), help="national seeds"
    )
    parser.add_argument("--scales", type=float, nargs="*", default=[0.5, 1.0, 2.0, 4.0])
    parser.add_argument("--seed-limit", type=float, default=120.0, help="plain HiGHS cap, seeds")
    parser.add_argument("--growth-limit", type=float, default=300.0, help="caps, growth")
    args = parser.parse_args()
    print(f"# Solver benchmark ({date.today().isoformat()})\n")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, OR-tools {version('ortools')}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}.\n"
    )
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if "fixtures" in args.sections:
            for fixture, doc in [
                ("Region Foodvalley", generate_region()),
                ("National", generate_national()),
            ]:
                path = tmp / f"{fixture.split()[0].lower()}.json"
                path.write_text(dumps_scenario(doc), encoding="utf-8")
                print(_fixture(fixture, doc, path, args))
                print()
        if "seeds" in args.sections and args.seeds:
            print(f"Load average before: {_load()}\n")
            print(_seeds(args.seeds, args.seed_limit, tmp))
            print(f"\nLoad average after: {_load()}\n")
        if "growth" in args.sections and args.scales:
            print(f"Load average before: {_load()}\n")
            print(_growth(args.scales, 11, args.growth_limit, args.growth_limit, tmp))
            print(f"\nLoad average after: {_load()}\n")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f} (1, 5, 15 min; 2 cores)"


_MEASURE = """
import json, resource, sys, time
t0 = time.perf_counter()
from api.cli import main
import io
buf = io.StringIO()
rc = main(sys.argv[1:], out=buf)
wall = time.perf_counter() - t0
doc = json.loads(buf.getvalue())
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"rc": rc, "wall_in_process": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mb": usage.ru_maxrss / 1024,
                  "doc": {k: doc[k] for k in ("status", "placed", "placed_crisis", "total_score",
                                              "gap", "wall_time_s", "stages")}}))
"""


def _cli_match(path: Path, time_limit: float | None = None) -> dict[str, Any]:
    """``dichtbij match --json`` in a fresh process: wall clock, peak memory, the answer."""
    argv = ["match", "--scenario", str(path), "--json"]
    if time_limit is not None:
        argv += ["--time-limit", str(time_limit)]
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    out["wall"] = time.perf_counter() - t0
    return out


def _plain_cell(status: str, elapsed: float, limit: float) -> str:
    return _fmt(elapsed, 1) if status == "optimal" else f"> {limit:.0f} (limit)"


def _lex(doc: Mapping[str, Any]) -> tuple[int, int, int]:
    return (int(doc["placed_crisis"]), int(doc["placed"]), int(doc["total_score"]))


def _instance(seed: int, scale: float, tmp: Path) -> tuple[Path, Batch]:
    doc = generate_national(seed, scale)
    path = tmp / f"national-{seed}-{scale:g}.json"
    path.write_text(dumps_scenario(doc), encoding="utf-8")
    ctx = Context.of(parse_scenario(doc))
    return path, build_batch(ctx, score_all(ctx))


def _seeds(seeds: Sequence[int], plain_limit: float, tmp: Path) -> str:
    """Every seed from file to proven optimum, beside one plain HiGHS model of it."""
    rows = []
    walls, cpus, ratios = [], [], []
    for seed in seeds:
        path, problem = _instance(seed, 1.0, tmp)
        run = _cli_match(path)
        doc = run["doc"]
        cpu0 = time.process_time()
        status, elapsed, value = _plain_mip(problem, "highs", plain_limit)
        plain_cpu = time.process_time() - cpu0
        same = (value.placed_crisis, value.placed, value.total_score) == _lex(doc)
        walls.append(run["wall"])
        cpus.append(run["cpu"])
        ratio = elapsed / doc["wall_time_s"]
        ratios.append(ratio)
        rows.append(
            [
                str(seed),
                f"**{_fmt(run['wall'], 1)}**",
                _fmt(run["cpu"], 1),
                _fmt(doc["wall_time_s"], 1),
                doc["status"] + ("" if doc["status"] != "optimal" else ", gap 0"),
                "{} / {} / {}".format(*_lex(doc)),
                _plain_cell(status, elapsed, plain_limit),
                _fmt(plain_cpu, 1),
                "yes" if same else ("not proven" if status != "optimal" else f"NO: {value}"),
                ("> " if status != "optimal" else "") + f"{ratio:.1f}x",
                ("> " if status != "optimal" else "") + f"{plain_cpu / run['cpu']:.1f}x",
            ]
        )
    head = (
        f"National instances, generator seeds {seeds[0]} to {seeds[-1]} (3,000 children, "
        f"20,000 homes each). From file: `dichtbij match --json` in a fresh process, wall "
        f"clock and the CPU time it used (the machine is shared: CPU time shows the work "
        f"without the waiting). "
        f"Wall: median {_fmt(statistics.median(walls), 1)} s, worst {_fmt(max(walls), 1)} s; "
        f"CPU: median {_fmt(statistics.median(cpus), 1)} s, worst {_fmt(max(cpus), 1)} s; "
        f"plain HiGHS / Dichtbij: median {statistics.median(ratios):.1f}x, "
        f"lowest {min(ratios):.1f}x.\n\n"
    )
    return head + _table(
        [
            "seed",
            "from file (s)",
            "CPU (s)",
            "match (s)",
            "status",
            "crisis / placed / points",
            f"plain HiGHS (s, limit {plain_limit:.0f})",
            "plain HiGHS CPU (s)",
            "same optimum",
            "plain / match (wall)",
            "plain CPU / from-file CPU",
        ],
        rows,
    )


def _growth(
    scales: Sequence[float], seed: int, plain_limit: float, engine_limit: float, tmp: Path
) -> str:
    """The same generator at 0.5, 1, 2, 4 times the national size: time and memory."""
    rows = []
    for scale in scales:
        path, problem = _instance(seed, scale, tmp)
        t0 = time.perf_counter()
        parse_scenario(json.loads(path.read_text(encoding="utf-8")))
        t_load = time.perf_counter() - t0
        run = _cli_match(path, engine_limit)
        doc = run["doc"]
        status, elapsed, value = _plain_mip(problem, "highs", plain_limit)
        same = (value.placed_crisis, value.placed, value.total_score) == _lex(doc)
        rows.append(
            [
                f"{scale:g}x",
                f"{problem.n_children} / {problem.n_homes} / {problem.n_pairs}",
                _fmt(t_load),
                f"**{_fmt(run['wall'], 1)}**",
                _fmt(run["cpu"], 1),
                doc["status"]
                + (f", gap {doc['gap']}" if doc["status"] != "optimal" else ", gap 0"),
                f"{run['peak_mb']:.0f}",
                _plain_cell(status, elapsed, plain_limit),
                "yes" if same else ("not proven" if status != "optimal" else f"NO: {value}"),
            ]
        )
    return (
        f"Growth, seed {seed}: the national generator with every count scaled (same map, so "
        f"pairs grow about with the square). `dichtbij match --json` from file with "
        f"`--time-limit {engine_limit:.0f}`.\n\n"
        + _table(
            [
                "scale",
                "children / homes with beds / pairs",
                "load (s)",
                "from file (s)",
                "CPU (s)",
                "status",
                "peak memory (MB)",
                f"plain HiGHS (s, limit {plain_limit:.0f})",
                "same optimum",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
