"""The announcement pages as people click them: HQ writing, publishing and withdrawing with files; a distributor
posting to its dealers; partners reading and downloading, and browsing the document library; and every page's
pair: the rightful user gets it, another partner's announcement or file is a 404, a partner on an HQ page a 403."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from announcements.choices import AnnouncementStatus
from announcements.models import Announcement, AnnouncementFile
from partners.choices import OrgKind
from tests.announcements import make
from tests.conftest import tenant_client


def test_hq_writes_an_announcement_with_files_and_publishes_it(acme, net):
    hq = tenant_client(acme, net.hq_admin)
    assert hq.get("/hq/announcements/").status_code == 200
    assert hq.get("/hq/announcements/new/").status_code == 200
    # when HQ saves a mandatory price change for Gold dealers in Seoul with a PDF and a spreadsheet
    response = hq.post("/hq/announcements/new/", {
        "kind": "price_change", "title": "7월 가격 인상", "body": "안내드립니다.\nhttps://example.com/prices",
        "mandatory": "on", "kinds": [OrgKind.DEALER], "tiers": "Gold, gold, Platinum", "segments": ["retail"],
        "regions": ["11"], "product_lines": [net.aircon.pk], "file_category": "price_sheet",
        "attachments": [make.pdf("가격표 7월.pdf"), make.xlsx("단가표.xlsx")]})
    item = Announcement.objects.get(title="7월 가격 인상")
    assert response.status_code == 302 and response["Location"] == f"/hq/announcements/{item.pk}/"
    assert (item.kind, item.mandatory, item.status) == ("price_change", True, AnnouncementStatus.DRAFT)
    assert (item.kinds, item.tiers, item.segments, item.regions) == (["dealer"], ["Gold", "Platinum"], ["retail"],
                                                                       ["11"])
    assert list(item.product_lines.all()) == [net.aircon]
    files = list(item.files.order_by("title"))
    assert [(f.title, f.kind, f.category) for f in files] == [("가격표 7월", "pdf", "price_sheet"),
                                                               ("단가표", "xlsx", "price_sheet")]
    assert all(f.file.name.startswith(f"announcements/{item.pk}/") and "가격" not in f.file.name for f in files)
    assert hq.get(f"/hq/announcements/{item.pk}/edit/").status_code == 200
    # then publishing makes it visible to dealer_a only (Seoul, Gold, retail, air conditioners)
    net.dealer_a.tier, net.dealer_a.segments = "gold", ["retail"]
    net.dealer_a.save(update_fields=["tier", "segments"])
    hq.post(f"/hq/announcements/{item.pk}/publish/")
    item.refresh_from_db()
    assert item.status == AnnouncementStatus.PUBLISHED and item.published_at is not None
    detail = hq.get(f"/hq/announcements/{item.pk}/").content.decode()
    assert 'data-testid="unread-partner"' in detail and net.dealer_a.name in detail
    dealer = tenant_client(acme, net.dealer_a_user)
    assert "7월 가격 인상" in dealer.get("/announcements/").content.decode()
    assert "7월 가격 인상" not in tenant_client(acme, net.dealer_b_user).get("/announcements/").content.decode()
    # a published announcement can still be corrected (its audience locked); then it is withdrawn
    assert hq.get(f"/hq/announcements/{item.pk}/edit/").status_code == 200
    hq.post(f"/hq/announcements/{item.pk}/withdraw/")
    item.refresh_from_db()
    assert item.status == AnnouncementStatus.WITHDRAWN
    assert dealer.get(f"/announcements/{item.pk}/").status_code == 404


def test_hq_changes_a_draft_removing_one_file_and_adding_another(acme, net, django_capture_on_commit_callbacks):
    item = make.announcement(net.hq_admin, title="초안", publish=False, files=[make.pdf("a.pdf"), make.pdf("b.pdf")])
    first = item.files.get(title="a")
    stored_name = first.file.name
    hq = tenant_client(acme, net.hq_admin)
    with django_capture_on_commit_callbacks(execute=True):  # the stored file goes once the change commits
        response = hq.post(f"/hq/announcements/{item.pk}/edit/", {
            "kind": "general", "title": "초안 (수정)", "file_category": "manual", "remove_files": [str(first.pk)],
            "attachments": [make.xlsx("c.xlsx")]})
    assert response.status_code == 302
    assert sorted(item.files.values_list("title", "category")) == [("b", "other"), ("c", "manual")]
    assert not first.file.storage.exists(stored_name)


def test_hq_deletes_a_draft_but_not_a_published_announcement(acme, net):
    draft = make.announcement(net.hq_admin, title="지울 초안", publish=False, files=[make.pdf()])
    published = make.announcement(net.hq_admin, title="게시됨")
    hq = tenant_client(acme, net.hq_admin)
    assert hq.post(f"/hq/announcements/{draft.pk}/delete/").status_code == 302
    assert not Announcement.objects.filter(pk=draft.pk).exists() and not AnnouncementFile.objects.exists()
    page = hq.post(f"/hq/announcements/{published.pk}/delete/", follow=True).content.decode()
    assert "Only a draft can be deleted" in page and Announcement.objects.filter(pk=published.pk).exists()


def test_hq_schedules_an_announcement_for_later(acme, net):
    hq = tenant_client(acme, net.hq_admin)
    later = timezone.localtime() + dt.timedelta(days=2)
    hq.post("/hq/announcements/new/", {"kind": "bid", "title": "입찰 공고", "file_category": "other",
                                       "publish_at": later.strftime("%Y-%m-%dT%H:%M")})
    item = Announcement.objects.get(title="입찰 공고")
    page = hq.post(f"/hq/announcements/{item.pk}/publish/", follow=True).content.decode()
    item.refresh_from_db()
    assert item.status == AnnouncementStatus.SCHEDULED and "will be published on" in page
    assert tenant_client(acme, net.dealer_a_user).get(f"/announcements/{item.pk}/").status_code == 404


def test_a_distributor_posts_to_its_dealers_and_sees_its_read_rate(acme, net):
    seoul = tenant_client(acme, net.seoul_admin)
    assert seoul.get("/distributor/announcements/").status_code == 200
    form = seoul.get("/distributor/announcements/new/").content.decode()
    assert 'name="kinds"' not in form
    seoul.post("/distributor/announcements/new/", {"kind": "general", "title": "서울유통 휴무 안내",
                                                   "file_category": "other"})
    item = Announcement.objects.get(title="서울유통 휴무 안내")
    assert item.author_organization == net.seoul_distributor
    seoul.post(f"/distributor/announcements/{item.pk}/publish/")
    dealer = tenant_client(acme, net.dealer_a_user)
    assert dealer.get(f"/announcements/{item.pk}/").status_code == 200
    assert tenant_client(acme, net.dealer_c_user).get(f"/announcements/{item.pk}/").status_code == 404
    listing = seoul.get("/distributor/announcements/").content.decode()
    assert "50%" in listing and "1 of 2" in listing


def test_a_partner_reads_an_announcement_and_downloads_its_file(acme, net):
    item = make.announcement(net.hq_admin, title="브로슈어", body="자세한 내용: https://example.com/a?b=1&c=2",
                             files=[make.pdf("제품 브로슈어.pdf")], file_category="brochure")
    stored = item.files.get()
    dealer = tenant_client(acme, net.dealer_a_user)
    page = dealer.get(f"/announcements/{item.pk}/").content.decode()
    assert '<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">' in page
    assert f"/announcements/files/{stored.pk}/" in page
    response = dealer.get(f"/announcements/files/{stored.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff" and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == make.PDF


def test_the_body_is_shown_as_text_never_as_markup(acme, net):
    item = make.announcement(net.hq_admin, title="XSS", body='<script>alert(1)</script>\njavascript:alert(2)\n'
                                                            '<a href="javascript:x">y</a>')
    page = tenant_client(acme, net.dealer_a_user).get(f"/announcements/{item.pk}/").content.decode()
    body = page[page.index('data-testid="body"'):]
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body
    assert 'href="javascript' not in body


def test_the_document_library_lists_and_searches_the_partners_files(acme, net):
    net.dealer_a.tier = "Gold"
    net.dealer_a.save(update_fields=["tier"])
    make.announcement(net.hq_admin, title="에어컨 카탈로그", files=[make.pdf("2027 에어컨 브로슈어.pdf")],
                      file_category="brochure", kind="document")
    make.announcement(net.hq_admin, title="설치 설명서", files=[make.pdf("설치 매뉴얼.pdf")], file_category="manual")
    make.announcement(net.hq_admin, title="골드 단가", files=[make.xlsx("골드 단가표.xlsx")],
                      file_category="price_sheet", tiers=["Gold"])
    dealer_a = tenant_client(acme, net.dealer_a_user)
    page = dealer_a.get("/documents/").content.decode()
    assert page.count('data-testid="document"') == 3
    assert tenant_client(acme, net.dealer_b_user).get("/documents/").content.decode().count(
        'data-testid="document"') == 2
    found = dealer_a.get("/documents/", {"q": "에어컨"}).content.decode()
    assert found.count('data-testid="document"') == 1 and "2027 에어컨 브로슈어" in found
    manuals = dealer_a.get("/documents/", {"category": "manual"}).content.decode()
    assert manuals.count('data-testid="document"') == 1 and "설치 매뉴얼" in manuals
    assert "No document matches" in dealer_a.get("/documents/", {"q": "없는 문서"}).content.decode()


# --- isolation: who gets what --------------------------------------------------------------------------------


@pytest.fixture
def gold_only(net):
    """A Gold dealers' announcement with a file; dealer_a is Gold, dealer_b is not."""
    net.dealer_a.tier = "Gold"
    net.dealer_a.save(update_fields=["tier"])
    return make.announcement(net.hq_admin, title="골드 전용", tiers=["Gold"], files=[make.pdf()], mandatory=True)


