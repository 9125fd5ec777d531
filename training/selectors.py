"""Reading training: which courses a partner is offered (HQ's targeting), where each of its people stands, their
certificates, and HQ's completion figures. Another partner's attempt or certificate is a 404."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partners.models import Organization
from prm.core.actor import Actor
from training.choices import CourseStatus, Progress
from training.models import Attempt, Certificate, Choice, Course, Lesson, LessonProgress, Question

# HQ's results page warns about certificates running out within this many days.
EXPIRING_DAYS = 30


def valid_certificates(at: dt.datetime | None = None) -> Q:
    """Issued and not yet expired (no expiry date: valid for good)."""
    now = at or timezone.now()
    return Q(issued_at__lte=now) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def _tier_key(tier: str) -> str:
    return f"|{tier.strip().casefold()}|"


def _targeted_at(org: Organization) -> Q:
    """Courses whose targeting lets ``org`` in: each criterion empty, or matched."""
    lines = Course.product_lines.through.objects
    org_lines = Organization.product_lines.through.objects.filter(organization_id=org.pk).values("productline_id")
    in_lines = Q(~Exists(lines.filter(course_id=OuterRef("pk")))) | Q(
        Exists(lines.filter(course_id=OuterRef("pk"), productline_id__in=org_lines)))
    tier = Q(tiers=[])
    if org.tier.strip():
        tier |= Q(tiers_key__contains=_tier_key(org.tier))
    segments = Q(segments=[])
    if org.segments:
        segments |= Q(segments__overlap=list(org.segments))
    return (Q(kinds=[]) | Q(kinds__contains=[org.kind])) & tier & segments & in_lines


def course_visible_to(actor: Actor) -> QuerySet[Course]:
    """HQ (and the system) every course; a partner's people the published courses targeted at their partner."""
    qs = Course.objects.all()
    if actor.is_system or actor.is_hq:
        return qs
    org = actor.organization
    if org is None:
        return qs.none()
    # tiers are matched case-insensitively: "|gold|silver|" contains "|gold|" (a tier name holds no "|")
    qs = qs.alias(tiers_key=Lower(Concat(Value("|"), _array_join("tiers"), Value("|"))))
    return qs.filter(status=CourseStatus.PUBLISHED).filter(_targeted_at(org))


def _array_join(name: str) -> Func:
    return Func(F(name), Value("|"), function="array_to_string", output_field=CharField())


def course_get(actor: Actor, pk: int) -> Course:
    return get_object_or_404(course_visible_to(actor), pk=pk)


def lesson_visible_to(actor: Actor) -> QuerySet[Lesson]:
    return Lesson.objects.filter(course__in=course_visible_to(actor)).select_related("course")


def lesson_get(actor: Actor, pk: int) -> Lesson:
    return get_object_or_404(lesson_visible_to(actor), pk=pk)


def question_visible_to(actor: Actor) -> QuerySet[Question]:
    """The question bank, with its correct answers: HQ's only (a partner sees questions through its attempts)."""
    if actor.is_system or actor.is_hq:
        return Question.objects.select_related("course")
    return Question.objects.none()


def question_get(actor: Actor, pk: int) -> Question:
    return get_object_or_404(question_visible_to(actor), pk=pk)


def known_tiers() -> list[str]:
    """The tier names partners hold now, for HQ's targeting form to suggest."""
    return sorted(set(Organization.objects.exclude(tier="").values_list("tier", flat=True)), key=str.casefold)


def attempt_visible_to(actor: Actor) -> QuerySet[Attempt]:
    """A person's own attempts (for the partner they work for); HQ everyone's."""
    qs = Attempt.objects.select_related("course", "user", "organization")
    if actor.is_system or actor.is_hq:
        return qs
    if actor.user is None or actor.organization is None:
        return qs.none()
    return qs.filter(user=actor.user, organization=actor.organization)


def attempt_get(actor: Actor, pk: int) -> Attempt:
    return get_object_or_404(attempt_visible_to(actor), pk=pk)


def certificate_visible_to(actor: Actor) -> QuerySet[Certificate]:
    """The certificates of the actor's partner (any of its people); HQ every partner's."""
    qs = Certificate.objects.select_related("course", "user", "organization")
    if actor.is_system or actor.is_hq:
        return qs
    if actor.organization is None:
        return qs.none()
    return qs.filter(organization=actor.organization)


def certificate_get(actor: Actor, pk: int) -> Certificate:
    return get_object_or_404(certificate_visible_to(actor), pk=pk)


