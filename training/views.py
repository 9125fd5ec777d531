"""Training pages. HQ writes courses (lessons, question bank, publishing) and reads who passed; a partner's people
take the courses on a phone: lessons, the quiz, its result and their certificates. Every object comes through a
selector (another partner's attempt or certificate, or a course not offered to the partner, is a 404); every
write is one service, whose refusal is shown as a message, never a 500."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prm.core.actor import Actor
from prm.core.errors import ServiceError, error_text
from prm.core.files import serve, stored_kind
from prm.core.forms import add_service_errors
from prm.core.roles import OrgKind
from prm.portals.access import portal_required
from training import permissions, selectors, services
from training.choices import CourseStatus, Progress
from training.forms import CourseForm, LessonForm, QuestionForm
from training.models import Attempt, Course, Lesson

PARTNERS = (OrgKind.DEALER, OrgKind.DISTRIBUTOR)
EVERYONE = (*PARTNERS, OrgKind.HQ)


def _author(request: HttpRequest, action: str = "course.author") -> Actor:
    """The HQ person writing courses, or reading results (403 for an HQ role that may not)."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if not permissions.can(actor, action):
        raise PermissionDenied(_("Your role can't do this. Ask an administrator of your organisation."))
    return actor


def _refused(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, error_text(exc))


# --- HQ: courses ----------------------------------------------------------------------------------------------


@portal_required(OrgKind.HQ)
def hq_courses(request: HttpRequest) -> HttpResponse:
    """Every course with how far the network got: started, passed, certificates valid and running out."""
    actor = _author(request, "course.results")
    page = Paginator(selectors.courses_with_completion(actor), 25).get_page(request.GET.get("page"))
    return render(request, "training/hq_course_list.html", {
        "page": page, "expiring_days": selectors.EXPIRING_DAYS,
        "can_author": permissions.can(actor, "course.author")})


