"""Marketing development funds: a partner proposes a sales or advertising plan asking for an amount; HQ approves
all or part of it (with a deadline to claim) or rejects it saying why; after the activity the partner claims with
proof before the deadline; HQ accepts all or part of the claim or rejects it, and records what it paid (by bank
transfer, or as a credit note on the partner's account with HQ).

Money never runs past a decision: a claim holds at most what the plan has left, a payment at most what the claim
has left to pay. Each write locks the plan's row first (then the claim's), so two claims at once are counted one
after the other; the plan's totals are also kept by database triggers and bounded by CHECK constraints, which
refuse what a bug here would let through. Every decision is audited and the other side is told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from campaigns import permissions
from campaigns.choices import CampaignStatus, ClaimStatus, PaymentMethod, PlanKind, PlanStatus
from campaigns.models import Campaign, FundClaim, FundFile, FundPayment, FundPlan, Participation
from campaigns.services.common import (
    MAX_FILES,
    a_date,
    amount,
    clean_text,
    file_kind,
    hq_users,
    original_name,
    partner_users,
    period,
    tenant_currency,
    won_text,
)
from partners.choices import PartnerStatus
from partners.models import Organization
from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.errors import ServiceError
from prm.core.roles import OrgKind

DEFAULT_CLAIM_DAYS = 60
# the latest deadline to claim HQ may set: a year after the activity ends (money is not left open for ever)
LATEST_CLAIM_DAYS = 365


def claim_days() -> int:
    """Days after a plan's activity ends that its partner has to claim, unless HQ sets another deadline
    (``MDF_CLAIM_DAYS`` in the settings)."""
    return int(getattr(settings, "MDF_CLAIM_DAYS", DEFAULT_CLAIM_DAYS))


def default_deadline(plan: FundPlan) -> dt.date:
    return plan.ends_on + dt.timedelta(days=claim_days())


# --- telling the other side ------------------------------------------------------------------------------------

def _tell_partner(plan: FundPlan, *, kind: str, message: str, params: dict[str, Any]) -> None:
    from prm.core.notifications import notify

    notify(users=partner_users(plan.partner_id), kind=kind, message=message,
           params={"title": plan.title, **params}, url=reverse("portals:fund_plan", args=[plan.pk]))


def _tell_hq(plan: FundPlan, *, kind: str, message: str, params: dict[str, Any]) -> None:
    from prm.core.notifications import notify

    notify(users=hq_users(), kind=kind, message=message,
           params={"title": plan.title, "partner": plan.partner.name, **params},
           url=reverse("portals:hq_fund_plan", args=[plan.pk]))


# --- files -----------------------------------------------------------------------------------------------------

def _check_files(files: Iterable[Any]) -> list[tuple[Any, str]]:
    uploads = [f for f in files if f is not None]
    if len(uploads) > MAX_FILES:
        raise ValidationError({"files": _("Attach %(count)s files at most.") % {"count": MAX_FILES}})
    return [(upload, file_kind(upload, field="files")) for upload in uploads]


def _store_files(actor: Actor, plan: FundPlan, claim: FundClaim | None, checked: list[tuple[Any, str]]) -> None:
    for upload, kind in checked:
        name, size = original_name(upload), upload.size or 0
        upload.name = f"plan-{plan.pk}.{kind}"
        FundFile.objects.create(plan=plan, claim=claim, file=upload, kind=kind, name=name, size=size,
                                uploaded_by=actor.user)


# --- partners: plans and claims --------------------------------------------------------------------------------

def _partner(actor: Actor, action: str) -> Organization:
    permissions.require(actor, action)
    org = actor.organization
    if org is None or org.kind not in (OrgKind.DEALER, OrgKind.DISTRIBUTOR):
        raise ServiceError(_("Only dealers and distributors ask for marketing funds."))
    if org.status != PartnerStatus.ACTIVE:
        raise ServiceError(_("Only an active partner can ask for marketing funds. Ask HQ about your account's "
                             "status."))
    return org


@transaction.atomic
def plan_propose(*, actor: Actor, kind: str, title: str, description: str = "", starts_on: Any, ends_on: Any,
                 requested_amount: Any, campaign: Campaign | None = None, files: Iterable[Any] = ()) -> FundPlan:
    """The actor's partner proposes a plan and asks HQ for ``requested_amount``; HQ is told."""
    org = _partner(actor, "fund.propose")
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("Choose a sales plan or an advertising plan.")})
    title = clean_text(title, field="title", most=200, required=_("Give the plan a title."))
    description = clean_text(description, field="description", most=10_000, multiline=True,
                             required=_("Describe the plan: what you will do, where, and what you expect."))
    start, end = period(starts_on, ends_on)
    if end < timezone.localdate():
        raise ValidationError({"ends_on": _("This activity is already over: propose a plan before it ends.")})
    requested = amount(requested_amount, field="requested_amount")
    if campaign is not None:
        joined = Participation.objects.filter(campaign=campaign, partner=org, withdrawn_at__isnull=True).exists()
        if not joined or campaign.status != CampaignStatus.PUBLISHED:
            raise ValidationError({"campaign": _("Link the plan to a running campaign your organisation joined, "
                                                 "or to none.")})
    checked = _check_files(files)
    plan = FundPlan.objects.create(partner=org, campaign=campaign, kind=kind, title=title, description=description,
                                   starts_on=start, ends_on=end, requested_amount=requested,
                                   currency=tenant_currency(), created_by=actor.user)
    _store_files(actor, plan, None, checked)
    audit(actor=actor, action="fund.plan_propose", obj=plan, amount=str(requested), kind=kind,
          campaign=campaign.pk if campaign else None, files=len(checked))
    _tell_hq(plan, kind="fund.plan_proposed", params={"amount": won_text(requested)},
             message=gettext_noop("%(partner)s asks for %(amount)s of marketing funds: %(title)s."))
    return plan


def _own_plan(org: Organization, plan: FundPlan) -> FundPlan:
    """The plan's row, locked; someone else's plan is refused as if it did not exist."""
    locked = FundPlan.objects.select_for_update().filter(pk=plan.pk, partner=org).first()
    if locked is None:
        raise ServiceError(_("This plan is not yours."))
    return locked


@transaction.atomic
def plan_withdraw(*, actor: Actor, plan: FundPlan) -> FundPlan:
    """The partner takes back a plan HQ has not decided yet."""
    org = _partner(actor, "fund.propose")
    plan = _own_plan(org, plan)
    if plan.status == PlanStatus.WITHDRAWN:
        return plan
    if plan.status != PlanStatus.SUBMITTED:
        raise ServiceError(_("HQ has already decided on this plan: it can't be withdrawn."))
    plan.status = PlanStatus.WITHDRAWN
    plan.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="fund.plan_withdraw", obj=plan)
    _tell_hq(plan, kind="fund.plan_withdrawn", params={},
             message=gettext_noop("%(partner)s withdrew its plan %(title)s."))
    return plan


@transaction.atomic
def claim_submit(*, actor: Actor, plan: FundPlan, amount_claimed: Any, figures: str,
                 files: Iterable[Any] = ()) -> FundClaim:
    """After the activity, before the deadline, the partner claims at most what the plan has left, with proof
    (what was done, in words and figures, and files). HQ is told."""
    org = _partner(actor, "fund.claim")
    plan = _own_plan(org, plan)  # locked: claims on one plan are counted one after the other
    if plan.status != PlanStatus.APPROVED:
        raise ServiceError(_("Only an approved plan can be claimed: this one is %(status)s.")
                           % {"status": plan.get_status_display()})
    today = timezone.localdate()
    if today < plan.ends_on:
        raise ServiceError(_("Claim once the activity is over: from %(day)s.") % {"day": plan.ends_on.isoformat()})
    if plan.claim_deadline is not None and today > plan.claim_deadline:
        raise ServiceError(_("The deadline to claim this plan was %(day)s. Ask HQ if you need more time.")
                           % {"day": plan.claim_deadline.isoformat()})
    value = amount(amount_claimed, field="amount")
    if value > plan.remaining:
        raise ValidationError({"amount": _(
            "You can claim at most %(left)s on this plan: %(approved)s approved, %(held)s taken by your claims "
            "waiting for HQ or accepted.")
            % {"left": won_text(plan.remaining), "approved": won_text(plan.approved_amount or Decimal(0)),
               "held": won_text(plan.claimed_total)}})
    figures = clean_text(figures, field="figures", most=10_000, multiline=True,
                         required=_("Say what was done, with figures (for example: 2 ads run, 40 leads, 12 sales)."))
    checked = _check_files(files)
    try:
        with transaction.atomic():
            claim = FundClaim.objects.create(plan=plan, amount=value, figures=figures, created_by=actor.user)
    except IntegrityError:  # the plan's CHECK: never claimed above the approval
        raise ValidationError({"amount": _("That is more than this plan has left. Reload the page and try "
                                           "again.")}) from None
    _store_files(actor, plan, claim, checked)
    audit(actor=actor, action="fund.claim_submit", obj=claim, plan=plan.pk, amount=str(value), files=len(checked))
    _tell_hq(plan, kind="fund.claim_submitted", params={"amount": won_text(value)},
             message=gettext_noop("%(partner)s claims %(amount)s for %(title)s."))
    return claim


# --- HQ: decisions and payments --------------------------------------------------------------------------------

