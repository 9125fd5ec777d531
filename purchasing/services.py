"""Partner ordering: cart, placing an order (prices, stock reservations, credit), fulfilment, and the account.

Money is Decimal throughout and every figure is derived from the lines: a line's amount is quantity × unit
price (a database constraint), an order's total is the sum of its lines, an invoice is the value shipped, and a
buyer's balance is the sum of its account entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalog.models import Product, ProductStatus, StockLevel
from catalog.selectors import prices_for
from partners.choices import CreditStatus, PartnerStatus
from partners.models import Organization, SupplyLink
from prm.core import activity
from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.errors import ServiceError
from prm.core.models import ActivityVerb
from prm.core.roles import OrgKind
from purchasing import permissions
from purchasing.models import (
    OPEN_STATUSES,
    AccountEntry,
    EntryKind,
    PaymentTerms,
    PurchaseLine,
    PurchaseOrder,
    PurchaseStatus,
    Shipment,
    ShipmentLine,
)

MAX_LINES = 200
MAX_QUANTITY = 100_000
LARGEST_AMOUNT = Decimal(10) ** 14  # what a line or an order total can hold (16 digits, 2 of them decimals)


def suppliers_for(buyer: Organization) -> list[Organization]:
    """Who a partner may order from: a dealer from its primary distributor (and HQ where the tenant allows),
    a distributor from HQ."""
    hq = Organization.objects.filter(kind=OrgKind.HQ).order_by("pk").first()
    if buyer.kind == OrgKind.DISTRIBUTOR:
        return [hq] if hq else []
    if buyer.kind != OrgKind.DEALER:
        return []
    result = [link.distributor for link in SupplyLink.objects.filter(
        dealer=buyer, is_primary=True, is_approved=True).select_related("distributor")
        if link.distributor.status == PartnerStatus.ACTIVE]
    tenant = getattr(connection, "tenant", None)
    if hq is not None and (getattr(tenant, "dealers_order_from_hq", False) or not result):
        result.append(hq)
    return result


def _buyer(actor: Actor) -> Organization:
    permissions.require(actor, "purchase.order")
    buyer = actor.organization
    if buyer is None or buyer.status != PartnerStatus.ACTIVE:
        raise ServiceError(_("Only an active partner can order. Ask HQ about your account's status."))
    return buyer


def _supplier(buyer: Organization, supplier: Organization) -> Organization:
    if supplier.pk not in {s.pk for s in suppliers_for(buyer)}:
        raise ServiceError(_("You can't order from %(supplier)s.") % {"supplier": supplier.name})
    return supplier


def _cart(buyer: Organization, supplier: Organization) -> PurchaseOrder:
    """The buyer's cart with this supplier, locked (created on first use)."""
    cart = (PurchaseOrder.objects.select_for_update()
            .filter(buyer=buyer, supplier=supplier, status=PurchaseStatus.CART).first())
    if cart is None:
        cart, _created = PurchaseOrder.objects.get_or_create(
            buyer=buyer, supplier=supplier, status=PurchaseStatus.CART,
            defaults={"currency": getattr(getattr(connection, "tenant", None), "currency", "KRW")})
        cart = PurchaseOrder.objects.select_for_update().get(pk=cart.pk)
    return cart


def _set_total(order: PurchaseOrder) -> None:
    order.total = order.lines.aggregate(total=Coalesce(Sum("line_total"), Decimal(0)))["total"]
    order.save(update_fields=["total", "updated_at"])


