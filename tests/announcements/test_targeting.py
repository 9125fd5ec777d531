"""Who is shown which announcement: HQ's audience rules on the partner's pages, a distributor's announcements to
its own dealers only, drafts, scheduled, expired and withdrawn ones, and publishing that tells exactly the partners
it is for (the notices' Broadcast)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from announcements import selectors, services
from announcements.choices import AnnouncementStatus
from announcements.models import Announcement
from notices.models import Broadcast, BroadcastTarget
from partners.choices import OrgKind, PartnerStatus
from partners.models import SupplyLink
from prm.core.errors import NotAllowed, ServiceError
from tests import factories
from tests.announcements import make


def shown(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(selectors.announcement_for_partner(make.actor(user)).values_list("title", flat=True))


def broadcast_targets(item: Announcement) -> set[int]:
    broadcast = Broadcast.objects.get(source_type=ContentType.objects.get_for_model(Announcement), source_id=item.pk)
    return set(BroadcastTarget.objects.filter(broadcast=broadcast).values_list("organization_id", flat=True))


def test_hq_announcements_reach_the_partners_their_audience_names(acme, net):
    # given dealer_a in Gold and dealer_b in Silver
    for org, tier in ((net.dealer_a, "Gold"), (net.dealer_b, "Silver")):
        org.tier = tier
        org.save(update_fields=["tier"])
    # when HQ posts one for everyone, one for Gold dealers and one for distributors
    make.announcement(net.hq_admin, title="모두")
    gold = make.announcement(net.hq_admin, title="골드 딜러", kinds=[OrgKind.DEALER], tiers=["gold"])
    make.announcement(net.hq_admin, title="대리점", kinds=[OrgKind.DISTRIBUTOR])
    # then each partner is shown its own, and the notice went to exactly the Gold dealer
    assert shown(net.dealer_a_user) == {"모두", "골드 딜러"}
    assert shown(net.dealer_b_user) == shown(net.dealer_c_user) == {"모두"}
    assert shown(net.seoul_admin) == shown(net.busan_admin) == {"모두", "대리점"}
    assert broadcast_targets(gold) == {net.dealer_a.pk}


def test_a_distributors_announcement_reaches_only_the_dealers_it_supplies(acme, net):
    # given dealer_c also listed by seoul, a link HQ has not approved
    SupplyLink.objects.create(distributor=net.seoul_distributor, dealer=net.dealer_c, is_approved=False)
    item = make.announcement(net.seoul_admin, title="서울 공지")
    assert item.kinds == [OrgKind.DEALER]
    assert shown(net.dealer_a_user) == shown(net.dealer_b_user) == {"서울 공지"}
    assert shown(net.dealer_c_user) == shown(net.busan_admin) == shown(net.seoul_admin) == set()
    assert broadcast_targets(item) == {net.dealer_a.pk, net.dealer_b.pk}
    # and once HQ approves the link, dealer_c is one of seoul's dealers too
    SupplyLink.objects.filter(distributor=net.seoul_distributor, dealer=net.dealer_c).update(is_approved=True)
    assert shown(net.dealer_c_user) == {"서울 공지"}


def test_a_distributor_can_narrow_but_never_widen_its_audience(acme, net):
    net.dealer_a.tier = "Gold"
    net.dealer_a.save(update_fields=["tier"])
    make.announcement(net.seoul_admin, title="골드만", tiers=["Gold"])
    assert shown(net.dealer_a_user) == {"골드만"} and shown(net.dealer_b_user) == set()
    with pytest.raises(ValidationError) as refused:
        make.announcement(net.seoul_admin, title="대리점에게", kinds=[OrgKind.DISTRIBUTOR])
    assert "own dealers" in str(refused.value)


def test_dealers_and_distributor_staff_may_not_write_announcements(acme, net):
    from partners.choices import Role

    staff = factories.member(net.seoul_distributor, Role.DISTRIBUTOR_STAFF)
    for user in (net.dealer_a_user, staff):
        with pytest.raises(NotAllowed):
            make.announcement(user, title="안 됨")
    assert not Announcement.objects.exists()


def test_drafts_are_shown_to_nobody_and_tell_nobody(acme, net):
    make.announcement(net.hq_admin, title="초안", publish=False)
    assert shown(net.dealer_a_user) == set()
    assert not Broadcast.objects.exists()


def test_a_scheduled_announcement_appears_and_is_told_when_its_time_comes(acme, net):
    # given one published for an hour from now
    item = make.announcement(net.hq_admin, title="예약", publish_at=timezone.now() + dt.timedelta(hours=1))
    assert item.status == AnnouncementStatus.SCHEDULED
    assert shown(net.dealer_a_user) == set() and not Broadcast.objects.exists()
    # beat's runs before the time do nothing
    assert services.publish_due() == 0
    # when the time has come, beat's run publishes and tells it (once, however many runs)
    due = timezone.now() - dt.timedelta(seconds=1)
    Announcement.objects.filter(pk=item.pk).update(publish_at=due)
    assert services.publish_due() == 1
    assert services.publish_due() == 0
    item.refresh_from_db()
    assert item.status == AnnouncementStatus.PUBLISHED and item.publish_at == due
    assert shown(net.dealer_a_user) == {"예약"}
    assert Broadcast.objects.count() == 1
    assert broadcast_targets(item) == {o.pk for o in (net.dealer_a, net.dealer_b, net.dealer_c,
                                                      net.seoul_distributor, net.busan_distributor)}


def test_an_expired_announcement_is_no_longer_shown(acme, net):
    item = make.announcement(net.hq_admin, title="곧 만료", expires_at=timezone.now() + dt.timedelta(hours=1))
    assert shown(net.dealer_a_user) == {"곧 만료"}
    Announcement.objects.filter(pk=item.pk).update(publish_at=timezone.now() - dt.timedelta(days=2),
                                                   expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert shown(net.dealer_a_user) == set()


def test_a_scheduled_announcement_whose_window_passed_unpublished_is_not_told(acme, net):
    start = timezone.now() + dt.timedelta(hours=1)
    item = make.announcement(net.hq_admin, title="놓침", publish_at=start, expires_at=start + dt.timedelta(hours=1))
    # beat did not run for the whole window (the time moved on by two hours)
    Announcement.objects.filter(pk=item.pk).update(publish_at=start - dt.timedelta(hours=3),
                                                   expires_at=start - dt.timedelta(hours=2))
    assert services.publish_due() == 0
    item.refresh_from_db()
    assert item.status == AnnouncementStatus.WITHDRAWN and not Broadcast.objects.exists()


def test_a_withdrawn_announcement_is_no_longer_shown_and_cant_be_published_again(acme, net):
    item = make.announcement(net.hq_admin, title="철회")
    hq = make.actor(net.hq_admin)
    services.announcement_withdraw(actor=hq, announcement=item)
    assert shown(net.dealer_a_user) == set()
    with pytest.raises(ServiceError):
        services.announcement_publish(actor=hq, announcement=item)


def test_a_suspended_partner_is_not_told(acme, net):
    net.dealer_b.status = PartnerStatus.SUSPENDED
    net.dealer_b.save(update_fields=["status"])
    item = make.announcement(net.hq_admin, title="딜러 공지", kinds=[OrgKind.DEALER])
    assert broadcast_targets(item) == {net.dealer_a.pk, net.dealer_c.pk}


def test_publishing_to_an_audience_nobody_matches_is_refused_with_the_reason(acme, net):
    item = make.announcement(net.hq_admin, title="아무도", tiers=["Diamond"], publish=False)
    with pytest.raises(ValidationError) as refused:
        services.announcement_publish(actor=make.actor(net.hq_admin), announcement=item)
    assert "No active partner matches" in str(refused.value)
    item.refresh_from_db()
    assert item.status == AnnouncementStatus.DRAFT and not Broadcast.objects.exists()


def test_publishing_twice_tells_once(acme, net):
    item = make.announcement(net.hq_admin, title="두 번")
    services.announcement_publish(actor=make.actor(net.hq_admin), announcement=item)
    assert Broadcast.objects.count() == 1


def test_another_distributor_cannot_change_or_publish_an_announcement_it_did_not_write(acme, net):
    item = make.announcement(net.seoul_admin, title="서울 초안", publish=False)
    busan = make.actor(net.busan_admin)
    with pytest.raises(ServiceError):
        services.announcement_publish(actor=busan, announcement=item)
    with pytest.raises(ServiceError):
        services.announcement_save(actor=busan, announcement=item, title="가로채기")
    item.refresh_from_db()
    assert item.status == AnnouncementStatus.DRAFT and item.title == "서울 초안"


def test_a_scheduled_announcement_stays_scheduled_when_changed_and_is_a_draft_again_without_its_time(acme, net):
    hq = make.actor(net.hq_admin)
    later = timezone.now() + dt.timedelta(days=1)
    item = make.announcement(net.hq_admin, title="예약", publish_at=later)
    item = services.announcement_save(actor=hq, announcement=item, title="예약 (수정)",
                                      publish_at=later + dt.timedelta(hours=1))
    assert item.status == AnnouncementStatus.SCHEDULED
    item = services.announcement_save(actor=hq, announcement=item, title="예약 (시간 없음)", publish_at=None)
    assert item.status == AnnouncementStatus.DRAFT and item.publish_at is None
    assert shown(net.dealer_a_user) == set() and not Broadcast.objects.exists()
