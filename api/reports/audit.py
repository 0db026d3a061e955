"""Render a municipality audit: CSV tables (pandas), PNG charts and a one-page HTML summary.

Everything rendered comes from an already suppressed :class:`~matching.audit.AuditReport`;
charts never draw a bar or point for a suppressed cell. The HTML page embeds its charts,
so it opens offline from the report folder or as a single attachment.
"""

from __future__ import annotations

import base64
import io
import itertools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")  # no screen on servers; must precede pyplot

import matplotlib.pyplot as plt
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from matching.audit import DISTANCE_EDGES, MIN_CELL, REGIONS, SUPPRESSED, AuditReport, Cell
from matching.documents import Lang
from matching.geo import postcode_table

if TYPE_CHECKING:
    from api.web.i18n import Texts


def _texts(lang: Lang) -> Texts:
    # Imported late: api.web's package imports its routes, which import this module.
    from api.web.i18n import Texts

    return Texts(lang)


__all__ = [
    "DISTANCE_EDGES",
    "HIDDEN",
    "HIDDEN_SECONDARY",
    "METRICS_COLUMNS",
    "ReportMeta",
    "cell_rows",
    "chart_distances",
    "chart_trend",
    "chart_types",
    "metrics_frame",
    "municipality_names",
    "page_context",
    "region_name",
    "render_html",
    "write_report",
]

