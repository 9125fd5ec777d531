"""What other apps tell rewards when a partner did something that counts: the points the tenant's rule gives
(earned in the caller's transaction, once per reference) and, once that transaction commits, the partner's tier
recomputed so an upgrade applies at once.

Called with a local import from ``training`` (course passed), ``purchasing`` (order delivered) and ``orders``
(customer order won, offer answered): those apps never read rewards' tables.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from partners.models import Organization
from prm.core.actor import Actor
from rewards.models import LedgerEntry, PointsEvent


def partner_did(*, partner: Organization, event: str, reference: str, amount: Decimal | int | None = None,
                actor: Actor | None = None, detail: str = "") -> LedgerEntry | None:
    """``event`` (a PointsEvent) happened for ``partner``; ``reference`` names it ("purchase:12") so a retry or a
    second call earns nothing more. Returns the points entry, if the rule gave any."""
    from rewards.services.points import points_earn

    entry = points_earn(partner=partner, event=event, reference=reference, amount=amount, actor=actor,
                        detail=detail)
    tier_recompute_soon([partner.pk])
    return entry


def tier_recompute_soon(partner_ids: list[int]) -> None:
    """After the caller's transaction commits, recompute these partners' tiers (upgrades apply at once; a
    downgrade still waits for its grace period)."""
    from rewards.models import TierProgram
    from rewards.models.tiers import ProgramStatus

    ids = sorted({int(i) for i in partner_ids if i})
    if not ids or not TierProgram.objects.filter(status=ProgramStatus.PUBLISHED).exists():
        return
    from rewards.tier_tasks import tiers_recompute_partners_task

    transaction.on_commit(lambda: tiers_recompute_partners_task.delay(ids))


__all__ = ["PointsEvent", "partner_did", "tier_recompute_soon"]