@transaction.atomic
def cart_set(*, actor: Actor, supplier: Organization, product: Product, quantity: int) -> PurchaseOrder:
    """Put ``quantity`` of a product in the cart with this supplier (0 takes it out), at today's price."""
    buyer = _buyer(actor)
    _supplier(buyer, supplier)
    if quantity < 0 or quantity > MAX_QUANTITY:
        raise ValidationError({"quantity": _("Enter a quantity between 0 and %(most)s.") % {"most": MAX_QUANTITY}})
    cart = _cart(buyer, supplier)
    if quantity == 0:
        cart.lines.filter(product=product).delete()
        _set_total(cart)
        return cart
    if product.status == ProductStatus.DISCONTINUED:
        raise ServiceError(_("%(sku)s is discontinued and can no longer be ordered.") % {"sku": product.sku})
    price = prices_for(buyer, [product.pk]).get(product.pk)
    if price is None:
        raise ServiceError(_("%(sku)s has no price for you yet; ask your supplier.") % {"sku": product.sku})
    if not cart.lines.filter(product=product).exists() and cart.lines.count() >= MAX_LINES:
        raise ServiceError(_("An order holds %(most)s lines at most.") % {"most": MAX_LINES})
    if price.amount * quantity >= LARGEST_AMOUNT:
        raise ValidationError({"quantity": _("%(sku)s: that many comes to more than one order can hold; split it.")
                               % {"sku": product.sku}})
    PurchaseLine.objects.update_or_create(order=cart, product=product, defaults={
        "quantity": quantity, "unit_price": price.amount, "line_total": price.amount * quantity})
    _set_total(cart)
    return cart


@dataclass
class Exposure:
    """What a buyer owes or has committed on credit, against its limit."""

    balance: Decimal
    open_on_credit: Decimal
    limit: Decimal

    @property
    def used(self) -> Decimal:
        return self.balance + self.open_on_credit

    @property
    def available(self) -> Decimal:
        return self.limit - self.used


def exposure_of(buyer: Organization) -> Exposure:
    """The account balance (all suppliers) plus what is still to be invoiced on placed orders. A prepaid order
    counts too: its payment is already on the balance (as a credit) until the goods are invoiced, and must not
    lend the buyer room for more credit."""
    balance = AccountEntry.objects.filter(buyer=buyer).aggregate(
        total=Coalesce(Sum("amount"), Decimal(0)))["total"]
    placed = [status for status in OPEN_STATUSES if status != PurchaseStatus.AWAITING_PAYMENT]
    open_lines = PurchaseLine.objects.filter(order__buyer=buyer, order__status__in=placed)
    uninvoiced = open_lines.aggregate(total=Coalesce(Sum((F("quantity") - F("shipped")) * F("unit_price")),
                                                     Decimal(0)))["total"]
    return Exposure(balance=balance, open_on_credit=uninvoiced, limit=buyer.effective_credit_limit)


def _next_number() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('purchasing_order_number_seq')")
        (value,) = cursor.fetchone()
    return f"PO-{value:06d}"


RESERVE_SQL = """
UPDATE catalog_stocklevel s SET reserved = s.reserved + v.quantity, updated_at = now()
FROM unnest(%(products)s::bigint[], %(quantities)s::int[]) AS v(product_id, quantity)
WHERE s.holder_id = %(holder)s AND s.product_id = v.product_id AND s.on_hand - s.reserved >= v.quantity
RETURNING s.product_id
"""


def _reserve(supplier: Organization, wanted: dict[int, int]) -> None:
    """Reserve every line's quantity from the supplier's stock in one statement, or none: a line short of stock
    is named with what is left."""
    if not wanted:
        return
    with connection.cursor() as cursor:
        cursor.execute(RESERVE_SQL, {"products": list(wanted), "quantities": list(wanted.values()),
                                     "holder": supplier.pk})
        reserved = {row[0] for row in cursor.fetchall()}
    short = [pk for pk in wanted if pk not in reserved]
    if short:
        product = Product.objects.get(pk=short[0])
        stock = StockLevel.objects.filter(holder=supplier, product_id=short[0]).first()
        left = stock.available if stock else 0
        raise ServiceError(_("Only %(left)s of %(sku)s are available; lower the quantity or remove it.")
                           % {"left": max(left, 0), "sku": product.sku})


def _release(order: PurchaseOrder) -> None:
    """Give back what the order still holds (its unshipped quantities)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE catalog_stocklevel s SET reserved = s.reserved - (l.quantity - l.shipped), updated_at = now()
            FROM purchasing_purchaseline l
            WHERE l.order_id = %s AND l.quantity > l.shipped AND s.holder_id = %s AND s.product_id = l.product_id
        """, [order.pk, order.supplier_id])


