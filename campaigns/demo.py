"""The demo's campaigns and marketing funds (invented, like everything in the demo): a running summer campaign for
dealers with its brochure, joined by the demo dealer and a few others, a draft for the autumn, and plans at each
step: one waiting for HQ, one approved in part whose activity is over and claimed (HQ has a claim to decide), and
the Seoul distributor's approved plan paid as a credit note. Written through the services, so the partners are
told through the notices like any other publication."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.models import Campaign, FundPlan
from partners.models import Organization


def _pdf(name: str, lines: list[str]) -> SimpleUploadedFile:
    from announcements.demo import pdf_bytes

    return SimpleUploadedFile(name, pdf_bytes(lines), "application/pdf")


def _actor(email: str) -> Any:
    from prm.accounts.models import User
    from prm.core.actor import actor_for

    user = User.objects.filter(email=email).first()
    return actor_for(user) if user is not None else None


def _over(plan: FundPlan, *, days_ago: int) -> FundPlan:
    """Demo data only: move an approved plan's activity into the past so that it can be claimed now."""
    length = plan.ends_on - plan.starts_on
    end = timezone.localdate() - dt.timedelta(days=days_ago)
    FundPlan.objects.filter(pk=plan.pk).update(starts_on=end - length, ends_on=end)
    plan.refresh_from_db()
    return plan


def seed_demo(*, stdout: Any, distributor_number: str) -> None:
    from campaigns.services import campaigns as campaign_services
    from campaigns.services import funds as fund_services
    from catalog.models import Product
    from partners.choices import OrgKind
    from prm.core.actor import Actor

    if Campaign.objects.exists():
        return
    hq = _actor("hq@demo.example")
    dealer = _actor("dealer@demo.example")
    if hq is None or dealer is None:
        stdout.write("Campaigns: skipped (the demo's HQ or dealer login is missing)")
        return
    today = timezone.localdate()
    products = list(Product.objects.filter(kind="product").exclude(status="discontinued").order_by("sku")[:3])
    summer = campaign_services.campaign_save(
        actor=hq, title="여름 인버터 에어컨 캠페인",
        description="무더위 성수기를 맞아 인버터 에어컨 판매를 함께 늘립니다. 매장 전시, 지역 광고, 설치 상담회를 "
                    "계획하는 딜러는 마케팅 지원금을 신청하세요.",
        offer="캠페인 기간 중 대상 모델 대당 5만원 추가 지원, 매장 POP 물품 무상 제공",
        products=products, kinds=[OrgKind.DEALER], starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=45), budget="30,000,000")
    campaign_services.material_add(actor=hq, campaign=summer, title="캠페인 안내 브로셔",
                                   file=_pdf("summer-campaign.pdf", ["Summer inverter campaign",
                                                                    "Extra support per unit sold",
                                                                    "Free in-store displays"]))
    summer = campaign_services.campaign_publish(actor=hq, campaign=summer)
    campaign_services.campaign_save(
        actor=hq, title="가을 신제품 사전 예약 캠페인", description="가을 출시 모델 사전 예약 판매 (준비 중).",
        offer="사전 예약 고객 설치비 무료", kinds=[OrgKind.DEALER, OrgKind.DISTRIBUTOR],
        starts_on=today + dt.timedelta(days=30), ends_on=today + dt.timedelta(days=75), budget="20,000,000")

    campaign_services.participation_join(actor=dealer, campaign=summer)
    others = (Organization.objects.filter(kind=OrgKind.DEALER, status="active", memberships__is_active=True)
              .exclude(pk=dealer.organization.pk).distinct().order_by("pk")[:4])
    for org in others:
        membership = org.memberships.filter(is_active=True).select_related("user", "organization").first()
        if membership is not None:
            campaign_services.participation_join(actor=Actor.from_membership(membership), campaign=summer)

    # the demo dealer: a plan for the campaign waiting for HQ, and an earlier one approved in part and claimed
    fund_services.plan_propose(
        actor=dealer, kind="advertising", title="지역 버스 정류장 광고", campaign=summer,
        description="매장 인근 버스 정류장 3곳에 4주간 인버터 에어컨 광고를 게시합니다. 문의 40건, 판매 10대 목표.",
        starts_on=today + dt.timedelta(days=3), ends_on=today + dt.timedelta(days=31), requested_amount="2,400,000")
    earlier = fund_services.plan_propose(
        actor=dealer, kind="sales", title="매장 설치 상담회", campaign=summer,
        description="주말 이틀간 매장에서 설치 상담회를 엽니다. 현장 계약 시 설치비 할인.",
        starts_on=today + dt.timedelta(days=1), ends_on=today + dt.timedelta(days=2), requested_amount="1,500,000")
    earlier = fund_services.plan_approve(actor=hq, plan=earlier, approved_amount="1,200,000",
                                         note="현수막과 다과 비용 위주로 승인합니다.")
    earlier = _over(earlier, days_ago=3)
    fund_services.claim_submit(actor=dealer, plan=earlier, amount_claimed="1,100,000",
                               figures="이틀간 방문 64팀, 상담 38건, 현장 계약 9건.",
                               files=[_pdf("receipts.pdf", ["Banner 450,000", "Refreshments 650,000"])])

    # the Seoul distributor: an approved plan, claimed, accepted and paid as a credit note on its account
    distributor = _actor(f"admin@{distributor_number}.demo.example")
    if distributor is not None:
        plan = fund_services.plan_propose(
            actor=distributor, kind="sales", title="딜러 대상 판매 교육 행사",
            description="서울 지역 딜러 30곳을 초청해 신제품 판매 교육을 엽니다.",
            starts_on=today + dt.timedelta(days=1), ends_on=today + dt.timedelta(days=1),
            requested_amount="3,000,000")
        plan = _over(fund_services.plan_approve(actor=hq, plan=plan, approved_amount="3,000,000"), days_ago=10)
        claim = fund_services.claim_submit(actor=distributor, plan=plan, amount_claimed="2,800,000",
                                           figures="딜러 27곳 참석, 교육 후 주문 14건.")
        claim = fund_services.claim_approve(actor=hq, claim=claim)
        fund_services.payment_record(actor=hq, claim=claim, amount_paid="2,800,000", paid_on=today,
                                     reference="MDF 지급", method="credit_note")
    stdout.write(f"Campaigns: {Campaign.objects.count()} (one running, joined by "
                 f"{summer.participations.count()} dealers); {FundPlan.objects.count()} marketing fund plans")
