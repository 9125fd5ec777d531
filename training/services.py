"""Writing training: HQ authors courses (lessons, question bank, publishing); a partner's people mark lessons done,
take the quiz and, on a pass, get a certificate. Every write is one transaction, role-checked and audited."""

from __future__ import annotations

import calendar
import datetime as dt
import random
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.choices import Segment
from partners.models import Organization, ProductLine
from prm.accounts.models import User
from prm.core import activity
from prm.core.actor import Actor
from prm.core.audience import clean_tiers
from prm.core.audit import audit
from prm.core.errors import ServiceError
from prm.core.files import document_kind, head_of, image_kind
from prm.core.models import ActivityVerb
from prm.core.roles import OrgKind
from training import permissions, selectors
from training.choices import CourseStatus, Progress, QuestionKind
from training.models import Attempt, Certificate, Choice, Course, Lesson, LessonProgress, Question
from training.video import parse_video

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PDF_BYTES = 20 * 1024 * 1024
MIN_CHOICES, MAX_CHOICES = 2, 6
PARTNER_KINDS = (OrgKind.DEALER, OrgKind.DISTRIBUTOR)


def _text(value: Any, *, field: str, max_length: int, required: str = "") -> str:
    """Text as people typed it, stored NFC (a Korean word typed on a Mac arrives decomposed) and trimmed.
    ``required`` is the message when it is empty."""
    text = unicodedata.normalize("NFC", str(value or "")).replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > max_length:
        raise ValidationError({field: _("Use at most %(count)s characters.") % {"count": max_length}})
    return text


def _whole(value: Any, *, field: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: _("Enter a whole number.")}) from None
    if not low <= number <= high:
        raise ValidationError({field: _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}})
    return number


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same local day and time ``months`` later (the month's last day when it is shorter)."""
    local = timezone.localtime(moment)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def course_passed_hooks(certificate: Certificate) -> None:
    """Called in the transaction that issued ``certificate``: the points the tenant gives for a course passed
    (once per certificate), and the partner's tier recomputed once this commits (a certification may lift it)."""
    from rewards.services.events import PointsEvent, partner_did

    partner_did(partner=certificate.organization, event=PointsEvent.COURSE_PASSED,
                reference=f"certificate:{certificate.pk}", detail=certificate.course.title)


# --- HQ: courses ----------------------------------------------------------------------------------------------


def _check_prerequisites(course: Course | None, prerequisites: list[Course]) -> None:
    """A course can't require itself, directly or through the courses it requires."""
    if course is None or course.pk is None:
        return
    seen: set[int] = set()
    frontier = {p.pk for p in prerequisites}
    while frontier:
        if course.pk in frontier:
            raise ValidationError({"prerequisites": _(
                "A course can't require itself, also not through another course. Remove that prerequisite.")})
        seen |= frontier
        frontier = set(Course.prerequisites.through.objects.filter(from_course_id__in=frontier)
                       .values_list("to_course_id", flat=True)) - seen


@transaction.atomic
def course_save(*, actor: Actor, course: Course | None = None, title: str, summary: str = "",
                kinds: Iterable[str] = (), tiers: Iterable[str] = (), segments: Iterable[str] = (),
                product_lines: Iterable[ProductLine] = (), prerequisites: Iterable[Course] = (),
                pass_mark: Any = 80, max_attempts: Any = 0, questions_per_attempt: Any = 0,
                certificate_months: Any = 24) -> Course:
    """HQ makes a course or changes one: its text, who it is for and how its quiz works."""
    permissions.require(actor, "course.author")
    creating = course is None
    if course is not None:
        course = Course.objects.select_for_update().get(pk=course.pk)
    kinds = list(dict.fromkeys(kinds))
    if set(kinds) - set(PARTNER_KINDS):
        raise ValidationError({"kinds": _("Choose dealers, distributors or both.")})
    segments = list(dict.fromkeys(segments))
    if set(segments) - set(Segment.values):
        raise ValidationError({"segments": _("Choose segments from the list.")})
    prerequisite_list = list(dict.fromkeys(prerequisites))
    if course is not None and any(p.pk == course.pk for p in prerequisite_list):
        raise ValidationError({"prerequisites": _("A course can't require itself.")})
    _check_prerequisites(course, prerequisite_list)
    course = course or Course(created_by=actor.user)
    before = {} if creating else _course_values(course)
    course.title = _text(title, field="title", max_length=200, required=_("Give the course a title."))
    course.summary = _text(summary, field="summary", max_length=5000)
    course.kinds, course.tiers, course.segments = kinds, clean_tiers(tiers), segments
    course.pass_mark = _whole(pass_mark, field="pass_mark", low=1, high=100)
    course.max_attempts = _whole(max_attempts, field="max_attempts", low=0, high=100)
    course.questions_per_attempt = _whole(questions_per_attempt, field="questions_per_attempt", low=0, high=200)
    course.certificate_months = _whole(certificate_months, field="certificate_months", low=0, high=240)
    if course.status == CourseStatus.PUBLISHED:
        available = course.questions.count()
        if course.questions_per_attempt > available:
            raise ValidationError({"questions_per_attempt": _(
                "The question bank has %(count)s questions: draw at most that many, or add questions first.")
                % {"count": available}})
    course.save()
    course.product_lines.set(list(product_lines))
    course.prerequisites.set(prerequisite_list)
    after = _course_values(course)
    audit(actor=actor, action="course.create" if creating else "course.update", obj=course,
          changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v})
    return course


def _course_values(course: Course) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(course, name) for name in (
        "title", "summary", "kinds", "tiers", "segments", "pass_mark", "max_attempts", "questions_per_attempt",
        "certificate_months")}
    if course.pk:
        values["product_lines"] = sorted(course.product_lines.values_list("pk", flat=True))
        values["prerequisites"] = sorted(course.prerequisites.values_list("pk", flat=True))
    return values


def bank_problems(course: Course) -> list[str]:
    """What stops the course's question bank being used for a quiz (empty when it is ready)."""
    problems = []
    questions = list(course.questions.prefetch_related("choices"))
    for number, question in enumerate(questions, start=1):
        problem = _choice_problem(question.kind, [(c.text, c.is_correct) for c in question.choices.all()])
        if problem:
            problems.append(_("Question %(number)s: %(problem)s") % {"number": number, "problem": problem})
    if not questions:
        problems.append(_("Add at least one question to the question bank."))
    elif course.questions_per_attempt > len(questions):
        problems.append(_("Each attempt draws %(wanted)s questions but the bank has %(count)s: add questions or "
                          "draw fewer.") % {"wanted": course.questions_per_attempt, "count": len(questions)})
    return problems


@transaction.atomic
def course_publish(*, actor: Actor, course: Course) -> Course:
    """Partners it targets see the course from now on. Refused while its question bank isn't ready."""
    permissions.require(actor, "course.author")
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status == CourseStatus.PUBLISHED:
        return course
    problems = bank_problems(course)
    if problems:
        raise ValidationError(problems)
    before = course.status
    course.status = CourseStatus.PUBLISHED
    course.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="course.publish", obj=course, before=before)
    return course


@transaction.atomic
def course_archive(*, actor: Actor, course: Course) -> Course:
    """Partners no longer see the course; certificates already issued stay as they are."""
    permissions.require(actor, "course.author")
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status == CourseStatus.ARCHIVED:
        return course
    before = course.status
    course.status = CourseStatus.ARCHIVED
    course.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="course.archive", obj=course, before=before)
    return course


# --- HQ: lessons ----------------------------------------------------------------------------------------------


@transaction.atomic
def lesson_save(*, actor: Actor, course: Course, lesson: Lesson | None = None, title: str, body: str = "",
                order: Any = None, video_url: str = "", image: Any = None, pdf: Any = None,
                remove_image: bool = False, remove_pdf: bool = False) -> Lesson:
    """HQ adds a lesson to a course or changes one: text, an optional photo, YouTube/Vimeo video and PDF."""
    permissions.require(actor, "course.author")
    creating = lesson is None
    if lesson is not None and lesson.course_id != course.pk:
        raise ServiceError(_("That lesson belongs to another course."))
    lesson = lesson or Lesson(course=course)
    lesson.title = _text(title, field="title", max_length=200, required=_("Give the lesson a title."))
    lesson.body = _text(body, field="body", max_length=50_000)
    if order is None or str(order).strip() == "":
        if creating:
            last = course.lessons.aggregate(last=Max("order"))["last"]
            lesson.order = (last or 0) + 1
    else:
        lesson.order = _whole(order, field="order", low=1, high=999)
    link = _text(video_url, field="video_url", max_length=300)
    if link:
        video = parse_video(link)
        if video is None:
            raise ValidationError({"video_url": _(
                "Paste the https address of a YouTube or Vimeo video (for example https://youtu.be/… or "
                "https://vimeo.com/…). Other sites can't be shown in a lesson.")})
        link = video.canonical_url
    lesson.video_url = link
    if image is not None:
        kind = image_kind(head_of(image))
        if kind is None or (image.size or 0) > MAX_IMAGE_BYTES:
            raise ValidationError({"image": _("Choose a JPEG, PNG, WebP or GIF picture of 5 MB at most.")})
        image.name = f"course-{course.pk}.{kind}"
        lesson.image = image
    elif remove_image:
        lesson.image = ""
    if pdf is not None:
        kind = document_kind(head_of(pdf), pdf.name or "")
        if kind != "pdf" or (pdf.size or 0) > MAX_PDF_BYTES:
            raise ValidationError({"pdf": _("Choose a PDF file of 20 MB at most.")})
        pdf.name = f"course-{course.pk}.pdf"
        lesson.pdf = pdf
    elif remove_pdf:
        lesson.pdf = ""
    lesson.save()
    audit(actor=actor, action="lesson.create" if creating else "lesson.update", obj=lesson, course=course.pk,
          title=lesson.title, video=lesson.video_url, image=bool(lesson.image), pdf=bool(lesson.pdf))
    return lesson