def _locked_plan(plan: FundPlan) -> FundPlan:
    return FundPlan.objects.select_for_update().select_related("partner").get(pk=plan.pk)


def _undecided(plan: FundPlan) -> None:
    if plan.status != PlanStatus.SUBMITTED:
        raise ServiceError(_("This plan was already decided (%(status)s).") % {"status": plan.get_status_display()})


@transaction.atomic
def plan_approve(*, actor: Actor, plan: FundPlan, approved_amount: Any, claim_deadline: Any = None,
                 note: str = "") -> FundPlan:
    """HQ approves the plan for all or part of what was asked, with the day claims are due by (default
    ``claim_days()`` after the activity ends)."""
    permissions.require(actor, "fund.decide")
    plan = _locked_plan(plan)
    _undecided(plan)
    value = amount(approved_amount, field="approved_amount")
    if value > plan.requested_amount:
        raise ValidationError({"approved_amount": _("Approve at most the %(requested)s asked for.")
                               % {"requested": won_text(plan.requested_amount)}})
    if claim_deadline in (None, ""):
        deadline = max(default_deadline(plan), timezone.localdate())
    else:
        deadline = a_date(claim_deadline, field="claim_deadline")
        if deadline < plan.ends_on or deadline < timezone.localdate():
            raise ValidationError({"claim_deadline": _(
                "The deadline to claim must be on or after the activity's end (%(end)s) and not in the past.")
                % {"end": plan.ends_on.isoformat()}})
        latest = plan.ends_on + dt.timedelta(days=LATEST_CLAIM_DAYS)
        if deadline > latest:
            raise ValidationError({"claim_deadline": _(
                "The deadline to claim can be at most %(days)s days after the activity ends: on or before "
                "%(latest)s.") % {"days": LATEST_CLAIM_DAYS, "latest": latest.isoformat()}})
    plan.status, plan.approved_amount, plan.claim_deadline = PlanStatus.APPROVED, value, deadline
    plan.decision_reason = clean_text(note, field="note", most=500)
    plan.decided_by, plan.decided_at = actor.user, timezone.now()
    plan.save(update_fields=["status", "approved_amount", "claim_deadline", "decision_reason", "decided_by",
                             "decided_at", "updated_at"])
    partly = value < plan.requested_amount
    audit(actor=actor, action="fund.plan_approve", obj=plan, amount=str(value), requested=str(plan.requested_amount),
          deadline=deadline.isoformat())
    params = {"amount": won_text(value), "requested": won_text(plan.requested_amount),
              "deadline": deadline.isoformat()}
    if partly:
        _tell_partner(plan, kind="fund.plan_approved", params=params, message=gettext_noop(
            "HQ approved %(amount)s of the %(requested)s you asked for %(title)s. Claim by %(deadline)s."))
    else:
        _tell_partner(plan, kind="fund.plan_approved", params=params, message=gettext_noop(
            "HQ approved %(amount)s for %(title)s. Claim by %(deadline)s."))
    return plan


@transaction.atomic
def plan_reject(*, actor: Actor, plan: FundPlan, reason: str) -> FundPlan:
    """HQ rejects the plan, saying why (the partner reads it)."""
    permissions.require(actor, "fund.decide")
    reason = clean_text(reason, field="reason", most=500,
                        required=_("Say why the plan is rejected; the partner reads it."))
    plan = _locked_plan(plan)
    _undecided(plan)
    plan.status, plan.decision_reason = PlanStatus.REJECTED, reason
    plan.decided_by, plan.decided_at = actor.user, timezone.now()
    plan.save(update_fields=["status", "decision_reason", "decided_by", "decided_at", "updated_at"])
    audit(actor=actor, action="fund.plan_reject", obj=plan, reason=reason)
    _tell_partner(plan, kind="fund.plan_rejected", params={"reason": reason},
                  message=gettext_noop("HQ rejected your plan %(title)s: %(reason)s"))
    return plan


def _locked_claim(claim: FundClaim) -> tuple[FundPlan, FundClaim]:
    """The claim's plan, then the claim, locked in that order (as every write here takes them)."""
    plan = _locked_plan(claim.plan)
    return plan, FundClaim.objects.select_for_update().get(pk=claim.pk)


