from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One answer")
    MULTIPLE = "multiple", _("Several answers")


class Progress(models.TextChoices):
    """Where a partner's person stands in one course (computed, not stored)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PASSED = "passed", _("Passed")
    EXPIRED = "expired", _("Certificate expired")
    LOCKED = "locked", _("Locked")
