"""Marketing fund pages. A partner: its plans with what is approved, claimed, paid and left; proposing a plan;
claiming after the activity. HQ: the queue of plans and claims to decide and claims to pay, one plan with its
decisions, and every partner's fund balance.

Every object comes through a selector (another partner's plan, claim or file is a 404); every write is one
service, whose refusal comes back on the form (naming the field) or as a message, never a 500."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import permissions
from campaigns.choices import CampaignStatus, PlanStatus
from campaigns.forms import (
    ApproveClaimForm,
    ApprovePlanForm,
    BalanceSearchForm,
    ClaimForm,
    PaymentForm,
    PlanForm,
    RejectForm,
)
from campaigns.models import Campaign, FundClaim, FundPlan
from campaigns.selectors import campaigns as campaign_selectors
from campaigns.selectors import funds as selectors
from campaigns.services import funds as services
from prm.core.actor import Actor
from prm.core.errors import ServiceError
from prm.core.files import serve, stored_kind
from prm.core.forms import add_service_errors
from prm.core.roles import OrgKind
from prm.portals.access import portal_required

PARTNERS = (OrgKind.DEALER, OrgKind.DISTRIBUTOR)
EVERYONE = (*PARTNERS, OrgKind.HQ)
PER_PAGE = 25


def _may(actor: Actor, action: str) -> None:
    if not permissions.can(actor, action):
        raise PermissionDenied(_("Your role can't do this. Ask an administrator of your organisation."))


def _service(form: Form, call: Any) -> Any:
    """Run one service; its refusal goes on the form (on the field it names). Returns None when refused."""
    try:
        return call()
    except ValidationError as exc:
        add_service_errors(form, exc)
    except ServiceError as exc:
        form.add_error(None, exc.message)
    return None


# --- partners --------------------------------------------------------------------------------------------------


def _joined_campaigns(actor: Actor) -> Any:
    return Campaign.objects.filter(
        status=CampaignStatus.PUBLISHED, participations__partner_id=actor.organization_id,
        participations__withdrawn_at__isnull=True).order_by("-starts_on", "-id")


@portal_required(*PARTNERS)
def fund_plans(request: HttpRequest) -> HttpResponse:
    """The partner's plans, each with requested / approved / claimed / accepted / paid / left to claim (or lapsed),
    and its totals."""
    actor = request.actor  # type: ignore[attr-defined]
    plans = selectors.with_claimed(selectors.plan_visible_to(actor))
    page = Paginator(plans, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "campaigns/fund_plan_list.html", {
        "page": page, "summary": selectors.fund_summary(actor.organization),
        "allowance": selectors.tier_allowance(actor.organization),
        "can_propose": permissions.can(actor, "fund.propose")})


@portal_required(*PARTNERS)
def fund_plan_new(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    _may(actor, "fund.propose")
    joined = _joined_campaigns(actor)
    initial: dict[str, Any] = {}
    wanted = request.GET.get("campaign", "")
    if wanted.isascii() and wanted.isdigit() and len(wanted) < 19:
        initial["campaign"] = joined.filter(pk=int(wanted)).first()
    form = PlanForm(request.POST or None, request.FILES or None, campaigns=joined, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = _service(form, lambda: services.plan_propose(
            actor=actor, kind=data["kind"], title=data["title"], description=data["description"],
            starts_on=data["starts_on"], ends_on=data["ends_on"], requested_amount=data["requested_amount"],
            campaign=data["campaign"], files=data["attachments"]))
        if plan is not None:
            messages.success(request, _("Your plan “%(title)s” is sent to HQ. You will be told of its decision.")
                             % {"title": plan.title})
            return redirect("portals:fund_plan", pk=plan.pk)
    return render(request, "campaigns/fund_plan_form.html", {"form": form}, status=400 if form.errors else 200)


def _can_claim(actor: Actor, plan: FundPlan) -> bool:
    today = timezone.localdate()
    return (plan.status == PlanStatus.APPROVED and permissions.can(actor, "fund.claim") and today >= plan.ends_on
            and not plan.deadline_passed and plan.remaining > 0)


@dataclass
class ClaimRow:
    """A claim as a page shows it, with HQ's forms to decide or pay it."""

    claim: FundClaim
    approve_form: Form | None = None
    reject_form: Form | None = None
    pay_form: Form | None = None