def order_place(*, actor: Actor, cart: PurchaseOrder, note: str = "") -> PurchaseOrder:
    """Place the cart: prices as of today, stock reserved, and on credit when the buyer is registered and the
    order fits its limit; otherwise it waits for prepayment. Two orders at once cannot both pass a credit check
    only one fits: the buyer's row is locked for the check."""
    with transaction.atomic():
        buyer = _buyer(actor)
        Organization.objects.select_for_update().filter(pk=buyer.pk).first()  # one credit check at a time
        buyer.refresh_from_db()
        order = PurchaseOrder.objects.select_for_update().filter(pk=cart.pk, buyer=buyer).first()
        if order is None or order.status != PurchaseStatus.CART:
            raise ServiceError(_("This cart was already placed."))
        supplier = _supplier(buyer, order.supplier)
        lines = list(order.lines.select_related("product"))
        if not lines:
            raise ServiceError(_("The cart is empty."))
        for line in lines:
            if line.product.status == ProductStatus.DISCONTINUED:
                raise ServiceError(_("%(sku)s is discontinued; remove it to place the order.")
                                   % {"sku": line.product.sku})
        prices = prices_for(buyer, [line.product_id for line in lines])
        for line in lines:
            price = prices.get(line.product_id)
            if price is None:
                raise ServiceError(_("%(sku)s has no price for you any more; remove it to place the order.")
                                   % {"sku": line.product.sku})
            if price.amount != line.unit_price:
                if price.amount * line.quantity >= LARGEST_AMOUNT:
                    raise ServiceError(_("This order comes to more than one order can hold; split it."))
                line.unit_price, line.line_total = price.amount, price.amount * line.quantity
                line.save(update_fields=["unit_price", "line_total"])
        total = sum((line.line_total for line in lines), Decimal(0))
        if total >= LARGEST_AMOUNT or any(line.line_total >= LARGEST_AMOUNT for line in lines):
            raise ServiceError(_("This order comes to more than one order can hold; split it."))
        _reserve(supplier, {line.product_id: line.quantity for line in lines})
        exposure = exposure_of(buyer)
        on_credit = (buyer.credit_status == CreditStatus.REGISTERED
                     and exposure.used + total <= buyer.effective_credit_limit)
        order.total = total
        order.number = _next_number()
        order.note = note.strip()[:500]
        order.terms = PaymentTerms.CREDIT if on_credit else PaymentTerms.PREPAYMENT
        order.status = PurchaseStatus.PLACED if on_credit else PurchaseStatus.AWAITING_PAYMENT
        order.placed_by = actor.user
        order.placed_at = timezone.now()
        order.save()
        audit(actor=actor, action="purchase.place", obj=order, total=str(total), terms=order.terms,
              credit_used=str(exposure.used), credit_limit=str(buyer.effective_credit_limit))
        activity.record(verb=ActivityVerb.ORDER_PLACED, user=actor.user, organization=buyer, obj=order, total=total)
        notify_party(order, kind="purchase.placed", to_supplier=True,
                message=gettext_noop("%(buyer)s placed order %(number)s (%(total)s)."))
    return order


def _locked(order: PurchaseOrder) -> PurchaseOrder:
    return PurchaseOrder.objects.select_for_update().select_related("buyer", "supplier").get(pk=order.pk)


def _fulfiller(actor: Actor, order: PurchaseOrder) -> None:
    permissions.require(actor, "sales.fulfil")
    if actor.organization_id != order.supplier_id:
        raise ServiceError(_("Only the supplier of this order can do that."))


@transaction.atomic
def order_record_prepayment(*, actor: Actor, order: PurchaseOrder, reference: str = "") -> PurchaseOrder:
    """The supplier received the buyer's prepayment: the order is placed, the payment is on the account."""
    order = _locked(order)
    _fulfiller(actor, order)
    permissions.require(actor, "payment.record")  # it writes a payment on the buyer's account
    if order.status != PurchaseStatus.AWAITING_PAYMENT:
        raise ServiceError(_("This order is not waiting for a prepayment."))
    order.status, order.paid_at = PurchaseStatus.PLACED, timezone.now()
    order.save(update_fields=["status", "paid_at", "updated_at"])
    if order.total > 0:
        AccountEntry.objects.create(buyer=order.buyer, supplier=order.supplier, kind=EntryKind.PAYMENT,
                                    amount=-order.total, order=order, created_by=actor.user,
                                    reference=reference.strip()[:120] or (order.number or ""))
    audit(actor=actor, action="purchase.prepaid", obj=order, amount=str(order.total))
    return order


