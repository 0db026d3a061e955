"""Render a municipality audit: CSV tables (pandas), PNG charts and a one-page HTML summary.

Everything rendered comes from an already suppressed :class:`~matching.audit.AuditReport`;
charts never draw a bar or point for a suppressed cell. The HTML page embeds its charts,
so it opens offline from the report folder or as a single attachment.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Literal

import matplotlib

matplotlib.use("Agg")  # no screen on servers; must precede pyplot

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from matching.audit import SUPPRESSED, AuditReport, Cell, histogram

__all__ = [
    "DISTANCE_EDGES",
    "chart_distances",
    "chart_trend",
    "chart_types",
    "metrics_frame",
    "write_report",
]

Lang = Literal["nl", "en"]
DISTANCE_EDGES = (0.0, 5.0, 10.0, 25.0, 50.0)

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
        "privacy": "Privacy: elk getal over minder dan 5 kinderen is vervangen door '<5', ook "
        "waar het uit totalen af te leiden zou zijn. Er staan geen gegevens van "
        "individuele kinderen in dit rapport.",
        "chart_distances": "Afstand tot de ouders (aantal kinderen)",
        "chart_trend": "Aandeel binnen 10 km, per maand",
        "chart_types": "Soort plek",
        "split_reasons": "Redenen voor het scheiden van broers en zussen",
        "children": "kinderen",
        "month": "maand",
        "engine_note": "De tweede kolom laat zien wat Dichtbij op hetzelfde moment met de "
        "beschikbare plekken had voorgesteld: het verschil is wat de capaciteit toeliet.",
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
        "privacy": "Privacy: every number about fewer than 5 children is replaced by '<5', "
        "also where it could be derived from totals. This report holds no data about "
        "individual children.",
        "chart_distances": "Distance to the parents (number of children)",
        "chart_trend": "Share within 10 km, per month",
        "chart_types": "Kind of home",
        "split_reasons": "Reasons for placing siblings apart",
        "children": "children",
        "month": "month",
        "engine_note": "The second column shows what Dichtbij would have proposed at the "
        "same time with the places that were free: the gap is what capacity allowed.",
    },
}


def _fmt(value: float | int | str | None, unit: str = "", lang: Lang = "nl") -> str:
    """A cell for people: shares as percentages, Dutch decimal commas; ``<5`` as is."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    text = f"{value * 100:.0f}%" if unit == "share" else str(value)
    return text.replace(".", ",") if lang == "nl" else text


def metrics_frame(report: AuditReport, lang: Lang = "nl") -> pd.DataFrame:
    """One row per metric: practice and the engine's counterpart, suppressed as ``<5``."""
    engine = {c.metric: c.shown for c in report.engine}
    rows = [
        {
            "metric": c.metric,
            "label": LABELS[lang].get(c.metric, c.metric),
            "practice": c.shown,
            "engine": engine.get(c.metric, ""),
            "unit": c.unit,
        }
        for c in report.practice
    ]
    return pd.DataFrame(rows, columns=["metric", "label", "practice", "engine", "unit"])


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _bar_labels(ax: Axes, cells: list[Cell]) -> list[float]:
    heights = [0.0 if c.suppressed else float(c.value or 0) for c in cells]
    bars = ax.bar([c.metric for c in cells], heights, color="#2b6f8f")
    for bar, c in zip(bars, cells, strict=True):
        label = SUPPRESSED if c.suppressed else str(c.value)
        ax.annotate(
            label,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=9,
        )
    return heights


def chart_distances(report: AuditReport, lang: Lang = "nl") -> bytes:
    cells = histogram(report.distances, DISTANCE_EDGES)
    fig, ax = plt.subplots(figsize=(6, 3.2))
    _bar_labels(ax, cells)
    ax.set_title(LABELS[lang]["chart_distances"])
    ax.set_ylabel(LABELS[lang]["children"])
    return _png(fig)


def chart_trend(report: AuditReport, lang: Lang = "nl") -> bytes:
    fig, ax = plt.subplots(figsize=(6, 3.2))
    months = [m for m, _, _ in report.monthly]
    values = [None if s.suppressed else s.value for _, _, s in report.monthly]
    # A hidden month is a gap (NaN), never a line drawn across it.
    ys = [float(v) * 100 if v is not None else float("nan") for v in values]
    ax.plot(range(len(ys)), ys, marker="o", color="#2b6f8f")
    for i, v in enumerate(values):
        if v is None:
            ax.annotate(SUPPRESSED, (i, 2), ha="center", fontsize=8, color="#777")
    ax.set_xticks(range(len(months)), months, rotation=45, ha="right")
    ax.set_ylim(0, 100)
    ax.set_ylabel("%")
    ax.set_title(LABELS[lang]["chart_trend"])
    return _png(fig)