#: Youth-care regions as people name them.
REGION_NAMES: dict[str, str] = {"foodvalley": "Regio Foodvalley"}

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "placed": "Geplaatste kinderen",
        "distance_median_km": "Afstand tot ouders, mediaan (km)",
        "distance_p75_km": "Afstand tot ouders, 75e percentiel (km)",
        "distance_p90_km": "Afstand tot ouders, 90e percentiel (km)",
        "share_within_5km": "Aandeel binnen 5 km van de ouders",
        "share_within_10km": "Aandeel binnen 10 km van de ouders",
        "share_within_25km": "Aandeel binnen 25 km van de ouders",
        "share_outside_own_municipality": "Aandeel buiten de eigen gemeente",
        "share_keeping_school": "Aandeel dat op de eigen school blijft",
        "placed_family_like": "Geplaatst in een gezinssituatie (netwerk, pleeggezin, gezinshuis)",
        "placed_small_scale": "Geplaatst in een kleinschalige voorziening",
        "placed_residential": "Geplaatst in een leef- of behandelgroep",
        "share_family_like": "Aandeel gezinssituatie",
        "share_small_scale": "Aandeel kleinschalig",
        "share_residential": "Aandeel leef- of behandelgroep",
        "children_in_sibling_groups": "Kinderen met broers/zussen geplaatst",
        "children_placed_with_all_siblings": "Samen met alle broers/zussen",
        "children_placed_apart_from_siblings": "Apart van broers/zussen",
        "share_of_sibling_children_kept_together": "Aandeel broers/zussen samen",
        "breakdowns": "Voortijdig beëindigde plaatsingen (breakdown)",
        "waiting_at_end": "Wachtende kinderen aan het eind van de periode",
        "waiting_days_median": "Wachttijd, mediaan (dagen)",
        "title": "Hoe dicht bij huis worden onze kinderen geplaatst?",
        "period": "Periode",
        "municipalities": "Gemeente(n)",
        "metric": "Kengetal",
        "practice": "Praktijk",
        "engine": "Wat Dichtbij had voorgesteld",
        "privacy": "Privacy: een getal over minder dan 5 kinderen is verborgen en staat er als "
        "'verborgen (minder dan 5 kinderen)'. Waar het uit een totaal af te leiden zou zijn, "
        "is ook een groter getal verborgen, of elk getal van dat totaal: 'verborgen (om een "
        "kleine groep te beschermen)'. "
        "Een verborgen mediaan of percentage zegt dus niets over de waarde zelf. Er staan geen "
        "gegevens van individuele kinderen in dit rapport.",
        "chart_distances": "Afstand tot de ouders: praktijk en Dichtbij (aantal kinderen)",
        "chart_trend": "Aandeel binnen 10 km van de ouders, door de tijd",
        "chart_types": "Soort plek: praktijk en Dichtbij (dezelfde kinderen)",
        "band": "Afstand tot de ouders",
        "kind_of_home": "Soort plek",
        "chart_alt": "Staafdiagram '{chart}'; de aantallen staan in de tabel met die naam "
        "onder de grafieken.",
        "trend_alt": "Lijndiagram '{chart}'; de cijfers staan in de tabel 'Verloop door de tijd'.",
        "band_note": "Een band loopt tot en met zijn bovengrens: 5–10 km is meer dan 5 en "
        "hoogstens 10 km, zoals 'binnen 5 km' in de tabel hierboven.",
        "split_reasons": "Redenen voor het scheiden van broers en zussen",
        "children": "kinderen",
        "month": "Maand",
        "quarter": "Kwartaal",
        "region": "Regio",
        "made_on": "Gemaakt op",
        "simulated_title": "Let op: gesimuleerde gegevens",
        "simulated_body": "De plaatsingen in dit rapport zijn gesimuleerd voor een demonstratie. "
        "Het zijn geen echte kinderen en geen echte plaatsingen; trek er geen conclusies uit.",
        "practice_heading": "De praktijk: alle kinderen die in de periode zijn geplaatst",
        "compare_heading": "Praktijk naast Dichtbij, over dezelfde kinderen",
        "practice_same": "Praktijk (dezelfde kinderen)",
        "practice_all": "Praktijk (alle kinderen)",
        "region_rule": "De regio is opgeteld over alle gemeenten van de regio: {towns}. Een "
        "regiocijfer is ook verborgen als het deel van de andere gemeenten minder dan 5 "
        "kinderen telt, zodat niemand hun kleine aantallen kan terugrekenen. Cijfers van een "
        "andere gemeente afzonderlijk zijn niet te zien.",
        "charts": "Grafieken",
        "trend_heading": "Verloop door de tijd",
        "partial": "deels",
        "partial_note": "Deels in de gekozen periode (gearceerd in de grafiek, 'deels' in de "
        "tabel): {periods}. Hun cijfers tellen alleen de plaatsingen binnen de periode, dus "
        "vergelijk ze niet zomaar met de hele perioden ernaast.",
        "partial_from": "{period} (vanaf {day})",
        "partial_to": "{period} (tot en met {day})",
        "partial_within": "{period} (van {start} tot en met {end})",
        "engine_note": "Wat Dichtbij had voorgesteld is alleen bekend voor kinderen die via een "
        "voorstel in Dichtbij zijn geplaatst. Beide kolommen hieronder tellen daarom alleen die "
        "kinderen; een kleiner aantal betekent niet dat Dichtbij minder kinderen plaatst.",
        "engine_counts": "Dat zijn er {paired} van de {total} in deze periode.",
        "engine_few": "Van hoeveel kinderen dat zijn, is verborgen omdat het er te weinig zijn.",
        "engine_none": "Voor geen enkel kind in deze periode is een voorstel van Dichtbij "
        "vastgelegd; er is dus niets te vergelijken.",
    },
    "en": {
        "placed": "Children placed",
        "distance_median_km": "Distance to parents, median (km)",
        "distance_p75_km": "Distance to parents, 75th percentile (km)",
        "distance_p90_km": "Distance to parents, 90th percentile (km)",
        "share_within_5km": "Share within 5 km of the parents",
        "share_within_10km": "Share within 10 km of the parents",
        "share_within_25km": "Share within 25 km of the parents",
        "share_outside_own_municipality": "Share outside their own municipality",
        "share_keeping_school": "Share keeping their school",
        "placed_family_like": "Placed in a family setting (network, foster, family home)",
        "placed_small_scale": "Placed in a small-scale home",
        "placed_residential": "Placed in a residential group",
        "share_family_like": "Share in a family setting",
        "share_small_scale": "Share small-scale",
        "share_residential": "Share residential",
        "children_in_sibling_groups": "Children placed who have siblings",
        "children_placed_with_all_siblings": "Together with all siblings",
        "children_placed_apart_from_siblings": "Apart from siblings",
        "share_of_sibling_children_kept_together": "Share of siblings kept together",
        "breakdowns": "Placements that broke down",
        "waiting_at_end": "Children waiting at the end of the period",
        "waiting_days_median": "Waiting time, median (days)",
        "title": "How close to home are our children placed?",
        "period": "Period",
        "municipalities": "Municipality (or municipalities)",
        "metric": "Metric",
        "practice": "Practice",
        "engine": "What Dichtbij would have proposed",
        "privacy": "Privacy: a number about fewer than 5 children is hidden and reads "
        "'hidden (fewer than 5 children)'. Where it could be worked out from a total, a larger "
        "number is hidden too, or every number of that total: 'hidden (to protect a small "
        "group)'. A hidden "
        "median or share therefore says nothing about its value. This report holds no data "
        "about individual children.",
        "chart_distances": "Distance to the parents: practice and Dichtbij (number of children)",
        "chart_trend": "Share within 10 km of the parents, over time",
        "chart_types": "Kind of home: practice and Dichtbij (the same children)",
        "band": "Distance to the parents",
        "kind_of_home": "Kind of home",
        "chart_alt": "Bar chart '{chart}'; the numbers are in the table of that name below "
        "the charts.",
        "trend_alt": "Line chart '{chart}'; the figures are in the table 'Over time'.",
        "band_note": "A band runs up to and including its upper edge: 5–10 km is more than 5 "
        "and at most 10 km, as 'within 5 km' in the table above.",
        "split_reasons": "Reasons for placing siblings apart",
        "children": "children",
        "month": "Month",
        "quarter": "Quarter",
        "region": "Region",
        "made_on": "Made on",
        "simulated_title": "Note: simulated data",
        "simulated_body": "The placements in this report were simulated for a demonstration. "
        "They are not real children or real placements; draw no conclusions from them.",
        "practice_heading": "Practice: all children placed in the period",
        "compare_heading": "Practice beside Dichtbij, over the same children",
        "practice_same": "Practice (the same children)",
        "practice_all": "Practice (all children)",
        "region_rule": "The region adds up all its municipalities: {towns}. A region figure is "
        "also hidden where the other municipalities' part counts fewer than 5 children, so "
        "that nobody can work out their small numbers. Another municipality's own figures "
        "are never shown.",
        "charts": "Charts",
        "trend_heading": "Over time",
        "partial": "partial",
        "partial_note": "Partly in the chosen period (hatched in the chart, 'partial' in the "
        "table): {periods}. Their figures count only the placements within the period, so do "
        "not compare them as they are with the whole periods beside them.",
        "partial_from": "{period} (from {day})",
        "partial_to": "{period} (up to {day})",
        "partial_within": "{period} ({start} to {end})",
        "engine_note": "What Dichtbij would have proposed is known only for children placed "
        "through a proposal in Dichtbij. Both columns below therefore count only those "
        "children; a smaller number does not mean that Dichtbij places fewer children.",
        "engine_counts": "That is {paired} of the {total} in this period.",
        "engine_few": "How many children that is, is hidden because there are too few.",
        "engine_none": "No proposal by Dichtbij was recorded for any child in this period; "
        "there is nothing to compare.",
    },
}


