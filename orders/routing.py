"""Scoring the dealers an order could go to, under one version of HQ's routing rule.

One SQL statement finds, for a whole batch of orders at once, each order's ``pool_size`` nearest eligible
dealers (the rule's filters) by a nearest-neighbour scan of a GiST index, plus the partners protecting a deal
with that customer, with each dealer's offer history (acceptance, response time, win rate) as the
``orders_dealerroutingstats`` table keeps it. Python then adds up the weighted components for each pool (a few
hundred rows) and sorts. The cost of a decision depends on the pool size, not on the number of dealers in the
network.

The same order, history and rule version always give the same ranking: equal scores are ordered by a hash of
(order, dealer), which is recorded with the decision.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from orders.choices import RuleStatus
from orders.models import CustomerOrder, RoutingRule
from orders.selectors import PROTECT_SIMILARITY, company_key

# A tier's step for the tier weight: the tier program's routing weight (Organization.tier_step) where a program
# set one; otherwise from the tier's name as HQ writes it, in Korean or English.
TIER_STEPS = {"bronze": 1, "브론즈": 1, "silver": 2, "실버": 2, "gold": 3, "골드": 3, "platinum": 4, "플래티넘": 4}
HISTORY_DAYS = 180
# Before a dealer has answered offers, it is scored as an average one (so new dealers are not starved):
# acceptance (accepted + 1) / (answered + 2), win rate (won + 1) / (closed + 2), and this many hours to answer.
PRIOR_RESPONSE_HOURS = 1.0
# The nearest-neighbour index works on a flat map: longitude shrunk by cos(36°), Korea's middle latitude. Its
# order is within 4 % of the true distance anywhere in Korea; the scan fetches a quarter more dealers than the
# pool and the pool is then cut by the exact great-circle distance, which is also what the score uses.
# The same expression is indexed by partners' migration 0005 (organization_routing_knn): keep them equal.
FLAT_MAP = "point({table}.longitude * 0.809, {table}.latitude)"
EARTH_KM = 6371.0088

FILTERS = """
    o.kind = 'dealer' AND o.status = 'active' AND o.latitude IS NOT NULL AND o.longitude IS NOT NULL
    AND (NOT %(need_line)s OR (
        -- a probe per dealer read (a scalar subquery, which the planner cannot turn into a hash of every
        -- dealer selling the line)
        SELECT true FROM partners_organization_product_lines pl
        WHERE pl.organization_id = o.id AND pl.productline_id = b.line LIMIT 1))
    AND (%(capability)s = '' OR %(capability)s = ANY(o.capabilities))
    AND (NOT %(skip_offered)s
         OR NOT EXISTS (SELECT 1 FROM orders_offer t WHERE t.order_id = b.order_id AND t.dealer_id = o.id))
"""
# A box around the order, on the flat map, for a maximum distance (a superset of the circle; the exact distance
# is checked afterwards).
WITHIN = """
    AND {point} <@ box(point((b.lon - b.dlon) * 0.809, b.lat - b.dlat), point((b.lon + b.dlon) * 0.809, b.lat + b.dlat))
""".format(point=FLAT_MAP.format(table="o"))
WAITING = "(SELECT count(*) AS n FROM orders_offer p WHERE p.dealer_id = o.id AND p.status = 'pending')"

POOL_SQL = """
WITH batch AS (
    SELECT * FROM unnest(%(ids)s::int[], %(lats)s::float8[], %(lons)s::float8[], %(lines)s::int[],
                         %(regions)s::text[], %(customers)s::text[], %(dlats)s::float8[], %(dlons)s::float8[])
        AS b(order_id, lat, lon, line, region, customer, dlat, dlon)
), tiers AS (
    SELECT * FROM unnest(%(tier_names)s::text[], %(tier_steps)s::int[]) AS t(name, step)
)
SELECT b.order_id, r.id, r.name, r.tier, r.step, r.km, r.open_offers, r.protected, r.acceptance, r.win,
       r.response_hours, r.score, r.tie, r.pooled
