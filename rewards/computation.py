"""Tier computation, set-based: every partner of a program evaluated by a few SQL statements.

1. ``tier_eval`` (a temporary table): each member's criteria values over the trailing window, the highest tier
   whose every criterion it meets, its current standing and what happens to it (``action``):
   ``up`` (applies at once), ``grace`` (a downgrade found: the partner keeps its tier until the grace period
   ends), ``wait`` (still in grace), ``down`` (grace over, or no grace), ``kept`` (requalified during grace),
   ``same``.
2. From it: the standings upserted, the changes recorded with their figures, the partners' tier fields (what
   prices, credit and routing read) updated, and the partners' users notified, each in one statement.

A dry run stops after step 1 and counts. ``values_for`` reads the same figures for a few partners (a dealer's
home page explains its own).

Over every member (a run: 100,000 dealers over 5,000,000 purchase lines in seconds, see ``bench/tiers.py``) each
figure is one hash aggregate over its table's window, joined to the members, and the statement is given the
memory to keep them off disk. Over a few partners (``only``: after an event, a home page) each aggregate is
filtered by those partners first, so it is a few index lookups instead of the whole window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_noop

# a partner's sales: what it bought through the portal and its supplier confirmed (not carts, not orders
# waiting for prepayment, not cancelled ones), by the day it was placed
SOLD_STATUSES = ("confirmed", "partly_shipped", "shipped", "delivered")

MEMBERS_SQL = """
    SELECT o.id FROM partners_organization o
    WHERE o.kind = %(kind)s AND o.status = 'active'
      AND (%(segment)s = '' OR %(segment)s = ANY(o.segments))
      -- a partner in two published programs belongs to the one with the lower priority number
      AND NOT EXISTS (SELECT 1 FROM rewards_tierprogram q
                      WHERE q.status = 'published' AND q.kind = o.kind AND q.id <> %(program)s
                        AND (q.segment = '' OR q.segment = ANY(o.segments))
                        AND (q.priority, q.id) < (%(priority)s, %(program)s))
      AND (%(only)s::int[] IS NULL OR o.id = ANY(%(only)s::int[]))
"""

VALUES_SQL = """
    SELECT m.id,
           coalesce(s.v, 0)::numeric AS sales,
           coalesce(co.won, 0)::int AS won,
           coalesce(a.accepted, 0)::int AS accepted,
           coalesce(a.answered, 0)::int AS answered,
           CASE WHEN a.answered > 0 THEN round(100.0 * a.accepted / a.answered, 1) END AS acceptance,
           coalesce(c.n, 0)::int AS certs,
           round(co.satisfaction, 2) AS satisfaction,
           coalesce(co.rated, 0)::int AS rated
    FROM ({members}) m
    LEFT JOIN (
        SELECT po.buyer_id AS id, sum(l.line_total) AS v
        FROM purchasing_purchaseorder po JOIN purchasing_purchaseline l ON l.order_id = po.id
        WHERE po.status = ANY(%(sold)s) AND po.placed_at >= %(start)s AND po.placed_at < %(now)s{only_buyer}
        GROUP BY po.buyer_id
    ) s ON s.id = m.id
    LEFT JOIN (
        SELECT o.dealer_id AS id, count(*) FILTER (WHERE o.stage = 'won') AS won,
               avg(o.satisfaction) AS satisfaction, count(o.satisfaction) AS rated
        FROM orders_customerorder o
        WHERE o.dealer_id IS NOT NULL AND (o.stage = 'won' OR o.satisfaction IS NOT NULL)
          AND coalesce(o.stage_changed_at, o.created_at) >= %(start)s
          AND coalesce(o.stage_changed_at, o.created_at) < %(now)s{only_dealer}
        GROUP BY o.dealer_id
    ) co ON co.id = m.id
    LEFT JOIN (
        SELECT f.dealer_id AS id, count(*) FILTER (WHERE f.status = 'accepted') AS accepted,
               count(*) FILTER (WHERE f.status IN ('accepted', 'declined', 'expired')) AS answered
        FROM orders_offer f
        WHERE f.created_at >= %(start)s AND f.created_at < %(now)s{only_offer}
        GROUP BY f.dealer_id
    ) a ON a.id = m.id
    LEFT JOIN (
        -- certifications held now: courses with a certificate issued and not expired
        SELECT t.organization_id AS id, count(DISTINCT t.course_id) AS n
        FROM training_certificate t
        WHERE t.issued_at <= %(now)s AND (t.expires_at IS NULL OR t.expires_at > %(now)s){only_certificate}
        GROUP BY t.organization_id
    ) c ON c.id = m.id
