"""The demo's campaigns and plans are made through the services (so they obey every rule) and only once."""

import io

from campaigns.demo import seed_demo
from campaigns.models import Campaign, FundClaim, FundPlan, Participation
from partners.choices import Role
from tests import factories
from tests.campaigns import make


def test_the_demo_seeds_a_running_campaign_and_plans_at_each_step_once(net):
    factories.member(net.hq, Role.HQ_ADMIN, email="hq@demo.example")
    factories.member(net.dealer_a, Role.DEALER_ADMIN, email="dealer@demo.example")
    net.seoul_distributor.business_number = "1018100016"
    net.seoul_distributor.save(update_fields=["business_number"])
    factories.member(net.seoul_distributor, Role.DISTRIBUTOR_ADMIN, email="admin@1018100016.demo.example")
    for sku in ("AIR-001", "AIR-002", "AIR-003"):
        make.product(sku, line=net.aircon)
    out = io.StringIO()
    seed_demo(stdout=out, distributor_number="1018100016")
    seed_demo(stdout=out, distributor_number="1018100016")
    assert sorted(Campaign.objects.values_list("status", flat=True)) == ["draft", "published"]
    summer = Campaign.objects.get(status="published")
    assert summer.products.count() == 3 and summer.materials.count() == 1
    assert Participation.objects.filter(campaign=summer, partner=net.dealer_a).exists()
    assert sorted(FundPlan.objects.values_list("status", flat=True)) == ["approved", "approved", "submitted"]
    assert sorted(FundClaim.objects.values_list("status", flat=True)) == ["paid", "submitted"]
    assert "Campaigns: 2" in out.getvalue()
