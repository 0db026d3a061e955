"""Request and response bodies of the HTTP API: per resource ``XCreate``/``XUpdate``/``XPublic``.

Request bodies for homes and children are the scenario objects of ``matching.scenario``, so
the file format and the API validate with one set of rules.
"""

from api.schemas.children import ChildCreate, ChildPage, ChildPublic, ChildStatus, ChildUpdate
from api.schemas.common import FieldError, Page, ProblemDetails
from api.schemas.homes import HomeCreate, HomeImportResult, HomePage, HomePublic, HomeUpdate
from api.schemas.match_runs import MatchRunCreate, MatchRunPublic
from api.schemas.options import RankDocument
from api.schemas.placements import EndReason, PlacementEnd, PlacementPage, PlacementPublic
from api.schemas.proposals import (
    ProposalConfirm,
    ProposalCreate,
    ProposalDecline,
    ProposalPage,
    ProposalPublic,
    ProposalStatus,
    ProposalWithdraw,
)

__all__ = [
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
    "MatchRunCreate",
    "MatchRunPublic",
    "Page",
    "PlacementEnd",
    "PlacementPage",
    "PlacementPublic",
    "ProblemDetails",
    "ProposalConfirm",
    "ProposalCreate",
    "ProposalDecline",
    "ProposalPage",
    "ProposalPublic",
    "ProposalStatus",
    "ProposalWithdraw",
    "RankDocument",
]
