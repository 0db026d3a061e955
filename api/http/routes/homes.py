"""``/v1/homes``: providers register and maintain their homes; coordinators read them all."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from api.http.deps import CallerDep, ContextDep, UowDep
from api.http.routes.common import (
    ETAG_READ,
    IF_MATCH_CHANGE,
    IF_MATCH_REMOVAL,
    ROUTER_OPTIONS,
    IdPath,
    IfMatch,
    PageDep,
)
from api.schemas.homes import HomeCreate, HomeImportResult, HomePage, HomePublic, HomeUpdate
from api.services import homes
from api.services.errors import FieldProblem, InvalidInputError

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

__all__ = ["router"]

router = APIRouter(prefix="/v1/homes", tags=["homes"], **ROUTER_OPTIONS)


@router.post("", status_code=201, response_model=HomePublic)
def register_home(body: HomeCreate, caller: CallerDep, ctx: ContextDep) -> HomePublic:
    return homes.register_home(ctx.uow, caller, body, ctx.now)


@router.get("", response_model=HomePage)
def list_homes(caller: CallerDep, uow: UowDep, page: PageDep) -> HomePage:
    return homes.list_homes(uow, caller, page.offset, page.limit)


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


_CSV_TYPES = ("text/csv", "text/plain", "application/csv")
#: A form with more parts than this is not an upload of one CSV file.
_MAX_PARTS = 10


def _content_type(request: Request) -> str:
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() in ("multipart/form-data", *_CSV_TYPES):
        return content_type
    raise InvalidInputError(
        [
            FieldProblem(
                "content-type",
                "send the CSV as multipart/form-data (field 'file') or as text/csv",
                "header",
            )
        ]
    )


class _FilePart:
    """Collects the part named ``file`` of a multipart body, for python-multipart's parser."""

    def __init__(self) -> None:
        self.parts = 0
        self.data: bytearray | None = None
        self._headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self._wanted = False

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
        }

    def _begin(self) -> None:
        self.parts += 1
        if self.parts > _MAX_PARTS:
            raise MultipartParseError("too many parts")
        self._headers = {}
        self._wanted = False

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field = self._value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._wanted = options.get(b"name") == b"file" and self.data is None
        if self._wanted:
            self.data = bytearray()

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._wanted and self.data is not None:
            self.data += data[start:end]


def _csv_of(content_type: str, body: bytes) -> bytes:
    """The CSV file of an upload: the body, or its multipart field ``file``.

    Called in the worker thread: parsing a multipart body of several MiB is a tenth of a
    second of CPU and more, which on the event loop would stall every other request."""
    media_type, options = parse_options_header(content_type)
    if media_type != b"multipart/form-data":
        return body
    part = _FilePart()
    try:
        boundary = options.get(b"boundary")
        if not boundary:
            raise MultipartParseError("no boundary")
        parser = MultipartParser(boundary, part.callbacks())
        parser.write(body)
        parser.finalize()
    except MultipartParseError:
        raise InvalidInputError(
            [FieldProblem("$", "not a readable multipart/form-data body", "file")]
        ) from None
    if part.data is None:
        raise InvalidInputError(
            [FieldProblem("file", "a multipart field 'file' with the CSV is required")]
        )
    return bytes(part.data)


@router.post("/import", response_model=HomeImportResult, openapi_extra=_CSV_BODY)
async def import_homes(
    request: Request,
    caller: CallerDep,
    ctx: ContextDep,
) -> JSONResponse:
    content_type = _content_type(request)
    # The body has been read and counted against the byte limit already (BodySizeLimit):
    # this only joins its chunks.
    body = await request.body()

    def run() -> JSONResponse:
        data = _csv_of(content_type, body)
        result = homes.import_homes(
            ctx.uow, caller, data, ctx.now, max_rows=ctx.settings.max_import_rows
        )
        # Rendered here too: 100,000 ids are tens of milliseconds of JSON encoding.
        return JSONResponse(result.model_dump(mode="json"))

    # Extracting, parsing and validating a large file is seconds of CPU: all of it in a
    # worker thread, so that the event loop goes on serving other requests meanwhile.
    return await run_in_threadpool(run)


@router.get("/{home_id}", response_model=HomePublic, **ETAG_READ)
def get_home(home_id: IdPath, caller: CallerDep, uow: UowDep, response: Response) -> HomePublic:
    home, response.headers["ETag"] = homes.get_home(uow, caller, home_id)
    return home


@router.patch("/{home_id}", response_model=HomePublic, **IF_MATCH_CHANGE)
def update_home(
    home_id: IdPath,
    body: HomeUpdate,
    caller: CallerDep,
    ctx: ContextDep,
    response: Response,
    if_match: IfMatch = None,
) -> HomePublic:
    changes = body.model_dump(exclude_unset=True)
    home, response.headers["ETag"] = homes.update_home(
        ctx.uow, caller, home_id, changes, ctx.now, if_match=if_match
    )
    return home


@router.delete("/{home_id}", **IF_MATCH_REMOVAL)
def withdraw_home(
    home_id: IdPath, caller: CallerDep, ctx: ContextDep, if_match: IfMatch = None
) -> None:
    homes.withdraw_home(ctx.uow, caller, home_id, ctx.now, if_match=if_match)
