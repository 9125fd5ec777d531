"""In headless Chromium: a dealer logs in on a phone at its tenant's domain, sees its offer and accepts it;
HQ then sees the acceptance on the order's timeline."""

import pytest
from django.db import connection

from orders.models import Offer
from tests import factories
from tests.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}


def login(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit]")


def test_dealer_accepts_its_offer_on_a_phone_and_hq_sees_it(live_tenant, celery_worker, live_server_url,
                                                             browser, screenshots):
    # given an order HQ entered, routed by the worker to dealer_a
    net = factories.network()
    order = factories.order(actor=net.actor(net.hq_admin), customer_name="홍길동",
                         address="서울특별시 강남구 테헤란로 152", product_line=net.aircon, quantity=2)
    wait_for(lambda: Offer.objects.filter(order=order, dealer=net.dealer_a, status="pending").exists())
    base = live_server_url.replace("localhost", f"{live_tenant.slug}.localhost")

    # when dealer_a's admin logs in on a phone
    phone = browser.new_context(**PHONE, locale="ko-KR")
    page = phone.new_page()
    login(page, base, net.dealer_a_user.email)
    assert page.url == f"{base}/dealer/"
    card = page.locator(f"[data-testid=offer-{order.number}]")
    card.wait_for()
    assert "홍길동" in card.inner_text()
    screenshots(page, "dealer-home-with-offer")

    # and accepts the offer, confirming the question the phone asks
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    card.locator("[data-testid=accept]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=offer-status]").inner_text().strip() == "Accepted"
    assert questions == ["Accept this order? The customer then expects your call."]
    screenshots(page, "dealer-offer-accepted")
    phone.close()

    # then HQ sees the acceptance by dealer_a on the order's timeline
    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    hq = desktop.new_page()
    login(hq, base, net.hq_admin.email)
    assert hq.url == f"{base}/hq/"
    hq.click(f"text={order.number}")
    assert hq.locator("[data-testid=order-status]").inner_text().strip() == "Accepted"
    timeline = hq.locator("[data-testid=timeline]").inner_text()
    assert "Accepted" in timeline and net.dealer_a.name in timeline
    screenshots(hq, "hq-order-timeline")

    # and a dealer opening an HQ page is refused
    other = browser.new_context(**PHONE)
    dealer_b = other.new_page()
    login(dealer_b, base, net.dealer_b_user.email)
    response = dealer_b.goto(f"{base}/hq/orders/{order.pk}/")
    assert response.status == 403
    screenshots(dealer_b, "dealer-refused-hq-page")
    other.close()
    desktop.close()
    connection.set_tenant(live_tenant)


def test_distributor_uploads_a_dealer_list_and_watches_it_import(live_tenant, celery_worker, live_server_url,
                                                                 browser, screenshots):
    from partners.choices import OrgKind, Role
    from tests.conftest import SAMPLES

    distributor = factories.organization(OrgKind.DISTRIBUTOR, "서울중앙유통")
    user = factories.member(distributor, Role.DISTRIBUTOR_ADMIN)
    base = live_server_url.replace("localhost", f"{live_tenant.slug}.localhost")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, user.email)
    assert page.url == f"{base}/distributor/"
    page.click("text=Upload a dealer list")
    page.set_input_files("input[type=file]", str(SAMPLES / "seoul-distributor_cp949.csv"))
    page.click("[data-testid=upload]")
    page.locator("[data-testid=mapping-form]").wait_for(timeout=60_000)  # the worker read it: check the columns
    screenshots(page, "upload-columns-desktop")
    page.click("[data-testid=confirm-columns]")
    page.locator("[data-testid=upload-result]").wait_for(timeout=60_000)  # htmx polls until the worker is done
    assert page.locator("[data-testid=created]").inner_text() == "298"
    assert page.locator("[data-testid=rejected]").inner_text() == "2"
    screenshots(page, "upload-result")
    context.close()
