"""Routing in batches from the inbox: each order in a batch gets its own best dealer, capacity holds inside a batch,
only orders asking to be routed are taken, the SQL scoring agrees with the Python tie-break and components, and
the history routing scores is kept current by the services."""

import pytest
from django.db import connection
from django.utils import timezone

from orders.choices import DeclineReason, OfferStatus, OrderStage, OrderStatus
from orders.models import CustomerOrder, DealerRoutingStats, Offer, RoutingDecision, RoutingRule
from orders.routing import dealer_stats_refresh, rule_in_use, score_candidates, tie_break
from orders.services import (
    AT_CAPACITY,
    offer_accept,
    offer_decline,
    order_progress,
    order_reassign,
    order_route,
    orders_route,
)
from partners.choices import OrgKind, Role
from prm.core.actor import actor_for
from tests import factories

GANGNAM = "서울특별시 강남구 테헤란로 1"
PLACES = {"서울특별시 강남구 테헤란로 1": "강남", "부산광역시 해운대구 센텀중앙로 1": "해운대",
          "대전광역시 유성구 대학로 1": "유성", "광주광역시 서구 상무대로 1": "광주서구",
          "제주특별자치도 제주시 중앙로 1": "제주"}


@pytest.fixture
def hq(acme):
    return actor_for(factories.member(factories.organization(OrgKind.HQ, "HQ"), Role.HQ_ADMIN))


@pytest.fixture
def line(acme):
    return factories.product_line()


def _dealer(name, address, line):
    return factories.organization(OrgKind.DEALER, name, address=address, lines=[line])


def _order(hq, line, address=GANGNAM, name="고객"):
    return factories.order(actor=hq, customer_name=name, address=address, product_line=line)


def _rule(**values) -> RoutingRule:
    rule = rule_in_use()
    RoutingRule.objects.filter(pk=rule.pk).update(**values)
    return rule_in_use()


def test_one_batch_of_orders_from_different_places_gives_each_its_own_nearest_dealer(hq, line):
    dealers = {name: _dealer(name, address, line) for address, name in PLACES.items()}
    orders = {name: _order(hq, line, address) for address, name in PLACES.items()}
    result = orders_route(order_ids=[o.pk for o in orders.values()])
    assert result.claimed == 5 and result.offered == 5 and not result.deferred
    for name, order in orders.items():
        offer = Offer.objects.get(order=order)
        assert offer.dealer_id == dealers[name].pk, name  # not the first order's dealer for everyone
        decision = RoutingDecision.objects.get(order=order)
        assert decision.chosen_id == dealers[name].pk and decision.candidates[0]["dealer_id"] == dealers[name].pk
    assert set(CustomerOrder.objects.filter(pk__in=[o.pk for o in orders.values()])
               .values_list("status", "route_requested_at")) == {(OrderStatus.OFFERED, None)}


def test_the_inbox_gives_only_orders_asking_to_be_routed_oldest_first(hq, line):
    _dealer("강남", GANGNAM, line)
    _rule(max_open_offers=10)
    asked = [_order(hq, line, name=f"요청{i}") for i in range(3)]
    quiet = _order(hq, line, name="요청없음")
    CustomerOrder.objects.filter(pk=quiet.pk).update(route_requested_at=None)
    # a worker with nothing in hand takes from the inbox: the oldest asking first, never the quiet one
    assert orders_route(fill=2).offered == 2
    assert set(Offer.objects.values_list("order_id", flat=True)) == {asked[0].pk, asked[1].pk}
    result = orders_route(fill=10)
    assert result.claimed == 1 and result.offered == 1
    assert Offer.objects.filter(order__in=asked).count() == 3
    assert not Offer.objects.filter(order=quiet).exists()
    assert CustomerOrder.objects.get(pk=quiet.pk).status == OrderStatus.RECEIVED
    # asked for by id, it is routed; asked again (a redelivered message), nothing changes
    assert orders_route(order_ids=[quiet.pk]).offered == 1
    assert orders_route(order_ids=[quiet.pk]).claimed == 0
    assert orders_route(fill=10).claimed == 0
    assert Offer.objects.filter(order=quiet).count() == 1


