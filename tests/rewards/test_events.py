"""What partners do elsewhere counts in rewards: a delivered order, a won customer order and a passed course earn
the tenant's points once each, and queue the partner's tier recomputation; the tier's benefits are what ordering,
credit and routing read, with no other step."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from orders.services import order_progress, order_rate
from partners.models import Organization
from purchasing.services import cart_set, order_confirm, order_place, order_ship, shipment_deliver
from rewards.models import LedgerEntry, PointsRule, TierRun
from rewards.selectors.points import points_balance
from rewards.services.tiers import tiers_run
from tests import factories
from tests.purchasing import shop
from tests.rewards import tiers_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def net(acme: Any) -> factories.Network:
    return factories.network()


def rule(event: str, *, fixed: int = 0, per_10k: int = 0) -> PointsRule:
    return PointsRule.objects.create(event=event, fixed_points=fixed, points_per_10k=per_10k, is_active=True)


def delivered_order(net: factories.Network, amount: str = "250000") -> Any:
    item = shop.product()
    shop.dealer_prices({item: amount})
    shop.stock(net.seoul_distributor, item, 10)
    shop.on_credit(net.dealer_a, 10_000_000)
    buyer, supplier = shop.actor(net.dealer_a_user), shop.actor(net.seoul_admin)
    order = order_place(actor=buyer, cart=cart_set(actor=buyer, supplier=net.seoul_distributor, product=item,
                                                   quantity=2))
    order_confirm(actor=supplier, order=order)
    order_ship(actor=supplier, order=order, quantities={line.pk: line.quantity for line in order.lines.all()})
    shipment = order.shipments.get()
    return order, buyer, shipment


def test_a_delivered_order_earns_its_points_once_and_queues_the_tier(
        net: factories.Network, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    from rewards.tier_tasks import tiers_recompute_partners_task

    queued: list[list[int]] = []
    monkeypatch.setattr(tiers_recompute_partners_task, "delay", queued.append)
    rule("order_delivered", fixed=10, per_10k=1)
    data.program()
    order, buyer, shipment = delivered_order(net)
    with django_capture_on_commit_callbacks(execute=True):
        shipment_deliver(actor=buyer, shipment=shipment)
    entry = LedgerEntry.objects.get(partner=net.dealer_a, event="order_delivered")
    assert entry.points == 10 + 50  # ₩500,000: 50 × 10,000
    assert entry.reference == f"purchase:{order.pk}"
    assert queued == [[net.dealer_a.pk]]  # the tier recomputation, queued once the delivery commits
    # delivered again (the other party says so too): nothing more
    shipment_deliver(actor=shop.actor(net.seoul_admin), shipment=shipment)
    assert points_balance(net.dealer_a) == 60


def test_no_active_rule_no_points(net: factories.Network) -> None:
    PointsRule.objects.create(event="order_delivered", fixed_points=100, is_active=False)
    _order, buyer, shipment = delivered_order(net)
    shipment_deliver(actor=buyer, shipment=shipment)
    assert not LedgerEntry.objects.filter(partner=net.dealer_a).exists()


def test_a_won_customer_order_earns_by_its_value(net: factories.Network) -> None:
    rule("deal_won", fixed=5, per_10k=2)
    order = data.customer_order(net.dealer_a, stage="quoted")
    order_progress(actor=shop.actor(net.dealer_a_user), order=order, stage="won", won_value=1_234_567)
    entry = LedgerEntry.objects.get(partner=net.dealer_a, event="deal_won")
    assert entry.points == 5 + 123 * 2 and entry.reference == f"order:{order.pk}"


def test_hq_records_satisfaction_and_it_counts_towards_the_tier(acme: Any, net: factories.Network) -> None:
    data.program(tiers=[{"name": "Bronze", "rank": 1},
                        {"name": "Silver", "rank": 2, "min_satisfaction": Decimal("4.5")}])
    order = data.customer_order(net.dealer_a)
    hq = shop.actor(net.hq_admin)
    order_rate(actor=hq, order=order, satisfaction="5")
    tiers_run(run=TierRun.objects.create())
    assert Organization.objects.get(pk=net.dealer_a.pk).tier == "Silver"
    # bad ratings are refused, naming the field; a dealer can't rate itself
    from django.core.exceptions import ValidationError

    from prm.core.errors import NotAllowed

    for bad in ("0", "6", "x", "", None):
        with pytest.raises(ValidationError) as caught:
            order_rate(actor=hq, order=order, satisfaction=bad)
        assert "satisfaction" in caught.value.message_dict
    with pytest.raises(NotAllowed):
        order_rate(actor=shop.actor(net.dealer_a_user), order=order, satisfaction=5)
    # and through HQ's order page
    from tests.conftest import tenant_client

    client = tenant_client(acme, net.hq_admin)
    assert client.post(f"/hq/orders/{order.pk}/rate/", {"satisfaction": "3"}).status_code == 302
    order.refresh_from_db()
    assert order.satisfaction == 3
    assert client.post(f"/hq/orders/{order.pk}/rate/", {"satisfaction": "99"}).status_code == 302
    order.refresh_from_db()
    assert order.satisfaction == 3
    assert tenant_client(acme, net.dealer_a_user).post(f"/hq/orders/{order.pk}/rate/",
                                                       {"satisfaction": "5"}).status_code == 403


def test_a_tier_change_changes_prices_credit_and_routing_with_no_other_step(net: factories.Network) -> None:
    from catalog.selectors import prices_for
    from purchasing.services import exposure_of

    item = shop.product()
    shop.dealer_prices({item: "100000"})
    shop.dealer_prices({item: "90000"}, tier="Silver")
    data.program()
    tiers_run(run=TierRun.objects.create())
    dealer = Organization.objects.get(pk=net.dealer_a.pk)
    assert dealer.tier == "Bronze" and prices_for(dealer, [item.pk])[item.pk].amount == Decimal(100000)
    assert exposure_of(dealer).limit == Decimal(0)
    data.sale(net.dealer_a, net.seoul_distributor, 1_500_000)
    tiers_run(run=TierRun.objects.create())
    dealer = Organization.objects.get(pk=net.dealer_a.pk)
    assert dealer.tier == "Silver"
    assert prices_for(dealer, [item.pk])[item.pk].amount == Decimal(90000)
    assert exposure_of(dealer).limit == Decimal(3_000_000)  # the tier's credit limit, higher than its own 0
    assert dealer.tier_step == 2  # what routing's SQL multiplies by the rule's tier weight
