"""Who may do what in training: HQ writes courses and reads everyone's results; partners' people take courses."""

from prm.core import permissions as roles
from prm.core.actor import Actor
from prm.core.roles import DEALER_ROLES, DISTRIBUTOR_ROLES, HQ_ROLES

ACTIONS: dict[str, frozenset[str]] = {
    "course.author": HQ_ROLES,
    "course.results": HQ_ROLES,
    "course.take": DEALER_ROLES | DISTRIBUTOR_ROLES,
}


def can(actor: Actor | None, action: str) -> bool:
    return roles.can(ACTIONS, actor, action)


def require(actor: Actor | None, action: str) -> None:
    roles.require(ACTIONS, actor, action)
