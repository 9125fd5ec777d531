from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", pgettext_lazy("campaign", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("campaign", "Cancelled")


class PlanKind(models.TextChoices):
    SALES = "sales", _("Sales plan")
    ADVERTISING = "advertising", _("Advertising plan")


class PlanStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for HQ")
    APPROVED = "approved", pgettext_lazy("plan", "Approved")
    REJECTED = "rejected", pgettext_lazy("plan", "Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn by the partner")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for HQ")
    APPROVED = "approved", _("Approved, to be paid")
    REJECTED = "rejected", pgettext_lazy("claim", "Rejected")
    PAID = "paid", _("Paid")


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    CREDIT_NOTE = "credit_note", _("Credit note on the partner's account with HQ")
