#!/usr/bin/env python
"""Benchmark order routing: decision time at two network sizes, throughput with real workers, and a naive
baseline (every dealer loaded into Python and scored), all in one run.

    .venv/bin/python bench/routing.py [--dealers 50000] [--small-dealers 5000] [--orders 20000]
                                      [--sample 300] [--workers 2]

Makes its own scratch tenants (dealers placed on the real 시/군/구 centroids with a little jitter, one product
line, one person each so every offer notifies someone), and prints as its last line one JSON object:
- decision_ms_small / decision_ms_big, at --small-dealers and --dealers: for --sample orders routed one at a
  time, the decision (pool read from the nearest-neighbour index, every candidate scored, the choice) p50 /
  p95, the whole one-order routing transaction p50 / p95, and the cost per order when routed in batches;
- throughput: --orders orders arrive at once (in the routing inbox, one message each, as order_create leaves
  them), then --workers worker processes start on the queue; orders per second until the last one is offered
  (decision, offer, timeline, notification written and its e-mail queued), with checks: no order offered
  twice, no dealer over the rule's limit;
- baseline_naive: what a first cut does, every dealer loaded into Python and scored, decisions per second on
  the big network; ratio_vs_baseline: throughput against it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.db.models import Count

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings.dev")
    import django

    django.setup()


def make_network(dealers: int, seed: int = 7) -> str:
    """A scratch tenant with ``dealers`` active dealers on real district centroids, all selling one line."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from partners.bulk import NEW_DEALER_COLUMNS, _text, new_dealer_row, now_text
    from partners.models import Organization, ProductLine
    from prm.core.regions import all_sido, sigungu_of
    from prm.tenancy.services import tenant_provision

    slug = f"benchr{uuid.uuid4().hex[:8]}"
    tenant_provision(slug=slug, name="Routing bench", domain=f"{slug}.localhost", admin_email=f"hq@{slug}.example",
                     admin_password=f"bench-{uuid.uuid4().hex}")
    rng = random.Random(seed)
    districts = [d for sido in all_sido() for d in sigungu_of(sido.code)] or all_sido()
    with schema_context(slug):
        line = ProductLine.objects.create(code="aircon", name="에어컨")
        buffer = io.StringIO()
        now = now_text()
        for i in range(dealers):
            region = rng.choice(districts)
            row = new_dealer_row({"name": f"벤치딜러{i}", "business_number": f"9{i:09d}"}, region=region,
                                 segments=[], now=now)
            values = dict(zip(NEW_DEALER_COLUMNS, row, strict=True))
            values["latitude"] = region.lat + rng.uniform(-0.02, 0.02)
            values["longitude"] = region.lon + rng.uniform(-0.02, 0.02)
            values["tier"] = rng.choice(["", "Bronze", "Silver", "Gold"])
            buffer.write("\t".join(_text(values[c]) for c in NEW_DEALER_COLUMNS) + "\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {Organization._meta.db_table} ({', '.join(NEW_DEALER_COLUMNS)}) FROM STDIN",
                               buffer)
            cursor.execute("INSERT INTO partners_organization_product_lines (organization_id, productline_id) "
                           "SELECT id, %s FROM partners_organization WHERE kind = 'dealer'", [line.pk])
            # one person per dealer (no password: they never log in here), so each offer notifies someone
            cursor.execute("INSERT INTO accounts_user (password, is_superuser, email, full_name, language, is_active, "
                           "is_staff, date_joined) SELECT '!', false, 'dealer' || id || '@bench.example', name, 'ko', "
                           "true, false, now() FROM partners_organization WHERE kind = 'dealer'")
            cursor.execute("INSERT INTO partners_membership (user_id, organization_id, role, is_active, created_at) "
                           "SELECT u.id, o.id, 'dealer_admin', true, now() FROM partners_organization o "
                           "JOIN accounts_user u ON u.email = 'dealer' || o.id || '@bench.example'")
    # what autovacuum does soon after a bulk load: statistics and the visibility map (index-only scans)
    with schema_context(slug), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE partners_organization")
        cursor.execute("VACUUM ANALYZE partners_organization_product_lines")
        cursor.execute("VACUUM ANALYZE partners_membership")
    return slug


