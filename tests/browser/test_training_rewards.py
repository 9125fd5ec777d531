"""In headless Chromium on a phone: a Silver dealer that lacks one certification for Gold reads a lesson, passes
the quiz, and its home page then shows the points the course earned and Gold (recomputed by the worker), with the
new certificate on its printable page."""

from decimal import Decimal

import pytest

from partners.models import Organization
from rewards.models import LedgerEntry, PointsRule
from tests import factories
from tests.conftest import wait_for
from tests.rewards import tiers_data as data
from tests.training import make

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_a_dealer_passes_a_quiz_and_sees_its_points_and_tier_change(live_tenant, celery_worker, live_server_url,
                                                                    browser, screenshots):
    from rewards.models import TierRun
    from rewards.services.tiers import tiers_run
    from tests.browser.test_offer_flow import login

    # given a Silver dealer one certification short of Gold, and a course that earns 300 points
    net = factories.network()
    data.program(tiers=[
        {"name": "Bronze", "rank": 1},
        {"name": "Silver", "rank": 2, "min_sales": Decimal(1_000_000), "credit_limit": Decimal(3_000_000)},
        {"name": "Gold", "rank": 3, "min_sales": Decimal(1_000_000), "min_certifications": 1,
         "credit_limit": Decimal(10_000_000)},
    ])
    data.sale(net.dealer_a, net.seoul_distributor, 1_500_000)
    tiers_run(run=TierRun.objects.create())
    assert Organization.objects.get(pk=net.dealer_a.pk).tier == "Silver"
    PointsRule.objects.create(event="course_passed", fixed_points=300, expires_after_months=12, is_active=True,
                              description="교육 이수")
    course = make.course(net.hq_admin, title="인버터 에어컨 기초", lessons=1, questions=2)

    base = live_server_url.replace("localhost", f"{live_tenant.slug}.localhost")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    login(page, base, net.dealer_a_user.email)
    home_tier = page.locator("[data-testid=home-tier]")
    assert page.locator("[data-testid=home-tier-name]").inner_text() == "Silver"
    assert "1 more certification" in home_tier.inner_text()
    assert page.locator("[data-testid=home-points-balance]").inner_text() == "0"
    screenshots(page, "home-before")

    # when the dealer opens the course from its home page, reads the lesson and takes the quiz
    page.locator("[data-testid=home-courses] a", has_text="인버터 에어컨 기초").first.click()
    page.click("[data-testid=next-lesson]")
    page.locator("[data-testid=lesson]").wait_for()
    screenshots(page, "lesson")
    page.click("[data-testid=lesson-done]")
    page.click("[data-testid=start-quiz]")
    questions = page.locator("[data-testid=question]")
    assert questions.count() == 2
    for i in range(questions.count()):
        questions.nth(i).locator("label.answer", has_text="right").first.click()
    screenshots(page, "quiz")
    page.click("[data-testid=submit-quiz]")
    assert page.locator("[data-testid=verdict]").inner_text() in ("Passed", "합격")
    assert page.locator("[data-testid=score]").inner_text() == "100%"
    screenshots(page, "result")

    # then the points are on the ledger at once, and the worker lifts the tier to Gold
    assert LedgerEntry.objects.get(partner=net.dealer_a, event="course_passed").points == 300
    wait_for(lambda: Organization.objects.get(pk=net.dealer_a.pk).tier == "Gold", timeout=30)
    page.goto(f"{base}/dealer/")
    assert page.locator("[data-testid=home-tier-name]").inner_text() == "Gold"
    assert page.locator("[data-testid=home-points-balance]").inner_text() == "300"
    assert "You hold the highest tier" in page.locator("[data-testid=home-tier]").inner_text()
    screenshots(page, "home-after")
    page.goto(f"{base}/tier/")
    assert "Credit limit up to ₩10,000,000" in page.locator("[data-testid=benefits]").inner_text()
    page.goto(f"{base}/points/")
    assert "300" in page.locator("body").inner_text()
    screenshots(page, "points")

    # and the certificate has its printable page
    page.goto(f"{base}/training/certificates/")
    page.locator("[data-testid=my-certificates] a").first.click()
    certificate = page.locator("[data-testid=certificate]")
    assert "인버터 에어컨 기초" in certificate.inner_text() and course.title in certificate.inner_text()
    page.emulate_media(media="print")
    screenshots(page, "certificate-print")
    phone.close()
