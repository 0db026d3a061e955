"""Unauthenticated endpoints for operators: is the service up, and which schema it runs."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

__all__ = ["router"]

router = APIRouter(tags=["system"])


class Health(BaseModel):
    status: str


@router.get("/health", response_model=Health, summary="Liveness check (no key needed)")
def health() -> Health:
    return Health(status="ok")