@dataclass
class CourseStanding:
    """Where the actor stands in one course."""

    course: Course
    state: str
    lessons_total: int = 0
    lessons_done: int = 0
    done_lesson_ids: set[int] = field(default_factory=set)
    next_lesson: Lesson | None = None
    next_lesson_number: int | None = None
    certificate: Certificate | None = None  # the valid one, or the latest expired one
    missing: list[Course] = field(default_factory=list)  # prerequisites without a valid certificate
    open_attempt: Attempt | None = None
    attempts_used: int = 0
    attempts_left: int | None = None  # None: no limit
    last_attempt: Attempt | None = None

    @property
    def label(self) -> str:
        return str(Progress(self.state).label)

    @property
    def can_take_quiz(self) -> bool:
        return self.state not in (Progress.PASSED, Progress.LOCKED) and (
            self.open_attempt is not None or self.attempts_left is None or self.attempts_left > 0)

    @property
    def percent_done(self) -> int:
        return round(100 * self.lessons_done / self.lessons_total) if self.lessons_total else 0


def course_for_partner_status(actor: Actor, courses: Iterable[Course] | None = None) -> list[CourseStanding]:
    """The standing of the actor (a partner's person) in each course (default: every course offered to them):
    not started, in progress (lessons done of total), passed (certificate valid until), expired, or locked
    (naming the prerequisites missing). A fixed number of queries, whatever the number of courses."""
    course_list = list(courses if courses is not None else course_visible_to(actor).order_by("title", "id"))
    if not course_list:
        return []
    ids = [c.pk for c in course_list]
    user, org_id = actor.user, actor.organization_id or 0
    lessons: dict[int, list[Lesson]] = defaultdict(list)
    for lesson in Lesson.objects.filter(course_id__in=ids).order_by("course_id", "order", "id"):
        lessons[lesson.course_id].append(lesson)
    done = set(LessonProgress.objects.filter(user=user, organization_id=org_id, lesson__course_id__in=ids)
               .values_list("lesson_id", flat=True)) if user else set()
    now = timezone.now()
    certificates: dict[int, list[Certificate]] = defaultdict(list)
    for certificate in (Certificate.objects.filter(user=user, organization_id=org_id).order_by("-issued_at", "-id")
                        if user else []):
        certificates[certificate.course_id].append(certificate)
    valid_courses = {cid for cid, certs in certificates.items() if any(c.is_valid(now) for c in certs)}
    # Only a prerequisite offered to the actor can hold a course back: one in draft, archived or aimed at other
    # partners can't be taken, and would lock the course for good.
    offered = course_visible_to(actor).filter(required_by__in=ids).values("pk")
    requires: dict[int, list[Course]] = defaultdict(list)
    for link in Course.prerequisites.through.objects.filter(
            from_course_id__in=ids, to_course_id__in=offered).select_related("to_course"):
        requires[link.from_course_id].append(link.to_course)
    attempts: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in (Attempt.objects.filter(user=user, organization_id=org_id, course_id__in=ids)
                    .order_by("-started_at", "-id") if user else []):
        attempts[attempt.course_id].append(attempt)

    standings = []
    for course in course_list:
        course_lessons = lessons[course.pk]
        done_ids = {lesson.pk for lesson in course_lessons if lesson.pk in done}
        upcoming = next(((n, lesson) for n, lesson in enumerate(course_lessons, start=1) if lesson.pk not in done),
                        None)
        certs = certificates[course.pk]
        valid = next((c for c in certs if c.is_valid(now)), None)
        round_start = certs[0].issued_at if certs else None
        course_attempts = attempts[course.pk]
        used = sum(1 for a in course_attempts if a.submitted_at is not None
                   and (round_start is None or a.started_at > round_start))
        standing = CourseStanding(
            course=course, state=Progress.NOT_STARTED, lessons_total=len(course_lessons),
            lessons_done=len(done_ids), done_lesson_ids=done_ids,
            next_lesson=upcoming[1] if upcoming else None, next_lesson_number=upcoming[0] if upcoming else None,
            certificate=valid or (certs[0] if certs else None),
            missing=sorted((c for c in requires[course.pk] if c.pk not in valid_courses), key=lambda c: c.title),
            open_attempt=next((a for a in course_attempts if a.submitted_at is None), None),
            attempts_used=used,
            attempts_left=max(course.max_attempts - used, 0) if course.max_attempts else None,
            last_attempt=next((a for a in course_attempts if a.submitted_at is not None), None),
        )
        if valid is not None:
            standing.state = Progress.PASSED
        elif standing.missing:
            standing.state = Progress.LOCKED
        elif round_start is not None and not any(a.started_at > round_start for a in course_attempts):
            standing.state = Progress.EXPIRED  # and not taken again since
        elif done_ids or course_attempts:
            standing.state = Progress.IN_PROGRESS
        standings.append(standing)
    return standings


