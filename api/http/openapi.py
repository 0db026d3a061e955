"""Each operation beyond its route: a short stable operation id for generated clients, the
action whose roles may call it and the rate limit it takes from (which
:data:`api.http.deps.CallerDep` enforces), and for the OpenAPI document its summary, a
description naming who may call it, examples of the main bodies, and only the error
statuses the operation can really answer.

One table here rather than arguments on every route decorator: the ids are a public
contract (generated clients name their functions after them), and a test checks the table
against the application, so a new route cannot go out without an entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.routing import APIRoute

from api.http.problems import PROBLEM_RESPONSES, RATE_LIMITED_RESPONSES
from api.services.access import PERMISSIONS, Action

__all__ = [
    "EXAMPLES",
    "OPERATIONS",
    "Operation",
    "document_operations",
    "operation_id",
    "operation_of",
]


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation: its id, its summary, what it does (the description's first
    paragraph), the action whose roles may call it (None: no key needed), the 409 it can
    answer besides an idempotency key in use, the rate-limit bucket each call takes a
    token from (429), and whether its body names objects that may not be found (404;
    an operation on one object's URL answers 404 anyway)."""

    id: str
    summary: str
    description: str
    action: Action | None
    conflicts: bool = False
    limit: str | None = None
    names_objects: bool = False


