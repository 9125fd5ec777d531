"""Read receipts: opening an announcement records the person (and their partner) once, even on a double click;
HQ's read figures count partners and people right, with one query for a whole page; a mandatory announcement's
unread partners and people are listed (and exported) until they open it, and pinned on their home page."""

from __future__ import annotations

import csv
import io
import threading

from django.db import connection
from django.test.utils import CaptureQueriesContext

from announcements import selectors
from announcements.models import AnnouncementRead
from partners.choices import OrgKind, Role
from tests import factories
from tests.announcements import make
from tests.conftest import tenant_client


def test_opening_an_announcement_records_the_reader_once(acme, net):
    item = make.announcement(net.hq_admin, title="읽기 확인")
    dealer = tenant_client(acme, net.dealer_a_user)
    for _ in range(3):
        assert dealer.get(f"/announcements/{item.pk}/").status_code == 200
    read = AnnouncementRead.objects.get(announcement=item)
    assert (read.user_id, read.organization_id) == (net.dealer_a_user.pk, net.dealer_a.pk)


def test_marking_read_says_whether_it_was_the_first_time(acme, net):
    item = make.announcement(net.hq_admin)
    assert make.read(net.dealer_a_user, item) is True
    assert make.read(net.dealer_a_user, item) is False
    assert AnnouncementRead.objects.filter(announcement=item).count() == 1


def test_hq_previewing_records_nothing(acme, net):
    item = make.announcement(net.hq_admin)
    assert make.read(net.hq_admin, item) is False
    assert not AnnouncementRead.objects.exists()


def test_two_clicks_at_the_same_moment_record_one_read(live_tenant):
    # given a committed announcement (each click runs on its own database connection, as two requests would)
    net = factories.network()
    item = make.announcement(net.hq_admin, title="동시 클릭")
    actor = make.actor(net.dealer_a_user)
    barrier = threading.Barrier(6)
    results: list[bool] = []
    errors: list[BaseException] = []

    def click() -> None:
        from announcements import services

        try:
            connection.set_tenant(live_tenant)
            barrier.wait(timeout=10)
            results.append(services.announcement_mark_read(actor=actor, announcement=item))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results) == [False] * 5 + [True]
    assert AnnouncementRead.objects.filter(announcement=item).count() == 1


def test_read_figures_count_partners_and_people(acme, net):
    # given dealer_a with a second person, and an announcement for dealers (3 partners, 4 people)
    colleague = factories.member(net.dealer_a, Role.DEALER_STAFF)
    item = make.announcement(net.hq_admin, title="딜러 공지", kinds=[OrgKind.DEALER])
    figures = selectors.read_figures([item.pk])[item.pk]
    assert (figures.partners, figures.people, figures.partners_read, figures.people_read) == (3, 4, 0, 0)
    # when both people of dealer_a and the one of dealer_b open it
    for user in (net.dealer_a_user, colleague, net.dealer_b_user):
        make.read(user, item)
    figures = selectors.read_figures([item.pk])[item.pk]
    assert (figures.partners, figures.people, figures.partners_read, figures.people_read) == (3, 4, 2, 3)
    assert (figures.partner_rate, figures.people_rate) == (67, 75)
    # a person who left their partner no longer counts, as reader or as one of the people
    colleague.memberships.update(is_active=False)
    figures = selectors.read_figures([item.pk])[item.pk]
    assert (figures.people, figures.people_read) == (3, 2)


def test_hq_list_shows_the_read_rates(acme, net):
    item = make.announcement(net.hq_admin, title="비율", kinds=[OrgKind.DEALER])
    make.read(net.dealer_a_user, item)
    page = tenant_client(acme, net.hq_admin).get("/hq/announcements/").content.decode()
    assert "33%" in page and "1 of 3" in page


