"""Routing rules HQ can tune: each filter and weight, the deterministic tie-break, decisions you can read, and
versions (draft, publish, audit)."""

import datetime as dt

import pytest
from django.utils import timezone

from orders.choices import DeclineReason, OfferStatus, RuleStatus
from orders.models import Offer, RoutingDecision, RoutingRule
from orders.routing import dealer_stats_refresh, rule_in_use, score_candidates, tie_break
from orders.services import (
    offer_decline,
    order_route,
    routing_rule_draft,
    routing_rule_draft_update,
    routing_rule_publish,
)
from partners.choices import OrgKind, PartnerStatus, Role
from prm.core.actor import actor_for
from prm.core.errors import ServiceError
from prm.core.models import AuditEvent
from tests import factories
from tests.conftest import tenant_client

GANGNAM = "서울특별시 강남구 테헤란로 1"
SEOCHO = "서울특별시 서초구 서초대로 1"
BUSAN = "부산광역시 해운대구 센텀중앙로 1"


@pytest.fixture
def hq(acme):
    org = factories.organization(OrgKind.HQ, "HQ")
    user = factories.member(org, Role.HQ_ADMIN)
    return actor_for(user), user


@pytest.fixture
def line(acme):
    return factories.product_line()


def _dealer(name: str, address: str, line, **extra):
    dealer = factories.organization(OrgKind.DEALER, name, address=address, lines=[line] if line else [],
                                    status=extra.pop("status", PartnerStatus.ACTIVE))
    for key, value in extra.items():
        setattr(dealer, key, value)
    if extra:
        dealer.save()
    return dealer


def _order(actor, line, address=GANGNAM):
    return factories.order(actor=actor, customer_name="고객", address=address, product_line=line)


def _rule(**values) -> RoutingRule:
    rule = rule_in_use()
    for name, value in values.items():
        setattr(rule, name, value)
    rule.save()
    return rule


def _ranked(order, rule=None):
    return [c.dealer_id for c in score_candidates(order, rule or rule_in_use())[1]]


# --- filters ---------------------------------------------------------------------------------------------------


def test_only_active_dealers_authorised_for_the_product_line_are_eligible(hq, line):
    actor, _ = hq
    ok = _dealer("정상", GANGNAM, line)
    _dealer("정지", GANGNAM, line, status=PartnerStatus.SUSPENDED)
    _dealer("다른제품", GANGNAM, factories.product_line("tv", "TV"))
    order = _order(actor, line)
    assert _ranked(order) == [ok.pk]
    # a rule that does not require the product line lets the TV dealer in too
    assert len(_ranked(order, _rule(require_product_line=False))) == 2


def test_a_required_capability_filters_dealers(hq, line):
    actor, _ = hq
    installer = _dealer("설치", SEOCHO, line, capabilities=["installation"])
    _dealer("판매만", GANGNAM, line)
    order = _order(actor, line)
    assert len(_ranked(order)) == 2
    assert _ranked(order, _rule(required_capability="installation")) == [installer.pk]


def test_maximum_distance_and_open_offers_filter_dealers(hq, line):
    actor, _ = hq
    near = _dealer("강남", GANGNAM, line)
    far = _dealer("부산", BUSAN, line)
    order = _order(actor, line)
    assert set(_ranked(order)) == {near.pk, far.pk}
    assert _ranked(order, _rule(max_distance_km=50)) == [near.pk]
    # a dealer with as many waiting offers as the rule allows gets no more
    busy = _order(actor, line)
    Offer.objects.filter(order=busy).delete()
    Offer.objects.create(order=busy, dealer=near)
    assert _ranked(order, _rule(max_distance_km=None, max_open_offers=1)) == [far.pk]


# --- weights ---------------------------------------------------------------------------------------------------


def test_distance_weight_prefers_the_nearer_dealer(hq, line):
    actor, _ = hq
    near = _dealer("강남", GANGNAM, line)
    far = _dealer("부산", BUSAN, line)
    assert _ranked(_order(actor, line)) == [near.pk, far.pk]


def test_tier_weight_lifts_a_higher_tier_over_a_nearer_dealer(hq, line):
    actor, _ = hq
    near = _dealer("서초", SEOCHO, line, tier="Bronze")
    gold = _dealer("강남골드", "서울특별시 송파구 올림픽로 1", line, tier="Gold")
    order = _order(actor, line)
    assert _ranked(order, _rule(w_tier=0))[0] == near.pk
    assert _ranked(order, _rule(w_tier=50))[0] == gold.pk


