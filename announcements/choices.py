from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AnnouncementKind(models.TextChoices):
    NEW_PRODUCT = "new_product", _("New product")
    PRICE_CHANGE = "price_change", _("Price change")
    BID = "bid", _("Bid")
    POLICY = "policy", _("Policy")
    GENERAL = "general", _("General")
    DOCUMENT = "document", _("Document")


class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ManageFilter(models.TextChoices):
    """The states HQ's and a distributor's lists show and filter by: the statuses, with "expired" (computed:
    published, its expiry come) apart from "published" (partners see it)."""

    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", pgettext_lazy("announcement", "Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DocumentCategory(models.TextChoices):
    """What a file attached to an announcement is, for the partners' document library."""

    BROCHURE = "brochure", _("Brochure")
    PRICE_SHEET = "price_sheet", _("Price sheet")
    MANUAL = "manual", _("Manual")
    OTHER = "other", _("Other")
