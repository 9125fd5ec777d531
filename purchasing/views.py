"""Pages of partner ordering: the buyer's cart, orders and account; the supplier's orders to fulfil and its stock.
Every object is fetched through a selector (another partner's order is a 404); every write is one service."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import StockLevel
from catalog.selectors import stock_of
from partners.models import Organization
from prm.core.errors import ServiceError, error_text
from prm.core.roles import OrgKind
from prm.portals.access import portal_required
from purchasing import permissions, selectors, services
from purchasing.models import OPEN_STATUSES, Claim, ClaimKind, PurchaseStatus

BUYERS = (OrgKind.DEALER, OrgKind.DISTRIBUTOR)
SUPPLIERS = (OrgKind.DISTRIBUTOR, OrgKind.HQ)


def _id(value: str | None) -> int:
    """A posted id; anything that is not one names nothing (a 404, never a 500)."""
    return int(value) if value and value.isdigit() and len(value) < 19 else 0


def _attempt(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Run one service; show its refusal as a message (never a 500)."""
    try:
        action()
    except (ServiceError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return False
    except PermissionDenied:
        messages.error(request, _("Your role can't do that."))
        return False
    messages.success(request, done)
    return True


@portal_required(*BUYERS)
def cart(request: HttpRequest) -> HttpResponse:
    """The buyer's carts (one per supplier): change quantities, place an order."""
    actor = request.actor  # type: ignore[attr-defined]
    if request.method == "POST":
        carts = {str(c.pk): c for c in selectors.carts_of(actor)}
        chosen = carts.get(request.POST.get("cart", ""))
        if chosen is None:
            raise Http404
        # quantities typed in are applied first, whichever button was pressed
        updated_ok = True
        for line in chosen.lines.select_related("product"):
            raw = request.POST.get(f"qty-{line.pk}")
            if raw is None:
                continue
            try:
                quantity = int(raw)
            except ValueError:
                messages.error(request, _("%(sku)s: enter a whole number.") % {"sku": line.product.sku})
                updated_ok = False
                continue
            if quantity != line.quantity:
                def update(line: Any = line, quantity: int = quantity) -> None:
                    services.cart_set(actor=actor, supplier=chosen.supplier, product=line.product,
                                      quantity=quantity)

                updated_ok = _attempt(request, update, _("%(sku)s updated.") % {"sku": line.product.sku}) \
                    and updated_ok
        if request.POST.get("action") == "place" and updated_ok:
            placed: dict[str, Any] = {}

            def place() -> None:
                placed["order"] = services.order_place(actor=actor, cart=chosen, note=request.POST.get("note", ""))

            if _attempt(request, place, _("Your order is placed.")):
                return redirect("portals:purchase", pk=placed["order"].pk)
        return redirect("portals:cart")
    return render(request, "purchasing/cart.html", {"carts": [c for c in selectors.carts_of(actor)
                                                              if c.lines.all()]})


@portal_required(*BUYERS)
def purchases(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    page = Paginator(selectors.purchases_of(actor), 25).get_page(request.GET.get("page"))
    return render(request, "purchasing/order_list.html", {"page": page, "side": "buyer"})


@portal_required(*SUPPLIERS)
def sales(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    # HQ may look at every partner's orders, not only those placed with HQ
    everyone = actor.is_hq and request.GET.get("scope") == "all"
    qs = selectors.order_visible_to(actor) if everyone else selectors.sales_of(actor)
    status = request.GET.get("status", "open")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in PurchaseStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "purchasing/order_list.html", {"page": page, "side": "supplier", "status": status,
                                                          "statuses": PurchaseStatus.choices[1:],
                                                          "everyone": everyone, "is_hq": actor.is_hq})


@portal_required(OrgKind.DEALER, OrgKind.DISTRIBUTOR, OrgKind.HQ)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One order, for its buyer, its supplier or HQ; the actions each of them may take."""
    actor = request.actor  # type: ignore[attr-defined]
    order = selectors.order_get(actor, pk)
    is_supplier = actor.organization_id == order.supplier_id
    is_buyer = actor.organization_id == order.buyer_id
    if request.method == "POST":
        action = request.POST.get("action", "")
        reason = request.POST.get("reason", "")
        if action == "cancel" and (is_buyer or is_supplier):
            _attempt(request, lambda: services.order_cancel(actor=actor, order=order, reason=reason),
                     _("The order is cancelled."))
        elif action == "confirm" and is_supplier:
            _attempt(request, lambda: services.order_confirm(actor=actor, order=order), _("The order is confirmed."))
        elif action == "prepaid" and is_supplier:
            _attempt(request, lambda: services.order_record_prepayment(
                actor=actor, order=order, reference=request.POST.get("reference", "")),
                _("The prepayment is recorded; the order is placed."))
        elif action == "exception" and actor.is_hq:
            _attempt(request, lambda: services.order_credit_exception(actor=actor, order=order, reason=reason),
                     _("The order goes ahead on credit."))
        elif action == "ship" and is_supplier:
            quantities = {}
            for line in order.lines.all():
                try:
                    quantities[line.pk] = int(request.POST.get(f"ship-{line.pk}") or 0)
                except ValueError:
                    quantities[line.pk] = -1
            _attempt(request, lambda: services.order_ship(
                actor=actor, order=order, quantities=quantities, carrier=request.POST.get("carrier", ""),
                tracking=request.POST.get("tracking", "")), _("The shipment is recorded and invoiced."))
        elif action == "claim" and is_buyer:
            from purchasing.claims import claim_open

            line = get_object_or_404(order.lines.all(), pk=_id(request.POST.get("line")))
            try:
                quantity = int(request.POST.get("quantity") or 0)
            except ValueError:
                quantity = 0
            _attempt(request, lambda: claim_open(
                actor=actor, line=line, kind=request.POST.get("kind", ""), quantity=quantity,
                reason=request.POST.get("reason", ""), photos=request.FILES.getlist("photos")),
                _("Your claim is sent to the supplier."))
        elif action in ("approve", "reject") and is_supplier:
            from purchasing.claims import claim_decide

            claim = get_object_or_404(Claim.objects.filter(line__order=order), pk=_id(request.POST.get("claim")))
            _attempt(request, lambda: claim_decide(actor=actor, claim=claim, approve=action == "approve",
                                                   note=request.POST.get("note", "")), _("The claim is decided."))
        elif action == "delivered" and (is_buyer or is_supplier):
            shipment = get_object_or_404(order.shipments.all(), pk=_id(request.POST.get("shipment")))
            _attempt(request, lambda: services.shipment_deliver(actor=actor, shipment=shipment),
                     _("Marked as delivered."))
        else:
            raise PermissionDenied
        return redirect("portals:sale" if is_supplier else "portals:purchase", pk=order.pk)
    lines = list(order.lines.select_related("product"))
    for line in lines:
        line.remaining = line.quantity - line.shipped  # type: ignore[attr-defined]
    return render(request, "purchasing/order_detail.html", {
        "order": order, "lines": lines, "is_supplier": is_supplier, "is_buyer": is_buyer,
        "shipments": order.shipments.prefetch_related("lines__line__product"),
        "can_fulfil": is_supplier and permissions.can(actor, "sales.fulfil"),
        "can_exception": actor.is_hq and permissions.can(actor, "credit.exception"),
        "open": order.status in OPEN_STATUSES,
        "shippable": order.status in (PurchaseStatus.PLACED, PurchaseStatus.CONFIRMED,
                                      PurchaseStatus.PARTLY_SHIPPED),
        "claims": Claim.objects.filter(line__order=order).select_related("line__product").prefetch_related(
            "photos"),
        "claimable": [line for line in lines if line.shipped] if is_buyer else [],
        "claim_kinds": ClaimKind.choices,
    })


@portal_required(*BUYERS)
def account(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return _statement(request, actor.organization)


@portal_required(*SUPPLIERS)
def buyer_account(request: HttpRequest, pk: int) -> HttpResponse:
    """A buyer's account, for its supplier (HQ: any partner's) and for recording a payment."""
    actor = request.actor  # type: ignore[attr-defined]
    buyer = get_object_or_404(Organization.objects.filter(kind__in=BUYERS), pk=pk)
    if not selectors.account_visible(actor, buyer):
        raise Http404
    if request.method == "POST":
        from prm.core.money import parse_amount

        amount = parse_amount(request.POST.get("amount", ""), allow_zero=False) or Decimal(0)
        _attempt(request, lambda: services.payment_record(actor=actor, buyer=buyer, amount=amount,
                                                          reference=request.POST.get("reference", "")),
                 _("The payment is recorded."))
        return redirect("portals:buyer_account", pk=buyer.pk)
    return _statement(request, buyer, can_record=permissions.can(actor, "payment.record"))


def _statement(request: HttpRequest, buyer: Organization, can_record: bool = False) -> HttpResponse:
    """The buyer and HQ see the whole account and the credit figures; a distributor sees only its own dealings
    with the buyer (a dealer may buy from more than one supplier)."""
    actor = request.actor  # type: ignore[attr-defined]
    whole = actor.is_hq or actor.organization_id == buyer.pk
    supplier = None if whole else actor.organization
    lines = selectors.statement(buyer, supplier)
    return render(request, "purchasing/account.html", {
        "buyer": buyer, "lines": lines[-200:], "can_record": can_record,
        "exposure": services.exposure_of(buyer) if whole else None,
        "own_balance": lines[-1].balance if lines else Decimal(0),
        "open_orders": selectors.order_visible_to(actor).filter(buyer=buyer, status__in=OPEN_STATUSES)
        if whole else selectors.sales_of(actor).filter(buyer=buyer, status__in=OPEN_STATUSES),
    })


@portal_required(*SUPPLIERS)
def stock(request: HttpRequest) -> HttpResponse:
    """The holder's own stock, exact: set what is on hand, when it shows as low, and what is expected."""
    actor = request.actor  # type: ignore[attr-defined]
    holder = actor.organization
    if request.method == "POST" and request.POST.get("action") == "receive":
        if not permissions.can(actor, "stock.manage"):
            raise PermissionDenied
        from catalog.models import Product
        from catalog.services import stock_receive

        sku = request.POST.get("sku", "").strip().upper()
        product = Product.objects.filter(sku=sku).first()
        try:
            quantity = int(request.POST.get("quantity") or 0)
        except ValueError:
            quantity = 0
        if product is None:
            messages.error(request, _("“%(sku)s” is not in the catalogue.") % {"sku": sku[:40]})
        else:
            _attempt(request, lambda: stock_receive(actor=actor, holder_id=holder.pk, product=product,
                                                    quantity=quantity),
                     _("%(sku)s: %(quantity)s received.") % {"sku": sku, "quantity": quantity})
        return redirect("portals:stock")
    if request.method == "POST":
        if not permissions.can(actor, "stock.manage"):
            raise PermissionDenied
        level = get_object_or_404(StockLevel.objects.filter(holder=holder), pk=_id(request.POST.get("level")))
        from catalog.services import stock_set

        def save() -> None:
            stock_set(actor=actor, level=level, on_hand=request.POST.get("on_hand", ""),
                      low_at=request.POST.get("low_at", ""), expected_on=request.POST.get("expected_on", ""),
                      expected_quantity=request.POST.get("expected_quantity", ""))

        _attempt(request, save, _("%(sku)s saved.") % {"sku": level.product.sku})
        return redirect("portals:stock")
    page = Paginator(stock_of(holder), 50).get_page(request.GET.get("page"))
    return render(request, "purchasing/stock.html", {"page": page,
                                                     "can_manage": permissions.can(actor, "stock.manage")})


@portal_required(*SUPPLIERS)
def buyer_accounts(request: HttpRequest) -> HttpResponse:
    """The supplier's buyers with their open balances (one query), and payments imported from a spreadsheet."""
    from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from partners.models import SupplyLink
    from purchasing.models import AccountEntry
    from purchasing.payments_import import payments_import

    actor = request.actor  # type: ignore[attr-defined]
    can_record = permissions.can(actor, "payment.record")
    report = None
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None or (upload.size or 0) > 20 * 1024 * 1024:
            messages.error(request, _("Choose a spreadsheet of 20 MB at most."))
        else:
            report = payments_import(actor=actor, data=bytes(upload.read()))
            if report.ok:
                messages.success(request, ngettext("%(count)s payment recorded.", "%(count)s payments recorded.",
                                                   report.created) % {"count": report.created})
                return redirect("portals:buyer_accounts")
    buyers = Organization.objects.filter(kind__in=BUYERS)
    if not actor.is_hq:
        buyers = buyers.filter(pk__in=SupplyLink.objects.filter(distributor_id=actor.organization_id,
                                                                is_approved=True).values("dealer_id"))
    entries = AccountEntry.objects.filter(buyer=OuterRef("pk"))
    if not actor.is_hq:  # a distributor's balance with each dealer, not the dealer's whole account
        entries = entries.filter(supplier_id=actor.organization_id)
    balance = entries.values("buyer").annotate(total=Sum("amount")).values("total")
    buyers = buyers.annotate(balance=Coalesce(Subquery(balance), Value(Decimal(0)),
                                              output_field=DecimalField(max_digits=16, decimal_places=2)))
    q = request.GET.get("q", "").strip()[:100]
    if q:
        buyers = buyers.filter(name__icontains=q)
    page = Paginator(buyers.order_by("-balance", "name"), 50).get_page(request.GET.get("page"))
    return render(request, "purchasing/buyer_accounts.html", {"page": page, "report": report,
                                                              "can_record": can_record, "q": q})


@portal_required(OrgKind.DEALER, OrgKind.DISTRIBUTOR, OrgKind.HQ)
def claim_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A claim's photo, for the order's buyer, its supplier and HQ only."""
    from prm.core.files import serve, stored_kind
    from purchasing.models import ClaimPhoto

    actor = request.actor  # type: ignore[attr-defined]
    photo = get_object_or_404(ClaimPhoto.objects.filter(claim__line__order__in=selectors.order_visible_to(actor)),
                              pk=pk)
    return serve(photo.file, stored_kind(photo.file), download_name=f"claim-{photo.claim_id}-{photo.pk}",
                 inline=True)
