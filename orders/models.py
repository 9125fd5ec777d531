from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.choices import DeclineReason, EventKind, OfferStatus, OrderSource, OrderStatus
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
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="customerorder_quantity_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class Offer(models.Model):
    """The order offered to one dealer, who accepts or declines it."""

    order = models.ForeignKey(CustomerOrder, on_delete=models.CASCADE, related_name="offers")
    dealer = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="offers")
    rank = models.PositiveSmallIntegerField(default=1)
    distance_km = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=OfferStatus.choices, default=OfferStatus.PENDING)
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
