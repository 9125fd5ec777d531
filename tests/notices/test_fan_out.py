"""The fan-out: broadcast() stores one notice per source; once it commits, everyone active at each targeted
partner gets one delivery and one in-app notification, however often it is called or run."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from notices.choices import BroadcastStatus, DeliveryStatus
from notices.models import Broadcast, Delivery
from notices.sending import send_pending
from notices.services import NoticeCategory, broadcast, broadcast_fan_out
from partners.choices import OrgKind, Role
from partners.models import Membership
from prm.core.models import Notification
from tests import factories
from tests.notices.helpers import publish, run


def _people(item: Broadcast) -> list[int]:
    return sorted(Delivery.objects.filter(broadcast=item).values_list("user_id", flat=True))


def test_everyone_active_at_the_targeted_partners_is_told_once(acme: Any,
                                                               django_capture_on_commit_callbacks: Any) -> None:
    # given three dealers with two people each, one person working for two of them, one person inactive, one
    # membership ended, and a dealer that is not targeted
    net = factories.network()
    staff_a = factories.member(net.dealer_a, Role.DEALER_STAFF)
    staff_b = factories.member(net.dealer_b, Role.DEALER_STAFF)
    both = factories.member(net.dealer_a, Role.DEALER_STAFF)
    Membership.objects.create(user=both, organization=net.dealer_b, role=Role.DEALER_STAFF)
    gone = factories.member(net.dealer_b, Role.DEALER_STAFF)
    gone.is_active = False
    gone.save()
    left = factories.member(net.dealer_a, Role.DEALER_STAFF)
    Membership.objects.filter(user=left).update(is_active=False)

    # when HQ publishes to dealers a and b (dealer a listed twice)
    item = publish(source=net.dealer_a, organizations=[net.dealer_a, net.dealer_b, net.dealer_a],
                   actor=net.actor(net.hq_admin), capture=django_capture_on_commit_callbacks)
    assert item.status == BroadcastStatus.QUEUED and not Delivery.objects.filter(broadcast=item).exists()
    result = run(item)

    # then each active person of a and b has exactly one delivery, one notification and one e-mail
    expected = sorted([net.dealer_a_user.pk, staff_a.pk, net.dealer_b_user.pk, staff_b.pk, both.pk])
    assert _people(item) == expected
    notes = Notification.objects.filter(kind="notice_campaigns")
    assert sorted(notes.values_list("user_id", flat=True)) == expected
    assert set(Delivery.objects.filter(broadcast=item).values_list("notification_id", flat=True)) == set(
        notes.values_list("pk", flat=True))
    assert notes.get(user=both).text() == "New campaign: Summer" and notes.get(user=both).url == "/dealer/"
    assert result.sent == 5 and len(mail.outbox) == 5
    assert sorted(m.to[0].split("<")[-1].rstrip(">") for m in mail.outbox) == sorted(
        u.email for u in (net.dealer_a_user, staff_a, net.dealer_b_user, staff_b, both))
    # and the broadcast is done with its counts stored
    item.refresh_from_db()
    assert (item.status, item.recipients, item.sent, item.failed, item.opted_out) == ("done", 5, 5, 0, 0)
    assert item.created_by == net.hq_admin and item.organization == net.hq


def test_publishing_the_same_source_again_tells_nobody_twice(acme: Any,
                                                             django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    first = publish(source=net.dealer_c, organizations=[net.dealer_a], capture=django_capture_on_commit_callbacks)
    run(first)

    # when the same source is published again to the same partners (a double click, a retried request)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = broadcast(category="campaigns", source=net.dealer_c, organization_ids=[net.dealer_a.pk],
                          message="New campaign: %(title)s", params={"title": "Summer"})
    # then it is the same notice, and nothing is queued
    assert again.pk == first.pk and callbacks == []
    assert Broadcast.objects.count() == 1 and len(mail.outbox) == 1


def test_publishing_again_to_more_partners_tells_only_the_new_people(acme: Any,
                                                                     django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    first = publish(source=net.dealer_c, organizations=[net.dealer_a], capture=django_capture_on_commit_callbacks)
    run(first)
    assert _people(first) == [net.dealer_a_user.pk]

    second = publish(source=net.dealer_c, organizations=[net.dealer_a, net.dealer_b],
                     capture=django_capture_on_commit_callbacks, params={"title": "Summer, extended"})
    assert second.pk == first.pk and second.status == BroadcastStatus.QUEUED
    run(second)

    assert _people(first) == sorted([net.dealer_a_user.pk, net.dealer_b_user.pk])
    assert Notification.objects.filter(user=net.dealer_a_user).count() == 1
    assert [m.subject for m in mail.outbox] == ["[Acme Corp] New campaign: Summer",
                                                "[Acme Corp] New campaign: Summer, extended"]
    second.refresh_from_db()
    assert (second.status, second.recipients, second.sent) == ("done", 2, 2)


def test_a_fan_out_and_a_sender_run_twice_tell_nobody_twice(acme: Any,
                                                            django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    item = publish(source=net.dealer_c, organizations=[net.dealer_a, net.dealer_b, net.dealer_c],
                   capture=django_capture_on_commit_callbacks)
    # a task message delivered twice: the fan-out and the sending run twice each
    assert broadcast_fan_out(broadcast_id=item.pk) == 3
    assert broadcast_fan_out(broadcast_id=item.pk) == 0
    assert send_pending(broadcast_id=item.pk).sent == 3
    assert send_pending(broadcast_id=item.pk).sent == 0
    assert Delivery.objects.filter(broadcast=item).count() == 3
    assert Notification.objects.filter(kind="notice_campaigns").count() == 3
    assert len(mail.outbox) == 3
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 3


def test_a_person_who_joins_a_targeted_partner_later_is_told_by_the_next_fan_out(
        acme: Any, django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    item = publish(source=net.dealer_c, organizations=[net.dealer_a], capture=django_capture_on_commit_callbacks)
    run(item)
    newcomer = factories.member(net.dealer_a, Role.DEALER_STAFF)
    run(item)  # beat's sweep or a re-publish fans it out again
    assert _people(item) == sorted([net.dealer_a_user.pk, newcomer.pk])
    assert len(mail.outbox) == 2


def test_a_reminder_with_its_own_key_is_a_second_notice(acme: Any, django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    first = publish(source=net.dealer_c, organizations=[net.dealer_a], capture=django_capture_on_commit_callbacks)
    reminder = publish(source=net.dealer_c, organizations=[net.dealer_a], key="reminder-1",
                       message="The campaign %(title)s ends soon", capture=django_capture_on_commit_callbacks)
    run(first)
    run(reminder)
    assert first.pk != reminder.pk
    assert Notification.objects.filter(user=net.dealer_a_user).count() == 2
    assert len(mail.outbox) == 2


def test_an_empty_audience_is_done_at_once(acme: Any, django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    item = publish(source=net.dealer_c, organizations=[], capture=django_capture_on_commit_callbacks)
    run(item)
    item.refresh_from_db()
    assert (item.status, item.recipients) == ("done", 0)


def test_the_source_is_recorded_and_the_category_checked(acme: Any, django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    item = publish(source=net.dealer_c, organizations=[net.dealer_a], category=NoticeCategory.ANNOUNCEMENTS,
                   capture=django_capture_on_commit_callbacks)
    assert item.source_type == ContentType.objects.get_for_model(net.dealer_c) and item.source_id == net.dealer_c.pk
    with pytest.raises(ValueError, match="Unknown notice category"):
        broadcast(category="spam", source=net.dealer_c, organization_ids=[net.dealer_a.pk], message="x")
    with pytest.raises(TypeError):
        broadcast(category="campaigns", source=net.dealer_c, organization_ids=[], message="x",
                  params={"when": object()})
    unsaved = factories.Organization(kind=OrgKind.DEALER, name="unsaved")
    with pytest.raises(ValueError, match="saved source"):
        broadcast(category="campaigns", source=unsaved, organization_ids=[], message="x")
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 0
