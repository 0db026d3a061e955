"""The proposal lifecycle as one table: which step moves a proposal from which statuses to
which, who may take it, whether the held beds go free, and the action the audit trail
records. The proposal service consults it; the tests are derived from it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from api.schemas.proposals import ProposalStatus
from api.services.access import Role

__all__ = ["TRANSITIONS", "Step", "Transition", "allowed_from"]


class Step(StrEnum):
    """What someone (or the clock) does to an open proposal."""

    ACCEPT = "accept"
    DECLINE = "decline"
    CONFIRM = "confirm"
    WITHDRAW = "withdraw"
    EXPIRE = "expire"


@dataclass(frozen=True, slots=True)
class Transition:
    """One row. ``by`` is None for the system (a lapsed hold). ``beds_released``: the
    held beds go free and the children wait again (a child proposed to move is placed
    again, where it still lives); a confirm instead turns the held beds into taken ones
    (and ends a moving child's old placement, freeing that bed)."""

    step: Step
    sources: tuple[ProposalStatus, ...]
    target: ProposalStatus
    by: Role | None
    beds_released: bool
    audit_action: str

    @property
    def source_values(self) -> tuple[str, ...]:
        """The starting statuses as stored, for the conditional update."""
        return tuple(s.value for s in self.sources)


_PROPOSED, _ACCEPTED = ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED
_OPEN = (_PROPOSED, _ACCEPTED)

TRANSITIONS: dict[Step, Transition] = {
    t.step: t
    for t in (
        Transition(Step.ACCEPT, (_PROPOSED,), _ACCEPTED, Role.PROVIDER, False, "proposal.accept"),
        Transition(
            Step.DECLINE, _OPEN, ProposalStatus.DECLINED, Role.PROVIDER, True, "proposal.decline"
        ),
        Transition(
            Step.CONFIRM,
            (_ACCEPTED,),
            ProposalStatus.CONFIRMED,
            Role.COORDINATOR,
            False,
            "proposal.confirm",
        ),
        Transition(
            Step.WITHDRAW,
            _OPEN,
            ProposalStatus.WITHDRAWN,
            Role.COORDINATOR,
            True,
            "proposal.withdraw",
        ),
        Transition(Step.EXPIRE, _OPEN, ProposalStatus.EXPIRED, None, True, "proposal.expire"),
    )
}


def allowed_from(status: ProposalStatus) -> set[Step]:
    """The steps a proposal in ``status`` can take (none once it is closed)."""
    return {t.step for t in TRANSITIONS.values() if status in t.sources}
