"""Unauthenticated endpoints for operators: is the process up, and can it serve requests.

``/health`` is liveness: it answers while the process runs, whatever the database does, so
an orchestrator does not restart a healthy process because the database is slow.
``/health/ready`` is readiness: it asks the database for one row and answers 503 (with
Retry-After) when that fails, so a load balancer sends no traffic the process cannot serve.
"""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.db.uow import UnitOfWork
from api.http.problems import PROBLEM_RESPONSES, ProblemResponse, busy_problem

__all__ = ["router"]

log = logging.getLogger("dichtbij.api")

router = APIRouter(tags=["system"])


class Health(BaseModel):
    """The service answers (and, for readiness, its database does)."""

    status: Literal["ok"]


@router.get("/health", response_model=Health)
def health() -> Health:
    return Health(status="ok")


def _database_answers(uow: UnitOfWork) -> bool:
    try:
        with uow.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.error("readiness: the database does not answer (%s)", type(exc).__name__)
        return False
    return True


@router.get("/health/ready", response_model=Health, responses={503: PROBLEM_RESPONSES[503]})
async def ready(request: Request) -> Health | ProblemResponse:
    uow: UnitOfWork = request.app.state.uow
    if await run_in_threadpool(_database_answers, uow):
        return Health(status="ok")
    return busy_problem()
