"""In headless Chromium: HQ makes a tier program, tries it on every dealer (a dry run the worker computes, shown
live), publishes it, and the dealers' tiers, prices and home pages follow."""

from decimal import Decimal

import pytest

from partners.models import Organization
from rewards.models import TierRun
from tests import factories
from tests.conftest import wait_for
from tests.rewards import tiers_data as data

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_hq_defines_tries_and_publishes_a_tier_program(live_tenant, celery_worker, live_server_url, browser,
                                                       screenshots):
    from tests.browser.test_offer_flow import login

    net = factories.network()
    data.sale(net.dealer_a, net.seoul_distributor, 2_500_000)
    data.sale(net.dealer_b, net.seoul_distributor, 600_000)
    base = live_server_url.replace("localhost", f"{live_tenant.slug}.localhost")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, net.hq_admin.email)

    # HQ makes a program and gives it three tiers
    page.goto(f"{base}/hq/tiers/")
    page.click("[data-testid=new-program]")
    page.fill("input[name=name]", "2027 딜러 등급")
    page.fill("input[name=grace_days]", "30")
    page.click("[data-testid=program-form] button[type=submit]")
    page.locator("[data-testid=tier-form-0]").wait_for()
    for i, (name, sales, credit) in enumerate([("Bronze", "", ""), ("Silver", "1,000,000", "5,000,000"),
                                               ("Gold", "2,000,000", "20,000,000")]):
        page.fill(f"input[name=tiers-{i}-name]", name)
        page.fill(f"input[name=tiers-{i}-rank]", str(i + 1))
        page.fill(f"input[name=tiers-{i}-min_sales]", sales)
        page.fill(f"input[name=tiers-{i}-credit_limit]", credit)
        page.fill(f"input[name=tiers-{i}-routing_step]", str(i + 1))

    # and tries it on every dealer first: the worker computes the dry run, shown under the form as it goes
    page.click("[data-testid=dry-run]")
    result = page.locator("#dry-run-result #tier-run[data-status=done]")
    result.wait_for(timeout=30_000)
    assert result.locator("[data-testid=run-partners]").inner_text() == "3"
    assert result.locator("[data-testid=run-upgraded]").inner_text() == "3"
    moves = result.locator("[data-testid=run-moves]").inner_text()
    assert "- → Gold" in moves and "- → Bronze" in moves
    screenshots(page, "dry-run")
    assert Organization.objects.get(pk=net.dealer_a.pk).tier == ""  # a dry run saves nothing
    assert page.input_value("input[name=tiers-2-min_sales]") == "2,000,000"  # the form is as typed

    # satisfied, HQ saves and publishes
    page.click("[data-testid=save-program]")
    page.locator("[data-testid=publish-program]").click()
    assert page.locator("[data-testid=program-status]").inner_text() in ("Published", "게시됨")

    # then the worker gives every dealer its tier, with the benefits applied
    wait_for(lambda: TierRun.objects.filter(status="done", dry_run=False).exists(), timeout=30)
    dealer_a = Organization.objects.get(pk=net.dealer_a.pk)
    assert dealer_a.tier == "Gold" and dealer_a.tier_credit_limit == Decimal(20_000_000)
    assert Organization.objects.get(pk=net.dealer_b.pk).tier == "Bronze"
    page.reload()
    distribution = page.locator("[data-testid=distribution]").inner_text()
    assert "Gold" in distribution
    screenshots(page, "program-published")

    # and the Bronze dealer reads, on a phone, what Silver takes
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    dealer_page = phone.new_page()
    login(dealer_page, base, net.dealer_b_user.email)
    assert dealer_page.locator("[data-testid=home-tier-name]").inner_text() == "Bronze"
    assert "₩400,000 more sales" in dealer_page.locator("[data-testid=home-tier]").inner_text()
    screenshots(dealer_page, "dealer-home-tier")
    dealer_page.goto(f"{base}/tier/")
    assert "Credit limit up to ₩5,000,000" in dealer_page.locator("[data-testid=tier-2]").inner_text()
    screenshots(dealer_page, "dealer-tier-page")
    phone.close()
    context.close()