def make_orders(slug: str, count: int, seed: int = 11, *, waiting: bool = False) -> list[int]:
    """``count`` received orders at random districts, written in bulk; with ``waiting``, in the routing inbox
    as order_create leaves them (the doorbells are rung by the caller)."""
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from orders.models import CustomerOrder
    from partners.models import ProductLine
    from prm.core.regions import all_sido, sigungu_of

    rng = random.Random(seed)
    districts = [d for sido in all_sido() for d in sigungu_of(sido.code)] or all_sido()
    with schema_context(slug):
        line = ProductLine.objects.get(code="aircon")
        start = CustomerOrder.objects.count()
        now = timezone.now()
        rows = []
        for i in range(count):
            region = rng.choice(districts)
            rows.append(CustomerOrder(
                number=f"B{start + i:08d}", customer_name=f"고객{i}", customer_phone="+821012345678",
                address=region.label, region_code=region.code, region_label=region.label, latitude=region.lat,
                longitude=region.lon, product_line=line, route_requested_at=now if waiting else None))
        made = CustomerOrder.objects.bulk_create(rows, batch_size=5000)
    return [o.pk for o in made]


def decision_times(slug: str, sample: int) -> dict:
    """For ``sample`` orders, each routed alone: the decision (the pool read, every candidate scored, the
    choice) and the whole routing transaction (decision, capacity check, offer, timeline, notification,
    commit); then the cost per order when a worker routes the same number in batches."""
    from django_tenants.utils import schema_context

    from orders.models import CustomerOrder
    from orders.routing import pools, rerank, rule_in_use
    from orders.services import DECISION_CANDIDATES, KEEP_SPARE, ROUTE_BATCH, order_route, orders_route

    ids = make_orders(slug, sample, seed=sample)
    decide, route = [], []
    with schema_context(slug):
        rule = rule_in_use()
        for order in CustomerOrder.objects.filter(pk__in=ids).order_by("pk"):
            started = time.perf_counter()
            found = pools([order], rule, keep=DECISION_CANDIDATES + KEEP_SPARE)
            rerank(found[order.pk], rule, {})
            decide.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            order_route(order_id=order.pk)
            route.append((time.perf_counter() - started) * 1000)
    batched = make_orders(slug, sample, seed=sample + 1)
    with schema_context(slug):
        started = time.perf_counter()
        for i in range(0, len(batched), ROUTE_BATCH):
            orders_route(order_ids=batched[i:i + ROUTE_BATCH])
        per_order = (time.perf_counter() - started) * 1000 / len(batched)
    return {"decision_p50_ms": _pct(decide, 50), "decision_p95_ms": _pct(decide, 95),
            "route_one_p50_ms": _pct(route, 50), "route_one_p95_ms": _pct(route, 95), "sample": len(decide),
            "batched_ms_per_order": round(per_order, 2)}


