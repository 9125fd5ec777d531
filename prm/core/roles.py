"""Roles a membership can hold, and which organisation kind each belongs to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    HQ = "hq", _("HQ")
    DISTRIBUTOR = "distributor", _("Distributor")
    DEALER = "dealer", _("Dealer")


class Role(models.TextChoices):
    HQ_ADMIN = "hq_admin", _("HQ admin")
    HQ_CHANNEL_MANAGER = "hq_channel_manager", _("HQ channel manager")
    DISTRIBUTOR_ADMIN = "distributor_admin", _("Distributor admin")
    DISTRIBUTOR_STAFF = "distributor_staff", _("Distributor staff")
    DEALER_ADMIN = "dealer_admin", _("Dealer admin")
    DEALER_STAFF = "dealer_staff", _("Dealer staff")


ROLE_KIND: dict[str, str] = {
    Role.HQ_ADMIN: OrgKind.HQ,
    Role.HQ_CHANNEL_MANAGER: OrgKind.HQ,
    Role.DISTRIBUTOR_ADMIN: OrgKind.DISTRIBUTOR,
    Role.DISTRIBUTOR_STAFF: OrgKind.DISTRIBUTOR,
    Role.DEALER_ADMIN: OrgKind.DEALER,
    Role.DEALER_STAFF: OrgKind.DEALER,
}

HQ_ROLES = frozenset({Role.HQ_ADMIN, Role.HQ_CHANNEL_MANAGER})
DISTRIBUTOR_ROLES = frozenset({Role.DISTRIBUTOR_ADMIN, Role.DISTRIBUTOR_STAFF})
DEALER_ROLES = frozenset({Role.DEALER_ADMIN, Role.DEALER_STAFF})
