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
    WITHDRAWN = "withdrawn", _("Withdrawn by HQ")


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
    CONTACTED = "contacted", _("Customer contacted")
    QUOTED = "quoted", _("Quote sent")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    REASSIGNED = "reassigned", _("Reassigned by HQ")


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


class OrderStage(models.TextChoices):
    """Where the dealer has taken an accepted order."""

    ACCEPTED = "accepted", _("Accepted")
    CONTACTED = "contacted", _("Customer contacted")
    QUOTED = "quoted", _("Quote sent")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


OPEN_STAGES = (OrderStage.ACCEPTED, OrderStage.CONTACTED, OrderStage.QUOTED)
STAGE_ORDER = {OrderStage.ACCEPTED: 0, OrderStage.CONTACTED: 1, OrderStage.QUOTED: 2, OrderStage.WON: 3,
               OrderStage.LOST: 3}


class LostReason(models.TextChoices):
    PRICE = "price", _("Price")
    COMPETITOR = "competitor", _("Went to a competitor")
    NO_RESPONSE = "no_response", _("Customer stopped answering")
    NOT_NEEDED = "not_needed", _("No longer needed")
    OTHER = "other", _("Other")
