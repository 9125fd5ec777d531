"""Suppliers record payments (one at a time or a spreadsheet of them), see their buyers' balances, and receive
goods into stock; HQ can list every partner's orders."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from purchasing.models import AccountEntry, PurchaseOrder
from purchasing.payments_import import payments_import
from purchasing.selectors import balance_of
from purchasing.services import cart_set, order_place
from tests.conftest import tenant_client
from tests.purchasing import shop


def _csv(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("cp949")


def test_a_payments_file_is_recorded_whole_or_not_at_all(acme, net):
    a, b = net.dealer_a.business_number, net.dealer_b.business_number
    c = net.dealer_c.business_number  # supplied by Busan, not Seoul
    seoul = shop.actor(net.seoul_admin)
    bad = payments_import(actor=seoul, data=_csv(f"사업자번호,금액,적요\n{a},\"1,000,000\",5월분\n"
                                                 f"{c},5000,남의 대리점\n{b},-3,음수\n"))
    assert not bad.ok and not AccountEntry.objects.exists()
    assert [(e["row"], e["column"]) for e in bad.errors] == [(3, "business_number"), (4, "amount")]
    good = payments_import(actor=seoul, data=_csv(f"사업자번호,금액,적요\n{a[:3]}-{a[3:5]}-{a[5:]},1000000.50,5월분\n"
                                                  f"{b},250000,\n"))
    assert good.ok and good.created == 2
    assert balance_of(net.dealer_a) == Decimal("-1000000.50") and balance_of(net.dealer_b) == Decimal("-250000")
    # HQ may record payments from any partner
    hq = payments_import(actor=shop.actor(net.hq_admin), data=_csv(f"business number,amount\n{c},7000\n"))
    assert hq.ok and balance_of(net.dealer_c) == Decimal("-7000")


def test_the_accounts_page_lists_the_suppliers_buyers_with_balances_and_imports(acme, net):
    shop.on_credit(net.dealer_a, 5_000_000)
    item = shop.product("AC-PAY")
    shop.dealer_prices({item: "100000"})
    shop.stock(net.seoul_distributor, item, 10)
    buyer = shop.actor(net.dealer_a_user)
    order_place(actor=buyer, cart=cart_set(actor=buyer, supplier=net.seoul_distributor, product=item, quantity=1))
    page = tenant_client(acme, net.seoul_admin).get("/accounts/").content.decode()
    assert net.dealer_a.name in page and net.dealer_b.name in page and net.dealer_c.name not in page
    upload = SimpleUploadedFile("pay.csv", _csv(f"사업자번호,금액\n{net.dealer_c.business_number},1000\n"))
    refused = tenant_client(acme, net.seoul_admin).post("/accounts/", {"file": upload})
    assert refused.status_code == 200 and 'data-testid="import-errors"' in refused.content.decode()
    assert tenant_client(acme, net.dealer_a_user).get("/accounts/").status_code == 403


def test_goods_received_go_into_stock_and_hq_lists_every_partners_orders(acme, net):
    item = shop.product("AC-RCV")
    shop.dealer_prices({item: "1000"})
    client = tenant_client(acme, net.seoul_admin)
    client.post("/stock/", {"action": "receive", "sku": "ac-rcv", "quantity": "12"})
    assert shop.stock_of(net.seoul_distributor, item).on_hand == 12
    client.post("/stock/", {"action": "receive", "sku": "NOPE", "quantity": "3"})
    client.post("/stock/", {"action": "receive", "sku": "AC-RCV", "quantity": "-3"})
    assert shop.stock_of(net.seoul_distributor, item).on_hand == 12
    shop.on_credit(net.dealer_a, 1_000_000)
    buyer = shop.actor(net.dealer_a_user)
    order = order_place(actor=buyer, cart=cart_set(actor=buyer, supplier=net.seoul_distributor, product=item,
                                                   quantity=2))
    hq = tenant_client(acme, net.hq_admin)
    assert order.number not in hq.get("/sales/").content.decode()  # placed with Seoul, not with HQ
    assert order.number in hq.get("/sales/?scope=all").content.decode()
    assert order.number not in tenant_client(acme, net.busan_admin).get("/sales/?scope=all").content.decode()


def test_orders_left_unpaid_are_cancelled_and_their_stock_released(acme, net):
    import datetime as dt

    from django.utils import timezone

    from prm.core.models import Notification
    from purchasing.models import PurchaseOrder
    from purchasing.services import orders_cancel_unpaid

    item = shop.product("AC-UNPAID")
    shop.dealer_prices({item: "50000"})
    shop.stock(net.seoul_distributor, item, 5)
    buyer = shop.actor(net.dealer_b_user)  # not registered for credit: waits for prepayment
    order = order_place(actor=buyer, cart=cart_set(actor=buyer, supplier=net.seoul_distributor, product=item,
                                                   quantity=3))
    assert order.status == "awaiting_payment" and shop.stock_of(net.seoul_distributor, item).reserved == 3
    assert orders_cancel_unpaid() == 0  # not yet
    PurchaseOrder.objects.filter(pk=order.pk).update(placed_at=timezone.now() - dt.timedelta(days=8))
    assert orders_cancel_unpaid() == 1
    order.refresh_from_db()
    assert order.status == "cancelled" and shop.stock_of(net.seoul_distributor, item).reserved == 0
    assert Notification.objects.filter(user=net.dealer_b_user, kind="purchase.cancelled").exists()
    assert orders_cancel_unpaid() == 0
    page = tenant_client(acme, net.dealer_b_user).get(f"/purchases/{order.pk}/").content.decode()
    assert "No prepayment arrived in time." in page


def test_a_quantity_changed_in_the_cart_counts_when_placing_straight_away(acme, net):
    item = shop.product("AC-CART")
    shop.dealer_prices({item: "1000"})
    shop.stock(net.seoul_distributor, item, 10)
    shop.on_credit(net.dealer_a, 1_000_000)
    cart = cart_set(actor=shop.actor(net.dealer_a_user), supplier=net.seoul_distributor, product=item, quantity=1)
    line = cart.lines.get()
    client = tenant_client(acme, net.dealer_a_user)
    refused = client.post("/cart/", {"cart": cart.pk, "action": "place", f"qty-{line.pk}": "x"})
    assert refused.status_code == 302 and cart.lines.get().quantity == 1
    assert not PurchaseOrder.objects.exclude(status="cart").exists()  # a bad quantity stops the order
    client.post("/cart/", {"cart": cart.pk, "action": "place", f"qty-{line.pk}": "4"})
    order = PurchaseOrder.objects.exclude(status="cart").get()
    assert order.lines.get().quantity == 4 and order.total == 4000