@transaction.atomic
def lesson_delete(*, actor: Actor, lesson: Lesson) -> None:
    permissions.require(actor, "course.author")
    audit(actor=actor, action="lesson.delete", obj=lesson, course=lesson.course_id, title=lesson.title)
    lesson.delete()


@transaction.atomic
def lesson_move(*, actor: Actor, lesson: Lesson, offset: int) -> Lesson:
    """HQ moves a lesson up (``offset`` -1) or down (+1) in its course. The course's lessons are numbered 1, 2,
    3, ... afresh, so equal numbers left by earlier edits are put right at the same time."""
    permissions.require(actor, "course.author")
    lessons = list(Lesson.objects.select_for_update().filter(course_id=lesson.course_id).order_by("order", "id"))
    index = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), None)
    if index is None:
        raise ServiceError(_("That lesson was deleted meanwhile. Reload the page."))
    moved = lessons.pop(index)
    lessons.insert(max(0, min(len(lessons), index + offset)), moved)
    changed = []
    for number, item in enumerate(lessons, start=1):
        if item.order != number:
            item.order = number
            changed.append(item)
    Lesson.objects.bulk_update(changed, ["order"])
    audit(actor=actor, action="lesson.move", obj=moved, course=moved.course_id, order=moved.order)
    return moved


# --- HQ: question bank ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceInput:
    text: str
    is_correct: bool = False
    id: int | None = None


def _choice_problem(kind: str, choices: Sequence[tuple[str, bool]]) -> str:
    if not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
        return _("give %(low)s to %(high)s answers.") % {"low": MIN_CHOICES, "high": MAX_CHOICES}
    correct = sum(1 for _text, is_correct in choices if is_correct)
    if kind == QuestionKind.SINGLE and correct != 1:
        return _("a one-answer question needs exactly one correct answer.")
    if kind == QuestionKind.MULTIPLE and correct < 1:
        return _("mark at least one answer as correct.")
    return ""


@transaction.atomic
def question_save(*, actor: Actor, course: Course, question: Question | None = None, text: str, kind: str,
                  order: Any = None, choices: Sequence[ChoiceInput]) -> Question:
    """HQ writes a question and its answers. Answers left blank are dropped; an answer's id (from the form)
    keeps it the same answer, so a quiz in progress still shows it."""
    permissions.require(actor, "course.author")
    creating = question is None
    if question is not None and question.course_id != course.pk:
        raise ServiceError(_("That question belongs to another course."))
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose one answer or several answers.")})
    question = question or Question(course=course)
    question.text = _text(text, field="text", max_length=2000, required=_("Write the question."))
    question.kind = kind
    if order is None or str(order).strip() == "":
        if creating:
            last = course.questions.aggregate(last=Max("order"))["last"]
            question.order = (last or 0) + 1
    else:
        question.order = _whole(order, field="order", low=1, high=999)
    rows = [(c, _text(c.text, field="choices", max_length=300)) for c in choices]
    rows = [(c, t) for c, t in rows if t]
    problem = _choice_problem(kind, [(t, c.is_correct) for c, t in rows])
    if problem:
        raise ValidationError({"choices": problem[:1].upper() + problem[1:]})
    existing = {c.pk: c for c in question.choices.all()} if question.pk else {}
    if any(c.id is not None and c.id not in existing for c, _t in rows):
        raise ValidationError({"choices": _("An answer belongs to another question. Reload the page and try again.")})
    question.save()
    kept = set()
    for position, (row, row_text) in enumerate(rows, start=1):
        choice = existing.get(row.id) if row.id is not None else None
        choice = choice or Choice(question=question)
        choice.text, choice.is_correct, choice.order = row_text, bool(row.is_correct), position
        choice.save()
        kept.add(choice.pk)
    question.choices.exclude(pk__in=kept).delete()
    audit(actor=actor, action="question.create" if creating else "question.update", obj=question,
          course=course.pk, kind=kind, choices=len(rows))
    return question


