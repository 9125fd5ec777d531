"""Scoring the dealers an order could go to, under one version of HQ's routing rule.

One SQL statement finds the eligible dealers (the rule's filters) and keeps the ``pool_size`` nearest, with
each one's offer history (acceptance, response time, open load); Python then adds up the weighted components
for that pool (at most a few hundred rows) and sorts. The same order, history and rule version always give the
same ranking: equal scores are ordered by a hash of (order, dealer), which is recorded with the decision.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection, transaction

from orders.choices import RuleStatus
from orders.models import CustomerOrder, RoutingRule
from orders.selectors import PROTECT_SIMILARITY, company_key

# Tier names (as HQ writes them, in Korean or English) and their step for the tier weight.
TIER_STEPS = {"bronze": 1, "브론즈": 1, "silver": 2, "실버": 2, "gold": 3, "골드": 3, "platinum": 4, "플래티넘": 4}
HISTORY_DAYS = 180
# Before a dealer has answered offers, it is scored as an average one (so new dealers are not starved):
# acceptance (accepted + 1) / (answered + 2), and this many hours to answer.
PRIOR_RESPONSE_HOURS = 1.0
# The boxes searched around an order, in km (the last covers all of Korea and then some).
SEARCH_RADII_KM = (25, 80, 250, 2000)

POOL_SQL = """
WITH protecting AS (
    -- partners holding an approved, unexpired deal with what looks like this customer (same district, similar
    -- name): the order goes to them first, wherever they are
    SELECT DISTINCT d.partner_id FROM orders_deal d
    WHERE d.status = 'approved' AND d.protected_until >= current_date AND d.region_code <> ''
      AND d.region_code = %(region)s AND similarity(d.customer_key, %(customer)s) >= %(similar)s
), nearby AS (
    -- a box around the order (an index range scan), plus the protecting partners
    SELECT o.id FROM partners_organization o
    WHERE o.kind = 'dealer' AND o.status = 'active'
      AND o.latitude BETWEEN %(lat)s - %(dlat)s AND %(lat)s + %(dlat)s
      AND o.longitude BETWEEN %(lon)s - %(dlon)s AND %(lon)s + %(dlon)s
    UNION
    SELECT partner_id FROM protecting
), waiting AS (
    SELECT p.dealer_id, count(*) AS n FROM orders_offer p
    WHERE p.status = 'pending' AND p.dealer_id IN (SELECT id FROM nearby)
    GROUP BY p.dealer_id
), eligible AS (
    SELECT o.id, o.name, o.tier, o.id IN (SELECT partner_id FROM protecting) AS protected,
           2 * 6371.0088 * asin(least(1.0, sqrt(
               power(sin(radians(o.latitude - %(lat)s) / 2), 2)
               + cos(radians(%(lat)s)) * cos(radians(o.latitude))
                 * power(sin(radians(o.longitude - %(lon)s) / 2), 2)))) AS distance_km,
           coalesce(w.n, 0) AS open_offers
    FROM partners_organization o
    JOIN nearby ON nearby.id = o.id
    LEFT JOIN waiting w ON w.dealer_id = o.id
    WHERE o.kind = 'dealer' AND o.status = 'active' AND o.latitude IS NOT NULL AND o.longitude IS NOT NULL
      AND (NOT %(need_line)s OR EXISTS (
          SELECT 1 FROM partners_organization_product_lines pl
          WHERE pl.organization_id = o.id AND pl.productline_id = %(line)s))
      AND (%(capability)s = '' OR %(capability)s = ANY(o.capabilities))
      AND (NOT %(skip_offered)s
           OR NOT EXISTS (SELECT 1 FROM orders_offer t WHERE t.order_id = %(order)s AND t.dealer_id = o.id))
), pool AS (
    SELECT e.*, count(*) OVER () AS eligible_count
    FROM eligible e
    WHERE (e.protected OR %(max_km)s::float IS NULL OR e.distance_km <= %(max_km)s::float)
      AND e.open_offers < %(max_open)s
    ORDER BY e.protected DESC, e.distance_km, e.id
    LIMIT %(pool)s
)
SELECT pool.id, pool.name, pool.tier, pool.distance_km, pool.open_offers, pool.eligible_count, pool.protected,
       history.answered, history.accepted, history.median_hours
