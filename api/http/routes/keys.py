"""``/v1/keys``: admins create, list (by prefix) and revoke API keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from api.http.deps import ContextDep, allowed_caller
from api.http.routes.common import ROUTER_OPTIONS, PageDep
from api.schemas.keys import KeyCreate, KeyIssued, KeyPage
from api.services import keys
from api.services.access import Role
from api.services.errors import FieldProblem, InvalidInputError

__all__ = ["router"]

router = APIRouter(prefix="/v1/keys", tags=["keys"], **ROUTER_OPTIONS)

PrefixPath = Annotated[str, Path(min_length=1, max_length=16, description="The key's prefix")]


@router.post("", status_code=201, response_model=KeyIssued, dependencies=[Depends(allowed_caller)])
def create_key(body: KeyCreate, ctx: ContextDep) -> KeyIssued:
    try:
        return keys.issue_key(
            ctx.uow,
            role=body.role.value,
            organisation=body.organisation,
            municipality=body.municipality,
            label=body.label,
            lifetime_days=body.expires_in_days or ctx.settings.key_lifetime_days,
            now=ctx.now,
        )
    except keys.KeyOptionsError as exc:
        field = "$.municipality" if "municipality" in str(exc) else "$"
        raise InvalidInputError([FieldProblem(field, str(exc))]) from None


@router.get("", response_model=KeyPage, dependencies=[Depends(allowed_caller)])
def list_keys(
    ctx: ContextDep,
    page: PageDep,
    organisation: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    role: Role | None = None,
) -> KeyPage:
    return keys.list_keys(
        ctx.uow,
        organisation=organisation,
        role=role,
        offset=page.offset,
        limit=page.limit,
        now=ctx.now,
    )


@router.delete(
    "/{prefix}", status_code=204, response_model=None, dependencies=[Depends(allowed_caller)]
)
def revoke_key(prefix: PrefixPath, ctx: ContextDep) -> None:
    keys.revoke_key(ctx.uow, prefix, ctx.now)
