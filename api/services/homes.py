"""Homes: register, read, update (free beds above all), withdraw, list and import from CSV.

A provider works on its own organisation's homes only; another organisation's home is
"not found". Coordinators read every active home, because they match against all of them,
but a network foster home's ``known_to`` only as far as it names their own children: the
other ids are another organisation's children, and which family knows them is theirs.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pandas as pd
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from api.db.mappers import home_fields, home_values
from api.db.tables import HomeRow
from api.db.uow import Tx, UnitOfWork
from api.schemas.homes import HomeImportResult, HomePage, HomePublic, HomeUpdate
from api.services.access import Caller, Role
from api.services.errors import (
    ConflictError,
    FieldProblem,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    domain_problem,
    json_path,
    safe_reason,
)
from api.services.proposals import OPEN_STATUSES
from api.services.versions import check_if_match, etag_of
from matching.model import CARE_DOMAINS
from matching.scenario import HomeIn, Problem, home_from_schema

__all__ = [
    "get_home",
    "import_homes",
    "list_homes",
    "register_home",
    "update_home",
    "withdraw_home",
]


def public(row: HomeRow, known_to: list[str] | None = None) -> HomePublic:
    fields = home_fields(row)
    if known_to is not None:
        fields["known_to"] = known_to
    return HomePublic.model_validate(
        {
            **fields,
            "beds_held": row.beds_held,
            "beds_check_requested_at": row.beds_check_requested_at,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
    )


def _publics(tx: Tx, caller: Caller, rows: list[HomeRow]) -> list[HomePublic]:
    """Homes as ``caller`` may see them: a coordinator sees only its own children in
    ``known_to``."""
    if caller.role is not Role.COORDINATOR:
        return [public(r) for r in rows]
    named = tx.children.get_many({c for r in rows for c in r.known_to})
    own = {cid for cid, c in named.items() if c.organisation == caller.organisation}
    return [public(r, [c for c in r.known_to if c in own]) for r in rows]


def _own_or_hidden(
    tx: Tx, caller: Caller, home_id: str, *, write: bool, lock: bool = False
) -> HomeRow:
    row = tx.homes.get(home_id, lock=lock)
    if row is None or row.withdrawn_at is not None:
        raise NotFoundError("home", home_id)
    if caller.role is Role.ADMIN:
        return row
    if caller.role is Role.PROVIDER and row.organisation == caller.organisation:
        return row
    if caller.role is Role.COORDINATOR and not write:
        return row
    raise NotFoundError("home", home_id)


def _check_organisation(caller: Caller, organisation: str) -> None:
    if caller.role is Role.PROVIDER and organisation != caller.organisation:
        raise ForbiddenError("a provider registers homes of its own organisation only")


def _domain_problems(problems: list[Problem]) -> InvalidInputError:
    return InvalidInputError([domain_problem(p.field, p.reason) for p in problems])


def register_home(uow: UnitOfWork, caller: Caller, body: HomeIn, now: datetime) -> HomePublic:
    _check_organisation(caller, body.organisation)
    problems: list[Problem] = []
    home = home_from_schema(body, problems)
    if home is None:
        raise _domain_problems(problems)
    with uow.write() as tx:
        tx.audit.about(object_id=body.id)
        if tx.homes.get(body.id) is not None:
            raise ConflictError("id_taken", f"home id '{body.id}' is already in use")
        row = HomeRow(**home_values(body, home), beds_held=0, created_at=now, updated_at=now)
        try:
            tx.homes.add(row)
            tx.commit()
        except IntegrityError:
            # Another request registered the same id between our check and our insert.
            raise ConflictError("id_taken", f"home id '{body.id}' is already in use") from None
    return public(row)


def get_home(uow: UnitOfWork, caller: Caller, home_id: str) -> tuple[HomePublic, str]:
    """The home as the caller may see it, and its ETag."""
    with uow.read() as tx:
        row = _own_or_hidden(tx, caller, home_id, write=False)
        return _publics(tx, caller, [row])[0], etag_of(row.version)


def list_homes(uow: UnitOfWork, caller: Caller, offset: int, limit: int) -> HomePage:
    organisation = caller.organisation if caller.role is Role.PROVIDER else None
    with uow.read() as tx:
        rows, total = tx.homes.page(organisation, offset, limit)
        return HomePage(items=_publics(tx, caller, rows), total=total, offset=offset, limit=limit)


def _merged(row: HomeRow, changes: Mapping[str, Any]) -> HomeIn:
    for name, value in changes.items():
        if value is None and name in HomeUpdate.REQUIRED:
            raise InvalidInputError([FieldProblem(f"$.{name}", "may not be null")])
    try:
        return HomeIn.model_validate({**home_fields(row), **changes})
    except ValidationError as exc:
        raise InvalidInputError.from_validation(exc) from None


def update_home(
    uow: UnitOfWork,
    caller: Caller,
    home_id: str,
    changes: Mapping[str, Any],
    now: datetime,
    *,
    if_match: str | None = None,
) -> tuple[HomePublic, str]:
    """Apply the fields present in ``changes``; the whole home is validated again.
    Returns the home and its new ETag."""
    with uow.write() as tx:
        row = _own_or_hidden(tx, caller, home_id, write=True, lock=if_match is not None)
        check_if_match(if_match, row.version, f"home '{home_id}'")
        body = _merged(row, changes)
        problems: list[Problem] = []
        home = home_from_schema(body, problems)
        if home is None:
            raise _domain_problems(problems)
        values = home_values(body, home)
        values.update(updated_at=now)
        if not tx.homes.replace(home_id, values):
            raise ConflictError(
                "beds_held",
                f"beds_free cannot fall below the {row.beds_held} bed(s) held by open proposals",
            )
        tx.commit()
        updated = tx.homes.get(home_id)
        assert updated is not None
        return public(updated), etag_of(updated.version)


def withdraw_home(
    uow: UnitOfWork, caller: Caller, home_id: str, now: datetime, *, if_match: str | None = None
) -> None:
    """Take a home off the register; refused while a proposal to it is open."""
    with uow.write() as tx:
        row = _own_or_hidden(tx, caller, home_id, write=True, lock=if_match is not None)
        check_if_match(if_match, row.version, f"home '{home_id}'")
        open_count = tx.proposals.open_for_home(home_id, OPEN_STATUSES)
        if open_count or not tx.homes.withdraw(home_id, now):
            raise ConflictError(
                "open_proposals",
                f"home '{home_id}' has {open_count} open proposal(s); "
                "they must be declined or withdrawn first",
            )
        tx.commit()


# ---------------------------------------------------------------------------------------
# CSV import

_LIST_FIELDS = {"languages", "known_to", "care_kinds"}
_LIST_SPLIT = re.compile(r"[;,|\s]+")
_CAP_PREFIX = "capabilities."
_REQUIRED_COLUMNS = ("id", "type", "postcode", "beds_free")


def _sniff_delimiter(text: str) -> str:
    header = text.splitlines()[0] if text else ""
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _read_csv(data: bytes) -> pd.DataFrame:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInputError(
            [FieldProblem("$", "the file is not UTF-8 text", location="file")]
        ) from None
    if not text.strip():
        raise InvalidInputError([FieldProblem("$", "the file is empty", location="file")])
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=_sniff_delimiter(text),
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        # pandas' messages name lines and field counts, never cell contents.
        reason = str(exc).strip().splitlines()[0][:200]
        raise InvalidInputError(
            [FieldProblem("$", f"not a readable CSV file: {reason}", location="file")]
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _column_problems(columns: list[str], caller: Caller) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    known = set(HomeIn.model_fields) - {"capabilities"}
    seen: set[str] = set()
    for col in columns:
        if col in seen:
            problems.append(_file_problem(col, "column appears twice"))
        seen.add(col)
        domain = col.removeprefix(_CAP_PREFIX) if col.startswith(_CAP_PREFIX) else None
        if domain is not None and domain not in CARE_DOMAINS:
            problems.append(_file_problem(col, f"unknown care domain '{domain[:32]}'"))
        elif domain is None and col not in known:
            problems.append(_file_problem(col, "unknown column"))
    required = list(_REQUIRED_COLUMNS)
    if caller.role is Role.ADMIN:
        required.append("organisation")
    for col in required:
        if col not in seen:
            problems.append(_file_problem(col, "required column is missing"))
    return problems


def _file_problem(column: str, reason: str) -> FieldProblem:
    return FieldProblem(
        f"$.{column}" if column.isidentifier() else "$", reason, "file", column=column[:64]
    )


def _row_document(record: Mapping[str, str], caller: Caller) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    capabilities: dict[str, str] = {}
    for col, raw in record.items():
        value = raw.strip()
        if not value:
            continue
        if col.startswith(_CAP_PREFIX):
            capabilities[col.removeprefix(_CAP_PREFIX)] = value
        elif col in _LIST_FIELDS:
            doc[col] = [v for v in _LIST_SPLIT.split(value) if v]
        else:
            doc[col] = value
    if capabilities:
        doc["capabilities"] = capabilities
    if caller.role is Role.PROVIDER:
        doc.setdefault("organisation", caller.organisation)
    return doc


def _column_of(loc: tuple[int | str, ...]) -> str | None:
    if not loc:
        return None
    if loc[0] == "capabilities" and len(loc) > 1:
        return f"{_CAP_PREFIX}{loc[1]}"
    return str(loc[0])


def import_homes(uow: UnitOfWork, caller: Caller, data: bytes, now: datetime) -> HomeImportResult:
    """Register or replace every home in a CSV file, or none: each bad row is reported
    with its row number (as a spreadsheet shows it, header = row 1), column and reason."""
    frame = _read_csv(data)
    problems = _column_problems(list(frame.columns), caller)
    if problems:
        raise InvalidInputError(problems, "the CSV file's columns are wrong; nothing was imported")
    if frame.empty:
        raise InvalidInputError([FieldProblem("$", "the file has no rows", location="file")])

    bodies: list[tuple[int, HomeIn, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(frame.to_dict(orient="records")):
        row_no = index + 2
        doc = _row_document({str(k): str(v) for k, v in record.items()}, caller)
        try:
            # CSV cells are text: the lax reading turns "3" into 3 here, and only here.
            body = HomeIn.model_validate(doc, strict=False)
        except ValidationError as exc:
            for e in exc.errors():
                loc = tuple(e["loc"])
                problems.append(
                    FieldProblem(
                        json_path(loc),
                        safe_reason(e["msg"]),
                        "file",
                        row=row_no,
                        column=_column_of(loc),
                    )
                )
            continue
        if caller.role is Role.PROVIDER and body.organisation != caller.organisation:
            problems.append(
                FieldProblem(
                    "$.organisation",
                    "a provider imports homes of its own organisation only",
                    "file",
                    row=row_no,
                    column="organisation",
                )
            )
            continue
        if body.id in seen:
            problems.append(
                FieldProblem(
                    "$.id",
                    f"id also on row {seen[body.id]}",
                    "file",
                    row=row_no,
                    column="id",
                )
            )
            continue
        seen[body.id] = row_no
        domain_problems: list[Problem] = []
        home = home_from_schema(body, domain_problems)
        if home is None:
            problems.extend(
                domain_problem(p.field, p.reason, location="file", row=row_no, column=p.field)
                for p in domain_problems
            )
            continue
        bodies.append((row_no, body, home_values(body, home)))

    created: list[str] = []
    updated: list[str] = []
    with uow.write() as tx:
        existing = tx.homes.get_many([b.id for _, b, _ in bodies])
        for row_no, body, values in bodies:
            row = existing.get(body.id)
            if row is None:
                continue
            reason = None
            if row.organisation != body.organisation or (
                caller.role is Role.PROVIDER and row.organisation != caller.organisation
            ):
                reason = "id is already in use by another organisation's home"
            elif row.withdrawn_at is not None:
                reason = "this home was withdrawn; register it under a new id"
            elif values["beds_free"] < row.beds_held:
                reason = f"beds_free below the {row.beds_held} bed(s) held by open proposals"
            if reason:
                problems.append(FieldProblem("$.id", reason, "file", row=row_no, column="id"))
        if problems:
            problems.sort(key=lambda p: (p.row or 0, p.column or ""))
            raise InvalidInputError(
                problems, f"{len(problems)} problem(s) in the CSV file; nothing was imported"
            )
        new_rows: list[HomeRow] = []
        for _, body, values in bodies:
            if body.id in existing:
                values.update(updated_at=now)
                if not tx.homes.replace(body.id, values):
                    raise ConflictError("beds_held", f"home '{body.id}' changed during the import")
                updated.append(body.id)
            else:
                new_rows.append(HomeRow(**values, beds_held=0, created_at=now, updated_at=now))
                created.append(body.id)
        try:
            tx.homes.add_all(new_rows)
            tx.commit()
        except IntegrityError:
            raise ConflictError("id_taken", "another request registered one of these ids") from None
    return HomeImportResult(created=created, updated=updated)
