from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class Tenant(TenantMixin):
    """One manufacturer: its own PostgreSQL schema, named after its slug."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Limits on one dealer-list upload, set by the operator per manufacturer.
    dealer_list_max_mb = models.PositiveIntegerField(
        _("largest dealer-list file (MB)"), default=50, validators=[MinValueValidator(1), MaxValueValidator(500)])
    dealer_list_max_rows = models.PositiveIntegerField(
        _("most rows in one dealer list"), default=200_000,
        validators=[MinValueValidator(10), MaxValueValidator(2_000_000)])
    # Partner ordering: the currency prices are kept in, and whether dealers may also order directly from HQ.
    currency = models.CharField(_("currency"), max_length=3, default="KRW",
                                validators=[RegexValidator(r"^[A-Z]{3}$", _("Three capital letters (ISO 4217), "
                                                                           "such as KRW."))])
    dealers_order_from_hq = models.BooleanField(_("dealers may order from HQ"), default=False)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.schema_name == "public"


class Domain(DomainMixin):
    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain
