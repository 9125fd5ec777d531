"""The points ledger's writes: earning (idempotent, by the tenant's rules), HQ corrections, redemptions (points
taken when requested, returned when rejected or cancelled), and the daily expiry and its advance notice.

Entries are only ever inserted (the table refuses UPDATE and DELETE). Anything that takes points away locks the
partner's Organization row first, so two requests at once cannot both spend the same points; the locks are
always taken in the order partner → redemption → reward.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partners.choices import PartnerStatus
from partners.models import Membership, Organization
from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.errors import ServiceError
from prm.core.models import AuditEvent
from prm.core.money import parse_amount, ungroup
from prm.core.roles import HQ_ROLES, OrgKind
from prm.core.text import clean_text
from rewards import permissions
from rewards.models import (
    LedgerEntry,
    LedgerKind,
    PointsEvent,
    PointsRule,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardKind,
)
from rewards.models.ledger import MAX_EXPIRY_MONTHS, MAX_FIXED_POINTS, MAX_POINTS_PER_10K
from rewards.selectors.points import PARTNER_KINDS, SPENT, expiring_all, points_balance

MAX_CORRECTION = 100_000_000  # points one correction may add or take
MAX_REDEEM_QUANTITY = 100
MAX_REWARD_COST = 100_000_000
MAX_REWARD_STOCK = 1_000_000
MAX_CREDIT_AMOUNT = Decimal(10_000_000_000)

INSERT_EARNED_SQL = """
INSERT INTO rewards_ledgerentry (partner_id, kind, points, event, reference, expires_on, description,
                                 created_by_id, created_at)
VALUES (%s, 'earned', %s, %s, %s, %s, %s, %s, now())
ON CONFLICT DO NOTHING
RETURNING id
"""

# Lock every partner with points due to expire (in id order, as everyone else locks one partner), so no
# redemption or correction moves their balance between the reading and the writing below.
LOCK_EXPIRING_SQL = """
SELECT o.id FROM partners_organization o
WHERE o.id IN (SELECT DISTINCT partner_id FROM rewards_ledgerentry WHERE kind = 'earned' AND expires_on <= %(day)s)
ORDER BY o.id
FOR UPDATE OF o
"""

# One `expired` entry per partner whose points earned to expire on or before the day exceed what it has spent
# and seen expire already (first in, first out): see rewards.selectors.points.SPENT.
EXPIRE_SQL = f"""
INSERT INTO rewards_ledgerentry (partner_id, kind, points, event, reference, expires_on, description,
                                 created_by_id, created_at)
SELECT partner_id, 'expired', -due, '', %(reference)s, NULL, %(description)s, NULL, now()
FROM (
    SELECT partner_id,
           COALESCE(SUM(points) FILTER (WHERE kind = 'earned' AND expires_on <= %(day)s), 0) - ({SPENT}) AS due
    FROM rewards_ledgerentry
    WHERE partner_id IN (SELECT DISTINCT partner_id FROM rewards_ledgerentry
                         WHERE kind = 'earned' AND expires_on <= %(day)s)
    GROUP BY partner_id
) AS balances
WHERE due > 0
RETURNING id, partner_id, -points
"""

NOTICE_SQL = """
INSERT INTO rewards_pointsexpirynotice (partner_id, expires_on, points, created_at)
SELECT unnest(%(partners)s::bigint[]), unnest(%(dates)s::date[]), unnest(%(points)s::bigint[]), now()
ON CONFLICT (partner_id, expires_on) DO NOTHING
RETURNING partner_id, expires_on, points
"""


# --- text people typed -----------------------------------------------------------------------------------------


# --- earning ---------------------------------------------------------------------------------------------------

def points_for(rule: PointsRule, amount: Decimal | int | None) -> int:
    """The rule's fixed points plus its points for each whole KRW 10,000 of the amount."""
    points = rule.fixed_points
    if amount is not None and rule.points_per_10k:
        try:
            whole = int(Decimal(amount) // 10_000)
        except (InvalidOperation, TypeError, ValueError):
            whole = 0
        points += max(whole, 0) * rule.points_per_10k
    return points


def points_earn(*, partner: Organization, event: str, reference: str, amount: Decimal | int | None = None,
                actor: Actor | None = None, today: dt.date | None = None, detail: str = "") -> LedgerEntry | None:
    """Credit the points the tenant's active rule gives for ``event``. Idempotent: the same (partner, event,
    reference) earns once, whoever calls how often. None when there is no active rule, the rule gives nothing,
    the organisation is not a partner, or the points were already earned. ``detail`` (the course's title, the
    order's number) follows the rule's description on the partner's history."""
    if event not in PointsEvent.values:
        raise ValidationError({"event": _("Unknown points event %(event)s.") % {"event": event}})
    reference = (reference or "").strip()[:120]
    if not reference:
        raise ValidationError({"reference": _("Say what earned the points (e.g. purchase:123).")})
    if partner.kind not in PARTNER_KINDS:
        return None
    with transaction.atomic():
        rule = PointsRule.objects.filter(event=event, is_active=True).first()
        if rule is None:
            return None
        points = points_for(rule, amount)
        if points <= 0:
            return None
        today = today or timezone.localdate()
        expires_on = today + relativedelta(months=rule.expires_after_months) if rule.expires_after_months else None
        actor = actor or Actor.system()
        detail = " ".join(str(detail or "").split())
        description = f"{rule.description}: {detail}" if rule.description and detail else rule.description or detail
        with connection.cursor() as cursor:
            cursor.execute(INSERT_EARNED_SQL, [partner.pk, points, event, reference, expires_on,
                                               description[:300], actor.user.pk if actor.user else None])
            row = cursor.fetchone()
        if row is None:
            return None  # already earned
        entry = LedgerEntry.objects.get(pk=row[0])
        audit(actor=actor, action="points.earn", obj=entry, partner=partner.pk, event=event, reference=reference,
              points=points, amount=None if amount is None else str(amount))
    return entry


# --- corrections -----------------------------------------------------------------------------------------------

def _lock_partner(partner: Organization | int) -> Organization:
    pk = partner if isinstance(partner, int) else partner.pk
    locked = Organization.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise ServiceError(_("This partner no longer exists."))
    return locked


def parse_points(value: Any, *, field: str = "points", allow_negative: bool = True,
                 most: int = MAX_CORRECTION) -> int:
    """A whole number of points typed by a person, or a ValidationError naming the field."""
    text = ungroup(unicodedata.normalize("NFKC", str(value if value is not None else ""))) or "-"
    if (isinstance(value, bool | float) or not text or len(text) > 12
            or not (text.isascii() and text.lstrip("+-").isdigit())):
        raise ValidationError({field: _("Enter a whole number of points.")})
    try:
        points = int(text)
    except ValueError:
        raise ValidationError({field: _("Enter a whole number of points.")}) from None
    if points == 0 or (points < 0 and not allow_negative) or abs(points) > most:
        raise ValidationError({field: _("Enter a number of points other than zero, at most %(most)s either way.")
                               % {"most": f"{most:,}"}})
    return points


@transaction.atomic
def points_correct(*, actor: Actor, partner: Organization, points: int | str, reason: str) -> LedgerEntry:
    """HQ adds (positive) or takes away (negative) points, with a reason the partner sees. It cannot take the
    balance below zero. Points added this way never expire."""
    permissions.require(actor, "points.correct")
    points = parse_points(points)
    reason = clean_text(reason, field="reason", most=300)
    if not reason:
        raise ValidationError({"reason": _("Say why the points are corrected; the partner sees it.")})
    if partner.kind not in PARTNER_KINDS:
        raise ServiceError(_("Only dealers and distributors collect points."))
    partner = _lock_partner(partner)
    balance = points_balance(partner)
    if balance + points < 0:
        raise ValidationError({"points": _("That takes away more than the partner has (%(balance)s points).")
                               % {"balance": f"{balance:,}"}})
    entry = LedgerEntry.objects.create(partner=partner, kind=LedgerKind.CORRECTION, points=points,
                                       reference=f"correction:{actor.user.pk if actor.user else 'system'}",
                                       description=reason, created_by=actor.user)
    audit(actor=actor, action="points.correct", obj=entry, partner=partner.pk, points=points, reason=reason,
          balance_before=balance)
    _tell_partner(partner.pk, kind="points.corrected", params={"points": f"{points:+,}", "reason": reason},
                  message=gettext_noop("HQ corrected your points by %(points)s: %(reason)s"))
    return entry


# --- redemptions -----------------------------------------------------------------------------------------------

def _quantity(value: Any) -> int:
    try:
        quantity = int(str(value).strip()) if not isinstance(value, bool | float) else 0
    except ValueError:
        quantity = 0
    if quantity < 1 or quantity > MAX_REDEEM_QUANTITY:
        raise ValidationError({"quantity": _("Enter a quantity between 1 and %(most)s.")
                               % {"most": MAX_REDEEM_QUANTITY}})
    return quantity


@transaction.atomic
def redemption_request(*, actor: Actor, reward: Reward, quantity: int | str) -> Redemption:
    """A partner's user spends points on a reward. The points leave the balance now (a ``redeemed`` entry), so
    they cannot be spent twice while HQ decides; the partner's row is locked while its balance is checked."""
    permissions.require(actor, "points.redeem")
    quantity = _quantity(quantity)
    if actor.organization is None or actor.kind not in PARTNER_KINDS:
        raise ServiceError(_("Only dealers and distributors redeem points."))
    partner = _lock_partner(actor.organization)
    if partner.status != PartnerStatus.ACTIVE:
        raise ServiceError(_("Only an active partner can redeem points. Ask HQ about your account's status."))
    reward = Reward.objects.select_for_update().filter(pk=reward.pk).first()  # type: ignore[assignment]
    if reward is None or not reward.is_active:
        raise ValidationError({"reward": _("This reward is no longer offered; choose another from the "
                                           "catalogue.")})
    if reward.stock is not None and reward.stock < quantity:
        raise ValidationError({"quantity": _("Only %(left)s of %(reward)s are left.")
                               % {"left": reward.stock, "reward": reward.name}})
    cost = reward.points_cost * quantity
    balance = points_balance(partner)
    if cost > balance:
        raise ValidationError({"quantity": _("That costs %(cost)s points and you have %(balance)s.")
                               % {"cost": f"{cost:,}", "balance": f"{balance:,}"}})
    credit_amount = None
    if reward.kind == RewardKind.CREDIT_NOTE:
        if not reward.credit_amount or reward.credit_amount <= 0:
            raise ValidationError({"reward": _("This reward has no credit note amount yet; choose another from "
                                               "the catalogue.")})
        credit_amount = Decimal(reward.credit_amount) * quantity
    if reward.stock is not None:
        Reward.objects.filter(pk=reward.pk).update(stock=F("stock") - quantity, updated_at=timezone.now())
    redemption = Redemption.objects.create(partner=partner, reward=reward, quantity=quantity, points=cost,
                                           credit_amount=credit_amount, requested_by=actor.user)
    LedgerEntry.objects.create(partner=partner, kind=LedgerKind.REDEEMED, points=-cost, redemption=redemption,
                               reference=f"redemption:{redemption.pk}", description=reward.name[:300],
                               created_by=actor.user)
    audit(actor=actor, action="points.redeem", obj=redemption, reward=reward.pk, quantity=quantity, points=cost,
          balance_before=balance)
    _tell_hq(kind="points.redemption", params={"partner": partner.name, "points": f"{cost:,}",
                                               "reward": reward.name},
             message=gettext_noop("%(partner)s asks to redeem %(points)s points for %(reward)s."))
    return redemption


def _locked_redemption(redemption: Redemption) -> Redemption:
    _lock_partner(redemption.partner_id)
    return Redemption.objects.select_for_update(of=("self",)).select_related("reward", "partner").get(
        pk=redemption.pk)


def _give_back(*, actor: Actor, redemption: Redemption, description: str) -> LedgerEntry:
    """Return a redemption's points (a ``reversed`` entry) and its reward's stock."""
    if redemption.reward.stock is not None:
        Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + redemption.quantity,
                                                              updated_at=timezone.now())
    return LedgerEntry.objects.create(partner_id=redemption.partner_id, kind=LedgerKind.REVERSED,
                                      points=redemption.points, redemption=redemption,
                                      reference=f"redemption:{redemption.pk}", description=description[:300],
                                      created_by=actor.user)


