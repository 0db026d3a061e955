"""Benchmark: candidate search and scoring of every eligible pair, national fixture.

Prints a Markdown table of medians over repeated runs, with baselines measured in the
same run: the per-pair path (what explanations use) extrapolated from a sample of
units, a brute-force vectorised great-circle over every child x registered home, and
geopy's geodesic per pair. Run: ``.venv/bin/python benchmarks/bench_scoring.py``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date

import numpy as np
from timing import median_time  # the script's folder is on sys.path

from fixtures.generate import generate_national
from matching import Context, assess, parse_scenario, score_all
from matching.geo import SpatialIndex, geodesic_km, great_circle_km, postcode_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sample-units", type=int, default=40)
    args = parser.parse_args()

    t0 = time.perf_counter()
    doc = generate_national()
    t_generate = time.perf_counter() - t0
    t0 = time.perf_counter()
    scenario = parse_scenario(doc)
    t_parse = time.perf_counter() - t0
    table = postcode_table()

    def fresh_score() -> object:
        # A new Context each time: nothing cached from the previous run.
        return score_all(Context.of(scenario))

    ctx = Context.of(scenario)
    scores = score_all(ctx)
    t_score, all_score = median_time(fresh_score, args.repeat)

    homes = ctx.candidate_homes
    home_pc = np.array([table.index_of[h.postcode.pc4] for h in homes])
    parent_pc = np.unique([table.index_of[c.parents_postcode.pc4] for c in scenario.children])

    def candidate_search() -> object:
        index = SpatialIndex(table.latitudes[home_pc], table.longitudes[home_pc])
        return index.within(
            table.latitudes[parent_pc], table.longitudes[parent_pc], scenario.policy.max_distance_km
        )

    t_search, _ = median_time(candidate_search, args.repeat)

    all_pc = np.array([table.index_of[h.postcode.pc4] for h in scenario.homes])
    child_pc = np.array([table.index_of[c.parents_postcode.pc4] for c in scenario.children])

    def brute_force() -> object:
        within = 0
        for start in range(0, child_pc.size, 250):
            c = child_pc[start : start + 250]
            d = great_circle_km(
                table.latitudes[c][:, None],
                table.longitudes[c][:, None],
                table.latitudes[all_pc][None, :],
                table.longitudes[all_pc][None, :],
            )
            within += int(np.count_nonzero(d <= scenario.policy.max_distance_km))
        return within

    t_brute, _ = median_time(brute_force, max(1, args.repeat // 2))

    rng = np.random.default_rng(1)
    sample = [ctx.units[i] for i in rng.choice(len(ctx.units), args.sample_units, replace=False)]

    def per_pair_sample() -> object:
        return [assess(ctx, u, h).eligible for u in sample for h in homes]

    t_sample, _ = median_time(per_pair_sample, 1)
    t_per_pair = t_sample * len(ctx.units) / len(sample)

    locs = [table.locate(pc) for pc in table.pc4s[:200]]
    t0 = time.perf_counter()
    n_geo = 0
    for a in locs[:100]:
        for b in locs:
            geodesic_km(a, b)
            n_geo += 1
    t_geo_pair = (time.perf_counter() - t0) / n_geo
    n_candidate_pairs = int(scores.member_score.size)

    free_beds = sum(h.beds_free for h in homes)
    rows = [
        ("Generate fixture (seeded)", t_generate, ""),
        ("Load and validate scenario", t_parse, ""),
        (
            "**Candidate search + scoring, all eligible pairs (`score_all`)**",
            t_score,
            "target < 5 s",
        ),
        ("  of which: spatial-index radius query (k-d tree)", t_search, ""),
        ("Baseline: brute-force great-circle, every child x registered home", t_brute, ""),
        ("Baseline: per-pair path, every unit x candidate home (extrapolated)", t_per_pair, ""),
        (
            "Baseline: geopy geodesic for the eligible pairs (extrapolated)",
            t_geo_pair * n_candidate_pairs,
            "",
        ),
    ]
    print(f"# Scoring benchmark, national fixture ({date.today().isoformat()})\n")
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}.\n"
    )
    print(
        f"Scenario: {len(scenario.children)} waiting children in {len(ctx.units)} placement "
        f"units, {len(scenario.homes)} registered homes, {len(homes)} candidates with "
        f"{free_beds} free beds; {scores.n_pairs} eligible (unit, home) pairs, "
        f"{n_candidate_pairs} member rows.\n"
    )
    print("| step | median (s) | ratio to `score_all` | note |")
    print("|---|---:|---:|---|")
    for name, t, note in rows:
        print(f"| {name} | {t:.3f} | {t / t_score:.1f}x | {note} |")
    print(f"\n`score_all` runs (s): {', '.join(f'{t:.3f}' for t in all_score)}")


if __name__ == "__main__":
    main()
