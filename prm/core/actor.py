"""Who is acting: the user, their organisation and role. Every service and selector takes one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prm.core.roles import OrgKind

if TYPE_CHECKING:
    from partners.models import Membership, Organization
    from prm.accounts.models import User


@dataclass(frozen=True)
class Actor:
    user: User | None
    organization: Organization | None
    role: str

    @property
    def kind(self) -> str | None:
        return self.organization.kind if self.organization is not None else None

    @property
    def is_hq(self) -> bool:
        return self.kind == OrgKind.HQ

    @property
    def is_distributor(self) -> bool:
        return self.kind == OrgKind.DISTRIBUTOR

    @property
    def is_dealer(self) -> bool:
        return self.kind == OrgKind.DEALER

    @property
    def is_system(self) -> bool:
        return self.user is None and self.role == "system"

    @property
    def organization_id(self) -> int | None:
        return self.organization.pk if self.organization is not None else None

    @classmethod
    def system(cls) -> Actor:
        """The background worker or an operator's command: no organisation, acts with HQ's reach."""
        return cls(user=None, organization=None, role="system")

    @classmethod
    def from_membership(cls, membership: Membership) -> Actor:
        return cls(user=membership.user, organization=membership.organization, role=membership.role)


def actor_for(user: Any) -> Actor | None:
    """The actor for a logged-in user of the current tenant, or None if they belong to no organisation."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_prm_actor", None)
    if cached is not None:
        return cached
    from partners.models import Membership

    membership = (
        Membership.objects.select_related("organization", "user")
        .filter(user=user, is_active=True)
        .order_by("created_at")
        .first()
    )
    if membership is None:
        return None
    actor = Actor.from_membership(membership)
    user._prm_actor = actor
    return actor
