"""Who may do what: the contract's roles table in one place.

A caller is an API key's role and organisation. :data:`PERMISSIONS` says which roles may
call an action at all; which objects they may touch is decided in each service by the
organisation (else 404, so that another organisation's objects stay invisible).

A role without the right to an action gets 403, except on the URL of one object of a kind
the role may never read at all (a provider asking for ``/v1/children/{id}``, a municipality
for ``/v1/proposals/{id}``): that answers 404, exactly as a missing object does, so that
such URLs do not exist for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from api.db.scope import Scope
from api.services.errors import ForbiddenError, NotFoundError

__all__ = ["KIND_NAMES", "PERMISSIONS", "Action", "Caller", "Role", "list_scope", "require"]


class Role(StrEnum):
    """Who holds an API key; ``PERMISSIONS`` says what each role may do."""

    COORDINATOR = "coordinator"
    PROVIDER = "provider"
    MUNICIPALITY = "municipality"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Caller:
    """The holder of the key of a request: its role, the organisation it acts for (a
    provider sees only its own homes) and, for a municipality, the code it audits."""

    role: Role
    organisation: str
    municipality: str | None = None
    key_prefix: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


class Action(StrEnum):
    """One action per endpoint; the value is also the action recorded in the audit trail."""

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
    CHILD_NETWORK_ATTACH = "child.network_attach"
    CHILD_NETWORK_DETACH = "child.network_detach"
    MATCH_RUN_CREATE = "match_run.create"
    MATCH_RUN_READ = "match_run.read"
    PROPOSAL_CREATE = "proposal.create"
    PROPOSAL_READ = "proposal.read"
    PROPOSAL_LIST = "proposal.list"
    PROPOSAL_ACCEPT = "proposal.accept"
    PROPOSAL_DECLINE = "proposal.decline"
    PROPOSAL_CONFIRM = "proposal.confirm"
    PROPOSAL_WITHDRAW = "proposal.withdraw"
    PLACEMENT_READ = "placement.read"
    PLACEMENT_LIST = "placement.list"
    PLACEMENT_END = "placement.end"
    AUDIT_PROXIMITY = "audit.proximity"
    PLANNING_CAPACITY = "planning.capacity"
    PLANNING_FRONTIER = "planning.frontier"
    PLANNING_SIMULATION = "planning.simulation"
    KEY_CREATE = "key.create"
    KEY_LIST = "key.list"
    KEY_REVOKE = "key.revoke"
    AUDIT_TRAIL_READ = "audit_trail.read"

    @property
    def kind(self) -> str:
        """The kind of object the action is about: ``child``, ``proposal``, ``key``..."""
        return self.value.split(".", 1)[0]


_C, _P, _M, _A = Role.COORDINATOR, Role.PROVIDER, Role.MUNICIPALITY, Role.ADMIN

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
    # Only the child's own side may say which family knows it (a provider never can).
    Action.CHILD_NETWORK_ATTACH: frozenset({_C, _A}),
    Action.CHILD_NETWORK_DETACH: frozenset({_C, _A}),
    Action.MATCH_RUN_CREATE: frozenset({_C, _A}),
    Action.MATCH_RUN_READ: frozenset({_C, _A}),
    Action.PROPOSAL_CREATE: frozenset({_C}),
    # Providers read the proposals to their own homes, in the carers' view (no postcodes).
    Action.PROPOSAL_READ: frozenset({_C, _P, _A}),
    Action.PROPOSAL_LIST: frozenset({_C, _P, _A}),
    Action.PROPOSAL_ACCEPT: frozenset({_P}),
    Action.PROPOSAL_DECLINE: frozenset({_P}),
    Action.PROPOSAL_CONFIRM: frozenset({_C}),
    Action.PROPOSAL_WITHDRAW: frozenset({_C}),
    Action.PLACEMENT_READ: frozenset({_C, _P, _A}),
    Action.PLACEMENT_LIST: frozenset({_C, _P, _A}),
    Action.PLACEMENT_END: frozenset({_C}),
    # Aggregates only, and a municipality only its own (checked in the service).
    Action.AUDIT_PROXIMITY: frozenset({_M, _A}),
    # The planning answers of an area, aggregated like the audit; a municipality its own.
    Action.PLANNING_CAPACITY: frozenset({_M, _A}),
    Action.PLANNING_FRONTIER: frozenset({_M, _A}),
    Action.PLANNING_SIMULATION: frozenset({_M, _A}),
    Action.KEY_CREATE: frozenset({_A}),
    Action.KEY_LIST: frozenset({_A}),
    Action.KEY_REVOKE: frozenset({_A}),
    Action.AUDIT_TRAIL_READ: frozenset({_A}),
}

#: The action that reads one object of each kind: a role without it may not even learn
#: that such an object exists.
_READ_OF_KIND: dict[str, Action] = {
    "home": Action.HOME_READ,
    "child": Action.CHILD_READ,
    "match_run": Action.MATCH_RUN_READ,
    "proposal": Action.PROPOSAL_READ,
    "placement": Action.PLACEMENT_READ,
    "key": Action.KEY_LIST,
}

#: How a kind is named in a "not found" message (the services use the same words).
KIND_NAMES: dict[str, str] = {
    "home": "home",
    "child": "child",
    "match_run": "match run",
    "proposal": "proposal",
    "placement": "placement",
    "key": "key",
}


def require(caller: Caller, action: Action, object_id: str | None = None) -> Caller:
    """The caller, if its role may perform ``action``; else :class:`ForbiddenError`, or
    :class:`NotFoundError` when ``object_id`` names an object of a kind the role may not
    read at all."""
    if caller.role in PERMISSIONS[action]:
        return caller
    read = _READ_OF_KIND.get(action.kind)
    if object_id is not None and read is not None and caller.role not in PERMISSIONS[read]:
        raise NotFoundError(KIND_NAMES[action.kind], object_id)
    raise ForbiddenError(f"role '{caller.role.value}' may not perform {action.value}")


def list_scope(caller: Caller) -> Scope:
    """What a list of proposals or placements holds for the caller: a coordinator's
    organisation's own, a provider's those to its homes, everyone else's all."""
    return Scope(
        organisation=caller.organisation if caller.role is Role.COORDINATOR else None,
        home_organisation=caller.organisation if caller.role is Role.PROVIDER else None,
    )