def course_standing(actor: Actor, course: Course) -> CourseStanding:
    return course_for_partner_status(actor, [course])[0]


def courses_for_home(actor: Actor, *, limit: int = 3) -> list[CourseStanding]:
    """A few courses for the partner's home page: those in progress first, then new ones it can start."""
    standings = course_for_partner_status(actor)
    going = [s for s in standings if s.state == Progress.IN_PROGRESS]
    fresh = sorted((s for s in standings if s.state in (Progress.NOT_STARTED, Progress.EXPIRED)),
                   key=lambda s: s.course.created_at, reverse=True)
    return (going + fresh)[:limit]


def _count(qs: QuerySet, group: str) -> Coalesce:
    return Coalesce(Subquery(qs.order_by().values(group).annotate(n=Count("user_id", distinct=True)).values("n"),
                             output_field=IntegerField()), 0)


def courses_with_completion(actor: Actor) -> QuerySet[Course]:
    """HQ's course list, each with how many people started it, passed it, hold a valid certificate now and have
    one running out within EXPIRING_DAYS: one query, whatever the number of courses."""
    now = timezone.now()
    progress = LessonProgress.objects.filter(lesson__course_id=OuterRef("pk"))
    attempts_only = Attempt.objects.filter(course_id=OuterRef("pk")).exclude(
        Exists(LessonProgress.objects.filter(user_id=OuterRef("user_id"), lesson__course_id=OuterRef("course_id"))))
    certificates = Certificate.objects.filter(course_id=OuterRef("pk"))
    valid = certificates.filter(valid_certificates(now))
    return course_visible_to(actor).annotate(
        lesson_count=Subquery(Lesson.objects.filter(course_id=OuterRef("pk")).order_by().values("course_id")
                              .annotate(n=Count("id")).values("n"), output_field=IntegerField()),
        question_count=Subquery(Question.objects.filter(course_id=OuterRef("pk")).order_by().values("course_id")
                                .annotate(n=Count("id")).values("n"), output_field=IntegerField()),
        started_count=_count(progress, "lesson__course_id") + _count(attempts_only, "course_id"),
        passed_count=_count(certificates, "course_id"),
        valid_count=_count(valid, "course_id"),
        expiring_count=_count(valid.filter(expires_at__lte=now + dt.timedelta(days=EXPIRING_DAYS)), "course_id"),
    ).order_by(Case(When(status=CourseStatus.PUBLISHED, then=0), When(status=CourseStatus.DRAFT, then=1),
                    default=2), "title", "id")


def course_results(course: Course) -> dict[str, QuerySet[Certificate]]:
    """HQ's view of one course: every certificate (latest first) and those running out soon."""
    now = timezone.now()
    certificates = Certificate.objects.filter(course=course).select_related("user", "organization")
    return {
        "certificates": certificates.order_by("-issued_at", "-id"),
        "expiring": certificates.filter(valid_certificates(now), expires_at__lte=now + dt.timedelta(
            days=EXPIRING_DAYS)).order_by("expires_at"),
    }


@dataclass
class QuizQuestion:
    number: int
    question: Question
    choices: list[Choice]
    chosen: set[int] = field(default_factory=set)
    correct: bool | None = None  # on the result page
    right_ids: set[int] = field(default_factory=set)  # shown only when no attempt remains


def attempt_questions(attempt: Attempt, chosen: dict[str, list[int]] | None = None) -> list[QuizQuestion]:
    """The attempt's questions in their drawn order, each with its choices in the stored order (two queries). A
    question HQ deleted since is left out; a choice HQ added since comes last."""
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    by_question: dict[int, dict[int, Choice]] = defaultdict(dict)
    for choice in Choice.objects.filter(question_id__in=questions).order_by("order", "id"):
        by_question[choice.question_id][choice.pk] = choice
    answers = chosen if chosen is not None else (attempt.answers or {})
    items: list[QuizQuestion] = []
    for qid in attempt.question_ids:
        question = questions.get(qid)
        if question is None:
            continue
        available = by_question[qid]
        stored = [int(c) for c in (attempt.choice_order or {}).get(str(qid), []) if int(c) in available]
        order = stored + [c for c in available if c not in stored]
        mark = (attempt.marks or {}).get(str(qid))
        items.append(QuizQuestion(
            number=len(items) + 1, question=question, choices=[available[c] for c in order],
            chosen={int(c) for c in answers.get(str(qid), [])}, correct=mark,
            right_ids={c for c, choice in available.items() if choice.is_correct}))
    return items