#: How a hidden cell reads: never "<5", which beside a median reads as "under 5 days".
HIDDEN: dict[str, str] = {
    "nl": f"verborgen (minder dan {MIN_CELL} kinderen)",
    "en": f"hidden (fewer than {MIN_CELL} children)",
}
#: A cell hidden only so that a small one beside it cannot be worked out from the total
#: (secondary suppression): it is not small itself, so it must not say so.
HIDDEN_SECONDARY: dict[str, str] = {
    "nl": "verborgen (om een kleine groep te beschermen)",
    "en": "hidden (to protect a small group)",
}

SPLIT_REASONS: dict[str, tuple[str, str]] = {
    "specialist_care": ("Specialistische zorg nodig", "Specialist care needed"),
    "sibling_threat": ("Gevaar voor een broer of zus", "A danger to a sibling"),
    "severe_conflict": (
        "Ernstig conflict tussen broers/zussen",
        "Severe conflict between siblings",
    ),
    "sexual_abuse_suspected": ("Vermoeden van seksueel misbruik", "Sexual abuse suspected"),
    "other": ("Andere vastgelegde reden", "Another recorded reason"),
    "not_recorded": ("Geen reden vastgelegd", "No reason recorded"),
}


@dataclass(frozen=True)
class ReportMeta:
    """What the numbers alone do not say: names, region, the date made, simulated data."""

    made_on: date
    simulated: bool = False
    names: dict[str, str] = field(default_factory=dict)  # CBS code -> name; table otherwise


