"""Reads of the tier program: what HQ manages, and what a partner is told about its own tier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partners.models import Organization
from prm.core.actor import Actor
from rewards.computation import values_for
from rewards.models import PartnerTier, Tier, TierChange, TierProgram, TierRun
from rewards.models.tiers import ProgramStatus


def program_visible_to(actor: Actor) -> QuerySet[TierProgram]:
    """Programs are HQ's to manage; a partner reads its own program through ``tier_progress``."""
    if actor.is_hq or actor.is_system:
        return TierProgram.objects.annotate(tier_count=Count("tiers", distinct=True))
    return TierProgram.objects.none()


def run_visible_to(actor: Actor) -> QuerySet[TierRun]:
    if actor.is_hq or actor.is_system:
        return TierRun.objects.select_related("program", "requested_by")
    return TierRun.objects.none()


def tier_change_visible_to(actor: Actor) -> QuerySet[TierChange]:
    """HQ: every change; a partner: its own; a distributor also its dealers' (it supplies them)."""
    changes = TierChange.objects.select_related("partner", "program")
    if actor.is_hq or actor.is_system:
        return changes
    if actor.organization_id is None:
        return changes.none()
    if actor.is_distributor:
        from partners.selectors import dealer_visible_to

        return changes.filter(partner_id__in=[actor.organization_id,
                                              *dealer_visible_to(actor).values_list("id", flat=True)])
    return changes.filter(partner_id=actor.organization_id)


def tier_distribution(program: TierProgram) -> list[dict[str, Any]]:
    """Partners per tier of a program (with those below the entry tier), for HQ's program page."""
    standings = PartnerTier.objects.filter(program=program).values("tier_id").annotate(n=Count("partner_id"))
    counts: dict[int | None, int] = dict(standings.values_list("tier_id", "n"))
    rows = [{"tier": t, "count": counts.get(t.pk, 0)} for t in program.tiers.all().order_by("-rank")]
    rows.append({"tier": None, "count": counts.get(None, 0)})
    return rows


def program_for(partner: Organization) -> TierProgram | None:
    """The published program that evaluates this partner: the lowest priority number among those that fit."""
    for program in TierProgram.objects.filter(status=ProgramStatus.PUBLISHED, kind=partner.kind)\
            .order_by("priority", "id"):
        if not program.segment or program.segment in (partner.segments or []):
            return program
    return None


