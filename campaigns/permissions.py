"""Who may do what with campaigns and marketing funds (action -> roles). Services check it again even when the
view did."""

from prm.core import permissions as roles
from prm.core.actor import Actor
from prm.core.roles import DEALER_ROLES, DISTRIBUTOR_ROLES, HQ_ROLES, Role

PARTNER_ADMINS = frozenset({Role.DEALER_ADMIN, Role.DISTRIBUTOR_ADMIN})

ACTIONS: dict[str, frozenset[str]] = {
    # campaigns
    "campaign.manage": HQ_ROLES,
    "campaign.results": HQ_ROLES,
    "campaign.join": DEALER_ROLES | DISTRIBUTOR_ROLES,
    # marketing funds: asking for money and claiming it commits the partner, so its admin does it
    "fund.propose": PARTNER_ADMINS,
    "fund.claim": PARTNER_ADMINS,
    "fund.decide": HQ_ROLES,
    "fund.pay": frozenset({Role.HQ_ADMIN}),
}


def can(actor: Actor | None, action: str) -> bool:
    return roles.can(ACTIONS, actor, action)


def require(actor: Actor | None, action: str) -> None:
    roles.require(ACTIONS, actor, action)