FROM batch b
CROSS JOIN LATERAL (
    -- the pool scored: each component as orders/routing.py's candidate() shows it, best first, equal scores
    -- in the order of tie_break(order, dealer)
    SELECT f.*, round((f.points - %(w_load)s * f.open_offers)::numeric, 3)::float8 AS score,
           (f.id::bigint * 2654435761 + b.order_id::bigint * 40503) %% 4294967296 AS tie,
           count(*) OVER () AS pooled
    FROM (
        SELECT pool.*, st.step,
               (coalesce(s.accepted, 0) + 1)::float8 / (coalesce(s.answered, 0) + 2) AS acceptance,
               (coalesce(s.won, 0) + 1)::float8 / (coalesce(s.closed, 0) + 2) AS win,
               coalesce(s.median_hours, %(prior_hours)s) AS response_hours,
               - %(w_distance)s * pool.km + %(w_tier)s * st.step
               + %(w_acceptance)s * (coalesce(s.accepted, 0) + 1)::float8 / (coalesce(s.answered, 0) + 2)
               + %(w_win)s * (coalesce(s.won, 0) + 1)::float8 / (coalesce(s.closed, 0) + 2)
               - %(w_response)s * coalesce(s.median_hours, %(prior_hours)s)
               + CASE WHEN pool.protected THEN %(w_protected)s ELSE 0 END AS points
        FROM (
            -- the pool: protecting partners first (once, if also near), then by the exact great-circle distance
            SELECT u.* FROM (
                SELECT DISTINCT ON (c.id) c.id, c.name, c.tier, c.tier_step, c.protected, c.open_offers, d.km
                FROM (
                    -- partners holding an approved, unexpired deal with what looks like this customer (same
                    -- district, similar name): the order goes to them first, wherever they are
                    (SELECT o.id, o.name, o.tier, o.tier_step, o.latitude, o.longitude, true AS protected,
                            w.n AS open_offers
                     FROM partners_organization o CROSS JOIN LATERAL {waiting} w
                     WHERE o.id IN (SELECT d.partner_id FROM orders_deal d
                                    WHERE d.status = 'approved' AND d.protected_until >= current_date
                                      AND d.region_code <> '' AND d.region_code = b.region
                                      AND similarity(d.customer_key, b.customer) >= %(similar)s)
                       AND {filters} AND w.n < %(max_open)s)
                    UNION ALL
                    -- the nearest eligible dealers, from the GiST index in distance order until enough pass
                    (SELECT o.id, o.name, o.tier, o.tier_step, o.latitude, o.longitude, false, w.n
                     FROM partners_organization o CROSS JOIN LATERAL {waiting} w
                     WHERE {filters} {within} AND w.n < %(max_open)s
                     ORDER BY {point} <-> point(b.lon * 0.809, b.lat)
                     LIMIT %(fetch)s)
                ) c
                CROSS JOIN LATERAL (SELECT 2 * {earth} * asin(least(1.0, sqrt(
                    power(sin(radians(c.latitude - b.lat) / 2), 2)
                    + cos(radians(b.lat)) * cos(radians(c.latitude))
                      * power(sin(radians(c.longitude - b.lon) / 2), 2)))) AS km) d
                WHERE c.protected OR %(max_km)s::float8 IS NULL OR d.km <= %(max_km)s::float8
                ORDER BY c.id, NOT c.protected
            ) u
            ORDER BY NOT u.protected, u.km, u.id
            LIMIT %(pool)s
        ) pool
        -- each dealer's offer history, as dealer_stats_refresh keeps it
        LEFT JOIN orders_dealerroutingstats s ON s.dealer_id = pool.id
        LEFT JOIN tiers t ON t.name = lower(btrim(pool.tier))
        CROSS JOIN LATERAL (SELECT CASE WHEN pool.tier_step > 0 THEN pool.tier_step
                                        ELSE coalesce(t.step, 0) END AS step) st
    ) f
    ORDER BY score DESC, tie
    LIMIT %(keep)s
) r
"""

# A dealer's offers over the window: answered (accepted, declined or let expire; not those HQ withdrew),
# accepted, and of the orders it accepted, those it closed (won or lost) and won; the median hours to answer.
STATS_SQL = """
WITH fresh AS (
    SELECT x.dealer_id,
           count(*) FILTER (WHERE x.status IN ('accepted', 'declined', 'expired')) AS answered,
           count(*) FILTER (WHERE x.status = 'accepted') AS accepted,
           count(*) FILTER (WHERE x.status = 'accepted' AND c.dealer_id = x.dealer_id AND c.stage = 'won') AS won,
           count(*) FILTER (WHERE x.status = 'accepted' AND c.dealer_id = x.dealer_id
                              AND c.stage IN ('won', 'lost')) AS closed,
           percentile_cont(0.5) WITHIN GROUP (
               ORDER BY extract(epoch FROM x.responded_at - x.created_at) / 3600.0)
               FILTER (WHERE x.responded_at IS NOT NULL AND x.status IN ('accepted', 'declined', 'expired'))
               AS median_hours
    FROM orders_offer x JOIN orders_customerorder c ON c.id = x.order_id
    WHERE x.created_at > now() - make_interval(days => %(days)s) AND (%(all)s OR x.dealer_id = ANY(%(ids)s))
    GROUP BY x.dealer_id
), saved AS (
    INSERT INTO orders_dealerroutingstats (dealer_id, answered, accepted, won, closed, median_hours, refreshed_at)
    SELECT dealer_id, answered, accepted, won, closed, median_hours, now() FROM fresh
    ON CONFLICT (dealer_id) DO UPDATE SET
        answered = EXCLUDED.answered, accepted = EXCLUDED.accepted, won = EXCLUDED.won, closed = EXCLUDED.closed,
        median_hours = EXCLUDED.median_hours, refreshed_at = EXCLUDED.refreshed_at
    RETURNING dealer_id
)
DELETE FROM orders_dealerroutingstats s
WHERE (%(all)s OR s.dealer_id = ANY(%(ids)s)) AND s.dealer_id NOT IN (SELECT dealer_id FROM saved)
"""


def dealer_stats_refresh(dealer_ids: Iterable[int] | None = None) -> None:
    """Recount the offer history routing scores (all dealers, or those given). Called when a dealer answers
    an offer or closes an order, and hourly by beat (the window moves)."""
    ids = sorted(set(dealer_ids)) if dealer_ids is not None else []
    if dealer_ids is not None and not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(STATS_SQL, {"days": HISTORY_DAYS, "all": dealer_ids is None, "ids": ids})


@dataclass
class Candidate:
    """One dealer as the rule scored it. ``components`` are the signed points that add up to ``score``."""

    dealer_id: int
    name: str
    score: float
    distance_km: float
    tier: str
    acceptance: float
    win: float
    response_hours: float
    open_offers: int
    protected: bool
    tie_break: str
    components: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "components": dict(self.components)}


@dataclass(slots=True)
class Scored:
    """A dealer in an order's pool as the pool query scored it (the score counts its waiting offers as read)."""

    dealer_id: int
    name: str
    tier: str
    tier_step: int
    distance_km: float
    open_offers: int
    protected: bool
    acceptance: float
    win: float
    response_hours: float
    score: float
    tie_break: str


