"""A routing worker killed mid-batch (kill -9 of the whole worker): after a restart and beat's sweep every order
is offered exactly once, and redelivered messages change nothing."""

import os
import signal
import subprocess

import pytest

from orders.choices import OfferStatus, OrderStatus
from orders.models import CustomerOrder, Offer, RoutingRule
from orders.routing import rule_in_use
from partners.choices import OrgKind, Role
from prm.core.actor import actor_for
from tests import factories
from tests.conftest import start_worker, stop_worker, wait_for
from tests.partners.test_import_resilience import _reroute

pytestmark = pytest.mark.worker

ORDERS = 120


def test_a_routing_worker_killed_mid_batch_leaves_each_order_offered_exactly_once(live_tenant, settings):
    from orders.tasks import order_route_task, sweep_waiting_orders
    from prm.celery import app

    line = factories.product_line()
    hq = actor_for(factories.member(factories.organization(OrgKind.HQ, "HQ"), Role.HQ_ADMIN))
    for i in range(40):
        factories.organization(OrgKind.DEALER, f"딜러{i}", address=f"서울특별시 강남구 {i}", lines=[line])
    RoutingRule.objects.filter(pk=rule_in_use().pk).update(max_open_offers=10)

    queue = f"prm-test-route-kill-{os.getpid()}"
    routes = app.conf.task_routes
    app.conf.task_routes = {"orders.tasks.order_route_task": {"queue": queue},
                            "orders.tasks.offer_expire_task": {"queue": queue}}
    _reroute(app)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        workers.append(start_worker(queue, f"route1-{os.getpid()}", "celery-route-kill.log", concurrency=2))
        ids = [factories.order(actor=hq, customer_name=f"일괄{i}", address="서울특별시 강남구 1",
                               product_line=line).pk for i in range(ORDERS)]
        # kill -9 the whole worker once part of the batch is routed
        wait_for(lambda: Offer.objects.filter(order_id__in=ids).count() >= ORDERS // 4, timeout=60, interval=0.01)
        os.killpg(workers[0].pid, signal.SIGKILL)
        workers[0].wait(timeout=10)
        routed_before = Offer.objects.filter(order_id__in=ids).count()
        assert routed_before < ORDERS  # the kill really interrupted the batch

        # the messages it held are not redelivered until the broker's visibility timeout; beat's sweep
        # re-queues the orders still waiting, and a second delivery of any order changes nothing
        workers.append(start_worker(queue, f"route2-{os.getpid()}", "celery-route-kill.log", concurrency=2))
        settings.ROUTING_SWEEP_AFTER = 0
        sweep_waiting_orders()
        for pk in ids[:10]:
            order_route_task.delay(pk)  # duplicates of messages already handled
        wait_for(lambda: CustomerOrder.objects.filter(pk__in=ids, status=OrderStatus.OFFERED).count() == ORDERS,
                 timeout=90)
        for pk in ids:
            offers = list(Offer.objects.filter(order_id=pk))
            assert len(offers) == 1 and offers[0].status == OfferStatus.PENDING, pk
    finally:
        app.conf.task_routes = routes
        _reroute(app)
        for proc in workers:
            if proc.poll() is None:
                stop_worker(proc)
