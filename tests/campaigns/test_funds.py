"""Marketing funds: a partner proposes, HQ approves all or part or rejects saying why, the partner claims after the
activity and before the deadline, HQ accepts and pays. Money never runs past a decision, even when a claim is
written behind the services' back (the database's triggers and CHECK constraints)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from campaigns.models import FundClaim, FundFile, FundPayment, FundPlan
from campaigns.services import funds as services
from partners.choices import Role
from prm.core.errors import NotAllowed, ServiceError
from prm.core.models import AuditEvent, Notification
from purchasing.models import AccountEntry
from tests import factories
from tests.campaigns import make
from tests.conftest import tenant_client


def test_a_dealer_proposes_a_plan_and_hq_is_told(net):
    plan = make.plan(net.dealer_a_user, amount="₩3,000,000", files=[make.pdf("견적서.pdf")])
    assert (plan.status, plan.requested_amount, plan.partner_id) == ("submitted", Decimal(3_000_000), net.dealer_a.pk)
    assert FundFile.objects.get(plan=plan).name == "견적서.pdf"
    told = Notification.objects.get(user=net.hq_admin, kind="fund.plan_proposed")
    assert told.text() == f"{net.dealer_a.name} asks for ₩3,000,000 of marketing funds: 지역 신문 광고."
    assert told.url == f"/hq/funds/plans/{plan.pk}/"
    assert AuditEvent.objects.filter(action="fund.plan_propose", object_id=str(plan.pk)).exists()


def test_hq_approves_part_of_a_plan_and_the_dealer_is_told_with_its_deadline(net):
    plan = make.plan(net.dealer_a_user, amount="3,000,000")
    approved = services.plan_approve(actor=make.actor(net.hq_admin), plan=plan, approved_amount="2,000,000")
    assert approved.status == "approved" and approved.approved_amount == Decimal(2_000_000)
    assert approved.claim_deadline == plan.ends_on + dt.timedelta(days=services.claim_days())
    assert approved.remaining == Decimal(2_000_000)
    told = Notification.objects.get(user=net.dealer_a_user, kind="fund.plan_approved")
    assert told.text() == (f"HQ approved ₩2,000,000 of the ₩3,000,000 you asked for 지역 신문 광고. Claim by "
                           f"{approved.claim_deadline.isoformat()}.")
    audit = AuditEvent.objects.get(action="fund.plan_approve", object_id=str(plan.pk))
    assert audit.data["amount"] == "2000000" and audit.user == net.hq_admin


def test_hq_cannot_approve_more_than_was_asked_nor_decide_twice(net):
    plan = make.plan(net.dealer_a_user, amount="1,000,000")
    hq = make.actor(net.hq_admin)
    with pytest.raises(ValidationError) as refused:
        services.plan_approve(actor=hq, plan=plan, approved_amount="1,000,001")
    assert "approved_amount" in refused.value.message_dict
    services.plan_approve(actor=hq, plan=plan, approved_amount="1,000,000")
    with pytest.raises(ServiceError, match="already decided"):
        services.plan_reject(actor=hq, plan=plan, reason="늦게 본 거절")
    plan.refresh_from_db()
    assert plan.status == "approved"


def test_rejecting_a_plan_needs_a_reason_the_dealer_reads(net):
    plan = make.plan(net.dealer_a_user)
    hq = make.actor(net.hq_admin)
    for blank in ("", "   ", "\x00"):
        with pytest.raises(ValidationError) as refused:
            services.plan_reject(actor=hq, plan=plan, reason=blank)
        assert "reason" in refused.value.message_dict
    plan.refresh_from_db()
    assert plan.status == "submitted"
    services.plan_reject(actor=hq, plan=plan, reason="예산 소진")
    plan.refresh_from_db()
    assert (plan.status, plan.decision_reason) == ("rejected", "예산 소진")
    told = Notification.objects.get(user=net.dealer_a_user, kind="fund.plan_rejected")
    assert told.text() == "HQ rejected your plan 지역 신문 광고: 예산 소진"


def test_a_claim_above_what_is_left_is_refused_naming_the_amount(net):
    plan = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="2,000,000"))
    make.claim(net.dealer_a_user, plan, "1,500,000")
    with pytest.raises(ValidationError) as refused:
        make.claim(net.dealer_a_user, plan, "500,001")
    assert refused.value.message_dict["amount"] == [
        "You can claim at most ₩500,000 on this plan: ₩2,000,000 approved, ₩1,500,000 taken by your claims "
        "waiting for HQ or accepted."]
    make.claim(net.dealer_a_user, plan, "500,000")
    plan.refresh_from_db()
    assert (plan.claimed_total, plan.remaining) == (Decimal(2_000_000), Decimal(0))
    assert FundClaim.objects.filter(plan=plan).count() == 2


def test_a_claim_before_the_activity_ends_or_after_the_deadline_is_refused(net):
    plan = make.approved_plan(net.dealer_a_user, net.hq_admin)
    with pytest.raises(ServiceError, match="once the activity is over"):
        make.claim(net.dealer_a_user, plan, "100,000")
    plan = make.activity_over(plan, days_ago=10)
    FundPlan.objects.filter(pk=plan.pk).update(claim_deadline=make.today() - dt.timedelta(days=1))
    plan.refresh_from_db()
    with pytest.raises(ServiceError, match="deadline to claim this plan was"):
        make.claim(net.dealer_a_user, plan, "100,000")
    assert not FundClaim.objects.filter(plan=plan).exists()
    # on the deadline itself it is still on time
    FundPlan.objects.filter(pk=plan.pk).update(claim_deadline=make.today())
    plan.refresh_from_db()
    make.claim(net.dealer_a_user, plan, "100,000")


def test_only_an_approved_plan_of_ones_own_is_claimed(net):
    waiting = make.activity_over(make.plan(net.dealer_a_user))
    with pytest.raises(ServiceError, match="Only an approved plan"):
        make.claim(net.dealer_a_user, waiting, "100,000")
    theirs = make.activity_over(make.approved_plan(net.dealer_b_user, net.hq_admin))
    with pytest.raises(ServiceError, match="not yours"):
        make.claim(net.dealer_a_user, theirs, "100,000")


def test_hq_accepts_part_of_a_claim_and_the_rest_can_be_claimed_again(net):
    plan = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="2,000,000"))
    claim = make.claim(net.dealer_a_user, plan, "2,000,000")
    services.claim_approve(actor=make.actor(net.hq_admin), claim=claim, approved_amount="1,200,000")
    plan.refresh_from_db()
    assert (plan.claimed_total, plan.accepted_total, plan.remaining) == (
        Decimal(1_200_000), Decimal(1_200_000), Decimal(800_000))
    assert Notification.objects.get(user=net.dealer_a_user, kind="fund.claim_approved").text() == (
        "HQ accepted ₩1,200,000 of your ₩2,000,000 claim for 지역 신문 광고.")
    with pytest.raises(ValidationError) as refused:
        services.claim_approve(actor=make.actor(net.hq_admin), claim=make.claim(net.dealer_a_user, plan, "800,000"),
                               approved_amount="900,000")
    assert "approved_amount" in refused.value.message_dict


def test_a_rejected_claim_needs_a_reason_and_frees_its_amount(net):
    plan = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="1,000,000"))
    claim = make.claim(net.dealer_a_user, plan, "1,000,000")
    with pytest.raises(ValidationError) as refused:
        services.claim_reject(actor=make.actor(net.hq_admin), claim=claim, reason=" ")
    assert "reason" in refused.value.message_dict
    services.claim_reject(actor=make.actor(net.hq_admin), claim=claim, reason="증빙 부족")
    plan.refresh_from_db()
    assert (plan.claimed_total, plan.remaining) == (Decimal(0), Decimal(1_000_000))
    assert "증빙 부족" in Notification.objects.get(user=net.dealer_a_user, kind="fund.claim_rejected").text()


def test_hq_pays_an_accepted_claim_in_two_payments_then_it_is_paid(net):
    plan = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="1,000,000"))
    claim = services.claim_approve(actor=make.actor(net.hq_admin), claim=make.claim(net.dealer_a_user, plan,
                                                                                    "1,000,000"))
    hq = make.actor(net.hq_admin)
    services.payment_record(actor=hq, claim=claim, amount_paid="600,000", paid_on=make.today(), reference="TR-1")
    with pytest.raises(ValidationError) as refused:
        services.payment_record(actor=hq, claim=claim, amount_paid="400,001", paid_on=make.today())
    assert refused.value.message_dict["amount"] == ["Pay at most the ₩400,000 left on this claim."]
    services.payment_record(actor=hq, claim=claim, amount_paid="400,000", paid_on=make.today(), reference="TR-2")
    claim.refresh_from_db()
    plan.refresh_from_db()
    assert (claim.status, claim.paid_amount, plan.paid_total) == ("paid", Decimal(1_000_000), Decimal(1_000_000))
    with pytest.raises(ServiceError, match="paid in full"):
        services.payment_record(actor=hq, claim=claim, amount_paid="1", paid_on=make.today())
    assert Notification.objects.filter(user=net.dealer_a_user, kind="fund.paid").count() == 2


def test_a_payment_as_a_credit_note_credits_the_partners_account_with_hq(net):
    plan = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="500,000"))
    claim = services.claim_approve(actor=make.actor(net.hq_admin), claim=make.claim(net.dealer_a_user, plan,
                                                                                    "500,000"))
    payment = services.payment_record(actor=make.actor(net.hq_admin), claim=claim, amount_paid="500,000",
                                      paid_on=make.today(), method="credit_note")
    entry = AccountEntry.objects.get(pk=payment.credit_note_id)
    assert (entry.buyer_id, entry.supplier_id, entry.kind, entry.amount) == (
        net.dealer_a.pk, net.hq.pk, "credit_note", Decimal(-500_000))
    assert entry.reference.startswith(f"MDF/C{claim.pk}")


def test_a_payment_in_the_future_or_by_a_channel_manager_is_refused(net):
    plan = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="500,000"))
    claim = services.claim_approve(actor=make.actor(net.hq_admin), claim=make.claim(net.dealer_a_user, plan,
                                                                                    "500,000"))
    with pytest.raises(ValidationError) as refused:
        services.payment_record(actor=make.actor(net.hq_admin), claim=claim, amount_paid="500,000",
                                paid_on=make.today() + dt.timedelta(days=1))
    assert "paid_on" in refused.value.message_dict
    manager = factories.member(net.hq, Role.HQ_CHANNEL_MANAGER)
    with pytest.raises(NotAllowed):
        services.payment_record(actor=make.actor(manager), claim=claim, amount_paid="500,000", paid_on=make.today())
    assert not FundPayment.objects.exists()


def test_the_database_refuses_a_claim_above_the_approval_written_behind_the_services_back(net):
    plan = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="1,000,000"))
    FundClaim.objects.create(plan=plan, amount=Decimal(700_000), figures="직접")
    with pytest.raises(IntegrityError), transaction.atomic():
        FundClaim.objects.create(plan=plan, amount=Decimal(300_001), figures="직접")
    plan.refresh_from_db()
    assert plan.claimed_total == Decimal(700_000)
    # nor can a claim on a plan HQ has not approved hold anything
    waiting = make.plan(net.dealer_a_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundClaim.objects.create(plan=waiting, amount=Decimal(1), figures="직접")


def test_the_database_refuses_paying_more_than_was_accepted_and_keeps_payments(net):
    plan = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="1,000,000"))
    claim = services.claim_approve(actor=make.actor(net.hq_admin), claim=make.claim(net.dealer_a_user, plan,
                                                                                    "400,000"))
    with pytest.raises(IntegrityError), transaction.atomic():
        FundPayment.objects.create(claim=claim, amount=Decimal(400_001), paid_on=make.today())
    payment = FundPayment.objects.create(claim=claim, amount=Decimal(400_000), paid_on=make.today())
    with pytest.raises(DatabaseError), transaction.atomic():
        FundPayment.objects.filter(pk=payment.pk).update(amount=Decimal(1))
    with pytest.raises(DatabaseError), transaction.atomic():
        FundPayment.objects.filter(pk=payment.pk).delete()
    plan.refresh_from_db()
    assert plan.paid_total == Decimal(400_000)


def test_a_dealer_withdraws_a_waiting_plan_but_not_a_decided_one(net):
    plan = make.plan(net.dealer_a_user)
    services.plan_withdraw(actor=make.actor(net.dealer_a_user), plan=plan)
    plan.refresh_from_db()
    assert plan.status == "withdrawn"
    decided = make.approved_plan(net.dealer_a_user, net.hq_admin)
    with pytest.raises(ServiceError, match="already decided"):
        services.plan_withdraw(actor=make.actor(net.dealer_a_user), plan=decided)


def test_dealer_staff_read_the_plans_but_only_the_admin_asks_for_money(acme, net):
    staff = factories.member(net.dealer_a, Role.DEALER_STAFF)
    plan = make.plan(net.dealer_a_user)
    client = tenant_client(acme, staff)
    assert client.get("/funds/").status_code == 200
    assert client.get(f"/funds/{plan.pk}/").status_code == 200
    assert client.get("/funds/new/").status_code == 403
    assert client.post("/funds/new/", {"kind": "sales"}).status_code == 403
    with pytest.raises(NotAllowed):
        make.plan(staff)


def test_the_whole_flow_through_the_pages(acme, net):
    dealer = tenant_client(acme, net.dealer_a_user)
    hq = tenant_client(acme, net.hq_admin)
    start = make.today() + dt.timedelta(days=2)
    response = dealer.post("/funds/new/", {
        "kind": "advertising", "title": "전단지 배포", "description": "강남역 전단 5천 부",
        "starts_on": start.isoformat(), "ends_on": (start + dt.timedelta(days=6)).isoformat(),
        "requested_amount": "1,500,000", "attachments": [make.pdf("시안.pdf")]})
    plan = FundPlan.objects.get(title="전단지 배포")
    assert response.status_code == 302 and response["Location"] == f"/funds/{plan.pk}/"
    assert "전단지 배포" in hq.get("/hq/funds/").content.decode()
    page = hq.get(f"/hq/funds/plans/{plan.pk}/").content.decode()
    assert 'value="1,500,000"' in page  # the approval form offers what was asked
    response = hq.post(f"/hq/funds/plans/{plan.pk}/approve/", {"approved_amount": "1,000,000", "note": "절반 승인"})
    assert response.status_code == 302
    mine = dealer.get("/funds/").content.decode()
    assert "₩1,000,000" in mine and "₩1,500,000" in mine
    plan = make.activity_over(FundPlan.objects.get(pk=plan.pk))
    response = dealer.post(f"/funds/{plan.pk}/claim/", {"amount": "900,000", "figures": "배포 완료, 문의 12건",
                                                        "attachments": [make.pdf("영수증.pdf")]})
    assert response.status_code == 302
    claim = FundClaim.objects.get(plan=plan)
    assert FundFile.objects.get(claim=claim).name == "영수증.pdf"
    assert hq.post(f"/hq/funds/claims/{claim.pk}/approve/", {f"c{claim.pk}-approved_amount": ""}).status_code == 302
    response = hq.post(f"/hq/funds/claims/{claim.pk}/pay/", {
        f"p{claim.pk}-amount": "900,000", f"p{claim.pk}-paid_on": make.today().isoformat(),
        f"p{claim.pk}-method": "transfer", f"p{claim.pk}-reference": "이체 0001"})
    assert response.status_code == 302
    page = dealer.get(f"/funds/{plan.pk}/").content.decode()
    assert "Paid" in page and "이체 0001" in page
    balances = hq.get("/hq/funds/balances/").content.decode()
    assert net.dealer_a.name in balances and "₩900,000" in balances


def test_a_page_refusal_names_the_field_and_keeps_what_was_typed(acme, net):
    plan = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="1,000,000"))
    dealer = tenant_client(acme, net.dealer_a_user)
    response = dealer.post(f"/funds/{plan.pk}/claim/", {"amount": "1,000,001", "figures": "다 썼음"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "You can claim at most ₩1,000,000 on this plan" in page and "다 썼음" in page
    assert not FundClaim.objects.exists()
    hq = tenant_client(acme, net.hq_admin)
    waiting = make.plan(net.dealer_b_user)
    response = hq.post(f"/hq/funds/plans/{waiting.pk}/reject/", {"reason": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "submitted"


def test_the_tier_marketing_fund_share_is_shown_with_what_is_left_of_it(acme, net):
    from campaigns.selectors.funds import tier_allowance
    from rewards.models import TierRun
    from rewards.services.tiers import tiers_run
    from tests.rewards import tiers_data

    tiers_data.program(tiers=[{"name": "Bronze", "rank": 1},
                              {"name": "Gold", "rank": 2, "min_sales": Decimal(10_000_000), "mdf_share": Decimal(5)}])
    tiers_data.sale(net.dealer_a, net.seoul_distributor, 40_000_000)
    tiers_run(run=TierRun.objects.create())
    assert tier_allowance(net.dealer_b) is None  # Bronze gives no share
    plan = make.plan(net.dealer_a_user, amount="1,500,000")
    services.plan_approve(actor=make.actor(net.hq_admin), plan=plan, approved_amount="500,000")
    allowance = tier_allowance(net.dealer_a)
    assert allowance is not None
    assert (allowance.tier, allowance.entitled, allowance.approved, allowance.left) == (
        "Gold", Decimal(2_000_000), Decimal(500_000), Decimal(1_500_000))
    for client, url in ((tenant_client(acme, net.hq_admin), f"/hq/funds/plans/{plan.pk}/"),
                        (tenant_client(acme, net.dealer_a_user), "/funds/")):
        page = client.get(url).content.decode()
        assert 'data-testid="tier-allowance"' in page and "2,000,000" in page and "1,500,000" in page
    assert 'data-testid="tier-allowance"' not in tenant_client(acme, net.dealer_b_user).get("/funds/").content.decode()


def _figure(page: str, testid: str) -> str:
    """The text of the (first) element with ``data-testid`` on a page, its <strong> unwrapped."""
    found = re.search(rf'data-testid="{testid}"[^>]*>(?:<strong>)?([^<]*)', page)
    assert found is not None, testid
    return found.group(1)


def test_what_was_not_claimed_by_the_deadline_lapses_and_is_not_left_to_claim(acme, net):
    from campaigns.selectors.funds import fund_summary, fund_totals

    late = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="2,000,000"), days_ago=30)
    claim = make.claim(net.dealer_a_user, late, "1,800,000")
    services.claim_approve(actor=make.actor(net.hq_admin), claim=claim)
    deadline = make.today() - dt.timedelta(days=1)
    FundPlan.objects.filter(pk=late.pk).update(claim_deadline=deadline)
    open_plan = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="500,000",
                                                      title="전단지"))
    late.refresh_from_db()
    assert (late.remaining, late.lapsed) == (Decimal(0), Decimal(200_000))

    summary = fund_summary(net.dealer_a)
    assert (summary.approved, summary.remaining, summary.lapsed) == (
        Decimal(2_500_000), Decimal(500_000), Decimal(200_000))
    totals = fund_totals(make.actor(net.hq_admin))
    assert (totals.remaining, totals.lapsed) == (Decimal(500_000), Decimal(200_000))

    dealer = tenant_client(acme, net.dealer_a_user)
    page = dealer.get(f"/funds/{late.pk}/").content.decode()
    assert 'data-testid="remaining"' not in page and "Claim by" not in page
    assert _figure(page, "lapsed") == "₩200,000"
    assert _figure(page, "claim-deadline") == f"The deadline to claim passed on {deadline.isoformat()}."
    assert 'data-testid="claim-form"' not in page
    page = dealer.get(f"/funds/{open_plan.pk}/").content.decode()
    assert _figure(page, "remaining") == "₩500,000" and 'data-testid="lapsed"' not in page
    assert _figure(page, "claim-deadline").startswith("Claim by ")
    page = dealer.get("/funds/").content.decode()
    assert (_figure(page, "summary-remaining"), _figure(page, "summary-lapsed")) == ("₩500,000", "₩200,000")

    hq = tenant_client(acme, net.hq_admin)
    page = hq.get("/hq/funds/balances/").content.decode()
    assert (_figure(page, "balance-remaining"), _figure(page, "balance-lapsed")) == ("₩500,000", "₩200,000")
    assert _figure(page, "summary-remaining") == "₩500,000"
    page = hq.get("/hq/funds/").content.decode()
    assert (_figure(page, "summary-remaining"), _figure(page, "summary-lapsed")) == ("₩500,000", "₩200,000")
    page = hq.get(f"/hq/funds/plans/{late.pk}/").content.decode()
    assert "Claim by" not in page and f"The deadline to claim passed on {deadline.isoformat()}." in page


def test_claimed_is_what_the_partner_claimed_and_accepted_what_hq_accepted_on_every_page(acme, net):
    from campaigns.selectors.funds import fund_summary

    plan = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="2,000,000"))
    hq_actor = make.actor(net.hq_admin)
    services.claim_approve(actor=hq_actor, claim=make.claim(net.dealer_a_user, plan, "1,000,000"))
    services.claim_approve(actor=hq_actor, claim=make.claim(net.dealer_a_user, plan, "500,000"),
                           approved_amount="300,000")
    services.claim_reject(actor=hq_actor, claim=make.claim(net.dealer_a_user, plan, "100,000"), reason="중복")
    plan.refresh_from_db()
    # the trigger-kept total is what the claims hold against the approval (accepted ones by what HQ accepted)
    assert (plan.claimed_total, plan.accepted_total, plan.remaining) == (
        Decimal(1_300_000), Decimal(1_300_000), Decimal(700_000))
    summary = fund_summary(net.dealer_a)
    assert (summary.claimed, summary.accepted, summary.remaining) == (
        Decimal(1_500_000), Decimal(1_300_000), Decimal(700_000))

    dealer, hq = tenant_client(acme, net.dealer_a_user), tenant_client(acme, net.hq_admin)
    for page in (dealer.get(f"/funds/{plan.pk}/").content.decode(),
                 hq.get(f"/hq/funds/plans/{plan.pk}/").content.decode()):
        assert (_figure(page, "requested"), _figure(page, "claimed"), _figure(page, "accepted"),
                _figure(page, "remaining")) == ("₩3,000,000", "₩1,500,000", "₩1,300,000", "₩700,000")
        assert "Asked for" not in page
    page = dealer.get("/funds/").content.decode()
    assert (_figure(page, "summary-claimed"), _figure(page, "summary-accepted")) == ("₩1,500,000", "₩1,300,000")
    assert (_figure(page, "plan-claimed"), _figure(page, "plan-accepted")) == ("₩1,500,000", "₩1,300,000")
    page = hq.get("/hq/funds/balances/").content.decode()
    assert (_figure(page, "balance-claimed"), _figure(page, "balance-accepted")) == ("₩1,500,000", "₩1,300,000")
    assert _figure(page, "summary-claimed") == "₩1,500,000"


def test_fund_notifications_show_amounts_in_won(net):
    plan = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="1,000,000"))
    hq = make.actor(net.hq_admin)
    accepted = services.claim_approve(actor=hq, claim=make.claim(net.dealer_a_user, plan, "600,000"),
                                      approved_amount="500,000")
    services.claim_reject(actor=hq, claim=make.claim(net.dealer_a_user, plan, "100,000"), reason="증빙 부족")
    services.payment_record(actor=hq, claim=accepted, amount_paid="500,000", paid_on=make.today())
    texts = {n.kind: n.text() for n in Notification.objects.filter(kind__startswith="fund.").order_by("id")}
    assert texts["fund.claim_submitted"] == f"{net.dealer_a.name} claims ₩100,000 for 지역 신문 광고."
    assert texts["fund.claim_approved"] == "HQ accepted ₩500,000 of your ₩600,000 claim for 지역 신문 광고."
    assert texts["fund.claim_rejected"] == "HQ rejected your ₩100,000 claim for 지역 신문 광고: 증빙 부족"
    assert texts["fund.paid"] == f"HQ paid ₩500,000 on {make.today().isoformat()} for 지역 신문 광고."
