"""Reading the catalogue: what a partner sees, what it pays (its own prices only), and how much its supplier has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import PriceAudience, Product, ProductStatus, StockLevel
from partners.models import Organization
from prm.core.actor import Actor
from prm.core.roles import OrgKind

# A price change is announced to the partners it affects this many days ahead.
ANNOUNCE_DAYS = 60


def catalogue(*, q: str = "", line: int | None = None, kind: str = "", status: str = "") -> QuerySet[Product]:
    """Products matching the search (part of a name in either language, or of the SKU), for everyone in the
    tenant: the catalogue itself is not secret, prices and stock are."""
    qs = Product.objects.select_related("product_line")
    words = q.strip()[:100]
    if words:
        qs = qs.filter(Q(name_ko__icontains=words) | Q(name_en__icontains=words) | Q(sku__icontains=words))
    if line:
        qs = qs.filter(product_line_id=line)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("sku")


def product_get(pk: int) -> Product:
    return get_object_or_404(Product.objects.select_related("product_line").prefetch_related("documents"), pk=pk)


@dataclass(frozen=True)
class PartnerPrice:
    """What one partner pays for one product today, and what is announced."""

    amount: Decimal
    regular: Decimal | None
    promotion: bool = False
    campaign: str = ""
    promotion_until: dt.date | None = None
    next_amount: Decimal | None = None
    next_from: dt.date | None = None


PRICES_SQL = """
WITH wanted AS (
    SELECT id FROM catalog_product WHERE %(all)s OR id = ANY(%(ids)s::bigint[])
), lists AS (
    SELECT l.* FROM catalog_pricelist l
    WHERE l.audience = %(audience)s AND (l.tier = '' OR lower(btrim(l.tier)) = lower(btrim(%(tier)s)))
), regular AS (
    -- the partner's own tier's list wins over the general one, then the most recent
    SELECT DISTINCT ON (p.product_id) p.product_id, p.amount
    FROM catalog_price p JOIN lists l ON l.id = p.price_list_id JOIN wanted w ON w.id = p.product_id
    WHERE (%(all)s OR p.product_id = ANY(%(ids)s::bigint[]))
      AND NOT l.is_promotion AND l.valid_from <= %(day)s AND (l.valid_until IS NULL OR l.valid_until >= %(day)s)
    ORDER BY p.product_id, (l.tier <> '') DESC, l.valid_from DESC, l.id DESC
), promotion AS (
    SELECT DISTINCT ON (p.product_id) p.product_id, p.amount, l.campaign, l.valid_until
    FROM catalog_price p JOIN lists l ON l.id = p.price_list_id JOIN wanted w ON w.id = p.product_id
    WHERE (%(all)s OR p.product_id = ANY(%(ids)s::bigint[]))
      AND l.is_promotion AND l.valid_from <= %(day)s AND (l.valid_until IS NULL OR l.valid_until >= %(day)s)
    ORDER BY p.product_id, p.amount, l.id
), upcoming AS (
    SELECT DISTINCT ON (p.product_id) p.product_id, p.amount, l.valid_from
    FROM catalog_price p JOIN lists l ON l.id = p.price_list_id JOIN wanted w ON w.id = p.product_id
    WHERE (%(all)s OR p.product_id = ANY(%(ids)s::bigint[]))
      AND NOT l.is_promotion AND l.valid_from > %(day)s AND l.valid_from <= %(day)s + %(ahead)s
      -- a general list does not affect a partner whose own tier's list is still in force on that day
      AND (l.tier <> '' OR NOT EXISTS (
          SELECT 1 FROM catalog_price tp JOIN lists tl ON tl.id = tp.price_list_id
          WHERE tp.product_id = p.product_id AND NOT tl.is_promotion AND tl.tier <> ''
            AND tl.valid_from <= l.valid_from AND (tl.valid_until IS NULL OR tl.valid_until >= l.valid_from)))
    ORDER BY p.product_id, l.valid_from, (l.tier <> '') DESC, l.id DESC
)
SELECT w.id, r.amount, pr.amount, pr.campaign, pr.valid_until, u.amount, u.valid_from
FROM wanted w
LEFT JOIN regular r ON r.product_id = w.id
LEFT JOIN promotion pr ON pr.product_id = w.id
LEFT JOIN upcoming u ON u.product_id = w.id
WHERE r.amount IS NOT NULL OR pr.amount IS NOT NULL OR u.amount IS NOT NULL
"""


def prices_for(partner: Organization, product_ids: list[int] | None = None,
               day: dt.date | None = None) -> dict[int, PartnerPrice]:
    """The partner's price for each product that has one (all products when ``product_ids`` is None), in one
    statement: its audience's list (distributor, or dealer of its tier), a promotion if lower, and the next
    announced change. A product without a price for this partner is missing from the result."""
    if partner.kind not in (OrgKind.DEALER, OrgKind.DISTRIBUTOR):
        return {}
    day = day or timezone.localdate()
    audience = PriceAudience.DISTRIBUTOR if partner.kind == OrgKind.DISTRIBUTOR else PriceAudience.DEALER
    with connection.cursor() as cursor:
        cursor.execute(PRICES_SQL, {"all": product_ids is None, "ids": product_ids or [], "audience": audience,
                                    "tier": partner.tier or "", "day": day, "ahead": ANNOUNCE_DAYS})
        rows = cursor.fetchall()
    prices: dict[int, PartnerPrice] = {}
    for product_id, regular, promo, campaign, promo_until, upcoming, upcoming_from in rows:
        if regular is None and promo is None:
            continue  # only announced: not orderable yet
        is_promotion = promo is not None and (regular is None or promo < regular)
        announced = upcoming if upcoming is not None and upcoming != regular else None
        amount = promo if is_promotion else regular
        assert amount is not None  # one of them is set (checked above)
        prices[product_id] = PartnerPrice(
            amount=amount, regular=regular, promotion=is_promotion,
            campaign=(campaign or "") if is_promotion else "", promotion_until=promo_until if is_promotion else None,
            next_amount=announced, next_from=upcoming_from if announced is not None else None)
    return prices


@dataclass(frozen=True)
class Availability:
    """How a supplier's stock of a product looks to a buyer: a word and a date, the number only to the holder."""

    level: str  # in_stock / low / out
    label: Any
    expected_on: dt.date | None = None
    exact: int | None = None


LEVEL_LABELS = {"in_stock": _("In stock"), "low": _("Low stock"), "out": _("Out of stock")}


def availability(supplier: Organization, product_ids: list[int], viewer: Actor) -> dict[int, Availability]:
    """The supplier's stock of each product as ``viewer`` may see it. One query."""
    levels = {s.product_id: s for s in StockLevel.objects.filter(holder=supplier, product_id__in=product_ids)}
    owner = viewer.organization_id == supplier.pk
    result = {}
    for product_id in product_ids:
        stock = levels.get(product_id)
        available = stock.available if stock else 0
        level = "out" if available <= 0 else ("low" if stock and available <= stock.low_at else "in_stock")
        result[product_id] = Availability(
            level=level, label=LEVEL_LABELS[level],
            expected_on=stock.expected_on if stock and level != "in_stock" else None,
            exact=available if owner else None)
    return result


def stock_of(holder: Organization) -> QuerySet[StockLevel]:
    """A holder's own stock (exact numbers): only the holder's people and HQ read this."""
    return StockLevel.objects.filter(holder=holder).select_related("product").order_by("product__sku")


def orderable(product: Product) -> bool:
    return product.status != ProductStatus.DISCONTINUED
