"""The work the engine does on a national seed, in signals that do not depend on the load:
per seed, the largest part's LP bound and start against its optimum, the cores it needed
and every MIP solve (solver, columns, CPU seconds), beside the CPU time of the match.

For bisecting a slowdown across commits: run it in a worktree of each commit on the same
files (``--scenario``), or with the PC4 locations of another commit put back
(``--dump-locations`` there, ``--locations`` here) to tell a change of the instance from
new work per match (docs/solver.md, "Re-measured 2026-12-06").

Run: ``.venv/bin/python scripts/core_work.py --seeds 11 14 17`` (generated) or
``--scenario national-11.json``; ``--explain`` adds the unplaced children's reasons.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import solver.engine as engine
from fixtures.generate import dumps_scenario, generate_national
from matching import Context, load_scenario, score_all
from matching.geo import postcode_table
from solver import match
from solver.backends import MipResult


def _dump_locations(path: Path) -> None:
    table = postcode_table()
    locations = {pc4: asdict(table.locate(pc4)) for pc4 in table.pc4s}
    path.write_text(json.dumps(locations), encoding="utf-8")


def _put_back(path: Path) -> list[str]:
    """Locate every PC4 as ``path`` says (a ``--dump-locations`` of another commit)."""
    table = postcode_table()
    changed = []
    for pc4, old in json.loads(path.read_text(encoding="utf-8")).items():
        now = asdict(table.locate(pc4)) if pc4 in table.index_of else old
        if all(now[key] == value for key, value in old.items()):
            continue
        table._by_pc4[pc4] = replace(table.locate(pc4), **old)
        i = table.index_of[pc4]
        table.latitudes[i], table.longitudes[i] = old["latitude"], old["longitude"]
        codes = list(table.municipality_codes)
        codes[i] = old["municipality_code"]
        table.municipality_codes = tuple(codes)
        changed.append(pc4)
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="*", default=[11, 14, 17])
    parser.add_argument("--scenario", type=Path, nargs="*", default=[])
    parser.add_argument("--locations", type=Path, help="PC4 locations to put back")
    parser.add_argument("--dump-locations", type=Path, help="write this code's and stop")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    if args.dump_locations:
        _dump_locations(args.dump_locations)
        return
    if args.locations:
        print("PC4s located as in", args.locations, ":", " ".join(_put_back(args.locations)))
    solves: list[list[Any]] = []
    cores: list[dict[str, float]] = []
    solve_mip, core_mip = getattr(engine, "solve_mip"), engine._core_mip  # noqa: B009

    def timed_solve(*a: Any, **kw: Any) -> MipResult:
        t = time.process_time()
        mip: MipResult = solve_mip(*a, **kw)
        backend = a[6] if len(a) > 6 else kw.get("backend", "highs")
        solves.append([backend, a[1].shape[1], round(time.process_time() - t, 2), mip.optimal])
        return mip

    def gaps(problem: Any, objective: Any, bound: float, rc: Any, *a: Any) -> Any:
        core = core_mip(problem, objective, bound, rc, *a)
        start = a[1]
        cores.append(
            {
                "bound - start": round(bound - float(objective[start].sum()), 1),
                "bound - optimum": round(bound - float(objective[core.best].sum()), 1),
            }
        )
        return core

    setattr(engine, "solve_mip", timed_solve)  # noqa: B010
    setattr(engine, "_core_mip", gaps)  # noqa: B010
    files = list(args.scenario)
    for seed in args.seeds if not files else []:
        files.append(Path(f"/tmp/national-{seed}.json"))
        files[-1].write_text(dumps_scenario(generate_national(seed)), encoding="utf-8")
    for path in files:
        solves.clear()
        cores.clear()
        ctx = Context.of(load_scenario(path.read_text(encoding="utf-8")))
        table = score_all(ctx)
        t = time.process_time()
        result = match(ctx, table, explain=args.explain)
        cpu = time.process_time() - t
        largest = max(result.parts, key=lambda p: p.pairs)
        print(
            f"{path.name}: {result.placed_crisis} / {result.placed} / {result.total_score}, "
            f"match CPU {cpu:.2f} s, MIPs {sum(s[2] for s in solves):.2f} s in {len(solves)}; "
            f"largest part {largest.pairs} pairs, LP rounds {largest.stats.get('lp_f_rounds')}, "
            f"cuts {largest.stats.get('cuts')}, cores {cores}"
        )
        print("  solves (solver, columns, CPU s, proven):", solves)
        print("  cores:", [largest.stats[k] for k in ("mip_1", "mip_2") if k in largest.stats])


if __name__ == "__main__":
    main()