def _cell(cell: Cell, lang: Lang) -> str:
    """A cell for people, a hidden one in the words of why it is hidden."""
    if cell.suppressed and cell.secondary:
        return HIDDEN_SECONDARY[lang]
    return _fmt(cell.shown, cell.unit, lang)


def _fmt(value: float | int | str | None, unit: str = "", lang: Lang = "nl") -> str:
    """A cell for people: Babel numbers and percentages; a hidden cell in words."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return HIDDEN[lang] if value == SUPPRESSED else value
    texts = _texts(lang)
    if unit == "share":
        return texts.percent(float(value))
    # A distance always with its tenth: 21 km beside 8,3 km read as rounded differently.
    if unit == "km" or (isinstance(value, float) and not value.is_integer()):
        return texts.number(value, 1)
    return texts.number(value)


def municipality_names(codes: tuple[str, ...] | list[str], names: dict[str, str]) -> list[str]:
    """Names for CBS codes, from ``names`` or the postcode table; a code only if unknown."""
    table = postcode_table().municipality_names()
    return [names.get(c) or table.get(c) or c for c in codes]


def region_name(codes: tuple[str, ...] | list[str]) -> str | None:
    """'Regio Foodvalley' when the codes are exactly one youth-care region."""
    for key, members in REGIONS.items():
        if set(codes) == set(members):
            return REGION_NAMES.get(key, key)
    return None


#: The CSV's columns: the first five as they always were (outside readers rely on them),
#: then practice over the same children as ``engine``, the column to compare it with.
METRICS_COLUMNS = (
    "metric",
    "label",
    "practice",
    "engine",
    "unit",
    "practice_same_children_as_engine",
)


def metrics_frame(report: AuditReport, lang: Lang = "nl") -> pd.DataFrame:
    """One row per metric: practice over all children, the engine's counterpart and
    practice over the same children as the engine (only children placed through a recorded
    proposal have one), as the screen compares them; hidden cells as ``<5`` or ``hidden``.

    ``engine`` beside ``practice`` compares different groups of children; beside
    ``practice_same_children_as_engine`` it compares like with like."""
    engine = {c.metric: c.written for c in report.engine}
    paired = {c.metric: c.written for c in report.paired_practice}
    rows = [
        {
            "metric": c.metric,
            "label": LABELS[lang].get(c.metric, c.metric),
            "practice": c.written,
            "engine": engine.get(c.metric, ""),
            "unit": c.unit,
            "practice_same_children_as_engine": paired.get(c.metric, ""),
        }
        for c in report.practice
    ]
    return pd.DataFrame(rows, columns=list(METRICS_COLUMNS))


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


PRACTICE_COLOUR = "#2b6f8f"
ENGINE_COLOUR = "#b35c00"
CHART_HIDDEN = {"nl": "verborgen (< 5 kinderen)", "en": "hidden (< 5 children)"}
CHART_HIDDEN_SECONDARY = {"nl": "verborgen (bescherming)", "en": "hidden (protection)"}


def _chart_hidden(cell: Cell, lang: Lang) -> str:
    """A hidden bar or point's label: small, or hidden to protect a small one."""
    return (CHART_HIDDEN_SECONDARY if cell.secondary else CHART_HIDDEN)[lang]


def _bars(
    ax: Axes, cells: list[Cell], lang: Lang, offset: float = 0.0, width: float = 0.8, **kw: Any
) -> None:
    """Bars with their numbers; a hidden cell has no bar and says so, never a height."""
    xs = [i + offset for i in range(len(cells))]
    heights = [0.0 if c.suppressed else float(c.value or 0) for c in cells]
    bars = ax.bar(xs, heights, width=width, **kw)
    for bar, c in zip(bars, cells, strict=True):
        label = _chart_hidden(c, lang) if c.suppressed else _texts(lang).number(float(c.value or 0))
        ax.annotate(
            label,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
            rotation=90 if c.suppressed else 0,
        )


def _bin_names(lang: Lang) -> list[str]:
    """The distance bands as the chart and its table name them: up to and including the
    upper edge (:func:`matching.audit.distance_band`), so "5–10 km" is above 5, up to 10."""
    edges = [_texts(lang).number(e) for e in DISTANCE_EDGES]
    names = [f"{lo}–{hi} km" for lo, hi in itertools.pairwise(edges[1:])]
    return [f"≤ {edges[1]} km", *names, f"> {edges[-1]} km"]


def _distance_series(report: AuditReport, lang: Lang) -> list[tuple[str, list[Cell], str]]:
    """The distance chart's series (name, suppressed cells per band, colour); its table
    shows the same cells. The bands come suppressed with each column's shares within 5, 10
    and 25 km (:func:`matching.audit.within_cells`), never binned afresh here: the shares
    are sums of the first bands."""
    t = LABELS[lang]
    series = [(t["practice_all"], list(report.distance_bands), "#9dbfd0")]
    if report.engine_distances:
        series += [
            (t["practice_same"], list(report.paired_distance_bands), PRACTICE_COLOUR),
            (t["engine"], list(report.engine_distance_bands), ENGINE_COLOUR),
        ]
    return series


_TYPE_KEYS = ("placed_family_like", "placed_small_scale", "placed_residential")


def _type_series(report: AuditReport, lang: Lang) -> list[tuple[str, list[Cell], str]]:
    """The kind-of-home chart's series: practice and the engine over the same children."""
    t = LABELS[lang]
    paired = {c.metric: c for c in report.paired_practice}
    engine = {c.metric: c for c in report.engine}
    return [
        (name, [cells.get(k, Cell(k, None, True)) for k in _TYPE_KEYS], colour)
        for name, cells, colour in (
            (t["practice_same"], paired, PRACTICE_COLOUR),
            (t["engine"], engine, ENGINE_COLOUR),
        )
    ]


def chart_distances(report: AuditReport, lang: Lang = "nl") -> bytes:
    """Children per distance band: all placed children, and practice beside Dichtbij over
    the children that have both."""
    t = LABELS[lang]
    fig, ax = plt.subplots(figsize=(6, 3.2))
    names = _bin_names(lang)
    series = _distance_series(report, lang)
    width = 0.8 / len(series)
    for i, (label, cells, colour) in enumerate(series):
        offset = (i - (len(series) - 1) / 2) * width
        _bars(ax, cells, lang, offset, width, color=colour, label=label)
    ax.set_xticks(range(len(names)), names)
    ax.set_title(t["chart_distances"])
    ax.set_ylabel(t["children"])
    ax.legend(fontsize=8)
    return _png(fig)