@portal_required(OrgKind.HQ)
def hq_course_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = _author(request)
    course = selectors.course_get(actor, pk) if pk is not None else None
    form = CourseForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.course_save(actor=actor, course=course, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": saved.title})
            return redirect("portals:hq_training_course", pk=saved.pk)
    return render(request, "training/hq_course_form.html", {"form": form, "course": course,
                                                           "known_tiers": selectors.known_tiers()})


@portal_required(OrgKind.HQ)
def hq_course(request: HttpRequest, pk: int) -> HttpResponse:
    """One course as HQ writes it: who it is for, its lessons in order, its question bank, publishing."""
    actor = _author(request)
    course = selectors.course_get(actor, pk)
    questions = list(course.questions.prefetch_related("choices"))
    return render(request, "training/hq_course_detail.html", {
        "course": course,
        "lessons": list(course.lessons.all()),
        "questions": questions,
        "problems": services.bank_problems(course) if course.status != CourseStatus.PUBLISHED else [],
        "product_lines": list(course.product_lines.all()),
        "prerequisites": list(course.prerequisites.all()),
        "kinds": [str(OrgKind(k).label) for k in course.kinds if k in OrgKind.values],
        "segments": _segment_labels(course.segments),
        "can_delete_questions": course.status != CourseStatus.PUBLISHED,
    })


def _segment_labels(codes: list[str]) -> list[str]:
    from partners.choices import Segment

    labels = dict(Segment.choices)
    return [str(labels.get(code, code)) for code in codes]


@require_POST
@portal_required(OrgKind.HQ)
def hq_course_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _author(request)
    course = selectors.course_get(actor, pk)
    try:
        services.course_publish(actor=actor, course=course)
    except ValidationError as exc:
        messages.error(request, _("The course can't be published yet: %(problems)s")
                       % {"problems": " ".join(str(m) for m in exc.messages)})
    else:
        messages.success(request, _("“%(title)s” is published: the partners it is for see it now.")
                         % {"title": course.title})
    return redirect("portals:hq_training_course", pk=course.pk)


@require_POST
@portal_required(OrgKind.HQ)
def hq_course_archive(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _author(request)
    course = selectors.course_get(actor, pk)
    services.course_archive(actor=actor, course=course)
    messages.success(request, _("“%(title)s” is archived: partners no longer see it; certificates already "
                                "issued stay valid.") % {"title": course.title})
    return redirect("portals:hq_training_course", pk=course.pk)


@portal_required(OrgKind.HQ)
def hq_course_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Who passed the course, their certificates, and those running out soon."""
    actor = _author(request, "course.results")
    course = selectors.course_get(actor, pk)
    results = selectors.course_results(course)
    figures = selectors.courses_with_completion(actor).filter(pk=course.pk).first()
    page = Paginator(results["certificates"], 50).get_page(request.GET.get("page"))
    return render(request, "training/hq_course_results.html", {
        "course": course, "figures": figures, "page": page, "expiring": results["expiring"],
        "expiring_days": selectors.EXPIRING_DAYS,
    })


# --- HQ: lessons ----------------------------------------------------------------------------------------------


@portal_required(OrgKind.HQ)
def hq_lesson_edit(request: HttpRequest, course_pk: int | None = None, pk: int | None = None) -> HttpResponse:
    actor = _author(request)
    lesson = selectors.lesson_get(actor, pk) if pk is not None else None
    course = lesson.course if lesson is not None else selectors.course_get(actor, course_pk or 0)
    initial = {"title": lesson.title, "body": lesson.body, "video_url": lesson.video_url} if lesson else None
    form = LessonForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.lesson_save(
                actor=actor, course=course, lesson=lesson, title=data["title"], body=data["body"],
                video_url=data["video_url"], image=data["image"] or None, pdf=data["pdf"] or None,
                remove_image=data["remove_image"], remove_pdf=data["remove_pdf"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Lesson “%(title)s” is saved.") % {"title": saved.title})
            return redirect(reverse("portals:hq_training_course", args=[course.pk]) + "#lessons")
    return render(request, "training/hq_lesson_form.html", {"form": form, "course": course, "lesson": lesson})


@require_POST
@portal_required(OrgKind.HQ)
def hq_lesson_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _author(request)
    lesson = selectors.lesson_get(actor, pk)
    course_pk, title = lesson.course_id, lesson.title
    services.lesson_delete(actor=actor, lesson=lesson)
    messages.success(request, _("Lesson “%(title)s” is deleted.") % {"title": title})
    return redirect(reverse("portals:hq_training_course", args=[course_pk]) + "#lessons")


@require_POST
@portal_required(OrgKind.HQ)
def hq_lesson_move(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _author(request)
    lesson = selectors.lesson_get(actor, pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""), 0)
    if offset:
        try:
            services.lesson_move(actor=actor, lesson=lesson, offset=offset)
        except ServiceError as exc:
            _refused(request, exc)
    return redirect(reverse("portals:hq_training_course", args=[lesson.course_id]) + "#lessons")


# --- HQ: question bank ----------------------------------------------------------------------------------------


@portal_required(OrgKind.HQ)
def hq_question_edit(request: HttpRequest, course_pk: int | None = None, pk: int | None = None) -> HttpResponse:
    actor = _author(request)
    question = selectors.question_get(actor, pk) if pk is not None else None
    course = question.course if question is not None else selectors.course_get(actor, course_pk or 0)
    form = QuestionForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(actor=actor, course=course, question=question, text=form.cleaned_data["text"],
                                   kind=form.cleaned_data["kind"], choices=form.choices())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The question is saved."))
            if request.POST.get("then") == "another":
                return redirect("portals:hq_training_question_new", course_pk=course.pk)
            return redirect(reverse("portals:hq_training_course", args=[course.pk]) + "#questions")
    return render(request, "training/hq_question_form.html", {"form": form, "course": course,
                                                             "question": question})


@require_POST
@portal_required(OrgKind.HQ)
def hq_question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _author(request)
    question = selectors.question_get(actor, pk)
    course_pk = question.course_id
    try:
        services.question_delete(actor=actor, question=question)
    except ServiceError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The question is deleted."))
    return redirect(reverse("portals:hq_training_course", args=[course_pk]) + "#questions")


# --- partners: courses and lessons ----------------------------------------------------------------------------


@portal_required(*PARTNERS)
def courses(request: HttpRequest) -> HttpResponse:
    """The courses offered to the partner, each with where this person stands in it."""
    actor = request.actor  # type: ignore[attr-defined]
    standings = selectors.course_for_partner_status(actor)
    return render(request, "training/course_list.html", {"standings": standings})


def _standing(actor: Actor, course: Course) -> selectors.CourseStanding | None:
    """The person's standing in the course; None for HQ, which only looks (a preview)."""
    return None if actor.is_hq else selectors.course_standing(actor, course)


@portal_required(*EVERYONE)
def course(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    course = selectors.course_get(actor, pk)
    standing = _standing(actor, course)
    lessons = list(course.lessons.all())
    return render(request, "training/course_detail.html", {
        "course": course, "standing": standing, "preview": standing is None,
        "lessons": [(n, lesson, standing is not None and lesson.pk in standing.done_lesson_ids)
                    for n, lesson in enumerate(lessons, start=1)],
        "question_count": course.questions.count(),
    })


@portal_required(*EVERYONE)
def lesson(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A lesson to read or watch; "done" stores the progress and opens the next lesson (after the last one, the
    course page, where the quiz starts)."""
    actor = request.actor  # type: ignore[attr-defined]
    lesson = selectors.lesson_get(actor, pk)
    course = lesson.course
    standing = _standing(actor, course)
    if standing is not None and standing.state == Progress.LOCKED:
        messages.error(request, _("Pass these courses first: %(names)s.")
                       % {"names": ", ".join(c.title for c in standing.missing)})
        return redirect("portals:training_course", pk=course.pk)
    lessons = list(course.lessons.all())
    index = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
    following = lessons[index + 1] if index + 1 < len(lessons) else None
    if request.method == "POST":
        if standing is None:
            raise PermissionDenied(_("Only partners' people take courses."))
        try:
            services.lesson_complete(actor=actor, lesson=lesson)
        except ServiceError as exc:
            _refused(request, exc)
            return redirect("portals:training_course", pk=course.pk)
        if following is not None:
            return redirect("portals:training_lesson", pk=following.pk)
        messages.success(request, _("You have read every lesson. Take the quiz when you are ready."))
        return redirect(reverse("portals:training_course", args=[course.pk]) + "#quiz")
    return render(request, "training/lesson_detail.html", {
        "course": course, "lesson": lesson, "standing": standing, "preview": standing is None,
        "number": index + 1, "total": len(lessons), "video": lesson.video,
        "previous": lessons[index - 1] if index else None, "following": following,
        "done": standing is not None and lesson.pk in standing.done_lesson_ids,
    })


def _open_lesson(request: HttpRequest, pk: int) -> Lesson:
    """The lesson, if the asker may read it now: a locked course's files are not found (as its lessons don't
    open) until its prerequisites are passed."""
    actor = request.actor  # type: ignore[attr-defined]
    lesson = selectors.lesson_get(actor, pk)
    standing = _standing(actor, lesson.course)
    if standing is not None and standing.state == Progress.LOCKED:
        raise Http404
    return lesson


@portal_required(*EVERYONE)
def lesson_image(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A lesson's picture, for those who may see the lesson (HQ, and the partners its course is offered to,
    once its prerequisites are passed)."""
    lesson = _open_lesson(request, pk)
    return serve(lesson.image, stored_kind(lesson.image), download_name="lesson", inline=True)


@portal_required(*EVERYONE)
def lesson_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    lesson = _open_lesson(request, pk)
    return serve(lesson.pdf, stored_kind(lesson.pdf), download_name=f"lesson-{lesson.pk}", inline=False)


# --- partners: the quiz ---------------------------------------------------------------------------------------


@require_POST
@portal_required(*PARTNERS)
def quiz_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the quiz (or go back to the one already started)."""
    actor = request.actor  # type: ignore[attr-defined]
    course = selectors.course_get(actor, pk)
    try:
        attempt = services.attempt_start(actor=actor, course=course)
    except ServiceError as exc:
        _refused(request, exc)
        return redirect("portals:training_course", pk=course.pk)
    return redirect("portals:training_attempt", pk=attempt.pk)


def _posted_answers(request: HttpRequest) -> dict[str, list[str]]:
    """{"<question id>": [choice ids]} from the quiz form's fields named "q-<question id>"."""
    return {key[2:]: [v for v in request.POST.getlist(key) if v.strip()]
            for key in request.POST if key.startswith("q-")}


def _readable(answers: dict[str, list[str]]) -> dict[str, list[int]]:
    """The posted answers that are numbers, to show them again ticked when the quiz comes back with an error."""
    return {key: [int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 19]
            for key, values in answers.items()}


@portal_required(*PARTNERS)
def attempt(request: HttpRequest, pk: int) -> HttpResponse:
    """The quiz of an attempt, in the order drawn when it started (a reload or another device shows the same)."""
    actor = request.actor  # type: ignore[attr-defined]
    attempt = selectors.attempt_get(actor, pk)
    chosen = None
    errors: list[str] = []
    if request.method == "POST":
        answers = _posted_answers(request)
        try:
            attempt = services.attempt_submit(actor=actor, attempt=attempt, answers=answers)
        except ValidationError as exc:
            errors, chosen = [str(m) for m in exc.messages], _readable(answers)
        except ServiceError as exc:
            _refused(request, exc)
            return redirect("portals:training_course", pk=attempt.course_id)
        else:
            return redirect("portals:training_result", pk=attempt.pk)
    if not attempt.is_open:
        return redirect("portals:training_result", pk=attempt.pk)
    return render(request, "training/attempt_quiz.html", {
        "attempt": attempt, "course": attempt.course, "errors": errors,
        "questions": selectors.attempt_questions(attempt, chosen),
    })


@portal_required(*PARTNERS)
def result(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    attempt: Attempt = selectors.attempt_get(actor, pk)
    if attempt.is_open:
        return redirect("portals:training_attempt", pk=attempt.pk)
    standing = selectors.course_standing(actor, attempt.course)
    questions = selectors.attempt_questions(attempt)
    # The right answers only when they can't help a next try: passed (certificate valid), or no try left.
    show_answers = standing.open_attempt is None and (
        standing.state == Progress.PASSED or standing.attempts_left == 0)
    return render(request, "training/attempt_result.html", {
        "attempt": attempt, "course": attempt.course, "standing": standing, "questions": questions,
        "right": sum(1 for q in questions if q.correct), "show_answers": show_answers,
        "certificate": getattr(attempt, "certificate", None),
        "is_latest": standing.last_attempt is not None and standing.last_attempt.pk == attempt.pk,
    })


# --- certificates ---------------------------------------------------------------------------------------------


@portal_required(*PARTNERS)
def certificates(request: HttpRequest) -> HttpResponse:
    """The person's certificates, then those of the others working for the same partner."""
    actor = request.actor  # type: ignore[attr-defined]
    qs = selectors.certificate_visible_to(actor)
    return render(request, "training/certificate_list.html", {
        "mine": list(qs.filter(user=actor.user)), "others": list(qs.exclude(user=actor.user)[:200]),
    })


@portal_required(*EVERYONE)
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate as a page to print (the browser's print leaves out the portal's navigation)."""
    certificate = selectors.certificate_get(request.actor, pk)  # type: ignore[attr-defined]
    return render(request, "training/certificate_detail.html", {
        "certificate": certificate, "valid": certificate.is_valid(),
        "back": reverse("portals:hq_training_results", args=[certificate.course_id])
        if request.actor.is_hq else reverse("portals:training_certificates"),  # type: ignore[attr-defined]
    })
