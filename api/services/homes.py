"""Homes: register, read, update (free beds above all), withdraw, list and import from CSV.

A provider works on its own organisation's homes only; another organisation's home is
"not found". Coordinators read every active home, because they match against all of them,
but a network foster home's ``known_to`` only as far as it names their own children: the
other ids are another organisation's children, and which family knows them is theirs.
For the same reason a provider names in ``known_to`` only children it has been told
about (proposed to one of its homes); a child's own coordinator attaches it to a network
foster home (:func:`attach_to_network`).
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from api.db.mappers import HOME_FIELDS, home_fields, home_values
from api.db.repositories import StoredHome, drop_staged_homes, stage_homes
from api.db.tables import HomeRow
from api.db.uow import Tx, UnitOfWork
from api.schemas.homes import HomeCreate, HomeImportResult, HomePage, HomePublic, HomeUpdate
from api.services.access import Caller, Role
from api.services.children import owned_child
from api.services.errors import (
    ConflictError,
    FieldProblem,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    PayloadTooLargeError,
    domain_problem,
)
from api.services.home_checks import home_problems, problem_fields
from api.services.home_columns import (
    CAPABILITY_PREFIX,
    canonical_column,
    canonical_value,
    iso_date,
)
from api.services.proposals import OPEN_STATUSES
from api.services.versions import check_if_match, etag_of
from matching.model import CARE_DOMAINS, HomeType
from matching.scenario import HomeIn, InputProblem, home_from_schema

#: One line per import that wrote: rows and how long each step took (no row contents).
#: The write step is how long other writers waited, on SQLite.
import_log = logging.getLogger("dichtbij.import")

__all__ = [
    "MAX_REPORTED_PROBLEMS",
    "attach_to_network",
    "detach_from_network",
    "get_home",
    "import_homes",
    "list_homes",
    "register_home",
    "update_home",
    "withdraw_home",
]


#: As many children as a home's ``known_to`` may name (the scenario schema's limit).
_KNOWN_TO_MAX = 50


def public(row: HomeRow, known_to: list[str] | None = None) -> HomePublic:
    fields = home_fields(row)
    if known_to is not None:
        fields["known_to"] = known_to
    return HomePublic.model_validate(
        {
            **fields,
            "beds_held": row.beds_held,
            "part_time_held": row.part_time_held,
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


def _unseen_known_to(
    tx: Tx,
    caller: Caller,
    known_to: list[str],
    kept: Collection[str] = (),
    visible: Collection[str] | None = None,
) -> list[tuple[int, str]]:
    """``(index, id)`` of the ``known_to`` entries the caller may not name: a provider
    names only children it has been told about (proposed to one of its organisation's
    homes), an admin any existing child. ``kept`` (already on the home) stay whoever put
    them there (a coordinator attaches its own children). Unknown and foreign ids are
    refused alike, so that the answer does not tell whether a foreign id exists.
    ``visible``: those the caller may name, where already looked up (:func:`_nameable`)."""
    new = {c for c in known_to if c not in kept}
    if visible is None:
        visible = _nameable(tx, caller, new)
    return [(i, c) for i, c in enumerate(known_to) if c in new and c not in visible]


def _nameable(tx: Tx, caller: Caller, child_ids: Collection[str]) -> set[str]:
    """Those of ``child_ids`` the caller may name in a home's ``known_to``."""
    if caller.is_admin:
        return set(tx.children.get_many(child_ids))
    return tx.proposals.told_to(caller.organisation, child_ids)


def _known_to_problems(
    tx: Tx, caller: Caller, known_to: list[str], kept: Collection[str] = ()
) -> None:
    """Refuse ``known_to`` entries the caller may not name, in a write transaction: the
    new ones are held until the home is stored, so that a removal of one racing it takes
    the id out again or comes first (and the id is unknown here), as for
    :func:`attach_to_network`."""
    tx.children.hold(set(known_to) - set(kept))
    unseen = _unseen_known_to(tx, caller, known_to, kept)
    if unseen:
        raise InvalidInputError(
            [FieldProblem(f"$.known_to[{i}]", "unknown child id") for i, _ in unseen]
        )


def _domain_problems(problems: list[InputProblem]) -> InvalidInputError:
    return InvalidInputError([domain_problem(p.field, p.reason) for p in problems])


