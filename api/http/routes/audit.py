"""``/v1/audit/proximity``: aggregate proximity metrics for municipalities, JSON, CSV or PNG."""

from __future__ import annotations

import io
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.db.uow import UnitOfWork
from api.http.deps import CallerDep, TodayDep, UowDep
from api.http.routes.common import ROUTER_OPTIONS
from api.reports.audit import chart_distances, chart_trend, chart_types, metrics_frame
from api.schemas.audit import ProximityPublic
from api.services import proximity
from api.services.access import Caller
from api.services.csv_formats import CsvFormat, in_format
from matching.audit import AuditReport
from matching.documents import Lang

__all__ = ["router"]

router = APIRouter(prefix="/v1/audit", tags=["audit"], **ROUTER_OPTIONS)


class _Area(BaseModel):
    """The query every proximity answer takes: the municipalities (or a region) and the
    period."""

    period_from: date = Field(alias="from")
    period_to: date = Field(alias="to")
    municipality: list[str] = Field(
        [], max_length=50, description="CBS code(s), repeated or comma-separated"
    )
    region: str | None = Field(None, description="A youth-care region, e.g. foodvalley")

    def report(self, uow: UnitOfWork, caller: Caller, today: date) -> AuditReport:
        codes = proximity.resolve_municipalities(self.municipality, self.region)
        return proximity.proximity_report(
            uow, caller, codes, self.period_from, self.period_to, today=today
        )


class _Table(_Area):
    """The query of the CSV file: the area, the language and the dialect of CSV."""

    lang: Lang = "nl"
    fmt: CsvFormat = Field(
        "csv",
        alias="format",
        description="csv (comma, decimal point, UTF-8) or excel-nl (semicolon, decimal "
        "comma, UTF-8 with BOM: opens in Dutch Excel as it is)",
    )


class _Chart(_Area):
    """The query of the chart: the area, which chart and the language."""

    chart: Literal["distances", "trend", "types"] = "distances"
    lang: Lang = "nl"


@router.get("/proximity", response_model=ProximityPublic, response_model_by_alias=True)
def get_proximity(
    caller: CallerDep, uow: UowDep, today: TodayDep, area: Annotated[_Area, Query()]
) -> ProximityPublic:
    report = area.report(uow, caller, today)
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
    "/proximity.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}}
)
def get_proximity_csv(
    caller: CallerDep, uow: UowDep, today: TodayDep, table: Annotated[_Table, Query()]
) -> Response:
    buffer = io.StringIO()
    metrics_frame(table.report(uow, caller, today), table.lang).to_csv(buffer, index=False)
    return Response(in_format(buffer.getvalue(), table.fmt), media_type="text/csv; charset=utf-8")


@router.get(
    "/proximity.png", response_class=Response, responses={200: {"content": {"image/png": {}}}}
)
def get_proximity_png(
    caller: CallerDep, uow: UowDep, today: TodayDep, chart: Annotated[_Chart, Query()]
) -> Response:
    draw = {"distances": chart_distances, "trend": chart_trend, "types": chart_types}[chart.chart]
    return Response(draw(chart.report(uow, caller, today), chart.lang), media_type="image/png")
