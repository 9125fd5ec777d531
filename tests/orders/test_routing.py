"""Routing by the real Celery worker: nearest eligible dealer, decline cascades, none left is unroutable."""

import pytest
from django.db import connection

from orders.choices import DeclineReason, OfferStatus, OrderStatus
from orders.models import CustomerOrder, Offer
from orders.services import offer_accept, offer_decline
from partners.choices import OrgKind, PartnerStatus
from prm.core.tasks import PublicSchemaTaskError
from tests import factories
from tests.conftest import wait_for

pytestmark = pytest.mark.worker


def _status(order_id: int, expected: str) -> CustomerOrder | None:
    order = CustomerOrder.objects.get(pk=order_id)
    return order if order.status == expected else None


def _offer_to(order_id: int, dealer_id: int) -> Offer | None:
    return Offer.objects.filter(order_id=order_id, dealer_id=dealer_id, status=OfferStatus.PENDING).first()


def test_order_from_hq_goes_to_the_nearest_eligible_dealer_then_cascades_on_decline(live_tenant, celery_worker):
    # given dealers in Gangnam, Busan and Daejeon, plus a nearer dealer that is suspended and one not authorised
    net = factories.network()
    factories.organization(OrgKind.DEALER, "서초 정지딜러", address="서울특별시 서초구 서초대로 1",
                           lines=[net.aircon], status=PartnerStatus.SUSPENDED)
    factories.organization(OrgKind.DEALER, "서초 TV전문", address="서울특별시 서초구 서초대로 2",
                           lines=[factories.product_line("tv", "TV")])
    hq = net.actor(net.hq_admin)

    # when HQ enters an order in Seoul's Seocho district
    order = factories.order(actor=hq, customer_name="김고객", address="서울특별시 서초구 반포대로 58",
                         product_line=net.aircon, quantity=2)

    # then the worker offers it to dealer_a (Gangnam, next door), not the suspended or unauthorised ones
    offer_a = wait_for(lambda: _offer_to(order.pk, net.dealer_a.pk))
    assert CustomerOrder.objects.get(pk=order.pk).status == OrderStatus.OFFERED
    assert offer_a.rank == 1 and offer_a.distance_km < 10

    # when dealer_a declines, the worker offers it to the next nearest: dealer_c in Daejeon
    offer_decline(actor=net.actor(net.dealer_a_user), offer=offer_a, reason=DeclineReason.NO_CAPACITY)
    offer_c = wait_for(lambda: _offer_to(order.pk, net.dealer_c.pk))
    assert offer_c.rank == 2

    # and when dealer_c accepts, the order is accepted by dealer_c and the timeline tells the whole story
    offer_accept(actor=net.actor(net.dealer_c_user), offer=offer_c)
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED and order.dealer_id == net.dealer_c.pk
    kinds = [(e.kind, e.dealer_id) for e in order.events.all()]
    assert kinds == [("received", None), ("offered", net.dealer_a.pk), ("declined", net.dealer_a.pk),
                     ("offered", net.dealer_c.pk), ("accepted", net.dealer_c.pk)]


def test_when_every_dealer_declines_the_order_is_unroutable_with_a_reason(live_tenant, celery_worker):
    net = factories.network()
    order = factories.order(actor=net.actor(net.hq_admin), customer_name="박고객",
                         address="부산광역시 해운대구 센텀중앙로 1", product_line=net.aircon)
    expected_sequence = [(net.dealer_b, net.dealer_b_user), (net.dealer_c, net.dealer_c_user),
                         (net.dealer_a, net.dealer_a_user)]  # Busan, then Daejeon, then Seoul
    for dealer, user in expected_sequence:
        offer = wait_for(lambda dealer=dealer: _offer_to(order.pk, dealer.pk))
        offer_decline(actor=net.actor(user), offer=offer, reason=DeclineReason.TOO_FAR)
    order = wait_for(lambda: _status(order.pk, OrderStatus.UNROUTABLE))
    assert order.dealer_id is None
    assert order.unroutable_reason == "Every eligible dealer declined."
    assert order.events.last().kind == "unroutable"


