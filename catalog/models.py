"""What partners can order: products and spare parts, the price lists that say what each partner pays, and the
stock HQ and each distributor hold."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partners.models import Organization, ProductLine


class ProductKind(models.TextChoices):
    PRODUCT = "product", _("Product")
    SPARE_PART = "spare_part", _("Spare part")


class ProductStatus(models.TextChoices):
    NEW = "new", _("New")
    ACTIVE = "active", _("Available")
    DISCONTINUED = "discontinued", _("Discontinued")


class PriceAudience(models.TextChoices):
    DISTRIBUTOR = "distributor", _("Distributors")
    DEALER = "dealer", _("Dealers")


class Product(models.Model):
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ProductKind.choices, default=ProductKind.PRODUCT)
    product_line = models.ForeignKey(ProductLine, on_delete=models.PROTECT, related_name="products",
                                     verbose_name=_("product line"))
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    # {"냉방 면적": "18평", "전원": "220V"}: shown as a table, searched as text
    specs = models.JSONField(_("specifications"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=ProductStatus.choices, default=ProductStatus.ACTIVE)
    unit = models.CharField(_("unit"), max_length=10, default="EA")
    image = models.FileField(_("image"), upload_to="catalogue/images/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku"]
        # The catalogue's search box (a part of the name, Korean or English, or of the SKU) is served by trigram
        # indexes on UPPER(column), which is what Django's icontains compares: catalog migration 0002 makes
        # them in SQL (Django writes that index expression with parentheses PostgreSQL refuses).
        indexes = [
            # a status filter, in SKU order
            models.Index(fields=["status", "sku"], name="product_status_sku"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"

    @property
    def name(self) -> str:
        """The name in the reader's language (Korean when there is no English one)."""
        return self.name_en if (get_language() or "ko").startswith("en") and self.name_en else self.name_ko


class ProductDocument(models.Model):
    """A brochure, manual or spec sheet attached to a product."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="catalogue/documents/")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class PriceList(models.Model):
    """Prices for one audience over a period: distributors, or dealers (of one tier, or of every tier when the
    tier is empty); a promotion lowers prices for its campaign's period."""

    name = models.CharField(_("name"), max_length=120)
    audience = models.CharField(_("for"), max_length=12, choices=PriceAudience.choices)
    tier = models.CharField(_("tier"), max_length=30, blank=True,
                            help_text=_("Empty: every tier. A tier's own list wins over the general one."))
    is_promotion = models.BooleanField(_("promotion"), default=False)
    campaign = models.CharField(_("campaign"), max_length=120, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: until replaced."))
    currency = models.CharField(_("currency"), max_length=3, default="KRW")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                                   name="pricelist_period_ordered"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="pricelist_currency_iso"),
        ]

    def __str__(self) -> str:
        return self.name


class Price(models.Model):
    """One product's price on one list, exact to the currency's minor unit (never a float)."""

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="prices")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    amount = models.DecimalField(_("price"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["price_list", "product"], name="price_once_per_list"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="price_not_negative"),
        ]
        indexes = [models.Index(fields=["product", "price_list"], name="price_product_list")]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.amount}"


class StockLevel(models.Model):
    """What a holder (HQ's warehouse or a distributor) has of a product. ``reserved`` is promised to placed
    orders not yet shipped; what can still be ordered is on_hand - reserved, never below zero."""

    holder = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="stock")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="stock")
    on_hand = models.PositiveIntegerField(_("on hand"), default=0)
    reserved = models.PositiveIntegerField(_("reserved"), default=0)
    low_at = models.PositiveIntegerField(_("low at"), default=5,
                                         help_text=_("Partners see “low” at or below this many available."))
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    expected_quantity = models.PositiveIntegerField(_("expected quantity"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["holder", "product"], name="stock_once_per_holder"),
            models.CheckConstraint(condition=Q(reserved__lte=F("on_hand")), name="stock_reserved_within_on_hand"),
        ]

    def __str__(self) -> str:
        return f"{self.holder_id}/{self.product_id}: {self.on_hand - self.reserved}"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved
