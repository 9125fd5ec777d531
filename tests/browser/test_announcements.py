"""In headless Chromium: HQ posts a mandatory announcement with a PDF to Gold dealers; a Gold dealer on a phone
sees it pinned and unread on its home page, opens it and downloads the file; HQ sees the read rate change. A
Silver dealer never sees it."""

from __future__ import annotations

import pytest

from announcements.models import Announcement, AnnouncementRead
from prm.core.models import Notification
from tests import factories
from tests.announcements import make
from tests.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker]

BODY = ("7월 1일부터 골드 딜러 전용 설치 지원 정책이 바뀝니다.\n\n"
        "자세한 내용은 첨부 안내서와 https://example.com/policy 를 보세요.")


def test_hq_posts_a_mandatory_announcement_and_a_gold_dealer_reads_it_on_a_phone(
        live_tenant, celery_worker, live_server_url, browser, screenshots):
    from tests.browser.test_offer_flow import login

    # given dealer_a in Gold and dealer_b in Silver
    net = factories.network()
    for org, tier in ((net.dealer_a, "Gold"), (net.dealer_b, "Silver")):
        org.tier = tier
        org.save(update_fields=["tier"])
    base = live_server_url.replace("localhost", f"{live_tenant.slug}.localhost")

    # when HQ writes the announcement in the portal, with a PDF, for Gold dealers, and publishes it
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    hq = desk.new_page()
    login(hq, base, net.hq_admin.email)
    hq.goto(f"{base}/hq/announcements/")
    hq.click("[data-testid=new-announcement]")
    hq.select_option("select[name=kind]", "policy")
    hq.fill("input[name=title]", "골드 딜러 설치 지원 정책 변경")
    hq.fill("textarea[name=body]", BODY)
    hq.check("input[name=mandatory]")
    hq.check("input[name=kinds][value=dealer]")
    hq.fill("input[name=tiers]", "Gold")
    hq.set_input_files("input[name=attachments]", files=[
        {"name": "설치 지원 안내서.pdf", "mimeType": "application/pdf", "buffer": make.PDF}])
    hq.select_option("select[name=file_category]", "manual")
    screenshots(hq, "hq-form")
    hq.click("[data-testid=save]")
    hq.click("[data-testid=publish]")
    assert hq.locator("[data-testid=status]").inner_text() in ("Published", "게시됨")
    assert hq.locator("[data-testid=partners-rate]").inner_text() == "0%"
    assert hq.locator("[data-testid=unread-partner]").count() == 1
    assert net.dealer_a.name in hq.locator("[data-testid=unread-partners]").inner_text()
    screenshots(hq, "hq-published")
    item = Announcement.objects.get(title="골드 딜러 설치 지원 정책 변경")
    assert item.files.get().kind == "pdf"

    # then the Gold dealer, on a phone, sees it pinned and unread on its home page (and is notified)
    wait_for(lambda: Notification.objects.filter(user=net.dealer_a_user, url=f"/announcements/{item.pk}/").exists(),
             timeout=60)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    login(page, base, net.dealer_a_user.email)
    home = page.locator("[data-testid=home-announcements]")
    pinned = home.locator(".announcement-card.is-pinned")
    assert pinned.count() == 1 and "골드 딜러 설치 지원 정책 변경" in pinned.inner_text()
    assert home.locator("[data-testid=must-read]").count() == 1
    assert home.locator("[data-testid=home-unread]").inner_text() == "1"
    screenshots(page, "dealer-home-unread")

    # when it opens it and downloads the file
    pinned.locator("a.announcement-title").click()
    detail = page.locator("[data-testid=announcement-detail]")
    assert "첨부 안내서" in detail.locator("[data-testid=body]").inner_text()
    assert detail.locator("[data-testid=body] a[href='https://example.com/policy']").count() == 1
    assert page.locator("[data-testid=read-note]").count() == 1
    assert page.locator("[data-testid=unread]").count() == 0  # its portal notice is read too
    screenshots(page, "dealer-announcement")
    with page.expect_download() as download_info:
        page.locator("[data-testid=file]").first.click()
    download = download_info.value
    assert download.suggested_filename == "설치 지원 안내서.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == make.PDF

    page.goto(f"{base}/documents/")
    assert "설치 지원 안내서" in page.locator("[data-testid=documents]").inner_text()
    screenshots(page, "dealer-documents")

    # then its home page no longer pins it, and HQ sees that the Gold dealer read it
    page.goto(f"{base}/dealer/")
    assert page.locator("[data-testid=home-announcements] .announcement-card.is-pinned").count() == 0
    assert page.locator("[data-testid=home-announcements] [data-testid=home-unread]").count() == 0
    screenshots(page, "dealer-home-read")
    page.goto(f"{base}/announcements/")
    assert page.locator("[data-testid=announcement]").count() == 1
    assert page.locator("[data-testid=announcement].is-unread").count() == 0
    screenshots(page, "dealer-announcements")
    page.click("button[name=language][value=ko]")  # the same pages in Korean
    assert page.locator("h1").inner_text() == "공지"
    page.goto(f"{base}/announcements/{item.pk}/")
    assert page.locator("[data-testid=files]").inner_text().count("매뉴얼") == 1
    screenshots(page, "dealer-announcement-ko")
    page.goto(f"{base}/dealer/")
    assert "모든 공지" in page.locator("[data-testid=home-announcements]").inner_text()
    screenshots(page, "dealer-home-ko")
    assert AnnouncementRead.objects.filter(announcement=item, user=net.dealer_a_user).count() == 1
    hq.reload()
    assert hq.locator("[data-testid=partners-rate]").inner_text() == "100%"
    assert hq.locator("[data-testid=people-rate]").inner_text() == "100%"
    assert hq.locator("[data-testid=unread-partner]").count() == 0
    screenshots(hq, "hq-read-rate")
    hq.goto(f"{base}/hq/announcements/")
    assert hq.locator("[data-testid=partner-rate]").first.inner_text().startswith("100%")
    screenshots(hq, "hq-list")

    # and the Silver dealer never sees it
    other = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    silver = other.new_page()
    login(silver, base, net.dealer_b_user.email)
    assert "골드 딜러 설치 지원 정책 변경" not in silver.locator("body").inner_text()
    response = silver.goto(f"{base}/announcements/{item.pk}/")
    assert response is not None and response.status == 404
    for context in (desk, phone, other):
        context.close()
