"""The tier program: tiers with criteria over a trailing window and the benefits they give, each partner's
standing, and the history of every change with the figures that caused it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.choices import Segment
from partners.models import Organization


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ProgramKind(models.TextChoices):
    DEALER = "dealer", _("Dealers")
    DISTRIBUTOR = "distributor", _("Distributors")


class TierProgram(models.Model):
    """Tiers for one group of partners: dealers or distributors, all of them or those of one vertical market
    (segment). A partner in two published programs is evaluated by the one with the lower priority number."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("partners"), max_length=20, choices=ProgramKind.choices, default=ProgramKind.DEALER)
    segment = models.CharField(_("vertical market"), max_length=20, choices=Segment.choices, blank=True,
                               help_text=_("Empty: every partner of this kind."))
    priority = models.PositiveSmallIntegerField(_("priority"), default=100,
                                                help_text=_("Where two programs fit a partner, the lower number "
                                                            "wins."))
    window_days = models.PositiveSmallIntegerField(_("trailing window (days)"), default=365,
                                                   validators=[MinValueValidator(7), MaxValueValidator(1095)])
    grace_days = models.PositiveSmallIntegerField(_("grace period before a downgrade (days)"), default=90,
                                                  validators=[MaxValueValidator(365)])
    review_months = models.PositiveSmallIntegerField(
        _("review period (months)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Partners are told what they need by the end of the current period (3: by the end of the "
                    "quarter)."))
    status = models.CharField(_("status"), max_length=12, choices=ProgramStatus.choices,
                              default=ProgramStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return self.name


class Tier(models.Model):
    """One step of a program. A partner holds the highest tier whose every criterion it meets."""

    program = models.ForeignKey(TierProgram, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(_("name"), max_length=40,
                            help_text=_("Dealer price lists made for this tier name apply to its partners."))
    rank = models.PositiveSmallIntegerField(_("rank"), validators=[MinValueValidator(1), MaxValueValidator(20)],
                                            help_text=_("1 is the entry tier; higher is better."))
    # criteria over the program's trailing window (0 or empty: not required)
    min_sales = models.DecimalField(_("sales at least (KRW)"), max_digits=16, decimal_places=0, default=0,
                                    validators=[MinValueValidator(0)])
    min_orders_won = models.PositiveIntegerField(_("customer orders won at least"), default=0)
    min_acceptance = models.PositiveSmallIntegerField(_("lead acceptance at least (%)"), null=True, blank=True,
                                                      validators=[MaxValueValidator(100)])
    min_certifications = models.PositiveSmallIntegerField(_("valid certifications at least"), default=0)
    min_satisfaction = models.DecimalField(_("customer satisfaction at least (1–5)"), max_digits=3,
                                           decimal_places=2, null=True, blank=True,
                                           validators=[MinValueValidator(1), MaxValueValidator(5)])
    # benefits, applied to the partner the moment it holds the tier
    credit_limit = models.DecimalField(_("credit limit (KRW)"), max_digits=14, decimal_places=0, null=True,
                                       blank=True, validators=[MinValueValidator(0)],
                                       help_text=_("Empty: the partner's own limit. Otherwise the higher of "
                                                   "the two."))
    routing_step = models.PositiveSmallIntegerField(_("routing weight (tier steps)"), default=0,
                                                    validators=[MaxValueValidator(20)],
                                                    help_text=_("Multiplied by the routing rule's tier weight."))
    mdf_share = models.DecimalField(_("marketing fund share (%)"), max_digits=5, decimal_places=2, default=0,
                                    validators=[MinValueValidator(0), MaxValueValidator(100)])
    benefits_text = models.TextField(_("other benefits"), blank=True)

    class Meta:
        ordering = ["program", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["program", "rank"], name="tier_rank_unique_in_program"),
            models.UniqueConstraint(fields=["program", "name"], name="tier_name_unique_in_program"),
            models.CheckConstraint(condition=Q(min_sales__gte=0), name="tier_min_sales_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerTier(models.Model):
    """A partner's standing in its program: the tier it holds, a downgrade waiting out its grace period, and
    the figures of the last computation."""

    partner = models.OneToOneField(Organization, on_delete=models.CASCADE, primary_key=True,
                                   related_name="tier_standing")
    program = models.ForeignKey(TierProgram, on_delete=models.CASCADE, related_name="standings")
    tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    since = models.DateTimeField(null=True, blank=True)
    pending_tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    downgrade_due = models.DateField(null=True, blank=True)
    values = models.JSONField(default=dict)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["program", "tier"], name="partnertier_program_tier")]

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.tier or '-'}"


class Direction(models.TextChoices):
    UP = "up", _("Upgrade")
    DOWN = "down", _("Downgrade")
    GRACE = "grace", _("Grace period started")
    KEPT = "kept", _("Grace period ended: requalified")


class TierChange(models.Model):
    """One change of a partner's tier (or the start or end of a grace period), with the criteria values that
    caused it. Tier names are copied so the history reads the same after a tier is renamed or removed."""

    partner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="tier_changes")
    program = models.ForeignKey(TierProgram, on_delete=models.CASCADE, related_name="changes")
    run = models.ForeignKey("TierRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    from_name = models.CharField(max_length=40, blank=True)
    to_name = models.CharField(max_length=40, blank=True)
    values = models.JSONField(default=dict)
    downgrade_due = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partner", "-created_at"], name="tierchange_partner_recent")]

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.from_name or '-'} → {self.to_name or '-'}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class TierRun(models.Model):
    """One computation over every partner of the published programs (or a dry run of one program's proposed
    tiers, which writes nothing but this row)."""

    program = models.ForeignKey(TierProgram, null=True, blank=True, on_delete=models.CASCADE, related_name="runs")
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    partners = models.PositiveIntegerField(default=0)
    upgraded = models.PositiveIntegerField(default=0)
    downgraded = models.PositiveIntegerField(default=0)
    grace_started = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    # {"from → to": count} and the proposed tiers of a dry run
    moves = models.JSONField(default=dict)
    error = models.CharField(max_length=500, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"tier run {self.pk}"
