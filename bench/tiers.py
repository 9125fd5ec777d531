#!/usr/bin/env python
"""Benchmark the tier computation (every dealer of a published program evaluated set-based in SQL) against the
per-dealer Python loop it replaces, in one run.

    .venv/bin/python bench/tiers.py [--dealers 100000] [--lines 5000000] [--baseline-dealers 1000] [--seed 1]

Makes its own scratch tenant in the dev database (created and migrated as `make demo` leaves it) and fills it
set-based (INSERT ... SELECT over generate_series, pseudo-random values hashed from --seed): --dealers dealers
(and 2% more, suspended, so not evaluated; 5% never buy) supplied by a few distributors, one or two people each;
purchase orders with --lines purchase lines over the last 15 months, from their primary distributor or HQ,
with mixed statuses (placed, waiting for prepayment and cancelled ones don't count as sales); six customer
orders per dealer offered down a chain of up to three dealers (each accepts with its own propensity, so
offers are accepted, declined, expired or still pending), won or lost, many rated by the customer; 0-4
certificates per dealer, some expired. The program: Bronze / Silver / Gold / Platinum over a 365-day window
with a 90-day grace period, every criterion used, thresholds at percentiles of the generated figures so
every tier is held.

Prints as its last line one JSON object:
- runs: the wall time of `tiers_run` (the whole TierRun: evaluation, standings, history, the partners' tier
  fields, notifications and their e-mail tasks, commit) with its counts, for
  first (no partner has a tier yet: every one moves), after_shift (some dealers lost certificates, had
  orders cancelled or bought a lot: upgrades and grace periods), steady (nothing changed since),
  grace_over (half the grace periods ended, some dealers requalified: downgrades and "kept");
- dry_run: a proposal (stricter Gold and Platinum) computed and counted, nothing written;
- one_partner_ms: a dealer's figures read for its home page, and one dealer recomputed after an event;
- baseline_per_dealer_loop: the first cut (ORM queries per dealer for each criterion, the tier picked in
  Python, standing, history, tier fields and notifications saved one by one) timed on --baseline-dealers
  dealers in the same state as the first run (rolled back), with its per-dealer time and its EXTRAPOLATION to
  every dealer; whether it picked the same tiers as the set-based run;
- ratio_vs_baseline: the baseline's extrapolated seconds over the first run's seconds;
- target: met when every run (and the dry run) took under 30 s; setup_seconds: making the data, not part of
  any figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 30
HISTORY_DAYS = 450  # fifteen months of data, for a 365-day window
PRODUCTS = 500
COURSES = 6
CUSTOMER_ORDERS_PER_DEALER = 6
SEGMENTS = ["retail", "corporate", "government", "education", "healthcare", "installation", "online"]


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings.dev")
    import django

    django.setup()


def _prepare() -> None:
    """The dev database, created and its shared schema migrated (as `make demo` does), or a clear stop."""
    sys.path.insert(0, str(ROOT / "bench"))
    from import_dealers import prepare_database

    try:
        prepare_database()
    except Exception as exc:
        sys.exit(f"bench/tiers.py: the dev database is not ready ({exc}). Start PostgreSQL and run `make demo` "
                 "once (or `.venv/bin/python manage.py migrate_schemas --shared`), then try again.")


class Rand:
    """Pseudo-random values in SQL, hashed from a key expression and the seed: the same data on every run of
    the same seed, whatever the plan (random() would depend on the row order)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __call__(self, key: str, salt: int) -> str:
        return (f"((hashint8extended(({key})::bigint, {self.seed * 1000 + salt}::bigint) & 2147483647)::float8 "
                "/ 2147483648.0)")


def _count(cursor: Any, sql: str, params: Any = None) -> int:
    cursor.execute(sql, params)
    return int(cursor.fetchone()[0])


def make_tenant() -> str:
    from prm.tenancy.services import tenant_provision

    slug = f"bencht{uuid.uuid4().hex[:8]}"
    tenant_provision(slug=slug, name="Tiers bench", domain=f"{slug}.localhost", admin_email=f"hq@{slug}.example",
                     admin_password=f"bench-{uuid.uuid4().hex}")
    return slug


