"""FastAPI dependencies as ``Annotated`` aliases: the unit of work, the clock, the caller.

``Allowed(action)`` authenticates the key and checks the role against the contract's
table before the request body is even validated, so a caller without the right learns
nothing about what a valid body would be.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.clock import Clock, local_date
from api.db.uow import UnitOfWork
from api.services.access import Action, Caller, require
from api.services.keys import authenticate
from api.services.proposals import expire_due
from api.settings import Settings

__all__ = [
    "NowDep",
    "SettingsDep",
    "TodayDep",
    "UowDep",
    "allowed",
    "get_caller",
    "sweep_expired",
]

log = logging.getLogger("dichtbij.api")

_bearer = HTTPBearer(auto_error=False, description="An API key from `dichtbij token create`")


def _uow(request: Request) -> UnitOfWork:
    uow: UnitOfWork = request.app.state.uow
    return uow


def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _now(clock: Annotated[Clock, Depends(_clock)]) -> datetime:
    return clock.now()


def _today(now: Annotated[datetime, Depends(_now)]) -> date:
    return local_date(now)


UowDep = Annotated[UnitOfWork, Depends(_uow)]
SettingsDep = Annotated[Settings, Depends(_settings)]
NowDep = Annotated[datetime, Depends(_now)]
TodayDep = Annotated[date, Depends(_today)]


def get_caller(
    uow: UowDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    key = credentials.credentials if credentials is not None else None
    return authenticate(uow, key, now)


def allowed(action: Action) -> Callable[[Caller], Caller]:
    """``Annotated[Caller, Depends(allowed(Action.HOME_CREATE))]``: the authenticated caller,
    if its role may perform the action (else 403)."""

    def dependency(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
        return require(caller, action)

    dependency.__name__ = f"allowed_{action.value.replace('.', '_')}"
    return dependency


def sweep_expired(uow: UowDep, now: NowDep) -> None:
    """Close lapsed proposals before the request looks at beds or statuses.

    A failing sweep must not take every endpoint down with it: it is logged (by type
    only) and the request goes on; each proposal action re-checks the hold itself.
    """
    try:
        expire_due(uow, now)
    except Exception as exc:
        log.error("expiry sweep failed: %s", type(exc).__name__)