@transaction.atomic
def order_credit_exception(*, actor: Actor, order: PurchaseOrder, reason: str) -> PurchaseOrder:
    """HQ lets an order waiting for prepayment go ahead on credit (over the limit or unregistered): audited."""
    permissions.require(actor, "credit.exception")
    reason = reason.strip()[:300]
    if not reason:
        raise ValidationError({"reason": _("Say why this order may go ahead on credit.")})
    order = _locked(order)
    if order.status != PurchaseStatus.AWAITING_PAYMENT:
        raise ServiceError(_("This order is not waiting for a prepayment."))
    order.status, order.terms = PurchaseStatus.PLACED, PaymentTerms.CREDIT
    order.exception_by, order.exception_reason = actor.user, reason
    order.save(update_fields=["status", "terms", "exception_by", "exception_reason", "updated_at"])
    audit(actor=actor, action="purchase.credit_exception", obj=order, reason=reason, total=str(order.total))
    notify_party(order, kind="purchase.exception", to_supplier=True,
            message=gettext_noop("HQ let order %(number)s go ahead on credit."))
    return order


@transaction.atomic
def order_confirm(*, actor: Actor, order: PurchaseOrder) -> PurchaseOrder:
    order = _locked(order)
    _fulfiller(actor, order)
    if order.status != PurchaseStatus.PLACED:
        raise ServiceError(_("Only a placed order can be confirmed."))
    order.status = PurchaseStatus.CONFIRMED
    order.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="purchase.confirm", obj=order)
    notify_party(order, kind="purchase.confirmed", message=gettext_noop("Your order %(number)s was confirmed."))
    return order


@transaction.atomic
def order_ship(*, actor: Actor, order: PurchaseOrder, quantities: dict[int, int], carrier: str = "",
               tracking: str = "") -> Shipment:
    """Ship some or all of what is left: the stock leaves the supplier, the shipped value is invoiced."""
    order = _locked(order)
    _fulfiller(actor, order)
    if order.status not in (PurchaseStatus.PLACED, PurchaseStatus.CONFIRMED, PurchaseStatus.PARTLY_SHIPPED):
        raise ServiceError(_("This order can't be shipped now (%(status)s).")
                           % {"status": order.get_status_display()})
    lines = {line.pk: line for line in order.lines.select_for_update().select_related("product")}
    wanted = {pk: qty for pk, qty in quantities.items() if qty}
    if not wanted:
        raise ValidationError({"quantities": _("Enter how many of each line you are shipping.")})
    for pk, qty in wanted.items():
        line = lines.get(pk)
        if line is None:
            raise ValidationError({"quantities": _("A line that is not on this order was given.")})
        if qty < 0 or qty > line.quantity - line.shipped:
            raise ValidationError({"quantities": _("%(sku)s: ship between 1 and %(left)s.")
                                   % {"sku": line.product.sku, "left": line.quantity - line.shipped}})
    shipment = Shipment.objects.create(order=order, carrier=carrier.strip()[:80], tracking=tracking.strip()[:80],
                                       shipped_by=actor.user)
    value = Decimal(0)
    for pk, qty in wanted.items():
        line = lines[pk]
        ShipmentLine.objects.create(shipment=shipment, line=line, quantity=qty)
        line.shipped += qty
        line.save(update_fields=["shipped"])
        value += line.unit_price * qty
        updated = StockLevel.objects.filter(holder=order.supplier, product=line.product, reserved__gte=qty,
                                            on_hand__gte=qty).update(on_hand=F("on_hand") - qty,
                                                                     reserved=F("reserved") - qty)
        if not updated:
            raise ServiceError(_("%(sku)s: the stock record shows less than you are shipping; correct the stock "
                                 "first.") % {"sku": line.product.sku})
    if value > 0:  # free parts ship without an invoice
        AccountEntry.objects.create(buyer=order.buyer, supplier=order.supplier, kind=EntryKind.INVOICE,
                                    amount=value, order=order, shipment=shipment, created_by=actor.user,
                                    reference=f"{order.number}/{shipment.pk}")
    done = all(line.shipped == line.quantity for line in lines.values())
    order.status = PurchaseStatus.SHIPPED if done else PurchaseStatus.PARTLY_SHIPPED
    order.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="purchase.ship", obj=order, shipment=shipment.pk, value=str(value))
    notify_party(order, kind="purchase.shipped", params={"tracking": shipment.tracking or "-"},
            message=gettext_noop("Your order %(number)s was shipped (tracking: %(tracking)s)."))
    return shipment