_OPS = Operation
#: (method, path template) -> the operation. Ids are camelCase verbs on the resource and
#: never change once published.
OPERATIONS: dict[tuple[str, str], Operation] = {
    ("GET", "/health"): _OPS(
        "getHealth", "Liveness check (no key needed)", "Whether the process answers.", None
    ),
    ("GET", "/health/ready"): _OPS(
        "getReadiness",
        "Readiness check: the database answers (no key needed)",
        "Whether the database answers: 503 while it does not.",
        None,
    ),
    ("POST", "/v1/homes"): _OPS(
        "createHome",
        "Register a home",
        "Register a home of the caller's organisation with its beds and capabilities.",
        Action.HOME_CREATE,
        conflicts=True,
    ),
    ("GET", "/v1/homes"): _OPS(
        "listHomes",
        "List homes (a provider: its own)",
        "A page of homes: a provider sees its own, a coordinator every home (for matching).",
        Action.HOME_LIST,
    ),
    ("POST", "/v1/homes/import"): _OPS(
        "importHomes",
        "Register or replace many homes from a CSV file: all rows or none",
        "Register or replace many homes from one CSV file; every row is checked first and "
        "either all rows are written or none.",
        Action.HOME_IMPORT,
        conflicts=True,
        limit="imports",
    ),
    ("GET", "/v1/homes/{home_id}"): _OPS(
        "getHome", "Read a home", "One home, with its ETag for a later If-Match.", Action.HOME_READ
    ),
    ("PATCH", "/v1/homes/{home_id}"): _OPS(
        "updateHome",
        "Change a home (e.g. beds_free)",
        "Change some fields of a home; beds held by open proposals cannot be taken away.",
        Action.HOME_UPDATE,
        conflicts=True,
    ),
    ("DELETE", "/v1/homes/{home_id}"): _OPS(
        "deleteHome",
        "Withdraw a home from the register",
        "Withdraw a home from the register; refused while children live there or beds are held.",
        Action.HOME_WITHDRAW,
        conflicts=True,
    ),
    ("POST", "/v1/children"): _OPS(
        "createChild",
        "Register a child",
        "Register a waiting child of the caller's organisation.",
        Action.CHILD_CREATE,
        conflicts=True,
    ),
    ("GET", "/v1/children"): _OPS(
        "listChildren",
        "List the organisation's children",
        "A page of the organisation's children.",
        Action.CHILD_LIST,
    ),
    ("GET", "/v1/children/{child_id}"): _OPS(
        "getChild",
        "Read a child",
        "One child, with its ETag for a later If-Match.",
        Action.CHILD_READ,
    ),
    ("PATCH", "/v1/children/{child_id}"): _OPS(
        "updateChild",
        "Change a child",
        "Change some fields of a child.",
        Action.CHILD_UPDATE,
        conflicts=True,
    ),
    ("DELETE", "/v1/children/{child_id}"): _OPS(
        "deleteChild",
        "Remove a child's record",
        "Remove a child's record; refused while the child is proposed or placed.",
        Action.CHILD_DELETE,
        conflicts=True,
    ),
    ("GET", "/v1/children/{child_id}/options"): _OPS(
        "getChildOptions",
        "Ranked options: the same document as `dichtbij rank --json`",
        "The homes ranked for a waiting child, each with the criteria behind its score, "
        "and the excluded homes: counted per reason, the nearest 8 explained "
        "(every one with `excluded=all`); each option's members with their points per "
        "criterion (every criterion in full with `members=full`).",
        Action.CHILD_OPTIONS,
        conflicts=True,
        limit="options",
    ),
    ("PUT", "/v1/children/{child_id}/network/{home_id}"): _OPS(
        "attachChildToNetworkHome",
        "Attach the child to a network foster home (add it to the home's known_to)",
        "Record that a network foster home knows the child, so that it may take the child.",
        Action.CHILD_NETWORK_ATTACH,
        conflicts=True,
    ),
    ("DELETE", "/v1/children/{child_id}/network/{home_id}"): _OPS(
        "detachChildFromNetworkHome",
        "Detach the child from a network foster home",
        "Take the child off a network foster home's known_to.",
        Action.CHILD_NETWORK_DETACH,
        conflicts=True,
    ),
    ("POST", "/v1/proposals"): _OPS(
        "createProposal",
        "Propose a sibling group for a home and hold the beds",
        "Propose a sibling group for a home: every placement rule is checked and the beds "
        "are held until the hold lapses.",
        Action.PROPOSAL_CREATE,
        conflicts=True,
    ),
    ("GET", "/v1/proposals"): _OPS(
        "listProposals",
        "List proposals the caller may see",
        "A page of proposals: a coordinator's organisation's, or those to a provider's homes "
        "(in the carers' view).",
        Action.PROPOSAL_LIST,
    ),
    ("GET", "/v1/proposals/{proposal_id}"): _OPS(
        "getProposal",
        "Read a proposal (the provider of the home gets the carers' view)",
        "One proposal; the provider of the home gets the carers' view.",
        Action.PROPOSAL_READ,
    ),
    ("POST", "/v1/proposals/{proposal_id}/accept"): _OPS(
        "acceptProposal",
        "Carers accept",
        "The carers accept a proposed proposal; every rule is checked again.",
        Action.PROPOSAL_ACCEPT,
        conflicts=True,
    ),
    ("POST", "/v1/proposals/{proposal_id}/decline"): _OPS(
        "declineProposal",
        "Carers decline, with a reason; the beds are freed",
        "The carers decline an open proposal with a reason; the beds are freed.",
        Action.PROPOSAL_DECLINE,
        conflicts=True,
    ),
    ("POST", "/v1/proposals/{proposal_id}/confirm"): _OPS(
        "confirmProposal",
        "Confirm an accepted proposal: the children are placed",
        "Confirm an accepted proposal: every rule is checked again and the children are placed.",
        Action.PROPOSAL_CONFIRM,
        conflicts=True,
    ),
    ("POST", "/v1/proposals/{proposal_id}/withdraw"): _OPS(
        "withdrawProposal",
        "Withdraw a proposal; the beds are freed",
        "Withdraw an open proposal; the beds are freed and the children wait again.",
        Action.PROPOSAL_WITHDRAW,
        conflicts=True,
    ),
    ("GET", "/v1/placements"): _OPS(
        "listPlacements",
        "List placements the caller may see",
        "A page of placements the caller may see.",
        Action.PLACEMENT_LIST,
    ),
    ("GET", "/v1/placements/{placement_id}"): _OPS(
        "getPlacement",
        "Read a placement (the provider of the home gets its own view)",
        "One placement; the provider of the home gets its own view.",
        Action.PLACEMENT_READ,
    ),
    ("POST", "/v1/placements/end"): _OPS(
        "endPlacements",
        "End several placements at once (siblings placed together): one reason, all or none",
        "End several placements with one reason and one last day in one transaction: if one "
        "cannot end, none does.",
        Action.PLACEMENT_END,
        conflicts=True,
        names_objects=True,  # a placement of another organisation, or none: 404
    ),
    ("POST", "/v1/placements/{placement_id}/end"): _OPS(
        "endPlacement",
        "End a placement with its reason (return_home, independence, breakdown, move)",
        "End a placement with its reason; the bed is freed.",
        Action.PLACEMENT_END,
        conflicts=True,
    ),
    ("POST", "/v1/match-runs"): _OPS(
        "createMatchRun",
        "Batch match of all waiting children the caller may see (`dichtbij match --json`)",
        "Match every waiting child the caller may see at once and store the result.",
        Action.MATCH_RUN_CREATE,
        conflicts=True,
        limit="match_runs",
    ),
    ("GET", "/v1/match-runs/{run_id}"): _OPS(
        "getMatchRun", "Read a stored match run", "A stored match run.", Action.MATCH_RUN_READ
    ),
    ("GET", "/v1/audit/proximity"): _OPS(
        "getProximity",
        "Proximity metrics for a municipality (or region), small numbers suppressed",
        "Aggregate proximity metrics of a municipality or region, small numbers suppressed.",
        Action.AUDIT_PROXIMITY,
    ),
    ("GET", "/v1/audit/proximity.csv"): _OPS(
        "getProximityCsv",
        "The same metrics as CSV: practice and the engine's counterpart per row",
        "The proximity metrics as CSV.",
        Action.AUDIT_PROXIMITY,
    ),
    ("GET", "/v1/audit/proximity.png"): _OPS(
        "getProximityChart",
        "A chart: distances to parents, monthly share within 10 km, or the type mix",
        "A chart of the proximity metrics (PNG).",
        Action.AUDIT_PROXIMITY,
    ),
    ("POST", "/v1/keys"): _OPS(
        "createKey",
        "Create an API key; the key is in this answer only",
        "Create an API key; the key is in this answer only.",
        Action.KEY_CREATE,
    ),
    ("GET", "/v1/keys"): _OPS(
        "listKeys",
        "List API keys by prefix (never the keys)",
        "A page of API keys by prefix (never the keys).",
        Action.KEY_LIST,
    ),
    ("DELETE", "/v1/keys/{prefix}"): _OPS(
        "revokeKey",
        "Revoke an API key: it stops working at the next request",
        "Revoke an API key: it stops working at the next request.",
        Action.KEY_REVOKE,
    ),
    ("POST", "/v1/planning/capacity"): _OPS(
        "planCapacity",
        "Where extra beds place the most of the area's children (`dichtbij capacity`)",
        "Where N extra beds in existing homes place the most of a municipality's waiting "
        "children, per municipality and kind of home, and whom to recruit: aggregates only, "
        "small counts suppressed as in the audit.",
        Action.PLANNING_CAPACITY,
        limit="planning",
    ),
    ("POST", "/v1/planning/frontier"): _OPS(
        "planFrontier",
        "What placing the area's last children costs (`dichtbij match --frontier K`)",
        "What placing a municipality's last waiting children costs in distance to the "
        "parents: the best assignment for each number of placed children, as counts.",
        Action.PLANNING_FRONTIER,
        limit="planning",
    ),
    ("POST", "/v1/planning/simulations"): _OPS(
        "simulatePlanning",
        "The area under each placement policy, many runs (`dichtbij simulate`)",
        "Months of arrivals and departures in a municipality's area under each placement "
        "policy, many runs: each figure's mean and 95% interval.",
        Action.PLANNING_SIMULATION,
        limit="planning",
    ),
    ("GET", "/v1/audit-trail"): _OPS(
        "listAuditTrail",
        "Read the audit trail (newest first)",
        "The audit trail, newest first.",
        Action.AUDIT_TRAIL_READ,
    ),
}

