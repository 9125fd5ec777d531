"""Who may do what with notices: HQ (and a distributor, for the notices it sent its own dealers) reads the
counts; everyone chooses which notices reach them by e-mail."""

from prm.core import permissions as roles
from prm.core.actor import Actor
from prm.core.roles import DEALER_ROLES, DISTRIBUTOR_ROLES, HQ_ROLES

ACTIONS: dict[str, frozenset[str]] = {
    "broadcast.view": HQ_ROLES | DISTRIBUTOR_ROLES,
    "preferences.edit": HQ_ROLES | DISTRIBUTOR_ROLES | DEALER_ROLES,
}


def can(actor: Actor | None, action: str) -> bool:
    return roles.can(ACTIONS, actor, action)


def require(actor: Actor | None, action: str) -> None:
    roles.require(ACTIONS, actor, action)