@dataclass
class Pools:
    """Each order's best-scored dealers, best first, and how many dealers its pool held."""

    rows: dict[int, list[Scored]]
    pooled: dict[int, int]

    def __getitem__(self, order_id: int) -> list[Scored]:
        return self.rows.get(order_id, [])


def rule_in_use() -> RoutingRule:
    """The published rule; the defaults, as version 1, when HQ never published one."""
    rule = RoutingRule.objects.filter(status=RuleStatus.PUBLISHED).first()
    if rule is not None:
        return rule
    with transaction.atomic():
        # no row to lock yet: two workers routing this tenant's first orders take turns on a lock of its own
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':routing-default-rule'))")
        rule = RoutingRule.objects.filter(status=RuleStatus.PUBLISHED).first()
        if rule is None:
            version = (RoutingRule.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
            rule = RoutingRule.objects.create(version=version, status=RuleStatus.PUBLISHED)
    return rule


def tie_break(order_id: int, dealer_id: int) -> str:
    """What orders equal scores: a multiplicative hash of (dealer, order), so ties do not always favour the
    same dealer. The pool query works out the same number in SQL (``tie``); shown as 8 hex digits."""
    return f"{(dealer_id * 2654435761 + order_id * 40503) % 4294967296:08x}"


def pools(orders: Sequence[CustomerOrder], rule: RoutingRule, *, first_round: bool = False,
          max_open: int | None = None, keep: int | None = None) -> Pools:
    """For each placed order, its pool (the protecting partners and the ``pool_size`` nearest eligible dealers)
    scored under ``rule``, best first; the best ``keep`` of each (all by default). One statement for a batch.

    Dealers already offered the order are left out, unless ``first_round`` (the simulation replays an order
    as if it had just arrived)."""
    placed = [o for o in orders if o.latitude is not None and o.longitude is not None]
    result = Pools(rows={o.pk: [] for o in orders}, pooled={o.pk: 0 for o in orders})
    if not placed:
        return result
    max_km = rule.max_distance_km
    params: dict[str, Any] = {
        "ids": int_array(o.pk for o in placed), "lats": float_array(o.latitude for o in placed),
        "lons": float_array(o.longitude for o in placed), "lines": int_array(o.product_line_id for o in placed),
        "regions": [o.region_code or "" for o in placed], "customers": [company_key(o.customer_name) for o in placed],
        "dlats": float_array((max_km or 0) / 111.0 for _o in placed),
        "dlons": float_array((max_km or 0) / (111.0 * max(0.2, math.cos(math.radians(o.latitude or 0))))
                             for o in placed),
        "need_line": rule.require_product_line, "capability": rule.required_capability or "",
        "skip_offered": not first_round, "max_open": rule.max_open_offers if max_open is None else max_open,
        "similar": PROTECT_SIMILARITY, "fetch": rule.pool_size + rule.pool_size // 4 + 5, "pool": rule.pool_size,
        "max_km": max_km, "keep": keep if keep is not None else rule.pool_size,
        "tier_names": list(TIER_STEPS), "tier_steps": list(TIER_STEPS.values()),
        "prior_hours": PRIOR_RESPONSE_HOURS, **{name: getattr(rule, name) for name in RoutingRule.WEIGHTS},
    }
    sql = POOL_SQL.format(earth=EARTH_KM, waiting=WAITING, filters=FILTERS, point=FLAT_MAP.format(table="o"),
                          within=WITHIN if max_km else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for (order_id, dealer_id, name, tier, step, distance, open_offers, protected, acceptance, win, hours,
             points, tie, pooled) in cursor.fetchall():
            result.rows[order_id].append(Scored(dealer_id, name, tier or "", step, distance, open_offers,
                                                protected, acceptance, win, hours, points, f"{tie:08x}"))
            result.pooled[order_id] = pooled
    return result


def int_array(values: Iterable[int]) -> str:
    """A PostgreSQL array literal ('{1,2,3}'): one string to parse, where a list becomes ARRAY[...] with a
    constant per element (slow to parse and plan by the thousand)."""
    return "{" + ",".join(str(int(v)) for v in values) + "}"


def float_array(values: Iterable[float | None]) -> str:
    return "{" + ",".join(repr(float(v)) if v is not None else "NULL" for v in values) + "}"


def rerank(rows: list[Scored], rule: RoutingRule, extra_load: dict[int, int]) -> list[tuple[Scored, int, float]]:
    """(dealer, waiting offers, score) best first, counting ``extra_load``: offers made earlier in the same
    batch, not yet in the database (each one costs the dealer the load weight)."""
    adjusted = []
    for row in rows:
        extra = extra_load.get(row.dealer_id, 0)
        points = round(row.score - rule.w_load * extra, 3) if extra else row.score
        adjusted.append((row, row.open_offers + extra, points))
    if any(extra_load.get(row.dealer_id) for row in rows):
        adjusted.sort(key=lambda item: (-item[2], item[0].tie_break))
    return adjusted


def candidate(row: Scored, rule: RoutingRule, open_offers: int | None = None,
              score: float | None = None) -> Candidate:
    """A scored dealer with its components (the points that add up to its score), as the decision stores it."""
    load = row.open_offers if open_offers is None else open_offers
    components = {
        "distance": round(-rule.w_distance * row.distance_km, 3), "tier": round(rule.w_tier * row.tier_step, 3),
        "acceptance": round(rule.w_acceptance * row.acceptance, 3), "win": round(rule.w_win * row.win, 3),
        "response": round(-rule.w_response * row.response_hours, 3), "load": round(-rule.w_load * load, 3),
        "protected": round(rule.w_protected, 3) if row.protected else 0.0,
    }
    return Candidate(
        dealer_id=row.dealer_id, name=row.name, score=row.score if score is None else score,
        distance_km=round(row.distance_km, 2), tier=row.tier, acceptance=round(row.acceptance, 3),
        win=round(row.win, 3), response_hours=round(row.response_hours, 2), open_offers=load,
        protected=row.protected, tie_break=row.tie_break, components=components)


def score_candidates(order: CustomerOrder, rule: RoutingRule, *,
                     first_round: bool = False) -> tuple[int, list[Candidate]]:
    """(how many dealers were scored, the scored pool best first) for one order under ``rule``."""
    found = pools([order], rule, first_round=first_round)
    return found.pooled[order.pk], [candidate(row, rule) for row in found[order.pk]]


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
    for start in range(0, len(orders), 100):  # a hundred orders per pool query
        chunk = orders[start:start + 100]
        best_a = pools(chunk, current, first_round=True, keep=1)
        best_b = pools(chunk, draft, first_round=True, keep=1)
        for order in chunk:
            a, b = best_a[order.pk], best_b[order.pk]
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
