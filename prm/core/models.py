from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which object: written by services, never edited."""

    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    organization_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"


class Notification(models.Model):
    """Something for one user to see in the portal (and, for most kinds, by e-mail): a new offer, ...

    ``message`` is an English message id with ``params``; it is translated for the reader when shown.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"

    def text(self) -> str:
        from django.utils.translation import gettext

        try:
            return gettext(self.message) % self.params if self.params else gettext(self.message)
        except (KeyError, TypeError, ValueError):
            return self.message


class ActivityVerb(models.TextChoices):
    LOGIN = "login", _("signed in")
    OFFER_ACCEPTED = "offer.accepted", _("accepted an offer")
    OFFER_DECLINED = "offer.declined", _("declined an offer")
    ORDER_PLACED = "order.placed", _("placed an order")
    COURSE_PASSED = "course.passed", _("passed a course")
    ANNOUNCEMENT_READ = "announcement.read", _("read an announcement")
    CAMPAIGN_JOINED = "campaign.joined", _("joined a campaign")
    DEAL_REGISTERED = "deal.registered", _("registered a deal")
    UPLOAD_DONE = "upload.done", _("uploaded a dealer list")


class Activity(models.Model):
    """One partner action for the data mart (login, offer accepted, order placed, ...): append-only (a database
    trigger refuses UPDATE and DELETE), written after the transaction commits by ``prm.core.activity.record``."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_default=Now())
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    organization = models.ForeignKey("partners.Organization", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    verb = models.CharField(_("action"), max_length=40, choices=ActivityVerb.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["organization", "at"]), models.Index(fields=["verb", "at"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_type}:{self.object_id}"
