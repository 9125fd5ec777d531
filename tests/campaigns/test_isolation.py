"""Every campaign and fund page has its pair: the rightful user gets it; another partner's plan, claim, file or a
campaign not for it is a 404; another tenant's anything is a 404; a partner on an HQ page (or HQ on a partner-only
page) is a 403."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from campaigns.models import Campaign, FundFile, FundPlan
from campaigns.services import campaigns as campaign_services
from campaigns.services import funds as fund_services
from partners.choices import OrgKind
from tests import factories
from tests.campaigns import make
from tests.conftest import tenant_client


@pytest.fixture
def world(net):
    """A campaign for Seoul dealers with a file; dealer_b's approved plan (activity over) with a claim and files."""
    campaign = make.campaign(net.hq_admin, title="서울 한정", regions=["11"])
    material = campaign_services.material_add(actor=make.actor(net.hq_admin), campaign=campaign, title="브로셔",
                                              file=make.pdf())
    plan = make.activity_over(make.approved_plan(net.dealer_b_user, net.hq_admin, files=[make.pdf("견적.pdf")]))
    claim = make.claim(net.dealer_b_user, plan, "100,000", files=[make.pdf("영수증.pdf")])
    files = list(FundFile.objects.filter(plan=plan).order_by("pk"))
    draft = make.campaign(net.hq_admin, title="준비 중", publish=False)
    return {"campaign": campaign, "material": material, "plan": plan, "claim": claim, "files": files, "draft": draft}


HQ_PAGES = ["/hq/campaigns/", "/hq/campaigns/new/", "/hq/campaigns/{campaign}/", "/hq/campaigns/{draft}/edit/",
            "/hq/funds/", "/hq/funds/balances/", "/hq/funds/plans/{plan}/"]
HQ_POSTS = ["/hq/campaigns/{campaign}/publish/", "/hq/campaigns/{campaign}/close/", "/hq/campaigns/{campaign}/cancel/",
            "/hq/campaigns/{campaign}/materials/", "/hq/campaigns/materials/{material}/delete/",
            "/hq/funds/plans/{plan}/approve/", "/hq/funds/plans/{plan}/reject/", "/hq/funds/claims/{claim}/approve/",
            "/hq/funds/claims/{claim}/reject/", "/hq/funds/claims/{claim}/pay/"]


def ids(world) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {"campaign": world["campaign"].pk, "material": world["material"].pk, "plan": world["plan"].pk,
            "claim": world["claim"].pk, "draft": world["draft"].pk}


