"""In headless Chromium, on a phone-sized screen: a dealer sees its points and what expires soon, redeems a
reward, and HQ (on a desktop) approves it; the dealer's page then shows it approved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from rewards.models import Redemption, RedemptionStatus
from tests import factories
from tests.browser.test_offer_flow import login
from tests.rewards import points_data as data

pytestmark = [pytest.mark.browser]


def test_dealer_redeems_points_on_a_phone_and_hq_approves(live_tenant: Any, live_server_url: str, browser: Any,
                                                          screenshots: Any) -> None:
    net = factories.network()
    today = timezone.localdate()
    data.earn(net.dealer_a, 1200, months=1, day=today - dt.timedelta(days=20))
    data.earn(net.dealer_a, 800, months=12)
    data.reward("브랜드 텀블러", cost=300, stock=10)
    data.reward("5만원 크레딧 (거래처 계정)", cost=5000, kind="credit_note", credit=50_000)

    base = live_server_url.replace("localhost", f"{live_tenant.slug}.localhost")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    login(page, base, net.dealer_a_user.email)
    page.goto(f"{base}/points/")
    assert page.locator("[data-testid=points-balance]").inner_text() == "2,000"
    assert page.locator("[data-testid=points-expiring]").inner_text() == "1,200"
    assert "3,000 more points needed" in page.locator("[data-testid=reward]").nth(1).inner_text()
    # nothing overflows the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshots(page, "points-phone")
    page.locator("[data-testid=redeem-form] input[name=quantity]").first.fill("2")
    page.locator("[data-testid=redeem-form] button").first.click()
    assert "Waiting for HQ" in page.locator("[data-testid=redemption]").first.inner_text()
    screenshots(page, "redemptions-phone")

    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(desk, base, net.hq_admin.email)
    desk.goto(f"{base}/hq/points/redemptions/")
    screenshots(desk, "hq-queue")
    desk.click("[data-testid=approve]")
    assert Redemption.objects.get().status == RedemptionStatus.APPROVED
    desk.goto(f"{base}/hq/points/partners/{net.dealer_a.pk}/")
    screenshots(desk, "hq-partner-ledger")
    desk.goto(f"{base}/hq/points/rules/")
    screenshots(desk, "hq-rules")

    page.goto(f"{base}/points/redemptions/")
    assert "Approved" in page.locator("[data-testid=redemption]").first.inner_text()
    page.goto(f"{base}/points/history/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshots(page, "history-phone")
