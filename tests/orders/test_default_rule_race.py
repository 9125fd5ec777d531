"""A tenant's first orders routed by several workers at once: they all use one default rule (version 1), and
none of them fails on creating it twice."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection

from orders.models import RoutingRule
from orders.routing import rule_in_use

THREADS = 6


def test_workers_routing_the_first_orders_at_once_make_one_default_rule(live_tenant: Any) -> None:
    start = threading.Barrier(THREADS, timeout=30)
    rules: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            connection.set_tenant(live_tenant)
            connection.ensure_connection()
            start.wait()
            rules.append(rule_in_use().pk)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    connection.set_tenant(live_tenant)
    assert list(RoutingRule.objects.values_list("version", flat=True)) == [1]
    assert len(rules) == THREADS and set(rules) == {RoutingRule.objects.get().pk}