def test_order_with_no_authorised_dealer_is_unroutable(live_tenant, celery_worker):
    net = factories.network()
    tv = factories.product_line("tv", "TV")
    order = factories.order(actor=net.actor(net.hq_admin), customer_name="이고객",
                         address="대구광역시 수성구 달구벌대로 1", product_line=tv)
    order = wait_for(lambda: _status(order.pk, OrderStatus.UNROUTABLE))
    assert order.unroutable_reason == "No active dealer is authorised for this product line."
    assert not order.offers.exists()


def test_routing_task_runs_in_the_schema_it_was_queued_from(tenant_factory, celery_worker):
    # given two live tenants whose orders share a number (each schema has its own sequence)
    first = tenant_factory()
    net1 = factories.network()
    order1 = factories.order(actor=net1.actor(net1.hq_admin), customer_name="A", address="서울특별시 강남구 1",
                          product_line=net1.aircon)
    second = tenant_factory()
    net2 = factories.network()
    order2 = factories.order(actor=net2.actor(net2.hq_admin), customer_name="B", address="부산광역시 해운대구 1",
                          product_line=net2.aircon)
    assert order1.number == order2.number
    # then each is routed inside its own tenant, to its own dealers
    wait_for(lambda: _offer_to(order2.pk, net2.dealer_b.pk))
    connection.set_tenant(first)
    wait_for(lambda: _offer_to(order1.pk, net1.dealer_a.pk))
    assert not Offer.objects.filter(dealer_id=net2.dealer_b.pk, order__customer_name="B").exists()
    connection.set_tenant(second)


def test_a_tenant_task_queued_from_the_public_schema_fails_loudly(db):
    from orders.tasks import order_route_task

    connection.set_schema_to_public()
    with pytest.raises(PublicSchemaTaskError):
        order_route_task.delay(1)
    with pytest.raises(PublicSchemaTaskError):
        order_route_task.apply(args=(1,))


def test_equally_near_dealers_share_the_orders_and_the_choice_is_reproducible(acme):
    from orders.services import order_candidates, order_route

    # given four dealers in the same district (the same centroid: equally near)
    line = factories.product_line()
    hq = factories.organization(OrgKind.HQ, "HQ")
    hq_admin = factories.member(hq, "hq_admin")
    from prm.core.actor import actor_for

    actor = actor_for(hq_admin)
    dealers = [factories.organization(OrgKind.DEALER, f"강남{i}", address=f"서울특별시 강남구 {i}", lines=[line])
               for i in range(4)]
    # when twelve orders from that district are routed
    chosen = []
    for i in range(12):
        order = factories.order(actor=actor, customer_name=f"고객{i}", address="서울특별시 강남구 1", product_line=line)
        first = order_candidates(order)[0].dealer_id
        assert order_candidates(order)[0].dealer_id == first  # same inputs, same choice
        order_route(order_id=order.pk)
        chosen.append(Offer.objects.get(order=order).dealer_id)
    # then every dealer gets its share (the one with fewer waiting orders goes first)
    assert sorted(chosen.count(d.pk) for d in dealers) == [3, 3, 3, 3]


def test_an_offer_not_answered_in_time_moves_to_the_next_dealer(live_tenant, celery_worker):
    from orders.models import RoutingRule
    from orders.routing import rule_in_use

    # given a rule whose deadline is about two seconds (set directly: the form's minimum is 15 minutes)
    net = factories.network()
    RoutingRule.objects.filter(pk=rule_in_use().pk).update(sla_hours=0.0006)
    order = factories.order(actor=net.actor(net.hq_admin), customer_name="최고객",
                            address="서울특별시 서초구 반포대로 58", product_line=net.aircon)
    first = wait_for(lambda: _offer_to(order.pk, net.dealer_a.pk))
    assert first.expires_at is not None
    # when dealer_a lets it pass, the worker's timer expires the offer and offers the order to dealer_c
    second = wait_for(lambda: _offer_to(order.pk, net.dealer_c.pk), timeout=30)
    first.refresh_from_db()
    assert first.status == OfferStatus.EXPIRED and second.rank == 2
    kinds = [e.kind for e in CustomerOrder.objects.get(pk=order.pk).events.all()]
    assert kinds[:4] == ["received", "offered", "expired", "offered"]


