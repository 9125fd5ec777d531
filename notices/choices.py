from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeCategory(models.TextChoices):
    """What a notice is about: each has its own unsubscribe link (e-mail only; the portal always shows it)."""

    ANNOUNCEMENTS = "announcements", _("Announcements")
    CAMPAIGNS = "campaigns", _("Campaigns")


class BroadcastStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    FANNING = "fanning", _("Finding recipients")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Done")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    OPTED_OUT = "opted_out", _("Opted out")
