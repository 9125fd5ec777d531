from django.utils.translation import gettext as _

from prm.core.actor import Actor
from prm.core.errors import NotAllowed
from prm.core.roles import DEALER_ROLES, HQ_ROLES

ACTIONS: dict[str, frozenset[str]] = {
    "order.create": HQ_ROLES,
    "order.reroute": HQ_ROLES,
    "offer.respond": DEALER_ROLES,
}


def can(actor: Actor | None, action: str) -> bool:
    if actor is None:
        return False
    return actor.is_system or actor.role in ACTIONS[action]


def require(actor: Actor | None, action: str) -> None:
    if not can(actor, action):
        raise NotAllowed(_("Your role can't do this. Ask an administrator of your organisation."))
