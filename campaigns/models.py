"""Campaigns HQ runs with its partners, and the marketing development funds (MDF) partners ask for.

- ``Campaign``: products, who it is for (``Audience``), a period, an offer, materials and a budget. Partners it
  targets opt in (``Participation``); the sales and won orders of the participants in the period are its results.
- ``FundPlan``: a partner's own sales or advertising plan asking for an amount; HQ approves all or part of it.
  After the activity the partner claims (``FundClaim``) with proof before the deadline; HQ approves the claim and
  records what it paid (``FundPayment``).

The plan keeps running totals of its claims and payments, maintained by database triggers in the statement that
writes the claim or the payment (migration 0002), and CHECK constraints hold them under the approval: however
many claims arrive at once, what is claimed never exceeds what was approved, and what is paid never exceeds what
was accepted.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.choices import CampaignStatus, ClaimStatus, PaymentMethod, PlanKind, PlanStatus
from catalog.models import Product
from partners.models import Organization
from prm.core.audience import Audience


class Campaign(Audience):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    offer = models.TextField(_("offer"), blank=True)
    products = models.ManyToManyField(Product, blank=True, related_name="+", verbose_name=_("products"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    opt_in_until = models.DateField(_("opt in until"), null=True, blank=True)
    budget = models.DecimalField(_("budget"), default=Decimal(0), max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3, default="KRW")
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices,
                              default=CampaignStatus.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_ends_after_start"),
            models.CheckConstraint(condition=Q(opt_in_until__isnull=True) | Q(opt_in_until__lte=F("ends_on")),
                                   name="campaign_opt_in_within_period"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="campaign_budget_not_negative"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in CampaignStatus]),
                                   name="campaign_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class CampaignMaterial(models.Model):
    """A brochure, a price sheet, a banner: stored under a name we choose from what its bytes are, served only
    to those who may see the campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="campaigns/materials/", max_length=200)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_image(self) -> bool:
        from prm.core.files import IMAGE_KINDS

        return self.kind in IMAGE_KINDS


