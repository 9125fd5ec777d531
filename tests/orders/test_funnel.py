"""After acceptance: the dealer moves the order on (contacted, quoted, won with value, lost with reason); HQ sees
the funnel per dealer and region; orders without an update are flagged once to HQ and the dealer."""

import datetime as dt

import pytest
from django.utils import timezone

from orders.choices import OrderStage
from orders.models import CustomerOrder, Offer
from orders.services import offer_accept, order_progress, order_route, orders_flag_stale
from prm.core.errors import ServiceError
from prm.core.models import Notification
from tests import factories
from tests.conftest import tenant_client


@pytest.fixture
def accepted(acme):
    net = factories.network()
    order = factories.order(actor=net.actor(net.hq_admin), customer_name="퍼널고객",
                            address="서울특별시 서초구 반포대로 58", product_line=net.aircon)
    order_route(order_id=order.pk)
    offer = Offer.objects.get(order=order)
    offer_accept(actor=net.actor(net.dealer_a_user), offer=offer)
    order.refresh_from_db()
    return net, order, offer


def test_the_dealer_moves_the_order_forward_to_won_with_its_value(acme, accepted):
    net, order, offer = accepted
    assert order.stage == OrderStage.ACCEPTED
    client = tenant_client(acme, net.dealer_a_user)
    page = client.get(f"/dealer/offers/{offer.pk}/").content.decode()
    assert 'data-testid="save-progress"' in page
    url = f"/dealer/offers/{offer.pk}/progress/"
    assert client.post(url, {"stage": "contacted"}).status_code == 302
    assert client.post(url, {"stage": "quoted", "note": "견적 3종"}).status_code == 302
    # won needs a value; the refusal says so and changes nothing
    client.post(f"/dealer/offers/{offer.pk}/progress/", {"stage": "won"})
    order.refresh_from_db()
    assert order.stage == OrderStage.QUOTED
    client.post(f"/dealer/offers/{offer.pk}/progress/", {"stage": "won", "won_value": "4500000"})
    order.refresh_from_db()
    assert (order.stage, order.won_value) == (OrderStage.WON, 4_500_000)
    kinds = [e.kind for e in order.events.all()]
    assert kinds[-3:] == ["contacted", "quoted", "won"]
    # closed: no more steps, and none backwards
    with pytest.raises(ServiceError):
        order_progress(actor=net.actor(net.dealer_a_user), order=order, stage="lost", lost_reason="price")
    assert 'data-testid="save-progress"' not in client.get(f"/dealer/offers/{offer.pk}/").content.decode()


def test_stages_only_go_forward_lost_needs_a_reason_and_only_the_accepting_dealer_moves_it(acme, accepted):
    from django.core.exceptions import ValidationError

    net, order, offer = accepted
    dealer = net.actor(net.dealer_a_user)
    order_progress(actor=dealer, order=order, stage="quoted")
    with pytest.raises(ServiceError):
        order_progress(actor=dealer, order=order, stage="contacted")
    with pytest.raises(ValidationError):
        order_progress(actor=dealer, order=order, stage="lost")
    with pytest.raises(ServiceError):
        order_progress(actor=net.actor(net.dealer_b_user), order=order, stage="won", won_value=1)
    assert tenant_client(acme, net.dealer_b_user).post(f"/dealer/offers/{offer.pk}/progress/",
                                                       {"stage": "won", "won_value": "1"}).status_code == 404
    order_progress(actor=dealer, order=order, stage="lost", lost_reason="competitor")
    order.refresh_from_db()
    assert (order.stage, order.lost_reason) == ("lost", "competitor")


def test_hq_sees_the_funnel_per_dealer_and_region_and_stale_orders_are_flagged_once(acme, accepted):
    net, order, _offer = accepted
    order_progress(actor=net.actor(net.dealer_a_user), order=order, stage="contacted")
    page = tenant_client(acme, net.hq_admin).get("/hq/funnel/").content.decode()
    assert 'data-testid="funnel"' in page and net.dealer_a.name in page and "서울특별시 서초구" in page
    assert tenant_client(acme, net.dealer_a_user).get("/hq/funnel/").status_code == 403
    # nothing is stale yet
    assert orders_flag_stale(days=7) == 0
    CustomerOrder.objects.filter(pk=order.pk).update(stage_changed_at=timezone.now() - dt.timedelta(days=8))
    assert orders_flag_stale(days=7) == 1
    assert Notification.objects.filter(user=net.dealer_a_user, kind="order.stale").count() == 1
    assert Notification.objects.filter(user=net.hq_admin, kind="order.stale.hq").count() == 1
    assert orders_flag_stale(days=7) == 0  # once per quiet spell
    stale_page = tenant_client(acme, net.hq_admin).get("/hq/funnel/").content.decode()
    assert order.number in stale_page


def test_stale_orders_are_flagged_in_a_fixed_number_of_queries(acme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from orders.choices import OrderStatus
    from partners.choices import OrgKind, Role

    line = factories.product_line()
    factories.member(factories.organization(OrgKind.HQ, "HQ"), Role.HQ_ADMIN)
    old = timezone.now() - dt.timedelta(days=10)

    def stale_orders(count: int) -> None:
        for i in range(count):
            dealer = factories.organization(OrgKind.DEALER, f"조용한{count}-{i}", address="서울특별시 서초구 1",
                                            lines=[line])
            factories.member(dealer, Role.DEALER_ADMIN)
            CustomerOrder.objects.create(number=f"S{count}-{i}", customer_name="고객", address="서울", dealer=dealer,
                                         product_line=line, status=OrderStatus.ACCEPTED, stage=OrderStage.ACCEPTED,
                                         stage_changed_at=old)

    def flag() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            flagged = orders_flag_stale(days=7)
        return flagged, len(captured)

    stale_orders(2)
    flagged, two = flag()
    assert flagged == 2
    stale_orders(7)
    flagged, seven = flag()
    assert flagged == 7 and seven == two
    assert Notification.objects.filter(kind="order.stale").count() == 9
