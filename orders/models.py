import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.choices import (
    Capability,
    DealStatus,
    DeclineReason,
    EventKind,
    LostReason,
    OfferStatus,
    OrderSource,
    OrderStage,
    OrderStatus,
    RuleStatus,
)
from partners.models import Organization, ProductLine


class CustomerOrder(models.Model):
    """A customer's request that reached HQ directly (a lead), to be routed to a dealer."""

    number = models.CharField(_("order number"), max_length=20, unique=True)
    customer_name = models.CharField(_("customer name"), max_length=120)
    customer_phone = models.CharField(_("customer phone"), max_length=20, blank=True)
    customer_email = models.EmailField(_("customer e-mail"), blank=True)
    address = models.TextField(_("address"))
    region_code = models.CharField(max_length=5, blank=True)
    region_label = models.CharField(_("region"), max_length=80, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    product_line = models.ForeignKey(ProductLine, on_delete=models.PROTECT, related_name="orders",
                                     verbose_name=_("product line"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=OrderSource.choices, default=OrderSource.HQ)
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices,
                              default=OrderStatus.RECEIVED, db_index=True)
    dealer = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="customer_orders", verbose_name=_("dealer"))
    unroutable_reason = models.CharField(max_length=200, blank=True)
    # After acceptance, the dealer moves the order on: contacted, quoted, won (with its value) or lost.
    stage = models.CharField(_("stage"), max_length=12, choices=OrderStage.choices, blank=True, db_index=True)
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    won_value = models.BigIntegerField(_("won value (KRW)"), null=True, blank=True,
                                       validators=[MinValueValidator(0)])
    lost_reason = models.CharField(_("why lost"), max_length=20, choices=LostReason.choices, blank=True)
    # the customer's rating of the dealer (1–5) once asked, e.g. by HQ's call after a won order; a tier criterion
    satisfaction = models.PositiveSmallIntegerField(_("customer satisfaction (1–5)"), null=True, blank=True,
                                                    validators=[MinValueValidator(1), MaxValueValidator(5)])
    stale_notified_at = models.DateTimeField(null=True, blank=True)
    # Set while the order waits to be routed (a routing request): workers take waiting orders from this
    # inbox in batches; the Celery message that asked for it is only a doorbell.
    route_requested_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="customerorder_quantity_positive"),
        ]
        indexes = [models.Index(fields=["route_requested_at", "id"], name="order_route_inbox",
                                condition=Q(status="received", route_requested_at__isnull=False))]

    def __str__(self) -> str:
        return self.number


class Offer(models.Model):
    """The order offered to one dealer, who accepts or declines it."""

    order = models.ForeignKey(CustomerOrder, on_delete=models.CASCADE, related_name="offers")
    dealer = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="offers")
    rank = models.PositiveSmallIntegerField(default=1)
    distance_km = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=OfferStatus.choices, default=OfferStatus.PENDING)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    decline_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "dealer"], name="offer_once_per_dealer"),
            models.UniqueConstraint(fields=["order"], condition=Q(status="pending"),
                                    name="offer_one_pending_per_order"),
        ]
        indexes = [models.Index(fields=["dealer", "status"], name="offer_dealer_status"),
                   models.Index(fields=["dealer", "created_at"], name="offer_dealer_created"),
                   # routing counts each dealer's waiting offers for every dealer it reads
                   models.Index(fields=["dealer"], name="offer_pending_by_dealer", condition=Q(status="pending"))]

    def __str__(self) -> str:
        return f"{self.order} → {self.dealer}"


class OrderEvent(models.Model):
    """The order's timeline: received, offered to X, declined by X, accepted by Y."""

    order = models.ForeignKey(CustomerOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    dealer = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order} {self.kind}"


def _weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]  # Monday to Friday (Python's weekday numbers)


def _weight(label: Any, default: float, help_text: Any) -> models.FloatField:
    return models.FloatField(label, default=default, help_text=help_text,
                             validators=[MinValueValidator(0), MaxValueValidator(1000)])


