"""Which courses a partner is offered (kind, tier, segment, product line; published only), prerequisites, where
a person stands in each course, and HQ's completion figures."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.choices import OrgKind
from prm.core.errors import ServiceError
from tests import factories
from tests.training import make
from training import selectors, services
from training.choices import Progress


def offered(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(selectors.course_visible_to(make.actor(user)).values_list("title", flat=True))


def test_a_course_for_distributors_is_not_offered_to_dealers(acme, net):
    make.course(net.hq_admin, title="유통 전용", kinds=[OrgKind.DISTRIBUTOR])
    make.course(net.hq_admin, title="모두")
    assert offered(net.seoul_admin) == {"유통 전용", "모두"}
    assert offered(net.dealer_a_user) == {"모두"}


def test_a_course_for_some_tiers_is_offered_to_partners_holding_one_of_them_whatever_the_case(acme, net):
    # given dealer_a in tier "gold", dealer_b in "Silver" and dealer_c in none
    for org, tier in ((net.dealer_a, "gold"), (net.dealer_b, "Silver")):
        org.tier = tier
        org.save(update_fields=["tier"])
    # when HQ aims a course at Gold and Platinum
    make.course(net.hq_admin, title="골드", tiers=["Gold", "Platinum"])
    # then only dealer_a is offered it
    assert offered(net.dealer_a_user) == {"골드"}
    assert offered(net.dealer_b_user) == offered(net.dealer_c_user) == set()


def test_a_course_for_some_segments_is_offered_to_partners_in_any_of_them(acme, net):
    net.dealer_a.segments = ["education", "retail"]
    net.dealer_a.save(update_fields=["segments"])
    net.dealer_b.segments = ["corporate"]
    net.dealer_b.save(update_fields=["segments"])
    make.course(net.hq_admin, title="교육", segments=["education", "healthcare"])
    assert offered(net.dealer_a_user) == {"교육"}
    assert offered(net.dealer_b_user) == offered(net.dealer_c_user) == set()


def test_a_course_for_a_product_line_is_offered_to_partners_authorised_for_it(acme, net):
    tv = factories.product_line("tv", "TV")
    net.dealer_b.product_lines.add(tv)
    make.course(net.hq_admin, title="TV 교육", lines=[tv])
    assert offered(net.dealer_b_user) == {"TV 교육"}
    assert offered(net.dealer_a_user) == set()


def test_every_criterion_must_match(acme, net):
    net.dealer_a.tier = "Gold"
    net.dealer_a.segments = ["retail"]
    net.dealer_a.save(update_fields=["tier", "segments"])
    make.course(net.hq_admin, title="골드 리테일 딜러", kinds=[OrgKind.DEALER], tiers=["Gold"], segments=["retail"],
                lines=[net.aircon])
    make.course(net.hq_admin, title="골드 교육", tiers=["Gold"], segments=["education"])
    assert offered(net.dealer_a_user) == {"골드 리테일 딜러"}


def test_drafts_and_archived_courses_are_offered_to_nobody_but_hq_sees_them(acme, net):
    make.course(net.hq_admin, title="초안", publish=False)
    archived = make.course(net.hq_admin, title="보관")
    services.course_archive(actor=make.actor(net.hq_admin), course=archived)
    assert offered(net.dealer_a_user) == offered(net.seoul_admin) == set()
    assert offered(net.hq_admin) == {"초안", "보관"}


def test_a_course_is_locked_until_its_prerequisites_are_passed(acme, net):
    # given course B requiring course A
    basics = make.course(net.hq_admin, title="A 기초")
    advanced = make.course(net.hq_admin, title="B 심화", prerequisites=[basics])
    taker = make.actor(net.dealer_a_user)
    # then B is locked, naming A, and can't be read or taken
    standing = selectors.course_standing(taker, advanced)
    assert standing.state == Progress.LOCKED and standing.missing == [basics]
    with pytest.raises(ServiceError, match="A 기초"):
        services.lesson_complete(actor=taker, lesson=advanced.lessons.first())
    with pytest.raises(ServiceError, match="A 기초"):
        services.attempt_start(actor=taker, course=advanced)
    # when A is passed, then B opens
    make.take(net.dealer_a_user, basics)
    assert selectors.course_standing(taker, advanced).state == Progress.NOT_STARTED
    # and when A's certificate runs out, B is locked again
    make.expire(basics.certificates.get())
    assert selectors.course_standing(taker, advanced).state == Progress.LOCKED


def test_a_prerequisite_the_partner_is_not_offered_does_not_lock_the_course(acme, net):
    # given a course requiring a draft and a course for distributors only
    draft = make.course(net.hq_admin, title="초안", publish=False)
    for_distributors = make.course(net.hq_admin, title="유통", kinds=[OrgKind.DISTRIBUTOR])
    quiz = make.course(net.hq_admin, title="본 과정", prerequisites=[draft, for_distributors])
    # then a dealer can take it (it could never pass those), a distributor must pass the one it is offered
    assert selectors.course_standing(make.actor(net.dealer_a_user), quiz).state == Progress.NOT_STARTED
    standing = selectors.course_standing(make.actor(net.seoul_admin), quiz)
    assert standing.state == Progress.LOCKED and standing.missing == [for_distributors]


def test_a_course_cannot_require_itself_even_through_another(acme, net):
    hq = make.actor(net.hq_admin)
    first = make.course(net.hq_admin, title="1")
    second = make.course(net.hq_admin, title="2", prerequisites=[first])
    with pytest.raises(ValidationError):
        services.course_save(actor=hq, course=first, title="1", prerequisites=[first])
    with pytest.raises(ValidationError, match="also not through another course"):
        services.course_save(actor=hq, course=first, title="1", prerequisites=[second])


def test_each_state_of_a_person_in_a_course(acme, net):
    fresh = make.course(net.hq_admin, title="1 새 과정", lessons=3)
    going = make.course(net.hq_admin, title="2 진행 중", lessons=3)
    passed = make.course(net.hq_admin, title="3 합격", certificate_months=6)
    lapsed = make.course(net.hq_admin, title="4 만료")
    make.course(net.hq_admin, title="5 잠김", prerequisites=[fresh])
    taker = make.actor(net.dealer_a_user)
    services.lesson_complete(actor=taker, lesson=going.lessons.first())
    services.lesson_complete(actor=taker, lesson=going.lessons.first())  # twice: counted once
    make.take(net.dealer_a_user, passed)
    make.expire(make.take(net.dealer_a_user, lapsed).certificate)
    states = {s.course.title: s for s in selectors.course_for_partner_status(taker)}
    assert [s.state for s in states.values()] == [Progress.NOT_STARTED, Progress.IN_PROGRESS, Progress.PASSED,
                                                  Progress.EXPIRED, Progress.LOCKED]
    assert (states["2 진행 중"].lessons_done, states["2 진행 중"].lessons_total) == (1, 3)
    assert states["2 진행 중"].next_lesson_number == 2 and states["2 진행 중"].percent_done == 33
    assert states["3 합격"].certificate.expires_at is not None
    assert states["5 잠김"].missing == [fresh]
    # progress is the person's: a colleague at the same dealer starts afresh
    colleague = factories.member(net.dealer_a, "dealer_staff")
    assert selectors.course_standing(make.actor(colleague), going).state == Progress.NOT_STARTED
    # the home page shows the course in progress first, then new ones
    assert [s.course.title for s in selectors.courses_for_home(taker)][:1] == ["2 진행 중"]


def test_hq_sees_how_many_started_passed_and_hold_valid_certificates(acme, net):
    quiz = make.course(net.hq_admin, certificate_months=1)
    untouched = make.course(net.hq_admin, title="아무도")
    services.lesson_complete(actor=make.actor(net.dealer_b_user), lesson=quiz.lessons.first())
    certificate = make.take(net.dealer_a_user, quiz).certificate  # quiz only, no lesson read: started too
    certificate.expires_at = timezone.now() + dt.timedelta(days=selectors.EXPIRING_DAYS - 1)
    certificate.save(update_fields=["expires_at"])
    make.take(net.dealer_c_user, quiz, right=0)
    figures = {c.pk: c for c in selectors.courses_with_completion(make.actor(net.hq_admin))}
    row = figures[quiz.pk]
    assert (row.lesson_count, row.question_count, row.started_count, row.passed_count, row.valid_count,
            row.expiring_count) == (2, 3, 3, 1, 1, 1)
    assert (figures[untouched.pk].started_count, figures[untouched.pk].passed_count) == (0, 0)
    results = selectors.course_results(quiz)
    assert [c.user for c in results["certificates"]] == [net.dealer_a_user]
    assert list(results["expiring"]) == list(results["certificates"])