def period_end(today: dt.date, months: int) -> dt.date:
    """The last day of the review period holding ``today`` (periods start in January: 3 = quarters)."""
    months = max(1, min(12, months))
    index = (today.month - 1) // months
    end_month = (index + 1) * months  # months from this January to the period's end (past 12: next year)
    first_after = dt.date(today.year + end_month // 12, end_month % 12 + 1, 1)
    return first_after - dt.timedelta(days=1)


NEED_LABELS = {"sales": gettext_lazy("Sales"), "won": gettext_lazy("Customer orders won"),
               "certs": gettext_lazy("Valid certifications"), "acceptance": gettext_lazy("Lead acceptance"),
               "satisfaction": gettext_lazy("Customer satisfaction")}


@dataclass
class Need:
    """One criterion a partner does not yet meet, said the way a dealer reads it."""

    key: str
    text: str
    have: str
    target: str
    progress: int  # 0..100, for a bar

    @property
    def label(self) -> str:
        """The criterion's name, above its bar (the sentence above the bars already says what is missing)."""
        return str(NEED_LABELS.get(self.key, self.key))


@dataclass
class Progress:
    program: TierProgram
    tiers: list[Tier]
    tier: Tier | None
    since: dt.datetime | None
    next_tier: Tier | None
    needs: list[Need]
    by: dt.date
    pending_tier: Tier | None
    downgrade_due: dt.date | None
    keep_needs: list[Need]
    values: dict[str, Any]
    benefits: list[str] = field(default_factory=list)
    recent_changes: list[TierChange] = field(default_factory=list)


def _won(amount: Decimal) -> str:
    from purchasing.templatetags.money import won

    return won(amount)


def _pct(have: Decimal | float | int, target: Decimal | float | int) -> int:
    if not target:
        return 100
    return max(0, min(100, int(Decimal(str(have)) * 100 / Decimal(str(target)))))


def needs_for(tier: Tier, values: dict[str, Any]) -> list[Need]:
    """What the figures lack to meet ``tier``: empty when every criterion is met."""
    needs: list[Need] = []
    sales = Decimal(values.get("sales") or 0)
    if sales < tier.min_sales:
        needs.append(Need("sales", _("%(amount)s more sales") % {"amount": _won(tier.min_sales - sales)},
                          _won(sales), _won(tier.min_sales), _pct(sales, tier.min_sales)))
    won = int(values.get("won") or 0)
    if won < tier.min_orders_won:
        missing = tier.min_orders_won - won
        needs.append(Need("won", ngettext("%(count)s more customer order won", "%(count)s more customer orders won",
                                          missing) % {"count": missing},
                          str(won), str(tier.min_orders_won), _pct(won, tier.min_orders_won)))
    certs = int(values.get("certs") or 0)
    if certs < tier.min_certifications:
        missing = tier.min_certifications - certs
        needs.append(Need("certs", ngettext("%(count)s more certification", "%(count)s more certifications",
                                            missing) % {"count": missing},
                          str(certs), str(tier.min_certifications), _pct(certs, tier.min_certifications)))
    if tier.min_acceptance is not None:
        acceptance = values.get("acceptance")
        if acceptance is None:
            needs.append(Need("acceptance", _("answer your customer-order offers: lead acceptance of at least "
                                              "%(target)s %% (no offers answered yet)")
                              % {"target": tier.min_acceptance}, "—", f"{tier.min_acceptance} %", 0))
        elif Decimal(str(acceptance)) < tier.min_acceptance:
            needs.append(Need("acceptance", _("lead acceptance of at least %(target)s %% (now %(now)s %%)")
                              % {"target": tier.min_acceptance, "now": acceptance},
                              f"{acceptance} %", f"{tier.min_acceptance} %",
                              _pct(acceptance, tier.min_acceptance)))
    if tier.min_satisfaction is not None:
        satisfaction = values.get("satisfaction")
        if satisfaction is None:
            needs.append(Need("satisfaction", _("customer satisfaction of at least %(target)s (no ratings yet)")
                              % {"target": tier.min_satisfaction}, "—", str(tier.min_satisfaction), 0))
        elif Decimal(str(satisfaction)) < tier.min_satisfaction:
            needs.append(Need("satisfaction", _("customer satisfaction of at least %(target)s (now %(now)s)")
                              % {"target": tier.min_satisfaction, "now": satisfaction},
                              str(satisfaction), str(tier.min_satisfaction),
                              _pct(satisfaction, tier.min_satisfaction)))
    return needs


def benefits_of(tier: Tier) -> list[str]:
    items = []
    if tier.credit_limit is not None:
        items.append(_("Credit limit up to %(amount)s") % {"amount": _won(tier.credit_limit)})
    from catalog.models import PriceList

    if PriceList.objects.filter(tier__iexact=tier.name).exists():
        items.append(_("%(tier)s dealer prices") % {"tier": tier.name})
    if tier.routing_step:
        items.append(_("Priority for customer orders (+%(steps)s)") % {"steps": tier.routing_step})
    if tier.mdf_share:
        items.append(_("Marketing fund share %(share)s %%") % {"share": tier.mdf_share.normalize()})
    items += [line.strip() for line in tier.benefits_text.splitlines() if line.strip()]
    return items


def tier_progress(partner: Organization, *, now: dt.datetime | None = None) -> Progress | None:
    """The partner's tier, what it gives, and exactly what it still needs for the next one (with its figures
    computed now, not at the last run); None when no published program covers it."""
    standing = PartnerTier.objects.filter(partner=partner, program__status=ProgramStatus.PUBLISHED)\
        .select_related("program", "tier", "pending_tier").first()
    program = standing.program if standing else program_for(partner)
    if program is None:
        return None
    tiers = list(program.tiers.all().order_by("rank"))
    values = values_for(program, [partner.pk], now=now).get(partner.pk) or {}
    tier = standing.tier if standing else None
    above = [t for t in tiers if tier is None or t.rank > tier.rank]
    next_tier = above[0] if above else None
    today = timezone.localdate(now)
    progress = Progress(
        program=program, tiers=tiers, tier=tier, since=standing.since if standing else None,
        next_tier=next_tier, needs=needs_for(next_tier, values) if next_tier else [],
        by=period_end(today, program.review_months),
        pending_tier=standing.pending_tier if standing else None,
        downgrade_due=standing.downgrade_due if standing else None,
        keep_needs=needs_for(tier, values) if tier is not None and standing and standing.downgrade_due else [],
        values=values, benefits=benefits_of(tier) if tier else [],
        recent_changes=list(TierChange.objects.filter(partner=partner).order_by("-created_at", "-id")[:5]),
    )
    return progress


def criteria_of(tier: Tier, window_days: int) -> list[str]:
    """A tier's criteria as a partner reads them (an entry tier with none: "no requirements")."""
    items = []
    if tier.min_sales:
        items.append(_("Sales of at least %(amount)s in the last %(days)s days")
                     % {"amount": _won(tier.min_sales), "days": window_days})
    if tier.min_orders_won:
        items.append(ngettext("%(count)s customer order won", "%(count)s customer orders won", tier.min_orders_won)
                     % {"count": tier.min_orders_won})
    if tier.min_acceptance is not None:
        items.append(_("Lead acceptance of at least %(target)s %%") % {"target": tier.min_acceptance})
    if tier.min_certifications:
        items.append(ngettext("%(count)s valid certification", "%(count)s valid certifications",
                              tier.min_certifications) % {"count": tier.min_certifications})
    if tier.min_satisfaction is not None:
        items.append(_("Customer satisfaction of at least %(target)s") % {"target": tier.min_satisfaction})
    return items or [_("No requirements")]


def tier_table(tiers: list[Tier]) -> list[dict[str, Any]]:
    """Every tier of a program, best first, with its criteria and benefits in words."""
    return [{"tier": t, "criteria": criteria_of(t, t.program.window_days), "benefits": benefits_of(t)}
            for t in sorted(tiers, key=lambda t: -t.rank)]
