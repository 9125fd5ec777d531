import re
import unicodedata
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

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


CONFLICTS_SQL = """
SELECT d.id, c.id
FROM orders_deal d
JOIN orders_deal c ON c.id <> d.id AND c.status IN ('submitted', 'approved') AND (
    (d.customer_business_number <> '' AND c.customer_business_number = d.customer_business_number)
    OR (d.region_code <> '' AND c.region_code = d.region_code
        AND similarity(c.customer_key, d.customer_key) >= %(similar)s))
WHERE d.id = ANY(%(ids)s::int[])
ORDER BY d.id, c.created_at, c.id
"""


def deals_conflicts(deals: list[Deal]) -> dict[int, list[Deal]]:
    """For each deal, the other live deals (waiting or protected) for what may be the same customer: the same
    business number, or a similar name (trigram similarity) in the same district. HQ sees them before
    approving. Two statements for any number of deals."""
    from django.db import connection

    found: dict[int, list[int]] = {deal.pk: [] for deal in deals}
    if not deals:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(CONFLICTS_SQL, {"ids": [deal.pk for deal in deals], "similar": CONFLICT_SIMILARITY})
        for deal_id, other_id in cursor.fetchall():
            found[deal_id].append(other_id)
    others = Deal.objects.select_related("partner").in_bulk({pk for ids in found.values() for pk in ids})
    return {deal_id: [others[pk] for pk in ids] for deal_id, ids in found.items()}


def deal_conflicts(deal: Deal) -> QuerySet[Deal]:
    """One deal's possible conflicts (see deals_conflicts)."""
    ids = [other.pk for other in deals_conflicts([deal])[deal.pk]]
    return Deal.objects.filter(pk__in=ids).select_related("partner")


def routing_fairness(*, since: Any, until: Any) -> dict[str, Any]:
    """How offers were shared over a period: per tier and per dealer age (new: joined in the last 90 days), the
    share of active dealers against the share of offers and of accepted orders, and the dealers that got none.
    A rule that starves new or small dealers shows as a group whose offer share is far below its dealer share."""
    import datetime as dt

    from django.db.models import Count, Q
    from django.utils import timezone

    from partners.models import Organization

    new_since = timezone.now() - dt.timedelta(days=90)
    dealers = Organization.objects.filter(kind="dealer", status="active").annotate(
        offers_n=Count("offers", filter=Q(offers__created_at__gte=since, offers__created_at__lt=until)),
        accepted_n=Count("offers", filter=Q(offers__created_at__gte=since, offers__created_at__lt=until,
                                            offers__status="accepted")),
    ).values("id", "name", "tier", "created_at", "offers_n", "accepted_n")
    rows = list(dealers)
    total_dealers = len(rows) or 1
    total_offers = sum(r["offers_n"] for r in rows) or 1
    total_accepted = sum(r["accepted_n"] for r in rows) or 1

    def groups(key: Any) -> list[dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for r in rows:
            g = out.setdefault(key(r), {"label": key(r), "dealers": 0, "offers": 0, "accepted": 0})
            g["dealers"] += 1
            g["offers"] += r["offers_n"]
            g["accepted"] += r["accepted_n"]
        for g in out.values():
            g["dealer_share"] = round(100 * g["dealers"] / total_dealers, 1)
            g["offer_share"] = round(100 * g["offers"] / total_offers, 1)
            g["accepted_share"] = round(100 * g["accepted"] / total_accepted, 1)
            g["per_dealer"] = round(g["offers"] / g["dealers"], 2)
        return sorted(out.values(), key=lambda g: g["label"])

    return {
        "by_tier": groups(lambda r: (r["tier"] or "—")),
        "by_age": groups(lambda r: "new" if r["created_at"] >= new_since else "established"),
        "without_offers": sorted((r for r in rows if r["offers_n"] == 0), key=lambda r: r["name"])[:100],
        "without_offers_count": sum(1 for r in rows if r["offers_n"] == 0),
        "dealers": len(rows), "offers": sum(r["offers_n"] for r in rows),
    }
