"""Which roles may do what in the partner network. Services check these again even when a view did."""

from prm.core import permissions as roles
from prm.core.actor import Actor
from prm.core.roles import DISTRIBUTOR_ROLES, HQ_ROLES, Role

ACTIONS: dict[str, frozenset[str]] = {
    "organization.create": frozenset({Role.HQ_ADMIN, Role.HQ_CHANNEL_MANAGER}),
    "membership.create": frozenset({Role.HQ_ADMIN, Role.HQ_CHANNEL_MANAGER, Role.DISTRIBUTOR_ADMIN,
                                    Role.DEALER_ADMIN}),
    "dealer_list.upload": DISTRIBUTOR_ROLES | HQ_ROLES,
    "supply_link.review": HQ_ROLES,
    "organization.update": HQ_ROLES,
    "product_line.manage": HQ_ROLES,
}


def can(actor: Actor | None, action: str) -> bool:
    return roles.can(ACTIONS, actor, action)


def require(actor: Actor | None, action: str) -> None:
    roles.require(ACTIONS, actor, action)