def test_inside_a_batch_the_load_weight_spreads_orders_and_capacity_holds(hq, line):
    a = _dealer("강남1", GANGNAM, line)
    b = _dealer("강남2", "서울특별시 강남구 역삼로 2", line)
    _rule(max_open_offers=2, w_load=50)
    orders = [_order(hq, line, name=f"일괄{i}") for i in range(5)]
    result = orders_route(order_ids=[o.pk for o in orders])
    # orders made earlier in the batch count as load: two each, and the fifth waits for the next batch
    assert result.offered == 4 and len(result.deferred) == 1
    per_dealer = sorted(Offer.objects.filter(order__in=orders).values_list("dealer_id", flat=True))
    assert per_dealer == sorted([a.pk, a.pk, b.pk, b.pk])
    deferred = CustomerOrder.objects.get(pk=result.deferred[0])
    assert deferred.status == OrderStatus.RECEIVED and deferred.route_requested_at is not None
    assert not RoutingDecision.objects.filter(order=deferred).exists()
    # the next batch reads the pool again: both dealers are full, so the order waits (once recorded)
    again = orders_route(fill=10)
    assert again.claimed == 1 and again.waiting == 1 and again.offered == 0
    deferred.refresh_from_db()
    assert deferred.status == OrderStatus.RECEIVED and deferred.route_requested_at is None  # beat asks again
    assert list(RoutingDecision.objects.filter(order=deferred).values_list("reason", flat=True)) == [AT_CAPACITY]
    # the loads the batch counted are the ones stored with its decisions
    second = RoutingDecision.objects.filter(order__in=orders).order_by("order_id")[1]
    assert second.candidates[0]["open_offers"] == 0 and second.candidates[1]["open_offers"] == 1


def test_the_pool_querys_tie_break_is_the_recorded_hash_at_any_id(hq, line):
    # large ids, as a long-lived tenant has them
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('partners_organization', 'id'), 2100000000)")
        cursor.execute("SELECT setval(pg_get_serial_sequence('orders_customerorder', 'id'), 900000000)")
    dealers = [_dealer(f"동점{i}", GANGNAM, line) for i in range(4)]
    order = _order(hq, line)
    assert order.pk > 900000000 and dealers[0].pk > 2100000000
    _rule(w_distance=0, w_tier=0, w_acceptance=0, w_win=0, w_response=0, w_load=0)
    _eligible, ranked = score_candidates(order, rule_in_use())
    assert [c.tie_break for c in ranked] == [tie_break(order.pk, c.dealer_id) for c in ranked]
    assert [c.dealer_id for c in ranked] == sorted((d.pk for d in dealers), key=lambda pk: tie_break(order.pk, pk))
    route = order_route(order_id=order.pk)
    assert route is not None and route.dealer_id == ranked[0].dealer_id


def test_score_components_add_up_to_the_score_the_database_ranked_by(hq, line):
    near = _dealer("가까운", GANGNAM, line)
    near.tier = "Gold"
    near.save()
    _dealer("부산", "부산광역시 해운대구 센텀중앙로 1", line)
    order = _order(hq, line)
    _eligible, ranked = score_candidates(order, rule_in_use())
    assert [c.dealer_id for c in ranked][0] == near.pk
    for c in ranked:
        assert sum(c.components.values()) == pytest.approx(c.score, abs=0.01)
    assert ranked[0].components["tier"] == 15.0  # Gold is step 3, at 5 points a step