def register_home(uow: UnitOfWork, caller: Caller, body: HomeIn, now: datetime) -> HomePublic:
    _check_organisation(caller, body.organisation)
    problems: list[InputProblem] = []
    home = home_from_schema(body, problems)
    if home is None:
        raise _domain_problems(problems)
    with uow.write() as tx:
        tx.audit.about(object_id=body.id)
        if tx.homes.get(body.id) is not None:
            raise ConflictError("id_taken", f"home id '{body.id}' is already in use")
        _known_to_problems(tx, caller, body.known_to)
        row = HomeRow(**home_values(body, home), beds_held=0, created_at=now, updated_at=now)
        try:
            tx.homes.add(row)
            tx.commit()
        except IntegrityError:
            # Another request registered the same id between our check and our insert.
            raise ConflictError("id_taken", f"home id '{body.id}' is already in use") from None
    return public(row)


def id_taken(uow: UnitOfWork, home_id: str) -> bool:
    """Whether a home (of any organisation, withdrawn or not) is registered under
    ``home_id``: what :func:`register_home` refuses as ``id_taken``, asked beforehand so
    that a form can say it with its other problems."""
    with uow.read() as tx:
        return tx.homes.get(home_id) is not None


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
        return HomeCreate.model_validate({**home_fields(row), **changes})
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
        _own_or_hidden(tx, caller, home_id, write=True)
        # Locked, so that a coordinator attaching a child meanwhile is not overwritten.
        row = tx.homes.lock_active(home_id)
        if row is None:
            raise NotFoundError("home", home_id)
        check_if_match(if_match, row.version, f"home '{home_id}'")
        body = _merged(row, changes)
        _known_to_problems(tx, caller, body.known_to, kept=row.known_to)
        problems: list[InputProblem] = []
        home = home_from_schema(body, problems)
        if home is None:
            raise _domain_problems(problems)
        values = home_values(body, home)
        values.update(updated_at=now)
        if values["postcode"] != row.postcode and tx.proposals.open_for_home(
            home_id, OPEN_STATUSES
        ):
            # The carers' answer to a proposal is checked against the home as it is then:
            # a home that could move meanwhile would let its carers probe, accept after
            # accept, how far the child's parents live from each place they try.
            raise ConflictError(
                "open_proposals",
                f"the postcode of home '{home_id}' cannot change while a proposal to it is "
                "open; it must be confirmed, declined or withdrawn first",
            )
        if not tx.homes.replace(home_id, values):
            raise ConflictError(
                "beds_held",
                f"beds_free cannot fall below the {row.beds_held} bed(s), nor "
                f"part_time_places_free below the {row.part_time_held} part-time place(s), "
                "held by open proposals",
            )
        tx.commit()
        updated = tx.homes.get(home_id)
        assert updated is not None
        return public(updated), etag_of(updated.version)


def withdraw_home(
    uow: UnitOfWork, caller: Caller, home_id: str, now: datetime, *, if_match: str | None = None
) -> None:
    """Take a home off the register; refused while a proposal to it is open or a child
    lives in it (placed, or registered as living there)."""
    with uow.write() as tx:
        # The home's row is locked first, always: every proposal step that could open or
        # close the way (hold or release beds) writes that row, so the statement below
        # runs after any such step has committed. Without the lock, on PostgreSQL (READ
        # COMMITTED) the statement waited for a racing decline's row lock and then judged
        # by its older snapshot, with the proposal still open, while the reads after it
        # saw it declined: a 404 for a home that was still there.
        row = _own_or_hidden(tx, caller, home_id, write=True, lock=True)
        check_if_match(if_match, row.version, f"home '{home_id}'")
        if tx.homes.withdraw(home_id, now, OPEN_STATUSES):
            # Children whose coordinator registered them as living there, without a
            # placement through the service, live there no longer: a claim another
            # organisation made (and the provider cannot see) must not keep the home.
            tx.children.forget_home(home_id, now)
            tx.commit()
            return
        # Which condition stopped it, for the answer; the statement above decided.
        open_count = tx.proposals.open_for_home(home_id, OPEN_STATUSES)
        if open_count:
            raise ConflictError(
                "open_proposals",
                f"home '{home_id}' has {open_count} open proposal(s); "
                "they must be declined or withdrawn first",
            )
        residents = tx.placements.open_in_home(home_id)
        if not residents:
            raise NotFoundError("home", home_id)  # another request withdrew it just now
        raise ConflictError(
            "home_occupied",
            f"{residents} child(ren) are placed in home '{home_id}'; "
            "their placements must end before the home is withdrawn",
        )


# ---------------------------------------------------------------------------------------
# Network foster homes: a child's own coordinator attaches it


