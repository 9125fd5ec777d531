"""Partners ordering from their supplier (a dealer from its distributor or HQ, a distributor from HQ): the cart
and the purchase order, its shipments, and the account each buyer keeps with its supplier."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from partners.models import Organization


class PurchaseStatus(models.TextChoices):
    CART = "cart", _("In the cart")
    AWAITING_PAYMENT = "awaiting_payment", _("Waiting for prepayment")
    PLACED = "placed", _("Placed")
    CONFIRMED = "confirmed", _("Confirmed")
    PARTLY_SHIPPED = "partly_shipped", _("Partly shipped")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


# placed and not yet closed: the supplier's work list, and what counts against the buyer's credit
OPEN_STATUSES = (PurchaseStatus.AWAITING_PAYMENT, PurchaseStatus.PLACED, PurchaseStatus.CONFIRMED,
                 PurchaseStatus.PARTLY_SHIPPED)


class PaymentTerms(models.TextChoices):
    CREDIT = "credit", _("On credit")
    PREPAYMENT = "prepayment", _("Prepayment")


class PurchaseOrder(models.Model):
    number = models.CharField(_("order number"), max_length=20, unique=True, null=True, blank=True)
    buyer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="purchases",
                              verbose_name=_("buyer"))
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sales",
                                 verbose_name=_("supplier"))
    status = models.CharField(_("status"), max_length=20, choices=PurchaseStatus.choices,
                              default=PurchaseStatus.CART, db_index=True)
    terms = models.CharField(_("payment"), max_length=12, choices=PaymentTerms.choices, blank=True)
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="KRW")
    note = models.CharField(_("note"), max_length=500, blank=True)
    # over the credit limit or unregistered: waits for prepayment unless HQ lets it through (audited)
    exception_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    exception_reason = models.CharField(max_length=300, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    placed_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "supplier"], condition=Q(status="cart"),
                                    name="purchase_one_cart_per_supplier"),
            models.CheckConstraint(condition=Q(total__gte=0), name="purchase_total_not_negative"),
            models.CheckConstraint(condition=~Q(buyer=F("supplier")), name="purchase_not_from_self"),
        ]
        indexes = [models.Index(fields=["supplier", "status"], name="purchase_supplier_status"),
                   models.Index(fields=["buyer", "status"], name="purchase_buyer_status")]

    def __str__(self) -> str:
        return self.number or f"cart {self.pk}"


class PurchaseLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    line_total = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    shipped = models.PositiveIntegerField(_("shipped"), default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="purchase_line_once_per_product"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="purchase_line_quantity_positive"),
            models.CheckConstraint(condition=Q(shipped__lte=F("quantity")), name="purchase_line_shipped_within"),
            models.CheckConstraint(condition=Q(line_total=F("quantity") * F("unit_price")),
                                   name="purchase_line_total_exact"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.quantity}"


class Shipment(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="shipments")
    carrier = models.CharField(_("carrier"), max_length=80, blank=True)
    tracking = models.CharField(_("tracking number"), max_length=80, blank=True)
    shipped_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    shipped_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shipped_at", "id"]

    def __str__(self) -> str:
        return f"{self.order} / {self.tracking or self.pk}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(PurchaseLine, on_delete=models.CASCADE, related_name="shipment_lines")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="shipment_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.line_id} × {self.quantity}"


class EntryKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    PAYMENT = "payment", _("Payment")
    CREDIT_NOTE = "credit_note", _("Credit note")


class AccountEntry(models.Model):
    """One line of a buyer's account with its supplier. Invoices are positive (the buyer owes), payments and
    credit notes negative; the balance is the sum. Entries are never changed: a correction is a new entry."""

    buyer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="account_entries")
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    order = models.ForeignKey(PurchaseOrder, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="account_entries")
    shipment = models.OneToOneField(Shipment, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="invoice")
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=(Q(kind="invoice", amount__gt=0) | Q(kind__in=["payment", "credit_note"],
                                                                                 amount__lt=0)),
                                   name="account_entry_sign_by_kind"),
        ]
        indexes = [models.Index(fields=["buyer", "supplier", "created_at"], name="account_entry_buyer")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class ClaimKind(models.TextChoices):
    RETURN = "return", _("Return")
    WARRANTY = "warranty", _("Warranty claim")


class ClaimStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the supplier")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected by the supplier")


class Claim(models.Model):
    """A buyer returns shipped goods or claims warranty on a part, with a reason and photos; the supplier
    approves (a return is credited and goes back to stock) or rejects it with a note."""

    line = models.ForeignKey(PurchaseLine, on_delete=models.PROTECT, related_name="claims")
    kind = models.CharField(_("kind"), max_length=10, choices=ClaimKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    reason = models.CharField(_("reason"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.OPEN)
    decision_note = models.CharField(_("supplier's note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="claim_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.line_id} × {self.quantity}"


class ClaimPhoto(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="claims/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file.name or ""