def _still_requested(redemption: Redemption) -> None:
    if redemption.status != RedemptionStatus.REQUESTED:
        raise ServiceError(_("This redemption was already decided (%(status)s).")
                           % {"status": redemption.get_status_display()})


@transaction.atomic
def redemption_approve(*, actor: Actor, redemption: Redemption) -> Redemption:
    """HQ approves: the points stay spent; a credit-note reward credits the partner's account with HQ, by the
    amount offered when the partner asked (whatever the catalogue says now)."""
    permissions.require(actor, "points.decide")
    redemption = _locked_redemption(redemption)
    _still_requested(redemption)
    reward = redemption.reward
    # a redemption asked for since migration 0004 knows its amount; an older one reads the catalogue
    if redemption.credit_amount is not None or reward.kind == RewardKind.CREDIT_NOTE:
        # the account is purchasing's; a credit note is an append-only entry there, like an approved return's
        from purchasing.services import credit_note_from_hq

        amount = Decimal(redemption.credit_amount if redemption.credit_amount is not None
                         else (reward.credit_amount or 0) * redemption.quantity)
        if amount <= 0:
            raise ServiceError(_("This credit-note reward has no amount; set one in the catalogue first."))
        redemption.credit_note = credit_note_from_hq(actor=actor, partner=redemption.partner, amount=amount,
                                                     reference=f"POINTS/R{redemption.pk}")
    redemption.status = RedemptionStatus.APPROVED
    redemption.decided_by, redemption.decided_at = actor.user, timezone.now()
    redemption.save(update_fields=["status", "decided_by", "decided_at", "credit_note"])
    audit(actor=actor, action="points.redemption_approve", obj=redemption, points=redemption.points,
          credit_note=redemption.credit_note_id)
    _tell_partner(redemption.partner_id, kind="points.redemption_approved",
                  params={"reward": reward.name, "points": f"{redemption.points:,}"},
                  message=gettext_noop("HQ approved your redemption of %(points)s points for %(reward)s."))
    return redemption