#: Example request bodies (method, path) -> body; tests validate each against its schema.
#: Made-up ids and Utrecht postcodes that no test data uses: the access tests look for test
#: children's postcodes in every answer, this document included.
EXAMPLES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/v1/homes"): {
        "id": "H-devries",
        "organisation": "pleegzorg-utrecht",
        "type": "foster",
        "postcode": "3584CS",
        "beds_free": 2,
        "age_min": 4,
        "age_max": 14,
        "max_siblings": 2,
        "capabilities": {"trauma": 1, "behaviour": 1},
        "languages": ["nl"],
    },
    ("POST", "/v1/children"): {
        "id": "C-noor",
        "age": 9,
        "parents_postcode": "3581",
        "school_postcode": "3582",
        "needs": {"trauma": 1},
        "urgency": "planned",
    },
    ("POST", "/v1/proposals"): {"child_ids": ["C-noor"], "home_id": "H-devries"},
    ("POST", "/v1/planning/capacity"): {"beds": 3, "lang": "nl"},
    ("POST", "/v1/planning/simulations"): {
        "days": 180,
        "runs": 10,
        "seed": 1,
        "policies": ["practice", "batch-weekly"],
    },
    ("POST", "/v1/proposals/{proposal_id}/decline"): {
        "reason": "Wij kunnen geen kind met deze zorgvraag opvangen"
    },
}


