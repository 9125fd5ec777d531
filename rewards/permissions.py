"""Who may do what in the rewards app (action -> roles). Services check it again even when the view did."""

from prm.core import permissions as roles
from prm.core.actor import Actor
from prm.core.roles import DEALER_ROLES, DISTRIBUTOR_ROLES, HQ_ROLES, Role

ACTIONS: dict[str, frozenset[str]] = {
    # tier program
    "tiers.view": HQ_ROLES,
    "tiers.edit": frozenset({Role.HQ_ADMIN}),
    "tiers.run": HQ_ROLES,
    # points ledger
    "points.redeem": DEALER_ROLES | DISTRIBUTOR_ROLES,
    "points.decide": HQ_ROLES,
    "points.correct": frozenset({Role.HQ_ADMIN}),
    "points.rules": frozenset({Role.HQ_ADMIN}),
    "points.rewards": HQ_ROLES,
}


def can(actor: Actor | None, action: str) -> bool:
    return roles.can(ACTIONS, actor, action)


def require(actor: Actor | None, action: str) -> None:
    roles.require(ACTIONS, actor, action)
