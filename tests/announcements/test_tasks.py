"""With the real Celery worker: beat's ``publish_due`` publishes a scheduled announcement when its time comes, in
its own tenant, and the people of the partners it is for get their in-app notice (once); the others get none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from announcements import services, tasks
from announcements.choices import AnnouncementStatus
from announcements.models import Announcement
from partners.choices import OrgKind
from prm.core.models import Notification
from tests import factories
from tests.announcements import make
from tests.conftest import wait_for

pytestmark = pytest.mark.worker


def test_beat_publishes_a_due_announcement_and_its_partners_are_told_once(live_tenant, celery_worker):
    # given a mandatory announcement for Gold dealers, scheduled, whose time has just come
    net = factories.network()
    net.dealer_a.tier = "Gold"
    net.dealer_a.save(update_fields=["tier"])
    item = make.announcement(net.hq_admin, title="예약 필독 공지", tiers=["Gold"], kinds=[OrgKind.DEALER],
                             mandatory=True, publish_at=timezone.now() + dt.timedelta(hours=1))
    assert item.status == AnnouncementStatus.SCHEDULED
    Announcement.objects.filter(pk=item.pk).update(publish_at=timezone.now() - dt.timedelta(seconds=1))
    # when beat's job runs (twice, as a message delivered twice would)
    assert tasks.publish_due.delay() is not None
    tasks.publish_due.delay()
    # then the worker publishes it, and dealer_a's person is told in the portal with a link to it
    url = services.partner_url(item)
    wait_for(lambda: Notification.objects.filter(user=net.dealer_a_user, url=url).exists(), timeout=60)
    item.refresh_from_db()
    assert item.status == AnnouncementStatus.PUBLISHED
    notice = Notification.objects.get(user=net.dealer_a_user, url=url)
    assert notice.text() == "Please read: 예약 필독 공지"
    assert not Notification.objects.filter(url=url).exclude(user=net.dealer_a_user).exists()


def test_publishing_now_tells_the_distributors_dealers_through_the_worker(live_tenant, celery_worker):
    net = factories.network()
    colleague = factories.member(net.dealer_a, "dealer_staff")
    item = make.announcement(net.seoul_admin, title="서울유통 공지")
    url = services.partner_url(item)
    told = {net.dealer_a_user.pk, colleague.pk, net.dealer_b_user.pk}
    wait_for(lambda: set(Notification.objects.filter(url=url).values_list("user_id", flat=True)) == told,
             timeout=60)
    assert Notification.objects.filter(url=url).count() == 3
    assert Notification.objects.get(user=colleague, url=url).text() == "New announcement: 서울유통 공지"