def chart_trend(report: AuditReport, lang: Lang = "nl") -> bytes:
    """The share within 10 km per month, or per quarter where months are too small."""
    quarters, trend = _trend(report)
    fig, ax = plt.subplots(figsize=(6, 3.2))
    partial = [report.partial(p) for p, _, _ in trend]
    # A period the chosen dates cut is hatched, its point hollow and its label says so:
    # its figure counts only part of its days (the page names them under the chart).
    labels = [
        _period_label(p, quarters, lang) + (f" ({LABELS[lang]['partial']})" if cut else "")
        for (p, _, _), cut in zip(trend, partial, strict=True)
    ]
    for i, cut in enumerate(partial):
        if cut:
            ax.axvspan(i - 0.45, i + 0.45, facecolor="none", hatch="///", edgecolor="#c8c8c8", lw=0)
    values = [None if s.suppressed else s.value for _, _, s in trend]
    # A hidden period is a gap (NaN), never a line drawn across it.
    ys = [float(v) * 100 if v is not None else float("nan") for v in values]
    ax.plot(range(len(ys)), ys, marker="o", color=PRACTICE_COLOUR)
    cut_at = [i for i, cut in enumerate(partial) if cut]
    ax.plot(
        cut_at,
        [ys[i] for i in cut_at],
        linestyle="none",
        marker="o",
        markerfacecolor="white",
        color=PRACTICE_COLOUR,
    )
    nobody = {"nl": "geen plaatsingen", "en": "no placements"}[lang]
    for i, (_, _, share) in enumerate(trend):
        if share.suppressed or share.value is None:
            # Upright above the period's tick, inside the plot: never across the y-axis.
            label = _chart_hidden(share, lang) if share.suppressed else nobody
            ax.annotate(
                label, (i, 3), ha="center", va="bottom", rotation=90, fontsize=8, color="#555"
            )
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.set_ylim(0, 100)
    # Tick labels as the tables write a share (Babel: "50 %" in Dutch, "50%" in English).
    texts = _texts(lang)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: texts.percent(y / 100)))
    ax.set_title(LABELS[lang]["chart_trend"])
    return _png(fig)


def chart_types(report: AuditReport, lang: Lang = "nl") -> bytes:
    """Kind of home, practice beside Dichtbij over the same children."""
    t = LABELS[lang]
    fig, ax = plt.subplots(figsize=(6, 3.2))
    for i, (label, cells, colour) in enumerate(_type_series(report, lang)):
        _bars(ax, cells, lang, (i - 0.5) * 0.4, 0.4, color=colour, label=label)
    ax.set_xticks(range(len(_TYPE_KEYS)), _TYPE_SHORT[lang])
    ax.set_ylabel(t["children"])
    ax.set_title(t["chart_types"])
    ax.legend(fontsize=8)
    return _png(fig)


_TYPE_SHORT = {
    "nl": ["gezin", "kleinschalig", "groep"],
    "en": ["family", "small-scale", "residential"],
}


_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
)

_COMPARED = (
    "placed",
    "distance_median_km",
    "distance_p75_km",
    "share_within_5km",
    "share_within_10km",
    "share_within_25km",
    "share_outside_own_municipality",
    "share_keeping_school",
    "share_family_like",
    "share_small_scale",
    "share_residential",
    "share_of_sibling_children_kept_together",
)


def _count_of(cell: Cell) -> int | None:
    return None if cell.suppressed or cell.value is None else int(cell.value)


def _engine_note(report: AuditReport, lang: Lang) -> str:
    texts = _texts(lang)
    total = _count_of(report.cell("placed"))
    paired = _count_of(report.cell("placed", engine=True)) if report.engine else 0
    if not report.engine or paired == 0:
        return LABELS[lang]["engine_none"]
    if total is None or paired is None:
        counts = LABELS[lang]["engine_few"]
    else:
        counts = LABELS[lang]["engine_counts"].format(
            paired=texts.number(paired), total=texts.count(total, "children")
        )
    return f"{LABELS[lang]['engine_note']} {counts}"


