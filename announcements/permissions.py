"""Who may do what with announcements: HQ's people and a distributor's admins write them (a distributor to its own
dealers); HQ and the distributor's people read their figures; partners' people read what is for them."""

from prm.core import permissions as roles
from prm.core.actor import Actor
from prm.core.roles import DEALER_ROLES, DISTRIBUTOR_ROLES, HQ_ROLES, Role

ACTIONS: dict[str, frozenset[str]] = {
    "announcement.write": HQ_ROLES | {Role.DISTRIBUTOR_ADMIN},
    "announcement.figures": HQ_ROLES | DISTRIBUTOR_ROLES,
    "announcement.read": DEALER_ROLES | DISTRIBUTOR_ROLES | HQ_ROLES,
}


def can(actor: Actor | None, action: str) -> bool:
    return roles.can(ACTIONS, actor, action)


def require(actor: Actor | None, action: str) -> None:
    roles.require(ACTIONS, actor, action)