class Participation(models.Model):
    """A partner opted in to a campaign (once: joining again changes nothing). Withdrawing keeps the row, marked,
    so joining again later is the same participation."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    partner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(_("joined"))
    joined_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "partner"], name="participation_once")]
        indexes = [models.Index(fields=["partner", "campaign"], name="participation_partner")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.partner_id}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class FundPlan(models.Model):
    """A partner's sales or advertising plan asking HQ for marketing development funds.

    ``claimed_total``: the amount the plan's claims hold against the approval (a claim waiting for HQ by its
    amount, an accepted one by the amount accepted, a rejected one not at all), so not what the partner claimed
    when HQ accepted part of a claim (that is the sum of the claims' amounts, see
    ``campaigns.selectors.funds.with_claimed``); ``accepted_total``: the claims HQ accepted; ``paid_total``: the
    payments recorded. Triggers keep them; CHECK constraints keep held <= approved, accepted <= held and
    paid <= accepted. Once the deadline to claim has passed, what the claims do not hold has lapsed."""

    partner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="plans",
                                 verbose_name=_("campaign"))
    kind = models.CharField(_("kind"), max_length=12, choices=PlanKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("activity starts"))
    ends_on = models.DateField(_("activity ends"))
    requested_amount = models.DecimalField(_("amount requested"), max_digits=16, decimal_places=2)
    approved_amount = models.DecimalField(_("amount approved"), null=True, blank=True, max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3, default="KRW")
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.SUBMITTED,
                              db_index=True)
    decision_reason = models.CharField(_("HQ's note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    claim_deadline = models.DateField(_("claim by"), null=True, blank=True)
    claimed_total = models.DecimalField(_("held by claims"), default=Decimal(0), max_digits=16, decimal_places=2)
    accepted_total = models.DecimalField(_("accepted"), default=Decimal(0), max_digits=16, decimal_places=2)
    paid_total = models.DecimalField(_("paid"), default=Decimal(0), max_digits=16, decimal_places=2)
    # when the partner's admins were reminded that money is left to claim before the deadline (once per plan)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="fundplan_ends_after_start"),
            models.CheckConstraint(condition=Q(requested_amount__gt=0), name="fundplan_requested_positive"),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True)
                | Q(approved_amount__gt=0, approved_amount__lte=F("requested_amount")),
                name="fundplan_approved_within_request"),
            models.CheckConstraint(condition=Q(status="approved", approved_amount__isnull=False)
                                   | (~Q(status="approved") & Q(approved_amount__isnull=True)),
                                   name="fundplan_approved_amount_iff_approved"),
            # a CHECK passes on NULL: written so that a plan without an approval can hold no claim
            models.CheckConstraint(
                condition=Q(claimed_total=0)
                | Q(approved_amount__isnull=False, claimed_total__lte=F("approved_amount")),
                name="fundplan_claimed_within_approved"),
            models.CheckConstraint(condition=Q(claimed_total__gte=0, accepted_total__gte=0, paid_total__gte=0),
                                   name="fundplan_totals_not_negative"),
            models.CheckConstraint(condition=Q(accepted_total__lte=F("claimed_total")),
                                   name="fundplan_accepted_within_claimed"),
            models.CheckConstraint(condition=Q(paid_total__lte=F("accepted_total")),
                                   name="fundplan_paid_within_accepted"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in PlanStatus]),
                                   name="fundplan_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in PlanKind]), name="fundplan_kind_valid"),
        ]
        indexes = [models.Index(fields=["partner", "status"], name="fundplan_partner_status"),
                   models.Index(fields=["status", "created_at"], name="fundplan_queue")]

    def __str__(self) -> str:
        return self.title

    @property
    def deadline_passed(self) -> bool:
        """The deadline to claim is over (on the day itself the partner can still claim)."""
        return self.claim_deadline is not None and timezone.localdate() > self.claim_deadline

    @property
    def unclaimed(self) -> Decimal:
        """What of the approval no claim holds, claimable or lapsed."""
        return (self.approved_amount or Decimal(0)) - self.claimed_total

    @property
    def remaining(self) -> Decimal:
        """What the partner can still claim: nothing once the deadline has passed."""
        return Decimal(0) if self.deadline_passed else self.unclaimed

    @property
    def lapsed(self) -> Decimal:
        """What was approved and not claimed by the deadline (no longer claimable)."""
        return self.unclaimed if self.deadline_passed else Decimal(0)

    @property
    def to_pay(self) -> Decimal:
        return self.accepted_total - self.paid_total


class FundClaim(models.Model):
    """A partner's claim against an approved plan, after the activity, with proof."""

    plan = models.ForeignKey(FundPlan, on_delete=models.PROTECT, related_name="claims")
    amount = models.DecimalField(_("amount claimed"), max_digits=16, decimal_places=2)
    figures = models.TextField(_("what was done"))
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED,
                              db_index=True)
    approved_amount = models.DecimalField(_("amount accepted"), null=True, blank=True, max_digits=16, decimal_places=2)
    decision_reason = models.CharField(_("HQ's note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_amount = models.DecimalField(_("paid"), default=Decimal(0), max_digits=16, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fundclaim_amount_positive"),
            models.CheckConstraint(condition=Q(approved_amount__isnull=True)
                                   | Q(approved_amount__gt=0, approved_amount__lte=F("amount")),
                                   name="fundclaim_accepted_within_claim"),
            models.CheckConstraint(condition=Q(status__in=["approved", "paid"], approved_amount__isnull=False)
                                   | (Q(status__in=["submitted", "rejected"]) & Q(approved_amount__isnull=True)),
                                   name="fundclaim_accepted_amount_iff_accepted"),
            models.CheckConstraint(
                condition=Q(paid_amount=0) | Q(approved_amount__isnull=False, paid_amount__lte=F("approved_amount")),
                name="fundclaim_paid_within_accepted"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0), name="fundclaim_paid_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="fundclaim_queue")]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.pk}"

    @property
    def to_pay(self) -> Decimal:
        return (self.approved_amount or Decimal(0)) - self.paid_amount


class FundPayment(models.Model):
    """A payment HQ made against an accepted claim (append-only, enforced by a trigger). Paid as a credit note,
    it is also an entry on the partner's account with HQ."""

    claim = models.ForeignKey(FundClaim, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount paid"), max_digits=16, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    method = models.CharField(_("paid by"), max_length=12, choices=PaymentMethod.choices,
                              default=PaymentMethod.TRANSFER)
    credit_note = models.OneToOneField("purchasing.AccountEntry", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fundpayment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.amount}"


class FundFile(models.Model):
    """A file attached to a plan (its proposal) or to one of its claims (the proof)."""

    plan = models.ForeignKey(FundPlan, on_delete=models.CASCADE, related_name="files")
    claim = models.ForeignKey(FundClaim, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="campaigns/funds/", max_length=200)
    kind = models.CharField(max_length=10)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
