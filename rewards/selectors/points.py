"""Who sees which points: a partner (dealer or distributor) its own ledger and redemptions, HQ everyone's.
A distributor does not see its dealers' points. Anything else is a 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import BigIntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from partners.models import Organization
from prm.core.actor import Actor
from prm.core.roles import OrgKind
from rewards.models import LedgerEntry, PointsEvent, PointsRule, Redemption, RedemptionStatus, Reward

PARTNER_KINDS = (OrgKind.DEALER, OrgKind.DISTRIBUTOR)

# What a partner has spent, net of what came back: redeemed, expired and negative corrections, less the points
# returned by rejected or cancelled redemptions. Spending and expiry consume earned points first-in-first-out
# (the soonest to expire first), so the points still to expire by a day D are
#     max(0, earned expiring on or before D − spent)
# and a lot that never expires (or a positive correction) is spent last.
SPENT = """
    COALESCE(SUM(-points) FILTER (WHERE kind IN ('redeemed', 'expired') OR (kind = 'correction' AND points < 0)),
             0)
    - COALESCE(SUM(points) FILTER (WHERE kind = 'reversed'), 0)
"""

# Per partner: the first day on (or after) ``start`` some of its points expire, the last such day up to
# ``horizon``, and how many points expire by ``horizon`` unless spent first (``partner`` NULL: every partner).
EXPIRING_SQL = f"""
WITH spent AS (
    SELECT partner_id, {SPENT} AS spent
    FROM rewards_ledgerentry
    WHERE %(partner)s::bigint IS NULL OR partner_id = %(partner)s
    GROUP BY partner_id
), lots AS (
    SELECT partner_id, expires_on, SUM(points) AS points
    FROM rewards_ledgerentry
    WHERE kind = 'earned' AND expires_on <= %(horizon)s
      AND (%(partner)s::bigint IS NULL OR partner_id = %(partner)s)
    GROUP BY partner_id, expires_on
), running AS (
    SELECT lots.partner_id, lots.expires_on,
           SUM(lots.points) OVER (PARTITION BY lots.partner_id ORDER BY lots.expires_on) - spent.spent AS due
    FROM lots JOIN spent USING (partner_id)
)
SELECT partner_id, MIN(expires_on), MAX(expires_on), MAX(due)
FROM running
WHERE due > 0 AND expires_on >= %(start)s
GROUP BY partner_id
"""


def ledger_entry_visible_to(actor: Actor) -> QuerySet[LedgerEntry]:
    qs = LedgerEntry.objects.select_related("partner", "redemption__reward")
    if actor.is_system or actor.is_hq:
        return qs
    return qs.filter(partner_id=actor.organization_id)


def redemption_visible_to(actor: Actor) -> QuerySet[Redemption]:
    qs = Redemption.objects.select_related("partner", "reward", "requested_by", "decided_by")
    if actor.is_system or actor.is_hq:
        return qs
    return qs.filter(partner_id=actor.organization_id)


def redemption_get(actor: Actor, pk: int) -> Redemption:
    return get_object_or_404(redemption_visible_to(actor), pk=pk)


def reward_visible_to(actor: Actor) -> QuerySet[Reward]:
    """HQ manages the whole catalogue; partners see what is offered."""
    if actor.is_system or actor.is_hq:
        return Reward.objects.all()
    return Reward.objects.filter(is_active=True)


def points_partner_get(actor: Actor, pk: int) -> Organization:
    """A partner whose points the actor may look at (HQ: any dealer or distributor; a partner: itself)."""
    qs = Organization.objects.filter(kind__in=PARTNER_KINDS)
    if not (actor.is_system or actor.is_hq):
        qs = qs.filter(pk=actor.organization_id or 0)
    return get_object_or_404(qs, pk=pk)


def points_balance(partner: Organization | int) -> int:
    partner_id = partner if isinstance(partner, int) else partner.pk
    return int(LedgerEntry.objects.filter(partner_id=partner_id).aggregate(
        total=Coalesce(Sum("points"), 0))["total"])


@dataclass(frozen=True)
class Expiring:
    """Points that expire by ``until`` unless spent first; the first of them on ``first_on``."""

    points: int
    first_on: dt.date | None
    last_on: dt.date | None
    until: dt.date


def expiring_all(*, today: dt.date, within_days: int,
                 partner: Organization | int | None = None) -> dict[int, Expiring]:
    """Every partner's points expiring in the next ``within_days`` days, in one statement."""
    horizon = today + dt.timedelta(days=within_days)
    partner_id = partner if isinstance(partner, int) or partner is None else partner.pk
    with connection.cursor() as cursor:
        cursor.execute(EXPIRING_SQL, {"partner": partner_id, "horizon": horizon, "start": today})
        rows = cursor.fetchall()
    return {pk: Expiring(points=int(due), first_on=first, last_on=last, until=horizon)
            for pk, first, last, due in rows}


def points_expiring(partner: Organization | int, within_days: int = 30,
                    today: dt.date | None = None) -> Expiring:
    from django.utils import timezone

    today = today or timezone.localdate()
    partner_id = partner if isinstance(partner, int) else partner.pk
    found = expiring_all(today=today, within_days=within_days, partner=partner_id).get(partner_id)
    return found or Expiring(points=0, first_on=None, last_on=None, until=today + dt.timedelta(days=within_days))


def partner_balances(actor: Actor, *, q: str = "") -> QuerySet[Organization]:
    """Dealers and distributors with their balances (one query), highest first; HQ only."""
    if not (actor.is_system or actor.is_hq):
        return Organization.objects.none()
    total = (LedgerEntry.objects.filter(partner=OuterRef("pk")).values("partner")
             .annotate(total=Sum("points")).values("total"))
    pending = (Redemption.objects.filter(partner=OuterRef("pk"), status=RedemptionStatus.REQUESTED)
               .values("partner").annotate(total=Sum("points")).values("total"))
    qs = Organization.objects.filter(kind__in=PARTNER_KINDS).annotate(
        points=Coalesce(Subquery(total), Value(0), output_field=BigIntegerField()),
        pending=Coalesce(Subquery(pending), Value(0), output_field=BigIntegerField()))
    q = q.strip()[:100]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(business_number__contains=q.replace("-", "")))
    return qs.order_by("-points", "name", "pk")


def rules_for_events() -> list[PointsRule]:
    """One rule per event, in the order of the events; an event never configured gets an unsaved, inactive one."""
    saved = {rule.event: rule for rule in PointsRule.objects.all()}
    return [saved.get(event) or PointsRule(event=event) for event in PointsEvent.values]
