"""Quiz scoring, attempts and certificates, through the services a partner's person uses."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.choices import Role
from prm.core.audit import AuditEvent
from prm.core.errors import NotAllowed, ServiceError
from tests import factories
from tests.training import make
from training import selectors, services
from training.choices import Progress
from training.models import Attempt, Certificate
from training.services import add_months

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def test_a_one_answer_question_counts_only_when_its_right_answer_is_chosen(acme, net):
    # given a two-question quiz
    quiz = make.course(net.hq_admin, questions=2, pass_mark=50)
    taker = make.actor(net.dealer_a_user)
    attempt = services.attempt_start(actor=taker, course=quiz)
    first, second = attempt.question_ids
    # when the first is answered right and the second wrong
    attempt = services.attempt_submit(actor=taker, attempt=attempt, answers={
        str(first): make.right_ids(first), str(second): [make.wrong_id(second)]})
    # then only the first is marked right
    assert attempt.marks == {str(first): True, str(second): False}
    assert attempt.score == 50 and attempt.passed is True


def test_a_several_answers_question_counts_only_the_exact_right_set(acme, net):
    # given a quiz of one question with two right answers out of three
    quiz = make.course(net.hq_admin, questions=1, multiple=[1], pass_mark=100, max_attempts=0)
    taker = make.actor(net.dealer_a_user)
    (qid,) = services.attempt_start(actor=taker, course=quiz).question_ids
    right = make.right_ids(qid)
    wrong = make.wrong_id(qid)
    # when the person ticks one right answer only, then both right ones and a wrong one
    for picked in ([right[0]], [*right, wrong]):
        attempt = services.attempt_start(actor=taker, course=quiz)
        attempt = services.attempt_submit(actor=taker, attempt=attempt, answers={str(qid): picked})
        # then neither counts
        assert attempt.marks == {str(qid): False} and attempt.score == 0 and not attempt.passed
    # when they tick exactly the right ones, then it counts
    attempt = services.attempt_start(actor=taker, course=quiz)
    attempt = services.attempt_submit(actor=taker, attempt=attempt, answers={str(qid): right})
    assert attempt.marks == {str(qid): True} and attempt.score == 100 and attempt.passed


@pytest.mark.parametrize(("right", "passed"), [(5, True), (4, True), (3, False), (0, False)])
def test_a_pass_mark_of_80_passes_4_of_5_and_fails_3_of_5(acme, net, right, passed):
    quiz = make.course(net.hq_admin, questions=5, pass_mark=80)
    attempt = make.take(net.dealer_a_user, quiz, right=right)
    assert attempt.score == right * 20
    assert attempt.passed is passed
    assert Certificate.objects.filter(attempt=attempt).exists() is passed


def test_the_score_is_rounded_down_and_the_pass_mark_compared_exactly(acme, net):
    # given quizzes of three questions with pass marks of 66 and 67
    easy = make.course(net.hq_admin, title="66", questions=3, pass_mark=66)
    hard = make.course(net.hq_admin, title="67", questions=3, pass_mark=67)
    # when two of three (66.7 %) are right
    on_easy = make.take(net.dealer_a_user, easy, right=2)
    on_hard = make.take(net.dealer_a_user, hard, right=2)
    # then the score shown is 66 (not rounded up to 67): 66 passes, 67 does not
    assert on_easy.score == on_hard.score == 66
    assert on_easy.passed is True and on_hard.passed is False


def test_the_attempts_limit_is_enforced(acme, net):
    # given a quiz allowing two attempts
    quiz = make.course(net.hq_admin, max_attempts=2)
    # when the person fails twice
    make.take(net.dealer_a_user, quiz, right=0)
    standing = selectors.course_standing(make.actor(net.dealer_a_user), quiz)
    assert standing.attempts_used == 1 and standing.attempts_left == 1
    make.take(net.dealer_a_user, quiz, right=0)
    # then a third attempt is refused, saying so
    taker = make.actor(net.dealer_a_user)
    standing = selectors.course_standing(taker, quiz)
    assert standing.attempts_left == 0 and not standing.can_take_quiz
    with pytest.raises(ServiceError, match="all 2 attempts"):
        services.attempt_start(actor=taker, course=quiz)
    # and someone else at the same dealer still has their own attempts
    colleague = factories.member(net.dealer_a, Role.DEALER_STAFF)
    assert make.take(colleague, quiz).passed


def test_a_double_submit_marks_the_attempt_once(acme, net):
    # given a submitted, passed attempt
    quiz = make.course(net.hq_admin)
    taker = make.actor(net.dealer_a_user)
    attempt = services.attempt_start(actor=taker, course=quiz)
    good = make.answers(attempt, right=3)
    first = services.attempt_submit(actor=taker, attempt=attempt, answers=good)
    # when the same attempt is sent again, with other answers
    again = services.attempt_submit(actor=taker, attempt=attempt, answers=make.answers(attempt, right=0))
    # then it is returned unchanged: one mark, one certificate, one audit entry
    assert again.pk == first.pk and again.score == 100 and again.submitted_at == first.submitted_at
    assert Certificate.objects.filter(course=quiz).count() == 1
    assert AuditEvent.objects.filter(action="attempt.submit", object_id=str(attempt.pk)).count() == 1


def test_an_answer_naming_another_questions_choice_is_refused_with_the_question_number(acme, net):
    quiz = make.course(net.hq_admin, questions=3)
    taker = make.actor(net.dealer_a_user)
    attempt = services.attempt_start(actor=taker, course=quiz)
    first, second, third = attempt.question_ids
    answers = make.answers(attempt, right=3)
    # when question 2's answer names one of question 3's choices
    answers[str(second)] = make.right_ids(third)
    with pytest.raises(ValidationError) as refused:
        services.attempt_submit(actor=taker, attempt=attempt, answers=answers)
    # then the message names question 2 and the attempt stays open
    assert "Question 2:" in refused.value.messages[0]
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.score is None


def test_unanswered_questions_and_two_answers_to_a_one_answer_question_are_named(acme, net):
    quiz = make.course(net.hq_admin, questions=3)
    taker = make.actor(net.dealer_a_user)
    attempt = services.attempt_start(actor=taker, course=quiz)
    first, second, third = attempt.question_ids
    with pytest.raises(ValidationError, match="question 2, 3 has no answer"):
        services.attempt_submit(actor=taker, attempt=attempt, answers={str(first): make.right_ids(first)})
    both = [make.right_ids(first)[0], make.wrong_id(first)]
    with pytest.raises(ValidationError, match="Question 1: choose one answer"):
        services.attempt_submit(actor=taker, attempt=attempt, answers={**make.answers(attempt, right=3),
                                                                       str(first): both})
    for junk in ({"x": ["1"]}, {str(first): ["abc"]}, {str(first): ["²"]}, {"²": ["1"]},
                 {str(first): ["99999999999999999999"]}):
        with pytest.raises(ValidationError):
            services.attempt_submit(actor=taker, attempt=attempt, answers=junk)
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_the_drawn_order_is_shuffled_stored_and_the_same_on_every_reload(acme, net):
    # given a bank of eight questions, each attempt drawing five
    quiz = make.course(net.hq_admin, questions=8, questions_per_attempt=5, max_attempts=0)
    bank = list(quiz.questions.order_by("order").values_list("pk", flat=True))
    taker = make.actor(net.dealer_a_user)
    orders = []
    for _ in range(6):
        attempt = services.attempt_start(actor=taker, course=quiz)
        # a reload (or another tab) resumes the same attempt, in the same order
        again = services.attempt_start(actor=taker, course=quiz)
        assert again.pk == attempt.pk and again.question_ids == attempt.question_ids
        assert again.choice_order == attempt.choice_order
        shown = selectors.attempt_questions(again)
        assert [q.question.pk for q in shown] == attempt.question_ids
        assert all([c.pk for c in q.choices] == attempt.choice_order[str(q.question.pk)] for q in shown)
        assert len(attempt.question_ids) == 5 and set(attempt.question_ids) <= set(bank)
        orders.append(attempt.question_ids)
        services.attempt_submit(actor=taker, attempt=attempt, answers=make.answers(attempt, right=0))
    # the draws are not the bank's order every time (the chance that six are: about 1 in 10^27)
    assert any(order != bank[:5] for order in orders)
    assert len({tuple(order) for order in orders}) > 1


def test_a_pass_issues_a_certificate_expiring_the_given_months_later(acme, net):
    quiz = make.course(net.hq_admin, certificate_months=12)
    attempt = make.take(net.dealer_a_user, quiz)
    certificate = Certificate.objects.get(attempt=attempt)
    assert certificate.user == net.dealer_a_user and certificate.organization == net.dealer_a
    assert certificate.issued_at == attempt.submitted_at
    issued = timezone.localtime(certificate.issued_at)
    assert certificate.expires_at == add_months(certificate.issued_at, 12)
    assert timezone.localtime(certificate.expires_at).date() == _a_year_after(issued.date())
    assert certificate.number.startswith(f"TC-{issued.year}-")
    standing = selectors.course_standing(make.actor(net.dealer_a_user), quiz)
    assert standing.state == Progress.PASSED and standing.certificate == certificate


def _a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def test_a_certificate_that_never_expires_has_no_expiry_date(acme, net):
    quiz = make.course(net.hq_admin, certificate_months=0)
    certificate = Certificate.objects.get(attempt=make.take(net.dealer_a_user, quiz))
    assert certificate.expires_at is None and certificate.is_valid()


@pytest.mark.parametrize(("issued", "months", "expires"), [
    (dt.datetime(2025, 1, 31, 9, 30), 1, dt.datetime(2025, 2, 28, 9, 30)),
    (dt.datetime(2024, 1, 31, 9, 30), 1, dt.datetime(2024, 2, 29, 9, 30)),
    (dt.datetime(2024, 2, 29, 23, 59), 12, dt.datetime(2025, 2, 28, 23, 59)),
    (dt.datetime(2025, 11, 15, 0, 0), 3, dt.datetime(2026, 2, 15, 0, 0)),
    (dt.datetime(2025, 6, 30, 12, 0), 24, dt.datetime(2027, 6, 30, 12, 0)),
])
def test_months_are_added_on_the_local_calendar(issued, months, expires):
    assert add_months(issued.replace(tzinfo=SEOUL), months) == expires.replace(tzinfo=SEOUL)


def test_no_second_certificate_while_one_is_valid(acme, net):
    quiz = make.course(net.hq_admin)
    make.take(net.dealer_a_user, quiz)
    with pytest.raises(ServiceError, match="You passed this course"):
        services.attempt_start(actor=make.actor(net.dealer_a_user), course=quiz)
    assert Certificate.objects.filter(course=quiz).count() == 1


def test_an_expired_certificate_lets_the_person_take_the_course_again(acme, net):
    # given a one-attempt course passed long ago, whose certificate ran out yesterday
    quiz = make.course(net.hq_admin, max_attempts=1, certificate_months=12)
    first = Certificate.objects.get(attempt=make.take(net.dealer_a_user, quiz))
    make.expire(first)
    taker = make.actor(net.dealer_a_user)
    standing = selectors.course_standing(taker, quiz)
    # then it shows as expired, with a fresh attempt
    assert standing.state == Progress.EXPIRED and standing.certificate == first and standing.attempts_left == 1
    # when they pass again, then a second certificate is issued, valid from now
    second = Certificate.objects.get(attempt=make.take(net.dealer_a_user, quiz))
    assert second.pk != first.pk and second.is_valid() and second.number != first.number
    assert selectors.course_standing(taker, quiz).state == Progress.PASSED


def test_a_failed_retake_after_expiry_counts_against_the_fresh_attempts_only(acme, net):
    quiz = make.course(net.hq_admin, max_attempts=2)
    make.take(net.dealer_a_user, quiz, right=0)
    make.expire(Certificate.objects.get(attempt=make.take(net.dealer_a_user, quiz)))
    make.take(net.dealer_a_user, quiz, right=0)
    standing = selectors.course_standing(make.actor(net.dealer_a_user), quiz)
    assert standing.state == Progress.IN_PROGRESS and standing.attempts_used == 1 and standing.attempts_left == 1


def test_a_dealer_cannot_submit_another_dealers_attempt(acme, net):
    quiz = make.course(net.hq_admin)
    attempt = services.attempt_start(actor=make.actor(net.dealer_a_user), course=quiz)
    with pytest.raises(ServiceError, match="not yours"):
        services.attempt_submit(actor=make.actor(net.dealer_b_user), attempt=attempt,
                                answers=make.answers(attempt, right=3))
    attempt.refresh_from_db()
    assert attempt.is_open


def test_hq_cannot_take_a_course(acme, net):
    quiz = make.course(net.hq_admin)
    with pytest.raises(NotAllowed):
        services.attempt_start(actor=make.actor(net.hq_admin), course=quiz)