@transaction.atomic
def question_delete(*, actor: Actor, question: Question) -> None:
    """Only while the course is not published: a published course's quizzes may be drawing the question."""
    permissions.require(actor, "course.author")
    if question.course.status == CourseStatus.PUBLISHED:
        raise ServiceError(_("The course is published: change the question instead, or archive the course first."))
    audit(actor=actor, action="question.delete", obj=question, course=question.course_id)
    question.delete()


# --- partners: lessons and quizzes ----------------------------------------------------------------------------


def _taker(actor: Actor) -> tuple[User, Organization]:
    """The person taking the course and the partner they take it for."""
    permissions.require(actor, "course.take")
    if actor.user is None or actor.organization is None:
        raise ServiceError(_("Log in as a partner's person to take courses."))
    return actor.user, actor.organization


def _standing_for(actor: Actor, course: Course) -> selectors.CourseStanding:
    """The actor's standing in the course; refused when the course isn't offered to them or is locked."""
    if not selectors.course_visible_to(actor).filter(pk=course.pk).exists():
        raise ServiceError(_("This course is not offered to your organisation."))
    standing = selectors.course_standing(actor, course)
    if standing.state == Progress.LOCKED:
        raise ServiceError(_("Pass these courses first: %(names)s.")
                           % {"names": ", ".join(c.title for c in standing.missing)})
    return standing


@transaction.atomic
def lesson_complete(*, actor: Actor, lesson: Lesson) -> LessonProgress:
    """The person read the lesson. Doing it again changes nothing."""
    user, organization = _taker(actor)
    _standing_for(actor, lesson.course)
    progress, created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"organization": organization})
    if created:
        audit(actor=actor, action="lesson.complete", obj=progress, lesson=lesson.pk, course=lesson.course_id)
    return progress


@transaction.atomic
def attempt_start(*, actor: Actor, course: Course) -> Attempt:
    """The person's open attempt at the course's quiz, or a new one: questions drawn from the bank and shuffled,
    each question's answers shuffled too, the order stored."""
    user, organization = _taker(actor)
    standing = _standing_for(actor, course)
    if standing.open_attempt is not None:
        return standing.open_attempt
    if standing.state == Progress.PASSED and standing.certificate is not None:
        expires = standing.certificate.expires_at
        raise ServiceError(_("You passed this course: your certificate is valid until %(date)s.")
                           % {"date": timezone.localtime(expires).date().isoformat()} if expires
                           else _("You passed this course: your certificate does not expire."))
    if standing.attempts_left == 0:
        raise ServiceError(_("You have used all %(count)s attempts at this quiz. Ask HQ if you need another.")
                           % {"count": course.max_attempts})
    bank = list(Question.objects.filter(course=course).values_list("pk", flat=True))
    if not bank:
        raise ServiceError(_("This course has no quiz yet."))
    draw = random.SystemRandom()
    wanted = min(course.questions_per_attempt or len(bank), len(bank))
    question_ids = draw.sample(bank, wanted)
    order: dict[str, list[int]] = {}
    for question_id, choice_id in Choice.objects.filter(question_id__in=question_ids).values_list(
            "question_id", "pk").order_by("question_id", "order", "pk"):
        order.setdefault(str(question_id), []).append(choice_id)
    for ids in order.values():
        draw.shuffle(ids)
    try:
        with transaction.atomic():  # a second tab starting at the same moment: one open attempt only
            attempt = Attempt.objects.create(course=course, user=user, organization=organization,
                                             question_ids=question_ids, choice_order=order)
    except IntegrityError:
        existing = Attempt.objects.filter(course=course, user=user, submitted_at__isnull=True).first()
        if existing is None:
            raise
        return existing
    audit(actor=actor, action="attempt.start", obj=attempt, course=course.pk, questions=len(question_ids))
    return attempt


