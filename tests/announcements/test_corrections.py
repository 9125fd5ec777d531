"""QA fixes: who a notice is from (beat publishing, a distributor's e-mail), how a distributor's audience reads,
the "expired" state in the manage lists, and correcting a published announcement without telling anyone again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from announcements import services
from announcements.choices import AnnouncementStatus
from announcements.models import Announcement
from notices.models import Broadcast
from notices.sending import send_pending
from notices.services import broadcast_fan_out
from partners.choices import OrgKind
from prm.core.models import Notification
from tests.announcements import make
from tests.conftest import tenant_client
from tests.notices.helpers import outbox_to


def _scheduled(author, title):
    item = make.announcement(author, title=title, publish_at=timezone.now() + dt.timedelta(hours=1))
    assert item.status == AnnouncementStatus.SCHEDULED
    Announcement.objects.filter(pk=item.pk).update(publish_at=timezone.now() - dt.timedelta(seconds=1))
    return item


def test_a_notice_beat_publishes_names_the_announcements_author(acme, net, django_capture_on_commit_callbacks):
    hq_item = _scheduled(net.hq_admin, "예약 공지")
    seoul_item = _scheduled(net.seoul_admin, "서울유통 예약 공지")
    with django_capture_on_commit_callbacks(execute=False):
        assert services.publish_due() == 2
    assert Broadcast.objects.get(source_id=hq_item.pk).organization == net.hq
    assert Broadcast.objects.get(source_id=seoul_item.pk).organization == net.seoul_distributor
    page = tenant_client(acme, net.hq_admin).get("/hq/notices/").content.decode()
    assert page.count('data-testid="sender"><span>—') == 0
    assert f'data-testid="sender"><span>{net.seoul_distributor.name}' in page
    assert f'data-testid="sender"><span>{net.hq.name}' in page


def _emails_for(item):
    broadcast = Broadcast.objects.get(source_id=item.pk)
    broadcast_fan_out(broadcast_id=broadcast.pk)
    send_pending(broadcast_id=broadcast.pk)
    return broadcast


def test_a_distributors_announcement_is_e_mailed_in_its_name(acme, net, django_capture_on_commit_callbacks):
    net.dealer_b_user.language = "ko"
    net.dealer_b_user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=False):
        item = make.announcement(net.seoul_admin, title="휴무 안내")
    _emails_for(item)
    seoul = net.seoul_distributor.name
    english = outbox_to(net.dealer_a_user.email)[0]
    assert english.subject == f"[{seoul}] New announcement: 휴무 안내"
    assert f"as a dealer supplied by {seoul}, on the Acme Corp partner portal" in english.body
    assert "as a partner of" not in english.body
    assert f"From {seoul}" in english.alternatives[0][0]
    korean = outbox_to(net.dealer_b_user.email)[0]
    with translation.override("ko"):
        subject = translation.gettext("New announcement: %(title)s") % {"title": "휴무 안내"}
        footer = translation.gettext("You receive this e-mail as a dealer supplied by %(sender)s, on the "
                                     "%(site_name)s partner portal (%(category)s).")
    assert footer != "You receive this e-mail as a dealer supplied by %(sender)s, on the %(site_name)s partner " \
                     "portal (%(category)s)."  # the Korean exists
    assert korean.subject == f"[{seoul}] {subject}"
    assert seoul in korean.body and "Acme Corp" in korean.body


def test_an_hq_announcement_is_still_e_mailed_in_the_networks_name(acme, net, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        item = make.announcement(net.hq_admin, title="본사 공지", kinds=[OrgKind.DEALER])
    _emails_for(item)
    email = outbox_to(net.dealer_a_user.email)[0]
    assert email.subject == "[Acme Corp] New announcement: 본사 공지"
    assert "as a partner of Acme Corp" in email.body


def test_a_distributor_sees_its_audience_as_the_dealers_it_supplies(acme, net):
    everyone = make.announcement(net.seoul_admin, title="전체", publish=False)
    gold = make.announcement(net.seoul_admin, title="골드", publish=False, tiers=["Gold"])
    seoul = tenant_client(acme, net.seoul_admin)
    page = seoul.get(f"/distributor/announcements/{everyone.pk}/").content.decode()
    assert 'data-testid="audience">Every dealer you supply</dd>' in page
    page = seoul.get(f"/distributor/announcements/{gold.pk}/").content.decode()
    assert 'data-testid="audience">Gold, among the dealers you supply</dd>' in page
    assert "Dealers · Gold" not in page


@pytest.mark.parametrize("portal", ["hq", "distributor"])
def test_an_expired_announcement_is_listed_as_expired_not_published(acme, net, portal):
    author = net.hq_admin if portal == "hq" else net.seoul_admin
    make.announcement(author, title="게시 중", expires_at=timezone.now() + dt.timedelta(days=3))
    over = make.announcement(author, title="기간 지남", expires_at=timezone.now() + dt.timedelta(days=3))
    Announcement.objects.filter(pk=over.pk).update(publish_at=timezone.now() - dt.timedelta(days=2),
                                                   expires_at=timezone.now() - dt.timedelta(minutes=1))
    client = tenant_client(acme, author)
    listing = client.get(f"/{portal}/announcements/").content.decode()
    assert 'href="?status=expired"' in listing and ">Expired</a>" in listing
    assert 'class="badge as-expired" data-testid="state">Expired</span>' in listing
    published = client.get(f"/{portal}/announcements/?status=published").content.decode()
    assert "게시 중" in published and "기간 지남" not in published
    expired = client.get(f"/{portal}/announcements/?status=expired").content.decode()
    assert "기간 지남" in expired and "게시 중" not in expired
    detail = client.get(f"/{portal}/announcements/{over.pk}/").content.decode()
    assert 'data-testid="status">Expired</span>' in detail


def test_hq_corrects_a_published_announcement_without_telling_anyone_again(acme, net,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        item = make.announcement(net.hq_admin, title="7월 가격 안내", body="오타 있음", kinds=[OrgKind.DEALER],
                                 mandatory=True, files=[make.pdf("틀린 표.pdf")])
    _emails_for(item)
    told = Notification.objects.count()
    sent = len(mail.outbox)
    assert told > 0
    hq = tenant_client(acme, net.hq_admin)
    form = hq.get(f"/hq/announcements/{item.pk}/edit/")
    page = form.content.decode()
    assert form.status_code == 200 and 'data-testid="published-note"' in page
    for name in ("mandatory", "kinds", "publish_at"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert tag is not None and "disabled" in tag.group(0), name
    wrong = item.files.get()
    later = timezone.localtime() + dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = hq.post(f"/hq/announcements/{item.pk}/edit/", {
            "kind": "price_change", "title": "7월 가격 안내 (정정)", "body": "바로잡은 본문",
            "expires_at": later.strftime("%Y-%m-%dT%H:%M"), "file_category": "price_sheet",
            "remove_files": [str(wrong.pk)], "attachments": [make.pdf("맞는 표.pdf")],
            # the locked fields, even if posted, are not taken
            "kinds": [OrgKind.DISTRIBUTOR], "mandatory": ""}, follow=True)
    assert "is corrected. Partners see the new version; nobody is notified again" in response.content.decode(), \
        re.findall(r'class="errorlist[^"]*">(.*?)</ul>', response.content.decode())
    item.refresh_from_db()
    assert (item.title, item.body, item.kind, item.status) == ("7월 가격 안내 (정정)", "바로잡은 본문", "price_change",
                                                               AnnouncementStatus.PUBLISHED)
    assert item.kinds == [OrgKind.DEALER] and item.mandatory and item.edited_at is not None
    assert item.expires_at is not None and timezone.localtime(item.expires_at).date() == later.date()
    assert list(item.files.values_list("title", flat=True)) == ["맞는 표"]
    # nobody was told again: no new broadcast, notification or e-mail
    assert Broadcast.objects.filter(source_id=item.pk).count() == 1
    assert Notification.objects.count() == told and len(mail.outbox) == sent
    assert not [c for c in callbacks if "_queue_fan_out" in getattr(c, "__code__", c.__call__).co_names]
    # the partner sees the corrected text, marked as edited
    dealer_page = tenant_client(acme, net.dealer_a_user).get(f"/announcements/{item.pk}/").content.decode()
    assert "바로잡은 본문" in dealer_page and 'data-testid="edited">Edited ' in dealer_page
    detail = hq.get(f"/hq/announcements/{item.pk}/").content.decode()
    assert 'data-testid="edit">Correct it</a>' in detail


def test_a_published_announcements_audience_and_must_read_stay(acme, net):
    item = make.announcement(net.hq_admin, title="대상 고정", kinds=[OrgKind.DEALER])
    writer = make.actor(net.hq_admin)
    for change in ({"kinds": [OrgKind.DISTRIBUTOR]}, {"mandatory": True}, {"tiers": ["Gold"]},
                   {"regions": ["11"]}, {"publish_at": timezone.now() + dt.timedelta(days=1)}):
        fields = {"kinds": [OrgKind.DEALER], "publish_at": item.publish_at, **change}
        with pytest.raises(ValidationError, match="can't change"):
            services.announcement_save(actor=writer, announcement=item, title="대상 고정", **fields)
    # the same audience, a new title: a correction
    fixed = services.announcement_save(actor=writer, announcement=item, title="대상 고정 (정정)",
                                       kinds=[OrgKind.DEALER], publish_at=item.publish_at)
    assert fixed.title == "대상 고정 (정정)" and fixed.status == AnnouncementStatus.PUBLISHED


def test_an_expired_announcement_can_be_corrected_keeping_its_expiry(acme, net):
    item = make.announcement(net.seoul_admin, title="지난 공지", expires_at=timezone.now() + dt.timedelta(days=1))
    past = timezone.now() - dt.timedelta(minutes=5)
    Announcement.objects.filter(pk=item.pk).update(publish_at=past - dt.timedelta(days=2), expires_at=past)
    item.refresh_from_db()
    fixed = services.announcement_save(actor=make.actor(net.seoul_admin), announcement=item, title="지난 공지 (정정)",
                                       publish_at=item.publish_at, expires_at=past)
    assert fixed.title == "지난 공지 (정정)" and fixed.expires_at == past


def test_a_withdrawn_announcements_edit_link_explains_why_not(acme, net):
    item = make.announcement(net.seoul_admin, title="중단될 공지")
    services.announcement_withdraw(actor=make.actor(net.seoul_admin), announcement=item)
    seoul = tenant_client(acme, net.seoul_admin)
    page = seoul.get(f"/distributor/announcements/{item.pk}/edit/", follow=True).content.decode()
    assert "A withdrawn announcement can&#x27;t be changed" in page and "Post a new one" in page
    assert 'data-testid="edit"' not in page