@transaction.atomic
def shipment_deliver(*, actor: Actor, shipment: Shipment) -> Shipment:
    """The goods arrived (the supplier or the buyer says so); when everything has, the order is delivered."""
    order = _locked(shipment.order)
    if actor.organization_id not in (order.supplier_id, order.buyer_id):
        raise ServiceError(_("Only the buyer or the supplier of this order can do that."))
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.delivered_at is None:
        shipment.delivered_at = timezone.now()
        shipment.save(update_fields=["delivered_at"])
    if (order.status == PurchaseStatus.SHIPPED
            and not order.shipments.filter(delivered_at__isnull=True).exists()):
        order.status = PurchaseStatus.DELIVERED
        order.save(update_fields=["status", "updated_at"])
        # the buyer's points for a delivered order, and its tier recomputed (sales count towards it)
        from rewards.services.events import PointsEvent, partner_did

        partner_did(partner=order.buyer, event=PointsEvent.ORDER_DELIVERED, reference=f"purchase:{order.pk}",
                    amount=order.total, actor=actor, detail=order.number or "")
        notify_party(order, kind="purchase.delivered", to_supplier=actor.organization_id == order.buyer_id,
                message=gettext_noop("Order %(number)s was delivered."))
    audit(actor=actor, action="purchase.deliver", obj=order, shipment=shipment.pk)
    return shipment


@transaction.atomic
def order_cancel(*, actor: Actor, order: PurchaseOrder, reason: str = "") -> PurchaseOrder:
    """The buyer cancels before the supplier confirms; the supplier before it ships everything. What is not
    shipped is released back to stock."""
    order = _locked(order)
    is_buyer = actor.organization_id == order.buyer_id
    if is_buyer:
        permissions.require(actor, "purchase.order")
        if order.status not in (PurchaseStatus.AWAITING_PAYMENT, PurchaseStatus.PLACED):
            raise ServiceError(_("The supplier already confirmed this order; ask them to cancel it."))
    else:
        _fulfiller(actor, order)
        if order.status not in OPEN_STATUSES:
            raise ServiceError(_("This order can no longer be cancelled (%(status)s).")
                               % {"status": order.get_status_display()})
    _release(order)
    order.status = PurchaseStatus.CANCELLED
    order.cancelled_reason = reason.strip()[:300]
    order.save(update_fields=["status", "cancelled_reason", "updated_at"])
    audit(actor=actor, action="purchase.cancel", obj=order, reason=order.cancelled_reason)
    notify_party(order, kind="purchase.cancelled", to_supplier=is_buyer,
            message=gettext_noop("Order %(number)s was cancelled."))
    return order


@transaction.atomic
def payment_record(*, actor: Actor, buyer: Organization, amount: Decimal, reference: str) -> AccountEntry:
    """A payment the supplier received from a buyer, on the buyer's account with it."""
    permissions.require(actor, "payment.record")
    supplier = actor.organization
    if supplier is None or (not actor.is_hq and not SupplyLink.objects.filter(
            distributor=supplier, dealer=buyer, is_approved=True).exists()):
        raise ServiceError(_("You can record payments only from partners you supply."))
    from prm.core.money import parse_amount

    if parse_amount(amount, allow_zero=False) is None:
        raise ValidationError({"amount": _("Enter the amount received: more than zero, at most two decimals.")})
    entry = AccountEntry.objects.create(buyer=buyer, supplier=supplier, kind=EntryKind.PAYMENT, amount=-amount,
                                        reference=reference.strip()[:120], created_by=actor.user)
    audit(actor=actor, action="payment.record", obj=entry, buyer=buyer.pk, amount=str(amount))
    return entry


