"""The points ledger: mileage points partners earn (rules per tenant), redeem against a reward catalogue (HQ
approves) and lose when they expire. Ledger entries are append-only, enforced by a database trigger (migration
0003): a balance is the sum of a partner's entries and a correction is a new entry."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partners.models import Organization

__all__ = [
    "LedgerEntry",
    "LedgerKind",
    "PointsEvent",
    "PointsExpiryNotice",
    "PointsRule",
    "Redemption",
    "RedemptionStatus",
    "Reward",
    "RewardKind",
]

MAX_FIXED_POINTS = 1_000_000
MAX_POINTS_PER_10K = 10_000
MAX_EXPIRY_MONTHS = 120


class PointsEvent(models.TextChoices):
    COURSE_PASSED = "course_passed", _("Course passed")
    ORDER_DELIVERED = "order_delivered", _("Order delivered")
    CAMPAIGN_JOINED = "campaign_joined", _("Campaign joined")
    DEAL_WON = "deal_won", _("Customer order won")


class PointsRule(models.Model):
    """How many points one event earns in this tenant: a fixed number, and/or so many per KRW 10,000 of the
    amount (an order's total, a won order's value). One rule per event."""

    event = models.CharField(_("event"), max_length=20, choices=PointsEvent.choices, unique=True)
    fixed_points = models.PositiveIntegerField(_("fixed points"), default=0,
                                               validators=[MaxValueValidator(MAX_FIXED_POINTS)])
    points_per_10k = models.PositiveIntegerField(_("points per KRW 10,000"), default=0,
                                                 validators=[MaxValueValidator(MAX_POINTS_PER_10K)])
    expires_after_months = models.PositiveSmallIntegerField(
        _("expires after (months)"), default=0, validators=[MaxValueValidator(MAX_EXPIRY_MONTHS)],
        help_text=_("0: the points never expire."))
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event"]
        constraints = [
            models.CheckConstraint(condition=Q(fixed_points__lte=MAX_FIXED_POINTS)
                                   & Q(points_per_10k__lte=MAX_POINTS_PER_10K)
                                   & Q(expires_after_months__lte=MAX_EXPIRY_MONTHS),
                                   name="points_rule_within_limits"),
        ]

    def __str__(self) -> str:
        return str(self.get_event_display())


class LedgerKind(models.TextChoices):
    EARNED = "earned", _("Earned")
    REDEEMED = "redeemed", _("Redeemed")
    EXPIRED = "expired", _("Expired")
    REVERSED = "reversed", _("Returned")
    CORRECTION = "correction", _("Correction")


class RewardKind(models.TextChoices):
    GOODS = "goods", _("Goods")
    CREDIT_NOTE = "credit_note", _("Credit note")


class Reward(models.Model):
    """What points buy: goods HQ sends, or a credit note on the partner's account with HQ."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    points_cost = models.PositiveIntegerField(_("points"), validators=[MinValueValidator(1),
                                                                       MaxValueValidator(100_000_000)])
    kind = models.CharField(_("kind"), max_length=12, choices=RewardKind.choices, default=RewardKind.GOODS)
    credit_amount = models.DecimalField(_("credit note amount (KRW)"), max_digits=12, decimal_places=0, null=True,
                                        blank=True, validators=[MinValueValidator(1),
                                                                MaxValueValidator(10_000_000_000)])
    stock = models.PositiveIntegerField(_("stock"), null=True, blank=True,
                                        help_text=_("Empty: no limit."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["points_cost", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(points_cost__gte=1), name="reward_costs_points"),
            models.CheckConstraint(condition=Q(kind="goods") | Q(kind="credit_note", credit_amount__gte=1),
                                   name="reward_credit_note_has_amount"),
        ]

    def __str__(self) -> str:
        return self.name


class RedemptionStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for HQ")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("redemption", "Rejected")  # not an import's "rejected" row
    CANCELLED = "cancelled", _("Cancelled")


class Redemption(models.Model):
    """A partner spends points on a reward. The points leave the balance when it is requested (a ``redeemed``
    entry) and come back with a ``reversed`` entry when HQ rejects it or the partner cancels it."""

    partner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="redemptions")
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    points = models.PositiveBigIntegerField(_("points"))
    status = models.CharField(_("status"), max_length=10, choices=RedemptionStatus.choices,
                              default=RedemptionStatus.REQUESTED, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # a credit-note reward's amount (for the whole quantity) as offered when the partner asked: HQ changing the
    # catalogue afterwards does not change what this redemption credits
    credit_amount = models.DecimalField(_("credit note amount (KRW)"), max_digits=14, decimal_places=0, null=True,
                                        blank=True)
    # the credit note an approved credit-note reward wrote on the partner's account with HQ
    credit_note = models.OneToOneField("purchasing.AccountEntry", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1) & Q(points__gte=1),
                                   name="redemption_quantity_and_points_positive"),
            models.CheckConstraint(condition=Q(credit_amount__isnull=True) | Q(credit_amount__gte=1),
                                   name="redemption_credit_amount_positive"),
        ]
        indexes = [models.Index(fields=["partner", "-created_at"], name="redemption_partner_recent")]

    def __str__(self) -> str:
        return f"{self.reward_id} × {self.quantity} ({self.partner_id})"


class LedgerEntry(models.Model):
    """One movement of a partner's points, never changed or deleted (a database trigger refuses it). Earned
    points are positive, redeemed and expired negative, returned (a rejected or cancelled redemption) positive,
    corrections either way. Earning is idempotent: one earned entry per (partner, event, reference)."""

    partner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="ledger_entries")
    kind = models.CharField(_("kind"), max_length=12, choices=LedgerKind.choices)
    points = models.BigIntegerField(_("points"))
    event = models.CharField(_("event"), max_length=20, choices=PointsEvent.choices, blank=True)
    # what earned it ("purchase:123", "order:45", "certificate:6") or what the entry belongs to
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    redemption = models.ForeignKey(Redemption, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="entries")
    # PROTECT, not SET_NULL: nulling the column would be an UPDATE, which the ledger refuses
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="earned", points__gt=0) | Q(kind__in=["redeemed", "expired"], points__lt=0)
                           | Q(kind="reversed", points__gt=0) | (Q(kind="correction") & ~Q(points=0))),
                name="ledger_entry_sign_by_kind"),
            models.CheckConstraint(condition=Q(kind="earned") | Q(expires_on__isnull=True),
                                   name="ledger_entry_only_earned_expires"),
            models.UniqueConstraint(fields=["partner", "event", "reference"], condition=Q(kind="earned"),
                                    name="ledger_entry_earned_once"),
        ]
        indexes = [models.Index(fields=["partner", "-created_at"], name="ledger_entry_partner_recent"),
                   models.Index(fields=["partner", "expires_on"], condition=Q(kind="earned"),
                                name="ledger_entry_expiring")]

    def __str__(self) -> str:
        return f"{self.kind} {self.points:+d} ({self.partner_id})"


class PointsExpiryNotice(models.Model):
    """A partner was told that points expire from ``expires_on`` on: one notice per partner and date, so the
    daily run tells each partner once."""

    partner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    expires_on = models.DateField()
    points = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "expires_on"],
                                               name="points_expiry_notice_once")]

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.points} on {self.expires_on}"
