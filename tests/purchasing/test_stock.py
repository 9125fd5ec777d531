"""Stock: placing an order reserves it (all lines or none), cancelling gives it back, shipping takes it out of
the supplier's hands and invoices exactly what left, and orders racing for the last units never promise more
than there is."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from partners.choices import OrgKind, Role
from prm.core.errors import ServiceError
from purchasing.models import AccountEntry, EntryKind, PurchaseOrder, PurchaseStatus, Shipment
from purchasing.services import cart_set, order_cancel, order_confirm, order_place, order_ship
from tests import factories
from tests.purchasing.shop import actor, dealer_prices, on_credit, product, stock, stock_of

TIMEOUT = 60


def _cart(net, user, wanted, supplier=None):
    buyer = actor(user)
    cart = None
    for item, quantity in wanted:
        cart = cart_set(actor=buyer, supplier=supplier or net.seoul_distributor, product=item, quantity=quantity)
    assert cart is not None
    return cart


def test_placing_an_order_reserves_its_stock(net):
    aircon, filter_ = product(), product()
    dealer_prices({aircon: "1000000.00", filter_: "15000.00"})
    stock(net.seoul_distributor, aircon, on_hand=10)
    stock(net.seoul_distributor, filter_, on_hand=50)
    cart = _cart(net, net.dealer_a_user, [(aircon, 3), (filter_, 20)])
    # a cart holds nothing yet
    assert stock_of(net.seoul_distributor, aircon).reserved == 0
    order_place(actor=actor(net.dealer_a_user), cart=cart)
    aircon_stock, filter_stock = stock_of(net.seoul_distributor, aircon), stock_of(net.seoul_distributor, filter_)
    assert (aircon_stock.on_hand, aircon_stock.reserved, aircon_stock.available) == (10, 3, 7)
    assert (filter_stock.on_hand, filter_stock.reserved, filter_stock.available) == (50, 20, 30)


def test_an_order_for_more_than_is_available_fails_naming_the_sku_and_reserves_nothing(net):
    # given two lines: the first fits, the second is short
    enough, short = product("AC-ENOUGH"), product("AC-SHORT-1")
    dealer_prices({enough: "1000.00", short: "2000.00"})
    stock(net.seoul_distributor, enough, on_hand=10)
    stock(net.seoul_distributor, short, on_hand=5)
    # another dealer's order already holds 2 of the short one
    order_place(actor=actor(net.dealer_b_user), cart=_cart(net, net.dealer_b_user, [(short, 2)]))
    cart = _cart(net, net.dealer_a_user, [(enough, 4), (short, 4)])
    # when it is placed, then it fails naming the short SKU and what is left
    with pytest.raises(ServiceError) as failure:
        order_place(actor=actor(net.dealer_a_user), cart=cart)
    assert "AC-SHORT-1" in failure.value.message and "3" in failure.value.message
    assert "AC-ENOUGH" not in failure.value.message
    # and nothing of either line is reserved, and the cart is still a cart
    assert stock_of(net.seoul_distributor, enough).reserved == 0
    assert stock_of(net.seoul_distributor, short).reserved == 2
    cart.refresh_from_db()
    assert (cart.status, cart.number, cart.placed_at) == (PurchaseStatus.CART, None, None)
    # lowering the quantity to what is left places it
    cart_set(actor=actor(net.dealer_a_user), supplier=net.seoul_distributor, product=short, quantity=3)
    assert order_place(actor=actor(net.dealer_a_user), cart=cart).status != PurchaseStatus.CART
    assert stock_of(net.seoul_distributor, short).available == 0
    assert stock_of(net.seoul_distributor, enough).reserved == 4


def test_a_product_the_supplier_does_not_stock_cannot_be_ordered(net):
    unstocked = product("AC-NONE")
    dealer_prices({unstocked: "1000.00"})
    cart = _cart(net, net.dealer_a_user, [(unstocked, 1)])
    with pytest.raises(ServiceError, match="AC-NONE"):
        order_place(actor=actor(net.dealer_a_user), cart=cart)
    assert PurchaseOrder.objects.get(pk=cart.pk).status == PurchaseStatus.CART


def test_a_cart_placed_twice_reserves_once(net):
    aircon = product()
    dealer_prices({aircon: "1000.00"})
    stock(net.seoul_distributor, aircon, on_hand=10)
    cart = _cart(net, net.dealer_a_user, [(aircon, 4)])
    order_place(actor=actor(net.dealer_a_user), cart=cart)
    with pytest.raises(ServiceError):
        order_place(actor=actor(net.dealer_a_user), cart=cart)
    assert stock_of(net.seoul_distributor, aircon).reserved == 4


def test_cancelling_releases_the_reserved_stock(net):
    aircon = product()
    dealer_prices({aircon: "1000.00"})
    stock(net.seoul_distributor, aircon, on_hand=10)
    order = order_place(actor=actor(net.dealer_a_user), cart=_cart(net, net.dealer_a_user, [(aircon, 6)]))
    assert stock_of(net.seoul_distributor, aircon).reserved == 6
    order_cancel(actor=actor(net.dealer_a_user), order=order, reason="중복 주문")
    level = stock_of(net.seoul_distributor, aircon)
    assert (level.on_hand, level.reserved) == (10, 0)
    assert PurchaseOrder.objects.get(pk=order.pk).status == PurchaseStatus.CANCELLED


def test_partial_shipment_moves_stock_and_invoices_exactly_the_value_shipped(net):
    aircon, filter_ = product(), product()
    dealer_prices({aircon: "1234567.89", filter_: "15000.50"})
    stock(net.seoul_distributor, aircon, on_hand=10)
    stock(net.seoul_distributor, filter_, on_hand=50)
    on_credit(net.dealer_a, 10_000_000)
    order = order_place(actor=actor(net.dealer_a_user),
                        cart=_cart(net, net.dealer_a_user, [(aircon, 4), (filter_, 7)]))
    assert order.status == PurchaseStatus.PLACED
    seoul = actor(net.seoul_admin)
    order_confirm(actor=seoul, order=order)
    lines = {line.product_id: line for line in order.lines.all()}
    # when 1 of 4 air conditioners and 3 of 7 filters are shipped
    shipment = order_ship(actor=seoul, order=order, quantities={lines[aircon.pk].pk: 1, lines[filter_.pk].pk: 3},
                          carrier="CJ", tracking="1234")
    # then the goods left: on hand and reserved both drop by what was shipped
    aircon_stock, filter_stock = stock_of(net.seoul_distributor, aircon), stock_of(net.seoul_distributor, filter_)
    assert (aircon_stock.on_hand, aircon_stock.reserved) == (9, 3)
    assert (filter_stock.on_hand, filter_stock.reserved) == (47, 4)
    # and exactly the shipped value is invoiced
    invoice = AccountEntry.objects.get(shipment=shipment)
    assert invoice.kind == EntryKind.INVOICE and invoice.buyer_id == net.dealer_a.pk
    assert invoice.amount == Decimal("1234567.89") + 3 * Decimal("15000.50") == Decimal("1279569.39")
    order.refresh_from_db()
    assert order.status == PurchaseStatus.PARTLY_SHIPPED
    assert sorted(order.lines.values_list("shipped", flat=True)) == [1, 3]
    # shipping more than is left of a line is refused, and changes nothing
    with pytest.raises(ValidationError):
        order_ship(actor=seoul, order=order, quantities={lines[aircon.pk].pk: 4})
    assert stock_of(net.seoul_distributor, aircon).on_hand == 9
    assert Shipment.objects.filter(order=order).count() == 1
    # the supplier cancels the rest: only what was not shipped goes back
    order_cancel(actor=seoul, order=order, reason="단종")
    aircon_stock, filter_stock = stock_of(net.seoul_distributor, aircon), stock_of(net.seoul_distributor, filter_)
    assert (aircon_stock.on_hand, aircon_stock.reserved) == (9, 0)
    assert (filter_stock.on_hand, filter_stock.reserved) == (47, 0)
    assert AccountEntry.objects.filter(order=order, kind=EntryKind.INVOICE).count() == 1


def test_shipping_the_rest_completes_the_order(net):
    aircon = product()
    dealer_prices({aircon: "100.00"})
    stock(net.seoul_distributor, aircon, on_hand=5)
    on_credit(net.dealer_a, 10_000)
    order = order_place(actor=actor(net.dealer_a_user), cart=_cart(net, net.dealer_a_user, [(aircon, 5)]))
    seoul = actor(net.seoul_admin)
    line = order.lines.get()
    order_ship(actor=seoul, order=order, quantities={line.pk: 2})
    order_ship(actor=seoul, order=order, quantities={line.pk: 3})
    level = stock_of(net.seoul_distributor, aircon)
    assert (level.on_hand, level.reserved) == (0, 0)
    assert PurchaseOrder.objects.get(pk=order.pk).status == PurchaseStatus.SHIPPED
    assert sorted(AccountEntry.objects.filter(order=order).values_list("amount", flat=True)) == [
        Decimal("200.00"), Decimal("300.00")]


def test_the_database_refuses_more_reserved_than_on_hand(net):
    aircon = product()
    level = stock(net.seoul_distributor, aircon, on_hand=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(level).objects.filter(pk=level.pk).update(reserved=4)
    assert stock_of(net.seoul_distributor, aircon).reserved == 0


def test_orders_racing_for_the_last_units_never_promise_more_than_there_is(live_tenant):
    # given 7 air conditioners left at the distributor and six dealers each wanting 2 (and a filter, added first
    # by half of them, so the orders touch the two stock rows in different orders)
    connection.set_tenant(live_tenant)
    net = factories.network()
    dealers = [(net.dealer_a, net.dealer_a_user), (net.dealer_b, net.dealer_b_user)]
    for i in range(4):
        dealer = factories.organization(OrgKind.DEALER, f"경쟁전자{i}", supplier=net.seoul_distributor)
        dealers.append((dealer, factories.member(dealer, Role.DEALER_ADMIN)))
    aircon, filter_ = product("AC-LAST"), product("FLT-1")
    dealer_prices({aircon: "1000000.00", filter_: "15000.00"})
    stock(net.seoul_distributor, aircon, on_hand=7)
    stock(net.seoul_distributor, filter_, on_hand=100)
    carts = []
    for i, (_dealer, user) in enumerate(dealers):
        wanted = [(aircon, 2), (filter_, 1)] if i % 2 else [(filter_, 1), (aircon, 2)]
        carts.append((user, _cart(net, user, wanted)))

    start = threading.Barrier(len(carts), timeout=TIMEOUT)
    placed: list[int] = []
    refused: dict[int, ServiceError] = {}
    errors: dict[int, BaseException] = {}

    def place(user, cart: PurchaseOrder) -> None:
        try:
            connection.set_tenant(live_tenant)
            connection.ensure_connection()
            me = actor(user)
            start.wait()
            placed.append(order_place(actor=me, cart=cart).pk)
        except ServiceError as exc:
            refused[cart.pk] = exc
        except BaseException as exc:  # reported below
            errors[cart.pk] = exc
        finally:
            connection.close()

    # when all six are placed at the same instant
    threads = [threading.Thread(target=place, args=(user, cart)) for user, cart in carts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "an order was not placed in time"

    # then exactly three are placed, the others are told the SKU is short, and nothing goes below zero
    assert errors == {}, {pk: repr(exc) for pk, exc in errors.items()}
    assert len(placed) == 3 and len(refused) == 3
    assert all("AC-LAST" in exc.message for exc in refused.values())
    level = stock_of(net.seoul_distributor, aircon)
    assert (level.on_hand, level.reserved, level.available) == (7, 6, 1)
    assert stock_of(net.seoul_distributor, filter_).reserved == 3
    assert set(PurchaseOrder.objects.filter(pk__in=refused).values_list("status", flat=True)) == {PurchaseStatus.CART}
    assert not type(level).objects.filter(reserved__gt=level.on_hand).exists()
