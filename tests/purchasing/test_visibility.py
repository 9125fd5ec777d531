"""Who sees which orders, accounts and prices: the buyer its own orders, the supplier those placed with it, HQ
all; anyone else gets a 404. A dealer never sees distributor prices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from catalog.models import PriceAudience
from catalog.selectors import prices_for
from partners.models import SupplyLink
from prm.core.actor import Actor
from purchasing.selectors import account_visible, order_get, order_visible_to, shipment_get
from purchasing.services import cart_set, order_place, order_ship
from tests.purchasing.shop import TODAY, actor, dealer_prices, on_credit, price_list, product, stock


@pytest.fixture
def aircon(net):
    item = product()
    dealer_prices({item: "1000000.00"})
    price_list(PriceAudience.DISTRIBUTOR, {item: "700000.00"})
    for holder in (net.hq, net.seoul_distributor, net.busan_distributor):
        stock(holder, item, on_hand=100)
    return item


def _order(user, supplier, item):
    buyer = actor(user)
    return order_place(actor=buyer, cart=cart_set(actor=buyer, supplier=supplier, product=item, quantity=1))


def test_a_dealer_opens_its_own_order_but_not_another_dealers(net, aircon):
    mine = _order(net.dealer_a_user, net.seoul_distributor, aircon)
    theirs = _order(net.dealer_b_user, net.seoul_distributor, aircon)
    dealer_a = actor(net.dealer_a_user)
    assert order_get(dealer_a, mine.pk) == mine
    with pytest.raises(Http404):
        order_get(dealer_a, theirs.pk)
    assert list(order_visible_to(dealer_a)) == [mine]


def test_a_distributor_sees_the_orders_placed_with_it_and_its_own_not_another_distributors(net, aircon):
    seoul_sale = _order(net.dealer_a_user, net.seoul_distributor, aircon)
    busan_sale = _order(net.dealer_c_user, net.busan_distributor, aircon)
    seoul_purchase = _order(net.seoul_admin, net.hq, aircon)
    busan_purchase = _order(net.busan_admin, net.hq, aircon)
    seoul = actor(net.seoul_admin)
    assert set(order_visible_to(seoul)) == {seoul_sale, seoul_purchase}
    assert order_get(seoul, seoul_sale.pk) == seoul_sale
    for other in (busan_sale, busan_purchase):
        with pytest.raises(Http404):
            order_get(seoul, other.pk)
    assert set(order_visible_to(actor(net.busan_admin))) == {busan_sale, busan_purchase}
    # and its dealer does not see what the distributor itself bought from HQ
    with pytest.raises(Http404):
        order_get(actor(net.dealer_a_user), seoul_purchase.pk)


def test_hq_sees_every_order(net, aircon):
    orders = {_order(net.dealer_a_user, net.seoul_distributor, aircon),
              _order(net.dealer_c_user, net.busan_distributor, aircon),
              _order(net.seoul_admin, net.hq, aircon)}
    hq = actor(net.hq_admin)
    assert set(order_visible_to(hq)) == orders
    assert set(order_visible_to(Actor.system())) == orders
    for order in orders:
        assert order_get(hq, order.pk) == order


def test_a_cart_is_nobodys_order_yet(net, aircon):
    cart = cart_set(actor=actor(net.dealer_a_user), supplier=net.seoul_distributor, product=aircon, quantity=1)
    for user in (net.dealer_a_user, net.seoul_admin, net.hq_admin):
        with pytest.raises(Http404):
            order_get(actor(user), cart.pk)


def test_a_shipment_is_seen_by_the_buyer_and_the_supplier_only(net, aircon):
    on_credit(net.dealer_a, 10_000_000)
    order = _order(net.dealer_a_user, net.seoul_distributor, aircon)
    shipment = order_ship(actor=actor(net.seoul_admin), order=order, quantities={order.lines.get().pk: 1})
    for user in (net.dealer_a_user, net.seoul_admin, net.hq_admin):
        assert shipment_get(actor(user), shipment.pk) == shipment
    for user in (net.dealer_b_user, net.busan_admin):
        with pytest.raises(Http404):
            shipment_get(actor(user), shipment.pk)


def test_a_dealers_account_is_seen_by_itself_its_distributor_and_hq_only(net):
    assert account_visible(actor(net.dealer_a_user), net.dealer_a)
    assert account_visible(actor(net.seoul_admin), net.dealer_a)
    assert account_visible(actor(net.hq_admin), net.dealer_a)
    assert account_visible(Actor.system(), net.dealer_a)
    assert not account_visible(actor(net.dealer_b_user), net.dealer_a)
    assert not account_visible(actor(net.busan_admin), net.dealer_a)


def test_a_distributor_whose_link_waits_for_hq_cannot_see_the_dealers_account(net):
    SupplyLink.objects.create(dealer=net.dealer_a, distributor=net.busan_distributor, is_approved=False)
    assert not account_visible(actor(net.busan_admin), net.dealer_a)
    SupplyLink.objects.filter(dealer=net.dealer_a, distributor=net.busan_distributor).update(is_approved=True)
    assert account_visible(actor(net.busan_admin), net.dealer_a)


def test_a_distributors_account_is_seen_by_itself_and_hq_not_by_its_dealers(net):
    assert account_visible(actor(net.seoul_admin), net.seoul_distributor)
    assert account_visible(actor(net.hq_admin), net.seoul_distributor)
    assert not account_visible(actor(net.dealer_a_user), net.seoul_distributor)
    assert not account_visible(actor(net.busan_admin), net.seoul_distributor)


def test_a_dealer_never_gets_a_distributor_price(net):
    # given products priced for distributors only, for both, a distributor promotion and a distributor change
    distributors_only, both = product(), product()
    price_list(PriceAudience.DISTRIBUTOR, {distributors_only: "500.00", both: "700.00"})
    dealer_prices({both: "1000.00"})
    price_list(PriceAudience.DISTRIBUTOR, {both: "600.00"}, promotion=True, campaign="유통 특가")
    price_list(PriceAudience.DISTRIBUTOR, {both: "650.00"}, valid_from=TODAY() + dt.timedelta(days=10))
    for dealer in (net.dealer_a, net.dealer_b, net.dealer_c):
        prices = prices_for(dealer)
        # then the dealer sees only its own price, with no distributor promotion or announcement
        assert distributors_only.pk not in prices
        assert (prices[both.pk].amount, prices[both.pk].regular, prices[both.pk].promotion) == (
            Decimal("1000.00"), Decimal("1000.00"), False)
        assert (prices[both.pk].campaign, prices[both.pk].next_amount) == ("", None)
    # and the distributor sees its own
    assert prices_for(net.seoul_distributor)[both.pk].amount == Decimal("600.00")
    assert prices_for(net.seoul_distributor)[distributors_only.pk].amount == Decimal("500.00")


def test_a_dealer_cannot_order_a_product_priced_only_for_distributors(net):
    from prm.core.errors import ServiceError

    distributors_only = product("DIST-ONLY")
    price_list(PriceAudience.DISTRIBUTOR, {distributors_only: "500.00"})
    with pytest.raises(ServiceError, match="DIST-ONLY"):
        cart_set(actor=actor(net.dealer_a_user), supplier=net.seoul_distributor, product=distributors_only,
                 quantity=1)