class RoutingRule(models.Model):
    """One version of how HQ routes customer orders: the filters a dealer must pass and the weights of its score.

    Versions are never edited once published: HQ edits a draft, simulates it and publishes it, which retires
    the rule in use. Every routing decision names the version it used.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(_("status"), max_length=12, choices=RuleStatus.choices, default=RuleStatus.DRAFT)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    # filters
    require_product_line = models.BooleanField(_("only dealers authorised for the product line"), default=True)
    required_capability = models.CharField(_("required capability"), max_length=20, choices=Capability.choices,
                                           blank=True, default="")
    max_distance_km = models.PositiveIntegerField(
        _("maximum distance (km)"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Empty: any distance."))
    max_open_offers = models.PositiveSmallIntegerField(
        _("most offers waiting on one dealer"), default=3, validators=[MinValueValidator(1), MaxValueValidator(100)])
    pool_size = models.PositiveSmallIntegerField(
        _("nearest dealers scored"), default=100, validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("The score is computed for this many of the nearest eligible dealers."))
    max_candidates = models.PositiveSmallIntegerField(
        _("dealers asked before HQ takes over"), default=5, validators=[MinValueValidator(1), MaxValueValidator(50)])
    sla_hours = models.FloatField(
        _("hours a dealer has to accept"), default=4, validators=[MinValueValidator(0.25), MaxValueValidator(168)],
        help_text=_("After this, the order moves on to the next dealer."))
    sla_business_hours = models.BooleanField(
        _("count business hours only"), default=False,
        help_text=_("The deadline clock runs only on business days between the opening and closing times."))
    business_start = models.TimeField(_("business day opens"), default=dt.time(9, 0))
    business_end = models.TimeField(_("business day closes"), default=dt.time(18, 0))
    business_days = ArrayField(models.PositiveSmallIntegerField(), verbose_name=_("business days"),
                               default=_weekdays, blank=True)
    holidays = ArrayField(models.DateField(), verbose_name=_("holidays"), default=list, blank=True,
                          help_text=_("Days the clock does not run, one date per line (YYYY-MM-DD)."))
    # weights (points)
    w_distance = _weight(_("distance (points lost per km)"), 1.0, _("Nearer is better."))
    w_tier = _weight(_("tier (points per tier step)"), 5.0, _("Bronze 1, Silver 2, Gold 3, Platinum 4."))
    w_acceptance = _weight(_("acceptance rate (points at 100 %)"), 10.0,
                           _("Share of offers the dealer accepted over the last 180 days."))
    w_win = _weight(_("win rate (points at 100 %)"), 0.0, _("Share of accepted orders the dealer won."))
    w_response = _weight(_("response time (points lost per hour)"), 0.5,
                         _("Median hours the dealer took to answer an offer."))
    w_load = _weight(_("open load (points lost per waiting offer)"), 3.0, _("Spreads orders among dealers."))
    w_protected = _weight(_("protected deal (points)"), 100.0,
                          _("For the partner holding an approved deal with this customer."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    WEIGHTS = ("w_distance", "w_tier", "w_acceptance", "w_win", "w_response", "w_load", "w_protected")
    SETTINGS = ("require_product_line", "required_capability", "max_distance_km", "max_open_offers",
                "pool_size", "max_candidates", "sla_hours", "sla_business_hours", "business_start", "business_end",
                "business_days", "holidays", *WEIGHTS)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="published"),
                                    name="routingrule_one_published"),
            models.UniqueConstraint(fields=["status"], condition=Q(status="draft"), name="routingrule_one_draft"),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"

    def settings_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.SETTINGS}

    def clean(self) -> None:
        errors = {}
        if any(day not in range(7) for day in self.business_days or []):
            errors["business_days"] = _("Business days are weekday numbers from 0 (Monday) to 6 (Sunday).")
        if self.sla_business_hours:
            if not self.business_days:
                errors["business_days"] = _("Choose at least one business day.")
            if self.business_start and self.business_end and self.business_end <= self.business_start:
                errors["business_end"] = _("The business day must close after it opens.")
        if errors:
            raise ValidationError(errors)


class DealerRoutingStats(models.Model):
    """A dealer's offer history over the last 180 days, as routing scores it (orders/routing.py STATS_SQL):
    recounted when the dealer answers an offer or closes an order, and hourly by beat as the window moves."""

    dealer = models.OneToOneField(Organization, primary_key=True, on_delete=models.CASCADE, related_name="+")
    answered = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    won = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    median_hours = models.FloatField(null=True, blank=True)
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.dealer_id}: {self.accepted}/{self.answered}"


class RoutingDecision(models.Model):
    """Why an order went where it went: the rule version, and each scored candidate's components."""

    order = models.ForeignKey(CustomerOrder, on_delete=models.CASCADE, related_name="decisions")
    rule = models.ForeignKey(RoutingRule, on_delete=models.PROTECT, related_name="decisions")
    round = models.PositiveSmallIntegerField(default=1)
    chosen = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # [{"dealer_id", "name", "score", "distance_km", "tier", "acceptance", "win", "response_hours",
    #   "open_offers", "protected", "components": {...}, "tie_break": "..."}], best first, at most 10
    candidates = models.JSONField(default=list)
    eligible = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order} round {self.round}"


class Deal(models.Model):
    """A partner's registered opportunity with one customer. Once HQ approves it, the customer is protected for
    that partner until it expires: an order from that customer is routed to the partner first."""

    partner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="deals",
                                verbose_name=_("partner"))
    customer_name = models.CharField(_("customer name"), max_length=200)
    # The name without legal forms ((주), 주식회사, Co., Ltd. ...), spaces and case: what similarity compares.
    customer_key = models.CharField(max_length=200, blank=True)
    customer_business_number = models.CharField(_("customer's business registration number"), max_length=10,
                                                blank=True, db_index=True)
    address = models.CharField(_("customer address"), max_length=300, blank=True)
    region_code = models.CharField(max_length=5, blank=True, db_index=True)
    region_label = models.CharField(_("region"), max_length=80, blank=True)
    product_line = models.ForeignKey(ProductLine, on_delete=models.PROTECT, related_name="deals",
                                     verbose_name=_("product line"))
    value = models.BigIntegerField(_("expected value (KRW)"), validators=[MinValueValidator(0)])
    expected_close = models.DateField(_("expected close date"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=DealStatus.choices, default=DealStatus.SUBMITTED,
                              db_index=True)
    protected_until = models.DateField(_("protected until"), null=True, blank=True)
    reject_reason = models.CharField(_("reason"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    expiry_notice_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [GinIndex(fields=["customer_key"], name="deal_customer_key_trgm", opclasses=["gin_trgm_ops"])]
        constraints = [models.CheckConstraint(condition=Q(value__gte=0), name="deal_value_not_negative")]

    def __str__(self) -> str:
        return f"{self.customer_name} ({self.partner})"