def test_the_hq_list_counts_with_the_same_number_of_queries_whatever_the_rows(acme, net):
    hq = tenant_client(acme, net.hq_admin)
    make.announcement(net.hq_admin, title="하나")
    hq.get("/hq/announcements/")  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        assert hq.get("/hq/announcements/").status_code == 200
    for n in range(12):
        factories.organization(OrgKind.DEALER, f"추가 딜러 {n}")
        make.announcement(net.hq_admin, title=f"공지 {n}", mandatory=n % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        page = hq.get("/hq/announcements/").content.decode()
    assert page.count('data-testid="manage-announcement"') == 13
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_mandatory_announcement_lists_who_has_not_read_it_until_they_do(acme, net):
    colleague = factories.member(net.dealer_b, Role.DEALER_STAFF)
    item = make.announcement(net.hq_admin, title="필독", kinds=[OrgKind.DEALER], mandatory=True)
    make.read(net.dealer_a_user, item)
    make.read(colleague, item)
    assert set(selectors.unread_partners(item).values_list("name", flat=True)) == {net.dealer_c.name}
    assert {m.user_id for m in selectors.unread_people(item)} == {net.dealer_b_user.pk, net.dealer_c_user.pk}
    hq = tenant_client(acme, net.hq_admin)
    page = hq.get(f"/hq/announcements/{item.pk}/").content.decode()
    assert page.count('data-testid="unread-partner"') == 1 and net.dealer_c.name in page
    exported = b"".join(hq.get(f"/hq/announcements/{item.pk}/unread.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][0] == "Partner"
    assert sorted(r[6] for r in rows[1:]) == sorted([net.dealer_b_user.email, net.dealer_c_user.email])
    # when the last partner reads it, nobody is left
    make.read(net.dealer_c_user, item)
    page = hq.get(f"/hq/announcements/{item.pk}/").content.decode()
    assert 'data-testid="unread-partner"' not in page and "Every partner it is for has read it." in page


def test_a_partner_without_portal_users_is_listed_as_unable_to_read(acme, net):
    factories.organization(OrgKind.DEALER, "사용자 없는 딜러")
    item = make.announcement(net.hq_admin, title="필독", kinds=[OrgKind.DEALER], mandatory=True)
    page = tenant_client(acme, net.hq_admin).get(f"/hq/announcements/{item.pk}/").content.decode()
    assert "사용자 없는 딜러" in page and "nobody can read it" in page


def test_the_exported_unread_list_neutralises_formulas(acme, net):
    net.dealer_c.name = "=HYPERLINK(\"x\")"
    net.dealer_c.save(update_fields=["name"])
    item = make.announcement(net.hq_admin, title="필독", mandatory=True)
    exported = b"".join(tenant_client(acme, net.hq_admin).get(
        f"/hq/announcements/{item.pk}/unread.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in exported


def test_mandatory_unread_announcements_are_pinned_on_the_home_page_until_opened(acme, net):
    make.announcement(net.hq_admin, title="일반 공지 1")
    must = make.announcement(net.hq_admin, title="필독 공지", mandatory=True)
    make.announcement(net.hq_admin, title="일반 공지 2")
    dealer = tenant_client(acme, net.dealer_a_user)
    home = dealer.get("/dealer/").content.decode()
    section = home[home.index('data-testid="home-announcements"'):]
    assert section.index("필독 공지") < section.index("일반 공지 2") < section.index("일반 공지 1")
    assert 'data-testid="must-read"' in section and 'data-testid="home-unread">3<' in section
    listing = dealer.get("/announcements/").content.decode()
    assert listing.index("필독 공지") < listing.index("일반 공지 2")
    # once opened, it is no longer pinned: newest first
    dealer.get(f"/announcements/{must.pk}/")
    home = dealer.get("/dealer/").content.decode()
    section = home[home.index('data-testid="home-announcements"'):]
    assert 'data-testid="must-read"' not in section and 'data-testid="home-unread">2<' in section
    assert section.index("일반 공지 2") < section.index("필독 공지")
    # a distributor's home shows its own
    assert "필독 공지" in tenant_client(acme, net.seoul_admin).get("/distributor/").content.decode()


def test_opening_an_announcement_marks_its_portal_notice_read(acme, net):
    from prm.core.models import Notification

    item = make.announcement(net.hq_admin, title="알림 확인")
    about = Notification.objects.create(user=net.dealer_a_user, kind="announcements", message="New announcement",
                                        url=f"/announcements/{item.pk}/")
    other = Notification.objects.create(user=net.dealer_a_user, kind="offer", message="New order", url="/dealer/")
    tenant_client(acme, net.dealer_a_user).get(f"/announcements/{item.pk}/")
    about.refresh_from_db()
    other.refresh_from_db()
    assert about.read_at is not None and other.read_at is None
