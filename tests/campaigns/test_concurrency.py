"""Claims arriving at the same moment, each on its own database connection with committed data: together they never
hold more than the plan's approval, whether they go through the service (which locks the plan) or are written
straight into the table (the triggers and CHECK constraints)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from campaigns.models import FundClaim, FundPlan
from campaigns.services import funds as services
from tests import factories
from tests.campaigns import make

THREADS = 8


def at_once(tenant: Any, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in THREADS threads released together, each on its own connection to the tenant; returns
    each one's result or the exception it raised."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[Any] = [None] * THREADS

    def run(i: int) -> None:
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=30)
            outcomes[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a claim never finished"
    return outcomes


@pytest.fixture
def net(live_tenant: Any) -> factories.Network:
    return factories.network()


@pytest.fixture
def approved_plan(net: factories.Network) -> FundPlan:
    """dealer_a's plan for 1,000,000, approved in full, its activity over: committed, for other connections."""
    return make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, asked="1,000,000",
                                                 approve="1,000,000"))


def test_concurrent_claims_through_the_service_never_exceed_the_approval(live_tenant, net, approved_plan):
    user = net.dealer_a_user

    def claim(i: int) -> Any:
        return services.claim_submit(actor=make.actor(user), plan=FundPlan.objects.get(pk=approved_plan.pk),
                                     amount_claimed="300,000", figures=f"광고 {i}")

    outcomes = at_once(live_tenant, claim)
    made = [o for o in outcomes if isinstance(o, FundClaim)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(made) == 3 and len(refused) == THREADS - 3, outcomes
    assert all("amount" in exc.message_dict for exc in refused)
    plan = FundPlan.objects.get(pk=approved_plan.pk)
    assert plan.claimed_total == Decimal(900_000) == sum(c.amount for c in FundClaim.objects.filter(plan=plan))


def test_concurrent_claims_written_straight_into_the_table_are_stopped_by_the_database(live_tenant, approved_plan):
    def insert(i: int) -> Any:
        return FundClaim.objects.create(plan_id=approved_plan.pk, amount=Decimal(300_000), figures=f"직접 {i}")

    outcomes = at_once(live_tenant, insert)
    assert sum(isinstance(o, FundClaim) for o in outcomes) == 3, outcomes
    assert sum(isinstance(o, IntegrityError) for o in outcomes) == THREADS - 3, outcomes
    plan = FundPlan.objects.get(pk=approved_plan.pk)
    assert plan.claimed_total == Decimal(900_000) == sum(c.amount for c in FundClaim.objects.filter(plan=plan))