FROM pool
LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE x.status <> 'pending') AS answered,
           count(*) FILTER (WHERE x.status = 'accepted') AS accepted,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM x.responded_at - x.created_at) / 3600.0)
               FILTER (WHERE x.responded_at IS NOT NULL) AS median_hours
    FROM orders_offer x
    WHERE x.dealer_id = pool.id AND x.created_at > now() - make_interval(days => %(history_days)s)
) history ON true
"""


@dataclass
class Candidate:
    """One dealer as the rule scored it. ``components`` are the signed points that add up to ``score``."""

    dealer_id: int
    name: str
    score: float
    distance_km: float
    tier: str
    acceptance: float
    response_hours: float
    open_offers: int
    protected: bool
    tie_break: str
    components: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def rule_in_use() -> RoutingRule:
    """The published rule; the defaults, as version 1, when HQ never published one."""
    rule = RoutingRule.objects.filter(status=RuleStatus.PUBLISHED).first()
    if rule is not None:
        return rule
    with transaction.atomic():
        rule = RoutingRule.objects.select_for_update().filter(status=RuleStatus.PUBLISHED).first()
        if rule is None:
            version = (RoutingRule.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
            rule = RoutingRule.objects.create(version=version, status=RuleStatus.PUBLISHED)
    return rule


def tie_break(order_id: int, dealer_id: int) -> str:
    return hashlib.sha256(f"{order_id}:{dealer_id}".encode()).hexdigest()[:16]


def score_candidates(order: CustomerOrder, rule: RoutingRule, *,
                     first_round: bool = False) -> tuple[int, list[Candidate]]:
    """(how many dealers pass the filters, the scored pool best first) for the order under ``rule``.

    Dealers already offered the order are left out, unless ``first_round`` (the simulation replays an order
    as if it had just arrived)."""
    if order.latitude is None or order.longitude is None:
        return 0, []
    params: dict[str, Any] = {
        "lat": order.latitude, "lon": order.longitude, "line": order.product_line_id,
        "need_line": rule.require_product_line, "capability": rule.required_capability or "",
        "order": order.pk, "max_km": rule.max_distance_km, "max_open": rule.max_open_offers,
        "pool": rule.pool_size, "history_days": HISTORY_DAYS, "skip_offered": not first_round,
        "region": order.region_code or "", "customer": company_key(order.customer_name), "similar": PROTECT_SIMILARITY,
    }
    # Search a box around the order first (an index range, not the whole network); widen it while it yields
    # fewer dealers than the pool, up to the rule's maximum distance or the whole country.
    rows: list[Any] = []
    for radius in SEARCH_RADII_KM:
        if rule.max_distance_km and radius > rule.max_distance_km * 2:
            radius = rule.max_distance_km
        params["dlat"] = radius / 111.0
        params["dlon"] = radius / (111.0 * max(0.2, math.cos(math.radians(order.latitude))))
        with connection.cursor() as cursor:
            cursor.execute(POOL_SQL, params)
            rows = cursor.fetchall()
        # The pool is exact once it is full and none of it lies beyond the box's inscribed circle (a dealer
        # outside the box is farther than ``radius``).
        full = len(rows) >= rule.pool_size and max(row[3] for row in rows) <= radius
        if full or (rule.max_distance_km and radius >= rule.max_distance_km):
            break
    eligible = rows[0][5] if rows else 0
    ranked = []
    for dealer_id, name, tier, distance, open_offers, _count, protected, answered, accepted, median_hours in rows:
        acceptance = (accepted + 1) / (answered + 2)
        response = float(median_hours) if median_hours is not None else PRIOR_RESPONSE_HOURS
        step = TIER_STEPS.get((tier or "").strip().casefold(), 0)
        components = {
            "distance": -rule.w_distance * distance,
            "tier": rule.w_tier * step,
            "acceptance": rule.w_acceptance * acceptance,
            "response": -rule.w_response * response,
            "load": -rule.w_load * open_offers,
            "protected": rule.w_protected if protected else 0.0,
        }
        components = {key: round(value, 3) for key, value in components.items()}
        ranked.append(Candidate(
            dealer_id=dealer_id, name=name, score=round(sum(components.values()), 3),
            distance_km=round(distance, 2), tier=tier or "", acceptance=round(acceptance, 3),
            response_hours=round(response, 2), open_offers=open_offers, protected=protected,
            tie_break=tie_break(order.pk, dealer_id), components=components,
        ))
    ranked.sort(key=lambda c: (-c.score, c.tie_break))
    return eligible, ranked


@dataclass
class Share:
    key: str
    label: str
    current: int = 0
    draft: int = 0

    @property
    def change(self) -> int:
        return self.draft - self.current


@dataclass
class Simulation:
    orders: int
    changed: int
    unroutable_current: int
    unroutable_draft: int
    by_dealer: list[Share]
    by_tier: list[Share]
    by_region: list[Share]


def simulate(current: RoutingRule, draft: RoutingRule, *, last: int = 200) -> Simulation:
    """Replay the last ``last`` orders as if each had just arrived, under the rule in use and under the draft,
    with today's dealers and their history, and count where each would go. Nothing is written."""
    from partners.models import Organization

    orders = list(CustomerOrder.objects.filter(latitude__isnull=False).order_by("-created_at", "-id")[:last])
    picks: list[tuple[int | None, int | None]] = []
    for order in orders:
        a = score_candidates(order, current, first_round=True)[1]
        b = score_candidates(order, draft, first_round=True)[1]
        picks.append((a[0].dealer_id if a else None, b[0].dealer_id if b else None))
    dealer_ids = {d for pair in picks for d in pair if d is not None}
    dealers = {d.pk: d for d in Organization.objects.filter(pk__in=dealer_ids).only("id", "name", "tier", "sido")}

    def tally(key_of: Any, label_of: Any) -> list[Share]:
        shares: dict[str, Share] = {}
        for a, b in picks:
            for dealer_id, side in ((a, "current"), (b, "draft")):
                if dealer_id is None:
                    continue
                dealer = dealers[dealer_id]
                key = key_of(dealer)
                share = shares.setdefault(key, Share(key=key, label=label_of(dealer)))
                setattr(share, side, getattr(share, side) + 1)
        return sorted(shares.values(), key=lambda s: (-abs(s.change), -s.draft, s.label))

    return Simulation(
        orders=len(orders), changed=sum(1 for a, b in picks if a != b),
        unroutable_current=sum(1 for a, _b in picks if a is None),
        unroutable_draft=sum(1 for _a, b in picks if b is None),
        by_dealer=tally(lambda d: str(d.pk), lambda d: d.name),
        by_tier=tally(lambda d: (d.tier or "").strip().casefold() or "-", lambda d: d.tier or "—"),
        by_region=tally(lambda d: d.sido or "-", lambda d: d.sido or "—"),
    )
