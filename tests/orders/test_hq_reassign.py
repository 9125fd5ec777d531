"""HQ control: manual reassignment with a reason (audited), and re-routing a suspended dealer's waiting orders."""

import pytest

from orders.choices import OfferStatus, OrderStatus
from orders.models import CustomerOrder, Offer, RoutingDecision
from orders.services import order_route
from partners.choices import PartnerStatus
from prm.core.models import AuditEvent
from tests import factories
from tests.conftest import tenant_client

SEOCHO = "서울특별시 서초구 반포대로 58"


@pytest.fixture
def routed(acme):
    net = factories.network()
    order = factories.order(actor=net.actor(net.hq_admin), customer_name="재배정고객", address=SEOCHO,
                            product_line=net.aircon)
    order_route(order_id=order.pk)
    return net, order


def test_hq_reassigns_an_order_with_a_reason_and_it_is_audited(acme, routed):
    net, order = routed
    first = Offer.objects.get(order=order)
    assert first.dealer_id == net.dealer_a.pk
    client = tenant_client(acme, net.hq_admin)
    assert 'data-testid="reassign-form"' in client.get(f"/hq/orders/{order.pk}/").content.decode()
    # a reason is required, and nothing changes without one
    client.post(f"/hq/orders/{order.pk}/reassign/", {"dealer": net.dealer_c.pk, "reason": ""})
    assert Offer.objects.filter(order=order).count() == 1
    response = client.post(f"/hq/orders/{order.pk}/reassign/", {"dealer": net.dealer_c.pk,
                                                               "reason": "고객이 대전 매장을 원함"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == OfferStatus.WITHDRAWN
    new = Offer.objects.get(order=order, status=OfferStatus.PENDING)
    assert new.dealer_id == net.dealer_c.pk and new.expires_at is not None
    order.refresh_from_db()
    assert order.status == OrderStatus.OFFERED and order.dealer_id == net.dealer_c.pk
    event = AuditEvent.objects.get(action="order.reassign")
    assert event.data["reason"] == "고객이 대전 매장을 원함" and event.data["withdrawn_from"] == net.dealer_a.pk
    assert RoutingDecision.objects.filter(order=order, chosen=net.dealer_c).exists()
    # the dealer that already had it can't be given it again; a distributor can't reassign at all
    again = client.post(f"/hq/orders/{order.pk}/reassign/", {"dealer": net.dealer_a.pk, "reason": "다시"})
    assert again.status_code == 302 and Offer.objects.filter(order=order).count() == 2
    assert tenant_client(acme, net.seoul_admin).post(f"/hq/orders/{order.pk}/reassign/",
                                                     {"dealer": net.dealer_b.pk, "reason": "x"}).status_code == 403


def test_a_suspended_dealers_waiting_orders_go_to_the_next_best_dealer(acme, routed):
    net, order = routed
    other = factories.order(actor=net.actor(net.hq_admin), customer_name="둘째고객", address=SEOCHO,
                            product_line=net.aircon)
    order_route(order_id=other.pk)
    assert Offer.objects.filter(dealer=net.dealer_a, status=OfferStatus.PENDING).count() == 2
    net.dealer_a.status = PartnerStatus.SUSPENDED
    net.dealer_a.save()
    client = tenant_client(acme, net.hq_admin)
    page = client.get(f"/hq/partners/{net.dealer_a.pk}/").content.decode()
    assert 'data-testid="reroute-form"' in page
    assert client.post(f"/hq/partners/{net.dealer_a.pk}/reroute-offers/", {"reason": "계약 위반으로 정지"}
                       ).status_code == 302
    assert not Offer.objects.filter(dealer=net.dealer_a, status=OfferStatus.PENDING).exists()
    for pk in (order.pk, other.pk):
        assert CustomerOrder.objects.get(pk=pk).status == OrderStatus.RECEIVED
        order_route(order_id=pk)  # what the queued task does
        assert Offer.objects.get(order_id=pk, status=OfferStatus.PENDING).dealer_id != net.dealer_a.pk
    assert AuditEvent.objects.filter(action="dealer.offers_reroute").exists()
    # only HQ may do it, and only for a dealer
    assert tenant_client(acme, net.seoul_admin).post(f"/hq/partners/{net.dealer_a.pk}/reroute-offers/",
                                                     {"reason": "x"}).status_code == 403
    assert client.post(f"/hq/partners/{net.seoul_distributor.pk}/reroute-offers/", {"reason": "x"}
                       ).status_code == 404


def test_the_fairness_report_shows_offer_share_against_dealer_share(acme, routed):
    import datetime as dt

    from django.utils import timezone

    from orders.selectors import routing_fairness

    net, _order = routed
    net.dealer_a.tier = "Gold"
    net.dealer_a.save()
    report = routing_fairness(since=timezone.now() - dt.timedelta(days=1), until=timezone.now())
    tiers = {g["label"]: g for g in report["by_tier"]}
    assert tiers["Gold"]["offers"] == 1 and tiers["Gold"]["offer_share"] == 100.0
    assert tiers["—"]["dealers"] == 2 and tiers["—"]["offers"] == 0
    assert {d["name"] for d in report["without_offers"]} == {net.dealer_b.name, net.dealer_c.name}
    page = tenant_client(acme, net.hq_admin).get("/hq/fairness/?days=7").content.decode()
    assert 'data-testid="fairness-table"' in page and net.dealer_b.name in page
    assert tenant_client(acme, net.hq_admin).get("/hq/fairness/?days=abc").status_code == 200
    assert tenant_client(acme, net.dealer_a_user).get("/hq/fairness/").status_code == 403