"""

# With ``only``, each aggregate reads those partners' rows alone (through the partner's index): the planner
# does not carry the members' filter into a grouped subquery, so without these it aggregates the whole window.
ONLY_FILTERS = {"only_buyer": "po.buyer_id", "only_dealer": "o.dealer_id", "only_offer": "f.dealer_id",
                "only_certificate": "t.organization_id"}


def _values_sql(only: list[int] | None) -> str:
    return VALUES_SQL.format(members=MEMBERS_SQL, **{
        name: "" if only is None else f" AND {column} = ANY(%(only)s::bigint[])"
        for name, column in ONLY_FILTERS.items()})


TIERS_SQL = """
    SELECT * FROM unnest(%(t_id)s::int[], %(t_name)s::text[], %(t_rank)s::int[], %(t_sales)s::numeric[],
                         %(t_won)s::int[], %(t_acc)s::numeric[], %(t_certs)s::int[], %(t_sat)s::numeric[])
        AS t(id, name, rank, min_sales, min_won, min_acc, min_certs, min_sat)
"""

EVAL_SQL = """
CREATE TEMP TABLE tier_eval ON COMMIT DROP AS
WITH tiers AS ({tiers}),
judged AS (
    SELECT v.*, b.tier_id AS qual_id, b.name AS qual_name, b.rank AS qual_rank,
           pt.partner_id IS NOT NULL AS has_standing, pt.since, pt.downgrade_due,
           ct.id AS cur_id, ct.name AS cur_name, cur.rank AS cur_rank,
           CASE
               WHEN b.rank IS NOT NULL AND (coalesce(cur.rank, ct.rank) IS NULL OR b.rank > coalesce(cur.rank, ct.rank))
                   THEN 'up'
               -- the same level under another name (the partner came from another program): taken at once
               WHEN cur.rank IS NULL AND ct.id IS NOT NULL AND b.rank = ct.rank THEN 'up'
               WHEN b.rank IS NOT DISTINCT FROM coalesce(cur.rank, ct.rank)
                   THEN CASE WHEN pt.downgrade_due IS NOT NULL THEN 'kept' ELSE 'same' END
               WHEN pt.downgrade_due IS NULL AND %(grace)s > 0 THEN 'grace'
               WHEN pt.downgrade_due IS NULL OR pt.downgrade_due <= %(today)s THEN 'down'
               ELSE 'wait'
           END AS action
    FROM ({values}) v
    -- the highest tier whose every criterion is met; no figures (no offers answered, no ratings) meet none
    LEFT JOIN LATERAL (
        SELECT t.id AS tier_id, t.name, t.rank FROM tiers t
        WHERE v.sales >= t.min_sales AND v.won >= t.min_won AND v.certs >= t.min_certs
          AND (t.min_acc IS NULL OR v.acceptance >= t.min_acc)
          AND (t.min_sat IS NULL OR v.satisfaction >= t.min_sat)
        ORDER BY t.rank DESC LIMIT 1
    ) b ON true
    -- the partner's standing, whichever program gave it: a partner moving between programs (a new one
    -- published, its own archived) is compared with the tier it holds, so nothing moves that did not change,
    -- and a downgrade still waits out the grace period
    LEFT JOIN rewards_partnertier pt ON pt.partner_id = v.id
    LEFT JOIN rewards_tier ct ON ct.id = pt.tier_id
    -- the current tier by name among the tiers evaluated (a dry run's proposed tiers may re-rank it); a name
    -- this program does not have is compared by its rank in its own program
    LEFT JOIN tiers cur ON cur.name = ct.name
)
SELECT j.*,
       CASE WHEN j.action IN ('up', 'down') THEN j.qual_id ELSE j.cur_id END AS held_id,
       CASE WHEN j.action IN ('up', 'down') THEN j.qual_name ELSE j.cur_name END AS held_name,
       CASE WHEN j.action IN ('grace', 'wait') THEN j.qual_id END AS pending_id,
       CASE WHEN j.action = 'grace' THEN %(today)s::date + %(grace)s
            WHEN j.action = 'wait' THEN j.downgrade_due END AS due,
       {figures} AS figures
