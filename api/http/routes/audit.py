"""``/v1/audit/proximity``: aggregate proximity metrics for municipalities, JSON, CSV or PNG."""

from __future__ import annotations

import io
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.http.deps import UowDep, allowed
from api.http.routes.common import ROUTER_OPTIONS
from api.reports.audit import chart_distances, chart_trend, chart_types, metrics_frame
from api.schemas.audit import ProximityPublic
from api.services import proximity
from api.services.access import Action, Caller
from api.services.csv_formats import CsvFormat, in_format
from matching.audit import AuditReport

__all__ = ["router"]

router = APIRouter(prefix="/v1/audit", tags=["audit"], **ROUTER_OPTIONS)

Municipality = Annotated[
    list[str],
    Query(description="CBS code(s), repeated or comma-separated", max_length=50),
]
Region = Annotated[str | None, Query(description="A youth-care region, e.g. foodvalley")]
From = Annotated[date, Query(alias="from")]
To = Annotated[date, Query(alias="to")]
LangQuery = Annotated[Literal["nl", "en"], Query()]
FormatQuery = Annotated[
    CsvFormat,
    Query(
        alias="format",
        description="csv (comma, decimal point, UTF-8) or excel-nl (semicolon, decimal "
        "comma, UTF-8 with BOM: opens in Dutch Excel as it is)",
    ),
]
CallerDep = Annotated[Caller, Depends(allowed(Action.AUDIT_PROXIMITY))]


def _report(
    uow: UowDep, caller: Caller, municipality: list[str], region: str | None, start: date, end: date
) -> AuditReport:
    codes = proximity.resolve_municipalities(municipality, region)
    return proximity.proximity_report(uow, caller, codes, start, end)


@router.get(
    "/proximity",
    response_model=ProximityPublic,
    response_model_by_alias=True,
    summary="Proximity metrics for a municipality (or region), small numbers suppressed",
)
def get_proximity(
    caller: CallerDep,
    uow: UowDep,
    period_from: From,
    period_to: To,
    municipality: Municipality = [],  # noqa: B006 - FastAPI copies query defaults
    region: Region = None,
) -> ProximityPublic:
    report = _report(uow, caller, municipality, region, period_from, period_to)
    doc = report.to_json()
    view = proximity.own_region_view(uow, caller, report)
    if view is not None:
        doc["region"] = {
            "region": view.region,
            "municipalities": list(view.municipalities),
            "practice": {c.metric: c.shown for c in view.practice},
        }
    return ProximityPublic.model_validate(doc)


@router.get(
    "/proximity.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
    summary="The same metrics as CSV: practice and the engine's counterpart per row",
)
def get_proximity_csv(
    caller: CallerDep,
    uow: UowDep,
    period_from: From,
    period_to: To,
    municipality: Municipality = [],  # noqa: B006
    region: Region = None,
    lang: LangQuery = "nl",
    fmt: FormatQuery = "csv",
) -> Response:
    report = _report(uow, caller, municipality, region, period_from, period_to)
    buffer = io.StringIO()
    metrics_frame(report, lang).to_csv(buffer, index=False)
    return Response(in_format(buffer.getvalue(), fmt), media_type="text/csv; charset=utf-8")


@router.get(
    "/proximity.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
    summary="A chart: distances to parents, monthly share within 10 km, or the type mix",
)
def get_proximity_png(
    caller: CallerDep,
    uow: UowDep,
    period_from: From,
    period_to: To,
    municipality: Municipality = [],  # noqa: B006
    region: Region = None,
    chart: Annotated[Literal["distances", "trend", "types"], Query()] = "distances",
    lang: LangQuery = "nl",
) -> Response:
    report = _report(uow, caller, municipality, region, period_from, period_to)
    draw = {"distances": chart_distances, "trend": chart_trend, "types": chart_types}[chart]
    return Response(draw(report, lang), media_type="image/png")
