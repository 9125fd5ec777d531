"""In headless Chromium: HQ uploads a product spreadsheet with a mistake and sees it named, fixes it, makes a
price list from a file, and a distributor records payments from a file and reads a dealer's account."""

import datetime as dt
from pathlib import Path

import pytest

from catalog.models import PriceList, Product
from partners.choices import OrgKind, Role
from partners.models import SupplyLink
from purchasing.models import AccountEntry
from tests import factories
from tests.browser.test_offer_flow import login

pytestmark = [pytest.mark.browser]


def test_hq_loads_the_catalogue_and_prices_and_a_distributor_records_payments(live_tenant, live_server_url, browser,
                                                                               screenshots, tmp_path: Path):
    factories.product_line("aircon", "에어컨")
    hq_user = factories.member(factories.organization(OrgKind.HQ, "본사"), Role.HQ_ADMIN)
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "서울총판", address="서울특별시 중구 1")
    dealer = factories.organization(OrgKind.DEALER, "강남대리점", address="서울특별시 강남구 1")
    SupplyLink.objects.create(distributor=distributor, dealer=dealer, is_primary=True, is_approved=True)
    distributor_user = factories.member(distributor, Role.DISTRIBUTOR_ADMIN)
    base = live_server_url.replace("localhost", f"{live_tenant.slug}.localhost")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, hq_user.email)

    wrong = tmp_path / "products.csv"
    header = "품번,제품명,제품군,냉방면적\r\n"
    wrong.write_bytes((header + "AIR-1,벽걸이 에어컨,에어컨,18평\r\nAIR-2,,세탁기,\r\n").encode("cp949"))
    page.goto(f"{base}/hq/catalogue/upload/")
    page.set_input_files("input[name=file]", str(wrong))
    page.click("[data-testid=catalogue-upload] button[type=submit]")
    errors = page.locator("[data-testid=import-errors]").inner_text()
    assert "세탁기" in errors and not Product.objects.exists()
    screenshots(page, "catalogue-upload-errors")
    right = tmp_path / "products-fixed.csv"
    fixed = "AIR-1,벽걸이 에어컨,에어컨,18평\r\nAIR-2,스탠드 에어컨,에어컨,25평\r\n"
    right.write_bytes((header + fixed).encode("cp949"))
    page.set_input_files("input[name=file]", str(right))
    page.click("[data-testid=catalogue-upload] button[type=submit]")
    assert Product.objects.count() == 2

    prices = tmp_path / "prices.csv"
    prices.write_text("SKU,price\nAIR-1,\"1,250,000\"\nAIR-2,2100000\n", encoding="utf-8")
    page.goto(f"{base}/hq/price-lists/")
    page.fill("input[name=name]", "대리점 표준가")
    page.select_option("select[name=audience]", "dealer")
    page.fill("input[name=valid_from]", (dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.set_input_files("[data-testid=price-list-form] input[name=file]", str(prices))
    page.click("[data-testid=price-list-form] button[type=submit]")
    assert PriceList.objects.get().prices.count() == 2
    screenshots(page, "price-lists")
    page.goto(f"{base}/catalogue/")
    screenshots(page, "hq-catalogue")

    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(desk, base, distributor_user.email)
    payments = tmp_path / "payments.csv"
    payments.write_text(f"사업자번호,금액,적요\n{dealer.business_number},\"300,000\",11월분\n", encoding="utf-8")
    desk.goto(f"{base}/accounts/")
    desk.set_input_files("[data-testid=payments-import] input[name=file]", str(payments))
    desk.click("[data-testid=payments-import] button[type=submit]")
    assert AccountEntry.objects.get(buyer=dealer).amount == -300000
    screenshots(desk, "distributor-accounts")
    desk.click(f"text={dealer.name}")
    assert "300,000" in desk.locator("[data-testid=statement]").inner_text()
    screenshots(desk, "dealer-account-for-distributor")
    context.close()
