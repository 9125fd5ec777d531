#!/usr/bin/env python
"""Benchmark partner ordering: a dealer's catalogue page and placing an order, each against the per-product
first cut it replaces, in one run.

    .venv/bin/python bench/catalogue.py [--products 5000] [--repeat 30] [--order-lines 50] [--orders 20]
                                        [--small-products 1000]

Makes its own scratch tenant (HQ, a distributor, a Gold dealer with one dealer_admin supplied by it; --products
products and spare parts over four product lines; a general dealer list, a Gold list over part of the
products, a distributor list, a promotion over some, and a general list announced for next month; the
distributor's stock of every product) and prints as its last line one JSON object:
- page_ms: the catalogue page (/catalogue/, through Django's test client on the tenant's host, logged in as the
  dealer) for the first page, a search, a product-line filter and a late page (page 50, or the last):
  --repeat requests each, p50 / p95 per case and the overall p50;
- queries: the queries per request of each case, and of the first and last page on a second tenant of
  --small-products products (the count must not grow with the page or the catalogue);
- place_order_ms: order_place on a cart of --order-lines lines (filled with cart_set, not timed), --orders times;
- baseline: the same page with each product priced and its stock read by its own queries (prices_for and
  availability once per product), and the same orders placed by a first cut that prices, checks and reserves
  each line alone; ratio_page / ratio_order: baseline p50 over ours.
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
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PER_PAGE = 48
LINES = [("aircon", "에어컨", "Air conditioners"), ("heater", "난방기", "Heaters"),
         ("purifier", "공기청정기", "Air purifiers"), ("washer", "세탁기", "Washers")]
PRODUCT_NAMES = ["벽걸이 에어컨", "스탠드 에어컨", "시스템 에어컨", "전기 히터", "공기청정기", "드럼 세탁기"]
PART_NAMES = ["필터", "리모컨", "배수 펌프", "팬 모터", "실외기 커버", "호스"]
SEARCH = "스탠드"  # a part of about one name in eight


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings.dev")
    import django

    django.setup()


def _pct(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return round(ordered[max(0, min(len(ordered) - 1, round(len(ordered) * pct / 100) - 1))], 2)


def make_shop(products: int, seed: int = 5) -> dict[str, Any]:
    """A scratch tenant with the network, the catalogue, its price lists and the distributor's stock."""
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from catalog.models import PriceAudience, PriceList, Product, ProductKind, ProductStatus, StockLevel
    from partners.choices import CreditStatus, OrgKind, PartnerStatus, Role
    from partners.models import Membership, Organization, ProductLine, SupplyLink
    from prm.accounts.models import User
    from prm.tenancy.services import tenant_provision

    slug = f"benchc{uuid.uuid4().hex[:8]}"
    tenant_provision(slug=slug, name="Catalogue bench", domain=f"{slug}.localhost", admin_email=f"hq@{slug}.example",
                     admin_password=f"bench-{uuid.uuid4().hex}")
    rng = random.Random(seed)
    today = timezone.localdate()
    with schema_context(slug):
        hq = Organization.objects.get(kind=OrgKind.HQ)
        distributor = Organization.objects.create(kind=OrgKind.DISTRIBUTOR, name="벤치유통",
                                                  business_number="1018100016", status=PartnerStatus.ACTIVE)
        dealer = Organization.objects.create(kind=OrgKind.DEALER, name="벤치대리점", status=PartnerStatus.ACTIVE,
                                             tier="Gold", credit_status=CreditStatus.REGISTERED,
                                             credit_limit=Decimal(10) ** 13)
        SupplyLink.objects.create(dealer=dealer, distributor=distributor, is_primary=True, is_approved=True)
        user = User.objects.create_user(f"dealer@{slug}.example", f"bench-{uuid.uuid4().hex}", full_name="딜러")
        Membership.objects.create(user=user, organization=dealer, role=Role.DEALER_ADMIN)
        # someone at the distributor, so a placed order notifies (and queues an e-mail) as it does in use
        seller = User.objects.create_user(f"seller@{slug}.example", f"bench-{uuid.uuid4().hex}", full_name="유통")
        Membership.objects.create(user=seller, organization=distributor, role=Role.DISTRIBUTOR_ADMIN)
        lines = [ProductLine.objects.create(code=code, name=name, name_en=en) for code, name, en in LINES]

        rows = []
        for i in range(products):
            part = i % 4 == 3  # a quarter are spare parts
            base = rng.choice(PART_NAMES if part else PRODUCT_NAMES)
            status = (ProductStatus.DISCONTINUED if i % 29 == 0 else ProductStatus.NEW if i % 17 == 0
                      else ProductStatus.ACTIVE)
            rows.append(Product(sku=f"{'SP' if part else 'AC'}-{i:06d}", kind=ProductKind.SPARE_PART if part
                                else ProductKind.PRODUCT, product_line=lines[i % len(lines)],
                                name_ko=f"{base} {i:05d}", name_en=f"Model {i:05d}", status=status,
                                specs={"전원": "220V", "무게": f"{rng.randint(1, 60)}kg"}))
        made = Product.objects.bulk_create(rows, batch_size=5000)

        def price_list(name: str, audience: str, **kw: Any) -> PriceList:
            return PriceList.objects.create(name=name, audience=audience, valid_from=kw.pop(
                "valid_from", today - dt.timedelta(days=90)), **kw)

        general = price_list("대리점 기본", PriceAudience.DEALER)
        gold = price_list("대리점 Gold", PriceAudience.DEALER, tier="Gold")
        wholesale = price_list("유통 기본", PriceAudience.DISTRIBUTOR)
        promotion = price_list("봄맞이 할인", PriceAudience.DEALER, is_promotion=True, campaign="봄맞이",
                               valid_from=today - dt.timedelta(days=5), valid_until=today + dt.timedelta(days=25))
        announced = price_list("대리점 기본 (다음 달)", PriceAudience.DEALER, valid_from=today + dt.timedelta(days=30))
        prices = []
        for i, product in enumerate(made):
            amount = Decimal(rng.randrange(20, 3000) * 1000)
            prices.append((general, product, amount))
            prices.append((wholesale, product, amount * Decimal("0.8")))
            prices.append((announced, product, amount * Decimal("1.05")))
            if i % 5 < 2:  # two products in five have a Gold price
                prices.append((gold, product, amount * Decimal("0.95")))
            if i % 10 == 0:
                prices.append((promotion, product, amount * Decimal("0.85")))
        from catalog.models import Price

        Price.objects.bulk_create([Price(price_list=pl, product=p, amount=a) for pl, p, a in prices],
                                  batch_size=5000)
        stock = []
        for i, product in enumerate(made):
            low = i % 11 == 0
            stock.append(StockLevel(holder=distributor, product=product, on_hand=3 if low else 1_000_000,
                                    expected_on=today + dt.timedelta(days=7) if low else None))
            stock.append(StockLevel(holder=hq, product=product, on_hand=1_000_000))
        StockLevel.objects.bulk_create(stock, batch_size=5000)
        # what autovacuum does soon after a bulk load: statistics and the visibility map
        with connection.cursor() as cursor:
            for table in ("catalog_product", "catalog_price", "catalog_pricelist", "catalog_stocklevel"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        orderable = [p.pk for i, p in enumerate(made) if p.status != ProductStatus.DISCONTINUED and i % 11]
    return {"slug": slug, "user_id": user.pk, "line_id": lines[1].pk, "orderable": orderable,
            "distributor_id": distributor.pk, "products": products}


def _client(shop: dict[str, Any]) -> Any:
    from django.test import Client
    from django_tenants.utils import schema_context

    from prm.accounts.models import User

    client = Client(HTTP_HOST=f"{shop['slug']}.localhost")
    with schema_context(shop["slug"]):
        client.force_login(User.objects.get(pk=shop["user_id"]))
    return client


def page_cases(shop: dict[str, Any]) -> dict[str, dict[str, str]]:
    last = -(-shop["products"] // PER_PAGE)
    return {"first": {}, "search": {"q": SEARCH}, "line": {"line": str(shop["line_id"])},
            "late": {"page": str(min(50, last))}}


def get_page(client: Any, params: dict[str, str]) -> tuple[float, int, int]:
    """One catalogue request: milliseconds, queries, product rows shown."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the query log is a bounded deque (DEBUG): a full one would count nothing
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get("/catalogue/", params)
        ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (response.status_code, response.content[:300])
    body = response.content.decode()
    rows = body.count('data-testid="product-row"')
    assert rows and "₩" in body, "the page shows no priced products"
    return ms, len(queries), rows


def page_times(shop: dict[str, Any], repeat: int) -> dict[str, Any]:
    client = _client(shop)
    times: dict[str, list[float]] = {}
    queries: dict[str, int] = {}
    rows: dict[str, int] = {}
    for name, params in page_cases(shop).items():
        get_page(client, params)  # warm: templates compiled, connection open
        counts = set()
        times[name] = []
        for _ in range(repeat):
            ms, count, shown = get_page(client, params)
            times[name].append(ms)
            counts.add(count)
        assert len(counts) == 1, f"{name}: the query count varies between requests: {sorted(counts)}"
        queries[name], rows[name] = counts.pop(), shown
    result: dict[str, Any] = {name: {"p50": _pct(v, 50), "p95": _pct(v, 95)} for name, v in times.items()}
    result["overall_p50"] = _pct([t for v in times.values() for t in v], 50)
    return {"ms": result, "queries": queries, "rows": rows}


def per_product_page(shop: dict[str, Any], repeat: int) -> dict[str, Any]:
    """The same page as a first cut builds it: each product's price and stock read by its own queries."""
    from unittest import mock

    from catalog import selectors

    prices_for, availability = selectors.prices_for, selectors.availability

    def each_price(partner: Any, product_ids: list[int] | None = None, day: Any = None) -> dict:
        found: dict = {}
        for pk in product_ids or []:
            found.update(prices_for(partner, [pk], day))
        return found

    def each_stock(supplier: Any, product_ids: list[int], viewer: Any) -> dict:
        found: dict = {}
        for pk in product_ids:
            found.update(availability(supplier, [pk], viewer))
        return found

    client = _client(shop)
    params = page_cases(shop)["first"]
    with mock.patch.object(selectors, "prices_for", each_price), \
            mock.patch.object(selectors, "availability", each_stock):
        get_page(client, params)
        runs = [get_page(client, params) for _ in range(repeat)]
    return {"p50": _pct([r[0] for r in runs], 50), "p95": _pct([r[0] for r in runs], 95), "queries": runs[0][1]}


def _fill_carts(shop: dict[str, Any], orders: int, lines: int, seed: int) -> list[list[tuple[int, int]]]:
    rng = random.Random(seed)
    return [[(pk, rng.randint(1, 5)) for pk in rng.sample(shop["orderable"], lines)] for _ in range(orders)]


def place_orders(shop: dict[str, Any], baskets: list[list[tuple[int, int]]], place: Any) -> dict[str, Any]:
    """Each basket put in a fresh cart with cart_set (not timed), then placed with ``place`` (timed)."""
    from django_tenants.utils import schema_context

    from catalog.models import Product
    from partners.models import Organization
    from prm.accounts.models import User
    from prm.core.actor import actor_for
    from purchasing.models import PurchaseStatus
    from purchasing.services import cart_set

    times = []
    with schema_context(shop["slug"]):
        user = User.objects.get(pk=shop["user_id"])
        distributor = Organization.objects.get(pk=shop["distributor_id"])
        for basket in baskets:
            actor = actor_for(user)
            products = Product.objects.in_bulk([pk for pk, _ in basket])
            cart = None
            for pk, quantity in basket:
                cart = cart_set(actor=actor, supplier=distributor, product=products[pk], quantity=quantity)
            assert cart is not None and cart.lines.count() == len(basket)
            started = time.perf_counter()
            order = place(actor=actor, cart=cart)
            times.append((time.perf_counter() - started) * 1000)
            assert order.status == PurchaseStatus.PLACED, order.status
            user = User.objects.get(pk=shop["user_id"])  # no cached actor: the dealer's credit figures change
    return {"p50": _pct(times, 50), "p95": _pct(times, 95), "orders": len(times), "lines": len(baskets[0])}


def per_line_order_place(*, actor: Any, cart: Any) -> Any:
    """What a first cut of order_place does: the same checks and writes, each line priced, checked and its
    stock reserved on its own."""
    from django.db import transaction
    from django.utils import timezone
    from django.utils.translation import gettext_noop

    from catalog.models import ProductStatus, StockLevel
    from catalog.selectors import prices_for
    from partners.choices import CreditStatus
    from partners.models import Organization
    from prm.core.audit import audit
    from prm.core.errors import ServiceError
    from purchasing import services
    from purchasing.models import PaymentTerms, PurchaseOrder, PurchaseStatus

    with transaction.atomic():
        buyer = services._buyer(actor)
        Organization.objects.select_for_update().filter(pk=buyer.pk).first()
        buyer.refresh_from_db()
        order = PurchaseOrder.objects.select_for_update().get(pk=cart.pk, buyer=buyer, status=PurchaseStatus.CART)
        supplier = services._supplier(buyer, order.supplier)
        total = Decimal(0)
        for line in order.lines.all():
            if line.product.status == ProductStatus.DISCONTINUED:
                raise ServiceError(f"{line.product.sku} is discontinued")
            price = prices_for(buyer, [line.product_id]).get(line.product_id)
            if price is None:
                raise ServiceError(f"{line.product.sku} has no price")
            if price.amount != line.unit_price:
                line.unit_price, line.line_total = price.amount, price.amount * line.quantity
                line.save(update_fields=["unit_price", "line_total"])
            stock = StockLevel.objects.select_for_update().get(holder=supplier, product_id=line.product_id)
            if stock.available < line.quantity:
                raise ServiceError(f"only {stock.available} of {line.product.sku}")
            stock.reserved += line.quantity
            stock.save(update_fields=["reserved", "updated_at"])
            total += line.line_total
        exposure = services.exposure_of(buyer)
        on_credit = buyer.credit_status == CreditStatus.REGISTERED and exposure.used + total <= buyer.credit_limit
        order.total, order.number = total, services._next_number()
        order.terms = PaymentTerms.CREDIT if on_credit else PaymentTerms.PREPAYMENT
        order.status = PurchaseStatus.PLACED if on_credit else PurchaseStatus.AWAITING_PAYMENT
        order.placed_by, order.placed_at = actor.user, timezone.now()
        order.save()
        audit(actor=actor, action="purchase.place", obj=order, total=str(total), terms=order.terms,
              credit_used=str(exposure.used), credit_limit=str(buyer.credit_limit))
        services.notify_party(order, kind="purchase.placed", to_supplier=True,
                         message=gettext_noop("%(buyer)s placed order %(number)s (%(total)s)."))
    return order


def mail_to_scratch_queue() -> str:
    """The e-mails placed orders queue go to a queue nobody reads (emptied at the end), not the dev worker's."""
    from prm.celery import app

    queue = f"bench-catalogue-mail-{uuid.uuid4().hex[:6]}"
    app.conf.task_routes = {"*": {"queue": queue}}
    app.amqp.flush_routes()
    del app.amqp.router
    return queue


def drop_scratch_queue(queue: str) -> int:
    from prm.celery import app

    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        queued = client.llen(queue)
        client.delete(queue)
    return int(queued)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--order-lines", type=int, default=50)
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--small-products", type=int, default=1_000,
                        help="a second, smaller catalogue for the query-count check (0: skip)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from import_dealers import prepare_database
    from routing import drop

    prepare_database()
    _django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]  # the scratch tenants' hosts, whatever the env
    figures: dict[str, Any] = {"products": args.products}
    made: list[str] = []
    queue = mail_to_scratch_queue()
    try:
        started = time.perf_counter()
        shop = make_shop(args.products)
        made.append(shop["slug"])
        figures["setup_seconds"] = round(time.perf_counter() - started, 1)
        pages = page_times(shop, args.repeat)
        figures["page_ms"] = pages["ms"]
        figures["queries"] = dict(pages["queries"])
        figures["rows_shown"] = pages["rows"]
        if args.small_products and args.small_products != args.products:
            small = make_shop(args.small_products, seed=6)
            made.append(small["slug"])
            client = _client(small)
            cases = page_cases(small)
            get_page(client, cases["first"])
            figures["queries"][f"first_{args.small_products}"] = get_page(client, cases["first"])[1]
            figures["queries"][f"late_{args.small_products}"] = get_page(client, cases["late"])[1]
        # the same statements whatever the page and the catalogue's size (the search and the filter differ
        # from the first page by design: the chosen product line is read to validate it)
        figures["queries"]["constant"] = len({n for case, n in figures["queries"].items()
                                              if case.startswith(("first", "late"))}) == 1
        baskets = _fill_carts(shop, args.orders, min(args.order_lines, len(shop["orderable"])), seed=9)
        from purchasing.services import order_place

        figures["place_order_ms"] = place_orders(shop, baskets, order_place)
        figures["baseline"] = {"page_per_product_ms": per_product_page(shop, args.repeat),
                               "place_order_per_line_ms": place_orders(shop, baskets, per_line_order_place)}
        figures["ratio_page"] = round(figures["baseline"]["page_per_product_ms"]["p50"]
                                      / figures["page_ms"]["first"]["p50"], 1)
        figures["ratio_order"] = round(figures["baseline"]["place_order_per_line_ms"]["p50"]
                                       / figures["place_order_ms"]["p50"], 1)
        figures["targets_met"] = {"page_p50_under_100ms": figures["page_ms"]["overall_p50"] < 100,
                                  "queries_constant": figures["queries"]["constant"],
                                  "place_order_p50_under_200ms": figures["place_order_ms"]["p50"] < 200}
    finally:
        for slug in made:
            drop(slug)
        figures["emails_queued"] = drop_scratch_queue(queue)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