def _network_home(tx: Tx, caller: Caller, child_id: str, home_id: str) -> HomeRow:
    """The child (the caller's own, or any for an admin) and the network foster home, the
    home's row locked; else "not found" or ``not_network_home``."""
    owned_child(tx, caller, child_id)
    tx.audit.about(children=[child_id])
    row = tx.homes.lock_active(home_id)
    if row is None:
        raise NotFoundError("home", home_id)
    if row.type != HomeType.NETWORK_FOSTER.value:
        raise ConflictError("not_network_home", f"home '{home_id}' is not a network_foster home")
    # Held after its home, until this commits: a removal of the child racing it either
    # finds the home naming it (and takes the id out) or came first (not found here).
    if child_id not in tx.children.hold([child_id]):
        raise NotFoundError("child", child_id)
    return row


def attach_to_network(
    uow: UnitOfWork, caller: Caller, child_id: str, home_id: str, now: datetime
) -> HomePublic:
    """Add the child to the network foster home's ``known_to`` (nothing if it is there)."""
    with uow.write() as tx:
        row = _network_home(tx, caller, child_id, home_id)
        if child_id not in row.known_to:
            if len(row.known_to) >= _KNOWN_TO_MAX:
                raise ConflictError(
                    "known_to_full",
                    f"home '{home_id}' already names {_KNOWN_TO_MAX} children in known_to",
                )
            tx.homes.set_known_to(home_id, [*row.known_to, child_id], now)
        updated = tx.homes.get(home_id)
        assert updated is not None
        result = _publics(tx, caller, [updated])[0]
        tx.commit()
    return result


def detach_from_network(
    uow: UnitOfWork, caller: Caller, child_id: str, home_id: str, now: datetime
) -> None:
    """Take the child off the network foster home's ``known_to`` (nothing if it is not
    there). An open proposal of the child to the home then fails at accept or confirm."""
    with uow.write() as tx:
        row = _network_home(tx, caller, child_id, home_id)
        if child_id in row.known_to:
            tx.homes.set_known_to(home_id, [c for c in row.known_to if c != child_id], now)
        tx.commit()


# ---------------------------------------------------------------------------------------
# CSV import
#
# An import runs in steps so that the write transaction holds only the writing: on SQLite
# it makes every other writer wait, and every request with a key writes its audit record.
# (1) The file is parsed and every row validated without a transaction; a home is then a
# tuple of column values (no pandas frame, no ORM object, no pydantic model kept). (2) The
# rows are checked against the homes stored under their ids. (3) New homes are inserted
# and own homes replaced with batched executemany of plain values, and committed together.

_LIST_FIELDS = {"languages", "known_to", "care_kinds"}
_LIST_SPLIT = re.compile(r"[;,|\s]+")
_CAP_PREFIX = CAPABILITY_PREFIX
_DATE_FIELDS = {"available_from", "available_until"}
_REQUIRED_COLUMNS = ("id", "type", "postcode", "beds_free")
_ID = HOME_FIELDS.index("id")
_BEDS_FREE = HOME_FIELDS.index("beds_free")
_ORGANISATION = HOME_FIELDS.index("organisation")
_KNOWN_TO = HOME_FIELDS.index("known_to")
_POSTCODE = HOME_FIELDS.index("postcode")
#: An answer lists at most this many problems (and says how many there were): a file
#: that is wrong throughout must not produce an answer larger than itself.
MAX_REPORTED_PROBLEMS = 1000


@dataclass(frozen=True, slots=True)
class _ImportRow:
    row: int  # as a spreadsheet numbers it: the header is row 1
    values: tuple[Any, ...]  # the home's column values in HOME_FIELDS order

    @property
    def id(self) -> str:
        return str(self.values[_ID])

    @property
    def organisation(self) -> str:
        return str(self.values[_ORGANISATION])

    @property
    def known_to(self) -> list[str]:
        return list(self.values[_KNOWN_TO] or [])


@dataclass(frozen=True, slots=True)
class _BadRow:
    """A row with problems whose id is right: the stored homes can still say whether the id
    is taken, so that one round of corrections is enough."""

    row: int
    id: str
    organisation: str
    known_to: list[str]  # [] where the column is empty or wrong


