"""The training pages as people click them: HQ writing a course, a dealer taking it on the portal, and every page's
pair: the rightful user gets it, another partner or a course not offered to them gets a 404, a partner opening an
HQ page a 403."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.choices import OrgKind
from tests.conftest import tenant_client
from tests.training import make
from training import services
from training.models import Attempt, Certificate, Course, Lesson, LessonProgress, Question


def png() -> bytes:
    """A real one-pixel PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def quiz(net):
    """A published course with a picture, a video and a PDF in its first lesson."""
    course = make.course(net.hq_admin, title="냉난방기 판매", lessons=2, questions=3, multiple=[3])
    first = course.lessons.first()
    services.lesson_save(actor=make.actor(net.hq_admin), course=course, lesson=first, title=first.title,
                         body=first.body, video_url="https://youtu.be/dQw4w9WgXcQ",
                         image=SimpleUploadedFile("사진.png", png(), "image/png"),
                         pdf=SimpleUploadedFile("안내.pdf", PDF, "application/pdf"))
    return course


def quiz_order(html: str) -> list[int]:
    """The question ids in the order the quiz page shows them."""
    return list(dict.fromkeys(int(q) for q in re.findall(r'name="q-(\d+)"', html)))


# --- HQ writes a course -----------------------------------------------------------------------------------------


def test_hq_writes_a_course_with_lessons_and_questions_and_publishes_it(acme, net):
    hq = tenant_client(acme, net.hq_admin)
    assert hq.get("/hq/training/").status_code == 200
    assert hq.get("/hq/training/new/").status_code == 200
    # when HQ saves a course for dealers in the retail segment
    response = hq.post("/hq/training/new/", {
        "title": "신제품 교육", "summary": "요약", "kinds": [OrgKind.DEALER], "tiers": "Gold, silver",
        "segments": ["retail"], "product_lines": [net.aircon.pk], "pass_mark": "80", "max_attempts": "3",
        "questions_per_attempt": "0", "certificate_months": "12"})
    course = Course.objects.get(title="신제품 교육")
    assert response.status_code == 302 and response["Location"] == f"/hq/training/{course.pk}/"
    assert (course.kinds, course.tiers, course.segments, course.max_attempts) == (
        ["dealer"], ["Gold", "silver"], ["retail"], 3)
    assert list(course.product_lines.all()) == [net.aircon]
    # publishing with an empty bank is refused, saying why
    refused = hq.post(f"/hq/training/{course.pk}/publish/", follow=True).content.decode()
    assert "question bank" in refused
    course.refresh_from_db()
    assert course.status == "draft"
    # a lesson with a picture and a PDF
    assert hq.get(f"/hq/training/{course.pk}/lessons/new/").status_code == 200
    response = hq.post(f"/hq/training/{course.pk}/lessons/new/", {
        "title": "1과", "body": "# 소개\n\n본문", "video_url": "https://vimeo.com/76979871",
        "image": SimpleUploadedFile("a.png", png(), "image/png"),
        "pdf": SimpleUploadedFile("a.pdf", PDF, "application/pdf")})
    lesson = Lesson.objects.get(course=course)
    assert response.status_code == 302 and lesson.image and lesson.pdf
    assert lesson.video_url == "https://vimeo.com/76979871"
    assert hq.get(f"/hq/training/lessons/{lesson.pk}/edit/").status_code == 200
    assert hq.get(f"/training/lessons/{lesson.pk}/image/")["Content-Type"] == "image/png"
    # a question with two right answers
    assert hq.get(f"/hq/training/{course.pk}/questions/new/").status_code == 200
    response = hq.post(f"/hq/training/{course.pk}/questions/new/", {
        "text": "맞는 것을 모두 고르세요", "kind": "multiple", "choice_1": "가", "correct_1": "on",
        "choice_2": "나", "correct_2": "on", "choice_3": "다", "choice_4": "", "choice_5": "", "choice_6": ""})
    question = Question.objects.get(course=course)
    assert response.status_code == 302
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [("가", True), ("나", True), ("다", False)]
    assert hq.get(f"/hq/training/questions/{question.pk}/edit/").status_code == 200
    # then publishing works
    hq.post(f"/hq/training/{course.pk}/publish/")
    course.refresh_from_db()
    assert course.status == "published"
    page = hq.get(f"/hq/training/{course.pk}/").content.decode()
    assert "1과" in page and "맞는 것을 모두 고르세요" in page
    assert hq.get(f"/hq/training/{course.pk}/results/").status_code == 200
    assert hq.get(f"/hq/training/{course.pk}/edit/").status_code == 200
    # HQ previews the course and the lesson as partners see them
    assert "1과" in hq.get(f"/training/courses/{course.pk}/").content.decode()
    assert 'data-testid="preview"' in hq.get(f"/training/lessons/{lesson.pk}/").content.decode()


