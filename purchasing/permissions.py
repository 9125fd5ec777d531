from prm.core import permissions as roles
from prm.core.actor import Actor
from prm.core.roles import DEALER_ROLES, DISTRIBUTOR_ROLES, HQ_ROLES, Role

ACTIONS: dict[str, frozenset[str]] = {
    "purchase.order": DEALER_ROLES | DISTRIBUTOR_ROLES,
    "sales.fulfil": DISTRIBUTOR_ROLES | HQ_ROLES,
    "credit.exception": frozenset({Role.HQ_ADMIN}),
    "payment.record": frozenset({Role.DISTRIBUTOR_ADMIN}) | HQ_ROLES,
    "catalogue.manage": HQ_ROLES,
    "stock.manage": frozenset({Role.DISTRIBUTOR_ADMIN}) | HQ_ROLES,
}


def can(actor: Actor | None, action: str) -> bool:
    return roles.can(ACTIONS, actor, action)


def require(actor: Actor | None, action: str) -> None:
    roles.require(ACTIONS, actor, action)