@transaction.atomic
def redemption_reject(*, actor: Actor, redemption: Redemption, reason: str) -> Redemption:
    """HQ rejects, saying why: the points come back (a ``reversed`` entry)."""
    permissions.require(actor, "points.decide")
    reason = clean_text(reason, field="reason", most=300)
    if not reason:
        raise ValidationError({"reason": _("Say why the redemption is rejected; the partner sees it.")})
    redemption = _locked_redemption(redemption)
    _still_requested(redemption)
    _give_back(actor=actor, redemption=redemption, description=f"{redemption.reward.name}: {reason}")
    redemption.status, redemption.reason = RedemptionStatus.REJECTED, reason
    redemption.decided_by, redemption.decided_at = actor.user, timezone.now()
    redemption.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit(actor=actor, action="points.redemption_reject", obj=redemption, points=redemption.points, reason=reason)
    _tell_partner(redemption.partner_id, kind="points.redemption_rejected",
                  params={"reward": redemption.reward.name, "points": f"{redemption.points:,}", "reason": reason},
                  message=gettext_noop("HQ rejected your redemption for %(reward)s (%(reason)s); your %(points)s "
                                       "points are back."))
    return redemption


@transaction.atomic
def redemption_cancel(*, actor: Actor, redemption: Redemption) -> Redemption:
    """The partner withdraws its request while HQ has not decided: the points come back."""
    permissions.require(actor, "points.redeem")
    if actor.organization_id != redemption.partner_id:
        raise ServiceError(_("Only the partner that asked for this redemption can cancel it."))
    redemption = _locked_redemption(redemption)
    _still_requested(redemption)
    _give_back(actor=actor, redemption=redemption, description=gettext_noop("Redemption cancelled"))
    redemption.status = RedemptionStatus.CANCELLED
    redemption.decided_by, redemption.decided_at = actor.user, timezone.now()
    redemption.save(update_fields=["status", "decided_by", "decided_at"])
    audit(actor=actor, action="points.redemption_cancel", obj=redemption, points=redemption.points)
    return redemption


# --- expiry ----------------------------------------------------------------------------------------------------

def points_expire(*, today: dt.date) -> int:
    """Beat, daily: expire, for every partner at once, the points earned to expire on or before ``today`` that
    were not spent (first in, first out). One ``expired`` entry per partner; running it again the same day
    finds nothing. Returns the number of partners whose points expired."""
    description = gettext_noop("Points expired")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(LOCK_EXPIRING_SQL, {"day": today})
            if not cursor.fetchall():
                return 0
            # a new statement: under READ COMMITTED it sees what the partners we now hold committed before
            cursor.execute(EXPIRE_SQL, {"day": today, "reference": f"expiry:{today.isoformat()}",
                                        "description": description})
            expired = cursor.fetchall()
        if not expired:
            return 0
        AuditEvent.objects.bulk_create([
            AuditEvent(user=None, organization_id=None, action="points.expire", object_type="rewards.ledgerentry",
                       object_id=str(entry_id), data={"partner": partner_id, "points": points,
                                                      "day": today.isoformat()})
            for entry_id, partner_id, points in expired])
        _tell_partners({partner_id: {"points": f"{points:,}"} for _id, partner_id, points in expired},
                       kind="points.expired", email=False,
                       message=gettext_noop("%(points)s of your points expired today."))
    return len(expired)