FROM judged j
"""

# the figures stored on the standing and on each change: built once, in tier_eval (a dry run stores none)
FIGURES_JSON = """jsonb_build_object('sales', j.sales, 'won', j.won, 'accepted', j.accepted, 'answered', j.answered,
       'acceptance', j.acceptance, 'certs', j.certs, 'satisfaction', j.satisfaction, 'rated', j.rated,
       'window_days', %(window)s::int)"""

# what the evaluation may use, for this statement only: the window's aggregates and hash joins in memory (the
# server's default, a few MB, sends them to disk in batches)
EVAL_WORK_MEM = "128MB"

STANDINGS_SQL = """
INSERT INTO rewards_partnertier (partner_id, program_id, tier_id, since, pending_tier_id, downgrade_due, values,
                                 computed_at)
SELECT e.id, %(program)s, e.held_id,
       CASE WHEN e.action IN ('up', 'down') THEN %(now)s ELSE e.since END,
       e.pending_id, e.due, e.figures, %(now)s
FROM tier_eval e
ON CONFLICT (partner_id) DO UPDATE SET
    program_id = EXCLUDED.program_id, tier_id = EXCLUDED.tier_id, since = EXCLUDED.since,
    pending_tier_id = EXCLUDED.pending_tier_id, downgrade_due = EXCLUDED.downgrade_due,
    values = EXCLUDED.values, computed_at = EXCLUDED.computed_at
"""

CHANGES_SQL = """
INSERT INTO rewards_tierchange (partner_id, program_id, run_id, direction, from_name, to_name, values,
                                downgrade_due, created_at)
SELECT e.id, %(program)s, %(run)s, e.action, coalesce(e.cur_name, ''),
       coalesce(CASE WHEN e.action = 'kept' THEN e.cur_name ELSE e.qual_name END, ''),
       e.figures, e.due, %(now)s
FROM tier_eval e
WHERE e.action IN ('up', 'down', 'grace', 'kept')
"""

# the tier's benefits onto the partner, where prices (the tier name), credit checks and routing read them
APPLY_SQL = """
UPDATE partners_organization o
SET tier = coalesce(h.name, ''), tier_step = coalesce(h.routing_step, 0), tier_credit_limit = h.credit_limit,
    updated_at = %(now)s
FROM (SELECT e.id, t.name, t.routing_step, t.credit_limit
      FROM tier_eval e LEFT JOIN rewards_tier t ON t.id = e.held_id) h
WHERE o.id = h.id
  AND (o.tier IS DISTINCT FROM coalesce(h.name, '') OR o.tier_step IS DISTINCT FROM coalesce(h.routing_step, 0)
       OR o.tier_credit_limit IS DISTINCT FROM h.credit_limit)
"""

NOTIFY_SQL = """
INSERT INTO core_notification (user_id, kind, message, params, url, created_at)
SELECT m.user_id, 'tier.' || e.action,
       CASE e.action
           WHEN 'up' THEN %(msg_up)s
           WHEN 'down' THEN %(msg_down)s
           ELSE %(msg_grace)s
       END,
       jsonb_build_object('tier', coalesce(e.qual_name, '-'), 'from', coalesce(e.cur_name, '-'),
                          'due', to_char(e.due, 'YYYY-MM-DD')),
       %(url)s, %(now)s
FROM tier_eval e
JOIN partners_membership m ON m.organization_id = e.id AND m.is_active
JOIN accounts_user u ON u.id = m.user_id AND u.is_active
WHERE e.action IN ('up', 'down', 'grace')
RETURNING id
"""

SUMMARY_SQL = """
SELECT e.action, coalesce(e.cur_name, ''), coalesce(e.qual_name, ''), count(*)
FROM tier_eval e GROUP BY 1, 2, 3
"""


# what the partner's users are told (English message ids, translated for each reader)
MESSAGES = {
    "msg_up": gettext_noop("Your tier is now %(tier)s (it was %(from)s)."),
    "msg_down": gettext_noop("Your tier is now %(tier)s (it was %(from)s)."),
    "msg_grace": gettext_noop("Your figures no longer meet %(from)s. You keep it until %(due)s; see what it "
                              "takes to stay on your home page."),
    "url": "/tier/",
}

@dataclass(frozen=True)
class TierSpec:
    """A tier's criteria, from the table or proposed in a form (a dry run)."""

    name: str
    rank: int
    min_sales: Decimal = Decimal(0)
    min_orders_won: int = 0
    min_acceptance: int | None = None
    min_certifications: int = 0
    min_satisfaction: Decimal | None = None
    id: int = 0


