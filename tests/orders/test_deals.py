"""Deal registration: conflicts shown to HQ (same business number, or a similar name in the same district),
approval protects the customer, an order from that customer routes to the protecting partner first, and the
scheduled job ends protection (with a notice beforehand)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from orders.choices import DealStatus
from orders.models import Deal, Offer, RoutingDecision
from orders.selectors import company_key, deal_conflicts
from orders.services import deal_register, deal_review, deals_expire, order_route
from partners.choices import OrgKind, Role
from prm.core.actor import actor_for
from tests import factories
from tests.conftest import tenant_client

SEOCHO = "서울특별시 서초구 서초대로 1"
SONGPA = "서울특별시 송파구 올림픽로 1"


@pytest.fixture
def world(acme):
    line = factories.product_line()
    hq_user = factories.member(factories.organization(OrgKind.HQ, "HQ"), Role.HQ_ADMIN)
    near = factories.organization(OrgKind.DEALER, "서초전자", address=SEOCHO, lines=[line])
    far = factories.organization(OrgKind.DEALER, "송파전자", address=SONGPA, lines=[line])
    near_user = factories.member(near, Role.DEALER_ADMIN)
    far_user = factories.member(far, Role.DEALER_ADMIN)
    return {"line": line, "hq": actor_for(hq_user), "hq_user": hq_user, "near": near, "far": far,
            "near_user": near_user, "far_user": far_user}


def _register(user, line, name, *, bn="", address=SEOCHO):
    return deal_register(actor=actor_for(user), customer_name=name, customer_business_number=bn, address=address,
                         product_line=line, value=12_000_000, expected_close=timezone.localdate() + dt.timedelta(30))


def test_company_keys_ignore_legal_forms_spacing_and_case():
    assert company_key("(주)한빛전자") == company_key("한빛전자 주식회사") == company_key("㈜ 한빛 전자") == "한빛전자"
    assert company_key("Hanbit Co., Ltd.") == company_key("HANBIT") == "hanbit"


def test_hq_sees_conflicts_by_business_number_and_by_similar_name_in_the_same_district(world):
    line = world["line"]
    first = _register(world["far_user"], line, "(주)한빛전자", bn="101-81-00016")
    typo = _register(world["near_user"], line, "한빛전기")  # one letter off, same district
    same_bn = _register(world["near_user"], line, "전혀다른이름", bn="1018100016", address=SONGPA)
    elsewhere = _register(world["near_user"], line, "한빛전자 주식회사", address="부산광역시 해운대구 1")
    unrelated = _register(world["near_user"], line, "대한상사")
    assert {d.pk for d in deal_conflicts(typo)} == {first.pk}
    assert {d.pk for d in deal_conflicts(same_bn)} == {first.pk}
    assert not deal_conflicts(elsewhere).exists()  # another district: another customer
    assert not deal_conflicts(unrelated).exists()
    page = tenant_client(_tenant(), world["hq_user"]).get("/hq/deals/")
    body = page.content.decode()
    assert f'data-testid="deal-{typo.pk}"' in body and 'data-testid="conflicts"' in body


def _tenant():
    from django.db import connection

    return connection.tenant


def test_an_approved_deal_routes_the_customers_order_to_the_protecting_partner_first(world):
    line, hq = world["line"], world["hq"]
    deal = _register(world["far_user"], line, "(주)한빛전자")
    # before approval the order goes to the nearest dealer
    before = factories.order(actor=hq, customer_name="한빛전자 주식회사", address=SEOCHO, product_line=line)
    order_route(order_id=before.pk)
    assert Offer.objects.get(order=before).dealer_id == world["near"].pk
    deal_review(actor=hq, deal=deal, approve=True)
    deal.refresh_from_db()
    assert deal.status == DealStatus.APPROVED and deal.protected_until > timezone.localdate()
    # after approval, the same customer's next order goes to the protecting (farther) partner
    after = factories.order(actor=hq, customer_name="한빛전자", address=SEOCHO, product_line=line)
    order_route(order_id=after.pk)
    assert Offer.objects.get(order=after).dealer_id == world["far"].pk
    chosen = RoutingDecision.objects.get(order=after).candidates[0]
    assert chosen["protected"] is True and chosen["components"]["protected"] == 100.0
    # another customer in the district is not affected
    other = factories.order(actor=hq, customer_name="대한상사", address=SEOCHO, product_line=line)
    order_route(order_id=other.pk)
    assert Offer.objects.get(order=other).dealer_id == world["near"].pk


def test_rejection_needs_a_reason_and_a_deal_is_reviewed_once(world):
    from django.core.exceptions import ValidationError

    from prm.core.errors import ServiceError

    deal = _register(world["near_user"], world["line"], "새고객")
    with pytest.raises(ValidationError):
        deal_review(actor=world["hq"], deal=deal, approve=False)
    deal_review(actor=world["hq"], deal=deal, approve=False, reason="이미 본사 직거래 고객")
    with pytest.raises(ServiceError):
        deal_review(actor=world["hq"], deal=deal, approve=True)
    page = tenant_client(_tenant(), world["near_user"]).get("/dealer/deals/").content.decode()
    assert "이미 본사 직거래 고객" in page


def test_protection_ends_on_schedule_after_a_notice(world):
    deal = _register(world["near_user"], world["line"], "만료고객")
    deal_review(actor=world["hq"], deal=deal, approve=True)
    today = timezone.localdate()
    Deal.objects.filter(pk=deal.pk).update(protected_until=today + dt.timedelta(days=5))
    mail.outbox.clear()
    assert deals_expire(today=today) == (0, 1)
    assert len(mail.outbox) == 1 and "만료고객" in mail.outbox[0].subject
    assert deals_expire(today=today) == (0, 0)  # the notice goes once
    assert deals_expire(today=today + dt.timedelta(days=6)) == (1, 0)
    deal.refresh_from_db()
    assert deal.status == DealStatus.EXPIRED


def test_partners_register_with_named_errors_and_see_only_their_own_deals(world):
    client = tenant_client(_tenant(), world["near_user"])
    bad = client.post("/dealer/deals/", {"customer_name": " ", "customer_business_number": "123-45-67890",
                                         "product_line": world["line"].pk, "value": "-1",
                                         "expected_close": "2000-01-01"})
    assert bad.status_code == 200 and not Deal.objects.exists()
    ok = client.post("/dealer/deals/", {"customer_name": "한빛상사", "customer_business_number": "",
                                        "address": SEOCHO, "product_line": world["line"].pk,
                                        "value": "5000000",
                                        "expected_close": (timezone.localdate() + dt.timedelta(9)).isoformat()})
    assert ok.status_code == 302
    _register(world["far_user"], world["line"], "송파만의고객")
    mine = client.get("/dealer/deals/").content.decode()
    assert "한빛상사" in mine and "송파만의고객" not in mine
    assert tenant_client(_tenant(), world["near_user"]).get("/hq/deals/").status_code == 403
    other = Deal.objects.get(customer_name="송파만의고객")
    hq_page = tenant_client(_tenant(), world["hq_user"]).post(f"/hq/deals/{other.pk}/review/",
                                                              {"decision": "approve"})
    assert hq_page.status_code == 302
    assert client.post(f"/hq/deals/{other.pk}/review/", {"decision": "approve"}).status_code == 403


def test_distributors_register_deals_and_see_only_their_own(acme):
    net = factories.network(prefix="D-")
    line = net.aircon
    seoul = tenant_client(acme, net.seoul_admin)
    response = seoul.post("/distributor/deals/", {"customer_name": "서울유통고객", "product_line": line.pk,
                                                  "value": "100",
                                                  "expected_close": (timezone.localdate()
                                                                     + dt.timedelta(5)).isoformat()})
    assert response.status_code == 302
    assert Deal.objects.get(customer_name="서울유통고객").partner == net.seoul_distributor
    assert "서울유통고객" in seoul.get("/distributor/deals/").content.decode()
    assert "서울유통고객" not in tenant_client(acme, net.busan_admin).get("/distributor/deals/").content.decode()
    assert "서울유통고객" not in tenant_client(acme, net.dealer_a_user).get("/dealer/deals/").content.decode()


def test_the_review_page_checks_conflicts_in_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    line, client = world["line"], tenant_client(_tenant(), world["hq_user"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/hq/deals/").status_code == 200
        return len(captured)

    for i in range(2):
        _register(world["near_user"], line, f"한빛전자{i}")
    two = queries()
    for i in range(2, 8):
        _register(world["far_user"], line, f"한빛전자{i}")
    page = client.get("/hq/deals/").content.decode()
    assert queries() == two
    assert page.count('data-testid="conflicts"') == 8  # each similar name in the district conflicts with the rest
