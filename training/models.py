"""Courses HQ writes for its partners: lessons to read, a quiz drawn from a question bank, and the certificate a
pass earns. The tier computation (rewards) reads ``training_certificate`` in SQL: keep its column names."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Organization, ProductLine
from training.choices import CourseStatus, QuestionKind
from training.video import Video, parse_video, validate_video_url


class Course(models.Model):
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CourseStatus.choices, default=CourseStatus.DRAFT,
                              db_index=True)
    # Targeting: an empty list means "everyone" for that criterion; a partner must match every criterion.
    kinds = ArrayField(models.CharField(max_length=20), default=list, blank=True, verbose_name=_("partner kinds"))
    tiers = ArrayField(models.CharField(max_length=40), default=list, blank=True, verbose_name=_("tiers"))
    segments = ArrayField(models.CharField(max_length=20), default=list, blank=True, verbose_name=_("segments"))
    product_lines = models.ManyToManyField(ProductLine, blank=True, related_name="courses",
                                           verbose_name=_("product lines"))
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="required_by",
                                           verbose_name=_("prerequisites"))
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80,
                                                 validators=[MinValueValidator(1), MaxValueValidator(100)])
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=0,
                                                    validators=[MaxValueValidator(100)],
                                                    help_text=_("0: as many as needed."))
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"), default=0, validators=[MaxValueValidator(200)],
        help_text=_("Drawn at random from the question bank; 0: every question."))
    certificate_months = models.PositiveSmallIntegerField(_("certificate valid for (months)"), default=24,
                                                          validators=[MaxValueValidator(240)],
                                                          help_text=_("0: never expires."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="course_pass_mark_range"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in CourseStatus]),
                                   name="course_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True,
                            help_text=_("Plain text. A line starting with “# ” is a heading, “- ” a bullet; "
                                        "**bold**."))
    # stored under names we choose from what the bytes are, served through a view that checks who asks
    image = models.FileField(_("image"), upload_to="training/images/", blank=True)
    video_url = models.URLField(_("video (YouTube or Vimeo)"), max_length=300, blank=True,
                                validators=[validate_video_url])
    pdf = models.FileField(_("PDF"), upload_to="training/documents/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["course", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def video(self) -> Video | None:
        return parse_video(self.video_url) if self.video_url else None


class Question(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["course", "order", "id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=[k.value for k in QuestionKind]),
                                              name="question_kind_valid")]

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["question", "order", "id"]

    def __str__(self) -> str:
        return self.text


class LessonProgress(models.Model):
    """A person finished a lesson (for the organisation they were working for then)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_once")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.lesson_id}"


class Attempt(models.Model):
    """One sitting of a course's quiz. The questions drawn and the order of each question's choices are stored
    when it starts, so a reload (or another device) shows the same quiz."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    question_ids = ArrayField(models.BigIntegerField(), default=list)
    # {"<question id>": [choice ids in the order shown]}
    choice_order = models.JSONField(default=dict)
    # {"<question id>": [chosen choice ids]}
    answers = models.JSONField(default=dict, blank=True)
    # {"<question id>": true/false}, so the result page does not depend on later edits of the bank
    marks = models.JSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # one open attempt per person and course: a second tab resumes it instead of starting another
            models.UniqueConstraint(fields=["course", "user"], condition=Q(submitted_at__isnull=True),
                                    name="attempt_one_open"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=100), name="attempt_score_range"),
        ]
        indexes = [models.Index(fields=["user", "course", "submitted_at"], name="attempt_user_course")]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.user_id}/{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None


class Certificate(models.Model):
    """Earned by passing a course's quiz. Valid while issued_at <= now < expires_at (no expiry when NULL).
    rewards' tier computation reads this table in SQL by these column names."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="certificates")
    attempt = models.OneToOneField(Attempt, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="certificate")
    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("issued_at")),
                                   name="certificate_expires_after_issue"),
        ]
        indexes = [
            models.Index(fields=["organization", "course", "expires_at"], name="certificate_org_course"),
            models.Index(fields=["user", "course", "expires_at"], name="certificate_user_course"),
        ]

    def __str__(self) -> str:
        return self.number

    def is_valid(self, at: dt.datetime | None = None) -> bool:
        now = at or timezone.now()
        return self.issued_at <= now and (self.expires_at is None or self.expires_at > now)
