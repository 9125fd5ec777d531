from django.db import models
from django.utils.translation import gettext_lazy as _


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


class DocumentCategory(models.TextChoices):
    """What a file attached to an announcement is, for the partners' document library."""

    BROCHURE = "brochure", _("Brochure")
    PRICE_SHEET = "price_sheet", _("Price sheet")
    MANUAL = "manual", _("Manual")
    OTHER = "other", _("Other")
