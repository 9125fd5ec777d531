"""Makers for the tier tests: a program with tiers, and the figures tiers are computed from (sales, won
customer orders, answered offers, certificates, ratings), dated where the test wants them."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from orders.models import CustomerOrder, Offer
from partners.models import Organization
from purchasing.models import PurchaseLine, PurchaseOrder
from rewards.models import Tier, TierProgram
from rewards.models.tiers import ProgramStatus
from tests import factories
from tests.purchasing import shop

_numbers = itertools.count(1)


def program(*, tiers: list[dict[str, Any]] | None = None, published: bool = True, **fields: Any) -> TierProgram:
    """Bronze (no criteria), Silver (₩1,000,000 sales), Gold (₩5,000,000 sales, 2 certifications, 3 won
    orders), unless told otherwise."""
    fields.setdefault("name", "딜러 등급")
    fields.setdefault("grace_days", 30)
    made = TierProgram.objects.create(status=ProgramStatus.PUBLISHED if published else ProgramStatus.DRAFT,
                                      published_at=timezone.now() if published else None, **fields)
    for row in tiers if tiers is not None else [
        {"name": "Bronze", "rank": 1, "routing_step": 1},
        {"name": "Silver", "rank": 2, "min_sales": Decimal(1_000_000), "routing_step": 2,
         "credit_limit": Decimal(3_000_000)},
        {"name": "Gold", "rank": 3, "min_sales": Decimal(5_000_000), "min_certifications": 2, "min_orders_won": 3,
         "routing_step": 3, "credit_limit": Decimal(10_000_000), "mdf_share": Decimal(5)},
    ]:
        Tier.objects.create(program=made, **row)
    return made


def sale(buyer: Organization, supplier: Organization, amount: int | Decimal, *, days_ago: int = 10,
         status: str = "delivered") -> PurchaseOrder:
    """A purchase of ``amount`` the buyer placed ``days_ago`` days ago, in two lines."""
    placed = timezone.now() - dt.timedelta(days=days_ago)
    order = PurchaseOrder.objects.create(buyer=buyer, supplier=supplier, status=status, total=Decimal(amount),
                                         number=f"T{next(_numbers):08d}", placed_at=placed, terms="credit")
    half = (Decimal(amount) / 2).quantize(Decimal(1))
    for part in (half, Decimal(amount) - half):
        PurchaseLine.objects.create(order=order, product=shop.product(), quantity=1, unit_price=part,
                                    line_total=part)
    return order


def customer_order(dealer: Organization, *, stage: str = "won", days_ago: int = 5, won_value: int = 1_000_000,
                   satisfaction: int | None = None) -> CustomerOrder:
    return CustomerOrder.objects.create(
        number=f"C{next(_numbers):09d}", customer_name="김고객", address="서울특별시 중구 세종대로 1",
        product_line=factories.product_line(), status="accepted", dealer=dealer, stage=stage,
        stage_changed_at=timezone.now() - dt.timedelta(days=days_ago),
        won_value=won_value if stage == "won" else None, satisfaction=satisfaction)


def offer(dealer: Organization, status: str, *, days_ago: int = 5) -> Offer:
    order = customer_order(dealer, stage="", days_ago=days_ago)
    made = Offer.objects.create(order=order, dealer=dealer, status=status)
    Offer.objects.filter(pk=made.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return made


def certificate(dealer: Organization, user: Any, *, days_valid: int | None = 365, title: str = "인버터 기초") -> Any:
    from training.models import Certificate, Course

    course = Course.objects.create(title=title, status="published")
    now = timezone.now()
    return Certificate.objects.create(course=course, user=user, organization=dealer,
                                      number=f"CERT-{next(_numbers):06d}", issued_at=now - dt.timedelta(days=1),
                                      expires_at=None if days_valid is None else now + dt.timedelta(days=days_valid))