def test_answers_and_outcomes_keep_the_dealers_history_current(hq, line):
    dealer = _dealer("강남", GANGNAM, line)
    person = actor_for(factories.member(dealer, Role.DEALER_ADMIN))
    first, second, third = (_order(hq, line, name=f"이력{i}") for i in range(3))
    for order in (first, second, third):
        order_route(order_id=order.pk)
    offer_accept(actor=person, offer=Offer.objects.get(order=first))
    stats = DealerRoutingStats.objects.get(dealer=dealer)
    assert (stats.answered, stats.accepted, stats.won, stats.closed) == (1, 1, 0, 0)
    offer_decline(actor=person, offer=Offer.objects.get(order=second), reason=DeclineReason.NO_CAPACITY)
    order_progress(actor=person, order=CustomerOrder.objects.get(pk=first.pk), stage=OrderStage.WON,
                   won_value=1_000_000)
    stats.refresh_from_db()
    assert (stats.answered, stats.accepted, stats.won, stats.closed) == (2, 1, 1, 1)
    assert stats.median_hours is not None and stats.median_hours >= 0
    # an offer HQ withdraws (reassigned elsewhere) is not held against the dealer
    other = _dealer("서초", "서울특별시 서초구 서초대로 1", line)
    order_reassign(actor=hq, order=CustomerOrder.objects.get(pk=third.pk), dealer=other, reason="고객 요청")
    assert Offer.objects.get(order=third, dealer=dealer).status == OfferStatus.WITHDRAWN
    dealer_stats_refresh()
    stats.refresh_from_db()
    assert (stats.answered, stats.accepted) == (2, 1)
    _eligible, ranked = score_candidates(_order(hq, line, name="다음"), rule_in_use())
    mine = next(c for c in ranked if c.dealer_id == dealer.pk)
    assert mine.acceptance == pytest.approx(2 / 4, abs=0.001) and mine.win == pytest.approx(2 / 3, abs=0.001)


def test_win_rate_weight_lifts_the_dealer_that_closes_its_orders(hq, line):
    winner = _dealer("강남1", GANGNAM, line)
    loser = _dealer("강남2", "서울특별시 강남구 역삼로 2", line)
    now = timezone.now()
    for dealer, won in ((winner, 3), (loser, 0)):
        DealerRoutingStats.objects.create(dealer=dealer, answered=3, accepted=3, won=won, closed=3,
                                          median_hours=1.0, refreshed_at=now)
    order = _order(hq, line)
    _rule(w_win=0)
    flat = score_candidates(order, rule_in_use())[1]
    assert flat[0].score == pytest.approx(flat[1].score, abs=0.01)
    _rule(w_win=20)
    ranked = score_candidates(order, rule_in_use())[1]
    assert ranked[0].dealer_id == winner.pk and ranked[0].components["win"] == pytest.approx(20 * 4 / 5, abs=0.01)
    assert ranked[1].components["win"] == pytest.approx(20 * 1 / 5, abs=0.01)


def test_beats_hourly_recount_drops_offers_that_left_the_window(acme, hq, line):
    import datetime as dt

    from orders.tasks import refresh_routing_stats

    dealer = _dealer("강남", GANGNAM, line)
    old, recent = _order(hq, line, name="오래된"), _order(hq, line, name="최근")
    for order in (old, recent):
        Offer.objects.create(order=order, dealer=dealer, status=OfferStatus.ACCEPTED, responded_at=timezone.now())
    dealer_stats_refresh([dealer.pk])
    assert DealerRoutingStats.objects.get(dealer=dealer).accepted == 2
    Offer.objects.filter(order=old).update(created_at=timezone.now() - dt.timedelta(days=200))
    assert refresh_routing_stats() >= 1  # every tenant
    connection.set_tenant(acme)
    assert DealerRoutingStats.objects.get(dealer=dealer).accepted == 1
    Offer.objects.filter(order=recent).update(created_at=timezone.now() - dt.timedelta(days=200))
    refresh_routing_stats()
    connection.set_tenant(acme)
    assert not DealerRoutingStats.objects.filter(dealer=dealer).exists()  # nothing left in the window