class _Problems:
    """The problems found so far, of which the first ``MAX_REPORTED_PROBLEMS`` are kept."""

    def __init__(self) -> None:
        self.items: list[FieldProblem] = []
        self.count = 0
        #: API column name -> the header as the file wrote it ("Vrije bedden"): a problem
        #: names the column the user sees in their spreadsheet.
        self.written: dict[str, str] = {}

    def add(self, problem: FieldProblem) -> None:
        self.count += 1
        if len(self.items) < MAX_REPORTED_PROBLEMS:
            self.items.append(problem)

    def error(self) -> InvalidInputError:
        listed = sorted(
            (
                replace(p, column=self.written[p.column][:64]) if p.column in self.written else p
                for p in self.items
            ),
            key=lambda p: (p.row or 0, p.column or ""),
        )
        shown = "" if self.count == len(listed) else f" (the first {len(listed)} are listed)"
        return InvalidInputError(
            listed, f"{self.count} problem(s) in the CSV file{shown}; nothing was imported"
        )


def _sniff_delimiter(text: str) -> str:
    header = text.partition("\n")[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decoded_text(data: bytes) -> str:
    """The file's text: UTF-8 or UTF-16 by their byte order mark, else UTF-8, else
    Windows-1252 (what Excel on a Dutch Windows writes as "CSV")."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    try:
        if encoding is not None:
            text = data.decode(encoding)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InvalidInputError(
            [
                FieldProblem(
                    "$",
                    "the file is not text in UTF-8, UTF-16 or Windows-1252",
                    location="file",
                )
            ]
        ) from None
    if "\x00" in text:
        # UTF-16 without its byte order mark reads as text full of NULs.
        raise InvalidInputError(
            [
                FieldProblem(
                    "$", "the file has NUL characters: save it as UTF-8 CSV", location="file"
                )
            ]
        )
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InvalidInputError([FieldProblem("$", "the file is empty", location="file")])
    return text


def _unreadable(exc: csv.Error, line: int) -> InvalidInputError:
    # The csv module's messages name the fault (a quote left open), never cell contents.
    reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else "malformed"
    return InvalidInputError(
        [FieldProblem("$", f"not a readable CSV file: {reason} (line {line})", location="file")]
    )


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
            problems.append(_file_problem(col, "unknown care domain"))
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


def _row_document(header: list[str], cells: list[str], caller: Caller) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    capabilities: dict[str, str] = {}
    for col, raw in zip(header, cells, strict=False):
        value = raw.strip()
        if not value:
            continue
        if col.startswith(_CAP_PREFIX):
            capabilities[col.removeprefix(_CAP_PREFIX)] = value
        elif col in _LIST_FIELDS:
            doc[col] = [canonical_value(col, v) for v in _LIST_SPLIT.split(value) if v]
        elif col in _DATE_FIELDS:
            doc[col] = iso_date(value)
        else:
            doc[col] = canonical_value(col, value)
    if capabilities:
        doc["capabilities"] = capabilities
    if caller.role is Role.PROVIDER:
        doc.setdefault("organisation", caller.organisation)
    return doc


def _column_of(path: str) -> str | None:
    """The CSV column of a problem's path: ``$.capabilities.trauma`` ->
    ``capabilities.trauma``, ``$.known_to[0]`` -> ``known_to``; None for the row (``$``)."""
    parts = [p for p in re.split(r"\[\d+\]|\.", path.removeprefix("$")) if p]
    if not parts:
        return None
    if parts[0] == "capabilities" and len(parts) > 1:
        return f"{_CAP_PREFIX}{parts[1]}"
    return parts[0]


def _validated_row(
    row_no: int, header: list[str], cells: list[str], caller: Caller, problems: _Problems
) -> _ImportRow | _BadRow | None:
    """One CSV row, or after adding its problems what of it can still be checked against
    the stored homes: every problem of the row at once
    (:func:`~api.services.home_checks.home_problems`), the postcode and the rules across
    columns checked even where another column is wrong."""
    if len(cells) > len(header):
        problems.add(
            FieldProblem(
                "$", f"{len(cells)} cells, the header has {len(header)} columns", "file", row=row_no
            )
        )
        return None
    document = _row_document(header, cells, caller)
    # CSV cells are text: the lax reading turns "3" into 3 there, and only there. A network
    # home may be imported knowing nobody yet, as when registered (HomeCreate).
    body, home, found = home_problems(document)
    wrong = set().union(*map(problem_fields, found))
    if (
        caller.role is Role.PROVIDER
        and "organisation" not in wrong
        and document.get("organisation") != caller.organisation
    ):
        found.append(
            FieldProblem("$.organisation", "a provider imports homes of its own organisation only")
        )
        wrong.add("organisation")
    for p in found:
        column = _column_of(p.path)
        reason = p.reason
        if reason.startswith("must be a date") and column in _DATE_FIELDS:
            # A file's dates may be written as Dutch Excel writes them (iso_date).
            reason = "must be a date (1-12-2026 or 2026-12-01)"
        problems.add(FieldProblem(p.path, reason, "file", row=row_no, column=column))
    if body is not None and home is not None and not found:
        values = home_values(body, home)
        return _ImportRow(row_no, tuple(values[name] for name in HOME_FIELDS))
    if {"id", "organisation"} & wrong or not document.get("id"):
        return None
    known_to = [] if "known_to" in wrong else list(document.get("known_to", []))
    return _BadRow(row_no, document["id"], document["organisation"], known_to)


def _parsed_rows(
    data: bytes, caller: Caller, max_rows: int, problems: _Problems
) -> tuple[list[_ImportRow], list[_BadRow]]:
    """Every valid row of the file, and the invalid ones whose id can still be checked
    against the stored homes; the invalid ones' problems go to ``problems``.

    More than ``max_rows`` rows is refused as soon as the row after the limit is read."""
    text = _decoded_text(data)
    reader = csv.reader(
        io.StringIO(text), delimiter=_sniff_delimiter(text), skipinitialspace=True, strict=True
    )
    try:
        written = next(reader)
        header = [canonical_column(c) for c in written]
        problems.written = {
            name: raw.strip() for name, raw in zip(header, written, strict=True) if name != raw
        }
        column_problems = _column_problems(header, caller)
        if column_problems:
            raise InvalidInputError(
                column_problems, "the CSV file's columns are wrong; nothing was imported"
            )
        rows: list[_ImportRow] = []
        bad: list[_BadRow] = []
        first_row: dict[str, int] = {}
        id_column = header.index("id")  # a required column (_column_problems)
        count = 0
        # Rows are numbered as a spreadsheet shows them: blank lines count, a cell with a
        # line break in quotes does not.
        for row_no, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            count += 1
            if count > max_rows:
                raise PayloadTooLargeError(
                    f"the file has more than {max_rows} rows, the most one import takes; "
                    "split it into several files"
                )
            # A repeated id is reported even where either row has other problems too, so
            # that one round of corrections is enough.
            raw_id = cells[id_column].strip() if id_column < len(cells) else ""
            repeated = raw_id in first_row
            if repeated:
                problems.add(
                    FieldProblem(
                        "$.id",
                        f"id also on row {first_row[raw_id]}",
                        "file",
                        row=row_no,
                        column="id",
                    )
                )
            elif raw_id:
                first_row[raw_id] = row_no
            checked = _validated_row(row_no, header, cells, caller, problems)
            if isinstance(checked, _ImportRow) and not repeated:
                rows.append(checked)
            elif isinstance(checked, _BadRow) and not repeated:
                bad.append(checked)
    except csv.Error as exc:
        raise _unreadable(exc, reader.line_num) from None
    if count == 0 and not problems.count:
        raise InvalidInputError([FieldProblem("$", "the file has no rows", location="file")])
    return rows, bad


def _check_stored(
    rows: list[_ImportRow], stored: Mapping[str, StoredHome], caller: Caller, problems: _Problems
) -> None:
    """Problems of rows whose id is taken: by another organisation's home, a withdrawn
    home, or an own home with more beds held than the row leaves free."""
    for row in rows:
        home = stored.get(row.id)
        if home is None:
            continue
        reason = _taken(home, row.organisation, caller)
        if reason is None and row.values[_BEDS_FREE] < home.beds_held:
            reason = f"beds_free below the {home.beds_held} bed(s) held by open proposals"
        elif reason is None and home.proposed and row.values[_POSTCODE] != home.postcode:
            problems.add(
                FieldProblem(
                    "$.postcode",
                    "cannot change while a proposal to this home is open",
                    "file",
                    row=row.row,
                    column="postcode",
                )
            )
        if reason:
            problems.add(FieldProblem("$.id", reason, "file", row=row.row, column="id"))


def _taken(home: StoredHome, organisation: str, caller: Caller) -> str | None:
    """Why a row may not take the id of the stored ``home``, if it may not."""
    reason = None
    if home.organisation != organisation or (
        caller.role is Role.PROVIDER and home.organisation != caller.organisation
    ):
        reason = "id is already in use by another organisation's home"
    elif home.withdrawn:
        reason = "this home was withdrawn; register it under a new id"
    return reason


def _check_taken(
    bad: list[_BadRow], stored: Mapping[str, StoredHome], caller: Caller, problems: _Problems
) -> None:
    """Of rows with other problems too: whether their id is taken."""
    for row in bad:
        home = stored.get(row.id)
        reason = None if home is None else _taken(home, row.organisation, caller)
        if reason:
            problems.add(FieldProblem("$.id", reason, "file", row=row.row, column="id"))


def _check_known_to(
    tx: Tx,
    rows: Sequence[_ImportRow | _BadRow],
    stored: Mapping[str, StoredHome],
    caller: Caller,
    problems: _Problems,
) -> None:
    """The same rule as for one home: a provider names only children proposed to it;
    children already on a stored home (attached by their coordinator) stay. The children
    of every row are looked up at once: a look-up per row held the write transaction, on
    SQLite every writer's lock, for seconds (2.3 s for 8,000 network homes)."""
    # Only a home the row may replace keeps its children: another organisation's home
    # (whose id the row is refused for anyway) would otherwise answer, by a known_to
    # problem or none, whether a child it never was told about is attached to that home.
    kept = {
        row.id: stored[row.id].known_to
        if row.id in stored and _taken(stored[row.id], row.organisation, caller) is None
        else ()
        for row in rows
    }
    named = {c for row in rows for c in row.known_to if c not in kept[row.id]}
    visible = _nameable(tx, caller, named)
    for row in rows:
        known_to = row.known_to
        if not known_to:
            continue
        for i, _ in _unseen_known_to(tx, caller, known_to, kept[row.id], visible):
            problems.add(
                FieldProblem(
                    f"$.known_to[{i}]",
                    "unknown child id",
                    "file",
                    row=row.row,
                    column="known_to",
                )
            )


def import_homes(
    uow: UnitOfWork, caller: Caller, data: bytes, now: datetime, *, max_rows: int
) -> HomeImportResult:
    """Register or replace every home in a CSV file, or none: each bad row is reported
    with its row number (as a spreadsheet shows it, header = row 1), column and reason.

    Runs in a worker thread, never on the event loop: validating a large file takes
    seconds of CPU. Only the final copy from the staged rows holds the write lock."""
    started = time.perf_counter()
    problems = _Problems()
    rows, bad = _parsed_rows(data, caller, max_rows, problems)
    validated = time.perf_counter()
    if problems.count:
        # The rows are wrong anyway: say also which ids are taken (on the wrong rows too),
        # without staging or taking the write lock for an import that will not write.
        with uow.read() as tx:
            ids = [*(r.id for r in rows), *(b.id for b in bad)]
            stored = tx.homes.stored_for_import(ids, OPEN_STATUSES)
            _check_stored(rows, stored, caller, problems)
            _check_taken(bad, stored, caller, problems)
            _check_known_to(tx, [*rows, *bad], stored, caller, problems)
        raise problems.error()

    staged = validated

    def stage(connection: Connection) -> None:
        nonlocal staged
        stamps = {
            "beds_held": 0,
            "part_time_held": 0,
            "created_at": now,
            "updated_at": now,
            "withdrawn_at": None,
            "version": 1,
        }
        stage_homes(
            connection, (dict(zip(HOME_FIELDS, r.values, strict=True)) | stamps for r in rows)
        )
        staged = time.perf_counter()

    with uow.staged_write(stage, drop_staged_homes) as tx:
        stored = tx.homes.stored_for_staged(OPEN_STATUSES)
        _check_stored(rows, stored, caller, problems)
        _check_known_to(tx, rows, stored, caller, problems)
        if problems.count:
            raise problems.error()
        own = [r.id for r in rows if r.id in stored]
        new = [r.id for r in rows if r.id not in stored]
        if tx.homes.replace_from_staged(OPEN_STATUSES) != len(own):
            raise ConflictError(
                "beds_held", "a home changed during the import; nothing was imported"
            )
        try:
            inserted = tx.homes.insert_staged()
        except IntegrityError:
            inserted = -1  # another request registered one of these ids meanwhile (PostgreSQL)
        if inserted != len(new):
            raise ConflictError(
                "id_taken", "another request registered one of these ids; nothing was imported"
            )
        tx.commit()
        written = time.perf_counter()
    import_log.info(
        "import of %d rows: validated in %.2f s, staged in %.2f s, written in %.3f s",
        len(rows),
        validated - started,
        staged - validated,
        written - staged,
    )
    return HomeImportResult(created=new, updated=own)
