from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from orders.models import CustomerOrder, Offer
from partners.models import SupplyLink
from prm.core.actor import Actor


def order_visible_to(actor: Actor) -> QuerySet[CustomerOrder]:
    """HQ sees every order; a dealer the orders offered to it; a distributor those offered to its dealers."""
    qs = CustomerOrder.objects.select_related("product_line", "dealer")
    if actor.is_system or actor.is_hq:
        return qs
    if actor.is_dealer:
        return qs.filter(Exists(Offer.objects.filter(order=OuterRef("pk"), dealer_id=actor.organization_id)))
    if actor.is_distributor:
        mine = SupplyLink.objects.filter(distributor_id=actor.organization_id, is_approved=True).values("dealer_id")
        return qs.filter(Exists(Offer.objects.filter(order=OuterRef("pk"), dealer_id__in=mine)))
    return qs.none()


def order_get(actor: Actor, pk: int) -> CustomerOrder:
    return get_object_or_404(order_visible_to(actor), pk=pk)


def offer_visible_to(actor: Actor) -> QuerySet[Offer]:
    qs = Offer.objects.select_related("order", "order__product_line", "dealer")
    if actor.is_system or actor.is_hq:
        return qs
    if actor.is_dealer:
        return qs.filter(dealer_id=actor.organization_id)
    if actor.is_distributor:
        mine = SupplyLink.objects.filter(distributor_id=actor.organization_id, is_approved=True).values("dealer_id")
        return qs.filter(Q(dealer_id__in=mine))
    return qs.none()


def offer_get(actor: Actor, pk: int) -> Offer:
    return get_object_or_404(offer_visible_to(actor), pk=pk)


def order_status_counts() -> dict[str, int]:
    from django.db.models import Count

    return {row["status"]: row["n"] for row in CustomerOrder.objects.values("status").annotate(n=Count("id"))}


def _holder_is_ours(actor: Actor, order: CustomerOrder) -> bool:
    """The dealer holding the order is the actor itself, or one the actor (a distributor) supplies."""
    if order.dealer_id is None:
        return False
    if actor.is_dealer:
        return order.dealer_id == actor.organization_id
    if actor.is_distributor:
        return SupplyLink.objects.filter(distributor_id=actor.organization_id, dealer_id=order.dealer_id,
                                         is_approved=True).exists()
    return False


def order_contact_visible(actor: Actor, order: CustomerOrder) -> bool:
    """The customer's contact details and full address go to HQ, and to a partner only once its dealer has
    accepted the order: a dealer that was merely offered it, or declined it, sees the region and the need."""
    if actor.is_system or actor.is_hq:
        return True
    return order.status == "accepted" and _holder_is_ours(actor, order)


def order_dealer_visible(actor: Actor, order: CustomerOrder) -> bool:
    """Which dealer holds the order is HQ's to know, and the holder's own (and its distributor's)."""
    if actor.is_system or actor.is_hq or order.dealer_id is None:
        return True
    return _holder_is_ours(actor, order)
