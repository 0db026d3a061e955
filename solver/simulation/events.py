"""What happens to the region whatever the policy: arrivals and beds coming free, per day.

Drawn once per run from ``(seed, run)`` and shared by every policy of that run (common
random numbers: two policies are compared on the same year). Decisions that depend on
what a policy did (a carer's yes or no, how long a placement lasts, whether it breaks
down) are drawn by :func:`keyed_uniform` from the seed, the run and the decision's own
key, so the same offer gets the same answer under every policy and in every process.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

import numpy as np

from solver.simulation.world import World

__all__ = ["Events", "draw_events", "keyed_uniform", "run_seed"]


def run_seed(seed: int, run: int) -> np.random.SeedSequence:
    """The seed of one run: independent of how many runs there are or where they execute."""
    return np.random.SeedSequence(entropy=seed, spawn_key=(run,))


@dataclass(frozen=True, slots=True)
class Events:
    """Per day (0 .. days-1): the arriving families (templates) and the homes where a bed
    comes free."""

    arrivals: tuple[tuple[int, ...], ...]
    openings: tuple[tuple[int, ...], ...]


def draw_events(world: World, days: int, seed: int, run: int) -> Events:
    rng = np.random.default_rng(run_seed(seed, run))
    rates = world.rates
    templates = world.arrival_templates
    n_families = rng.poisson(rates.families_per_day, size=days) if templates else np.zeros(days)
    n_openings = rng.poisson(rates.bed_openings_per_day, size=days)
    weights = world.opening_weight
    total = float(weights.sum())
    arrivals: list[tuple[int, ...]] = []
    openings: list[tuple[int, ...]] = []
    for d in range(days):
        k = int(n_families[d])
        picks = rng.integers(0, len(templates), size=k) if k else ()
        arrivals.append(tuple(templates[int(i)] for i in picks))
        m = int(n_openings[d]) if total > 0 else 0
        homes = rng.choice(len(weights), size=m, p=weights / total) if m else ()
        openings.append(tuple(int(h) for h in homes))
    return Events(tuple(arrivals), tuple(openings))


def keyed_uniform(seed: int, run: int, *key: int | str) -> float:
    """A uniform number in [0, 1) that depends only on its key (no shared stream)."""
    text = "\x1f".join(str(k) for k in (seed, run, *key)).encode()
    digest = hashlib.blake2b(text, digest_size=8).digest()
    (value,) = struct.unpack(">Q", digest)
    return float(value >> 11) / float(1 << 53)