def _trend(report: AuditReport) -> tuple[bool, list[tuple[str, Cell, Cell]]]:
    """Months if enough of them can be shown; quarters otherwise (one small municipality)."""
    months = list(report.monthly)
    hidden = sum(1 for _, placed, share in months if share.suppressed)
    if report.quarterly and months and hidden * 2 > len(months):
        return True, list(report.quarterly)
    return False, months


def _partial(report: AuditReport, period: str, quarters: bool, lang: Lang) -> str | None:
    """How a period the report's dates cut reads in the note ('april 2026 (vanaf 15 april
    2026)'), or None for a whole one: its figures count only part of its days."""
    starts, ends = report.cut(period)
    if not starts and not ends:
        return None
    t, texts = LABELS[lang], _texts(lang)
    label = _period_label(period, quarters, lang)
    if starts and ends:
        return t["partial_within"].format(
            period=label, start=texts.date(report.period_from), end=texts.date(report.period_to)
        )
    if starts:
        return t["partial_from"].format(period=label, day=texts.date(report.period_from))
    return t["partial_to"].format(period=label, day=texts.date(report.period_to))


def _period_label(period: str, quarters: bool, lang: Lang) -> str:
    if quarters:
        year, q = period.split("-Q")
        return f"{'K' if lang == 'nl' else 'Q'}{q} {year}"
    return _texts(lang).month(period)


def _partial_note(
    report: AuditReport, trend: list[tuple[str, Cell, Cell]], quarters: bool, lang: Lang
) -> str | None:
    """The sentence under the trend naming the periods the chosen dates cut, or None."""
    cut = [w for w in (_partial(report, p, quarters, lang) for p, _, _ in trend) if w]
    if not cut:
        return None
    return LABELS[lang]["partial_note"].format(periods=_texts(lang).listed(cut))


def page_context(report: AuditReport, lang: Lang, meta: ReportMeta) -> dict[str, Any]:
    """Everything the page shows apart from its charts, formatted; the municipality screen
    renders the same pieces, so the report and the screen cannot drift apart."""
    t = LABELS[lang]
    texts = _texts(lang)
    engine = {c.metric: c for c in report.engine}
    paired = {c.metric: c for c in report.paired_practice}
    names = municipality_names(report.municipalities, meta.names)
    quarters, trend = _trend(report)
    return {
        "lang": lang,
        "t": t,
        "place": ", ".join(names),
        "region": region_name(report.municipalities),
        "period": f"{texts.date(report.period_from)} – {texts.date(report.period_to)}",
        "made_on": texts.date(meta.made_on),
        "simulated": meta.simulated,
        "practice_rows": [
            {
                "label": t.get(c.metric, c.metric),
                "practice": _cell(c, lang),
                "hidden": c.suppressed,
            }
            for c in report.practice
        ],
        "engine_note": _engine_note(report, lang),
        "compare_rows": [
            {
                "label": t[m],
                "practice": _cell(paired[m], lang),
                "practice_hidden": paired[m].suppressed,
                "engine": _cell(engine[m], lang),
                "engine_hidden": engine[m].suppressed,
            }
            for m in _COMPARED
            if m in engine and m in paired
        ],
        "trend_unit": t["quarter" if quarters else "month"],
        "trend_note": _partial_note(report, trend, quarters, lang),
        "trend_rows": [
            {
                "period": _period_label(period, quarters, lang)
                + (f" ({t['partial']})" if report.partial(period) else ""),
                "partial": report.partial(period),
                "placed": _cell(placed, lang),
                "placed_hidden": placed.suppressed,
                "share": _cell(share, lang),
                "share_hidden": share.suppressed,
            }
            for period, placed, share in trend
        ],
        "chart_tables": _chart_tables(report, lang),
        "reason_rows": [
            {
                "label": _reason(c.metric.removeprefix("split_"), lang),
                "value": _cell(c, lang),
                "hidden": c.suppressed,
            }
            for c in report.split_reasons
        ],
    }


