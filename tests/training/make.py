"""Courses for the training tests, written through HQ's services as HQ would, and the personas' answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import F

from partners.models import Membership
from prm.accounts.models import User
from prm.core.actor import Actor
from training import services
from training.models import Attempt, Certificate, Course, Question
from training.services import ChoiceInput


def actor(user: User) -> Actor:
    """A fresh actor (never the one cached on the user): a test may have changed the organisation since."""
    return Actor.from_membership(Membership.objects.select_related("organization", "user").get(user=user))


def course(hq_user: User, *, title: str = "에어컨 설치 기초", lessons: int = 2, questions: int = 3,
           multiple: Sequence[int] = (), publish: bool = True, lines: Sequence[Any] = (),
           prerequisites: Sequence[Course] = (), **settings: Any) -> Course:
    """A course with ``lessons`` lessons and ``questions`` questions, each with a right answer "right" and
    wrong ones; the question numbers in ``multiple`` (1-based, bank order) have two right answers."""
    hq = actor(hq_user)
    made = services.course_save(actor=hq, title=title, summary="요약", product_lines=lines,
                                prerequisites=prerequisites, **settings)
    for n in range(1, lessons + 1):
        services.lesson_save(actor=hq, course=made, title=f"{title} 레슨 {n}", body=f"# 제목 {n}\n\n본문 **{n}**")
    for n in range(1, questions + 1):
        if n in multiple:
            choices = [ChoiceInput("right", True), ChoiceInput("also right", True), ChoiceInput("wrong")]
            kind = "multiple"
        else:
            choices = [ChoiceInput("right", True), ChoiceInput("wrong"), ChoiceInput("also wrong")]
            kind = "single"
        services.question_save(actor=hq, course=made, text=f"{title} 질문 {n}", kind=kind, choices=choices)
    if publish:
        services.course_publish(actor=hq, course=made)
    return made


def right_ids(question_id: int) -> list[int]:
    return sorted(Question.objects.get(pk=question_id).choices.filter(is_correct=True).values_list("pk", flat=True))


def wrong_id(question_id: int) -> int:
    return Question.objects.get(pk=question_id).choices.filter(is_correct=False).values_list("pk", flat=True)[0]


def answers(attempt: Attempt, *, right: int) -> dict[str, list[int]]:
    """The first ``right`` questions of the attempt (in its order) answered right, the others wrong."""
    return {str(qid): right_ids(qid) if n < right else [wrong_id(qid)]
            for n, qid in enumerate(attempt.question_ids)}


def take(user: User, quiz: Course, *, right: int | None = None) -> Attempt:
    """The person starts the quiz and answers (all right unless told)."""
    taker = actor(user)
    attempt = services.attempt_start(actor=taker, course=quiz)
    count = len(attempt.question_ids)
    return services.attempt_submit(actor=taker, attempt=attempt,
                                   answers=answers(attempt, right=count if right is None else right))


def expire(certificate: Certificate, *, days_ago: int = 1) -> Certificate:
    """Move the certificate, and the person's attempts at the course so far, back in time so that the
    certificate ran out ``days_ago`` days ago."""
    length = (certificate.expires_at - certificate.issued_at) if certificate.expires_at else dt.timedelta(days=365)
    shift = length + dt.timedelta(days=days_ago)
    certificate.issued_at -= shift
    certificate.expires_at = certificate.issued_at + length
    certificate.save(update_fields=["issued_at", "expires_at"])
    Attempt.objects.filter(user_id=certificate.user_id, course_id=certificate.course_id).update(
        started_at=F("started_at") - shift, submitted_at=F("submitted_at") - shift)
    return certificate
