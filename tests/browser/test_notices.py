"""In headless Chromium: HQ watches a campaign notice go out (the progress polled live, then the counts and a
failed e-mail with its reason); on a phone, a dealer stops campaign e-mails from the link in one, and finds the
choice on its home page and preferences page."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from notices.choices import DeliveryStatus
from notices.models import Delivery, OptOut
from notices.services import broadcast
from notices.tokens import make_token
from partners.choices import OrgKind, Role
from prm.accounts.models import User
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_hq_watches_a_notice_go_out_and_a_dealer_stops_its_emails(live_tenant: Any, celery_worker: Any,
                                                                   live_server_url: str, browser: Any,
                                                                   screenshots: Any) -> None:
    from notices.tasks import fan_out_broadcast
    from prm.celery import app
    from tests.browser.test_offer_flow import login

    # given 60 dealers (one with an address no relay takes) and a campaign notice published, its fan-out not
    # yet picked up by a worker
    net = factories.network()
    dealers = [factories.organization(OrgKind.DEALER, f"캠페인딜러{i}") for i in range(60)]
    for dealer in dealers:
        factories.member(dealer, Role.DEALER_ADMIN)
    odd = User.objects.filter(memberships__organization=dealers[0]).get()
    User.objects.filter(pk=odd.pk).update(email="홍길동@example.test")
    parked = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-parked-{uuid.uuid4().hex[:6]}"
    with override_settings(NOTICES_QUEUE=parked), transaction.atomic():
        item = broadcast(category="campaigns", source=net.hq, message="New campaign: %(title)s",
                         organization_ids=[net.dealer_a.pk, *(d.pk for d in dealers)],
                         params={"title": "여름 에어컨 특가"}, url="/dealer/", actor=net.actor(net.hq_admin))
    base = live_server_url.replace("localhost", f"{live_tenant.slug}.localhost")

    try:
        desk = browser.new_context(viewport={"width": 1280, "height": 900})
        page = desk.new_page()
        login(page, base, net.hq_admin.email)
        page.goto(f"{base}/hq/notices/")
        assert page.locator("[data-testid=broadcast]").count() == 1
        page.click("[data-testid=broadcast] a")
        progress = page.locator("[data-testid=broadcast-progress]")
        assert progress.get_attribute("data-status") == "queued"
        screenshots(page, "hq-notice-queued")

        # when a worker picks it up, the page follows by itself
        fan_out_broadcast.apply_async((item.pk,), queue=settings.CELERY_TASK_DEFAULT_QUEUE)
        page.locator("[data-testid=broadcast-progress][data-status=done]").wait_for(timeout=60_000)
        assert page.locator("[data-testid=count-recipients]").inner_text() == "61"
        assert page.locator("[data-testid=count-sent]").inner_text() == "60"
        assert page.locator("[data-testid=count-failed]").inner_text() == "1"
        failed = page.locator("[data-testid=failed-delivery]")
        assert failed.count() == 1
        assert "non-Latin letters" in failed.inner_text() and "홍길동@example.test" in failed.inner_text()
        screenshots(page, "hq-notice-done")
        page.goto(f"{base}/hq/")
        assert "여름 에어컨 특가" in page.locator("[data-testid=home-notices]").inner_text()
        screenshots(page, "hq-home")
        desk.close()

        # then, on a phone, dealer_a follows the link at the bottom of its e-mail
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        mobile = phone.new_page()
        token = make_token(user_id=net.dealer_a_user.pk, category="campaigns", schema=live_tenant.schema_name)
        mobile.goto(f"{base}/notices/unsubscribe/{token}/")
        screenshots(mobile, "unsubscribe-confirm")
        mobile.click("[data-testid=confirm-unsubscribe]")
        assert mobile.locator("[data-testid=unsubscribe]").get_attribute("data-state") == "done"
        assert OptOut.objects.filter(user=net.dealer_a_user, category="campaigns").exists()
        screenshots(mobile, "unsubscribe-done")
        mobile.goto(f"{base}/notices/unsubscribe/{token[:-4]}/")
        assert mobile.locator("[data-testid=unsubscribe-invalid]").is_visible()
        screenshots(mobile, "unsubscribe-invalid")

        # and its home page says so, with the way back
        login(mobile, base, net.dealer_a_user.email)
        mobile.goto(f"{base}/dealer/")
        notice_line = mobile.locator("[data-testid=home-notices]")
        assert "Campaigns" in notice_line.inner_text()
        notice_line.locator("[data-testid=notice-preferences-link]").click()
        assert not mobile.locator("[data-testid=email-campaigns]").is_checked()
        assert mobile.locator("[data-testid=email-announcements]").is_checked()
        screenshots(mobile, "preferences")
        mobile.locator("[data-testid=email-campaigns]").check()
        mobile.click("[data-testid=save-preferences]")
        assert mobile.locator("[data-testid=email-campaigns]").is_checked()
        assert not OptOut.objects.filter(user=net.dealer_a_user).exists()
        phone.close()
        assert Delivery.objects.filter(broadcast=item, status=DeliveryStatus.SENT).count() == 60
    finally:
        with app.connection_for_write() as conn:
            conn.default_channel.client.delete(parked)
