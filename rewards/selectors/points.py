"""Who sees which points: a partner (dealer or distributor) its own ledger and redemptions, HQ everyone's.
A distributor does not see its dealers' points. Anything else is a 404."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import BigIntegerField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from partners.models import Organization
from prm.core.actor import Actor
from prm.core.roles import OrgKind
from rewards.models import LedgerEntry, LedgerKind, PointsEvent, PointsRule, Redemption, RedemptionStatus, Reward

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

# Per partner: the first day some of its points expire, the last such day up to ``horizon``, and how many
# points expire by ``horizon`` unless spent first (``partner`` NULL: every partner). Points whose day is already
# past but still held (a redemption of them rejected or cancelled after their day) go at the next daily run:
# they count as expiring on ``start``, not as never expiring.
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
SELECT partner_id, GREATEST(MIN(expires_on), %(start)s::date), GREATEST(MAX(expires_on), %(start)s::date),
       MAX(due)
FROM running
WHERE due > 0
GROUP BY partner_id
"""

# One partner's lots up to a day (the expiring points by date) and what it has spent.
LOTS_SQL = """
SELECT expires_on, SUM(points) FROM rewards_ledgerentry
WHERE partner_id = %(partner)s AND kind = 'earned' AND expires_on <= %(horizon)s
GROUP BY expires_on ORDER BY expires_on
"""
PARTNER_SPENT_SQL = f"SELECT {SPENT} FROM rewards_ledgerentry WHERE partner_id = %(partner)s"


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


def points_expiring_dates(partner: Organization | int, within_days: int = 30,
                          today: dt.date | None = None) -> list[tuple[dt.date, int]]:
    """The partner's points expiring in the next ``within_days`` days, by date (soonest first); their sum is
    ``points_expiring(...).points``. Points already past their day but still held are on ``today``."""
    from django.utils import timezone

    today = today or timezone.localdate()
    partner_id = partner if isinstance(partner, int) else partner.pk
    params: dict[str, int | dt.date] = {"partner": partner_id, "horizon": today + dt.timedelta(days=within_days)}
    with connection.cursor() as cursor:
        cursor.execute(LOTS_SQL, params)
        lots = cursor.fetchall()
        if not lots:
            return []
        cursor.execute(PARTNER_SPENT_SQL, params)
        spent = int(cursor.fetchone()[0] or 0)
    by_date: dict[dt.date, int] = {}
    earned = due_before = 0
    for expires_on, points in lots:
        earned += int(points)
        due = max(earned - spent, 0)
        if due > due_before:
            day = max(expires_on, today)
            by_date[day] = by_date.get(day, 0) + due - due_before
        due_before = due
    return sorted(by_date.items())


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
    q = unicodedata.normalize("NFKC", q).strip()[:100]
    if q:
        digits = q.replace("-", "").replace(" ", "")
        match = Q(name__icontains=q)
        if digits.isdigit():
            match |= Q(business_number__contains=digits)
        qs = qs.filter(match)
    return qs.order_by("-points", "name", "pk")


def rules_for_events() -> list[PointsRule]:
    """One rule per event, in the order of the events; an event never configured gets an unsaved, inactive one."""
    saved = {rule.event: rule for rule in PointsRule.objects.all()}
    return [saved.get(event) or PointsRule(event=event) for event in PointsEvent.values]


def ledger_of(actor: Actor, partner: Organization | int) -> QuerySet[LedgerEntry]:
    """A partner's entries, newest first, each with ``balance_after`` (the balance once it was added): one
    window over the partner's entries, so a page of history costs one query.

    In id order, not by ``created_at``: an id is drawn when the row is inserted, so an entry that spent points
    always comes after the entries whose balance it checked (under the partner's lock), and no running balance
    is ever shown below zero; ``created_at`` is the transaction's clock in some inserts and Python's in others."""
    partner_id = partner if isinstance(partner, int) else partner.pk
    running = Window(Sum("points"), partition_by=[F("partner_id")], order_by=[F("id").asc()])
    return (ledger_entry_visible_to(actor).filter(partner_id=partner_id)
            .annotate(balance_after=running).order_by("-id"))


# Descriptions the services write as message ids (translated when shown); anything else is the text HQ typed.
_DESCRIPTIONS = {
    "Points expired": gettext_lazy("Points expired"),
    "Redemption cancelled": gettext_lazy("Redemption cancelled"),
}


def entry_description(entry: LedgerEntry) -> str:
    """What a partner reads for an entry: its reason, the reward, or what earned it."""
    if entry.description in _DESCRIPTIONS:
        return str(_DESCRIPTIONS[entry.description])
    if entry.description:
        return entry.description
    if entry.kind == LedgerKind.EARNED and entry.event:
        return str(entry.get_event_display())
    if entry.redemption_id and entry.redemption is not None:
        return entry.redemption.reward.name
    return str(entry.get_kind_display())
