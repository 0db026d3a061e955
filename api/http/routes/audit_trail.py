"""``/v1/audit-trail``: admins read who did what, newest first; nobody can change it."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime, BeforeValidator

from api.http.deps import UowDep, allowed_caller
from api.http.routes.common import ROUTER_OPTIONS, PageDep
from api.schemas.audit_trail import AuditTrailPage, Outcome
from api.services import audit_trail

__all__ = ["router"]

router = APIRouter(prefix="/v1/audit-trail", tags=["audit trail"], **ROUTER_OPTIONS)

Text = Annotated[str | None, Query(min_length=1, max_length=64)]
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T")


def _iso_only(value: Any) -> Any:
    # pydantic would also read "1700000000" as seconds since 1970: only ISO 8601 is meant.
    if isinstance(value, str) and not _ISO.match(value):
        raise ValueError("expected an ISO 8601 date and time with a zone, e.g. 2026-11-23T09:00Z")
    return value


Moment = Annotated[AwareDatetime, BeforeValidator(_iso_only)]


@router.get("", response_model=AuditTrailPage, dependencies=[Depends(allowed_caller)])
def read_audit_trail(
    uow: UowDep,
    page: PageDep,
    key_prefix: Text = None,
    role: Text = None,
    organisation: Text = None,
    action: Text = None,
    object_type: Text = None,
    object_id: Text = None,
    child_id: Annotated[
        str | None, Query(min_length=1, max_length=64, description="Events about this child")
    ] = None,
    outcome: Outcome | None = None,
    since: Annotated[Moment | None, Query(alias="from", description="At or after")] = None,
    until: Annotated[Moment | None, Query(alias="to", description="Before")] = None,
) -> AuditTrailPage:
    where = audit_trail.AuditFilter(
        key_prefix=key_prefix,
        role=role,
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        child_id=child_id,
        outcome=outcome,
        since=since,
        until=until,
    )
    return audit_trail.list_events(uow, where, page.offset, page.limit)
