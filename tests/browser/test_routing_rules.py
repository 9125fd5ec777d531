"""In headless Chromium: HQ raises the tier weight in a draft rule, simulates it on recent orders, publishes it,
and the next order the worker routes follows the new rule."""

import pytest

from orders.models import Offer, RoutingDecision
from partners.choices import OrgKind, Role
from prm.core.actor import actor_for
from tests import factories
from tests.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker]

SEOCHO = "서울특별시 서초구 서초대로 1"


def test_hq_changes_a_weight_simulates_publishes_and_the_next_order_follows(
        live_tenant, celery_worker, live_server_url, browser, screenshots):
    from tests.browser.test_offer_flow import login

    # given a Bronze dealer next to the customers and a Gold one about 17 km away, and five routed orders
    line = factories.product_line()
    hq_user = factories.member(factories.organization(OrgKind.HQ, "HQ"), Role.HQ_ADMIN)
    actor = actor_for(hq_user)
    near = factories.organization(OrgKind.DEALER, "서초브론즈", address=SEOCHO, lines=[line])
    gold = factories.organization(OrgKind.DEALER, "노원골드", address="서울특별시 노원구 동일로 1", lines=[line])
    near.tier, gold.tier = "Bronze", "Gold"
    near.save()
    gold.save()
    for i in range(5):
        order = factories.order(actor=actor, customer_name=f"고객{i}", address=SEOCHO, product_line=line)
        offer = wait_for(lambda order=order: Offer.objects.filter(order=order).first())
        assert offer.dealer_id == near.pk
        Offer.objects.filter(pk=offer.pk).update(status="accepted")

    base = live_server_url.replace("localhost", f"{live_tenant.slug}.localhost")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, hq_user.email)

    # when HQ starts a draft and raises the tier weight
    page.goto(f"{base}/hq/routing/")
    page.click("[data-testid=start-draft]")
    page.fill("input[name=w_tier]", "60")
    page.fill("input[name=note]", "Gold dealers first")
    page.click("[data-testid=save-draft]")

    # and simulates it: all five recent orders would move to the Gold dealer
    page.click("[data-testid=simulate]")
    simulation = page.locator("[data-testid=simulation]")
    simulation.wait_for()
    assert "5 would go to another dealer" in simulation.inner_text()
    screenshots(page, "routing-simulation")

    # and publishes it
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=publish]")
    page.locator("[data-testid=rule-in-use]").wait_for()
    assert "v2" in page.locator("[data-testid=rule-in-use]").inner_text()
    screenshots(page, "routing-published")

    # then the next order goes to the Gold dealer, under rule v2, and HQ's order page says why
    order = factories.order(actor=actor, customer_name="새고객", address=SEOCHO, product_line=line)
    offer = wait_for(lambda: Offer.objects.filter(order=order).first())
    assert offer.dealer_id == gold.pk
    assert RoutingDecision.objects.get(order=order).rule.version == 2
    page.goto(f"{base}/hq/orders/{order.pk}/")
    why = page.locator("[data-testid=decision]").first
    assert "노원골드" in why.inner_text() and "v2" in why.inner_text()
    screenshots(page, "order-why-this-dealer")
    context.close()
