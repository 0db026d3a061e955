"""``dichtbij simulate``: a region's months simulated under each placement policy, on Dask.

Parses the options, calls :func:`solver.simulation.simulate` and prints a table (Dutch
unless ``--lang en``) or, with ``--json``, the contract document of docs/spec/scenario.md.
On a terminal a progress bar runs on standard error (never with ``--json``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from api.cli.common import UsageError, os_problem, read_scenario, texts
from api.cli.output import number, table, write_json
from matching import Lang
from solver.simulation import (
    FIGURES,
    POLICIES,
    Assumptions,
    AssumptionsError,
    SchedulerError,
    build_world,
    simulate_world,
)

__all__ = ["run"]

_T = texts("simulate")


def _policies(text: str) -> list[str]:
    names = [p.strip() for p in text.split(",") if p.strip()]
    if not names:
        raise UsageError("--policies: name at least one policy")
    unknown = [p for p in names if p not in POLICIES]
    if unknown:
        raise UsageError(
            f"--policies: unknown policy '{unknown[0]}' (choose from {', '.join(POLICIES)})"
        )
    if len(set(names)) != len(names):
        raise UsageError("--policies: a policy is named twice")
    return names


def _assumptions(path: str | None) -> Assumptions:
    if path is None:
        return Assumptions()
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        match os_problem(exc):
            case "missing":
                raise UsageError(
                    f"--assumptions: cannot read '{path}': it does not exist"
                ) from None
            case "folder":
                raise UsageError(
                    f"--assumptions: cannot read '{path}': it is a folder, not a file"
                ) from None
            case "denied":
                raise UsageError(
                    f"--assumptions: cannot read '{path}': no permission to read it"
                ) from None
        raise UsageError(f"--assumptions: cannot read '{path}': {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        # In the scenario loader's words (matching/scenario.py), which the catalogue has in
        # Dutch: the parser's own message and its column left a Dutch line half English.
        raise UsageError(
            f"--assumptions: '{path}' is not JSON: {exc.msg} at line {exc.lineno}"
        ) from None
    except UnicodeDecodeError as exc:
        # A file saved as UTF-16 or Windows-1252 (Excel, Notepad) ended in a traceback.
        byte = exc.object[exc.start]
        raise UsageError(
            f"--assumptions: '{path}' is not UTF-8 text: byte 0x{byte:02x} at offset {exc.start}"
        ) from None
    try:
        return Assumptions.from_mapping(data)
    except AssumptionsError as exc:
        raise UsageError(f"--assumptions: {exc}") from None


def _scheduler(address: str | None) -> str | None:
    if address is None:
        return None
    if not address.startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
        raise UsageError(
            f"--scheduler: '{address}' is not a scheduler address such as tcp://HOST:8786"
        )
    return address


@contextmanager
def _progress(total: int, show: bool, label: str) -> Iterator[Callable[[], None] | None]:
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


def _print(doc: dict[str, Any], rates: tuple[float, float], lang: Lang, out: TextIO) -> None:
    t = _T[lang]
    out.write(t["title"].format(days=doc["days"], runs=doc["runs"], seed=doc["seed"]) + "\n")
    out.write(
        t["rates"].format(children=number(rates[0], lang, 0), beds=number(rates[1], lang, 0))
        + "\n\n"
    )

    def cell(fig: dict[str, Any], digits: int, signed: bool = False) -> str:
        if fig["mean"] is None:
            return "-"
        lo, hi = fig["ci95"]

        def num(x: float) -> str:
            x = 0.0 if round(x, digits) == 0 else x  # never "-0.00"
            text = number(x, lang, digits)
            return "+" + text if signed and x > 0 else text

        return f"{num(fig['mean'])} [{num(lo)}; {num(hi)}]"

    digits = {"siblings_together_share": 2}
    rows = [[t["policy"], *(t[f] for f in FIGURES)]]
    for name, figs in doc["policies"].items():
        rows.append([t[name], *(cell(figs[f], digits.get(f, 1)) for f in FIGURES)])
    table(rows, out)
    names = list(doc["policies"])
    if len(names) > 1:
        out.write("\n" + t["difference"].format(baseline=t[names[0]]) + "\n\n")
        rows = [[t["policy"], *(t[f] for f in FIGURES)]]
        for name in names[1:]:
            diff = doc["policies"][name]["difference"]
            rows.append([t[name], *(cell(diff[f], digits.get(f, 1), True) for f in FIGURES)])
        table(rows, out)


def run(args: argparse.Namespace, out: TextIO) -> None:
    policies = _policies(args.policies)
    scheduler = _scheduler(args.scheduler)
    assumptions = _assumptions(args.assumptions)
    world = build_world(read_scenario(args.scenario), assumptions)
    show = not args.json and sys.stderr.isatty()
    with _progress(args.runs * len(policies), show, _T[args.lang]["progress"]) as on_done:
        try:
            doc = simulate_world(
                world, args.days, args.runs, args.seed, policies, scheduler, on_done
            )
        except SchedulerError as exc:
            raise UsageError(str(exc)) from None
    if args.json:
        write_json(doc, out)
    else:
        rates = world.rates
        _print(
            doc, (rates.children_per_day * 365, rates.bed_openings_per_day * 365), args.lang, out
        )
