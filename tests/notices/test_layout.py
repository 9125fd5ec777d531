"""In headless Chromium: HQ's notices list at a laptop's 1366 px in Korean keeps its headings, categories and
status badges on one line; on a phone its rows stack (the responsive table)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from notices.choices import BroadcastStatus
from notices.models import Broadcast
from tests import factories

pytestmark = [pytest.mark.browser]
# the height of each element's content (a cell's own height is its row's)
CONTENT_HEIGHTS = ("els => els.map(e => { const r = document.createRange(); r.selectNodeContents(e); "
                   "return r.getBoundingClientRect().height; })")


def test_hq_notices_list_is_readable_at_1366_and_on_a_phone(live_tenant: Any, live_server_url: str, browser: Any,
                                                            screenshots: Any) -> None:
    from tests.browser.test_offer_flow import login

    net = factories.network()
    net.hq_admin.language = "ko"
    net.hq_admin.save(update_fields=["language"])
    source_type = ContentType.objects.get_for_model(net.hq)
    for i, (status, org) in enumerate([(BroadcastStatus.DONE, net.hq), (BroadcastStatus.SENDING, net.hq),
                                       (BroadcastStatus.DONE, net.seoul_distributor)]):
        Broadcast.objects.create(
            category="announcements" if i != 1 else "campaigns", source_type=source_type, source_id=1000 + i,
            message="New announcement: %(title)s", params={"title": f"하반기 가격 정책 및 신제품 출시 일정 안내 {i}"},
            url="/announcements/", organization=org, created_by=net.hq_admin, status=status,
            recipients=12_345, sent=12_000, failed=45, opted_out=300)
    base = live_server_url.replace("localhost", f"{live_tenant.slug}.localhost")

    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="ko-KR")
    page = desk.new_page()
    login(page, base, net.hq_admin.email)
    page.goto(f"{base}/hq/notices/")
    assert page.locator("[data-testid=broadcast]").count() == 3
    screenshots(page, "hq-notices-1366")
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('table td')).lineHeight) || 24")
    for selector in ("[data-testid=broadcasts] th", "[data-testid=broadcast] .badge",
                     "[data-testid=broadcast] td.nowrap", "[data-testid=broadcast] td.num"):
        heights = page.eval_on_selector_all(selector, CONTENT_HEIGHTS)
        assert heights and max(heights) < 2 * line, (selector, heights, line)
    # the notice's own text has room: wider than any figure column
    widths = page.eval_on_selector_all("[data-testid=broadcasts] th", "els => els.map(e => e.offsetWidth)")
    assert widths[0] >= 200 and widths[0] == max(widths), widths
    desk.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                locale="ko-KR")
    mobile = phone.new_page()
    login(mobile, base, net.hq_admin.email)
    mobile.goto(f"{base}/hq/notices/")
    assert not mobile.locator("[data-testid=broadcasts] thead").is_visible()
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshots(mobile, "hq-notices-phone")
    phone.close()