def test_the_rightful_users_get_their_pages(acme, net, world):
    hq = tenant_client(acme, net.hq_admin)
    for path in HQ_PAGES:
        assert hq.get(path.format(**ids(world))).status_code == 200, path
    seoul_dealer = tenant_client(acme, net.dealer_a_user)
    assert seoul_dealer.get(f"/campaigns/{world['campaign'].pk}/").status_code == 200
    assert seoul_dealer.get(f"/campaigns/materials/{world['material'].pk}/")["Content-Type"] == "application/pdf"
    owner = tenant_client(acme, net.dealer_b_user)
    assert owner.get(f"/funds/{world['plan'].pk}/").status_code == 200
    for item in world["files"]:
        response = owner.get(f"/funds/files/{item.pk}/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert hq.get(f"/funds/files/{item.pk}/").status_code == 200


def test_a_partner_on_an_hq_page_gets_403(acme, net, world):
    for user in (net.dealer_a_user, net.seoul_admin):
        client = tenant_client(acme, user)
        for path in HQ_PAGES:
            assert client.get(path.format(**ids(world))).status_code == 403, path
        for path in HQ_POSTS:
            assert client.post(path.format(**ids(world)), {"reason": "x", "approved_amount": "1"}).status_code == 403
    world["plan"].refresh_from_db()
    assert world["plan"].status == "approved" and world["claim"].status == "submitted"


def test_hq_on_a_partner_only_page_gets_403(acme, net, world):
    hq = tenant_client(acme, net.hq_admin)
    for path in ("/campaigns/", "/funds/", "/funds/new/", f"/funds/{world['plan'].pk}/"):
        assert hq.get(path).status_code == 403, path
    assert hq.post(f"/campaigns/{world['campaign'].pk}/join/").status_code == 403
    assert hq.post(f"/funds/{world['plan'].pk}/claim/", {"amount": "1", "figures": "x"}).status_code == 403


def test_another_partners_plan_claim_and_files_are_404(acme, net, world):
    other = tenant_client(acme, net.dealer_a_user)
    plan = world["plan"]
    assert other.get(f"/funds/{plan.pk}/").status_code == 404
    assert other.post(f"/funds/{plan.pk}/claim/", {"amount": "1", "figures": "x"}).status_code == 404
    assert other.post(f"/funds/{plan.pk}/withdraw/").status_code == 404
    for item in world["files"]:
        assert other.get(f"/funds/files/{item.pk}/").status_code == 404
    page = other.get("/funds/").content.decode()
    assert plan.title not in page and "₩100,000" not in page
    # the distributor supplying dealer_b does not see its dealer's funds either
    assert tenant_client(acme, net.seoul_admin).get(f"/funds/{plan.pk}/").status_code == 404


def test_a_campaign_not_for_the_partner_is_404_with_its_files(acme, net, world):
    busan = tenant_client(acme, net.dealer_b_user)
    campaign, material = world["campaign"], world["material"]
    for path in (f"/campaigns/{campaign.pk}/", f"/campaigns/materials/{material.pk}/"):
        assert busan.get(path).status_code == 404, path
    for path in (f"/campaigns/{campaign.pk}/join/", f"/campaigns/{campaign.pk}/withdraw/"):
        assert busan.post(path).status_code == 404, path
    draft = make.campaign(net.hq_admin, title="초안", publish=False)
    assert tenant_client(acme, net.dealer_a_user).get(f"/campaigns/{draft.pk}/").status_code == 404


def test_another_tenants_campaigns_and_plans_are_404(acme, globex, net, world):
    connection.set_schema_to_public()
    with schema_context("globex"):
        g = factories.network(prefix="GLOBEX-")
        hq = tenant_client(globex, g.hq_admin)
        dealer = tenant_client(globex, g.dealer_a_user)
        assert not Campaign.objects.exists() and not FundPlan.objects.exists()  # acme's ids name nothing here
        for path in (f"/hq/campaigns/{world['campaign'].pk}/", f"/hq/funds/plans/{world['plan'].pk}/",
                     f"/hq/funds/claims/{world['claim'].pk}/approve/", f"/campaigns/materials/{world['material'].pk}/",
                     f"/funds/files/{world['files'][0].pk}/"):
            assert hq.get(path).status_code in (404, 405), path
        assert hq.post(f"/hq/funds/claims/{world['claim'].pk}/approve/").status_code == 404
        assert dealer.get(f"/funds/{world['plan'].pk}/").status_code == 404
        assert dealer.get(f"/campaigns/{world['campaign'].pk}/").status_code == 404
        make.campaign(g.hq_admin, title="GLOBEX 캠페인")
        listing = hq.get("/hq/campaigns/").content.decode()
        assert "GLOBEX 캠페인" in listing and "서울 한정" not in listing
        assert "서울 한정" not in dealer.get("/dealer/").content.decode()
    with schema_context("acme"):
        assert "GLOBEX" not in tenant_client(acme, net.hq_admin).get("/hq/campaigns/").content.decode()


def test_a_distributor_sees_a_campaign_for_distributors_but_not_one_for_dealers(acme, net):
    dealers_only = make.campaign(net.hq_admin, title="딜러 전용", kinds=[OrgKind.DEALER])
    client = tenant_client(acme, net.seoul_admin)
    assert client.get(f"/campaigns/{dealers_only.pk}/").status_code == 404
    both = make.campaign(net.hq_admin, title="모두", kinds=[])
    assert client.get(f"/campaigns/{both.pk}/").status_code == 200
    assert client.post(f"/campaigns/{both.pk}/join/").status_code == 302
    assert fund_services.plan_propose(actor=make.actor(net.seoul_admin), kind="sales", title="총판 판촉",
                                      description="대리점 판촉", starts_on=make.today(), ends_on=make.today(),
                                      requested_amount="1,000", campaign=both).partner_id == net.seoul_distributor.pk
