"""Who may do what: the contract's roles table in one place.

A caller is an API key's role and organisation. :data:`PERMISSIONS` says which roles may
call an action at all (else 403); which objects they may touch is decided in each service
by the organisation (else 404, so that another organisation's objects stay invisible).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from api.services.errors import ForbiddenError

__all__ = ["PERMISSIONS", "Action", "Caller", "Role", "require"]


class Role(StrEnum):
    COORDINATOR = "coordinator"
    PROVIDER = "provider"
    MUNICIPALITY = "municipality"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Caller:
    role: Role
    organisation: str
    municipality: str | None = None
    key_prefix: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


class Action(StrEnum):
    HOME_CREATE = "home.create"
    HOME_IMPORT = "home.import"
    HOME_READ = "home.read"
    HOME_LIST = "home.list"
    HOME_UPDATE = "home.update"
    HOME_WITHDRAW = "home.withdraw"
    CHILD_CREATE = "child.create"
    CHILD_READ = "child.read"
    CHILD_LIST = "child.list"
    CHILD_UPDATE = "child.update"
    CHILD_DELETE = "child.delete"
    CHILD_OPTIONS = "child.options"
    MATCH_RUN_CREATE = "match_run.create"
    MATCH_RUN_READ = "match_run.read"
    PROPOSAL_CREATE = "proposal.create"
    PROPOSAL_READ = "proposal.read"
    PROPOSAL_ANSWER = "proposal.answer"
    PROPOSAL_DECIDE = "proposal.decide"
    PLACEMENT_READ = "placement.read"
    PLACEMENT_END = "placement.end"
    AUDIT_PROXIMITY = "audit.proximity"


_C, _P, _A = Role.COORDINATOR, Role.PROVIDER, Role.ADMIN

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.HOME_CREATE: frozenset({_P, _A}),
    Action.HOME_IMPORT: frozenset({_P, _A}),
    # Coordinators list every home for matching, so reading one of them reveals nothing new.
    Action.HOME_READ: frozenset({_P, _C, _A}),
    Action.HOME_LIST: frozenset({_P, _C, _A}),
    Action.HOME_UPDATE: frozenset({_P, _A}),
    Action.HOME_WITHDRAW: frozenset({_P, _A}),
    Action.CHILD_CREATE: frozenset({_C, _A}),
    Action.CHILD_READ: frozenset({_C, _A}),
    Action.CHILD_LIST: frozenset({_C, _A}),
    Action.CHILD_UPDATE: frozenset({_C, _A}),
    Action.CHILD_DELETE: frozenset({_C, _A}),
    Action.CHILD_OPTIONS: frozenset({_C}),
    Action.MATCH_RUN_CREATE: frozenset({_C, _A}),
    Action.MATCH_RUN_READ: frozenset({_C, _A}),
    Action.PROPOSAL_CREATE: frozenset({_C}),
    Action.PROPOSAL_READ: frozenset({_C, _P, _A}),
    Action.PROPOSAL_ANSWER: frozenset({_P}),
    Action.PROPOSAL_DECIDE: frozenset({_C}),
    Action.PLACEMENT_READ: frozenset({_C, _P, _A}),
    Action.PLACEMENT_END: frozenset({_C}),
    # Aggregates only, and a municipality only its own (checked in the service).
    Action.AUDIT_PROXIMITY: frozenset({Role.MUNICIPALITY, _A}),
}


def require(caller: Caller, action: Action) -> Caller:
    """The caller, if its role may perform ``action``; else :class:`ForbiddenError`."""
    if caller.role not in PERMISSIONS[action]:
        raise ForbiddenError(f"role '{caller.role.value}' may not perform {action.value}")
    return caller
