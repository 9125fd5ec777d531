"""In headless Chromium, on a phone-sized screen: a dealer searches the catalogue, sees its own price and its
distributor's stock, orders; the distributor confirms and ships it with a tracking number; the dealer sees
"Shipped" and marks it delivered."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Price, PriceAudience, PriceList, Product, StockLevel
from partners.choices import CreditStatus, OrgKind, Role
from partners.models import SupplyLink
from purchasing.models import AccountEntry, PurchaseOrder
from tests import factories
from tests.browser.test_offer_flow import login

pytestmark = [pytest.mark.browser]


def test_dealer_searches_orders_and_sees_its_order_shipped(live_tenant, live_server_url, browser, screenshots):
    line = factories.product_line()
    factories.organization(OrgKind.HQ, "본사")
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "서울총판", address="서울특별시 중구 1")
    dealer = factories.organization(OrgKind.DEALER, "강남대리점", address="서울특별시 강남구 1", lines=[line])
    dealer.credit_status, dealer.credit_limit = CreditStatus.REGISTERED, Decimal(10_000_000)
    dealer.save()
    SupplyLink.objects.create(distributor=distributor, dealer=dealer, is_primary=True, is_approved=True)
    dealer_user = factories.member(dealer, Role.DEALER_ADMIN)
    distributor_user = factories.member(distributor, Role.DISTRIBUTOR_ADMIN)
    wanted = Product.objects.create(sku="AIR-018", product_line=line, name_ko="벽걸이 에어컨 18평",
                                    name_en="Wall air conditioner 18", specs={"냉방 면적": "18평"})
    other = Product.objects.create(sku="TV-055", product_line=line, name_ko="55인치 TV", name_en="55-inch TV")
    dealers = PriceList.objects.create(name="대리점가", audience=PriceAudience.DEALER,
                                       valid_from=timezone.localdate() - dt.timedelta(days=1))
    Price.objects.create(price_list=dealers, product=wanted, amount=Decimal("1250000"))
    Price.objects.create(price_list=dealers, product=other, amount=Decimal("990000"))
    StockLevel.objects.create(holder=distributor, product=wanted, on_hand=3, low_at=5)

    base = live_server_url.replace("localhost", f"{live_tenant.slug}.localhost")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    login(page, base, dealer_user.email)

    # the dealer searches and sees its own price and the distributor's stock as a word, not a number
    page.goto(f"{base}/catalogue/")
    page.fill("input[name=q]", "벽걸이")
    page.press("input[name=q]", "Enter")
    rows = page.locator("[data-testid=product-row]")
    assert rows.count() == 1
    assert "1,250,000" in rows.first.inner_text() and "Low stock" in rows.first.inner_text()
    assert "(3)" not in rows.first.inner_text()
    screenshots(page, "catalogue-search-phone")
    page.click("text=AIR-018")
    page.fill("input[name=quantity]", "2")
    page.click("[data-testid=add-to-cart] button[type=submit]")
    assert page.locator("[data-testid=cart-line]").count() == 1
    screenshots(page, "cart-phone")
    page.click("[data-testid=place-order]")
    assert "Placed" in page.locator("[data-testid=order-status]").inner_text()
    order = PurchaseOrder.objects.get(buyer=dealer)
    assert order.total == Decimal("2500000") and order.terms == "credit"
    assert StockLevel.objects.get(holder=distributor, product=wanted).reserved == 2

    # the distributor confirms and ships it
    supplier = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = supplier.new_page()
    login(desk, base, distributor_user.email)
    desk.goto(f"{base}/sales/")
    desk.click(f"text={order.number}")
    desk.click("[data-testid=confirm]")
    desk.fill("input[name=carrier]", "한진택배")
    desk.fill("input[name=tracking]", "5123-4567-8901")
    desk.click("[data-testid=ship]")
    assert "Shipped" in desk.locator("[data-testid=order-status]").inner_text()
    screenshots(desk, "distributor-shipped")
    stock = StockLevel.objects.get(holder=distributor, product=wanted)
    assert (stock.on_hand, stock.reserved) == (1, 0)
    assert AccountEntry.objects.get(buyer=dealer, kind="invoice").amount == Decimal("2500000")

    # the dealer sees it shipped, with the tracking number, and marks it delivered
    page.goto(f"{base}/purchases/")
    assert "Shipped" in page.locator("[data-testid=order-status]").first.inner_text()
    page.click(f"text={order.number}")
    assert "5123-4567-8901" in page.locator("[data-testid=shipment]").inner_text()
    screenshots(page, "dealer-sees-shipped-phone")
    page.click("[data-testid=delivered]")
    assert "Delivered" in page.locator("[data-testid=order-status]").inner_text()
    page.goto(f"{base}/account/")
    assert "2,500,000" in page.locator("[data-testid=statement]").inner_text()
    screenshots(page, "dealer-account-phone")
    phone.close()
    supplier.close()