@transaction.atomic
def claim_approve(*, actor: Actor, claim: FundClaim, approved_amount: Any = None, note: str = "") -> FundClaim:
    """HQ accepts the claim for all of it (no amount given) or part of it; what is not accepted goes back to the
    plan's remainder."""
    permissions.require(actor, "fund.decide")
    plan, claim = _locked_claim(claim)
    if claim.status != ClaimStatus.SUBMITTED:
        raise ServiceError(_("This claim was already decided (%(status)s).") % {"status": claim.get_status_display()})
    value = claim.amount if approved_amount in (None, "") else amount(approved_amount, field="approved_amount")
    if value > claim.amount:
        raise ValidationError({"approved_amount": _("Accept at most the %(claimed)s claimed.")
                               % {"claimed": won_text(claim.amount)}})
    claim.status, claim.approved_amount = ClaimStatus.APPROVED, value
    claim.decision_reason = clean_text(note, field="note", most=500)
    claim.decided_by, claim.decided_at = actor.user, timezone.now()
    claim.save(update_fields=["status", "approved_amount", "decision_reason", "decided_by", "decided_at"])
    audit(actor=actor, action="fund.claim_approve", obj=claim, plan=plan.pk, amount=str(value),
          claimed=str(claim.amount))
    _tell_partner(plan, kind="fund.claim_approved", params={"amount": won_text(value),
                                                            "claimed": won_text(claim.amount)},
                  message=gettext_noop("HQ accepted %(amount)s of your %(claimed)s claim for %(title)s."))
    return claim


@transaction.atomic
def claim_reject(*, actor: Actor, claim: FundClaim, reason: str) -> FundClaim:
    """HQ rejects the claim, saying why; its amount goes back to the plan's remainder."""
    permissions.require(actor, "fund.decide")
    reason = clean_text(reason, field="reason", most=500,
                        required=_("Say why the claim is rejected; the partner reads it."))
    plan, claim = _locked_claim(claim)
    if claim.status != ClaimStatus.SUBMITTED:
        raise ServiceError(_("This claim was already decided (%(status)s).") % {"status": claim.get_status_display()})
    claim.status, claim.decision_reason = ClaimStatus.REJECTED, reason
    claim.decided_by, claim.decided_at = actor.user, timezone.now()
    claim.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    audit(actor=actor, action="fund.claim_reject", obj=claim, plan=plan.pk, reason=reason)
    _tell_partner(plan, kind="fund.claim_rejected", params={"amount": won_text(claim.amount), "reason": reason},
                  message=gettext_noop("HQ rejected your %(amount)s claim for %(title)s: %(reason)s"))
    return claim


@transaction.atomic
def payment_record(*, actor: Actor, claim: FundClaim, amount_paid: Any, paid_on: Any, reference: str = "",
                   method: str = PaymentMethod.TRANSFER) -> FundPayment:
    """HQ records what it paid on an accepted claim (at most what is left to pay on it). Paid as a credit note,
    the amount is also credited to the partner's account with HQ. The claim is paid once nothing is left."""
    permissions.require(actor, "fund.pay")
    plan, claim = _locked_claim(claim)
    if claim.status == ClaimStatus.PAID:
        raise ServiceError(_("This claim is paid in full already."))
    if claim.status != ClaimStatus.APPROVED:
        raise ServiceError(_("Only an accepted claim can be paid: this one is %(status)s.")
                           % {"status": claim.get_status_display()})
    if method not in PaymentMethod.values:
        raise ValidationError({"method": _("Choose how it was paid.")})
    value = amount(amount_paid, field="amount")
    if value > claim.to_pay:
        raise ValidationError({"amount": _("Pay at most the %(left)s left on this claim.")
                               % {"left": won_text(claim.to_pay)}})
    day = a_date(paid_on, field="paid_on")
    if day > timezone.localdate():
        raise ValidationError({"paid_on": _("Record a payment once it is made: the date can't be in the future.")})
    if day < plan.created_at.date() - dt.timedelta(days=1):
        raise ValidationError({"paid_on": _("That date is before the plan was proposed.")})
    reference = clean_text(reference, field="reference", most=120)
    credit_note = None
    if method == PaymentMethod.CREDIT_NOTE:
        # the account is purchasing's; a credit note there is an append-only entry, like an approved return's
        from purchasing.services import credit_note_from_hq

        credit_note = credit_note_from_hq(actor=actor, partner=plan.partner, amount=value,
                                          reference=f"MDF/C{claim.pk} {reference}".strip())
    payment = FundPayment.objects.create(claim=claim, amount=value, paid_on=day, reference=reference, method=method,
                                         credit_note=credit_note, recorded_by=actor.user)
    claim.refresh_from_db(fields=["paid_amount"])
    if claim.to_pay == 0:
        claim.status = ClaimStatus.PAID
        claim.save(update_fields=["status"])
    audit(actor=actor, action="fund.payment_record", obj=payment, claim=claim.pk, plan=plan.pk, amount=str(value),
          method=method, credit_note=credit_note.pk if credit_note else None)
    _tell_partner(plan, kind="fund.paid", params={"amount": won_text(value), "day": day.isoformat()},
                  message=gettext_noop("HQ paid %(amount)s on %(day)s for %(title)s."))
    return payment
