"""Catalogue, price-list and stock makers for the partner-ordering tests, and the personas' actors."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from catalog.models import PriceAudience, PriceList, Product, StockLevel
from partners.choices import CreditStatus
from partners.models import Membership, Organization
from prm.accounts.models import User
from prm.core.actor import Actor
from tests import factories

_skus = itertools.count(1)
TODAY = timezone.localdate


def product(sku: str | None = None, name: str = "벽걸이 에어컨") -> Product:
    return Product.objects.create(sku=sku or f"AC-{next(_skus):05d}", product_line=factories.product_line(),
                                  name_ko=name)


def price_list(audience: str, prices: dict[Product, Decimal | str], *, tier: str = "",
               valid_from: dt.date | None = None, valid_until: dt.date | None = None, promotion: bool = False,
               campaign: str = "", name: str = "") -> PriceList:
    """A list with one price per product, valid from 30 days ago (unless told) and open-ended."""
    price_list = PriceList.objects.create(
        name=name or f"{audience} {tier or 'all'}", audience=audience, tier=tier, is_promotion=promotion,
        campaign=campaign, valid_from=valid_from or TODAY() - dt.timedelta(days=30), valid_until=valid_until)
    for item, amount in prices.items():
        price_list.prices.create(product=item, amount=Decimal(amount))
    return price_list


def dealer_prices(prices: dict[Product, Decimal | str], **kwargs: object) -> PriceList:
    return price_list(PriceAudience.DEALER, prices, **kwargs)  # type: ignore[arg-type]


def stock(holder: Organization, item: Product, on_hand: int) -> StockLevel:
    return StockLevel.objects.create(holder=holder, product=item, on_hand=on_hand)


def stock_of(holder: Organization, item: Product) -> StockLevel:
    return StockLevel.objects.get(holder=holder, product=item)


def on_credit(org: Organization, limit: int | Decimal) -> Organization:
    org.credit_status, org.credit_limit = CreditStatus.REGISTERED, Decimal(limit)
    org.save(update_fields=["credit_status", "credit_limit"])
    return org


def actor(user: User) -> Actor:
    """A fresh actor (never the one cached on the user): threads must not share Organization instances."""
    return Actor.from_membership(Membership.objects.select_related("organization", "user").get(user=user))
