"""Reading marketing funds: a partner's own plans, claims and files (another partner's is a 404); HQ's queue of
plans and claims to decide and claims to pay; each partner's fund balance, one grouped query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from campaigns.choices import ClaimStatus, PlanStatus
from campaigns.models import FundClaim, FundFile, FundPlan
from partners.models import Organization
from prm.core.actor import Actor

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))
CLAIMED_STATUSES = [ClaimStatus.SUBMITTED, ClaimStatus.APPROVED, ClaimStatus.PAID]


def plan_visible_to(actor: Actor) -> QuerySet[FundPlan]:
    """HQ (and the system) every plan; a partner its own."""
    qs = FundPlan.objects.select_related("partner", "campaign")
    if actor.is_system or actor.is_hq:
        return qs
    if actor.organization is None:
        return qs.none()
    return qs.filter(partner=actor.organization)


def _claimed_by_partner() -> Subquery:
    """What the partner asked for in the plan's claims (waiting for HQ or accepted, a rejected one not): the
    claims' own amounts, not what HQ accepted of them (``accepted_total``) nor what they hold against the approval
    (``claimed_total``)."""
    return Subquery(FundClaim.objects.filter(plan=OuterRef("pk"), status__in=CLAIMED_STATUSES).order_by()
                    .values("plan").annotate(total=Sum("amount")).values("total"),
                    output_field=DecimalField(max_digits=16, decimal_places=2))


def with_claimed(plans: QuerySet[FundPlan]) -> QuerySet[FundPlan]:
    """The plans, each with ``claimed_amount``: what its partner claimed (see ``_claimed_by_partner``)."""
    return plans.annotate(claimed_amount=Coalesce(_claimed_by_partner(), ZERO))


def plan_get(actor: Actor, pk: int) -> FundPlan:
    return get_object_or_404(with_claimed(plan_visible_to(actor)), pk=pk)


def claim_visible_to(actor: Actor) -> QuerySet[FundClaim]:
    return FundClaim.objects.filter(plan__in=plan_visible_to(actor).values("pk")).select_related("plan",
                                                                                               "plan__partner")


def claim_get(actor: Actor, pk: int) -> FundClaim:
    return get_object_or_404(claim_visible_to(actor), pk=pk)


def file_visible_to(actor: Actor) -> QuerySet[FundFile]:
    return FundFile.objects.filter(plan__in=plan_visible_to(actor).values("pk"))


def file_get(actor: Actor, pk: int) -> FundFile:
    return get_object_or_404(file_visible_to(actor), pk=pk)


@dataclass(frozen=True)
class FundSummary:
    """One partner's (or every partner's) funds on its plans: requested and waiting for HQ; approved; claimed (what
    the partner asked for in its claims waiting for HQ or accepted); accepted by HQ; paid; left to claim (approved,
    not held by a claim, the deadline to claim not passed) and lapsed (the same once the deadline passed)."""

    waiting: Decimal = Decimal(0)
    approved: Decimal = Decimal(0)
    claimed: Decimal = Decimal(0)
    accepted: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    remaining: Decimal = Decimal(0)
    lapsed: Decimal = Decimal(0)

    @property
    def to_pay(self) -> Decimal:
        return self.accepted - self.paid


def _sums() -> dict[str, Coalesce]:
    approved = Q(status=PlanStatus.APPROVED)
    passed = Q(claim_deadline__lt=timezone.localdate())
    unclaimed = F("approved_amount") - F("claimed_total")
    return {
        "waiting": Coalesce(Sum("requested_amount", filter=Q(status=PlanStatus.SUBMITTED)), ZERO),
        "approved": Coalesce(Sum("approved_amount", filter=approved), ZERO),
        "claimed": Coalesce(Sum(_claimed_by_partner(), filter=approved), ZERO),
        "accepted": Coalesce(Sum("accepted_total", filter=approved), ZERO),
        "paid": Coalesce(Sum("paid_total", filter=approved), ZERO),
        "remaining": Coalesce(Sum(unclaimed, filter=approved & ~passed), ZERO),
        "lapsed": Coalesce(Sum(unclaimed, filter=approved & passed), ZERO),
    }


def fund_summary(partner: Organization) -> FundSummary:
    return FundSummary(**FundPlan.objects.filter(partner=partner).aggregate(**_sums()))


def fund_balances(actor: Actor, *, q: str = "") -> QuerySet[Any]:
    """HQ: each partner with a plan, its funds summed (one grouped query), the most approved first."""
    qs = plan_visible_to(actor)
    if q:
        qs = qs.filter(Q(partner__name__icontains=q) | Q(partner__business_number__contains=q))
    sums = _sums()
    return (qs.order_by().values("partner_id", "partner__name", "partner__kind")
            .annotate(plans=Count("id"), waiting=sums["waiting"], approved=sums["approved"], claimed=sums["claimed"],
                      accepted=sums["accepted"], paid=sums["paid"], left_to_claim=sums["remaining"],
                      lapsed_amount=sums["lapsed"])  # not "remaining" / "lapsed": FundPlan's properties
            .order_by("-approved", "partner__name", "partner_id"))


def fund_totals(actor: Actor) -> FundSummary:
    return FundSummary(**plan_visible_to(actor).aggregate(**_sums()))


def plans_to_decide(actor: Actor) -> QuerySet[FundPlan]:
    return plan_visible_to(actor).filter(status=PlanStatus.SUBMITTED).order_by("created_at", "id")


def claims_to_decide(actor: Actor) -> QuerySet[FundClaim]:
    return claim_visible_to(actor).filter(status=ClaimStatus.SUBMITTED).order_by("created_at", "id")


def claims_to_pay(actor: Actor) -> QuerySet[FundClaim]:
    return claim_visible_to(actor).filter(status=ClaimStatus.APPROVED).order_by("decided_at", "id")


def queue_counts(actor: Actor) -> dict[str, int]:
    """How many plans and claims wait for HQ (its home page and the queue's tabs)."""
    return {"plans": plans_to_decide(actor).count(), "claims": claims_to_decide(actor).count(),
            "to_pay": claims_to_pay(actor).count()}


@dataclass(frozen=True)
class TierAllowance:
    """What the partner's tier entitles it to: its marketing fund share of its sales over the tier program's
    window, less what HQ approved on its plans decided in that window."""

    tier: str
    share: Decimal
    sales: Decimal
    window_days: int
    entitled: Decimal
    approved: Decimal

    @property
    def left(self) -> Decimal:
        return max(self.entitled - self.approved, Decimal(0))


def tier_allowance(partner: Organization | None) -> TierAllowance | None:
    """The partner's tier allowance (None when its tier gives no marketing fund share). The sales are the ones
    its tier was computed on (the standing's figures), so they agree with what its tier page says."""
    from rewards.models import PartnerTier

    if partner is None:
        return None
    standing = PartnerTier.objects.filter(partner=partner).select_related("tier", "program").first()
    if standing is None or standing.tier is None or not standing.tier.mdf_share:
        return None
    window = standing.program.window_days
    sales = Decimal(str((standing.values or {}).get("sales") or 0))
    share = standing.tier.mdf_share
    since = timezone.now() - dt.timedelta(days=window)
    approved = FundPlan.objects.filter(partner=partner, approved_amount__isnull=False, decided_at__gte=since)\
        .aggregate(total=Sum("approved_amount"))["total"] or Decimal(0)
    entitled = (sales * share / 100).quantize(Decimal(1), rounding=ROUND_DOWN)
    return TierAllowance(tier=standing.tier.name, share=share, sales=sales, window_days=window,
                         entitled=entitled, approved=approved)
