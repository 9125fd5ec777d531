import re
import unicodedata

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from orders.choices import DealStatus
from orders.models import CustomerOrder, Deal, Offer
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


def partner_dealer_ids(actor: Actor) -> set[int] | None:
    """The dealers whose orders a partner speaks for: itself, or those it supplies; None for HQ (all).
    Computed once per request and passed to the checks below, so a list of orders costs no query per order."""
    if actor.is_system or actor.is_hq:
        return None
    if actor.is_dealer and actor.organization_id is not None:
        return {actor.organization_id}
    if actor.is_distributor:
        return set(SupplyLink.objects.filter(distributor_id=actor.organization_id, is_approved=True)
                   .values_list("dealer_id", flat=True))
    return set()


def order_contact_visible(order: CustomerOrder, dealer_ids: set[int] | None) -> bool:
    """The customer's contact details and full address go to HQ, and to a partner only once its dealer has
    accepted the order: a dealer that was merely offered it, or declined it, sees the region and the need."""
    if dealer_ids is None:
        return True
    return order.status == "accepted" and order.dealer_id in dealer_ids


def order_dealer_visible(order: CustomerOrder, dealer_ids: set[int] | None) -> bool:
    """Which dealer holds the order is HQ's to know, and the holder's own (and its distributor's)."""
    return dealer_ids is None or order.dealer_id is None or order.dealer_id in dealer_ids


def deal_visible_to(actor: Actor) -> QuerySet[Deal]:
    """HQ sees every deal; a partner its own."""
    qs = Deal.objects.select_related("partner", "product_line")
    if actor.is_system or actor.is_hq:
        return qs
    if actor.organization_id and (actor.is_dealer or actor.is_distributor):
        return qs.filter(partner_id=actor.organization_id)
    return qs.none()


def deal_get(actor: Actor, pk: int) -> Deal:
    return get_object_or_404(deal_visible_to(actor), pk=pk)


# pg_trgm similarity (0..1) of two customers' keys in the same district. HQ's review shows anything that may be
# the same customer ("한빛전자" and "한빛전기", 0.43); routing protects only a near-certain match (keys that
# differ by little more than a legal form or spacing, which company_key already removes).
CONFLICT_SIMILARITY = 0.4
PROTECT_SIMILARITY = 0.6
_LEGAL_FORMS = re.compile(
    r"\(주\)|주식회사|\(유\)|유한회사|\(사\)|\(재\)|\b(co|corp|corporation|inc|ltd|llc|limited)\b\.?", re.IGNORECASE)


def company_key(name: str) -> str:
    """A customer's name as deals compare it: NFC, no legal form, no spaces or punctuation, lower case."""
    text = _LEGAL_FORMS.sub(" ", unicodedata.normalize("NFKC", name or ""))
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def deal_conflicts(deal: Deal) -> QuerySet[Deal]:
    """Other live deals (waiting or protected) for what may be the same customer: the same business number, or
    a similar name in the same district. HQ sees them before approving."""
    from django.contrib.postgres.search import TrigramSimilarity
    same = Q(pk__in=[])
    if deal.customer_business_number:
        same |= Q(customer_business_number=deal.customer_business_number)
    if deal.region_code:
        similar_ids = (Deal.objects.filter(region_code=deal.region_code)
                       .annotate(similarity=TrigramSimilarity("customer_key", deal.customer_key))
                       .filter(similarity__gte=CONFLICT_SIMILARITY).values("pk"))
        same |= Q(pk__in=similar_ids)
    return (Deal.objects.filter(same, status__in=[DealStatus.SUBMITTED, DealStatus.APPROVED])
            .exclude(pk=deal.pk).select_related("partner"))