def points_expiry_notices(*, today: dt.date, days: int = 30) -> int:
    """Beat, daily: tell each partner's people (in the portal and by e-mail) about points that will expire in
    the next ``days`` days, once: a partner is told again only when a later expiry date comes first. Returns
    the number of partners told."""
    expiring = expiring_all(today=today, within_days=days)
    if not expiring:
        return 0
    pks = sorted(expiring)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(NOTICE_SQL, {"partners": pks, "dates": [expiring[pk].first_on for pk in pks],
                                        "points": [expiring[pk].points for pk in pks]})
            told = cursor.fetchall()
        on_one_day: dict[int, dict[str, Any]] = {}
        over_days: dict[int, dict[str, Any]] = {}
        for partner_id, first_on, points in told:
            last_on = expiring[partner_id].last_on or first_on
            params = {"points": f"{points:,}", "date": first_on.isoformat(), "until": last_on.isoformat()}
            (on_one_day if last_on == first_on else over_days)[partner_id] = params
        _tell_partners(on_one_day, kind="points.expiring",
                       message=gettext_noop("%(points)s of your points expire on %(date)s unless you redeem "
                                            "them first."))
        _tell_partners(over_days, kind="points.expiring",
                       message=gettext_noop("%(points)s of your points expire between %(date)s and %(until)s "
                                            "unless you redeem them first."))
    return len(told)


# --- HQ: the rules and the reward catalogue ---------------------------------------------------------------------

def parse_whole(value: Any, *, field: str, least: int = 0, most: int, blank: int | None = None) -> int | None:
    """A whole number typed by a person (thousands separators and full-width digits allowed) between ``least``
    and ``most``, or a ValidationError naming the field. Empty is ``blank`` (None: empty is an error)."""
    refused = ValidationError({field: _("Enter a whole number from %(least)s to %(most)s.")
                               % {"least": f"{least:,}", "most": f"{most:,}"}})
    if isinstance(value, bool | float):
        raise refused
    text = ungroup(unicodedata.normalize("NFKC", str(value if value is not None else "")))
    if text == "" and blank is not None:
        return blank
    if not text or len(text) > 15 or not (text.isascii() and text.lstrip("+-").isdigit()):
        raise refused
    try:
        number = int(text)
    except ValueError:
        raise refused from None
    if not least <= number <= most:
        raise refused
    return number


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


RULE_FIELDS = ("fixed_points", "points_per_10k", "expires_after_months", "description", "is_active")
REWARD_FIELDS = ("name", "description", "points_cost", "kind", "credit_amount", "stock", "is_active")


@transaction.atomic
def points_rule_save(*, actor: Actor, event: str, fixed_points: int | str, points_per_10k: int | str,
                     expires_after_months: int | str, description: str = "", is_active: bool) -> PointsRule:
    """HQ sets how many points an event earns in this tenant (one rule per event). Points already earned keep
    their number and their expiry date; the rule applies to what is earned from now on."""
    permissions.require(actor, "points.rules")
    if event not in PointsEvent.values:
        raise ValidationError({"event": _("Choose one of the listed events.")})
    values: dict[str, Any] = {
        "fixed_points": parse_whole(fixed_points, field="fixed_points", most=MAX_FIXED_POINTS, blank=0),
        "points_per_10k": parse_whole(points_per_10k, field="points_per_10k", most=MAX_POINTS_PER_10K, blank=0),
        "expires_after_months": parse_whole(expires_after_months, field="expires_after_months",
                                            most=MAX_EXPIRY_MONTHS, blank=0),
        "description": clean_text(description, field="description", most=300),
        "is_active": bool(is_active),
    }
    if values["is_active"] and not values["fixed_points"] and not values["points_per_10k"]:
        raise ValidationError({"fixed_points": _("An active rule must give some points: set fixed points, points "
                                                 "per KRW 10,000, or both.")})
    rule = PointsRule.objects.select_for_update().filter(event=event).first()
    creating = rule is None
    rule = rule or PointsRule(event=event)
    before = {} if creating else {name: getattr(rule, name) for name in RULE_FIELDS}
    for name, value in values.items():
        setattr(rule, name, value)
    rule.updated_by = actor.user
    rule.full_clean()
    rule.save()
    audit(actor=actor, action="points.rule_create" if creating else "points.rule_update", obj=rule, event=event,
          changes=_changes(before, values))
    return rule


