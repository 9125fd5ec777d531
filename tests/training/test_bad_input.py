"""No input to the training pages gives a 500: junk ids, missing fields, NUL characters, huge numbers and files
that are not what they claim are refused with a message (or a 404 for what names nothing); nothing is half-written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import tenant_client
from tests.training import make
from training import services
from training.models import Attempt, Certificate, Course, Lesson

JUNK = ["", "abc", "-1", "0", "1e100", "NaN", "99999999999999999999", "１２", "²", "1.5", "<script>", "\x00",
        "가" * 300]


@pytest.fixture
def open_attempt(net):
    quiz = make.course(net.hq_admin, questions=2, multiple=[2])
    return quiz, services.attempt_start(actor=make.actor(net.dealer_a_user), course=quiz)


def test_junk_posted_to_the_quiz_is_refused_without_a_500(acme, net, open_attempt):
    quiz, attempt = open_attempt
    first, second = attempt.question_ids
    dealer = tenant_client(acme, net.dealer_a_user)
    dealer.raise_request_exception = False
    for junk in JUNK:
        for data in ({f"q-{first}": junk, f"q-{second}": junk}, {f"q-{junk}": "1"}, {junk: junk},
                     {f"q-{first}": [junk, junk]}, {}):
            response = dealer.post(f"/training/attempts/{attempt.pk}/", data)
            assert response.status_code in (200, 400), (data, response.status_code)
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.score is None and not Certificate.objects.exists()


def test_junk_ids_in_training_addresses_name_nothing(acme, net, open_attempt):
    dealer = tenant_client(acme, net.dealer_a_user)
    dealer.raise_request_exception = False
    hq = tenant_client(acme, net.hq_admin)
    hq.raise_request_exception = False
    for junk in ("0", "99999999999999999999", "9223372036854775808", "abc", "-1", "%00"):
        for client, path in ((dealer, "/training/courses/{}/"), (dealer, "/training/lessons/{}/"),
                             (dealer, "/training/lessons/{}/image/"), (dealer, "/training/lessons/{}/pdf/"),
                             (dealer, "/training/attempts/{}/"), (dealer, "/training/attempts/{}/result/"),
                             (dealer, "/training/certificates/{}/"), (hq, "/hq/training/{}/"),
                             (hq, "/hq/training/{}/edit/"), (hq, "/hq/training/{}/results/"),
                             (hq, "/hq/training/lessons/{}/edit/"), (hq, "/hq/training/questions/{}/edit/"),
                             (hq, "/hq/training/{}/lessons/new/"), (hq, "/hq/training/{}/questions/new/")):
            assert client.get(path.format(junk)).status_code in (400, 404), path.format(junk)
        for client, path in ((dealer, "/training/courses/{}/quiz/"), (hq, "/hq/training/{}/publish/"),
                             (hq, "/hq/training/lessons/{}/move/"), (hq, "/hq/training/questions/{}/delete/")):
            assert client.post(path.format(junk)).status_code in (400, 404), path.format(junk)
    for query in ("?page=abc", "?page=-1", "?page=99999999999999999999", "?page=%00"):
        assert hq.get("/hq/training/" + query).status_code in (200, 400), query


def test_junk_posted_to_the_authoring_forms_is_refused_without_a_500(acme, net):
    course = make.course(net.hq_admin, publish=False)
    lesson, question = course.lessons.first(), course.questions.first()
    hq = tenant_client(acme, net.hq_admin)
    hq.raise_request_exception = False
    for junk in JUNK:
        checks = [
            ("/hq/training/new/", {"title": junk, "kinds": junk, "tiers": junk, "segments": junk,
                                   "product_lines": junk, "prerequisites": junk, "pass_mark": junk,
                                   "max_attempts": junk, "questions_per_attempt": junk,
                                   "certificate_months": junk}),
            (f"/hq/training/{course.pk}/edit/", {"title": "제목", "pass_mark": junk, "max_attempts": "0",
                                                 "questions_per_attempt": "0", "certificate_months": "0"}),
            (f"/hq/training/{course.pk}/lessons/new/", {"title": junk, "body": junk, "video_url": junk}),
            (f"/hq/training/lessons/{lesson.pk}/edit/", {"title": "제목", "video_url": junk, "remove_image": junk}),
            (f"/hq/training/{course.pk}/questions/new/", {"text": junk, "kind": junk, "choice_1": junk,
                                                          "correct_1": junk, "id_1": junk}),
            (f"/hq/training/questions/{question.pk}/edit/", {"text": "질문", "kind": "single", "choice_1": "가",
                                                             "correct_1": "on", "choice_2": "나", "id_1": junk,
                                                             "id_2": junk}),
            (f"/hq/training/lessons/{lesson.pk}/move/", {"direction": junk}),
        ]
        for path, data in checks:
            response = hq.post(path, data)
            assert response.status_code < 500, (path, data, response.status_code)
    # a bank answer id from another question is refused, not moved across
    other = course.questions.last()
    foreign = other.choices.first()
    page = hq.post(f"/hq/training/questions/{question.pk}/edit/", {
        "text": "질문", "kind": "single", "choice_1": "가", "correct_1": "on", "id_1": str(foreign.pk),
        "choice_2": "나"}).content.decode()
    assert "belongs to another question" in page
    foreign.refresh_from_db()
    assert foreign.question_id == other.pk
    assert Course.objects.count() == 1 and Lesson.objects.filter(course=course).count() == 2


def test_huge_and_out_of_range_numbers_in_a_course_are_named(acme, net):
    hq = tenant_client(acme, net.hq_admin)
    response = hq.post("/hq/training/new/", {"title": "과정", "pass_mark": "0", "max_attempts": "101",
                                             "questions_per_attempt": "99999999999999999999",
                                             "certificate_months": "-1"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"pass_mark", "max_attempts", "questions_per_attempt",
                                                     "certificate_months"}
    assert not Course.objects.exists()


def test_a_published_course_cannot_draw_more_questions_than_its_bank_holds(acme, net):
    course = make.course(net.hq_admin, questions=3)
    response = tenant_client(acme, net.hq_admin).post(f"/hq/training/{course.pk}/edit/", {
        "title": course.title, "pass_mark": "80", "max_attempts": "0", "questions_per_attempt": "4",
        "certificate_months": "12"})
    assert response.status_code == 200 and "has 3 questions" in response.content.decode()
    course.refresh_from_db()
    assert course.questions_per_attempt == 0


@pytest.mark.parametrize(("field", "upload", "message"), [
    ("image", SimpleUploadedFile("photo.png", b"<svg onload=alert(1)>", "image/png"), "JPEG, PNG, WebP or GIF"),
    ("pdf", SimpleUploadedFile("guide.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"), "PDF file"),
    ("video_url", "https://evil.example/watch?v=dQw4w9WgXcQ", "YouTube or Vimeo"),
    ("video_url", "http://youtu.be/dQw4w9WgXcQ", "YouTube or Vimeo"),
    ("video_url", "javascript:alert(1)", "YouTube or Vimeo"),
])
def test_a_lesson_file_or_video_that_is_not_what_it_claims_is_refused(acme, net, field, upload, message):
    course = make.course(net.hq_admin, publish=False, lessons=0)
    response = tenant_client(acme, net.hq_admin).post(f"/hq/training/{course.pk}/lessons/new/",
                                                      {"title": "레슨", field: upload})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Lesson.objects.filter(course=course).exists()


def test_a_nul_character_in_a_form_is_refused_up_front(acme, net, open_attempt):
    _quiz, attempt = open_attempt
    response = tenant_client(acme, net.dealer_a_user).post(f"/training/attempts/{attempt.pk}/", {"q-1": "\x00"})
    assert response.status_code == 400
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_lesson_text_is_stored_nfc_and_escaped_when_shown(acme, net):
    import unicodedata

    course = make.course(net.hq_admin, lessons=0)
    decomposed = unicodedata.normalize("NFD", "설치 안내")
    hq = tenant_client(acme, net.hq_admin)
    hq.post(f"/hq/training/{course.pk}/lessons/new/", {
        "title": decomposed, "body": "<script>alert(1)</script>\n\n- **중요** 항목"})
    lesson = Lesson.objects.get(course=course)
    assert lesson.title == "설치 안내"
    page = tenant_client(acme, net.dealer_a_user).get(f"/training/lessons/{lesson.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "<ul><li><strong>중요</strong> 항목</li></ul>" in page
