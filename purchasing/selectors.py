"""Who sees which purchase orders and accounts: the buyer its own, the supplier those placed with it, HQ all.
Anything else is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from partners.models import Organization, SupplyLink
from prm.core.actor import Actor
from purchasing.models import AccountEntry, PurchaseOrder, PurchaseStatus, Shipment


def purchases_of(actor: Actor) -> QuerySet[PurchaseOrder]:
    """The orders the actor's organisation placed (carts excluded)."""
    return (PurchaseOrder.objects.filter(buyer_id=actor.organization_id).exclude(status=PurchaseStatus.CART)
            .select_related("supplier", "buyer"))


def sales_of(actor: Actor) -> QuerySet[PurchaseOrder]:
    """The orders placed with the actor's organisation (HQ: with HQ)."""
    return (PurchaseOrder.objects.filter(supplier_id=actor.organization_id).exclude(status=PurchaseStatus.CART)
            .select_related("supplier", "buyer"))


def order_visible_to(actor: Actor) -> QuerySet[PurchaseOrder]:
    qs = PurchaseOrder.objects.exclude(status=PurchaseStatus.CART).select_related("supplier", "buyer")
    if actor.is_system or actor.is_hq:
        return qs
    return qs.filter(Q(buyer_id=actor.organization_id) | Q(supplier_id=actor.organization_id))


def order_get(actor: Actor, pk: int) -> PurchaseOrder:
    return get_object_or_404(order_visible_to(actor), pk=pk)


def shipment_get(actor: Actor, pk: int) -> Shipment:
    return get_object_or_404(Shipment.objects.filter(order__in=order_visible_to(actor)).select_related("order"),
                             pk=pk)


def carts_of(actor: Actor) -> QuerySet[PurchaseOrder]:
    return (PurchaseOrder.objects.filter(buyer_id=actor.organization_id, status=PurchaseStatus.CART)
            .select_related("supplier").prefetch_related("lines__product"))


def account_visible(actor: Actor, buyer: Organization) -> bool:
    """A buyer's account: the buyer itself, HQ, and the distributor supplying it."""
    if actor.is_system or actor.is_hq or actor.organization_id == buyer.pk:
        return True
    return actor.is_distributor and SupplyLink.objects.filter(distributor_id=actor.organization_id,
                                                               dealer=buyer, is_approved=True).exists()


@dataclass
class StatementLine:
    entry: AccountEntry
    balance: Decimal


def statement(buyer: Organization, supplier: Organization | None = None) -> list[StatementLine]:
    """The buyer's account entries, oldest first, each with the running balance."""
    entries = AccountEntry.objects.filter(buyer=buyer).select_related("supplier", "order")
    if supplier is not None:
        entries = entries.filter(supplier=supplier)
    running = Decimal(0)
    lines = []
    for entry in entries.order_by("created_at", "id"):
        running += entry.amount
        lines.append(StatementLine(entry=entry, balance=running))
    return lines


def balance_of(buyer: Organization) -> Decimal:
    return AccountEntry.objects.filter(buyer=buyer).aggregate(total=Coalesce(Sum("amount"), Decimal(0)))["total"]