def chart_types(report: AuditReport, lang: Lang = "nl") -> bytes:
    keys = ["placed_family_like", "placed_small_scale", "placed_residential"]
    short = {
        "nl": ["gezin", "kleinschalig", "groep"],
        "en": ["family", "small-scale", "residential"],
    }
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.2), sharey=True)
    for ax, engine, title in ((axes[0], False, "practice"), (axes[1], True, "engine")):
        cells = []
        for k, name in zip(keys, short[lang], strict=True):
            try:
                c = report.cell(k, engine=engine)
            except KeyError:
                c = Cell(k, None, True)
            cells.append(Cell(name, c.value, c.suppressed, c.unit))
        _bar_labels(ax, cells)
        ax.set_title(LABELS[lang][title], fontsize=9)
    fig.suptitle(LABELS[lang]["chart_types"])
    return _png(fig)


def _html(report: AuditReport, lang: Lang, charts: dict[str, bytes]) -> str:
    t = LABELS[lang]
    engine = {c.metric: c.shown for c in report.engine}
    rows = "\n".join(
        f"<tr><td>{html.escape(t.get(c.metric, c.metric))}</td>"
        f"<td>{_fmt(c.shown, c.unit, lang)}</td>"
        f"<td>{_fmt(engine.get(c.metric), c.unit, lang)}</td></tr>"
        for c in report.practice
    )
    reasons = "\n".join(
        f"<tr><td>{html.escape(c.metric.removeprefix('split_'))}</td>"
        f"<td>{_fmt(c.shown, c.unit, lang)}</td></tr>"
        for c in report.split_reasons
    )
    images = "\n".join(
        f'<figure><img alt="{html.escape(t[name])}" src="data:image/png;base64,'
        f'{base64.b64encode(png).decode()}"><figcaption>{html.escape(t[name])}</figcaption></figure>'
        for name, png in charts.items()
    )
    period = f"{report.period_from.isoformat()} – {report.period_to.isoformat()}"
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{html.escape(t["title"])}</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}
table{{border-collapse:collapse;margin:1rem 0}}
td,th{{border-bottom:1px solid #ddd;padding:.3rem .8rem;text-align:left}}
td+td,th+th{{text-align:right}}figure{{display:inline-block;margin:.5rem}}img{{max-width:28rem}}
.note{{color:#555;font-size:.9rem}}
</style></head><body>
<h1>{html.escape(t["title"])}</h1>
<p>{html.escape(t["municipalities"])}: {html.escape(", ".join(report.municipalities))} ·
{html.escape(t["period"])}: {period}</p>
<table><thead><tr><th>{html.escape(t["metric"])}</th><th>{html.escape(t["practice"])}</th>
<th>{html.escape(t["engine"])}</th></tr></thead><tbody>
{rows}
</tbody></table>
<p class="note">{html.escape(t["engine_note"])}</p>
{images}
<h2>{html.escape(t["split_reasons"])}</h2>
<table><tbody>{reasons}</tbody></table>
<p class="note">{html.escape(t["privacy"])}</p>
</body></html>
"""


def write_report(report: AuditReport, folder: Path, lang: Lang = "nl") -> list[Path]:
    """Write CSV files, PNG charts and ``index.html`` into ``folder``; returns the files."""
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
            {"month": m, "placed": p.shown, "share_within_10km": s.shown}
            for m, p, s in report.monthly
        ]
    ).to_csv(monthly, index=False)
    reasons = folder / "split_reasons.csv"
    pd.DataFrame(
        [
            {"reason": c.metric.removeprefix("split_"), "children": c.shown}
            for c in report.split_reasons
        ]
    ).to_csv(reasons, index=False)
    written += [metrics, monthly, reasons]
    for name, png in charts.items():
        path = folder / f"{name.removeprefix('chart_')}.png"
        path.write_bytes(png)
        written.append(path)
    page = folder / "index.html"
    page.write_text(_html(report, lang, charts), encoding="utf-8")
    written.append(page)
    return written