def test_hq_is_told_what_is_wrong_with_a_question_and_nothing_is_saved(acme, net):
    course = make.course(net.hq_admin, publish=False, questions=0)
    hq = tenant_client(acme, net.hq_admin)
    for data, text in (
            ({"text": "질문", "kind": "single", "choice_1": "가", "correct_1": "on", "choice_2": "나",
              "correct_2": "on"}, "exactly one correct answer"),
            ({"text": "질문", "kind": "single", "choice_1": "가", "correct_1": "on"}, "give 2 to 6 answers"),
            ({"text": "", "kind": "single", "choice_1": "가", "choice_2": "나"}, "This field is required"),
            ({"text": "질문", "kind": "odd", "choice_1": "가", "choice_2": "나"}, "Select a valid choice")):
        response = hq.post(f"/hq/training/{course.pk}/questions/new/", data)
        assert response.status_code == 200 and text.lower() in response.content.decode().lower(), text
    assert not Question.objects.filter(course=course).exists()


def test_hq_reorders_and_deletes_lessons_and_deletes_a_question_of_a_draft(acme, net):
    course = make.course(net.hq_admin, publish=False, lessons=3, questions=2)
    first, second, third = course.lessons.all()
    hq = tenant_client(acme, net.hq_admin)
    hq.post(f"/hq/training/lessons/{third.pk}/move/", {"direction": "up"})
    assert list(course.lessons.values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]
    hq.post(f"/hq/training/lessons/{first.pk}/move/", {"direction": "up"})  # already first: stays
    hq.post(f"/hq/training/lessons/{first.pk}/move/", {"direction": "down"})
    assert list(course.lessons.values_list("pk", flat=True)) == [third.pk, first.pk, second.pk]
    assert list(course.lessons.values_list("order", flat=True)) == [1, 2, 3]
    hq.post(f"/hq/training/lessons/{first.pk}/delete/")
    assert list(course.lessons.values_list("pk", flat=True)) == [third.pk, second.pk]
    question = course.questions.first()
    hq.post(f"/hq/training/questions/{question.pk}/delete/")
    assert course.questions.count() == 1


def test_a_question_of_a_published_course_is_not_deleted(acme, net):
    course = make.course(net.hq_admin)
    question = course.questions.first()
    page = tenant_client(acme, net.hq_admin).post(f"/hq/training/questions/{question.pk}/delete/",
                                                  follow=True).content.decode()
    assert "archive the course first" in page and Question.objects.filter(pk=question.pk).exists()


def test_hq_archives_a_course_and_partners_no_longer_see_it(acme, net, quiz):
    tenant_client(acme, net.hq_admin).post(f"/hq/training/{quiz.pk}/archive/")
    quiz.refresh_from_db()
    assert quiz.status == "archived"
    assert tenant_client(acme, net.dealer_a_user).get(f"/training/courses/{quiz.pk}/").status_code == 404


def test_hq_results_show_who_passed_and_whose_certificate_runs_out_soon(acme, net, quiz):
    make.take(net.dealer_a_user, quiz)
    page = tenant_client(acme, net.hq_admin).get(f"/hq/training/{quiz.pk}/results/").content.decode()
    certificate = Certificate.objects.get()
    assert certificate.number in page and net.dealer_a.name in page
    listing = tenant_client(acme, net.hq_admin).get("/hq/training/").content.decode()
    assert quiz.title in listing


# --- a dealer takes it ------------------------------------------------------------------------------------------


