"""A broadcast (one notice to many people) and its deliveries (one per person, the unit of exactly-once)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notices.choices import BroadcastStatus, DeliveryStatus, NoticeCategory


class Broadcast(models.Model):
    """A notice about one source (an announcement, a campaign) for the people of a set of partners.

    One per (category, source, key): publishing the same source again does not make a second broadcast; its new
    partners (if any) are added to the same one and only people not told yet are told. ``key`` (empty by default)
    is for a deliberate second notice about the same source (a reminder).
    """

    category = models.CharField(_("category"), max_length=30, choices=NoticeCategory.choices)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.BigIntegerField()
    key = models.CharField(max_length=60, blank=True, default="")
    message = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    organization = models.ForeignKey("partners.Organization", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", help_text="The sender's organisation (HQ or a distributor).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=BroadcastStatus.choices,
                              default=BroadcastStatus.QUEUED)
    # the last fan-out's count; sent / failed / opted out are counted from the deliveries while it runs and
    # stored here when it is done
    recipients = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    opted_out = models.PositiveIntegerField(default=0)
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "source_type", "source_id", "key"],
                                    name="notices_broadcast_once_per_source"),
        ]
        indexes = [models.Index(fields=["source_type", "source_id"], name="notices_broadcast_source")]

    def __str__(self) -> str:
        return f"{self.category} #{self.source_id}"

    def text(self) -> str:
        """The notice as its reader sees it, in the active language."""
        from django.utils.translation import gettext

        try:
            return gettext(self.message) % self.params if self.params else gettext(self.message)
        except (KeyError, TypeError, ValueError):
            return self.message


class BroadcastTarget(models.Model):
    """A partner a broadcast is for (the union of every call's ``organization_ids``)."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="targets")
    organization = models.ForeignKey("partners.Organization", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "organization"], name="notices_target_once"),
        ]

    def __str__(self) -> str:
        return f"{self.broadcast_id} → {self.organization_id}"


class Delivery(models.Model):
    """One person told about one broadcast: in the portal (``notification``, created with this row) and by
    e-mail (``status``). UNIQUE (broadcast, user) is what makes a second fan-out tell nobody twice."""

    # no index of its own: UNIQUE (broadcast, user) leads with it. Each index costs every "sent" mark an entry.
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notification = models.ForeignKey("core.Notification", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_owner = models.UUIDField(null=True, blank=True, help_text="The sender holding the lease (one chunk).")
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "user"], name="notices_delivery_once_per_user"),
        ]
        indexes = [
            # what the senders claim (in id order), and the leases beat's sweep checks: only unfinished rows
            models.Index(fields=["broadcast", "id"], name="notices_delivery_pending", condition=Q(status="pending")),
            models.Index(fields=["lease_until"], name="notices_delivery_leased", condition=Q(status="sending")),
        ]

    def __str__(self) -> str:
        return f"{self.broadcast_id} → {self.user_id}: {self.status}"


class OptOut(models.Model):
    """A person who does not want e-mail of one category (the portal still shows the notices)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_opt_outs")
    category = models.CharField(_("category"), max_length=30, choices=NoticeCategory.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="notices_opt_out_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: no {self.category}"
