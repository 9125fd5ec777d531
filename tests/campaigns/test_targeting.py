"""Which campaigns a partner sees and may join (kind, tier, segment, region, product line; published only), and
publishing: it tells exactly the partners the campaign is for (the notices' Broadcast), and only once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from campaigns.models import Campaign
from campaigns.selectors import campaigns as selectors
from campaigns.services import campaigns as services
from notices.models import Broadcast, BroadcastTarget
from partners.choices import OrgKind, PartnerStatus
from prm.core.errors import ServiceError
from tests import factories
from tests.campaigns import make
from tests.conftest import tenant_client


def shown(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(selectors.campaign_visible_to(make.actor(user)).values_list("title", flat=True))


def told(campaign: Campaign) -> set[int]:
    broadcast = Broadcast.objects.get(source_type=ContentType.objects.get_for_model(Campaign), source_id=campaign.pk)
    return set(BroadcastTarget.objects.filter(broadcast=broadcast).values_list("organization_id", flat=True))


def test_a_campaign_for_a_region_is_seen_and_told_only_in_that_region(net):
    seoul = make.campaign(net.hq_admin, title="서울 캠페인", regions=["11"], kinds=[OrgKind.DEALER])
    assert shown(net.dealer_a_user) == {"서울 캠페인"}
    assert shown(net.dealer_b_user) == shown(net.dealer_c_user) == set()
    assert told(seoul) == {net.dealer_a.pk}
    assert selectors.targeted_count(seoul) == 1


def test_a_campaign_for_distributors_is_not_shown_to_dealers(net):
    make.campaign(net.hq_admin, title="총판 전용", kinds=[OrgKind.DISTRIBUTOR])
    everyone = make.campaign(net.hq_admin, title="모두", kinds=[])
    assert shown(net.seoul_admin) == {"총판 전용", "모두"}
    assert shown(net.dealer_a_user) == {"모두"}
    assert told(everyone) == {net.dealer_a.pk, net.dealer_b.pk, net.dealer_c.pk, net.seoul_distributor.pk,
                              net.busan_distributor.pk}


def test_tiers_segments_and_product_lines_must_all_match(net):
    tv = factories.product_line("tv", "TV")
    net.dealer_a.tier, net.dealer_a.segments = "gold", ["retail", "education"]
    net.dealer_a.save(update_fields=["tier", "segments"])
    net.dealer_b.tier, net.dealer_b.segments = "Gold", ["corporate"]
    net.dealer_b.save(update_fields=["tier", "segments"])
    net.dealer_c.tier, net.dealer_c.segments = "Silver", ["education"]
    net.dealer_c.save(update_fields=["tier", "segments"])
    narrow = make.campaign(net.hq_admin, title="골드 교육", tiers=["Gold"], segments=["education"],
                           product_lines=[net.aircon])
    make.campaign(net.hq_admin, title="TV", product_lines=[tv])
    assert shown(net.dealer_a_user) == {"골드 교육"}
    assert shown(net.dealer_b_user) == shown(net.dealer_c_user) == set()
    assert told(narrow) == {net.dealer_a.pk}


def test_drafts_are_hq_only_and_a_suspended_partner_is_not_told(net):
    draft = make.campaign(net.hq_admin, title="초안", publish=False)
    assert shown(net.dealer_a_user) == set()
    assert "초안" in shown(net.hq_admin)
    net.dealer_b.status = PartnerStatus.SUSPENDED
    net.dealer_b.save(update_fields=["status"])
    services.campaign_publish(actor=make.actor(net.hq_admin), campaign=draft)
    assert net.dealer_b.pk not in told(draft) and net.dealer_a.pk in told(draft)


def test_publishing_twice_tells_nobody_twice(net):
    campaign = make.campaign(net.hq_admin, kinds=[OrgKind.DEALER])
    services.campaign_publish(actor=make.actor(net.hq_admin), campaign=campaign)
    assert Broadcast.objects.filter(source_id=campaign.pk).count() == 1
    assert len(told(campaign)) == 3


def test_a_partner_that_joined_keeps_seeing_the_campaign_when_its_tier_changes(net):
    net.dealer_a.tier = "Gold"
    net.dealer_a.save(update_fields=["tier"])
    campaign = make.campaign(net.hq_admin, title="골드", tiers=["Gold"])
    make.join(net.dealer_a_user, campaign)
    net.dealer_a.tier = "Silver"
    net.dealer_a.save(update_fields=["tier"])
    assert shown(net.dealer_a_user) == {"골드"}


def test_a_dealer_outside_the_audience_can_neither_open_nor_join(acme, net):
    campaign = make.campaign(net.hq_admin, regions=["11"])
    busan = tenant_client(acme, net.dealer_b_user)
    assert busan.get(f"/campaigns/{campaign.pk}/").status_code == 404
    assert busan.post(f"/campaigns/{campaign.pk}/join/").status_code == 404
    assert campaign.title not in busan.get("/campaigns/").content.decode()
    with pytest.raises(ServiceError, match="not open to your organisation"):
        make.join(net.dealer_b_user, campaign)
    seoul = tenant_client(acme, net.dealer_a_user)
    assert campaign.title in seoul.get("/campaigns/").content.decode()
    assert campaign.title in seoul.get("/dealer/").content.decode()  # the home page's box


def test_hq_writes_a_campaign_on_its_pages_and_publishes_it(acme, net):
    aircon = make.product("AC-900", line=net.aircon)
    hq = tenant_client(acme, net.hq_admin)
    start = make.today() + dt.timedelta(days=3)
    response = hq.post("/hq/campaigns/new/", {
        "title": "겨울 난방 캠페인", "description": "설명", "offer": "10% 할인", "products": "ac-900",
        "starts_on": start.isoformat(), "ends_on": (start + dt.timedelta(days=30)).isoformat(),
        "opt_in_until": (start + dt.timedelta(days=5)).isoformat(), "budget": "₩20,000,000",
        "kinds": ["dealer"], "tiers": "Gold, silver", "segments": ["retail"], "regions": ["11", "26"],
        "product_lines": [net.aircon.pk]})
    campaign = Campaign.objects.get(title="겨울 난방 캠페인")
    assert response.status_code == 302 and response["Location"] == f"/hq/campaigns/{campaign.pk}/"
    assert (campaign.status, campaign.budget, campaign.tiers, campaign.regions) == (
        "draft", 20_000_000, ["Gold", "silver"], ["11", "26"])
    assert list(campaign.products.all()) == [aircon]
    response = hq.post(f"/hq/campaigns/{campaign.pk}/materials/", {"title": "브로셔", "file": make.pdf()})
    assert response.status_code == 302
    assert hq.get(f"/hq/campaigns/{campaign.pk}/edit/").status_code == 200
    hq.post(f"/hq/campaigns/{campaign.pk}/publish/")
    campaign.refresh_from_db()
    assert campaign.status == "published" and campaign.published_at is not None
    # a published campaign is no longer edited
    response = hq.post(f"/hq/campaigns/{campaign.pk}/edit/", {"title": "바뀐 제목"}, follow=True)
    assert "Only a draft can be changed" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.title == "겨울 난방 캠페인"
    hq.post(f"/hq/campaigns/{campaign.pk}/close/")
    campaign.refresh_from_db()
    assert campaign.status == "closed"


def test_a_campaign_already_over_is_not_published(net):
    campaign = make.campaign(net.hq_admin, publish=False, starts_in=-20, days=10)
    with pytest.raises(ValidationError) as refused:
        services.campaign_publish(actor=make.actor(net.hq_admin), campaign=campaign)
    assert "ends_on" in refused.value.message_dict
    campaign.refresh_from_db()
    assert campaign.status == "draft"
