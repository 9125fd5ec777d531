"""Which roles may do what in the partner network. Services check these again even when a view did."""

from django.utils.translation import gettext as _

from prm.core.actor import Actor
from prm.core.errors import NotAllowed
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
    if actor is None:
        return False
    if actor.is_system:
        return True
    return actor.role in ACTIONS[action]


def require(actor: Actor | None, action: str) -> None:
    if not can(actor, action):
        raise NotAllowed(_("Your role can't do this. Ask an administrator of your organisation."))
