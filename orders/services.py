"""Customer orders: intake, routing to the nearest eligible dealer, and the dealer's answer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from orders import permissions
from orders.choices import DeclineReason, EventKind, OfferStatus, OrderSource, OrderStatus
from orders.models import CustomerOrder, Offer, OrderEvent
from partners.choices import OrgKind, PartnerStatus
from partners.models import Organization, ProductLine
from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.errors import ServiceError
from prm.core.phones import normalize_phone
from prm.core.regions import distance_km, resolve_address


def _msgid(label: object) -> str:
    """A choice's label as its untranslated message id, to store; templates translate it for each reader."""
    with translation.override(None):
        return str(label() if callable(label) else label)


def _next_number() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('orders_customer_order_number_seq')")
        (value,) = cursor.fetchone()
    return f"ORD-{value:06d}"


def _queue_routing(order_id: int) -> None:
    from orders.tasks import order_route_task

    transaction.on_commit(lambda: order_route_task.delay(order_id))


@transaction.atomic
def order_create(
    *,
    actor: Actor | None,
    customer_name: str,
    address: str,
    product_line: ProductLine,
    quantity: int = 1,
    customer_phone: str = "",
    customer_email: str = "",
    note: str = "",
    source: str = OrderSource.HQ,
) -> CustomerOrder:
    """Record the order and queue its routing once the transaction commits.

    actor is None for the public quote form (an anonymous customer).
    """
    if actor is not None:
        permissions.require(actor, "order.create")
    errors: dict[str, str] = {}
    if not customer_name.strip():
        errors["customer_name"] = _("Enter the customer's name.")
    if not address.strip():
        errors["address"] = _("Enter the address where the product is needed.")
    elif len(address) > 500:
        errors["address"] = _("The address is too long (500 characters at most).")
    if len(note) > 2000:
        errors["note"] = _("The note is too long (2,000 characters at most).")
    if quantity < 1 or quantity > 100000:
        errors["quantity"] = _("Enter a quantity between 1 and 100,000.")
    if len(customer_email.strip()) > 254:
        errors["customer_email"] = _("This e-mail address is too long.")
    phone = normalize_phone(customer_phone) if customer_phone.strip() else ""
    if phone is None:
        errors["customer_phone"] = _("This is not a phone number we can call. Write it like 010-1234-5678.")
    if not customer_phone.strip() and not customer_email.strip():
        errors["customer_phone"] = _("Enter a phone number or an e-mail address so the dealer can reach the customer.")
    if errors:
        raise ValidationError(errors)
    region = resolve_address(address)
    order = CustomerOrder.objects.create(
        number=_next_number(),
        customer_name=customer_name.strip(),
        customer_phone=phone or "",
        customer_email=customer_email.strip().lower(),
        address=address.strip(),
        region_code=region.code if region else "",
        region_label=region.label if region else "",
        latitude=region.lat if region else None,
        longitude=region.lon if region else None,
        product_line=product_line,
        quantity=quantity,
        note=note.strip(),
        source=source,
        created_by=actor.user if actor else None,
    )
    OrderEvent.objects.create(order=order, kind=EventKind.RECEIVED, user=actor.user if actor else None,
                              detail=_msgid(order.get_source_display))
    if actor is not None:
        audit(actor=actor, action="order.create", obj=order)
    _queue_routing(order.pk)
    return order


@dataclass(frozen=True)
class Candidate:
    dealer: Organization
    distance_km: float


def order_candidates(order: CustomerOrder) -> list[Candidate]:
    """Active dealers authorised for the product line and not yet offered this order, nearest first.

    Dealers are placed at their district's centre, so many share a distance. Among equals the one with fewer
    orders waiting on it goes first, then a hash of (order, dealer): spread over the district's dealers, yet
    the same inputs always give the same choice.
    """
    if order.latitude is None or order.longitude is None:
        return []
    tried = Offer.objects.filter(order=order).values("dealer_id")
    dealers = (
        Organization.objects.filter(kind=OrgKind.DEALER, status=PartnerStatus.ACTIVE,
                                    product_lines=order.product_line, latitude__isnull=False,
                                    longitude__isnull=False)
        .exclude(pk__in=tried)
        .annotate(open_offers=Count("offers", filter=Q(offers__status=OfferStatus.PENDING)))
        .only("id", "name", "latitude", "longitude")
    )
    origin = (order.latitude, order.longitude)

    def spread(dealer_id: int) -> str:
        return hashlib.sha256(f"{order.pk}:{dealer_id}".encode()).hexdigest()

    ranked = [Candidate(d, distance_km(origin, (d.latitude, d.longitude))) for d in dealers]  # type: ignore[arg-type]
    ranked.sort(key=lambda c: (round(c.distance_km, 1), c.dealer.open_offers, spread(c.dealer.pk)))  # type: ignore[attr-defined]
    return ranked


