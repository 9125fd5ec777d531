"""Credit: a registered dealer buys on credit up to its limit, anything past it (or an unregistered dealer's
order) waits for prepayment unless an HQ admin lets it through (audited), and two orders placed at the same
instant cannot both pass a credit check only one of them fits."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from partners.choices import CreditStatus, Role
from prm.core.errors import NotAllowed, ServiceError
from prm.core.models import AuditEvent
from prm.tenancy.models import Tenant
from purchasing import services
from purchasing.models import AccountEntry, EntryKind, PaymentTerms, PurchaseOrder, PurchaseStatus
from purchasing.services import (
    cart_set,
    exposure_of,
    order_credit_exception,
    order_place,
    order_record_prepayment,
    order_ship,
)
from tests import factories
from tests.purchasing.shop import actor, dealer_prices, on_credit, product, stock, stock_of

TIMEOUT = 60
PRICE = Decimal("600000.00")


@pytest.fixture
def aircon(net):
    item = product()
    dealer_prices({item: PRICE})
    stock(net.seoul_distributor, item, on_hand=100)
    return item


def _place(net, user, item, quantity=1, supplier=None):
    buyer = actor(user)
    cart = cart_set(actor=buyer, supplier=supplier or net.seoul_distributor, product=item, quantity=quantity)
    return order_place(actor=buyer, cart=cart)


def test_a_registered_dealer_within_its_limit_buys_on_credit(net, aircon):
    on_credit(net.dealer_a, 1_000_000)
    order = _place(net, net.dealer_a_user, aircon)
    assert (order.status, order.terms, order.total) == (PurchaseStatus.PLACED, PaymentTerms.CREDIT, PRICE)
    assert order.number and order.number.startswith("PO-")
    assert exposure_of(net.dealer_a).used == PRICE


def test_a_second_order_past_the_limit_waits_for_prepayment(net, aircon):
    on_credit(net.dealer_a, 1_000_000)
    first = _place(net, net.dealer_a_user, aircon)
    second = _place(net, net.dealer_a_user, aircon)
    assert (first.status, first.terms) == (PurchaseStatus.PLACED, PaymentTerms.CREDIT)
    assert (second.status, second.terms) == (PurchaseStatus.AWAITING_PAYMENT, PaymentTerms.PREPAYMENT)
    # only the order on credit counts against the limit
    assert exposure_of(net.dealer_a).used == PRICE
    assert stock_of(net.seoul_distributor, aircon).reserved == 2  # both hold their goods


def test_an_order_exactly_at_the_limit_goes_on_credit(net, aircon):
    on_credit(net.dealer_a, 1_200_000)
    order = _place(net, net.dealer_a_user, aircon, quantity=2)
    assert (order.total, order.terms) == (Decimal("1200000.00"), PaymentTerms.CREDIT)


def test_what_the_dealer_owes_counts_against_its_limit_and_a_payment_frees_it(net, aircon):
    on_credit(net.dealer_a, 1_000_000)
    seoul = actor(net.seoul_admin)
    first = _place(net, net.dealer_a_user, aircon)
    order_ship(actor=seoul, order=first, quantities={first.lines.get().pk: 1})
    assert exposure_of(net.dealer_a).balance == PRICE  # invoiced now, no longer open
    assert _place(net, net.dealer_a_user, aircon).terms == PaymentTerms.PREPAYMENT
    services.payment_record(actor=seoul, buyer=net.dealer_a, amount=PRICE, reference="입금 1")
    assert _place(net, net.dealer_a_user, aircon).terms == PaymentTerms.CREDIT


def test_an_unregistered_dealers_order_waits_for_prepayment_then_the_supplier_records_it(net, aircon):
    assert net.dealer_a.credit_status == CreditStatus.PREPAY
    net.dealer_a.credit_limit = Decimal(10_000_000)  # a limit alone does not make it a credit customer
    net.dealer_a.save(update_fields=["credit_limit"])
    order = _place(net, net.dealer_a_user, aircon)
    assert (order.status, order.terms) == (PurchaseStatus.AWAITING_PAYMENT, PaymentTerms.PREPAYMENT)
    # the dealer cannot ship it; the supplier records the prepayment and the order is placed
    with pytest.raises(ServiceError):
        order_ship(actor=actor(net.seoul_admin), order=order, quantities={order.lines.get().pk: 1})
    order = order_record_prepayment(actor=actor(net.seoul_admin), order=order, reference="선입금")
    assert order.status == PurchaseStatus.PLACED and order.paid_at is not None
    payment = AccountEntry.objects.get(order=order)
    assert (payment.kind, payment.amount, payment.supplier_id) == (EntryKind.PAYMENT, -PRICE, net.seoul_distributor.pk)


def test_hq_admin_lets_a_waiting_order_go_on_credit_and_it_is_audited(net, aircon):
    order = _place(net, net.dealer_a_user, aircon)
    assert order.status == PurchaseStatus.AWAITING_PAYMENT
    hq = actor(net.hq_admin)
    order = order_credit_exception(actor=hq, order=order, reason="대리점 신용 확인됨")
    order.refresh_from_db()
    assert (order.status, order.terms) == (PurchaseStatus.PLACED, PaymentTerms.CREDIT)
    assert (order.exception_by_id, order.exception_reason) == (net.hq_admin.pk, "대리점 신용 확인됨")
    event = AuditEvent.objects.get(action="purchase.credit_exception", object_id=str(order.pk))
    assert event.user_id == net.hq_admin.pk and event.organization_id == net.hq.pk
    assert event.object_type == "purchasing.purchaseorder"
    assert event.data["reason"] == "대리점 신용 확인됨" and Decimal(event.data["total"]) == PRICE
    # it now counts against the dealer's credit
    assert exposure_of(net.dealer_a).open_on_credit == PRICE
    # and it cannot be let through twice
    with pytest.raises(ServiceError):
        order_credit_exception(actor=hq, order=order, reason="다시")


def test_a_credit_exception_needs_a_reason(net, aircon):
    order = _place(net, net.dealer_a_user, aircon)
    with pytest.raises(ValidationError):
        order_credit_exception(actor=actor(net.hq_admin), order=order, reason="   ")
    assert PurchaseOrder.objects.get(pk=order.pk).status == PurchaseStatus.AWAITING_PAYMENT


@pytest.mark.parametrize("who", ["hq_channel_manager", "seoul_admin", "dealer_a_user"])
def test_only_an_hq_admin_can_make_a_credit_exception(net, aircon, who):
    order = _place(net, net.dealer_a_user, aircon)
    user = factories.member(net.hq, Role.HQ_CHANNEL_MANAGER) if who == "hq_channel_manager" else getattr(net, who)
    with pytest.raises(NotAllowed):
        order_credit_exception(actor=actor(user), order=order, reason="부탁합니다")
    order.refresh_from_db()
    assert (order.status, order.terms, order.exception_by_id) == (
        PurchaseStatus.AWAITING_PAYMENT, PaymentTerms.PREPAYMENT, None)
    assert not AuditEvent.objects.filter(action="purchase.credit_exception").exists()


def test_two_orders_placed_at_once_cannot_both_pass_a_limit_only_one_fits(live_tenant, monkeypatch):
    # given a registered dealer (limit 1,000,000) allowed to order from its distributor and from HQ, with a cart
    # of 600,000 at each
    Tenant.objects.filter(pk=live_tenant.pk).update(dealers_order_from_hq=True)
    live_tenant.dealers_order_from_hq = True
    connection.set_tenant(live_tenant)
    net = factories.network()
    on_credit(net.dealer_a, 1_000_000)
    item = product()
    dealer_prices({item: PRICE})
    suppliers = [net.seoul_distributor, net.hq]
    for supplier in suppliers:
        stock(supplier, item, on_hand=10)
    buyer = actor(net.dealer_a_user)
    assert {s.pk for s in services.suppliers_for(net.dealer_a)} == {s.pk for s in suppliers}
    carts = [cart_set(actor=buyer, supplier=supplier, product=item, quantity=1) for supplier in suppliers]

    # Each credit check is slowed down, so that without the buyer's lock both would read the exposure before
    # either order is saved.
    check = services.exposure_of

    def slow_check(*args: Any, **kwargs: Any) -> Any:
        result = check(*args, **kwargs)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(services, "exposure_of", slow_check)
    start = threading.Barrier(2, timeout=TIMEOUT)
    placed: dict[int, PurchaseOrder] = {}
    errors: dict[int, BaseException] = {}

    def place(cart: PurchaseOrder) -> None:
        try:
            connection.set_tenant(live_tenant)
            connection.ensure_connection()
            me = actor(net.dealer_a_user)  # its own actor and Organization, read on this thread's connection
            start.wait()
            placed[cart.pk] = order_place(actor=me, cart=cart)
        except BaseException as exc:  # reported below
            errors[cart.pk] = exc
        finally:
            connection.close()

    # when both carts are placed at the same instant, each from its own thread and connection
    threads = [threading.Thread(target=place, args=(cart,), name=f"place-{cart.pk}") for cart in carts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "an order was not placed in time"

    # then both are placed, exactly one on credit, the other waiting for prepayment
    assert errors == {}, {pk: repr(exc) for pk, exc in errors.items()}
    orders = PurchaseOrder.objects.filter(pk__in=[c.pk for c in carts])
    outcomes = sorted(orders.values_list("status", "terms"))
    assert outcomes == sorted([(PurchaseStatus.PLACED, PaymentTerms.CREDIT),
                               (PurchaseStatus.AWAITING_PAYMENT, PaymentTerms.PREPAYMENT)])
    assert len(set(orders.values_list("number", flat=True))) == 2
    # and what is on credit stays within the limit
    exposure = check(net.dealer_a)
    assert exposure.open_on_credit == PRICE and exposure.available == Decimal("400000.00")
    for supplier in suppliers:
        assert stock_of(supplier, item).reserved == 1