@dataclass
class Outcome:
    partners: int = 0
    upgraded: int = 0
    downgraded: int = 0
    grace_started: int = 0
    unchanged: int = 0
    moves: dict[str, int] = field(default_factory=dict)
    notification_ids: list[int] = field(default_factory=list)


def _window(window_days: int, now: dt.datetime) -> dict[str, Any]:
    return {"now": now, "start": now - dt.timedelta(days=window_days), "sold": list(SOLD_STATUSES),
            "window": window_days}


def _member_params(program: Any, only: list[int] | None) -> dict[str, Any]:
    return {"kind": program.kind, "segment": program.segment or "", "program": program.pk or 0,
            "priority": program.priority, "only": only}


def _tier_params(tiers: list[TierSpec]) -> dict[str, Any]:
    return {
        "t_id": [t.id for t in tiers], "t_name": [t.name for t in tiers], "t_rank": [t.rank for t in tiers],
        "t_sales": [t.min_sales for t in tiers], "t_won": [t.min_orders_won for t in tiers],
        "t_acc": [t.min_acceptance for t in tiers], "t_certs": [t.min_certifications for t in tiers],
        "t_sat": [t.min_satisfaction for t in tiers],
    }


def values_for(program: Any, partner_ids: list[int], *, now: dt.datetime | None = None) -> dict[int, dict]:
    """The criteria values of a few partners now, as the computation sees them."""
    now = now or timezone.now()
    params = {**_window(program.window_days, now), **_member_params(program, partner_ids)}
    with connection.cursor() as cursor:
        cursor.execute(_values_sql(partner_ids), params)
        columns = [c.name for c in cursor.description]
        return {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


def evaluate(program: Any, tiers: list[TierSpec], *, window_days: int, grace_days: int,
             only: list[int] | None = None, now: dt.datetime | None = None,
             run_id: int | None = None, write: bool = True) -> Outcome:
    """Evaluate a program's members against ``tiers``; with ``write``, apply the result. Runs in the caller's
    transaction (the temporary table lives until it commits)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    params: dict[str, Any] = {**_window(window_days, now), **_member_params(program, only), **_tier_params(tiers),
                              "grace": grace_days, "today": today, "run": run_id, **MESSAGES}
    outcome = Outcome()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS tier_eval")
        cursor.execute("SELECT current_setting('work_mem'), set_config('work_mem', %s, true)", [EVAL_WORK_MEM])
        work_mem = cursor.fetchone()[0]
        cursor.execute(EVAL_SQL.format(values=_values_sql(only), tiers=TIERS_SQL,
                                       figures=FIGURES_JSON if write else "NULL::jsonb"), params)
        cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])
        cursor.execute(SUMMARY_SQL)
        for action, from_name, to_name, count in cursor.fetchall():
            outcome.partners += count
            if action == "up":
                outcome.upgraded += count
            elif action == "down":
                outcome.downgraded += count
            elif action == "grace":
                outcome.grace_started += count
            else:
                outcome.unchanged += count
            if action in ("up", "down", "grace"):
                key = f"{from_name or '-'} → {to_name or '-'}" + (" (grace)" if action == "grace" else "")
                outcome.moves[key] = outcome.moves.get(key, 0) + count
        if write:
            # the writes join it to organisations and memberships: planned on its real size, not a guess
            cursor.execute("ANALYZE tier_eval (id, action, held_id)")
            cursor.execute(STANDINGS_SQL, params)
            cursor.execute(CHANGES_SQL, params)
            cursor.execute(APPLY_SQL, params)
            cursor.execute(NOTIFY_SQL, params)
            outcome.notification_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("DROP TABLE tier_eval")
    return outcome