def order_route(*, order_id: int) -> CustomerOrder | None:
    """Offer the order to the nearest eligible dealer it has not been offered to yet.

    Idempotent: an order that already waits on a dealer, or is accepted, is left as it is.
    """
    with transaction.atomic():
        order = CustomerOrder.objects.select_for_update().filter(pk=order_id).first()
        if order is None or order.status in (OrderStatus.ACCEPTED, OrderStatus.UNROUTABLE):
            return order
        if Offer.objects.filter(order=order, status=OfferStatus.PENDING).exists():
            return order
        # The cap counts the offers of this round: HQ's "route again" starts a new one.
        restarted = order.events.filter(kind=EventKind.RECEIVED).order_by("-created_at").values("created_at")[:1]
        tried = Offer.objects.filter(order=order, created_at__gte=restarted).count()
        candidates = order_candidates(order) if tried < settings.ROUTING_MAX_CANDIDATES else []
        if not candidates:
            # Stored as the English message id, shown in each reader's language.
            if order.latitude is None:
                reason = gettext_noop("The address could not be placed in a region.")
            elif tried >= settings.ROUTING_MAX_CANDIDATES:
                reason = gettext_noop("The most dealers an order is offered to all declined.")
            elif tried:
                reason = gettext_noop("Every eligible dealer declined.")
            else:
                reason = gettext_noop("No active dealer is authorised for this product line.")
            order.status = OrderStatus.UNROUTABLE
            order.unroutable_reason = reason
            order.dealer = None
            order.save(update_fields=["status", "unroutable_reason", "dealer", "updated_at"])
            OrderEvent.objects.create(order=order, kind=EventKind.UNROUTABLE, detail=reason)
            return order
        best = candidates[0]
        Offer.objects.create(order=order, dealer=best.dealer, rank=tried + 1, distance_km=best.distance_km)
        order.status = OrderStatus.OFFERED
        order.dealer = best.dealer
        order.save(update_fields=["status", "dealer", "updated_at"])
        OrderEvent.objects.create(order=order, kind=EventKind.OFFERED, dealer=best.dealer,
                                  detail=f"{best.distance_km:.1f} km")
    return order


@transaction.atomic
def order_route_again(*, actor: Actor, order: CustomerOrder) -> CustomerOrder:
    """HQ sends an unroutable order round again (after adding dealers, product lines or fixing the address);
    dealers that already declined it are not asked twice."""
    permissions.require(actor, "order.reroute")
    order = CustomerOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.UNROUTABLE:
        raise ServiceError(_("Only an order no dealer was found for can be routed again."))
    region = resolve_address(order.address)
    order.region_code = region.code if region else ""
    order.region_label = region.label if region else ""
    order.latitude, order.longitude = (region.lat, region.lon) if region else (None, None)
    order.status = OrderStatus.RECEIVED
    order.unroutable_reason = ""
    order.save()
    OrderEvent.objects.create(order=order, kind=EventKind.RECEIVED, user=actor.user,
                              detail=gettext_noop("Routed again by HQ"))
    audit(actor=actor, action="order.route_again", obj=order)
    _queue_routing(order.pk)
    return order


def _respondable(actor: Actor, offer: Offer) -> Offer:
    permissions.require(actor, "offer.respond")
    locked = Offer.objects.select_for_update().select_related("order").get(pk=offer.pk)
    if not actor.is_system and locked.dealer_id != actor.organization_id:
        raise ServiceError(_("This offer was made to another dealer."))
    if locked.status != OfferStatus.PENDING:
        raise ServiceError(_("This offer was already answered (%(status)s).") %
                           {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def offer_accept(*, actor: Actor, offer: Offer) -> Offer:
    offer = _respondable(actor, offer)
    offer.status = OfferStatus.ACCEPTED
    offer.responded_at = timezone.now()
    offer.responded_by = actor.user
    offer.save(update_fields=["status", "responded_at", "responded_by"])
    order = CustomerOrder.objects.select_for_update().get(pk=offer.order_id)
    order.status = OrderStatus.ACCEPTED
    order.dealer_id = offer.dealer_id
    order.save(update_fields=["status", "dealer", "updated_at"])
    OrderEvent.objects.create(order=order, kind=EventKind.ACCEPTED, dealer_id=offer.dealer_id, user=actor.user)
    audit(actor=actor, action="offer.accept", obj=offer)
    return offer


@transaction.atomic
def offer_decline(*, actor: Actor, offer: Offer, reason: str, note: str = "") -> Offer:
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    offer = _respondable(actor, offer)
    offer.status = OfferStatus.DECLINED
    offer.decline_reason = reason
    offer.decline_note = note.strip()[:300]
    offer.responded_at = timezone.now()
    offer.responded_by = actor.user
    offer.save(update_fields=["status", "decline_reason", "decline_note", "responded_at", "responded_by"])
    order = CustomerOrder.objects.select_for_update().get(pk=offer.order_id)
    order.status = OrderStatus.RECEIVED
    order.dealer = None
    order.save(update_fields=["status", "dealer", "updated_at"])
    OrderEvent.objects.create(order=order, kind=EventKind.DECLINED, dealer_id=offer.dealer_id, user=actor.user,
                              detail=_msgid(offer.get_decline_reason_display))
    audit(actor=actor, action="offer.decline", obj=offer, reason=reason)
    _queue_routing(order.pk)
    return offer
