"""The municipality's planning page: the planning answers (:mod:`api.services.planning`)
as rows and sentences for people, in Dutch or English, with Babel numbers.

A suppressed count reads in words (never ``<5``, see :data:`PLANNING_HIDDEN`); a simulated figure
reads as its mean with its 95% interval, and each difference between policies is said in
words: clear, or possibly nothing but chance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.reports.audit import HIDDEN
from api.services.errors import FieldProblem, InvalidInputError
from api.web.i18n import Texts, catalogue
from matching.audit import SUPPRESSED
from matching.model import CareKind
from solver.simulation import POLICIES

__all__ = [
    "PLANNING_TEXTS",
    "PlanningForm",
    "capacity_rows",
    "parse_planning_form",
    "simulation_rows",
]

#: (Dutch, English) per text key of the planning page.
PLANNING_TEXTS = catalogue("planning")
_POLICY_NAMES = catalogue("policy_names")

#: Figure, its name, decimals, unit, and whether more is better (for the words).
_FIGURES: tuple[tuple[str, tuple[str, str], int, str], ...] = (
    ("children", ("Kinderen die een plek zochten", "Children who needed a place"), 1, ""),
    ("placed", ("Geplaatste kinderen", "Children placed"), 1, ""),
    ("placed_share", ("Aandeel geplaatst", "Share placed"), 0, "%"),
    ("waiting_days_median", ("Mediane wachttijd", "Median wait"), 1, "days"),
    (
        "distance_median_km",
        ("Mediane afstand tot de ouders", "Median distance to parents"),
        1,
        "km",
    ),
    ("siblings_together_share", ("Broers en zussen samen", "Siblings together"), 0, "%"),
    ("moves", ("Verhuizingen", "Moves"), 1, ""),
)


def text(t: Texts, key: str) -> str:
    nl, en = PLANNING_TEXTS[key]
    return nl if t.lang == "nl" else en


def policy_name(t: Texts, code: str) -> str:
    nl, en = _POLICY_NAMES.get(code, (code, code))
    return nl if t.lang == "nl" else en


@dataclass(frozen=True)
class PlanningForm:
    beds: int = 3
    points: int = 5
    days: int = 180
    runs: int = 5
    policies: tuple[str, ...] = ("practice", "batch-weekly")


def _int(
    form: dict[str, str],
    name: str,
    field: str,
    low: int,
    high: int,
    default: int,
    problems: list[FieldProblem],
) -> int:
    """The whole number typed at ``name``, or ``default`` when blank; a number out of
    bounds is added to ``problems`` (so that every field's problem is said at once)."""
    raw = form.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        problems.append(FieldProblem(f"$.{field}", f"a whole number from {low} to {high}"))
        return default
    return int(raw)


def parse_planning_form(form: dict[str, str]) -> PlanningForm:
    """The page's forms (Dutch field names) as bounded numbers; 422 naming every field
    that is wrong, all at once."""
    d = PlanningForm()
    problems: list[FieldProblem] = []
    chosen = tuple(p for p in (form.get("werkwijze") or "").split(",") if p)
    if any(p not in POLICIES for p in chosen):
        problems.append(FieldProblem("$.policies", f"among {', '.join(POLICIES)}"))
    parsed = PlanningForm(
        beds=_int(form, "bedden", "beds", 1, 100, d.beds, problems),
        points=_int(form, "laatste", "points", 0, 20, d.points, problems),
        days=_int(form, "dagen", "days", 1, 730, d.days, problems),
        runs=_int(form, "herhalingen", "runs", 1, 50, d.runs, problems),
        policies=tuple(dict.fromkeys(chosen)) or d.policies,
    )
    if problems:
        raise InvalidInputError(problems)
    return parsed


#: How a hidden planning figure reads. The answers write "<5" both for a count below 5
#: and for one hidden so that such a count cannot be worked out (placed 9 of 13 waiting
#: would give the 4 left waiting), so the words claim neither: "fewer than 5" would be
#: false for the second.
PLANNING_HIDDEN: dict[str, str] = {
    "nl": "verborgen (om kleine aantallen te beschermen)",
    "en": "hidden (to protect small numbers)",
}


def count(t: Texts, value: int | str) -> str:
    """A published count: a number, or hidden in words."""
    if value == SUPPRESSED or isinstance(value, str):
        return PLANNING_HIDDEN[t.lang]
    return t.number(value)


def capacity_rows(t: Texts, doc: dict[str, Any]) -> dict[str, Any]:
    by_municipality = [
        {
            "label": m["municipality_name"],
            "beds": t.number(m["extra_beds"]),
            "children": count(t, m["children"]),
        }
        for m in doc["by_municipality"]
    ]
    by_home_type = [
        {
            "label": t.home_type(h["home_type"]),
            "beds": t.number(h["extra_beds"]),
            "children": count(t, h["children"]),
        }
        for h in doc["by_home_type"]
    ]
    verified = doc["verified_placed"]
    counts = (doc["placed_before"], doc["placed_after"], doc["extra_placed"], verified)
    hidden = any(isinstance(c, str) for c in counts)
    summary = text(t, "plan_summary_hidden" if hidden else "plan_summary").format(
        before=count(t, doc["placed_before"]),
        used=t.number(doc["beds_used"]),
        beds=t.number(doc["beds"]),
        after=count(t, doc["placed_after"]),
        extra=count(t, doc["extra_placed"]),
        verified=count(t, verified) if isinstance(verified, str) else t.count(verified, "children"),
    )
    return {
        "by_municipality": by_municipality,
        "by_home_type": by_home_type,
        "summary": summary,
        "recruitment": [_profile(t, p) for p in doc["recruitment"]],
        # Extra beds add no part-time places: say so where such children are to recruit.
        "part_time": any(
            CareKind.PART_TIME.value in p["care_kind"].split(",") for p in doc["recruitment"]
        ),
    }


def _profile(t: Texts, profile: dict[str, Any]) -> str:
    """The profile's sentence without the CBS code, and a hidden count in words."""
    line = str(profile["text"])
    if profile["municipality"]:
        line = line.replace(f" ({profile['municipality']})", "")
    for noun in ("kinderen", "children"):
        line = line.replace(f"{SUPPRESSED} {noun}", HIDDEN[t.lang])
    return line


def frontier_rows(t: Texts, doc: dict[str, Any]) -> list[dict[str, str]]:
    """The frontier's points as rows; none where every count and distance is hidden (the
    sentence above the table says why), rather than a table of nothing but hidden cells."""
    points = doc["frontier"]
    if all(
        isinstance(p["placed"], str)
        and p["distance_mean_km"] is None
        and p["distance_median_km"] is None
        for p in points
    ):
        return []
    return [
        {
            "placed": count(t, p["placed"]),
            "mean": t.km(p["distance_mean_km"]),
            "median": t.km(p["distance_median_km"]),
        }
        for p in points
    ]


def _value(t: Texts, x: float | None, digits: int, unit: str) -> str:
    if x is None:
        return text(t, "no_value")
    if unit == "%":
        return t.percent(x)
    shown = t.number(x, digits)
    if unit == "km":
        return f"{shown} km"
    if unit == "days":
        return f"{shown} {'dagen' if t.lang == 'nl' else 'days'}"
    return shown


def _figure(t: Texts, fig: dict[str, Any], digits: int, unit: str) -> str:
    if fig.get("hidden"):
        return PLANNING_HIDDEN[t.lang]
    mean = _value(t, fig["mean"], digits, unit)
    low, high = fig["ci95"]
    if fig["mean"] is None or low is None or high is None or low == high:
        return mean
    return f"{mean} ({_value(t, low, digits, unit)} – {_value(t, high, digits, unit)})"


def simulation_rows(t: Texts, doc: dict[str, Any]) -> dict[str, Any]:
    """The simulation as a table (a row per figure, a column per policy) and sentences."""
    policies = list(doc["policies"])
    rows = []
    for key, names, digits, unit in _FIGURES:
        rows.append(
            {
                "label": names[0 if t.lang == "nl" else 1],
                "values": [_figure(t, doc["policies"][p][key], digits, unit) for p in policies],
            }
        )
    sentences = []
    base = policies[0]
    for p in policies[1:]:
        diff = doc["policies"][p].get("difference", {})
        for key, names, digits, unit in _FIGURES:
            fig = diff.get(key)
            if fig is None or fig.get("hidden") or fig["mean"] is None or fig["ci95"][0] is None:
                continue
            low, high = fig["ci95"]
            name = names[0 if t.lang == "nl" else 1]
            if low == high == fig["mean"] == 0:
                sentences.append(
                    text(t, "no_diff").format(
                        figure=name, policy=policy_name(t, p), base=policy_name(t, base)
                    )
                )
                continue
            clear = low > 0 or high < 0
            mean = fig["mean"]
            sign = "+" if mean > 0 else ""
            sentences.append(
                text(t, "clear_diff" if clear else "unclear_diff").format(
                    figure=name,
                    policy=policy_name(t, p),
                    base=policy_name(t, base),
                    diff=sign + _value(t, mean, digits, unit),
                    low=_value(t, low, digits, unit),
                    high=_value(t, high, digits, unit),
                )
            )
    about = text(t, "sim_about").format(
        days=t.count(doc["days"], "days"),
        runs=t.plural(
            doc["runs"], *(("herhaling", "herhalingen") if t.lang == "nl" else ("run", "runs"))
        ),
    )
    return {
        "policies": [policy_name(t, p) for p in policies],
        "rows": rows,
        "sentences": sentences,
        "about": about,
        "one_run": doc["runs"] < 2,
    }
