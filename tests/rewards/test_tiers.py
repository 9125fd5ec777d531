"""Tier computation: each criterion, upgrades at once, downgrades after the grace period, the history with its
figures, the benefits on the partner, dry runs, programs per vertical market and the partner's explanation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from partners.models import Organization
from prm.core.actor import Actor
from prm.core.models import Notification
from rewards.computation import evaluate
from rewards.models import PartnerTier, TierChange, TierRun
from rewards.models.tiers import RunStatus
from rewards.selectors.tiers import period_end, tier_progress
from rewards.services.tiers import specs_of, tiers_dry_run, tiers_recompute_partners, tiers_run
from tests import factories
from tests.rewards import tiers_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def net(acme: Any) -> factories.Network:
    return factories.network()


def run_all(**kwargs: Any) -> TierRun:
    return tiers_run(run=TierRun.objects.create(**kwargs))


def tier_of(org: Organization) -> str:
    org.refresh_from_db()
    return org.tier


def test_a_dealer_with_no_figures_holds_the_entry_tier(net: factories.Network) -> None:
    data.program()
    run = run_all()
    assert run.status == RunStatus.DONE
    assert tier_of(net.dealer_a) == "Bronze"
    assert net.dealer_a.tier_step == 1 and net.dealer_a.tier_credit_limit is None
    standing = PartnerTier.objects.get(partner=net.dealer_a)
    assert standing.values["sales"] == 0 and standing.values["certs"] == 0
    # distributors are not in a dealer program
    assert tier_of(net.seoul_distributor) == ""
    assert run.partners == 3 and run.upgraded == 3


def test_sales_over_the_window_raise_the_tier_and_older_sales_do_not_count(net: factories.Network) -> None:
    data.program(window_days=90)
    data.sale(net.dealer_a, net.seoul_distributor, 600_000, days_ago=10)
    data.sale(net.dealer_a, net.seoul_distributor, 400_000, days_ago=80)
    data.sale(net.dealer_b, net.seoul_distributor, 900_000, days_ago=10)
    data.sale(net.dealer_b, net.seoul_distributor, 500_000, days_ago=120)  # outside the window
    data.sale(net.dealer_c, net.busan_distributor, 5_000_000, days_ago=3, status="cancelled")
    data.sale(net.dealer_c, net.busan_distributor, 5_000_000, days_ago=3, status="awaiting_payment")
    run_all()
    assert tier_of(net.dealer_a) == "Silver"
    assert net.dealer_a.tier_credit_limit == Decimal(3_000_000) and net.dealer_a.tier_step == 2
    assert tier_of(net.dealer_b) == "Bronze"
    assert tier_of(net.dealer_c) == "Bronze"
    change = TierChange.objects.get(partner=net.dealer_a, direction="up")
    assert change.from_name == "" and change.to_name == "Silver"
    assert Decimal(str(change.values["sales"])) == Decimal(1_000_000)


def test_gold_needs_every_criterion(net: factories.Network) -> None:
    data.program()
    data.sale(net.dealer_a, net.seoul_distributor, 6_000_000)
    for _ in range(3):
        data.customer_order(net.dealer_a)
    data.certificate(net.dealer_a, net.dealer_a_user)
    run_all()
    assert tier_of(net.dealer_a) == "Silver"  # one certification short
    data.certificate(net.dealer_a, net.dealer_a_user, title="냉매 안전")
    run_all()
    assert tier_of(net.dealer_a) == "Gold"
    assert net.dealer_a.tier_credit_limit == Decimal(10_000_000)
    values = PartnerTier.objects.get(partner=net.dealer_a).values
    assert values["won"] == 3 and values["certs"] == 2


def test_two_certificates_of_one_course_count_once_and_lost_orders_do_not_count(net: factories.Network) -> None:
    data.program()
    data.sale(net.dealer_a, net.seoul_distributor, 6_000_000)
    first = data.certificate(net.dealer_a, net.dealer_a_user)
    from training.models import Certificate

    Certificate.objects.create(course=first.course, user=net.dealer_a_user, organization=net.dealer_a,
                               number="CERT-DUP-1", issued_at=timezone.now() - dt.timedelta(hours=1))
    for _ in range(3):
        data.customer_order(net.dealer_a)
    data.customer_order(net.dealer_a, stage="lost")
    run_all()
    values = PartnerTier.objects.get(partner=net.dealer_a).values
    assert values["certs"] == 1 and values["won"] == 3
    assert tier_of(net.dealer_a) == "Silver"


def test_lead_acceptance_and_satisfaction_criteria(net: factories.Network) -> None:
    data.program(tiers=[
        {"name": "Bronze", "rank": 1},
        {"name": "Silver", "rank": 2, "min_acceptance": 75, "min_satisfaction": Decimal("4.0")},
    ])
    # dealer_a: 3 of 4 answered offers accepted (75 %), ratings 5 and 3 (4.0): Silver
    for status in ("accepted", "accepted", "accepted", "declined"):
        data.offer(net.dealer_a, status)
    data.offer(net.dealer_a, "withdrawn")  # withdrawn by HQ: not the dealer's answer
    data.customer_order(net.dealer_a, stage="won", satisfaction=5)
    data.customer_order(net.dealer_a, stage="lost", satisfaction=3)
    # dealer_b: 2 of 4 (50 %), rated 5: Bronze; dealer_c: accepts everything but no ratings: Bronze
    for status in ("accepted", "expired", "accepted", "declined"):
        data.offer(net.dealer_b, status)
    data.customer_order(net.dealer_b, satisfaction=5)
    data.offer(net.dealer_c, "accepted")
    run_all()
    assert tier_of(net.dealer_a) == "Silver"
    values = PartnerTier.objects.get(partner=net.dealer_a).values
    assert values["acceptance"] == 75.0 and values["satisfaction"] == 4.0 and values["answered"] == 4
    assert tier_of(net.dealer_b) == "Bronze"
    assert tier_of(net.dealer_c) == "Bronze"


def test_a_downgrade_waits_out_the_grace_period(net: factories.Network) -> None:
    program = data.program(grace_days=30, window_days=60)
    order = data.sale(net.dealer_a, net.seoul_distributor, 2_000_000, days_ago=50)
    run_all()
    assert tier_of(net.dealer_a) == "Silver"
    # twenty days later the sale is out of the 60-day window: the grace period starts, the tier stays
    later = timezone.now() + dt.timedelta(days=20)
    evaluate(program, specs_of(program.tiers.all()), window_days=60, grace_days=30, now=later)
    standing = PartnerTier.objects.get(partner=net.dealer_a)
    assert tier_of(net.dealer_a) == "Silver"
    assert standing.pending_tier is not None and standing.pending_tier.name == "Bronze"
    assert standing.downgrade_due == timezone.localdate(later) + dt.timedelta(days=30)
    grace = TierChange.objects.get(partner=net.dealer_a, direction="grace")
    assert grace.from_name == "Silver" and grace.to_name == "Bronze"
    # still within grace: nothing moves, no second grace record
    evaluate(program, specs_of(program.tiers.all()), window_days=60, grace_days=30,
             now=later + dt.timedelta(days=29))
    assert tier_of(net.dealer_a) == "Silver"
    assert TierChange.objects.filter(partner=net.dealer_a, direction="grace").count() == 1
    # the grace period is over: down to what the figures meet
    evaluate(program, specs_of(program.tiers.all()), window_days=60, grace_days=30,
             now=later + dt.timedelta(days=31))
    assert tier_of(net.dealer_a) == "Bronze"
    assert net.dealer_a.tier_credit_limit is None
    down = TierChange.objects.get(partner=net.dealer_a, direction="down")
    assert down.from_name == "Silver" and down.to_name == "Bronze" and Decimal(str(down.values["sales"])) == 0
    assert PartnerTier.objects.get(partner=net.dealer_a).downgrade_due is None
    assert order.pk


def test_requalifying_during_grace_keeps_the_tier(net: factories.Network) -> None:
    program = data.program(grace_days=30, window_days=60)
    data.sale(net.dealer_a, net.seoul_distributor, 2_000_000, days_ago=50)
    run_all()
    later = timezone.now() + dt.timedelta(days=20)
    evaluate(program, specs_of(program.tiers.all()), window_days=60, grace_days=30, now=later)
    assert PartnerTier.objects.get(partner=net.dealer_a).downgrade_due is not None
    data.sale(net.dealer_a, net.seoul_distributor, 1_500_000, days_ago=-15)  # placed in that future
    evaluate(program, specs_of(program.tiers.all()), window_days=60, grace_days=30, now=later)
    standing = PartnerTier.objects.get(partner=net.dealer_a)
    assert standing.downgrade_due is None and standing.pending_tier is None
    assert tier_of(net.dealer_a) == "Silver"
    assert TierChange.objects.filter(partner=net.dealer_a, direction="kept").count() == 1


def test_certificate_expiry_moves_a_dealer_down(net: factories.Network) -> None:
    program = data.program(grace_days=0)
    data.sale(net.dealer_a, net.seoul_distributor, 6_000_000, days_ago=5)
    for _ in range(3):
        data.customer_order(net.dealer_a)
    data.certificate(net.dealer_a, net.dealer_a_user, days_valid=None)
    data.certificate(net.dealer_a, net.dealer_a_user, days_valid=10, title="냉매 안전")
    run_all()
    assert tier_of(net.dealer_a) == "Gold"
    evaluate(program, specs_of(program.tiers.all()), window_days=365, grace_days=0,
             now=timezone.now() + dt.timedelta(days=11))
    assert tier_of(net.dealer_a) == "Silver"
    down = TierChange.objects.get(partner=net.dealer_a, direction="down")
    assert down.values["certs"] == 1 and down.from_name == "Gold"


def test_changes_notify_the_partners_users(net: factories.Network) -> None:
    data.program()
    data.sale(net.dealer_a, net.seoul_distributor, 1_000_000)
    run_all()
    notes = Notification.objects.filter(user=net.dealer_a_user, kind="tier.up")
    assert notes.count() == 1
    assert notes.get().params["tier"] == "Silver"
    run_all()  # nothing changed: nobody is told again
    assert Notification.objects.filter(user=net.dealer_a_user, kind__startswith="tier.").count() == 1


def test_a_dry_run_counts_the_moves_and_writes_nothing(net: factories.Network) -> None:
    program = data.program()
    data.sale(net.dealer_a, net.seoul_distributor, 1_200_000)
    data.sale(net.dealer_b, net.seoul_distributor, 800_000)
    run_all()
    before = list(PartnerTier.objects.order_by("partner_id").values_list("partner_id", "tier__name"))
    actor = Actor.from_membership(net.hq_admin.memberships.get())
    rows = [{"name": "Bronze", "rank": 1}, {"name": "Silver", "rank": 2, "min_sales": Decimal(700_000)},
            {"name": "Gold", "rank": 3, "min_sales": Decimal(1_100_000)}]
    dry = tiers_run(run=tiers_dry_run(actor=actor, program=program, rows=rows, window_days=365, grace_days=30))
    assert dry.status == RunStatus.DONE and dry.dry_run
    assert dry.upgraded == 2  # dealer_a Silver → Gold, dealer_b Bronze → Silver
    assert dry.moves["moves"] == {"Silver → Gold": 1, "Bronze → Silver": 1}
    assert list(PartnerTier.objects.order_by("partner_id").values_list("partner_id", "tier__name")) == before
    assert tier_of(net.dealer_a) == "Silver"
    # a stricter proposal: Silver's partners would start a grace period
    strict = [{"name": "Bronze", "rank": 1}, {"name": "Silver", "rank": 2, "min_sales": Decimal(9_000_000)}]
    dry = tiers_run(run=tiers_dry_run(actor=actor, program=program, rows=strict, window_days=365, grace_days=30))
    assert dry.grace_started == 1 and dry.moves["moves"] == {"Silver → Bronze (grace)": 1}
    assert TierChange.objects.filter(direction="grace").count() == 0


def test_a_vertical_market_program_takes_its_partners_first(net: factories.Network) -> None:
    data.program(name="일반", priority=100)
    data.program(name="교육 시장", priority=10, segment="education",
                 tiers=[{"name": "Edu Partner", "rank": 1, "routing_step": 4}])
    Organization.objects.filter(pk=net.dealer_b.pk).update(segments=["education", "retail"])
    run_all()
    assert tier_of(net.dealer_b) == "Edu Partner" and net.dealer_b.tier_step == 4
    assert tier_of(net.dealer_a) == "Bronze"
    assert PartnerTier.objects.get(partner=net.dealer_b).program.name == "교육 시장"


def test_recomputing_one_partner_applies_its_upgrade_and_leaves_the_others(net: factories.Network) -> None:
    data.program()
    run_all()
    data.sale(net.dealer_a, net.seoul_distributor, 1_000_000)
    data.sale(net.dealer_b, net.seoul_distributor, 1_000_000)
    tiers_recompute_partners(partner_ids=[net.dealer_a.pk])
    assert tier_of(net.dealer_a) == "Silver"
    assert tier_of(net.dealer_b) == "Bronze"


def test_the_explanation_says_exactly_what_the_next_tier_takes(net: factories.Network) -> None:
    data.program(review_months=3)
    data.sale(net.dealer_a, net.seoul_distributor, 1_600_000)
    data.customer_order(net.dealer_a)
    run_all()
    progress = tier_progress(net.dealer_a)
    assert progress is not None
    assert progress.tier is not None and progress.tier.name == "Silver"
    assert progress.next_tier is not None and progress.next_tier.name == "Gold"
    texts = [need.text for need in progress.needs]
    assert texts == ["₩3,400,000 more sales", "2 more customer orders won", "2 more certifications"]
    assert progress.by == period_end(timezone.localdate(), 3)
    assert "Credit limit up to ₩3,000,000" in progress.benefits
    # figures are live: a certificate counts before the next run
    data.certificate(net.dealer_a, net.dealer_a_user)
    progress = tier_progress(net.dealer_a)
    assert progress is not None
    assert [need.key for need in progress.needs] == ["sales", "won", "certs"]
    assert progress.needs[2].text == "1 more certification"


def test_review_periods_end_on_the_last_day_of_the_period() -> None:
    assert period_end(dt.date(2027, 2, 10), 3) == dt.date(2027, 3, 31)
    assert period_end(dt.date(2027, 12, 1), 3) == dt.date(2027, 12, 31)
    assert period_end(dt.date(2027, 7, 1), 6) == dt.date(2027, 12, 31)
    assert period_end(dt.date(2027, 2, 28), 1) == dt.date(2027, 2, 28)
    assert period_end(dt.date(2027, 1, 5), 12) == dt.date(2027, 12, 31)
    # a period that does not tile the year still ends ahead of today, in the next year if need be
    for months in range(1, 13):
        for month in range(1, 13):
            today = dt.date(2026, month, 5)
            assert period_end(today, months) >= today, (months, month)
    assert period_end(dt.date(2026, 12, 5), 7) == dt.date(2027, 2, 28)


def test_the_program_form_offers_only_periods_that_tile_the_year() -> None:
    from rewards.forms.tiers import ProgramForm

    data = {"name": "P", "kind": "dealer", "segment": "", "priority": 1, "window_days": 365, "grace_days": 0}
    assert not ProgramForm(data={**data, "review_months": "7"}).is_valid()
    form = ProgramForm(data={**data, "review_months": "6"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["review_months"] == 6


def test_a_partner_moving_to_another_program_keeps_its_tier_and_moves_only_if_it_changed(
        net: factories.Network) -> None:
    from rewards.models import TierProgram
    from rewards.models.tiers import ProgramStatus
    from rewards.services.tiers import program_archive

    general = data.program(name="일반", priority=100)
    data.sale(net.dealer_a, net.seoul_distributor, 1_200_000)
    run_all()
    assert tier_of(net.dealer_a) == "Silver" and tier_of(net.dealer_b) == "Bronze"
    before = TierChange.objects.count()
    notices = Notification.objects.filter(kind__startswith="tier.").count()
    # a new program with the same tiers and a higher priority takes every dealer: nobody moved
    newer = data.program(name="2027", priority=10)
    run = run_all()
    assert run.upgraded == 0 and run.downgraded == 0 and run.grace_started == 0
    assert TierChange.objects.count() == before
    assert Notification.objects.filter(kind__startswith="tier.").count() == notices
    assert PartnerTier.objects.get(partner=net.dealer_a).program == newer
    # archiving it sends them back to the first: still nobody moves
    program_archive(actor=Actor.system(), program=newer)
    run = run_all()
    assert TierProgram.objects.get(pk=newer.pk).status == ProgramStatus.ARCHIVED
    assert (run.upgraded, run.downgraded) == (0, 0) and TierChange.objects.count() == before
    assert tier_of(net.dealer_a) == "Silver" and PartnerTier.objects.get(partner=net.dealer_a).program == general
    # a stricter program with other names: a lower level waits out the grace period, as within a program
    data.program(name="엄격", priority=5, tiers=[{"name": "Basic", "rank": 1},
                                                 {"name": "Plus", "rank": 2, "min_sales": Decimal(9_000_000)}])
    run_all()
    assert tier_of(net.dealer_a) == "Silver"  # kept during grace
    standing = PartnerTier.objects.get(partner=net.dealer_a)
    assert standing.pending_tier is not None and standing.pending_tier.name == "Basic"
    assert standing.downgrade_due is not None
    assert tier_of(net.dealer_b) == "Basic"  # Bronze → Basic: the same level, taken at once
    assert TierChange.objects.filter(partner=net.dealer_b, from_name="Bronze", to_name="Basic").exists()


def test_archiving_the_only_program_ends_the_tiers_and_says_so(net: factories.Network) -> None:
    from rewards.services.tiers import program_archive

    only = data.program()
    data.sale(net.dealer_a, net.seoul_distributor, 1_200_000)
    run_all()
    program_archive(actor=Actor.system(), program=only)
    run_all()
    assert tier_of(net.dealer_a) == "" and net.dealer_a.tier_credit_limit is None
    assert not PartnerTier.objects.filter(partner=net.dealer_a).exists()
    change = TierChange.objects.filter(partner=net.dealer_a).latest("id")
    assert (change.direction, change.from_name, change.to_name) == ("down", "Silver", "")
    assert Notification.objects.filter(user=net.dealer_a_user, kind="tier.down").exists()