def _pct(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return round(ordered[max(0, min(len(ordered) - 1, round(len(ordered) * pct / 100) - 1))], 2)


def naive_baseline(slug: str, sample: int = 20) -> dict:
    """What a first cut would do: load every active dealer with its offers into Python and score each one."""
    from django_tenants.utils import schema_context

    from orders.models import CustomerOrder
    from partners.models import Organization
    from prm.core.regions import distance_km

    with schema_context(slug):
        orders = list(CustomerOrder.objects.filter(latitude__isnull=False)[:sample])
        started = time.perf_counter()
        for order in orders:
            best = None
            for dealer in Organization.objects.filter(kind="dealer", status="active",
                                                      product_lines=order.product_line_id):
                score = -distance_km((order.latitude, order.longitude), (dealer.latitude, dealer.longitude))
                if best is None or score > best[0]:
                    best = (score, dealer.pk)
        seconds = time.perf_counter() - started
    return {"decisions": len(orders), "seconds": round(seconds, 2),
            "decisions_per_second": round(len(orders) / seconds, 2)}


def throughput(slug: str, orders: int, workers: int) -> dict:
    """``orders`` orders arrive at once: each in the inbox with its routing message queued, as order_create
    leaves them. Then ``workers`` worker processes (already running, idle) start on the queue; the clock runs
    from that moment to the last order offered. The time to queue the messages is reported apart."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from orders.models import CustomerOrder, Offer
    from orders.tasks import order_route_task
    from prm.celery import app
    from prm.core.models import Notification

    queue = f"bench-routing-{uuid.uuid4().hex[:6]}"
    # the routing messages go to the workers' queue; the e-mails the workers queue go to one nobody reads
    # (counted, then dropped): see bench/routing_worker.py
    app.conf.task_routes = {"orders.tasks.*": {"queue": queue}}
    app.amqp.flush_routes()
    del app.amqp.router
    node = f"{queue}@{os.uname().nodename}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "prm.settings.dev", "BENCH_MAIL_QUEUE": f"{queue}-mail",
           "BENCH_QUEUE": queue}
    log = open(Path(tempfile.gettempdir()) / f"{queue}.log", "wb")  # noqa: SIM115 - closed below
    # the worker starts on an idle queue and is told to take the routing queue once every message is in it
    proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "bench.routing_worker", "worker", "-Q",
                             f"{queue}-idle", "-c", str(workers), "--loglevel", "WARNING", "-n", f"{queue}@%h",
                             "--without-gossip", "--without-mingle", "--without-heartbeat"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1.0, destination=[node]):
            if time.monotonic() > deadline:
                raise RuntimeError("worker did not start")
        ids = make_orders(slug, orders, waiting=True)
        first, last = ids[0], ids[-1]
        with schema_context(slug):
            started = time.perf_counter()
            with app.producer_or_acquire() as producer:
                for pk in ids:
                    order_route_task.apply_async((pk,), producer=producer)
            queued = time.perf_counter() - started
            started = time.perf_counter()
            app.control.add_consumer(queue, destination=[node], reply=True)
            while True:
                left = CustomerOrder.objects.filter(pk__gte=first, pk__lte=last, status="received").count()
                if not left or time.perf_counter() - started > 1800:
                    break
                time.sleep(0.1)
            seconds = time.perf_counter() - started
            routed = CustomerOrder.objects.filter(pk__gte=first, pk__lte=last).exclude(status="received").count()
            offers = Offer.objects.filter(order_id__gte=first, order_id__lte=last).count()
            twice = (Offer.objects.filter(order_id__gte=first, order_id__lte=last).values("order_id")
                     .annotate(n=Count("id")).filter(n__gt=1).count())
            notified = Notification.objects.filter(kind="offer.new").count()
            over = (Offer.objects.filter(status="pending").values("dealer_id").annotate(n=Count("id"))
                    .filter(n__gt=3).count())
        with app.connection_for_write() as conn:
            mails = conn.default_channel.client.llen(f"{queue}-mail")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
        with app.connection_for_write() as conn:
            conn.default_channel.client.delete(f"{queue}-mail", queue, f"{queue}-idle")
        connection.set_schema_to_public()
    return {"orders": orders, "routed": routed, "seconds": round(seconds, 2),
            "orders_per_second": round(routed / seconds, 1), "workers": workers,
            "messages_queued_in_seconds": round(queued, 2), "offers": offers, "orders_offered_twice": twice,
            "dealers_over_capacity": over, "notifications": notified, "email_tasks_queued": mails}


def drop(slug: str) -> None:
    from django.db import connection

    from prm.tenancy.models import Tenant

    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{slug}" CASCADE')
    Tenant.objects.filter(slug=slug).delete()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dealers", type=int, default=50_000)
    parser.add_argument("--small-dealers", type=int, default=5_000)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from import_dealers import prepare_database

    prepare_database()
    _django()
    figures: dict = {"dealers": args.dealers, "small_dealers": args.small_dealers}
    made: list[str] = []
    try:
        small = make_network(args.small_dealers)
        made.append(small)
        figures["decision_ms_small"] = decision_times(small, args.sample)
        big = make_network(args.dealers)
        made.append(big)
        figures["decision_ms_big"] = decision_times(big, args.sample)
        figures["baseline_naive"] = naive_baseline(big)
        figures["throughput"] = throughput(big, args.orders, args.workers)
        figures["ratio_vs_baseline"] = round(figures["throughput"]["orders_per_second"]
                                             / figures["baseline_naive"]["decisions_per_second"], 1)
    finally:
        for slug in made:
            drop(slug)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