def notify_party(order: PurchaseOrder, *, kind: str, message: str, to_supplier: bool = False,
            params: dict[str, Any] | None = None) -> None:
    """The other side's active people hear of it, in the portal and by e-mail."""
    from partners.models import Membership
    from prm.core.notifications import notify

    org_id = order.supplier_id if to_supplier else order.buyer_id
    users = [m.user for m in Membership.objects.filter(organization_id=org_id, is_active=True).select_related("user")]
    url = f"/sales/{order.pk}/" if to_supplier else f"/purchases/{order.pk}/"
    notify(users=users, kind=kind, url=url, message=message,
           params={"number": order.number or "", "buyer": order.buyer.name, "total": f"{order.total:,.0f}",
                   **(params or {})})


PREPAYMENT_DAYS = 7  # an order waiting this long for its prepayment is cancelled and its stock released


def orders_cancel_unpaid(*, days: int = PREPAYMENT_DAYS) -> int:
    """Beat, hourly: orders still waiting for prepayment after ``days`` are cancelled (their stock goes back)
    and the buyer is told. Each in its own transaction; an order locked by someone else is left for next time."""
    from datetime import timedelta

    cutoff = timezone.now() - timedelta(days=days)
    cancelled = 0
    waiting = PurchaseOrder.objects.filter(status=PurchaseStatus.AWAITING_PAYMENT, placed_at__lt=cutoff)
    for pk in waiting.values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            order = (PurchaseOrder.objects.select_for_update(skip_locked=True).select_related("buyer")
                     .filter(pk=pk, status=PurchaseStatus.AWAITING_PAYMENT).first())
            if order is None:
                continue
            _release(order)
            order.status = PurchaseStatus.CANCELLED
            order.cancelled_reason = gettext_noop("No prepayment arrived in time.")
            order.save(update_fields=["status", "cancelled_reason", "updated_at"])
            notify_party(order, kind="purchase.cancelled", params={"days": days},
                    message=gettext_noop("Order %(number)s was cancelled: no prepayment arrived within %(days)s "
                                         "days."))
            cancelled += 1
    return cancelled


def order_place_lines(*, actor: Actor, supplier: Organization, lines: list[tuple[Product, int]],
                      note: str = "") -> PurchaseOrder:
    """Place an order for exactly these lines (an ERP through the API), leaving what the person has in the
    portal's cart with this supplier where it was."""
    with transaction.atomic():
        buyer = _buyer(actor)
        _supplier(buyer, supplier)
        cart = _cart(buyer, supplier)
        kept = [(line.product, line.quantity) for line in cart.lines.select_related("product")]
        cart.lines.all().delete()
        for product, quantity in lines:
            cart_set(actor=actor, supplier=supplier, product=product, quantity=quantity)
        order = order_place(actor=actor, cart=cart, note=note)
        for product, quantity in kept:  # the portal cart comes back, at today's prices
            try:
                with transaction.atomic():
                    cart_set(actor=actor, supplier=supplier, product=product, quantity=quantity)
            except (ServiceError, ValidationError):
                continue  # no longer orderable: it would be refused at placing anyway
    return order


def credit_note_from_hq(*, actor: Actor, partner: Organization, amount: Decimal, reference: str) -> AccountEntry:
    """HQ credits ``amount`` to the partner's account with HQ (points redeemed for credit, a marketing fund paid as
    credit): an append-only credit-note entry, in the caller's transaction."""
    hq = actor.organization if actor.is_hq and actor.organization is not None else \
        Organization.objects.filter(kind=OrgKind.HQ).order_by("pk").first()
    if hq is None:
        raise ServiceError(_("This portal has no HQ organisation to issue the credit note."))
    return AccountEntry.objects.create(buyer=partner, supplier=hq, kind=EntryKind.CREDIT_NOTE, amount=-amount,
                                       reference=reference[:120], created_by=actor.user)