def _id(value: Any) -> int | None:
    """A posted id, or None when it is not one. ``str.isdigit`` is true of "²", which ``int`` refuses:
    only decimal digits count (a Korean keyboard's full-width ones included)."""
    text = str(value).strip()
    if not text.isdecimal() or len(text) > 18:
        return None
    return int(text)


def _ids(values: Any) -> list[int]:
    items = values if isinstance(values, list | tuple | set) else [values]
    result = []
    for item in items:
        number = _id(item)
        if number is None:
            raise ValidationError(_("An answer could not be read. Reload the page and answer again."))
        result.append(number)
    return result


def _next_certificate_number(issued_at: dt.datetime) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('training_certificate_number_seq')")
        (value,) = cursor.fetchone()
    return f"TC-{timezone.localtime(issued_at).year}-{value:06d}"


@transaction.atomic
def attempt_submit(*, actor: Actor, attempt: Attempt, answers: Mapping[Any, Any]) -> Attempt:
    """Mark the attempt: a one-answer question counts when the chosen answer is correct, a several-answers one
    only when the chosen set is exactly the correct set. On a pass the certificate is issued here too. The
    attempt's row is locked: a double submit or a second tab marks it once; an attempt already marked is
    returned unchanged."""
    user, organization = _taker(actor)
    locked = (Attempt.objects.select_for_update()
              .filter(pk=attempt.pk, user=user, organization=organization).first())
    if locked is None:
        raise ServiceError(_("This quiz is not yours."))
    attempt = locked
    if attempt.submitted_at is not None:
        return attempt
    course = Course.objects.get(pk=attempt.course_id)
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices")}
    numbers = {qid: n for n, qid in enumerate([q for q in attempt.question_ids if q in questions], start=1)}
    chosen: dict[int, set[int]] = {}
    for key, values in answers.items():
        question_id = _id(key) or 0
        if question_id not in questions or question_id not in numbers:
            raise ValidationError(_("An answer names a question that is not in this quiz. Reload the page and "
                                    "answer again."))
        picked = set(_ids(values))
        if not picked:
            continue
        question = questions[question_id]
        if picked - {c.pk for c in question.choices.all()}:
            raise ValidationError(_("Question %(number)s: that answer is not one of its choices. Reload the page "
                                    "and answer again.") % {"number": numbers[question_id]})
        if question.kind == QuestionKind.SINGLE and len(picked) > 1:
            raise ValidationError(_("Question %(number)s: choose one answer.") % {"number": numbers[question_id]})
        chosen[question_id] = picked
    missing = [str(numbers[qid]) for qid in numbers if qid not in chosen]
    if missing:
        raise ValidationError(_("Answer every question: question %(numbers)s has no answer yet.")
                              % {"numbers": ", ".join(missing)})
    standing = selectors.course_standing(actor, course)
    if course.max_attempts and standing.attempts_used >= course.max_attempts:
        raise ServiceError(_("You have used all %(count)s attempts at this quiz.") % {"count": course.max_attempts})
    marks = {}
    for qid in numbers:
        right = {c.pk for c in questions[qid].choices.all() if c.is_correct}
        marks[str(qid)] = chosen[qid] == right
    correct = sum(1 for mark in marks.values() if mark)
    total = len(marks)
    attempt.answers = {str(qid): sorted(ids) for qid, ids in chosen.items()}
    attempt.marks = marks
    # whole percent, rounded down; passing compares exactly (a floor of at least N means at least N)
    attempt.score = (100 * correct) // total if total else 0
    attempt.passed = correct * 100 >= course.pass_mark * total and total > 0
    attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["answers", "marks", "score", "passed", "submitted_at"])
    audit(actor=actor, action="attempt.submit", obj=attempt, course=course.pk, score=attempt.score,
          passed=attempt.passed)
    if attempt.passed and not Certificate.objects.filter(
            selectors.valid_certificates(attempt.submitted_at), user=user,
            organization=organization, course=course).exists():
        issued = attempt.submitted_at
        certificate = Certificate.objects.create(
            course=course, user=user, organization=organization, attempt=attempt,
            number=_next_certificate_number(issued), issued_at=issued,
            expires_at=add_months(issued, course.certificate_months) if course.certificate_months else None)
        audit(actor=actor, action="certificate.issue", obj=certificate, course=course.pk, number=certificate.number,
              expires=str(certificate.expires_at or ""))
        course_passed_hooks(certificate)
        activity.record(verb=ActivityVerb.COURSE_PASSED, user=user, organization=organization, obj=certificate,
                        course=course.pk)
    return attempt
