"""No input to the ordering pages or API gives a 500: junk ids, quantities, amounts and files are refused with a
message (or a 404 for what names nothing), and nothing is half-written."""

from decimal import Decimal

import pytest

from purchasing.models import AccountEntry, PurchaseOrder
from purchasing.services import cart_set, order_place
from tests.api.test_api import api
from tests.conftest import tenant_client
from tests.purchasing import shop

JUNK = ["", "abc", "-1", "0", "1e100", "NaN", "99999999999999999999999", "１２", "1.5", "<script>", "\x00"]


@pytest.fixture
def placed(net):
    item = shop.product("AC-JUNK")
    shop.dealer_prices({item: "1000"})
    shop.stock(net.seoul_distributor, item, 10)
    shop.on_credit(net.dealer_a, 1_000_000)
    buyer = shop.actor(net.dealer_a_user)
    order = order_place(actor=buyer, cart=cart_set(actor=buyer, supplier=net.seoul_distributor, product=item,
                                                   quantity=2))
    return item, order


def test_junk_posted_to_every_ordering_page_is_refused_without_a_500(acme, net, placed):
    item, order = placed
    buyer = tenant_client(acme, net.dealer_a_user)
    buyer.raise_request_exception = False
    supplier = tenant_client(acme, net.seoul_admin)
    supplier.raise_request_exception = False
    hq = tenant_client(acme, net.hq_admin)
    hq.raise_request_exception = False
    line = order.lines.get()
    for junk in JUNK:
        checks = [
            (buyer, f"/catalogue/{item.pk}/", {"quantity": junk, "supplier": junk}),
            (buyer, "/cart/", {"cart": junk, "action": "place"}),
            (buyer, f"/purchases/{order.pk}/", {"action": "claim", "line": junk, "quantity": junk, "kind": junk}),
            (buyer, f"/purchases/{order.pk}/", {"action": "delivered", "shipment": junk}),
            (buyer, f"/purchases/{order.pk}/", {"action": junk}),
            (supplier, f"/sales/{order.pk}/", {"action": "ship", f"ship-{line.pk}": junk, "carrier": junk * 50}),
            (supplier, f"/sales/{order.pk}/", {"action": "approve", "claim": junk}),
            (supplier, f"/accounts/{net.dealer_a.pk}/", {"amount": junk, "reference": junk}),
            (supplier, "/stock/", {"level": junk, "on_hand": junk, "low_at": junk, "expected_on": junk}),
            (supplier, "/stock/", {"action": "receive", "sku": junk, "quantity": junk}),
            (hq, f"/sales/{order.pk}/", {"action": "exception", "reason": junk}),
            (hq, "/hq/price-lists/", {"name": junk, "audience": junk, "valid_from": junk}),
        ]
        for client, path, data in checks:
            response = client.post(path, data)
            assert response.status_code < 500, (path, data, response.status_code)
        for path in (f"/catalogue/?page={junk}&line={junk}&kind={junk}&status={junk}&q={junk}",
                     f"/sales/?status={junk}&scope={junk}&page={junk}", f"/accounts/?q={junk}&page={junk}"):
            assert hq.get(path).status_code < 500, path
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == "placed" and line.shipped == 0
    # of all that, only two were amounts: "１２" (typed with a Korean keyboard's full-width digits) and "1.5"
    assert sorted(AccountEntry.objects.values_list("amount", flat=True)) == [Decimal("-12"), Decimal("-1.5")]
    assert shop.stock_of(net.seoul_distributor, item).reserved == 2


def test_junk_sent_to_the_ordering_api_is_refused_without_a_500(acme, net, placed):
    client = api(acme, net.dealer_a_user)
    for body in ({"lines": [{"sku": "AC-JUNK", "quantity": "1e100"}]}, {"lines": [{"sku": None, "quantity": 1}]},
                 {"lines": [{"sku": "AC-JUNK", "quantity": 1}], "supplier_id": "x"}, {"lines": {}}, [], "x",
                 {"lines": [{"sku": "AC-JUNK", "quantity": 1}] * 300}):
        response = client.post("/api/v1/purchase-orders/", body, format="json")
        assert response.status_code == 400, (body, response.status_code)
    for query in ("?page=abc", "?q=%00", "?supplier_id=99999999999999999999", "?line=<x>"):
        assert client.get(f"/api/v1/catalogue/{query}").status_code < 500, query
    assert PurchaseOrder.objects.exclude(status="cart").count() == 1
