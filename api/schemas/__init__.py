"""Request and response bodies of the HTTP API: per resource ``XCreate``/``XUpdate``/``XPublic``.

Request bodies for homes and children are the scenario objects of ``matching.scenario``, so
the file format and the API validate with one set of rules.
"""

from api.schemas.audit_trail import AuditEventPublic, AuditTrailPage
from api.schemas.children import ChildCreate, ChildPage, ChildPublic, ChildStatus, ChildUpdate
from api.schemas.common import FieldError, Page, ProblemDetails
from api.schemas.homes import HomeCreate, HomeImportResult, HomePage, HomePublic, HomeUpdate
from api.schemas.keys import KeyCreate, KeyIssued, KeyPage, KeyPublic
from api.schemas.match_runs import MatchRunCreate, MatchRunPublic
from api.schemas.options import RankDocument
from api.schemas.placements import (
    EndReason,
    PlacementEnd,
    PlacementForProvider,
    PlacementPage,
    PlacementPublic,
    PlacementView,
)
from api.schemas.proposals import (
    CarerChild,
    ProposalConfirm,
    ProposalCreate,
    ProposalDecline,
    ProposalForProvider,
    ProposalPage,
    ProposalPublic,
    ProposalStatus,
    ProposalView,
    ProposalWithdraw,
    SchoolArea,
)

__all__ = [
    "AuditEventPublic",
    "AuditTrailPage",
    "CarerChild",
    "ChildCreate",
    "ChildPage",
    "ChildPublic",
    "ChildStatus",
    "ChildUpdate",
    "EndReason",
    "FieldError",
    "HomeCreate",
    "HomeImportResult",
    "HomePage",
    "HomePublic",
    "HomeUpdate",
    "KeyCreate",
    "KeyIssued",
    "KeyPage",
    "KeyPublic",
    "MatchRunCreate",
    "MatchRunPublic",
    "Page",
    "PlacementEnd",
    "PlacementForProvider",
    "PlacementPage",
    "PlacementPublic",
    "PlacementView",
    "ProblemDetails",
    "ProposalConfirm",
    "ProposalCreate",
    "ProposalDecline",
    "ProposalForProvider",
    "ProposalPage",
    "ProposalPublic",
    "ProposalStatus",
    "ProposalView",
    "ProposalWithdraw",
    "RankDocument",
    "SchoolArea",
]
