from prm.core import permissions as roles
from prm.core.actor import Actor
from prm.core.roles import DEALER_ROLES, DISTRIBUTOR_ROLES, HQ_ROLES

ACTIONS: dict[str, frozenset[str]] = {
    "order.create": HQ_ROLES,
    "order.reroute": HQ_ROLES,
    "order.rate": HQ_ROLES,
    "routing.manage": HQ_ROLES,
    "deal.register": DEALER_ROLES | DISTRIBUTOR_ROLES,
    "deal.review": HQ_ROLES,
    "order.progress": DEALER_ROLES,
    "offer.respond": DEALER_ROLES,
}


def can(actor: Actor | None, action: str) -> bool:
    return roles.can(ACTIONS, actor, action)


def require(actor: Actor | None, action: str) -> None:
    roles.require(ACTIONS, actor, action)
