"""Money adds up: over many random orders, shipments, prepayments and payments, every figure is derived exactly
from the lines (Decimal, to the cent), invoices are the value shipped, and each buyer's balance is its invoices
less its payments. Account entries are never changed or deleted."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.models import Sum

from catalog.models import PriceAudience
from partners.choices import OrgKind
from purchasing.models import AccountEntry, EntryKind, PurchaseLine, PurchaseOrder, PurchaseStatus
from purchasing.selectors import balance_of, statement
from purchasing.services import (
    cart_set,
    order_cancel,
    order_credit_exception,
    order_place,
    order_record_prepayment,
    order_ship,
    payment_record,
    suppliers_for,
)
from tests.purchasing.shop import actor, dealer_prices, on_credit, price_list, product, stock

SEED = 20240611
ORDERS = 40
ZERO = Decimal(0)


def _cents(rng: random.Random, low: int, high: int) -> Decimal:
    """A random amount with cents, exactly (never through a float)."""
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


def test_random_orders_shipments_and_payments_add_up_to_the_cent(net):
    rng = random.Random(SEED)
    # given a catalogue with random prices for untiered dealers, for Gold dealers and for distributors
    items = [product() for _ in range(12)]
    general = {item: _cents(rng, 1, 3_000_000) for item in items}
    gold = {item: _cents(rng, 1, 3_000_000) for item in items[:6]}
    distributor = {item: _cents(rng, 1, 3_000_000) for item in items}
    dealer_prices(general)
    dealer_prices(gold, tier="Gold")
    price_list(PriceAudience.DISTRIBUTOR, distributor)
    for holder in (net.hq, net.seoul_distributor, net.busan_distributor):
        for item in items:
            stock(holder, item, on_hand=100_000)
    # and buyers on credit and buyers who prepay; dealer_b is Gold
    net.dealer_b.tier = "Gold"
    net.dealer_b.save(update_fields=["tier"])
    on_credit(net.dealer_a, 60_000_000)
    on_credit(net.dealer_b, 80_000_000)
    on_credit(net.seoul_distributor, 200_000_000)  # busan_distributor and dealer_c prepay
    buyers = {net.dealer_a.pk: net.dealer_a_user, net.dealer_b.pk: net.dealer_b_user,
              net.dealer_c.pk: net.dealer_c_user, net.seoul_distributor.pk: net.seoul_admin,
              net.busan_distributor.pk: net.busan_admin}
    fulfillers = {net.hq.pk: net.hq_admin, net.seoul_distributor.pk: net.seoul_admin,
                  net.busan_distributor.pk: net.busan_admin}
    orgs = {org.pk: org for org in (net.dealer_a, net.dealer_b, net.dealer_c, net.seoul_distributor,
                                    net.busan_distributor)}

    def expected_price(buyer, item):
        if buyer.kind == OrgKind.DISTRIBUTOR:
            return distributor[item]
        return gold[item] if buyer.tier == "Gold" and item in gold else general[item]

    # what this test counts itself, independent of the services
    shipped_value: dict[int, Decimal] = defaultdict(lambda: ZERO)
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    expected_totals: dict[int, Decimal] = {}
    placed: list[PurchaseOrder] = []

    # when 40 random orders are placed, and some of each are prepaid, let through, shipped, cancelled, paid for
    for _ in range(ORDERS):
        buyer_pk = rng.choice(sorted(buyers))
        buyer, user = orgs[buyer_pk], buyers[buyer_pk]
        supplier = suppliers_for(buyer)[0]
        me = actor(user)
        wanted = {item: rng.randint(1, 20) for item in rng.sample(items, rng.randint(1, 4))}
        cart = None
        for item, quantity in wanted.items():
            cart = cart_set(actor=me, supplier=supplier, product=item, quantity=quantity)
        assert cart is not None
        order = order_place(actor=me, cart=cart)
        expected_totals[order.pk] = sum((expected_price(buyer, item) * q for item, q in wanted.items()), ZERO)
        fulfiller = actor(fulfillers[supplier.pk])
        if order.status == PurchaseStatus.AWAITING_PAYMENT:
            roll = rng.random()
            if roll < 0.5:
                order_record_prepayment(actor=fulfiller, order=order, reference=f"선입금 {order.number}")
                paid[buyer_pk] += order.total
            elif roll < 0.75:
                order_credit_exception(actor=actor(net.hq_admin), order=order, reason="특별 승인")
            else:
                continue  # still waiting
        order.refresh_from_db()
        # up to three shipments, each of a random part of what is left
        for _shipment in range(rng.randint(0, 3)):
            left = {line.pk: line.quantity - line.shipped for line in order.lines.all() if line.quantity > line.shipped}
            if not left:
                break
            quantities = {pk: rng.randint(1, n) for pk, n in left.items() if rng.random() < 0.7}
            if not quantities:
                continue
            order_ship(actor=fulfiller, order=order, quantities=quantities)
            for line in order.lines.filter(pk__in=quantities):
                shipped_value[buyer_pk] += line.unit_price * quantities[line.pk]
            order.refresh_from_db()
        if rng.random() < 0.1 and order.status in (PurchaseStatus.PLACED, PurchaseStatus.PARTLY_SHIPPED):
            order_cancel(actor=fulfiller, order=order, reason="재고 조정")
        placed.append(order)
        # now and then the buyer pays something on its account
        if rng.random() < 0.4:
            amount = _cents(rng, 1, 5_000_000)
            payment_record(actor=fulfiller, buyer=buyer, amount=amount, reference="입금")
            paid[buyer_pk] += amount

    # then the run was varied enough to mean something
    statuses = {order.status for order in placed}
    assert len(placed) >= 30 and sum(shipped_value.values()) > 0
    assert {PurchaseStatus.PARTLY_SHIPPED, PurchaseStatus.SHIPPED} <= statuses
    assert AccountEntry.objects.filter(kind=EntryKind.PAYMENT, order__isnull=False).exists()  # prepayments
    assert PurchaseOrder.objects.exclude(exception_by=None).exists()

    # and every line is quantity × price, to the cent, at the buyer's own price
    lines = PurchaseLine.objects.filter(order__in=expected_totals).select_related("order__buyer", "product")
    for line in lines:
        assert line.line_total == line.quantity * line.unit_price
        assert line.unit_price == expected_price(line.order.buyer, line.product)
        assert line.line_total.as_tuple().exponent == -2
    # and every order's total is the sum of its lines (and what this test expected)
    for order in PurchaseOrder.objects.filter(pk__in=expected_totals):
        assert order.total == order.lines.aggregate(total=Sum("line_total"))["total"] == expected_totals[order.pk]

    for buyer_pk in buyers:
        entries = AccountEntry.objects.filter(buyer_id=buyer_pk)
        invoices = entries.filter(kind=EntryKind.INVOICE).aggregate(total=Sum("amount"))["total"] or ZERO
        payments = -(entries.filter(kind=EntryKind.PAYMENT).aggregate(total=Sum("amount"))["total"] or ZERO)
        shipped = sum((line.shipped * line.unit_price for line in lines if line.order.buyer_id == buyer_pk), ZERO)
        # the invoices are exactly the value shipped
        assert invoices == shipped == shipped_value[buyer_pk], buyer_pk
        assert payments == paid[buyer_pk], buyer_pk
        # and the balance is the sum of the entries: invoices less payments
        balance = balance_of(orgs[buyer_pk])
        assert balance == sum((e.amount for e in entries), ZERO) == invoices - payments
        assert isinstance(balance, Decimal)
        # and the statement's running balance ends there
        running = statement(orgs[buyer_pk])
        assert (running[-1].balance if running else ZERO) == balance
        assert len(running) == entries.count()


@pytest.fixture
def entry(net):
    on_credit(net.dealer_a, 1_000_000)
    return payment_record(actor=actor(net.seoul_admin), buyer=net.dealer_a, amount=Decimal("1000.00"),
                          reference="입금")


def test_an_account_entry_cannot_be_updated(net, entry):
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        AccountEntry.objects.filter(pk=entry.pk).update(amount=Decimal("-1.00"))
    entry.reference = "고침"
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        entry.save()
    assert AccountEntry.objects.get(pk=entry.pk).amount == Decimal("-1000.00")


def test_an_account_entry_cannot_be_deleted(net, entry):
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        AccountEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        entry.delete()
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM purchasing_accountentry")
    assert AccountEntry.objects.filter(pk=entry.pk).exists()
    assert balance_of(net.dealer_a) == Decimal("-1000.00")


def test_a_correction_is_a_new_entry(net, entry):
    payment_record(actor=actor(net.seoul_admin), buyer=net.dealer_a, amount=Decimal("250.55"), reference="추가 입금")
    assert balance_of(net.dealer_a) == Decimal("-1250.55")
    assert [line.balance for line in statement(net.dealer_a)] == [Decimal("-1000.00"), Decimal("-1250.55")]
