from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GistIndex
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from partners.choices import CreditStatus, OrgKind, PartnerStatus, Role, UploadStatus


class ProductLine(models.Model):
    """A line of products partners are authorised to sell and service (air conditioners, TVs, ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Organization(models.Model):
    """HQ, a distributor or a dealer. A dealer belongs to HQ's network, not to the distributor supplying it."""

    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    # NULL, not "", when unknown: the unique constraint then holds only for numbers we actually have.
    business_number = models.CharField(  # noqa: DJ001
        _("business registration number"), max_length=10, null=True, blank=True
    )
    representative = models.CharField(_("representative"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    sido = models.CharField(_("province"), max_length=40, blank=True)
    sigungu = models.CharField(_("district"), max_length=40, blank=True)
    region_code = models.CharField(_("region code"), max_length=5, blank=True, db_index=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    segments = ArrayField(models.CharField(max_length=20), default=list, blank=True, verbose_name=_("segments"))
    capabilities = ArrayField(models.CharField(max_length=20), default=list, blank=True,
                              verbose_name=_("capabilities"))
    product_lines = models.ManyToManyField(ProductLine, blank=True, related_name="organizations",
                                           verbose_name=_("authorised product lines"))
    credit_status = models.CharField(_("credit status"), max_length=20, choices=CreditStatus.choices,
                                     default=CreditStatus.PREPAY)
    credit_limit = models.DecimalField(_("credit limit (KRW)"), max_digits=14, decimal_places=0, default=0)
    tier = models.CharField(_("tier"), max_length=40, blank=True)
    # Set by the tier program with the tier (rewards): its routing weight and its credit limit, if any.
    tier_step = models.PositiveSmallIntegerField(_("tier routing steps"), default=0)
    tier_credit_limit = models.DecimalField(_("tier credit limit (KRW)"), max_digits=14, decimal_places=0,
                                            null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PartnerStatus.choices,
                              default=PartnerStatus.ACTIVE, db_index=True)
    partner_since = models.DateField(_("partner since"), null=True, blank=True)
    monthly_sales = models.BigIntegerField(_("monthly sales (KRW)"), null=True, blank=True)
    needs_review = models.BooleanField(_("needs HQ review"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    suppliers = models.ManyToManyField("self", through="SupplyLink", symmetrical=False,
                                       through_fields=("dealer", "distributor"), related_name="supplied_dealers")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["business_number"], name="organization_unique_business_number",
                                    condition=Q(business_number__isnull=False)),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in OrgKind]), name="organization_kind_valid"),
            models.CheckConstraint(condition=Q(business_number__isnull=True) | Q(business_number__regex=r"^\d{10}$"),
                                   name="organization_business_number_10_digits"),
        ]
        indexes = [
            models.Index(fields=["kind", "status"]),
            # routing reads the dealers nearest an order from this index in distance order (a GiST
            # nearest-neighbour scan); orders/routing.py's FLAT_MAP is the same expression
            GistIndex(Func(F("longitude") * 0.809, F("latitude"), function="point"), name="organization_routing_knn",
                      condition=Q(kind="dealer", status="active", latitude__isnull=False, longitude__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def business_number_display(self) -> str:
        bn = self.business_number or ""
        return f"{bn[:3]}-{bn[3:5]}-{bn[5:]}" if len(bn) == 10 else bn

    @property
    def effective_credit_limit(self) -> Decimal:
        """The partner's own limit, raised to its tier's when the tier gives more."""
        return max(self.credit_limit, self.tier_credit_limit or Decimal(0))

    @property
    def region_label(self) -> str:
        return f"{self.sido} {self.sigungu}".strip()

    @property
    def segment_labels(self) -> list[str]:
        from partners.choices import Segment

        labels = dict(Segment.choices)
        return [str(labels.get(code, code)) for code in self.segments]

    @property
    def capability_labels(self) -> list[str]:
        from partners.choices import Capability

        labels = dict(Capability.choices)
        return [str(labels.get(code, code)) for code in self.capabilities]


class SupplyLink(models.Model):
    """A distributor supplies a dealer. A dealer may have several suppliers; one is primary."""

    dealer = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="supply_links")
    distributor = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="dealer_links")
    is_primary = models.BooleanField(_("primary"), default=False)
    # A link a second distributor's list asked for waits for HQ; until then it grants nothing.
    is_approved = models.BooleanField(_("approved by HQ"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dealer", "distributor"], name="supplylink_unique_pair"),
            models.CheckConstraint(condition=Q(is_approved=True) | Q(is_primary=False),
                                   name="supplylink_pending_is_not_primary"),
            models.UniqueConstraint(fields=["dealer"], condition=Q(is_primary=True),
                                    name="supplylink_one_primary_per_dealer"),
        ]

    def __str__(self) -> str:
        return f"{self.distributor} → {self.dealer}"


class Membership(models.Model):
    """A user works for one organisation with one role."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_user_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


def upload_path(instance: "DealerListUpload", filename: str) -> str:
    """A short random name on disk (file systems cap names at 255 bytes: about 85 Hangul syllables); the
    distributor's own file name is kept in original_name."""
    import uuid
    from pathlib import PurePath

    suffix = "".join(ch for ch in PurePath(filename).suffix.lower()[:10] if ch.isalnum() or ch == ".")
    return f"dealer-lists/{instance.distributor_id}/{uuid.uuid4().hex}{suffix}"


class DealerListUpload(models.Model):
    """A file of dealers a distributor sent, and the result of importing it."""

    distributor = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="dealer_uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    file = models.FileField(_("file"), upload_to=upload_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=UploadStatus.choices, default=UploadStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    encoding = models.CharField(max_length=20, blank=True)
    data_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    merged_count = models.PositiveIntegerField(_("merged"), default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # What the first read found (header row, headers, the first rows' cells, the automatic mapping): the
    # column-mapping screen is drawn from it without reading the file again. See partners.upload_flow.
    analysis = models.JSONField(default=dict, blank=True)
    # field -> 0-based column, as the distributor confirmed it (or as matched when it asked for no check).
    mapping = models.JSONField(default=dict, blank=True)
    auto_confirm = models.BooleanField(default=False)
    # The rejected rows as they were in the file, plus an error column (made when the import finishes).
    rejected_file = models.FileField(upload_to=upload_path, max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_finished(self) -> bool:
        return self.status in (UploadStatus.DONE, UploadStatus.FAILED, UploadStatus.CANCELLED)

    @property
    def is_running(self) -> bool:
        return self.status in (UploadStatus.ANALYSING, UploadStatus.PENDING, UploadStatus.PROCESSING)


class DealerListPreset(models.Model):
    """A distributor's confirmed column mapping, by header text: reused on its next upload."""

    distributor = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="dealer_list_preset")
    # [{"header": "상호(법인명)", "field": "name"}, {"header": "비고", "field": ""}, ...]; "" = not imported
    columns = models.JSONField(default=list)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.distributor}"
