"""In headless Chromium: HQ writes and publishes a campaign; a dealer on a phone is told (the worker fans the notice
out), sees it on its home page, joins it and proposes a plan asking for marketing funds; HQ approves part of the
amount; the dealer sees what was approved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns.models import Campaign, FundPlan, Participation
from prm.core.models import Notification
from tests import factories
from tests.browser.test_offer_flow import PHONE, login
from tests.campaigns import make
from tests.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_hq_publishes_a_campaign_a_dealer_joins_and_gets_part_of_its_plan_approved(
        live_tenant, celery_worker, live_server_url, browser, screenshots):
    net = factories.network()
    make.product("AC-INV-18", line=net.aircon, name="인버터 에어컨 18평")
    base = live_server_url.replace("localhost", f"{live_tenant.slug}.localhost")
    today = timezone.localdate()

    # HQ drafts a campaign for dealers and publishes it
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    hq = desk.new_page()
    hq.on("dialog", lambda dialog: dialog.accept())
    login(hq, base, net.hq_admin.email)
    hq.goto(f"{base}/hq/campaigns/")
    hq.click("[data-testid=new-campaign]")
    hq.fill("input[name=title]", "여름 인버터 에어컨 캠페인")
    hq.fill("textarea[name=offer]", "캠페인 기간 중 18평 인버터 모델 대당 5만원 추가 지원")
    hq.fill("textarea[name=products]", "AC-INV-18")
    hq.fill("input[name=starts_on]", (today + dt.timedelta(days=3)).isoformat())
    hq.fill("input[name=ends_on]", (today + dt.timedelta(days=40)).isoformat())
    hq.fill("input[name=budget]", "30,000,000")
    assert hq.is_checked("input[name=kinds][value=dealer]")  # a new campaign is for dealers unless told
    hq.click("[data-testid=save-campaign]")
    hq.locator("[data-testid=publish-campaign]").wait_for()
    screenshots(hq, "hq-campaign-draft")
    hq.click("[data-testid=publish-campaign]")
    assert hq.locator("[data-testid=campaign-status]").first.inner_text() == "Published"
    campaign = Campaign.objects.get(title="여름 인버터 에어컨 캠페인")
    assert campaign.status == "published" and hq.locator("[data-testid=targeted-count]").inner_text() == "3"
    screenshots(hq, "hq-campaign-published")

    # the worker tells each targeted dealer's people in the portal
    wait_for(lambda: Notification.objects.filter(user=net.dealer_a_user, kind="notice_campaigns").exists())

    # the dealer, on a phone, sees it on its home page and joins it
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, base, net.dealer_a_user.email)
    assert page.locator("[data-testid=unread]").inner_text() == "1"
    page.locator("[data-testid=home-campaign]", has_text="여름 인버터 에어컨 캠페인").wait_for()
    screenshots(page, "dealer-home")
    page.locator("[data-testid=home-campaign]", has_text="여름 인버터 에어컨 캠페인").click()
    assert "5만원" in page.locator("[data-testid=campaign-offer]").inner_text()
    assert "인버터 에어컨 18평" in page.locator("[data-testid=campaign-products]").inner_text()
    screenshots(page, "dealer-campaign")
    page.click("[data-testid=join]")
    page.locator("[data-testid=joined-note]").wait_for()
    assert Participation.objects.filter(campaign=campaign, partner=net.dealer_a, withdrawn_at=None).exists()
    screenshots(page, "dealer-joined")

    # and proposes a plan for it, asking for 3,000,000
    page.click("[data-testid=propose-plan]")
    assert page.locator("select[name=campaign] option:checked").inner_text() == campaign.title
    page.check("input[name=kind][value=advertising]")
    page.fill("input[name=title]", "강남 지역 버스 정류장 광고")
    page.fill("textarea[name=description]", "강남역 인근 정류장 4곳, 4주간 인버터 에어컨 광고")
    page.fill("input[name=starts_on]", (today + dt.timedelta(days=5)).isoformat())
    page.fill("input[name=ends_on]", (today + dt.timedelta(days=33)).isoformat())
    page.fill("input[name=requested_amount]", "3,000,000")
    screenshots(page, "dealer-plan-form")
    page.click("[data-testid=send-plan]")
    assert page.locator("[data-testid=plan-status]").inner_text() == "Waiting for HQ"
    assert page.locator("[data-testid=requested]").inner_text() == "₩3,000,000"
    screenshots(page, "dealer-plan-sent")
    plan = FundPlan.objects.get(partner=net.dealer_a)
    assert plan.campaign_id == campaign.pk

    # HQ finds it in its queue and approves 2,000,000 of it
    hq.goto(f"{base}/hq/funds/")
    hq.locator("[data-testid=queue-plan]", has_text="강남 지역 버스 정류장 광고").locator("a").first.click()
    assert hq.input_value("input[name=approved_amount]") == "3,000,000"
    hq.fill("input[name=approved_amount]", "2,000,000")
    hq.fill("input[name=note]", "정류장 2곳분 우선 승인")
    screenshots(hq, "hq-plan-decision")
    hq.click("[data-testid=approve-plan]")
    assert hq.locator("[data-testid=approved]").inner_text() == "₩2,000,000"
    screenshots(hq, "hq-plan-approved")
    plan.refresh_from_db()
    assert (plan.status, plan.approved_amount) == ("approved", Decimal(2_000_000))

    # the dealer sees the approved amount, what is left to claim and the deadline
    page.goto(f"{base}/funds/")
    assert page.locator("[data-testid=summary-approved]").inner_text() == "₩2,000,000"
    assert page.locator("[data-testid=plan-approved]").inner_text() == "₩2,000,000"
    screenshots(page, "dealer-funds")
    page.locator("[data-testid=plan] a").first.click()
    assert page.locator("[data-testid=approved]").inner_text() == "₩2,000,000"
    assert page.locator("[data-testid=remaining]").inner_text() == "₩2,000,000"
    assert "정류장 2곳분 우선 승인" in page.locator("[data-testid=decision-note]").inner_text()
    assert plan.claim_deadline.isoformat() in page.locator("[data-testid=claim-deadline]").inner_text()
    screenshots(page, "dealer-plan-approved")
    assert Notification.objects.filter(user=net.dealer_a_user, kind="fund.plan_approved").exists()
    phone.close()
    desk.close()
