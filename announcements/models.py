"""What HQ (or a distributor, to its own dealers) tells partners: announcements with their files, targeted with
``prm.core.audience.Audience``'s fields, and who of each partner has read them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from announcements.choices import AnnouncementKind, AnnouncementStatus, DocumentCategory, ManageFilter
from partners.models import Organization
from prm.core.audience import Audience


class Announcement(Audience):
    """One announcement. Partners see it while it is published, ``publish_at`` has come and ``expires_at`` has not;
    a distributor's announcement reaches only dealers it supplies (approved supply links)."""

    kind = models.CharField(_("kind"), max_length=20, choices=AnnouncementKind.choices,
                            default=AnnouncementKind.GENERAL)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    mandatory = models.BooleanField(_("must be read"), default=False,
                                    help_text=_("Pinned at the top of the partners' pages until they open it; HQ "
                                                "sees who has not."))
    status = models.CharField(_("status"), max_length=12, choices=AnnouncementStatus.choices,
                              default=AnnouncementStatus.DRAFT, db_index=True)
    # when partners see it (empty on a draft: "as soon as it is published"); published_at is when it was
    # actually published and its notices sent
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # the last correction made after publishing (its title, text, files or expiry; nobody is told again)
    edited_at = models.DateTimeField(null=True, blank=True)
    author_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="announcements")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-publish_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=[s.value for s in AnnouncementStatus]),
                                   name="announcement_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in AnnouncementKind]),
                                   name="announcement_kind_valid"),
            models.CheckConstraint(condition=Q(expires_at__isnull=True) | Q(publish_at__isnull=True)
                                   | Q(expires_at__gt=F("publish_at")), name="announcement_expires_after_publish"),
            models.CheckConstraint(condition=Q(status="draft") | Q(publish_at__isnull=False),
                                   name="announcement_publish_at_once_published"),
        ]
        indexes = [models.Index(fields=["status", "publish_at"], name="announcement_status_publish")]

    def __str__(self) -> str:
        return self.title

    def is_live(self, at: dt.datetime | None = None) -> bool:
        """Partners see it now (published, its time come, not expired)."""
        now = at or timezone.now()
        return (self.status == AnnouncementStatus.PUBLISHED and self.publish_at is not None
                and self.publish_at <= now and (self.expires_at is None or self.expires_at > now))

    @property
    def is_editable(self) -> bool:
        """Everything can change (a draft, or scheduled and not yet shown)."""
        return self.status in (AnnouncementStatus.DRAFT, AnnouncementStatus.SCHEDULED)

    @property
    def is_correctable(self) -> bool:
        """Can be changed at all: fully while not published; once published, its title, text, files and expiry
        only (its audience and "must be read" stay as the partners were told). A withdrawn one, never."""
        return self.status != AnnouncementStatus.WITHDRAWN

    def is_expired(self, at: dt.datetime | None = None) -> bool:
        """Published and its expiry has come: partners no longer see it."""
        now = at or timezone.now()
        return (self.status == AnnouncementStatus.PUBLISHED and self.expires_at is not None
                and self.expires_at <= now)

    @property
    def display_state(self) -> str:
        """The status as HQ's lists show it: "expired" for a published one whose expiry has come."""
        return ManageFilter.EXPIRED.value if self.is_expired() else self.status

    @property
    def display_state_label(self) -> str:
        return str(ManageFilter(self.display_state).label)


def _file_path(instance: AnnouncementFile, filename: str) -> str:
    # the name was chosen by the service from what the bytes are (never the sender's name)
    return f"announcements/{instance.announcement_id}/{filename}"


class AnnouncementFile(models.Model):
    """A file attached to an announcement (a brochure, a price sheet, a manual, ...): the document library lists
    the files of the announcements a partner sees. Served only through a view that checks who asks."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="files")
    category = models.CharField(_("category"), max_length=20, choices=DocumentCategory.choices,
                                default=DocumentCategory.OTHER)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=_file_path, max_length=200)
    kind = models.CharField(max_length=10)  # what the bytes are: pdf, png, xlsx, ...
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["announcement", "id"]
        constraints = [models.CheckConstraint(condition=Q(category__in=[c.value for c in DocumentCategory]),
                                              name="announcement_file_category_valid")]

    def __str__(self) -> str:
        return self.title


class AnnouncementRead(models.Model):
    """A person opened an announcement (for the partner they work for). Once per person: opening it again, or
    two clicks at once, changes nothing."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="announcement_read_once")]
        indexes = [models.Index(fields=["announcement", "organization"], name="announcement_read_org")]

    def __str__(self) -> str:
        return f"{self.announcement_id}/{self.user_id}"