def test_a_dealer_cannot_open_an_announcement_not_meant_for_it_nor_its_file(acme, net, gold_only):
    stored = gold_only.files.get()
    dealer_a, dealer_b = tenant_client(acme, net.dealer_a_user), tenant_client(acme, net.dealer_b_user)
    assert dealer_a.get(f"/announcements/{gold_only.pk}/").status_code == 200
    assert dealer_a.get(f"/announcements/files/{stored.pk}/").status_code == 200
    assert dealer_b.get(f"/announcements/{gold_only.pk}/").status_code == 404
    assert dealer_b.get(f"/announcements/files/{stored.pk}/").status_code == 404
    assert "골드 전용" not in dealer_b.get("/announcements/").content.decode()
    assert "골드 전용" not in dealer_b.get("/documents/").content.decode()


def test_a_draft_or_scheduled_file_is_only_its_authors(acme, net):
    draft = make.announcement(net.hq_admin, title="초안", publish=False, files=[make.pdf()])
    stored = draft.files.get()
    assert tenant_client(acme, net.hq_admin).get(f"/announcements/files/{stored.pk}/").status_code == 200
    assert tenant_client(acme, net.dealer_a_user).get(f"/announcements/files/{stored.pk}/").status_code == 404
    assert tenant_client(acme, net.seoul_admin).get(f"/announcements/files/{stored.pk}/").status_code == 404