def _credit_amount(value: Any) -> Decimal:
    amount = parse_amount(value, allow_zero=False) if value not in (None, "") else None
    if amount is None or amount != amount.to_integral_value() or amount > MAX_CREDIT_AMOUNT:
        raise ValidationError({"credit_amount": _("Enter the credit note's amount in whole won, from 1 to "
                                                  "%(most)s.") % {"most": f"{MAX_CREDIT_AMOUNT:,}"}})
    return amount


@transaction.atomic
def reward_save(*, actor: Actor, reward: Reward | None = None, name: str, description: str = "",
                points_cost: int | str, kind: str, credit_amount: Decimal | str | None = None,
                stock: int | str | None = None, is_active: bool = True) -> Reward:
    """HQ adds a reward to the catalogue or changes one. A credit note needs its amount (in whole won); goods
    have none. ``stock`` is how many are left to redeem (None or empty: no limit). Redemptions already asked
    for keep the points and the credit note amount they were asked at."""
    permissions.require(actor, "points.rewards")
    if kind not in RewardKind.values:
        raise ValidationError({"kind": _("Choose goods or a credit note.")})
    values: dict[str, Any] = {
        "name": clean_text(name, field="name", most=120),
        "description": clean_text(description, field="description", most=2000, multiline=True),
        "points_cost": parse_whole(points_cost, field="points_cost", least=1, most=MAX_REWARD_COST),
        "kind": kind,
        "credit_amount": _credit_amount(credit_amount) if kind == RewardKind.CREDIT_NOTE else None,
        "stock": None if stock in (None, "") else parse_whole(stock, field="stock", most=MAX_REWARD_STOCK),
        "is_active": bool(is_active),
    }
    if not values["name"]:
        raise ValidationError({"name": _("Name the reward as partners will see it.")})
    creating = reward is None
    if reward is not None:
        # the row redemptions lock too: a stock count set here and a redemption cannot cross
        reward = Reward.objects.select_for_update().filter(pk=reward.pk).first()
        if reward is None:
            raise ServiceError(_("This reward no longer exists."))
    reward = reward or Reward()
    before = {} if creating else {name: getattr(reward, name) for name in REWARD_FIELDS}
    for field, value in values.items():
        setattr(reward, field, value)
    reward.full_clean()
    reward.save()
    audit(actor=actor, action="points.reward_create" if creating else "points.reward_update", obj=reward,
          changes={k: [str(a) if a is not None else None, str(b) if b is not None else None]
                   for k, (a, b) in _changes(before, values).items()})
    return reward


@transaction.atomic
def reward_delete(*, actor: Actor, reward: Reward) -> None:
    """HQ removes a reward nobody has redeemed yet; one with redemptions stays (their history names it) and is
    made inactive instead."""
    permissions.require(actor, "points.rewards")
    locked = Reward.objects.select_for_update().filter(pk=reward.pk).first()
    if locked is None:
        return
    if Redemption.objects.filter(reward=locked).exists():
        raise ServiceError(_("Partners have redeemed this reward, so it stays in their history: make it inactive "
                             "instead."))
    audit(actor=actor, action="points.reward_delete", obj=locked, name=locked.name, points_cost=locked.points_cost)
    locked.delete()


# --- telling people --------------------------------------------------------------------------------------------

POINTS_URL = "/points/"
HQ_POINTS_URL = "/hq/points/redemptions/"  # the queue: what HQ is told about is a redemption to decide


def _tell_partners(params_by_partner: dict[int, dict[str, Any]], *, kind: str, message: str,
                   email: bool = True) -> None:
    from prm.core.notifications import Notice, notify_many

    if not params_by_partner:
        return
    users: dict[int, list[Any]] = {}
    for membership in Membership.objects.filter(organization_id__in=list(params_by_partner),
                                                is_active=True).select_related("user"):
        users.setdefault(membership.organization_id, []).append(membership.user)
    notify_many([Notice(users=users.get(pk, []), kind=kind, message=message, params=params, url=POINTS_URL)
                 for pk, params in params_by_partner.items()], email=email)


def _tell_partner(partner_id: int, *, kind: str, message: str, params: dict[str, Any]) -> None:
    _tell_partners({partner_id: params}, kind=kind, message=message)


def _tell_hq(*, kind: str, message: str, params: dict[str, Any]) -> None:
    from prm.core.notifications import notify

    users = [m.user for m in Membership.objects.filter(organization__kind=OrgKind.HQ, is_active=True,
                                                       role__in=list(HQ_ROLES)).select_related("user")]
    notify(users=users, kind=kind, message=message, params=params, url=HQ_POINTS_URL)