def test_a_dealer_reads_the_lessons_takes_the_quiz_and_prints_the_certificate(acme, net, quiz):
    dealer = tenant_client(acme, net.dealer_a_user)
    first, second = quiz.lessons.all()
    # the course list shows it not started
    listing = dealer.get("/training/").content.decode()
    assert quiz.title in listing and "Not started" in listing
    page = dealer.get(f"/training/courses/{quiz.pk}/").content.decode()
    assert first.title in page and 'data-testid="start-quiz"' in page
    # the first lesson: its text, picture, video (privacy-friendly player) and PDF
    lesson = dealer.get(f"/training/lessons/{first.pk}/").content.decode()
    assert "<h2>제목 1</h2>" in lesson and "<strong>1</strong>" in lesson
    assert f"/training/lessons/{first.pk}/image/" in lesson and f"/training/lessons/{first.pk}/pdf/" in lesson
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in lesson
    assert dealer.get(f"/training/lessons/{first.pk}/image/")["Content-Type"] == "image/png"
    pdf = dealer.get(f"/training/lessons/{first.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    # "done" opens the next lesson; after the last, the course page's quiz
    assert dealer.post(f"/training/lessons/{first.pk}/")["Location"] == f"/training/lessons/{second.pk}/"
    assert "1 of 2 lessons done" in dealer.get("/training/").content.decode()
    assert dealer.post(f"/training/lessons/{second.pk}/")["Location"] == f"/training/courses/{quiz.pk}/#quiz"
    assert LessonProgress.objects.filter(user=net.dealer_a_user).count() == 2
    # the quiz: a reload shows the same questions in the same order
    started = dealer.post(f"/training/courses/{quiz.pk}/quiz/")
    attempt = Attempt.objects.get(user=net.dealer_a_user)
    assert started["Location"] == f"/training/attempts/{attempt.pk}/"
    shown = dealer.get(started["Location"]).content.decode()
    assert quiz_order(shown) == attempt.question_ids == quiz_order(dealer.get(started["Location"]).content.decode())
    assert dealer.post(f"/training/courses/{quiz.pk}/quiz/")["Location"] == started["Location"]  # resumes it
    multiple = quiz.questions.get(kind="multiple")
    assert f'type="checkbox" name="q-{multiple.pk}"' in shown
    # an answer missing: the quiz comes back with what was ticked, naming the question
    answers = make.answers(attempt, right=3)
    missing = attempt.question_ids.index(multiple.pk) + 1
    partial = {f"q-{qid}": ids for qid, ids in answers.items() if int(qid) != multiple.pk}
    again = dealer.post(started["Location"], partial)
    assert again.status_code == 200 and f"question {missing} has no answer" in again.content.decode()
    assert again.content.decode().count(" checked") == 2
    # all right: the result, then the certificate
    done = dealer.post(started["Location"], {f"q-{qid}": ids for qid, ids in answers.items()})
    assert done["Location"] == f"/training/attempts/{attempt.pk}/result/"
    result = dealer.get(done["Location"]).content.decode()
    certificate = Certificate.objects.get(attempt=attempt)
    assert "100%" in result and f"/training/certificates/{certificate.pk}/" in result
    # a second submit (the back button) changes nothing
    assert dealer.post(started["Location"], {})["Location"] == done["Location"]
    assert Certificate.objects.count() == 1
    assert dealer.get(started["Location"])["Location"] == done["Location"]
    mine = dealer.get("/training/certificates/").content.decode()
    assert certificate.number in mine
    printable = dealer.get(f"/training/certificates/{certificate.pk}/").content.decode()
    for text in (certificate.number, str(net.dealer_a_user), net.dealer_a.name, quiz.title,
                 certificate.issued_at.strftime("%Y-")):
        assert text in printable
    assert "Passed" in dealer.get("/training/").content.decode()


def test_a_failed_attempt_shows_which_questions_were_right_and_the_attempts_left(acme, net):
    quiz = make.course(net.hq_admin, questions=3, max_attempts=2, pass_mark=100)
    attempt = make.take(net.dealer_a_user, quiz, right=2)
    dealer = tenant_client(acme, net.dealer_a_user)
    page = dealer.get(f"/training/attempts/{attempt.pk}/result/").content.decode()
    assert "66%" in page and "Not passed" in page and "1 attempt left" in page
    assert page.count("is-right") == 2 and page.count("is-wrong") == 1
    assert "(right answer)" not in page  # not while another try remains
    assert 'data-testid="try-again"' in page
    last = make.take(net.dealer_a_user, quiz, right=0)
    page = dealer.get(f"/training/attempts/{last.pk}/result/").content.decode()
    assert "0 attempts left" in page and "(right answer)" in page and 'data-testid="try-again"' not in page


def test_a_quiz_answer_naming_another_questions_choice_is_named_by_number(acme, net):
    quiz = make.course(net.hq_admin, questions=2)
    attempt = services.attempt_start(actor=make.actor(net.dealer_a_user), course=quiz)
    first, second = attempt.question_ids
    response = tenant_client(acme, net.dealer_a_user).post(f"/training/attempts/{attempt.pk}/", {
        f"q-{first}": make.right_ids(first), f"q-{second}": make.right_ids(first)})
    assert response.status_code == 200 and "Question 2: that answer is not one of its choices" in \
        response.content.decode()


def test_a_locked_course_names_what_to_pass_first_and_its_lessons_do_not_open(acme, net):
    basics = make.course(net.hq_admin, title="기초 과정")
    advanced = make.course(net.hq_admin, title="심화 과정", prerequisites=[basics])
    dealer = tenant_client(acme, net.dealer_a_user)
    assert "기초 과정" in dealer.get("/training/").content.decode()
    page = dealer.get(f"/training/courses/{advanced.pk}/").content.decode()
    assert "Locked" in page and "기초 과정" in page and 'data-testid="start-quiz"' not in page
    lesson = advanced.lessons.first()
    assert dealer.get(f"/training/lessons/{lesson.pk}/")["Location"] == f"/training/courses/{advanced.pk}/"
    dealer.post(f"/training/courses/{advanced.pk}/quiz/")
    assert not Attempt.objects.exists() and not LessonProgress.objects.exists()


def test_the_home_partial_shows_courses_with_progress_and_a_link_to_all(acme, net, quiz):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    services.lesson_complete(actor=make.actor(net.dealer_a_user), lesson=quiz.lessons.first())
    request = RequestFactory().get("/dealer/")
    request.user = net.dealer_a_user
    html = render_to_string("training/_home_courses.html", {"request": request})
    assert quiz.title in html and 'aria-valuenow="50"' in html and 'href="/training/"' in html
    hq_request = RequestFactory().get("/hq/")
    hq_request.user = net.hq_admin
    assert quiz.title not in render_to_string("training/_home_courses.html", {"request": hq_request})


def test_a_distributors_people_take_courses_too(acme, net, quiz):
    distributor = tenant_client(acme, net.seoul_admin)
    assert quiz.title in distributor.get("/training/").content.decode()
    assert distributor.post(f"/training/courses/{quiz.pk}/quiz/").status_code == 302
    assert Attempt.objects.filter(organization=net.seoul_distributor).exists()


# --- every page's pair ------------------------------------------------------------------------------------------


@pytest.fixture
def passed(net, quiz):
    """dealer_a passed the quiz; its attempt and certificate."""
    attempt = make.take(net.dealer_a_user, quiz)
    return attempt, Certificate.objects.get(attempt=attempt)


def partner_pages(quiz: Course, attempt: Attempt, certificate: Certificate) -> list[str]:
    lesson = quiz.lessons.first()
    return ["/training/", f"/training/courses/{quiz.pk}/", f"/training/lessons/{lesson.pk}/",
            f"/training/lessons/{lesson.pk}/image/", f"/training/lessons/{lesson.pk}/pdf/",
            f"/training/attempts/{attempt.pk}/result/", "/training/certificates/",
            f"/training/certificates/{certificate.pk}/"]


def hq_pages(quiz: Course) -> list[str]:
    lesson, question = quiz.lessons.first(), quiz.questions.first()
    return ["/hq/training/", "/hq/training/new/", f"/hq/training/{quiz.pk}/", f"/hq/training/{quiz.pk}/edit/",
            f"/hq/training/{quiz.pk}/results/", f"/hq/training/{quiz.pk}/lessons/new/",
            f"/hq/training/lessons/{lesson.pk}/edit/", f"/hq/training/{quiz.pk}/questions/new/",
            f"/hq/training/questions/{question.pk}/edit/"]


def hq_actions(quiz: Course) -> list[str]:
    lesson, question = quiz.lessons.first(), quiz.questions.first()
    return [f"/hq/training/{quiz.pk}/publish/", f"/hq/training/{quiz.pk}/archive/",
            f"/hq/training/lessons/{lesson.pk}/move/", f"/hq/training/lessons/{lesson.pk}/delete/",
            f"/hq/training/questions/{question.pk}/delete/"]


def test_every_partner_page_opens_for_its_own_dealer(acme, net, quiz, passed):
    dealer = tenant_client(acme, net.dealer_a_user)
    for path in partner_pages(quiz, *passed):
        assert dealer.get(path).status_code == 200, path


def test_every_hq_page_opens_for_hq(acme, net, quiz, passed):
    hq = tenant_client(acme, net.hq_admin)
    for path in [*hq_pages(quiz), f"/training/certificates/{passed[1].pk}/", f"/training/courses/{quiz.pk}/"]:
        assert hq.get(path).status_code == 200, path


@pytest.mark.parametrize("persona", ["dealer_a_user", "seoul_admin"])
def test_a_partner_opening_an_hq_training_page_is_refused(acme, net, quiz, persona):
    client = tenant_client(acme, getattr(net, persona))
    for path in hq_pages(quiz):
        assert client.get(path).status_code == 403, path
    for path in hq_actions(quiz):
        assert client.post(path, {"direction": "up"}).status_code == 403, path
    quiz.refresh_from_db()
    assert quiz.status == "published" and quiz.lessons.count() == 2 and quiz.questions.count() == 3


def test_hq_cannot_open_the_partners_quiz_pages(acme, net, quiz, passed):
    hq = tenant_client(acme, net.hq_admin)
    attempt, _certificate = passed
    for path in ("/training/", f"/training/attempts/{attempt.pk}/", f"/training/attempts/{attempt.pk}/result/",
                 "/training/certificates/"):
        assert hq.get(path).status_code == 403, path
    assert hq.post(f"/training/courses/{quiz.pk}/quiz/").status_code == 403
    assert hq.post(f"/training/lessons/{quiz.lessons.first().pk}/").status_code == 403


def test_another_dealers_attempt_and_certificate_are_not_found(acme, net, quiz, passed):
    attempt, certificate = passed
    other = tenant_client(acme, net.dealer_b_user)
    for path in (f"/training/attempts/{attempt.pk}/", f"/training/attempts/{attempt.pk}/result/",
                 f"/training/certificates/{certificate.pk}/"):
        assert other.get(path).status_code == 404, path
    assert other.post(f"/training/attempts/{attempt.pk}/", {}).status_code == 404
    assert certificate.number not in other.get("/training/certificates/").content.decode()
    # the lessons and the course itself are offered to dealer_b too
    assert other.get(f"/training/courses/{quiz.pk}/").status_code == 200


def test_a_colleagues_certificate_is_seen_but_not_their_attempt(acme, net, quiz, passed):
    from tests import factories

    attempt, certificate = passed
    colleague = tenant_client(acme, factories.member(net.dealer_a, "dealer_staff"))
    assert colleague.get(f"/training/certificates/{certificate.pk}/").status_code == 200
    assert certificate.number in colleague.get("/training/certificates/").content.decode()
    assert colleague.get(f"/training/attempts/{attempt.pk}/result/").status_code == 404


def test_a_course_not_offered_to_the_dealer_and_its_files_are_not_found(acme, net, quiz):
    hq = make.actor(net.hq_admin)
    draft = make.course(net.hq_admin, title="초안", publish=False)
    for_distributors = make.course(net.hq_admin, title="유통 전용", kinds=[OrgKind.DISTRIBUTOR])
    for course in (draft, for_distributors):
        lesson = course.lessons.first()
        services.lesson_save(actor=hq, course=course, lesson=lesson, title=lesson.title,
                             image=SimpleUploadedFile("a.png", png(), "image/png"),
                             pdf=SimpleUploadedFile("a.pdf", PDF, "application/pdf"))
    dealer = tenant_client(acme, net.dealer_a_user)
    for course in (draft, for_distributors):
        lesson = course.lessons.first()
        for path in (f"/training/courses/{course.pk}/", f"/training/lessons/{lesson.pk}/",
                     f"/training/lessons/{lesson.pk}/image/", f"/training/lessons/{lesson.pk}/pdf/"):
            assert dealer.get(path).status_code == 404, path
        assert dealer.post(f"/training/courses/{course.pk}/quiz/").status_code == 404
        assert dealer.post(f"/training/lessons/{lesson.pk}/").status_code == 404
    listing = dealer.get("/training/").content.decode()
    assert "초안" not in listing and "유통 전용" not in listing
    assert not Attempt.objects.exists() and not LessonProgress.objects.exists()
    # the distributor-only lesson's files open for the distributor
    lesson = for_distributors.lessons.first()
    assert tenant_client(acme, net.seoul_admin).get(f"/training/lessons/{lesson.pk}/image/").status_code == 200


def test_a_lesson_without_a_file_has_no_file_page(acme, net, quiz):
    lesson = quiz.lessons.last()
    dealer = tenant_client(acme, net.dealer_a_user)
    assert dealer.get(f"/training/lessons/{lesson.pk}/image/").status_code == 404
    assert dealer.get(f"/training/lessons/{lesson.pk}/pdf/").status_code == 404


def test_the_anonymous_visitor_is_sent_to_log_in(acme, net, quiz):
    client = tenant_client(acme)
    for path in ("/training/", f"/training/courses/{quiz.pk}/", f"/training/lessons/{quiz.lessons.first().pk}/image/",
                 "/hq/training/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path


def test_nothing_of_another_tenants_training_is_reachable(acme, globex, net, quiz, passed):
    from django_tenants.utils import schema_context

    from tests import factories

    attempt, certificate = passed
    lesson = quiz.lessons.first()
    with schema_context("globex"):
        g = factories.network(prefix="GLOBEX-")
        assert not Course.objects.exists()
        dealer = tenant_client(globex, g.dealer_a_user)
        hq = tenant_client(globex, g.hq_admin)
        for client, path in (
                (dealer, f"/training/courses/{quiz.pk}/"), (dealer, f"/training/lessons/{lesson.pk}/"),
                (dealer, f"/training/lessons/{lesson.pk}/image/"), (dealer, f"/training/lessons/{lesson.pk}/pdf/"),
                (dealer, f"/training/attempts/{attempt.pk}/result/"),
                (dealer, f"/training/certificates/{certificate.pk}/"), (hq, f"/hq/training/{quiz.pk}/"),
                (hq, f"/hq/training/{quiz.pk}/results/"), (hq, f"/training/certificates/{certificate.pk}/")):
            assert client.get(path).status_code == 404, path
        assert quiz.title not in dealer.get("/training/").content.decode()
        assert quiz.title not in hq.get("/hq/training/").content.decode()
    # and an acme session means nothing at globex's domain
    with schema_context("acme"):
        session = tenant_client(acme, net.dealer_a_user).cookies
    stranger = tenant_client(globex)
    stranger.cookies = session
    with schema_context("globex"):
        response = stranger.get(f"/training/certificates/{certificate.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_locked_courses_files_are_not_found_until_its_prerequisites_are_passed(acme, net, quiz):
    basics = make.course(net.hq_admin, title="기초 과정")
    quiz.prerequisites.add(basics)
    dealer = tenant_client(acme, net.dealer_a_user)
    first = quiz.lessons.first()
    for kind in ("image", "pdf"):
        assert dealer.get(f"/training/lessons/{first.pk}/{kind}/").status_code == 404
    # HQ still reads them
    assert tenant_client(acme, net.hq_admin).get(f"/training/lessons/{first.pk}/pdf/").status_code == 200
    attempt = make.take(net.dealer_a_user, basics, right=3)
    assert attempt.passed
    for kind in ("image", "pdf"):
        assert dealer.get(f"/training/lessons/{first.pk}/{kind}/").status_code == 200
