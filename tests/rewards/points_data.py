"""Small builders for the points tests: rules, rewards, earned points on a given day."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from partners.models import Organization
from rewards.models import LedgerEntry, PointsEvent, PointsRule, Reward, RewardKind
from rewards.services.points import points_earn

_refs = itertools.count(1)


def rule(event: str = PointsEvent.ORDER_DELIVERED, *, fixed: int = 0, per_10k: int = 1, months: int = 12,
         active: bool = True) -> PointsRule:
    found, _ = PointsRule.objects.update_or_create(event=event, defaults={
        "fixed_points": fixed, "points_per_10k": per_10k, "expires_after_months": months, "is_active": active})
    return found


def reward(name: str = "텀블러", *, cost: int = 100, stock: int | None = None, kind: str = RewardKind.GOODS,
           credit: int | None = None, active: bool = True) -> Reward:
    return Reward.objects.create(name=name, points_cost=cost, stock=stock, kind=kind, is_active=active,
                                 credit_amount=Decimal(credit) if credit is not None else None)


def earn(partner: Organization, points: int, *, months: int = 12, day: dt.date | None = None,
         reference: str | None = None, **kwargs: Any) -> LedgerEntry | None:
    """``points`` earned by an order delivered (one point per KRW 10,000), expiring ``months`` after ``day``."""
    rule(PointsEvent.ORDER_DELIVERED, per_10k=1, months=months)
    return points_earn(partner=partner, event=PointsEvent.ORDER_DELIVERED,
                       reference=reference or f"purchase:{next(_refs)}", amount=points * 10_000, today=day,
                       **kwargs)