def _chart_tables(report: AuditReport, lang: Lang) -> list[dict[str, Any]]:
    """Each bar chart's numbers as a table (the charts' text alternative points to them):
    one row per band or kind of home, one column per series, hidden cells in words."""
    t = LABELS[lang]
    tables = []
    for key, head, rows, series in (
        ("chart_distances", t["band"], _bin_names(lang), _distance_series(report, lang)),
        ("chart_types", t["kind_of_home"], [t[k] for k in _TYPE_KEYS], _type_series(report, lang)),
    ):
        if key == "chart_types" and not report.engine:
            continue  # nothing to compare: the page says so above
        tables.append(
            {
                "key": key,
                "head": head,
                "caption": t[key],
                "alt": t["chart_alt"].format(chart=t[key]),
                "columns": [name for name, _, _ in series],
                # The screen's table macro: a heading, then one number column per series.
                "heads": [head, *({"num": name} for name, _, _ in series)],
                "rows": [
                    {
                        "label": label,
                        "cells": [
                            {"value": _cell(cells[i], lang), "hidden": cells[i].suppressed}
                            for _, cells, _ in series
                        ],
                    }
                    for i, label in enumerate(rows)
                ],
            }
        )
    return tables


def cell_rows(cells: tuple[Cell, ...] | list[Cell], lang: Lang) -> list[dict[str, Any]]:
    """Label, formatted value and whether hidden, for any list of practice cells."""
    t = LABELS[lang]
    return [
        {
            "metric": c.metric,
            "label": t.get(c.metric, c.metric),
            "value": _cell(c, lang),
            "hidden": c.suppressed,
        }
        for c in cells
    ]


def render_html(report: AuditReport, lang: Lang, charts: dict[str, bytes], meta: ReportMeta) -> str:
    """The one-page summary, rendered by Jinja2 with autoescape on."""
    t = LABELS[lang]
    return _env.get_template("audit.html").render(
        **page_context(report, lang, meta),
        charts=[
            {
                "alt": t["trend_alt" if name == "chart_trend" else "chart_alt"].format(
                    chart=t[name]
                ),
                "caption": t[name],
                "data": base64.b64encode(png).decode(),
            }
            for name, png in charts.items()
        ],
    )


def _reason(code: str, lang: Lang) -> str:
    pair = SPLIT_REASONS.get(code)
    return code if pair is None else pair[0 if lang == "nl" else 1]


def write_report(
    report: AuditReport, folder: Path, lang: Lang = "nl", meta: ReportMeta | None = None
) -> list[Path]:
    """Write CSV files, PNG charts and ``index.html`` into ``folder``; returns the files.

    Without ``meta`` the page is dated today and not marked simulated: callers that read
    the database pass what it records (see :func:`api.services.proximity.history_simulated`).
    """
    meta = meta or ReportMeta(made_on=date.today())
    folder.mkdir(parents=True, exist_ok=True)
    charts = {
        "chart_distances": chart_distances(report, lang),
        "chart_trend": chart_trend(report, lang),
        "chart_types": chart_types(report, lang),
    }
    written = []
    metrics = folder / "metrics.csv"
    metrics_frame(report, lang).to_csv(metrics, index=False)
    monthly = folder / "monthly.csv"
    pd.DataFrame(
        [
            {
                "month": m,
                "placed": p.written,
                "share_within_10km": s.written,
                "partial": report.partial(m),
            }
            for m, p, s in report.monthly
        ]
    ).to_csv(monthly, index=False)
    reasons = folder / "split_reasons.csv"
    pd.DataFrame(
        [
            {"reason": c.metric.removeprefix("split_"), "children": c.written}
            for c in report.split_reasons
        ]
    ).to_csv(reasons, index=False)
    written += [metrics, monthly, reasons]
    for name, png in charts.items():
        path = folder / f"{name.removeprefix('chart_')}.png"
        path.write_bytes(png)
        written.append(path)
    page = folder / "index.html"
    page.write_text(render_html(report, lang, charts, meta), encoding="utf-8")
    written.append(page)
    return written