def operation_of(route: APIRoute) -> Operation | None:
    """The table's entry for ``route`` (None for a route missing from it)."""
    for method in sorted(route.methods or ()):
        entry = OPERATIONS.get((method, route.path_format))
        if entry is not None:
            return entry
    return None


def operation_id(route: APIRoute) -> str:
    """FastAPI's ``generate_unique_id_function``: the table's id, or for a route missing
    from it a camelCase of the function name (the table test then fails, but the app
    still starts)."""
    entry = operation_of(route)
    if entry is not None:
        return entry.id
    head, *rest = route.name.split("_")
    return head + "".join(part.title() for part in rest)


def _roles(action: Action | None) -> str:
    if action is None:
        return "Callable without a key."
    roles = ", ".join(sorted(role.value for role in PERMISSIONS[action]))
    return f"Who may call it: {roles}."


def _errors(method: str, path: str, op: Operation, operation: dict[str, Any]) -> set[int]:
    """The error statuses this operation can answer, from what it takes and does."""
    if op.action is None:
        return {503} if path.endswith("/ready") else set()
    names = {p.get("name", "").lower() for p in operation.get("parameters", [])}
    statuses = {401, 403, 422, 503}  # no/bad key, wrong role, bad input, database busy
    if "{" in path or op.names_objects:
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {400, 413}  # a body that is not JSON at all; one too large
    if method == "POST" or op.conflicts:
        statuses.add(409)  # a POST's Idempotency-Key may be in use by a running request
    if "if-match" in names:
        statuses.add(412)
    if op.limit is not None:
        statuses.add(429)
    return statuses


_PROBLEMS = {**PROBLEM_RESPONSES, **RATE_LIMITED_RESPONSES}


def document_operations(schema: dict[str, Any]) -> None:
    """Descriptions, examples and the error responses of every operation in ``schema``."""
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            op = OPERATIONS.get((method.upper(), path))
            if op is None:
                continue
            operation["summary"] = op.summary
            operation["description"] = f"{op.description}\n\n{_roles(op.action)}"
            responses = operation.setdefault("responses", {})
            keep = {str(s) for s in _errors(method.upper(), path, op, operation)}
            for status in [s for s in responses if s[:1] in "45" and s not in keep]:
                del responses[status]
            for status in sorted(keep - set(responses)):
                responses[status] = _PROBLEMS[int(status)]
            example = EXAMPLES.get((method.upper(), path))
            content = operation.get("requestBody", {}).get("content", {})
            if example is not None and "application/json" in content:
                content["application/json"]["example"] = example
