"""Two people of one partner spend the same points at the same instant, each on their own database connection
with committed rows (``live_tenant``): only one redemption goes through, and the balance never goes below zero.
The same for a correction racing a redemption."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from partners.choices import Role
from rewards.models import LedgerEntry, LedgerKind, Redemption
from rewards.selectors.points import points_balance
from rewards.services import points as points_services
from rewards.services.points import points_correct, redemption_request
from tests import factories
from tests.rewards import points_data as data

TIMEOUT = 30


def _race(live_tenant: Any, monkeypatch: pytest.MonkeyPatch,
          *calls: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run each call in its own thread and connection, all starting together. The balance read inside each
    service is slowed down, so the calls overlap for certain: without the partner's row lock, both would read
    the same balance and both would spend it."""
    balance = points_services.points_balance

    def slow_balance(*args: Any, **kwargs: Any) -> int:
        value = balance(*args, **kwargs)
        time.sleep(0.3)
        return value

    monkeypatch.setattr(points_services, "points_balance", slow_balance)
    start = threading.Barrier(len(calls), timeout=TIMEOUT)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            connection.set_tenant(live_tenant)
            connection.ensure_connection()
            start.wait()
            results.append(call())
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a redemption did not finish"
    connection.set_tenant(live_tenant)
    return results, errors


def test_two_users_spending_the_same_points_at_once_only_one_succeeds(live_tenant: Any,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # given a dealer with 100 points, two of its users, and a reward that costs all of them
    net = factories.network()
    second_user = factories.member(net.dealer_a, Role.DEALER_STAFF)
    data.earn(net.dealer_a, 100)
    reward = data.reward(cost=100)
    first, second = net.actor(net.dealer_a_user), net.actor(second_user)

    # when both redeem it at the same instant
    results, errors = _race(live_tenant, monkeypatch,
                            lambda: redemption_request(actor=first, reward=reward, quantity=1),
                            lambda: redemption_request(actor=second, reward=reward, quantity=1))

    # then one redemption is made, the other is refused for want of points, and the balance is zero
    assert len(results) == 1 and len(errors) == 1, errors
    assert isinstance(errors[0], ValidationError) and "quantity" in errors[0].message_dict
    assert Redemption.objects.filter(partner=net.dealer_a).count() == 1
    assert LedgerEntry.objects.filter(partner=net.dealer_a, kind=LedgerKind.REDEEMED).count() == 1
    assert points_balance(net.dealer_a) == 0


def test_the_last_item_in_stock_goes_to_one_partner(live_tenant: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    net = factories.network()
    data.earn(net.dealer_a, 100)
    data.earn(net.dealer_b, 100)
    reward = data.reward(cost=10, stock=1)
    a, b = net.actor(net.dealer_a_user), net.actor(net.dealer_b_user)
    results, errors = _race(live_tenant, monkeypatch,
                            lambda: redemption_request(actor=a, reward=reward, quantity=1),
                            lambda: redemption_request(actor=b, reward=reward, quantity=1))
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], ValidationError)
    reward.refresh_from_db()
    assert reward.stock == 0 and Redemption.objects.count() == 1


def test_a_correction_racing_a_redemption_cannot_take_the_balance_below_zero(
        live_tenant: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    net = factories.network()
    data.earn(net.dealer_a, 100)
    reward = data.reward(cost=80)
    dealer, hq = net.actor(net.dealer_a_user), net.actor(net.hq_admin)
    results, errors = _race(live_tenant, monkeypatch,
                            lambda: redemption_request(actor=dealer, reward=reward, quantity=1),
                            lambda: points_correct(actor=hq, partner=net.dealer_a, points=-50, reason="회수"))
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert points_balance(net.dealer_a) in (20, 50)
