"""Partner ordering pages: another partner's orders, carts, account and stock give 404 (never their data), prices
are the caller's own, and nothing of another tenant is reachable."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from catalog.models import Price, PriceList, Product, StockLevel
from partners.choices import CreditStatus
from purchasing.models import PurchaseOrder
from purchasing.services import cart_set, order_place
from tests import factories
from tests.conftest import tenant_client


def _shop(net, *, prefix: str = ""):
    """A product with a dealer price (₩111,000), a Gold price (₩99,000) and a distributor price (₩77,000), in
    stock at both distributors and HQ; dealer_a's order placed with the Seoul distributor."""
    product = Product.objects.create(sku=f"{prefix}AIR-1", product_line=net.aircon, name_ko=f"{prefix}에어컨")
    start = timezone.localdate() - dt.timedelta(days=1)
    for audience, tier, amount in (("dealer", "", "111000"), ("dealer", "Gold", "99000"),
                                   ("distributor", "", "77000")):
        price_list = PriceList.objects.create(name=f"{audience}{tier}", audience=audience, tier=tier,
                                              valid_from=start)
        Price.objects.create(price_list=price_list, product=product, amount=Decimal(amount))
    for holder in (net.seoul_distributor, net.busan_distributor, net.hq):
        StockLevel.objects.create(holder=holder, product=product, on_hand=50)
    for dealer in (net.dealer_a, net.dealer_b, net.dealer_c):
        dealer.credit_status, dealer.credit_limit = CreditStatus.REGISTERED, Decimal(10_000_000)
        dealer.save()
    cart = cart_set(actor=net.actor(net.dealer_a_user), supplier=net.seoul_distributor, product=product,
                    quantity=2)
    order = order_place(actor=net.actor(net.dealer_a_user), cart=cart)
    return product, order


@pytest.fixture
def shop(acme):
    net = factories.network()
    product, order = _shop(net)
    return net, product, order


def test_another_dealers_order_and_its_actions_give_404(acme, shop):
    net, _product, order = shop
    client = tenant_client(acme, net.dealer_b_user)
    assert client.get(f"/purchases/{order.pk}/").status_code == 404
    assert client.get(f"/sales/{order.pk}/").status_code == 404
    for action in ("cancel", "delivered", "confirm", "ship"):
        assert client.post(f"/purchases/{order.pk}/", {"action": action}).status_code == 404
    order.refresh_from_db()
    assert order.status == "placed"
    own = tenant_client(acme, net.dealer_a_user).get(f"/purchases/{order.pk}/")
    assert own.status_code == 200 and order.number in own.content.decode()
    assert order.number not in client.get("/purchases/").content.decode()


def test_another_distributors_sale_gives_404_and_hq_sees_it(acme, shop):
    net, _product, order = shop
    busan = tenant_client(acme, net.busan_admin)
    assert busan.get(f"/sales/{order.pk}/").status_code == 404
    assert busan.post(f"/sales/{order.pk}/", {"action": "confirm"}).status_code == 404
    assert order.number not in busan.get("/sales/").content.decode()
    seoul = tenant_client(acme, net.seoul_admin)
    assert order.number in seoul.get("/sales/").content.decode()
    assert tenant_client(acme, net.hq_admin).get(f"/sales/{order.pk}/").status_code == 200
    # HQ sees the order but is not its supplier: it can't ship it
    tenant_client(acme, net.hq_admin).post(f"/sales/{order.pk}/", {"action": "confirm"})
    order.refresh_from_db()
    assert order.status == "placed"


def test_accounts_are_seen_by_the_buyer_its_distributor_and_hq_only(acme, shop):
    net, _product, _order = shop
    assert tenant_client(acme, net.busan_admin).get(f"/accounts/{net.dealer_a.pk}/").status_code == 404
    assert tenant_client(acme, net.busan_admin).post(f"/accounts/{net.dealer_a.pk}/",
                                                     {"amount": "1000"}).status_code == 404
    assert tenant_client(acme, net.seoul_admin).get(f"/accounts/{net.dealer_a.pk}/").status_code == 200
    assert tenant_client(acme, net.hq_admin).get(f"/accounts/{net.dealer_a.pk}/").status_code == 200
    # a dealer has its own account page, and no way to open another's
    assert tenant_client(acme, net.dealer_b_user).get(f"/accounts/{net.dealer_a.pk}/").status_code == 403


