"""Opting in: once per partner and campaign whatever happens (a double click, a second person, leaving and coming
back), earning the tenant's points once; leaving before the campaign starts; joining closes when HQ said."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import Campaign, Participation
from campaigns.selectors import campaigns as selectors
from campaigns.services import campaigns as services
from partners.choices import PartnerStatus, Role
from prm.core.errors import ServiceError
from prm.core.models import Notification
from rewards.models import LedgerEntry, PointsRule
from tests import factories
from tests.campaigns import make
from tests.conftest import tenant_client


@pytest.fixture
def points_for_joining(net):
    return PointsRule.objects.create(event="campaign_joined", fixed_points=200, is_active=True, description="참여")


def test_joining_twice_is_one_participation_and_earns_the_points_once(acme, net, points_for_joining):
    campaign = make.campaign(net.hq_admin, starts_in=5)
    dealer = tenant_client(acme, net.dealer_a_user)
    assert dealer.post(f"/campaigns/{campaign.pk}/join/").status_code == 302
    assert dealer.post(f"/campaigns/{campaign.pk}/join/").status_code == 302
    colleague = factories.member(net.dealer_a, Role.DEALER_STAFF)
    make.join(colleague, campaign)
    assert Participation.objects.filter(campaign=campaign, partner=net.dealer_a).count() == 1
    entries = LedgerEntry.objects.filter(partner=net.dealer_a, event="campaign_joined")
    assert [(e.points, e.reference) for e in entries] == [(200, f"campaign:{campaign.pk}")]
    page = dealer.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert 'data-testid="joined-note"' in page and 'data-testid="join"' not in page


def test_leaving_and_joining_again_keeps_one_participation_and_the_points_once(net, points_for_joining):
    campaign = make.campaign(net.hq_admin, starts_in=5)
    first = make.join(net.dealer_a_user, campaign)
    left = services.participation_withdraw(actor=make.actor(net.dealer_a_user), campaign=campaign)
    assert left.withdrawn_at is not None
    again = make.join(net.dealer_a_user, campaign)
    assert again.pk == first.pk and again.withdrawn_at is None
    assert LedgerEntry.objects.filter(partner=net.dealer_a, event="campaign_joined").count() == 1


def test_leaving_is_refused_once_the_campaign_started(net):
    campaign = make.campaign(net.hq_admin, starts_in=0)
    make.join(net.dealer_a_user, campaign)
    with pytest.raises(ServiceError, match="can no longer be left"):
        services.participation_withdraw(actor=make.actor(net.dealer_a_user), campaign=campaign)
    assert Participation.objects.get(campaign=campaign, partner=net.dealer_a).withdrawn_at is None


def test_leaving_waits_for_the_plans_tied_to_the_campaign(net):
    campaign = make.campaign(net.hq_admin, starts_in=5)
    make.join(net.dealer_a_user, campaign)
    make.plan(net.dealer_a_user, made_for=campaign, starts_in=6)
    with pytest.raises(ServiceError, match="withdraw that plan first"):
        services.participation_withdraw(actor=make.actor(net.dealer_a_user), campaign=campaign)


def test_joining_closes_on_the_day_hq_set(net):
    campaign = make.campaign(net.hq_admin, starts_in=-10, days=30)
    Campaign.objects.filter(pk=campaign.pk).update(opt_in_until=make.today() - dt.timedelta(days=1))
    campaign.refresh_from_db()
    with pytest.raises(ServiceError, match="Joining this campaign closed on"):
        make.join(net.dealer_a_user, campaign)
    assert not Participation.objects.exists()


def test_a_suspended_dealer_or_a_closed_campaign_is_not_joined(net):
    campaign = make.campaign(net.hq_admin)
    net.dealer_b.status = PartnerStatus.SUSPENDED
    net.dealer_b.save(update_fields=["status"])
    with pytest.raises(ServiceError, match="active partner"):
        make.join(net.dealer_b_user, campaign)
    closed = services.campaign_close(actor=make.actor(net.hq_admin), campaign=campaign)
    with pytest.raises(ServiceError, match="not open to your organisation"):
        make.join(net.dealer_a_user, closed)


def test_cancelling_a_campaign_tells_those_who_joined(net):
    campaign = make.campaign(net.hq_admin)
    make.join(net.dealer_a_user, campaign)
    services.campaign_cancel(actor=make.actor(net.hq_admin), campaign=campaign, reason="물량 부족")
    told = Notification.objects.get(user=net.dealer_a_user, kind="campaign.cancelled")
    assert told.text() == f"HQ cancelled the campaign {campaign.title}."
    assert not Notification.objects.filter(user=net.dealer_b_user, kind="campaign.cancelled").exists()
    campaign.refresh_from_db()
    assert campaign.status == "cancelled"
    # the dealer that joined still sees it (to read that it was cancelled); the others no longer do
    assert selectors.campaign_visible_to(make.actor(net.dealer_a_user)).filter(pk=campaign.pk).exists()
    assert not selectors.campaign_visible_to(make.actor(net.dealer_b_user)).filter(pk=campaign.pk).exists()
