"""``/v1/homes``: providers register and maintain their homes; coordinators read them all."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.deps import NowDep, SettingsDep, UowDep, allowed
from api.problems import RATE_LIMITED_RESPONSES
from api.routes.common import ROUTER_OPTIONS, IdPath, Limit, Offset
from api.schemas.homes import HomeCreate, HomeImportResult, HomePage, HomePublic, HomeUpdate
from api.services import homes
from api.services.access import Action, Caller
from api.services.errors import FieldProblem, InvalidInputError

__all__ = ["router"]

router = APIRouter(prefix="/v1/homes", tags=["homes"], **ROUTER_OPTIONS)


@router.post("", status_code=201, response_model=HomePublic, summary="Register a home")
def register_home(
    body: HomeCreate,
    caller: Annotated[Caller, Depends(allowed(Action.HOME_CREATE))],
    uow: UowDep,
    now: NowDep,
) -> HomePublic:
    return homes.register_home(uow, caller, body, now)


@router.get("", response_model=HomePage, summary="List homes (a provider: its own)")
def list_homes(
    caller: Annotated[Caller, Depends(allowed(Action.HOME_LIST))],
    uow: UowDep,
    offset: Offset = 0,
    limit: Limit = 50,
) -> HomePage:
    return homes.list_homes(uow, caller, offset, limit)


_CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


async def _csv_bytes(request: Request) -> bytes:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        async with request.form(max_files=1, max_fields=10) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise InvalidInputError(
                    [FieldProblem("file", "a multipart field 'file' with the CSV is required")]
                )
            return await upload.read()
    if content_type in ("text/csv", "text/plain", "application/csv"):
        return await request.body()
    raise InvalidInputError(
        [
            FieldProblem(
                "content-type",
                "send the CSV as multipart/form-data (field 'file') or as text/csv",
                "header",
            )
        ]
    )


@router.post(
    "/import",
    response_model=HomeImportResult,
    summary="Register or replace many homes from a CSV file: all rows or none",
    openapi_extra=_CSV_BODY,
    responses=RATE_LIMITED_RESPONSES,
)
async def import_homes(
    request: Request,
    caller: Annotated[Caller, Depends(allowed(Action.HOME_IMPORT, limit="imports"))],
    uow: UowDep,
    now: NowDep,
    settings: SettingsDep,
) -> HomeImportResult:
    data = await _csv_bytes(request)
    # Parsing and validating a large file is seconds of CPU: in a worker thread, so the
    # event loop goes on serving other requests meanwhile.
    return await run_in_threadpool(
        homes.import_homes, uow, caller, data, now, max_rows=settings.max_import_rows
    )


@router.get("/{home_id}", response_model=HomePublic, summary="Read a home")
def get_home(
    home_id: IdPath,
    caller: Annotated[Caller, Depends(allowed(Action.HOME_READ))],
    uow: UowDep,
) -> HomePublic:
    return homes.get_home(uow, caller, home_id)


@router.patch("/{home_id}", response_model=HomePublic, summary="Change a home (e.g. beds_free)")
def update_home(
    home_id: IdPath,
    body: HomeUpdate,
    caller: Annotated[Caller, Depends(allowed(Action.HOME_UPDATE))],
    uow: UowDep,
    now: NowDep,
) -> HomePublic:
    return homes.update_home(uow, caller, home_id, body.model_dump(exclude_unset=True), now)


@router.delete(
    "/{home_id}", status_code=204, response_model=None, summary="Withdraw a home from the register"
)
def withdraw_home(
    home_id: IdPath,
    caller: Annotated[Caller, Depends(allowed(Action.HOME_WITHDRAW))],
    uow: UowDep,
    now: NowDep,
) -> None:
    homes.withdraw_home(uow, caller, home_id, now)