def test_carts_and_stock_of_others_cannot_be_touched(acme, shop):
    net, product, _order = shop
    other_cart = cart_set(actor=net.actor(net.dealer_c_user), supplier=net.busan_distributor, product=product,
                          quantity=1)
    page = tenant_client(acme, net.dealer_a_user).post("/cart/", {"cart": other_cart.pk, "action": "place"})
    assert page.status_code == 404
    assert PurchaseOrder.objects.get(pk=other_cart.pk).status == "cart"
    busan_level = StockLevel.objects.get(holder=net.busan_distributor, product=product)
    page = tenant_client(acme, net.seoul_admin).post("/stock/", {"level": busan_level.pk, "on_hand": "0",
                                                                 "low_at": "1"})
    assert page.status_code == 404
    busan_level.refresh_from_db()
    assert busan_level.on_hand == 50
    # a buyer sees stock as a word; the holder sees its number
    dealer_page = tenant_client(acme, net.dealer_a_user).get("/catalogue/").content.decode()
    assert "In stock" in dealer_page and "(48)" not in dealer_page
    holder_page = tenant_client(acme, net.seoul_admin).get("/stock/").content.decode()
    assert 'name="on_hand" type="number" min="0" value="50"' in holder_page


def test_each_partner_sees_only_its_own_price(acme, shop):
    net, product, _order = shop
    net.dealer_b.tier = "Gold"
    net.dealer_b.save()
    pages = {who: tenant_client(acme, user).get(f"/catalogue/{product.pk}/").content.decode()
             for who, user in (("a", net.dealer_a_user), ("b", net.dealer_b_user), ("seoul", net.seoul_admin))}
    assert "111,000" in pages["a"] and "99,000" not in pages["a"] and "77,000" not in pages["a"]
    assert "99,000" in pages["b"] and "111,000" not in pages["b"]
    assert "77,000" in pages["seoul"] and "111,000" not in pages["seoul"]


def test_nothing_of_another_tenant_is_reachable(acme, globex):
    with schema_context("globex"):
        g = factories.network(prefix="GLOBEX-")
        g_product, g_order = _shop(g, prefix="GLOBEX-")
    with schema_context("acme"):
        for i in range(3):
            Product.objects.create(sku=f"ACME-F{i}", product_line=factories.product_line(), name_ko="채움")
        a = factories.network(prefix="ACME-")
        _shop(a, prefix="ACME-")
    connection.set_tenant(acme)
    client = tenant_client(acme, a.dealer_a_user)
    for path in (f"/purchases/{g_order.pk}/", f"/sales/{g_order.pk}/"):
        page = client.get(path)
        assert page.status_code == 404 or "GLOBEX" not in page.content.decode(), path
    catalogue = client.get("/catalogue/").content.decode()
    assert "GLOBEX" not in catalogue and "ACME-AIR-1" in catalogue
    detail = client.get(f"/catalogue/{g_product.pk}/")
    assert detail.status_code == 404 or "GLOBEX" not in detail.content.decode()


def test_the_ordering_api_shows_nothing_of_another_tenant(acme, globex):
    from tests.api.test_api import api

    with schema_context("globex"):
        g = factories.network(prefix="GLOBEX-")
        _g_product, g_order = _shop(g, prefix="GLOBEX-")
    with schema_context("acme"):
        a = factories.network(prefix="ACME-")
        _shop(a, prefix="ACME-")
    connection.set_tenant(acme)
    client = api(acme, a.dealer_c_user)  # a dealer with no order in acme
    detail = client.get(f"/api/v1/purchase-orders/{g_order.pk}/")
    assert detail.status_code == 404
    for path in ("/api/v1/purchase-orders/", "/api/v1/catalogue/"):
        body = client.get(path).content.decode()
        assert "GLOBEX" not in body, path
    # a globex user's token is unknown here
    with schema_context("globex"):
        from rest_framework.authtoken.models import Token

        key = Token.objects.get_or_create(user=g.dealer_a_user)[0].key
    connection.set_tenant(acme)
    from rest_framework.test import APIClient

    stranger = APIClient(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Token {key}")
    assert stranger.get("/api/v1/purchase-orders/").status_code == 401


def test_product_files_are_served_from_the_callers_own_catalogue_only(acme, globex):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from catalog.services import product_attach
    from prm.core.actor import actor_for

    png = b"\x89PNG\r\n\x1a\n" + b"GLOBEX" * 8
    with schema_context("globex"):
        g = factories.network(prefix="GLOBEX-")
        g_product, _order = _shop(g, prefix="GLOBEX-")
        product_attach(actor=actor_for(g.hq_admin), product=g_product, image=SimpleUploadedFile("a.png", png),
                       document=SimpleUploadedFile("m.pdf", b"%PDF-1.7 GLOBEX"), title="GLOBEX 설명서")
        g_document = g_product.documents.get()
    with schema_context("acme"):
        a = factories.network(prefix="ACME-")
        a_product, _order = _shop(a, prefix="ACME-")
        product_attach(actor=actor_for(a.hq_admin), product=a_product,
                       image=SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\nACME"))
    connection.set_tenant(acme)
    client = tenant_client(acme, a.dealer_a_user)
    own = client.get(f"/catalogue/{a_product.pk}/image/")
    assert own.status_code == 200 and b"ACME" in b"".join(own.streaming_content)
    for path in (f"/catalogue/{g_product.pk}/image/", f"/catalogue/documents/{g_document.pk}/"):
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.status_code == 200 else response.content
        assert response.status_code == 404 or b"GLOBEX" not in body, path