def test_beat_sweep_expires_an_overdue_offer_whose_timer_was_lost(acme):
    import datetime as dt

    from django.utils import timezone

    from orders.services import order_route
    from orders.tasks import sweep_overdue_offers

    net = factories.network()
    order = factories.order(actor=net.actor(net.hq_admin), customer_name="윤고객",
                            address="서울특별시 서초구 반포대로 58", product_line=net.aircon)
    order_route(order_id=order.pk)
    offer = Offer.objects.get(order=order)
    # not yet due: the sweep leaves it alone
    assert sweep_overdue_offers() == 0
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert sweep_overdue_offers() == 1
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert CustomerOrder.objects.get(pk=order.pk).status == OrderStatus.RECEIVED
    connection.set_tenant(acme)
    assert sweep_overdue_offers() == 0  # idempotent


def test_concurrent_routing_never_offers_an_order_twice_or_a_dealer_past_its_capacity(live_tenant, celery_worker):
    from orders.models import RoutingDecision, RoutingRule
    from orders.routing import rule_in_use
    from orders.services import AT_CAPACITY

    # given three equally near dealers that may each hold one waiting offer, and two worker processes
    from prm.core.actor import actor_for

    line = factories.product_line()
    hq = actor_for(factories.member(factories.organization(OrgKind.HQ, "HQ"), "hq_admin"))
    dealers = [factories.organization(OrgKind.DEALER, f"강남{i}", address=f"서울특별시 강남구 {i}", lines=[line])
               for i in range(3)]
    RoutingRule.objects.filter(pk=rule_in_use().pk).update(max_open_offers=1)
    # when twelve orders arrive at once
    orders = [factories.order(actor=hq, customer_name=f"동시{i}", address="서울특별시 강남구 1", product_line=line)
              for i in range(12)]
    ids = [o.pk for o in orders]

    def settled():
        offered = Offer.objects.filter(order_id__in=ids).count()
        waiting = RoutingDecision.objects.filter(order_id__in=ids, reason=AT_CAPACITY).values("order_id").distinct()
        return offered == 3 and waiting.count() == 9

    wait_for(settled, timeout=60)
    # then each dealer holds exactly one waiting offer, no order was offered twice, and the rest wait
    per_dealer = sorted(Offer.objects.filter(order_id__in=ids, status=OfferStatus.PENDING,
                                             dealer__in=dealers).values_list("dealer_id", flat=True))
    assert per_dealer == sorted(d.pk for d in dealers)
    assert all(Offer.objects.filter(order_id=pk).count() <= 1 for pk in ids)
    assert CustomerOrder.objects.filter(pk__in=ids, status=OrderStatus.RECEIVED).count() == 9
    assert not CustomerOrder.objects.filter(pk__in=ids, status=OrderStatus.UNROUTABLE).exists()


def test_a_new_offer_notifies_the_dealer_and_its_distributor_in_the_portal_and_by_e_mail(live_tenant, celery_worker):
    from prm.core.models import Notification
    from tests.conftest import tenant_client

    net = factories.network()
    net.dealer_a_user.language = "ko"
    net.dealer_a_user.save(update_fields=["language"])
    order = factories.order(actor=net.actor(net.hq_admin), customer_name="알림고객",
                            address="서울특별시 서초구 반포대로 58", product_line=net.aircon)
    offer = wait_for(lambda: _offer_to(order.pk, net.dealer_a.pk))
    # the dealer's admin and the Seoul distributor's admin are told (HQ and other dealers are not)
    dealer_note = wait_for(lambda: Notification.objects.filter(user=net.dealer_a_user, kind="offer.new").first())
    assert dealer_note.url == f"/dealer/offers/{offer.pk}/"
    assert Notification.objects.filter(user=net.seoul_admin, kind="offer.new.distributor").exists()
    assert not Notification.objects.filter(user__in=[net.hq_admin, net.dealer_b_user, net.busan_admin]).exists()
    # the worker e-mails each one once
    assert wait_for(lambda: Notification.objects.filter(user=net.dealer_a_user, emailed_at__isnull=False).exists())
    # in the portal: a count in the header, the list, and reading it clears the count
    client = tenant_client(live_tenant, net.dealer_a_user)
    home = client.get("/dealer/").content.decode()
    assert 'data-testid="unread">1<' in home
    page = client.get("/notifications/").content.decode()
    assert f"새 고객 주문 {order.number}" in page
    assert 'data-testid="unread"' not in client.get("/dealer/").content.decode()
    # another dealer's list never shows it
    assert order.number not in tenant_client(live_tenant, net.dealer_b_user).get("/notifications/").content.decode()
