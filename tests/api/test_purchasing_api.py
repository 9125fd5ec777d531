"""The ordering API: the caller's own prices, its supplier's stock as a word, purchase orders placed and read
only by their buyer, their supplier and HQ; bad input named, never a 500."""

from decimal import Decimal

import pytest

from purchasing.models import PurchaseOrder
from tests import factories
from tests.api.test_api import api
from tests.purchasing import shop


@pytest.fixture
def net(acme):
    net = factories.network()
    item = shop.product("AIR-100", name="스탠드 에어컨")
    part = shop.product("AIR-P01", name="필터")
    shop.dealer_prices({item: "1500000", part: "12000.50"})
    shop.price_list("distributor", {item: "1200000"})
    shop.stock(net.seoul_distributor, item, 4)
    shop.stock(net.seoul_distributor, part, 100)
    shop.on_credit(net.dealer_a, 10_000_000)
    return net


def test_the_catalogue_shows_the_callers_price_and_the_suppliers_stock_as_a_word(acme, net):
    body = api(acme, net.dealer_a_user).get("/api/v1/catalogue/?q=에어컨").json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["sku"] == "AIR-100" and item["price"]["amount"] == "1500000.00"
    assert item["availability"] == {"level": "low", "expected_on": None}
    distributor = api(acme, net.seoul_admin).get("/api/v1/catalogue/?q=AIR-100").json()["results"][0]
    assert distributor["price"]["amount"] == "1200000.00"
    assert api(acme, net.dealer_a_user).get("/api/v1/catalogue/?line=nope").status_code == 400
    assert api(acme, net.dealer_a_user).get("/api/v1/catalogue/?supplier_id=x").status_code == 400
    assert api(acme).get("/api/v1/catalogue/").status_code in (401, 403)


def test_a_dealer_places_an_order_and_only_the_parties_read_it(acme, net):
    client = api(acme, net.dealer_a_user)
    made = client.post("/api/v1/purchase-orders/", {"lines": [{"sku": "air-100", "quantity": 2},
                                                               {"sku": "AIR-P01", "quantity": 3}]}, format="json")
    assert made.status_code == 201, made.content
    order = made.json()
    assert order["status"] == "placed" and order["terms"] == "credit"
    assert Decimal(order["total"]) == Decimal("3036001.50")
    assert [line["line_total"] for line in order["lines"]] == ["3000000.00", "36001.50"]
    path = f"/api/v1/purchase-orders/{order['id']}/"
    assert client.get(path).status_code == 200
    assert api(acme, net.seoul_admin).get(path).status_code == 200
    assert api(acme, net.hq_admin).get(path).status_code == 200
    assert api(acme, net.dealer_b_user).get(path).status_code == 404
    assert api(acme, net.busan_admin).get(path).status_code == 404
    assert order["number"] not in api(acme, net.dealer_b_user).get("/api/v1/purchase-orders/").content.decode()


def test_bad_orders_are_refused_with_what_to_fix_and_write_nothing(acme, net):
    client = api(acme, net.dealer_a_user)
    unknown = client.post("/api/v1/purchase-orders/", {"lines": [{"sku": "NOPE", "quantity": 1}]}, format="json")
    assert unknown.status_code == 400 and "lines[0].sku" in unknown.json()
    short = client.post("/api/v1/purchase-orders/", {"lines": [{"sku": "AIR-P01", "quantity": 1},
                                                               {"sku": "AIR-100", "quantity": 5}]}, format="json")
    assert short.status_code == 400 and "AIR-100" in short.content.decode()
    assert shop.stock_of(net.seoul_distributor, shop.Product.objects.get(sku="AIR-P01")).reserved == 0
    for bad in ({"lines": []}, {"lines": [{"sku": "AIR-100", "quantity": 0}]}, {"lines": "x"},
                {"supplier_id": net.busan_distributor.pk, "lines": [{"sku": "AIR-100", "quantity": 1}]}):
        assert client.post("/api/v1/purchase-orders/", bad, format="json").status_code == 400, bad
    assert not PurchaseOrder.objects.exclude(status="cart").exists()