def test_acceptance_and_response_history_count(hq, line):
    actor, _ = hq
    a = _dealer("강남1", GANGNAM, line)
    b = _dealer("강남2", "서울특별시 강남구 역삼로 2", line)  # the same district: equally near
    # a declined four offers, b accepted four
    for dealer, accept in ((a, False), (b, True)):
        for _ in range(4):
            past = _order(actor, line)
            Offer.objects.filter(order=past).delete()
            offer = Offer.objects.create(order=past, dealer=dealer, status=OfferStatus.DECLINED if not accept
                                         else OfferStatus.ACCEPTED, responded_at=timezone.now())
            Offer.objects.filter(pk=offer.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    order = _order(actor, line)
    Offer.objects.filter(order=order).delete()
    dealer_stats_refresh()  # what beat does hourly (answers made through the services refresh at once)
    eligible, ranked = score_candidates(order, _rule(w_acceptance=10, w_response=0))
    assert [c.dealer_id for c in ranked] == [b.pk, a.pk]
    assert ranked[0].acceptance == pytest.approx(5 / 6, abs=0.001) and ranked[1].acceptance == pytest.approx(1 / 6,
                                                                                                             abs=0.001)
    assert ranked[0].response_hours == pytest.approx(1.0, abs=0.05)
    # with the acceptance weight off, a's and b's scores are equal again
    _eligible, flat = score_candidates(order, _rule(w_acceptance=0, w_response=0))
    assert flat[0].score == flat[1].score


def test_load_weight_spreads_orders_over_equally_near_dealers(hq, line):
    actor, _ = hq
    dealers = [_dealer(f"강남{i}", f"서울특별시 강남구 {i}", line) for i in range(3)]
    _rule(max_open_offers=10)
    chosen = []
    for _ in range(6):
        order = _order(actor, line)
        chosen.append(order_route(order_id=order.pk).dealer_id)
    assert sorted(chosen.count(d.pk) for d in dealers) == [2, 2, 2]


# --- reproducible, readable decisions ---------------------------------------------------------------------------


def test_equal_scores_are_ordered_by_a_recorded_hash_and_the_choice_repeats(hq, line):
    actor, _ = hq
    dealers = [_dealer(f"강남{i}", f"서울특별시 강남구 {i}", line) for i in range(4)]
    order = _order(actor, line)
    Offer.objects.filter(order=order).delete()
    _eligible, ranked = score_candidates(order, rule_in_use())
    assert len({c.score for c in ranked}) == 1  # all equal
    expected = sorted((d.pk for d in dealers), key=lambda pk: tie_break(order.pk, pk))
    assert [c.dealer_id for c in ranked] == expected
    assert [c.tie_break for c in ranked] == sorted(c.tie_break for c in ranked)
    assert [c.dealer_id for c in score_candidates(order, rule_in_use())[1]] == expected


def test_each_decision_is_stored_with_its_rule_version_and_score_components(acme, hq, line):
    actor, user = hq
    near = _dealer("강남", GANGNAM, line)
    far = _dealer("부산", BUSAN, line)
    near_user = factories.member(near, Role.DEALER_ADMIN)
    order = _order(actor, line)
    order_route(order_id=order.pk)
    decision = RoutingDecision.objects.get(order=order)
    assert decision.rule == rule_in_use() and decision.chosen_id == near.pk and decision.eligible == 2
    first, second = decision.candidates
    assert first["dealer_id"] == near.pk and second["dealer_id"] == far.pk
    assert sum(first["components"].values()) == pytest.approx(first["score"], abs=0.01)
    assert set(first["components"]) == {"distance", "tier", "acceptance", "win", "response", "load", "protected"}
    # HQ reads why; the dealer sees its own offer and nothing of the runner-up
    page = tenant_client(acme, user).get(f"/hq/orders/{order.pk}/").content.decode()
    assert 'data-testid="decision"' in page and "부산" in page and f"rule v{decision.rule.version}" in page
    offer = Offer.objects.get(order=order)
    dealer_page = tenant_client(acme, near_user).get(f"/dealer/offers/{offer.pk}/").content.decode()
    assert "부산" not in dealer_page and "Why this dealer" not in dealer_page
    # the cascade after a decline is a second decision, made without the dealer that declined
    offer_decline(actor=actor_for(near_user), offer=offer, reason=DeclineReason.TOO_FAR)
    order_route(order_id=order.pk)
    second_round = RoutingDecision.objects.get(order=order, round=2)
    assert second_round.chosen_id == far.pk and [c["dealer_id"] for c in second_round.candidates] == [far.pk]


def test_a_run_of_orders_from_different_places_each_gets_its_own_nearest_dealer(hq, line):
    actor, _ = hq
    places = {"서울특별시 강남구 테헤란로 1": "강남", "부산광역시 해운대구 센텀중앙로 1": "해운대",
              "대전광역시 유성구 대학로 1": "유성", "광주광역시 서구 상무대로 1": "광주서구"}
    dealers = {name: _dealer(name, address, line) for address, name in places.items()}
    orders = [(_order(actor, line, address), name) for address, name in places.items()]
    for order, name in orders:
        order_route(order_id=order.pk)
        assert Offer.objects.get(order=order).dealer_id == dealers[name].pk, name


# --- versions ------------------------------------------------------------------------------------------------


def test_hq_drafts_publishes_and_the_next_order_follows_the_new_version(acme, hq, line):
    actor, user = hq
    near = _dealer("서초", SEOCHO, line, tier="Bronze")
    gold = _dealer("노원골드", "서울특별시 노원구 동일로 1", line, tier="Gold")  # about 17 km away
    client = tenant_client(acme, user)
    first = _order(actor, line, SEOCHO)
    order_route(order_id=first.pk)
    assert Offer.objects.get(order=first).dealer_id == near.pk
    v1 = rule_in_use()

    assert client.post("/hq/routing/", {"action": "draft"}).status_code == 302
    draft = RoutingRule.objects.get(status=RuleStatus.DRAFT)
    assert draft.version == v1.version + 1 and draft.w_tier == v1.w_tier
    form = {name: getattr(draft, name) for name in RoutingRule.SETTINGS}
    form.update({"w_tier": "60", "note": "티어 우대", "max_distance_km": "", "action": "save",
                 "require_product_line": "on", "required_capability": ""})
    bad = client.post("/hq/routing/", {**form, "w_tier": "-5"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    assert client.post("/hq/routing/", form).status_code == 302
    draft.refresh_from_db()
    assert draft.w_tier == 60 and rule_in_use() == v1  # saved, not yet in use
    second = _order(actor, line, SEOCHO)
    order_route(order_id=second.pk)
    assert Offer.objects.get(order=second).dealer_id == near.pk

    assert client.post("/hq/routing/", {"action": "publish"}).status_code == 302
    v1.refresh_from_db()
    assert v1.status == RuleStatus.RETIRED and rule_in_use().version == draft.version
    event = AuditEvent.objects.filter(action="routing_rule.publish").latest("pk")
    assert event.data["changes"] == {"w_tier": [v1.w_tier, 60.0]}
    third = _order(actor, line, SEOCHO)
    order_route(order_id=third.pk)
    assert Offer.objects.get(order=third).dealer_id == gold.pk
    assert RoutingDecision.objects.get(order=third).rule.version == draft.version
    # a published version is never edited
    with pytest.raises(ServiceError):
        routing_rule_draft_update(actor=actor, draft=rule_in_use(), w_tier=1)


def test_only_hq_manages_rules(acme, hq, line):
    net = factories.network(prefix="R-")
    assert tenant_client(acme, net.seoul_admin).get("/hq/routing/").status_code == 403
    assert tenant_client(acme, net.dealer_a_user).post("/hq/routing/", {"action": "draft"}).status_code == 403
    assert not RoutingRule.objects.filter(status=RuleStatus.DRAFT).exists()
    actor, _ = hq
    draft = routing_rule_draft(actor=actor)
    assert routing_rule_draft(actor=actor) == draft  # one draft at a time
    routing_rule_publish(actor=actor, draft=draft)
    with pytest.raises(ServiceError):
        routing_rule_publish(actor=actor, draft=draft)


def test_simulation_replays_recent_orders_under_the_draft_and_counts_the_shares(acme, hq, line):
    actor, user = hq
    near = _dealer("서초", SEOCHO, line, tier="Bronze")
    gold = _dealer("노원골드", "서울특별시 노원구 동일로 1", line, tier="Gold")
    for _ in range(5):
        order = _order(actor, line, SEOCHO)
        order_route(order_id=order.pk)
        # answered, so no waiting load is left behind to tip the next order
        Offer.objects.filter(order=order).update(status=OfferStatus.ACCEPTED)
    draft = routing_rule_draft(actor=actor)
    routing_rule_draft_update(actor=actor, draft=draft, w_tier=60)
    from orders.routing import simulate

    result = simulate(rule_in_use(), RoutingRule.objects.get(pk=draft.pk), last=5)
    assert (result.orders, result.changed) == (5, 5)
    shares = {s.label: (s.current, s.draft) for s in result.by_dealer}
    assert shares == {near.name: (5, 0), gold.name: (0, 5)}
    assert {s.label: (s.current, s.draft) for s in result.by_tier} == {"Bronze": (5, 0), "Gold": (0, 5)}
    assert {s.label: (s.current, s.draft) for s in result.by_region} == {"서울특별시": (5, 5)}
    assert Offer.objects.count() == 5 and RoutingDecision.objects.count() == 5  # nothing written
    page = tenant_client(acme, user).get("/hq/routing/?simulate=1&last=5").content.decode()
    assert 'data-testid="simulation"' in page and "노원골드" in page
    assert tenant_client(acme, user).get("/hq/routing/?simulate=1&last=x").status_code == 200