def test_a_distributors_announcement_and_file_are_not_another_distributors(acme, net):
    item = make.announcement(net.seoul_admin, title="서울 공지", files=[make.pdf()])
    stored = item.files.get()
    seoul, busan = tenant_client(acme, net.seoul_admin), tenant_client(acme, net.busan_admin)
    assert seoul.get(f"/distributor/announcements/{item.pk}/").status_code == 200
    assert seoul.get(f"/announcements/files/{stored.pk}/").status_code == 200
    for path in (f"/distributor/announcements/{item.pk}/", f"/distributor/announcements/{item.pk}/edit/",
                 f"/distributor/announcements/{item.pk}/unread.csv", f"/announcements/files/{stored.pk}/",
                 f"/announcements/{item.pk}/"):
        assert busan.get(path).status_code == 404, path
    assert busan.post(f"/distributor/announcements/{item.pk}/withdraw/").status_code == 404
    item.refresh_from_db()
    assert item.status == AnnouncementStatus.PUBLISHED
    # and HQ's pages are for HQ's own announcements
    assert tenant_client(acme, net.hq_admin).get(f"/hq/announcements/{item.pk}/").status_code == 404


def test_partners_get_403_on_hq_pages_and_dealers_on_distributor_pages(acme, net, gold_only):
    hq_paths = ["/hq/announcements/", "/hq/announcements/new/", f"/hq/announcements/{gold_only.pk}/",
                f"/hq/announcements/{gold_only.pk}/edit/", f"/hq/announcements/{gold_only.pk}/unread.csv"]
    distributor_paths = ["/distributor/announcements/", "/distributor/announcements/new/"]
    for user in (net.dealer_a_user, net.seoul_admin):
        client = tenant_client(acme, user)
        for path in hq_paths:
            assert client.get(path).status_code == 403, (user, path)
        assert client.post(f"/hq/announcements/{gold_only.pk}/withdraw/").status_code == 403
    dealer = tenant_client(acme, net.dealer_a_user)
    for path in distributor_paths:
        assert dealer.get(path).status_code == 403, path
    hq = tenant_client(acme, net.hq_admin)
    assert hq.get("/announcements/").status_code == 403
    gold_only.refresh_from_db()
    assert gold_only.status == AnnouncementStatus.PUBLISHED


def test_distributor_staff_see_the_figures_but_cannot_write(acme, net):
    from partners.choices import Role
    from tests import factories

    staff = tenant_client(acme, factories.member(net.seoul_distributor, Role.DISTRIBUTOR_STAFF))
    assert staff.get("/distributor/announcements/").status_code == 200
    assert 'data-testid="new-announcement"' not in staff.get("/distributor/announcements/").content.decode()
    assert staff.get("/distributor/announcements/new/").status_code == 403
    assert staff.post("/distributor/announcements/new/", {"kind": "general", "title": "x"}).status_code == 403
    assert not Announcement.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(acme, net, gold_only):
    client = tenant_client(acme)
    for path in ("/announcements/", f"/announcements/{gold_only.pk}/", "/documents/", "/hq/announcements/",
                 f"/announcements/files/{gold_only.files.get().pk}/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path