def _partner_detail(request: HttpRequest, actor: Actor, plan: FundPlan, *, claim_form: ClaimForm | None = None,
                    status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "campaigns/fund_plan_detail.html", {
        "plan": plan, "claims": [ClaimRow(claim=c) for c in plan.claims.prefetch_related("files", "payments")],
        "files": list(plan.files.filter(claim__isnull=True)),
        "can_claim": _can_claim(actor, plan), "claim_form": claim_form or ClaimForm(),
        "claim_opens": plan.status == PlanStatus.APPROVED and today < plan.ends_on,
        "deadline_passed": plan.deadline_passed,
        "can_withdraw": plan.status == PlanStatus.SUBMITTED and permissions.can(actor, "fund.propose"),
    }, status=status)


@portal_required(*PARTNERS)
def fund_plan(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return _partner_detail(request, actor, selectors.plan_get(actor, pk))


@require_POST
@portal_required(*PARTNERS)
def fund_plan_claim(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    plan = selectors.plan_get(actor, pk)
    _may(actor, "fund.claim")
    form = ClaimForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        claim = _service(form, lambda: services.claim_submit(actor=actor, plan=plan, amount_claimed=data["amount"],
                                                             figures=data["figures"], files=data["attachments"]))
        if claim is not None:
            messages.success(request, _("Your claim is sent to HQ."))
            return redirect("portals:fund_plan", pk=plan.pk)
    plan.refresh_from_db()
    return _partner_detail(request, actor, plan, claim_form=form, status=400)


@require_POST
@portal_required(*PARTNERS)
def fund_plan_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    plan = selectors.plan_get(actor, pk)
    _may(actor, "fund.propose")
    try:
        services.plan_withdraw(actor=actor, plan=plan)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The plan is withdrawn."))
    return redirect("portals:fund_plan", pk=plan.pk)


@portal_required(*EVERYONE)
def fund_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A plan's or a claim's file: to the partner that sent it and to HQ."""
    item = selectors.file_get(request.actor, pk)  # type: ignore[attr-defined]
    kind = stored_kind(item.file)
    from prm.core.files import IMAGE_KINDS

    return serve(item.file, kind, download_name=f"plan-{item.plan_id}-{item.pk}", inline=kind in IMAGE_KINDS)


# --- HQ --------------------------------------------------------------------------------------------------------


@portal_required(OrgKind.HQ)
def hq_funds(request: HttpRequest) -> HttpResponse:
    """What waits for HQ: plans to decide, claims to decide, accepted claims to pay."""
    actor = request.actor  # type: ignore[attr-defined]
    _may(actor, "fund.decide")
    tab = request.GET.get("tab", "plans")
    queues = {"plans": selectors.plans_to_decide(actor), "claims": selectors.claims_to_decide(actor),
              "to_pay": selectors.claims_to_pay(actor)}
    if tab not in queues:
        tab = "plans"
    page = Paginator(queues[tab], PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "campaigns/hq_fund_queue.html", {
        "tab": tab, "page": page, "counts": selectors.queue_counts(actor), "totals": selectors.fund_totals(actor)})


@portal_required(OrgKind.HQ)
def hq_fund_balances(request: HttpRequest) -> HttpResponse:
    """Every partner with a plan: requested and waiting, approved, claimed, accepted, paid, left to claim, lapsed
    and left to pay."""
    actor = request.actor  # type: ignore[attr-defined]
    _may(actor, "fund.decide")
    form = BalanceSearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = Paginator(selectors.fund_balances(actor, q=q), 50).get_page(request.GET.get("page"))
    for row in cast(list[dict[str, Any]], page.object_list):
        row["to_pay"] = row["accepted"] - row["paid"]
    return render(request, "campaigns/hq_fund_balances.html", {
        "page": page, "form": form, "totals": selectors.fund_totals(actor), "counts": selectors.queue_counts(actor)})


def _hq_detail(request: HttpRequest, actor: Actor, plan: FundPlan, *, forms: dict[str, Any] | None = None,
               status: int = 200) -> HttpResponse:
    forms = forms or {}
    # each claim with its own forms (the one that failed comes back bound, with its errors)
    claims = [ClaimRow(
        claim=claim,
        approve_form=forms.get(f"approve-{claim.pk}") or ApproveClaimForm(prefix=f"c{claim.pk}"),
        reject_form=forms.get(f"reject-{claim.pk}") or RejectForm(prefix=f"c{claim.pk}"),
        pay_form=forms.get(f"pay-{claim.pk}") or PaymentForm(
            prefix=f"p{claim.pk}", initial={"paid_on": timezone.localdate(), "amount": _plain(claim.to_pay)}),
    ) for claim in plan.claims.prefetch_related("files", "payments")]
    campaign_funds = campaign_selectors.campaign_funds(plan.campaign) if plan.campaign is not None else None
    return render(request, "campaigns/hq_fund_plan.html", {
        "plan": plan, "claims": claims, "files": list(plan.files.filter(claim__isnull=True)),
        "approve_form": forms.get("approve") or ApprovePlanForm(initial={
            "approved_amount": _plain(plan.requested_amount),
            "claim_deadline": max(services.default_deadline(plan), timezone.localdate())}),
        "reject_form": forms.get("reject") or RejectForm(),
        "summary": selectors.fund_summary(plan.partner), "campaign_funds": campaign_funds,
        "allowance": selectors.tier_allowance(plan.partner),
        "can_decide": permissions.can(actor, "fund.decide"), "can_pay": permissions.can(actor, "fund.pay"),
        "claim_days": services.claim_days(),
    }, status=status)


def _plain(value: Any) -> str:
    from campaigns.services.common import money_text

    return money_text(value)


@portal_required(OrgKind.HQ)
def hq_fund_plan(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    _may(actor, "fund.decide")
    return _hq_detail(request, actor, selectors.plan_get(actor, pk))


def _decided(request: HttpRequest, actor: Actor, plan: FundPlan, form: Form, key: str, call: Any,
             done: str) -> HttpResponse:
    if form.is_valid() and _service(form, call) is not None:
        messages.success(request, done)
        return redirect("portals:hq_fund_plan", pk=plan.pk)
    plan = selectors.plan_get(actor, plan.pk)
    return _hq_detail(request, actor, plan, forms={key: form}, status=400)


@require_POST
@portal_required(OrgKind.HQ)
def hq_fund_plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    _may(actor, "fund.decide")
    plan = selectors.plan_get(actor, pk)
    form = ApprovePlanForm(request.POST)
    return _decided(request, actor, plan, form, "approve", lambda: services.plan_approve(
        actor=actor, plan=plan, approved_amount=form.cleaned_data["approved_amount"],
        claim_deadline=form.cleaned_data["claim_deadline"], note=form.cleaned_data["note"]),
        _("The plan is approved; %(partner)s is told.") % {"partner": plan.partner.name})


@require_POST
@portal_required(OrgKind.HQ)
def hq_fund_plan_reject(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    _may(actor, "fund.decide")
    plan = selectors.plan_get(actor, pk)
    form = RejectForm(request.POST)
    return _decided(request, actor, plan, form, "reject", lambda: services.plan_reject(
        actor=actor, plan=plan, reason=form.cleaned_data["reason"]),
        _("The plan is rejected; %(partner)s is told why.") % {"partner": plan.partner.name})


def _claim(request: HttpRequest, pk: int, action: str) -> tuple[Actor, FundClaim]:
    actor = request.actor  # type: ignore[attr-defined]
    _may(actor, action)
    return actor, selectors.claim_get(actor, pk)


@require_POST
@portal_required(OrgKind.HQ)
def hq_fund_claim_approve(request: HttpRequest, pk: int) -> HttpResponse:
    actor, claim = _claim(request, pk, "fund.decide")
    form = ApproveClaimForm(request.POST, prefix=f"c{claim.pk}")
    return _decided(request, actor, claim.plan, form, f"approve-{claim.pk}", lambda: services.claim_approve(
        actor=actor, claim=claim, approved_amount=form.cleaned_data["approved_amount"],
        note=form.cleaned_data["note"]), _("The claim is accepted; the partner is told."))


@require_POST
@portal_required(OrgKind.HQ)
def hq_fund_claim_reject(request: HttpRequest, pk: int) -> HttpResponse:
    actor, claim = _claim(request, pk, "fund.decide")
    form = RejectForm(request.POST, prefix=f"c{claim.pk}")
    return _decided(request, actor, claim.plan, form, f"reject-{claim.pk}", lambda: services.claim_reject(
        actor=actor, claim=claim, reason=form.cleaned_data["reason"]),
        _("The claim is rejected; the partner is told why."))


@require_POST
@portal_required(OrgKind.HQ)
def hq_fund_claim_pay(request: HttpRequest, pk: int) -> HttpResponse:
    actor, claim = _claim(request, pk, "fund.pay")
    form = PaymentForm(request.POST, prefix=f"p{claim.pk}")
    return _decided(request, actor, claim.plan, form, f"pay-{claim.pk}", lambda: services.payment_record(
        actor=actor, claim=claim, amount_paid=form.cleaned_data["amount"], paid_on=form.cleaned_data["paid_on"],
        reference=form.cleaned_data["reference"], method=form.cleaned_data["method"]),
        _("The payment is recorded; the partner is told."))

