from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    OFFERED = "offered", _("Offered to a dealer")
    ACCEPTED = "accepted", _("Accepted")
    UNROUTABLE = "unroutable", _("No dealer found")


class OrderSource(models.TextChoices):
    WEB = "web", _("Quote request form")
    HQ = "hq", _("Entered by HQ")
    API = "api", _("API")


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the dealer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Not answered in time")


class DeclineReason(models.TextChoices):
    TOO_FAR = "too_far", _("Too far away")
    NO_CAPACITY = "no_capacity", _("No capacity right now")
    NOT_OUR_PRODUCT = "not_our_product", _("We don't handle this product")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    UNROUTABLE = "unroutable", _("Unroutable")
    EXPIRED = "expired", _("Not answered in time")


class RuleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("In use")
    RETIRED = "retired", _("Replaced")


class Capability(models.TextChoices):
    """A capability an order may require of its dealer (the same codes as the dealer's capabilities)."""

    NONE = "", _("None required")
    INSTALLATION = "installation", _("Installation")
    REPAIR = "repair", _("Repair")
    B2B = "b2b", _("B2B sales")


class DealStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for HQ")
    APPROVED = "approved", _("Protected")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Protection ended")