def fill(slug: str, dealers: int, lines: int, seed: int) -> dict[str, Any]:
    """The network, its purchases, customer orders, offers and certificates, and a published four-tier program
    (thresholds from the generated figures)."""
    from django.db import connection, transaction
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from catalog.models import Product
    from partners.models import Organization, ProductLine
    from training.models import Course

    rnd = Rand(seed)
    now = timezone.now()
    distributors = max(3, min(40, dealers // 5000))
    suspended = dealers // 50  # on top of the active ones: in the data, not evaluated
    with schema_context(slug), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            # the rows are made consistent by construction: their foreign keys are not checked one by one at
            # commit (some 15 million checks, half the setup), as pg_restore --disable-triggers loads a dump
            cursor.execute("SET LOCAL session_replication_role = replica")
        hq = Organization.objects.get(kind="hq")
        line = ProductLine.objects.create(code="aircon", name="에어컨", name_en="Air conditioners")
        products = Product.objects.bulk_create([
            Product(sku=f"AC-{i:05d}", product_line=line, name_ko=f"에어컨 {i:05d}", name_en=f"Model {i:05d}")
            for i in range(PRODUCTS)])
        courses = [Course.objects.create(title=f"과정 {i + 1}", status="published").pk for i in range(COURSES)]
        p: dict[str, Any] = {"now": now, "n": dealers + suspended, "active": dealers, "hq": hq.pk,
                             "products": [x.pk for x in products], "courses": courses, "line": line.pk,
                             "segments": SEGMENTS}
        org_columns = ("kind, name, business_number, representative, phone, mobile, email, address, sido, "
                       "sigungu, region_code, segments, capabilities, credit_status, credit_limit, tier, tier_step, "
                       "status, partner_since, needs_review, created_at, updated_at")
        cursor.execute(f"""
            INSERT INTO partners_organization ({org_columns})
            SELECT 'distributor', '벤치유통' || g, (7000000000 + g)::text, '', '', '', '', '', '', '', '', '{{}}',
                   '{{}}', 'registered', 0, '', 0, 'active', %(now)s::date - 3000, false, %(now)s, %(now)s
            FROM generate_series(1, {distributors}) g""", p)
        cursor.execute(f"""
            INSERT INTO partners_organization ({org_columns})
            SELECT 'dealer', '벤치딜러' || g, (8000000000 + g)::text, '', '', '', '', '', '', '', '',
                   ARRAY[(%(segments)s::text[])[1 + floor({rnd('g', 1)} * 7)::int]]::varchar[], '{{}}', 'registered',
                   50000000, '', 0, CASE WHEN g > %(active)s THEN 'suspended' ELSE 'active' END,
                   %(now)s::date - (100 + floor({rnd('g', 3)} * 3000)::int), false, %(now)s, %(now)s
            FROM generate_series(1, %(n)s) g""", p)
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM partners_organization WHERE kind = 'distributor'")
        p["dists"] = cursor.fetchone()[0]
        # the dealers in a shuffled order: idx is how much a dealer buys and wins (1 most); good at one thing,
        # likely good at the others: ``good`` (half its rank, half chance) sets its propensity to accept a
        # lead (p), its customers' satisfaction (quality) and how many courses it passed (certs)
        cursor.execute(f"""
            CREATE TEMP TABLE bench_dealer ON COMMIT DROP AS
            SELECT idx, id, dist_id, 0.35 + 0.6 * good AS p, 2.4 + 2.6 * good AS quality,
                   floor(4.99 * (0.5 * good + 0.5 * {rnd('id', 33)}))::int AS certs
            FROM (SELECT idx, id, dist_id, 0.5 * (1 - idx::float8 / %(n)s) + 0.5 * {rnd('id', 5)} AS good
                  FROM (SELECT row_number() OVER (ORDER BY {rnd('o.id', 4)}, o.id)::int AS idx, o.id,
                               (%(dists)s::bigint[])[1 + o.id %% {distributors}] AS dist_id
                        FROM partners_organization o WHERE o.kind = 'dealer') x) y""", p)
        cursor.execute("ALTER TABLE bench_dealer ADD PRIMARY KEY (idx)")
        cursor.execute("ANALYZE bench_dealer")
        cursor.execute("INSERT INTO partners_supplylink (dealer_id, distributor_id, is_primary, is_approved, "
                       "created_at) SELECT id, dist_id, true, true, %(now)s FROM bench_dealer", p)
        cursor.execute(f"INSERT INTO partners_supplylink (dealer_id, distributor_id, is_primary, is_approved, "
                       f"created_at) SELECT id, (%(dists)s::bigint[])[1 + (id + 1) %% {distributors}], false, true, "
                       f"%(now)s FROM bench_dealer WHERE {rnd('id', 7)} < 0.1 AND {distributors} > 1", p)
        cursor.execute("INSERT INTO partners_organization_product_lines (organization_id, productline_id) "
                       "SELECT id, %(line)s FROM partners_organization WHERE kind <> 'hq'", p)
        # a dealer admin for every dealer, a member of staff for a quarter (some no longer active)
        cursor.execute(f"""
            INSERT INTO accounts_user (password, is_superuser, email, full_name, language, is_active, is_staff,
                                       date_joined)
            SELECT '!', false, 'dealer' || id || '@bench.example', '대표' || id, 'ko', true, false, %(now)s
            FROM bench_dealer
            UNION ALL
            SELECT '!', false, 'staff' || id || '@bench.example', '직원' || id, 'ko', {rnd('id', 8)} > 0.02, false,
                   %(now)s
            FROM bench_dealer WHERE {rnd('id', 9)} < 0.25""", p)
        cursor.execute("""
            INSERT INTO partners_membership (user_id, organization_id, role, is_active, created_at)
            SELECT u.id, d.id, 'dealer_admin', true, %(now)s
            FROM bench_dealer d JOIN accounts_user u ON u.email = 'dealer' || d.id || '@bench.example'
            UNION ALL
            SELECT u.id, d.id, 'dealer_staff', true, %(now)s
            FROM bench_dealer d JOIN accounts_user u ON u.email = 'staff' || d.id || '@bench.example'""", p)

        # purchase orders: lines per order 1-9, the last order cut so the lines add up to --lines exactly;
        # bigger buyers (low idx) buy more; 5% of dealers never buy
        cursor.execute(f"""
            CREATE TEMP TABLE bench_po ON COMMIT DROP AS
            WITH g AS (
                SELECT g, 1 + floor({rnd('g', 10)} * 9)::int AS c
                FROM generate_series(1, ceil({lines} / 5.0 * 1.1 + 10)::int) g
            ), cum AS (SELECT g, c, sum(c) OVER (ORDER BY g) AS upto FROM g)
            SELECT cum.g, least(cum.c, {lines} - (cum.upto - cum.c))::int AS c, d.id AS buyer,
                   CASE WHEN {rnd('cum.g', 11)} < 0.05 THEN %(hq)s ELSE d.dist_id END AS supplier,
                   %(now)s - {rnd('cum.g', 12)} * interval '{HISTORY_DAYS} days' AS placed_at,
                   CASE WHEN r.s < 0.70 THEN 'delivered' WHEN r.s < 0.76 THEN 'shipped'
                        WHEN r.s < 0.80 THEN 'partly_shipped' WHEN r.s < 0.84 THEN 'confirmed'
                        WHEN r.s < 0.88 THEN 'placed' WHEN r.s < 0.93 THEN 'awaiting_payment'
                        ELSE 'cancelled' END AS status
            FROM cum
            CROSS JOIN LATERAL (SELECT {rnd('cum.g', 13)} AS s) r
            JOIN bench_dealer d ON d.idx = 1 + floor(0.95 * %(n)s * power({rnd('cum.g', 14)}, 1.7))::int
            WHERE cum.upto - cum.c < {lines}""", p)
        quantity = f"(1 + floor({rnd('po.g * 16 + j', 15)} * 5))::int"
        price = f"((10 + floor({rnd('po.g * 16 + j', 16)} * 490)) * 1000)::numeric"
        cursor.execute(f"""
            INSERT INTO purchasing_purchaseorder (id, number, status, terms, total, currency, note, exception_reason,
                                                  paid_at, placed_at, cancelled_reason, created_at, updated_at,
                                                  buyer_id, supplier_id)
            SELECT po.g, 'BP' || lpad(po.g::text, 9, '0'), po.status, 'credit',
                   (SELECT sum({quantity} * {price}) FROM generate_series(1, po.c) j), 'KRW', '', '', NULL,
                   po.placed_at, CASE WHEN po.status = 'cancelled' THEN '벤치' ELSE '' END, po.placed_at,
                   po.placed_at, po.buyer, po.supplier
            FROM bench_po po ORDER BY po.g""")
        cursor.execute(f"""
            INSERT INTO purchasing_purchaseline (quantity, unit_price, line_total, shipped, product_id, order_id)
            SELECT x.q, x.price, x.q * x.price, CASE WHEN x.status IN ('delivered', 'shipped') THEN x.q ELSE 0 END,
                   (%(products)s::bigint[])[1 + (x.first + x.j * 37) %% {PRODUCTS}], x.g
            FROM (SELECT po.g, po.status, j, {quantity} AS q, {price} AS price,
                         floor({rnd('po.g', 17)} * {PRODUCTS})::int AS first
                  FROM bench_po po CROSS JOIN LATERAL generate_series(1, po.c) j) x
            ORDER BY x.g, x.j""", p)

        # customer orders, each offered down a chain of up to three dealers until one accepts (with its own
        # propensity); the last two days' are still waiting for the dealer's answer
        cursor.execute(f"""
            CREATE TEMP TABLE bench_co ON COMMIT DROP AS
            SELECT s.g, s.created, d1.id AS d1, d2.id AS d2, d3.id AS d3,
                   CASE WHEN {rnd('s.g', 20)} < d1.p THEN 1 WHEN {rnd('s.g', 21)} < d2.p THEN 2
                        WHEN {rnd('s.g', 22)} < d3.p THEN 3 END AS chosen,
                   s.created > %(now)s - interval '2 days' AS waiting,
                   CASE WHEN {rnd('s.g', 20)} < d1.p THEN d1.quality WHEN {rnd('s.g', 21)} < d2.p THEN d2.quality
                        ELSE d3.quality END AS quality
            FROM (SELECT g, 1 + floor(0.97 * %(n)s * power({rnd('g', 23)}, 1.3))::int AS k,
                         %(now)s - {rnd('g', 24)} * interval '{HISTORY_DAYS} days' AS created
                  FROM generate_series(1, %(n)s * {CUSTOMER_ORDERS_PER_DEALER}) g) s
            JOIN bench_dealer d1 ON d1.idx = s.k
            JOIN bench_dealer d2 ON d2.idx = 1 + (s.k - 1 + %(n)s / 3 + 1) %% %(n)s
            JOIN bench_dealer d3 ON d3.idx = 1 + (s.k - 1 + 2 * (%(n)s / 3 + 1)) %% %(n)s""", p)
        stage = f"""CASE WHEN co.chosen IS NULL OR co.waiting THEN ''
                         WHEN {rnd('co.g', 25)} < 0.45 THEN 'won' WHEN {rnd('co.g', 25)} < 0.75 THEN 'lost'
                         WHEN {rnd('co.g', 25)} < 0.85 THEN 'quoted' WHEN {rnd('co.g', 25)} < 0.93 THEN 'contacted'
                         ELSE 'accepted' END"""
        cursor.execute(f"""
            INSERT INTO orders_customerorder (id, number, customer_name, customer_phone, customer_email, address,
                region_code, region_label, quantity, note, source, status, unroutable_reason, created_at,
                updated_at, dealer_id, product_line_id, lost_reason, stage, stage_changed_at, won_value,
                satisfaction)
            SELECT co.g, 'BC' || lpad(co.g::text, 10, '0'), '고객' || co.g, '', '', '서울특별시 중구', '', '', 1, '',
                   'web', CASE WHEN co.chosen IS NULL THEN 'unroutable' WHEN co.waiting THEN 'offered'
                               ELSE 'accepted' END,
                   CASE WHEN co.chosen IS NULL THEN 'no dealer accepted' ELSE '' END, co.created, co.created,
                   CASE WHEN co.waiting THEN NULL WHEN co.chosen = 1 THEN co.d1 WHEN co.chosen = 2 THEN co.d2
                        WHEN co.chosen = 3 THEN co.d3 END,
                   %(line)s, CASE WHEN x.stage = 'lost' THEN 'price' ELSE '' END, x.stage,
                   CASE WHEN x.stage <> '' THEN least(%(now)s, co.created + {rnd('co.g', 26)} * interval '30 days')
                   END,
                   CASE WHEN x.stage = 'won' THEN (1 + floor({rnd('co.g', 27)} * 20)::int) * 1000000 END,
                   CASE WHEN (x.stage = 'won' AND {rnd('co.g', 28)} < 0.6) OR (x.stage = 'lost'
                                                                               AND {rnd('co.g', 28)} < 0.1)
                        THEN least(5, greatest(1, round(co.quality + ({rnd('co.g', 29)} - 0.5) * 2.5)))::int END
            FROM bench_co co CROSS JOIN LATERAL (SELECT {stage} AS stage) x
            ORDER BY co.g""", p)
        cursor.execute(f"""
            INSERT INTO orders_offer (rank, status, decline_reason, decline_note, created_at, responded_at,
                                      expires_at, dealer_id, order_id)
            SELECT r, s.status, CASE WHEN s.status = 'declined' THEN 'no_capacity' ELSE '' END, '', s.at,
                   CASE WHEN s.status IN ('accepted', 'declined') THEN s.at + interval '1 hour' END,
                   CASE WHEN s.status = 'pending' THEN %(now)s + interval '1 day' ELSE s.at + interval '4 hours' END,
                   s.dealer, s.g
            FROM (SELECT co.g, r, co.created + (r - 1) * interval '4 hours' AS at,
                         CASE r WHEN 1 THEN co.d1 WHEN 2 THEN co.d2 ELSE co.d3 END AS dealer,
                         CASE WHEN r = co.chosen AND co.waiting THEN 'pending' WHEN r = co.chosen THEN 'accepted'
                              WHEN {rnd('co.g * 4 + r', 30)} < 0.6 THEN 'declined' ELSE 'expired' END AS status
                  FROM bench_co co CROSS JOIN LATERAL generate_series(1, coalesce(co.chosen, 3)) r) s
            ORDER BY s.g, r""", p)

        # certificates: 0-4 courses per dealer, issued over two and a half years, valid two years (5% for good)
        cursor.execute(f"""
            INSERT INTO training_certificate (number, issued_at, expires_at, organization_id, user_id, course_id)
            SELECT 'BCERT-' || d.id || '-' || j, c.issued,
                   CASE WHEN {rnd('d.id * 8 + j', 31)} < 0.05 THEN NULL ELSE c.issued + interval '730 days' END,
                   d.id, m.user_id, (%(courses)s::bigint[])[1 + (floor({rnd('d.id', 32)} * {COURSES})::int + j)
                                                           %% {COURSES}]
            FROM bench_dealer d
            JOIN partners_membership m ON m.organization_id = d.id AND m.role = 'dealer_admin'
            CROSS JOIN LATERAL generate_series(1, d.certs) j
            CROSS JOIN LATERAL (SELECT %(now)s - interval '1 day'
                                       - {rnd('d.id * 8 + j', 34)} * interval '900 days' AS issued) c""", p)
        for table in ("purchasing_purchaseorder", "orders_customerorder"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        sizes = {
            "distributors": distributors,
            "purchase_orders": _count(cursor, "SELECT count(*) FROM purchasing_purchaseorder"),
            "purchase_lines": _count(cursor, "SELECT count(*) FROM purchasing_purchaseline"),
            "customer_orders": _count(cursor, "SELECT count(*) FROM orders_customerorder"),
            "offers": _count(cursor, "SELECT count(*) FROM orders_offer"),
            "certificates": _count(cursor, "SELECT count(*) FROM training_certificate"),
            "users": _count(cursor, "SELECT count(*) FROM accounts_user WHERE email LIKE %s", ["%@bench.example"]),
        }
    # what autovacuum does soon after a bulk load: statistics and the visibility map
    with schema_context(slug), connection.cursor() as cursor:
        for table in ("partners_organization", "partners_membership", "accounts_user", "partners_supplylink",
                      "purchasing_purchaseorder", "purchasing_purchaseline", "orders_customerorder",
                      "orders_offer", "training_certificate"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    with schema_context(slug):
        make_program(now)
    return {"sizes": sizes, "now": now}


def make_program(now: dt.datetime) -> None:
    """Bronze (any sales), Silver, Gold and Platinum using every criterion; sales and won thresholds at the
    30th / 55th / 80th percentile of the dealers' figures, so every tier is held."""
    from django.db import connection
    from django.utils import timezone

    from rewards.models import Tier, TierProgram
    from rewards.models.tiers import ProgramStatus

    start = now - dt.timedelta(days=365)
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT percentile_disc(ARRAY[0.3, 0.55, 0.8]) WITHIN GROUP (ORDER BY s)
            FROM (SELECT sum(total) AS s FROM purchasing_purchaseorder
                  WHERE status IN ('confirmed', 'partly_shipped', 'shipped', 'delivered')
                    AND placed_at >= %s AND placed_at < %s GROUP BY buyer_id) x""", [start, now])
        sales = [Decimal(v).quantize(Decimal(1000)) for v in cursor.fetchone()[0]]
        cursor.execute("""
            SELECT percentile_disc(ARRAY[0.3, 0.55, 0.8]) WITHIN GROUP (ORDER BY n)
            FROM (SELECT count(*) AS n FROM orders_customerorder
                  WHERE stage = 'won' AND stage_changed_at >= %s AND stage_changed_at < %s GROUP BY dealer_id) x""",
                       [start, now])
        won = [max(1, int(v)) for v in cursor.fetchone()[0]]
    program = TierProgram.objects.create(name="딜러 등급", kind="dealer", window_days=365, grace_days=90,
                                         status=ProgramStatus.PUBLISHED, published_at=timezone.now())
    for row in [
        {"name": "Bronze", "rank": 1, "min_sales": Decimal(1), "routing_step": 1},
        {"name": "Silver", "rank": 2, "min_sales": sales[0], "min_orders_won": won[0], "min_acceptance": 40,
         "routing_step": 2, "credit_limit": Decimal(30_000_000)},
        {"name": "Gold", "rank": 3, "min_sales": sales[1], "min_orders_won": won[1], "min_acceptance": 50,
         "min_certifications": 1, "min_satisfaction": Decimal("3.0"), "routing_step": 3,
         "credit_limit": Decimal(100_000_000), "mdf_share": Decimal(3)},
        {"name": "Platinum", "rank": 4, "min_sales": sales[2], "min_orders_won": won[2], "min_acceptance": 60,
         "min_certifications": 2, "min_satisfaction": Decimal("3.6"), "routing_step": 5,
         "credit_limit": Decimal(300_000_000), "mdf_share": Decimal(5)},
    ]:
        Tier.objects.create(program=program, **row)


def shift_data(seed: int, now: dt.datetime) -> dict[str, int]:
    """Between the first and the second run: 5% of dealers' certificates expire, 5% have their last half
    year's orders cancelled (returns), 3% place a big order."""
    from django.db import connection

    rnd = Rand(seed)
    with connection.cursor() as cursor:
        cursor.execute(f"""
            UPDATE training_certificate SET expires_at = %(now)s - interval '1 hour'
            WHERE {rnd('organization_id', 60)} < 0.05 AND issued_at < %(now)s - interval '1 hour'
              AND (expires_at IS NULL OR expires_at > %(now)s)""", {"now": now})
        expired = cursor.rowcount
        cursor.execute(f"""
            UPDATE purchasing_purchaseorder SET status = 'cancelled', cancelled_reason = '반품'
            WHERE {rnd('buyer_id', 61)} < 0.05 AND placed_at >= %(now)s - interval '180 days'
              AND status IN ('confirmed', 'partly_shipped', 'shipped', 'delivered')""", {"now": now})
        cancelled = cursor.rowcount
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM catalog_product")
        products = cursor.fetchone()[0][:20]
        cursor.execute(f"""
            WITH buyers AS (
                SELECT l.dealer_id AS buyer, l.distributor_id AS supplier, row_number() OVER (ORDER BY l.dealer_id) AS n
                FROM partners_supplylink l WHERE l.is_primary AND {rnd('l.dealer_id', 62)} < 0.03
            ), made AS (
                INSERT INTO purchasing_purchaseorder (number, status, terms, total, currency, note, exception_reason,
                                                      placed_at, cancelled_reason, created_at, updated_at, buyer_id,
                                                      supplier_id)
                SELECT 'BX' || lpad(b.n::text, 9, '0'), 'delivered', 'credit', 20 * 5 * 500000, 'KRW', '', '',
                       %(now)s - interval '1 day', '', %(now)s - interval '1 day', %(now)s, b.buyer, b.supplier
                FROM buyers b RETURNING id
            )
            INSERT INTO purchasing_purchaseline (quantity, unit_price, line_total, shipped, product_id, order_id)
            SELECT 5, 500000, 2500000, 5, p, m.id FROM made m CROSS JOIN unnest(%(products)s::bigint[]) p""",
                       {"now": now, "products": products})
        bought = cursor.rowcount // len(products)
    return {"certificates_expired": expired, "orders_cancelled": cancelled, "big_orders": bought}


def end_some_grace(seed: int, now: dt.datetime) -> dict[str, int]:
    """Before the fourth run: half the grace periods are over; a third of the dealers whose orders were
    cancelled get them back (they requalify)."""
    from django.db import connection
    from django.utils import timezone

    rnd = Rand(seed)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE rewards_partnertier SET downgrade_due = %(today)s - 1 WHERE downgrade_due IS NOT NULL "
                       f"AND {rnd('partner_id', 63)} < 0.5", {"today": timezone.localdate(now)})
        ended = cursor.rowcount
        cursor.execute(f"UPDATE purchasing_purchaseorder SET status = 'delivered', cancelled_reason = '' "
                       f"WHERE cancelled_reason = '반품' AND {rnd('buyer_id', 64)} < 0.33")
        restored = cursor.rowcount
    return {"grace_periods_ended": ended, "orders_restored": restored}


def timed_run(**fields: Any) -> dict[str, Any]:
    """One TierRun carried out by the service, as the task does it; wall time around the whole of it."""
    from django.db.models import Count

    from partners.models import Organization
    from prm.core.models import Notification
    from rewards.models import TierRun
    from rewards.services.tiers import tiers_run

    before = Notification.objects.filter(kind__startswith="tier.").count()
    run = TierRun.objects.create(**fields)
    started = time.perf_counter()
    run = tiers_run(run=run)
    seconds = time.perf_counter() - started
    assert run.status == "done", run.error
    figures: dict[str, Any] = {
        "seconds": round(seconds, 2), "service_seconds": run.seconds, "partners": run.partners,
        "upgraded": run.upgraded, "downgraded": run.downgraded, "grace_started": run.grace_started,
        "unchanged": run.unchanged}
    if not run.dry_run:
        figures["changes_recorded"] = run.changes.count()
        figures["kept"] = run.changes.filter(direction="kept").count()
        figures["notifications"] = Notification.objects.filter(kind__startswith="tier.").count() - before
        figures["tiers_held"] = dict(Organization.objects.filter(kind="dealer", status="active").order_by()
                                     .values("tier").annotate(n=Count("id")).values_list("tier", "n"))
    else:
        figures["moves"] = run.moves.get("moves", {})
    return figures


def dry_run_fields() -> dict[str, Any]:
    """A proposal: Gold needs 20% more sales, Platinum three certifications."""
    from rewards.models import TierProgram

    program = TierProgram.objects.get()
    tiers = []
    for t in program.tiers.order_by("rank"):
        min_sales = t.min_sales * Decimal("1.2") if t.name == "Gold" else t.min_sales
        tiers.append({"name": t.name, "rank": t.rank, "min_sales": str(min_sales.quantize(Decimal(1))),
                      "min_orders_won": t.min_orders_won, "min_acceptance": t.min_acceptance,
                      "min_certifications": 3 if t.name == "Platinum" else t.min_certifications,
                      "min_satisfaction": None if t.min_satisfaction is None else str(t.min_satisfaction)})
    return {"program": program, "dry_run": True,
            "moves": {"proposal": {"window_days": program.window_days, "grace_days": program.grace_days,
                                   "tiers": tiers}}}


def one_partner(dealer_id: int) -> dict[str, float]:
    """A dealer's figures for its home page, and its recomputation after an event (both ms)."""
    from rewards.computation import values_for
    from rewards.models import TierProgram
    from rewards.services.tiers import tiers_recompute_partners

    program = TierProgram.objects.get()
    values_for(program, [dealer_id])
    started = time.perf_counter()
    for _ in range(5):
        values_for(program, [dealer_id])
    read = (time.perf_counter() - started) * 1000 / 5
    started = time.perf_counter()
    tiers_recompute_partners(partner_ids=[dealer_id])
    recompute = (time.perf_counter() - started) * 1000
    return {"values_for": round(read, 1), "recompute": round(recompute, 1)}


class Rollback(Exception):
    pass


def per_dealer_loop(dealer_ids: list[int], now: dt.datetime) -> dict[int, str]:
    """The first cut: for each dealer, its figures by ORM queries, the tier picked in Python, then its
    standing, history, tier fields and notifications saved one by one."""
    from django.db.models import Count, Q, Sum
    from django.db.models.functions import Coalesce
    from django.utils.translation import gettext_noop

    from orders.models import CustomerOrder, Offer
    from partners.models import Membership, Organization
    from prm.core.models import Notification
    from purchasing.models import PurchaseLine
    from rewards.computation import SOLD_STATUSES
    from rewards.models import PartnerTier, TierChange, TierProgram
    from training.models import Certificate

    program = TierProgram.objects.get()
    tiers = list(program.tiers.order_by("-rank"))
    start = now - dt.timedelta(days=program.window_days)
    today = now.date()
    chosen: dict[int, str] = {}
    for dealer in Organization.objects.filter(pk__in=dealer_ids).order_by("pk"):
        sales = PurchaseLine.objects.filter(
            order__buyer=dealer, order__status__in=SOLD_STATUSES, order__placed_at__gte=start,
            order__placed_at__lt=now).aggregate(s=Sum("line_total"))["s"] or Decimal(0)
        decided = CustomerOrder.objects.filter(dealer=dealer).annotate(
            at=Coalesce("stage_changed_at", "created_at")).filter(at__gte=start, at__lt=now)
        won = decided.filter(stage="won").count()
        rated = decided.filter(satisfaction__isnull=False).aggregate(total=Sum("satisfaction"), n=Count("id"))
        offers = Offer.objects.filter(dealer=dealer, created_at__gte=start, created_at__lt=now)
        accepted = offers.filter(status="accepted").count()
        answered = offers.filter(status__in=["accepted", "declined", "expired"]).count()
        certs = Certificate.objects.filter(organization=dealer, issued_at__lte=now).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)).values("course").distinct().count()
        acceptance = (Decimal(100 * accepted) / answered).quantize(Decimal("0.1"), ROUND_HALF_UP) if answered else None
        satisfaction = ((Decimal(rated["total"]) / rated["n"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
                        if rated["n"] else None)
        best = next((t for t in tiers if sales >= t.min_sales and won >= t.min_orders_won
                     and certs >= t.min_certifications
                     and (t.min_acceptance is None or (acceptance is not None and acceptance >= t.min_acceptance))
                     and (t.min_satisfaction is None or (satisfaction is not None
                                                         and satisfaction >= t.min_satisfaction))), None)
        values = {"sales": str(sales), "won": won, "accepted": accepted, "answered": answered,
                  "acceptance": str(acceptance), "certs": certs, "satisfaction": str(satisfaction),
                  "rated": rated["n"], "window_days": program.window_days}
        standing = PartnerTier.objects.filter(partner=dealer).select_related("tier").first()
        current = standing.tier if standing else None
        held = current
        if best is not None and (current is None or best.rank > current.rank):
            direction = "up"
            held = best
        elif (best and best.pk) == (current and current.pk):
            direction = "kept" if standing and standing.downgrade_due else ""
        elif standing and standing.downgrade_due is None and program.grace_days:
            direction = "grace"
        elif standing is None or standing.downgrade_due is None or standing.downgrade_due <= today:
            direction, held = "down", best
        else:
            direction = ""
        standing = standing or PartnerTier(partner=dealer, program=program)
        if direction in ("up", "down"):
            standing.since, standing.pending_tier, standing.downgrade_due = now, None, None
        elif direction == "grace":
            standing.pending_tier, standing.downgrade_due = best, today + dt.timedelta(days=program.grace_days)
        elif direction == "kept":
            standing.pending_tier, standing.downgrade_due = None, None
        standing.tier, standing.values, standing.computed_at = held, values, now
        standing.save()
        if direction:
            TierChange.objects.create(partner=dealer, program=program, direction=direction,
                                      from_name=current.name if current else "",
                                      to_name=(held.name if held else "") if direction != "grace" else
                                      (best.name if best else ""), values=values,
                                      downgrade_due=standing.downgrade_due)
        name = held.name if held else ""
        if dealer.tier != name:
            dealer.tier, dealer.tier_step = name, held.routing_step if held else 0
            dealer.tier_credit_limit = held.credit_limit if held else None
            dealer.save(update_fields=["tier", "tier_step", "tier_credit_limit", "updated_at"])
        if direction in ("up", "down", "grace"):
            for member in Membership.objects.filter(organization=dealer, is_active=True, user__is_active=True):
                Notification.objects.create(user_id=member.user_id, kind=f"tier.{direction}",
                                            message=gettext_noop("Your tier is now %(tier)s (it was %(from)s)."),
                                            params={"tier": name or "-", "from": current.name if current else "-"},
                                            url="/dealer/tier/")
        chosen[dealer.pk] = best.name if best else ""
    return chosen


def baseline(dealers: int, sample: int, seed: int) -> dict[str, Any]:
    """The per-dealer loop on ``sample`` random active dealers, in the state the first run starts from (no
    standings yet), rolled back afterwards; its time per dealer extrapolated to every dealer."""
    from django.db import transaction
    from django.utils import timezone

    from partners.models import Organization

    ids = sorted(Organization.objects.filter(kind="dealer", status="active").values_list("id", flat=True))
    picked = sorted(random.Random(seed).sample(ids, min(sample, len(ids))))
    chosen: dict[int, str] = {}
    now = timezone.now()
    started = time.perf_counter()
    try:
        with transaction.atomic():
            chosen = per_dealer_loop(picked, now)
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    per_dealer = seconds / len(picked)
    return {"dealers": len(picked), "seconds": round(seconds, 2), "ms_per_dealer": round(per_dealer * 1000, 2),
            "extrapolated": True, "extrapolated_to_dealers": len(ids),
            "extrapolated_seconds": round(per_dealer * len(ids), 1),
            "note": f"measured on {len(picked)} dealers, the time per dealer times {len(ids)}: extrapolated, "
                    "not run on every dealer", "_chosen": chosen}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dealers", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--baseline-dealers", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="leave the scratch tenant (to EXPLAIN against it)")
    args = parser.parse_args()
    _prepare()
    _django()
    from catalogue import drop_scratch_queue, mail_to_scratch_queue
    from django.db import connection
    from django_tenants.utils import schema_context
    from routing import drop

    from partners.models import Organization

    figures: dict[str, Any] = {"dealers": args.dealers, "lines": args.lines, "seed": args.seed}
    slug = ""
    queue = mail_to_scratch_queue()
    try:
        started = time.perf_counter()
        slug = make_tenant()
        made = fill(slug, args.dealers, args.lines, args.seed)
        figures["data"] = made["sizes"]
        figures["setup_seconds"] = round(time.perf_counter() - started, 1)
        with schema_context(slug):
            base = baseline(args.dealers, args.baseline_dealers, args.seed)
            runs: dict[str, Any] = {"first": timed_run()}
            tiers = dict(Organization.objects.filter(pk__in=list(base["_chosen"])).values_list("id", "tier"))
            base["agrees_with_set_based"] = tiers == base.pop("_chosen")
            figures["shift"] = shift_data(args.seed, made["now"])
            runs["after_shift"] = timed_run()
            runs["steady"] = timed_run()
            figures["shift"].update(end_some_grace(args.seed, made["now"]))
            runs["grace_over"] = timed_run()
            figures["runs"] = runs
            figures["dry_run"] = timed_run(**dry_run_fields())
            dealer = Organization.objects.filter(kind="dealer", status="active").order_by("id").first()
            assert dealer is not None
            figures["one_partner_ms"] = one_partner(dealer.pk)
        figures["baseline_per_dealer_loop"] = base
        figures["ratio_vs_baseline"] = round(base["extrapolated_seconds"] / runs["first"]["seconds"], 1)
        slowest = max([r["seconds"] for r in runs.values()] + [figures["dry_run"]["seconds"]])
        figures["target"] = {"under_seconds": TARGET_SECONDS, "first_run_seconds": runs["first"]["seconds"],
                             "slowest_run_seconds": slowest, "met": slowest < TARGET_SECONDS}
    finally:
        connection.set_schema_to_public()
        if slug and args.keep:
            print(f"kept the scratch tenant {slug}", file=sys.stderr)
        elif slug:
            drop(slug)
        figures["email_tasks_queued"] = drop_scratch_queue(queue)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
