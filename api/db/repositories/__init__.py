"""Repositories: every query the services need, and nothing else, per aggregate.

The statements that move beds are conditional updates whose row count says whether they
won: ``UPDATE homes SET beds_held = beds_held + n WHERE ... beds_free - beds_held >= n``.
On PostgreSQL a second writer blocks on the row lock and re-checks the condition against
the committed row, so two requests can never both take the last bed; on SQLite writers are
serialised by ``BEGIN IMMEDIATE``. Callers always lock homes before children, children in
id order, so that two transactions never wait for each other in a cycle.
"""

from api.db.repositories.audit_trail import AuditFilter, AuditTrailRepository
from api.db.repositories.children import ChildRepository
from api.db.repositories.common import BATCH_ROWS
from api.db.repositories.homes import (
    STAGED_HOMES,
    HomeRepository,
    StoredHome,
    drop_staged_homes,
    stage_homes,
)
from api.db.repositories.keys import KeyRepository
from api.db.repositories.match_runs import MatchRunRepository
from api.db.repositories.placements import PlacementRepository
from api.db.repositories.proposals import ProposalRepository
from api.db.repositories.rate_buckets import RateBucketRepository
from api.db.repositories.state import StateRepository
from api.db.repositories.web_sessions import WebSessionRepository
from api.db.scope import Scope

__all__ = [
    "BATCH_ROWS",
    "STAGED_HOMES",
    "AuditFilter",
    "AuditTrailRepository",
    "ChildRepository",
    "HomeRepository",
    "KeyRepository",
    "MatchRunRepository",
    "PlacementRepository",
    "ProposalRepository",
    "RateBucketRepository",
    "Scope",
    "StateRepository",
    "StoredHome",
    "WebSessionRepository",
    "drop_staged_homes",
    "stage_homes",
]
