"""Points pages. A partner (dealer or distributor): its balance, what expires soon, its history, the reward
catalogue and its redemptions. HQ: every partner's balance and ledger, corrections, the redemption queue, the
points rules and the reward catalogue.

Every object is fetched through a selector (another partner's is a 404); every write is one service whose
refusal is shown as a message, never a 500. A distributor sees its own points only, never its dealers'."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners.choices import PartnerStatus
from prm.core.errors import ServiceError, error_text
from prm.core.forms import add_service_errors
from prm.core.roles import OrgKind
from prm.portals.access import portal_required
from rewards import permissions
from rewards.forms.points import (
    BalanceSearchForm,
    CorrectionForm,
    PointsRuleForm,
    RedeemForm,
    RedemptionFilterForm,
    RejectForm,
    RewardForm,
)
from rewards.models import PointsEvent, RedemptionStatus, Reward, RewardKind
from rewards.selectors import points as selectors
from rewards.services import points as services

PARTNERS = (OrgKind.DEALER, OrgKind.DISTRIBUTOR)
PER_PAGE = 25
EXPIRY_WINDOW_DAYS = 30


def _attempt(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Run one service; show its refusal as a message (never a 500)."""
    try:
        action()
    except (ServiceError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return False
    except PermissionDenied:
        messages.error(request, _("Your role can't do that."))
        return False
    messages.success(request, done)
    return True


def _form_problem(form: Any) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _back(request: HttpRequest, fallback: str, *, prefix: str) -> HttpResponseBase:
    """Back to the page the form was on (``next``, one of our own pages under ``prefix``), else ``fallback``."""
    target = request.POST.get("next", "")
    if target.startswith(prefix) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


# --- partner pages ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RewardRow:
    """A reward as the partner sees it: how many it can redeem now (0: not enough points or none left)."""

    reward: Reward
    most: int
    needed: int  # points short of one

    @property
    def is_credit_note(self) -> bool:
        return self.reward.kind == RewardKind.CREDIT_NOTE


@portal_required(*PARTNERS)
def points_overview(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    partner = actor.organization
    today = timezone.localdate()
    balance = selectors.points_balance(partner)
    rows = []
    for reward in selectors.reward_visible_to(actor)[:200]:
        most = min(services.MAX_REDEEM_QUANTITY, balance // reward.points_cost)
        if reward.stock is not None:
            most = min(most, reward.stock)
        rows.append(RewardRow(reward=reward, most=max(most, 0), needed=max(reward.points_cost - balance, 0)))
    waiting = selectors.redemption_visible_to(actor).filter(status=RedemptionStatus.REQUESTED)
    return render(request, "rewards/points_overview.html", {
        "balance": balance,
        "expiring": selectors.points_expiring(partner, EXPIRY_WINDOW_DAYS, today),
        "expiring_dates": selectors.points_expiring_dates(partner, EXPIRY_WINDOW_DAYS, today),
        "rewards": rows,
        "waiting": list(waiting[:20]),
        "recent": list(selectors.ledger_of(actor, partner)[:5]),
        "can_redeem": permissions.can(actor, "points.redeem") and partner.status == PartnerStatus.ACTIVE,
        "inactive_partner": partner.status != PartnerStatus.ACTIVE,
        "window": EXPIRY_WINDOW_DAYS,
    })


@portal_required(*PARTNERS)
def points_history(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    page = Paginator(selectors.ledger_of(actor, actor.organization), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rewards/points_history.html", {
        "page": page, "balance": selectors.points_balance(actor.organization)})


@portal_required(*PARTNERS)
def points_redemptions(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    page = Paginator(selectors.redemption_visible_to(actor), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rewards/points_redemptions.html", {
        "page": page, "can_cancel": permissions.can(actor, "points.redeem")})


@portal_required(*PARTNERS)
@require_POST
def points_redeem(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Spend points on one reward of the catalogue; HQ then approves or rejects."""
    actor = request.actor  # type: ignore[attr-defined]
    reward = get_object_or_404(selectors.reward_visible_to(actor), pk=pk)
    back = reverse("portals:points_overview") + f"#reward-{reward.pk}"
    form = RedeemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("%(reward)s: %(problem)s") % {"reward": reward.name,
                                                                 "problem": _form_problem(form)})
        return redirect(back)
    quantity = form.cleaned_data["quantity"]
    if _attempt(request, lambda: services.redemption_request(actor=actor, reward=reward, quantity=quantity),
                _("You asked for %(reward)s × %(quantity)s. The points are set aside until HQ decides.")
                % {"reward": reward.name, "quantity": quantity}):
        return redirect("portals:points_redemptions")
    return redirect(back)


@portal_required(*PARTNERS)
@require_POST
def points_redemption_cancel(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor = request.actor  # type: ignore[attr-defined]
    redemption = selectors.redemption_get(actor, pk)
    _attempt(request, lambda: services.redemption_cancel(actor=actor, redemption=redemption),
             _("Your redemption is cancelled and its points are back."))
    return _back(request, reverse("portals:points_redemptions"), prefix="/points/")


# --- HQ pages --------------------------------------------------------------------------------------------------

def _waiting_count(actor: Any) -> int:
    return selectors.redemption_visible_to(actor).filter(status=RedemptionStatus.REQUESTED).count()


@portal_required(OrgKind.HQ)
def hq_points_partners(request: HttpRequest) -> HttpResponse:
    """Every dealer's and distributor's balance (and points waiting for HQ's decision), highest first."""
    actor = request.actor  # type: ignore[attr-defined]
    form = BalanceSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.partner_balances(actor, q=q), 50).get_page(request.GET.get("page"))
    return render(request, "rewards/hq_points_partners.html", {
        "form": form, "page": page, "q": q, "waiting": _waiting_count(actor)})


@portal_required(OrgKind.HQ)
def hq_points_partner(request: HttpRequest, pk: int) -> HttpResponse:
    """One partner's ledger, its redemptions, and (HQ admins) a correction."""
    actor = request.actor  # type: ignore[attr-defined]
    partner = selectors.points_partner_get(actor, pk)
    can_correct = permissions.can(actor, "points.correct")
    form = CorrectionForm(request.POST or None)
    if request.method == "POST":
        if not can_correct:
            raise PermissionDenied(_("Only an HQ admin corrects points."))
        if form.is_valid():
            try:
                entry = services.points_correct(actor=actor, partner=partner, points=form.cleaned_data["points"],
                                                reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            except ServiceError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("%(name)s: %(points)s points recorded.")
                                 % {"name": partner.name, "points": f"{entry.points:+,}"})
                return redirect("portals:hq_points_partner", pk=partner.pk)
    page = Paginator(selectors.ledger_of(actor, partner), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rewards/hq_points_partner.html", {
        "partner": partner, "page": page, "form": form, "can_correct": can_correct,
        "balance": selectors.points_balance(partner),
        "expiring": selectors.points_expiring(partner, EXPIRY_WINDOW_DAYS),
        "redemptions": list(selectors.redemption_visible_to(actor).filter(partner=partner)[:10]),
        "can_decide": permissions.can(actor, "points.decide"), "window": EXPIRY_WINDOW_DAYS,
    })


@portal_required(OrgKind.HQ)
def hq_points_redemptions(request: HttpRequest) -> HttpResponse:
    """The redemption queue: those waiting for a decision first (the oldest on top), any status on request."""
    actor = request.actor  # type: ignore[attr-defined]
    data = request.GET.copy()
    data.setdefault("status", RedemptionStatus.REQUESTED)
    form = RedemptionFilterForm(data)
    status = form.cleaned_data["status"] if form.is_valid() else RedemptionStatus.REQUESTED
    qs = selectors.redemption_visible_to(actor)
    if status:
        qs = qs.filter(status=status)
    if status == RedemptionStatus.REQUESTED:
        qs = qs.order_by("created_at", "id")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rewards/hq_points_redemptions.html", {
        "form": form, "page": page, "status": status, "can_decide": permissions.can(actor, "points.decide"),
        "waiting": _waiting_count(actor)})


@portal_required(OrgKind.HQ)
@require_POST
def hq_points_redemption_decide(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor = request.actor  # type: ignore[attr-defined]
    redemption = selectors.redemption_get(actor, pk)
    if not permissions.can(actor, "points.decide"):
        raise PermissionDenied(_("Your role can't decide redemptions."))
    back = reverse("portals:hq_points_redemptions")
    action = request.POST.get("action", "")
    if action == "approve":
        credit = redemption.credit_amount is not None or redemption.reward.kind == RewardKind.CREDIT_NOTE
        _attempt(request, lambda: services.redemption_approve(actor=actor, redemption=redemption),
                 _("Approved: a credit note is on %(name)s's account.") % {"name": redemption.partner.name}
                 if credit else _("Approved: send %(reward)s × %(quantity)s to %(name)s.")
                 % {"reward": redemption.reward.name, "quantity": redemption.quantity,
                    "name": redemption.partner.name})
    elif action == "reject":
        form = RejectForm(request.POST)
        if form.is_valid():
            _attempt(request, lambda: services.redemption_reject(actor=actor, redemption=redemption,
                                                                 reason=form.cleaned_data["reason"]),
                     _("Rejected: %(points)s points are back with %(name)s.")
                     % {"points": f"{redemption.points:,}", "name": redemption.partner.name})
        else:
            messages.error(request, _("Say why the redemption is rejected; the partner sees it."))
    else:
        messages.error(request, _("Choose to approve or to reject the redemption."))
    return _back(request, back, prefix="/hq/points/")


@portal_required(OrgKind.HQ)
def hq_points_rules(request: HttpRequest) -> HttpResponse:
    """How many points each event earns (one rule per event); HQ admins change them."""
    actor = request.actor  # type: ignore[attr-defined]
    can_edit = permissions.can(actor, "points.rules")
    posted = request.POST.get("event", "") if request.method == "POST" else None
    if posted is not None and not can_edit:
        raise PermissionDenied(_("Only an HQ admin changes the points rules."))
    if posted is not None and posted not in PointsEvent.values:
        messages.error(request, _("Choose one of the listed events."))
        return redirect("portals:hq_points_rules")
    rows = []
    for rule in selectors.rules_for_events():
        initial = {"fixed_points": rule.fixed_points, "points_per_10k": rule.points_per_10k,
                   "expires_after_months": rule.expires_after_months, "description": rule.description,
                   "is_active": rule.is_active}
        bound = posted == rule.event
        form = PointsRuleForm(request.POST if bound else None, prefix=rule.event, initial=initial)
        if not can_edit:
            for field in form.fields.values():
                field.disabled = True
        if bound and form.is_valid():
            data = form.cleaned_data
            try:
                services.points_rule_save(
                    actor=actor, event=rule.event, fixed_points=data["fixed_points"] or 0,
                    points_per_10k=data["points_per_10k"] or 0,
                    expires_after_months=data["expires_after_months"] or 0, description=data["description"],
                    is_active=data["is_active"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The rule for “%(event)s” is saved.")
                                 % {"event": rule.get_event_display()})
                return redirect("portals:hq_points_rules")
        rows.append((rule, form))
    return render(request, "rewards/hq_points_rules.html", {"rows": rows, "can_edit": can_edit})


@portal_required(OrgKind.HQ)
def hq_points_rewards(request: HttpRequest) -> HttpResponse:
    """The reward catalogue, with how often each was redeemed and how many wait for a decision."""
    actor = request.actor  # type: ignore[attr-defined]
    rewards = selectors.reward_visible_to(actor).annotate(
        waiting=Count("redemptions", filter=Q(redemptions__status=RedemptionStatus.REQUESTED)),
        approved=Count("redemptions", filter=Q(redemptions__status=RedemptionStatus.APPROVED)),
    ).order_by("-is_active", "points_cost", "name", "id")
    page = Paginator(rewards, 50).get_page(request.GET.get("page"))
    return render(request, "rewards/hq_points_rewards.html", {
        "page": page, "can_manage": permissions.can(actor, "points.rewards")})


@portal_required(OrgKind.HQ)
def hq_points_reward_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new reward, or one of the catalogue changed (or removed, if nobody redeemed it)."""
    actor = request.actor  # type: ignore[attr-defined]
    if not permissions.can(actor, "points.rewards"):
        raise PermissionDenied(_("Your role can't change the reward catalogue."))
    reward = get_object_or_404(selectors.reward_visible_to(actor), pk=pk) if pk is not None else None
    if request.method == "POST" and request.POST.get("action") == "delete" and reward is not None:
        name = reward.name
        if _attempt(request, lambda: services.reward_delete(actor=actor, reward=reward),
                    _("“%(name)s” is removed from the catalogue.") % {"name": name}):
            return redirect("portals:hq_points_rewards")
        return redirect("portals:hq_points_reward_edit", pk=reward.pk)
    initial = {} if reward is None else {
        "name": reward.name, "description": reward.description, "points_cost": reward.points_cost,
        "kind": reward.kind, "credit_amount": "" if reward.credit_amount is None else f"{reward.credit_amount:f}",
        "stock": reward.stock, "is_active": reward.is_active}
    form = RewardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.reward_save(actor=actor, reward=reward, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": saved.name})
            return redirect("portals:hq_points_rewards")
    return render(request, "rewards/hq_points_reward_form.html", {
        "form": form, "reward": reward,
        "redeemed": reward is not None and reward.redemptions.exists()})
