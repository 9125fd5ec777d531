"""Reading campaigns: which ones a partner sees (HQ's targeting), its participation, the materials, and the
results: each participant's sales and won orders in the campaign's period, one grouped query for all of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from campaigns.choices import CampaignStatus, PlanStatus
from campaigns.models import Campaign, CampaignMaterial, FundPlan, Participation
from partners.models import Organization
from prm.core.actor import Actor
from prm.core.audience import audience_alias, audience_partners, audience_q

# a partner's sales: what it bought through the portal and its supplier confirmed (rewards' SOLD_STATUSES)
SOLD_STATUSES = ["confirmed", "partly_shipped", "shipped", "delivered"]
SEEN_STATUSES = (CampaignStatus.PUBLISHED, CampaignStatus.CLOSED)


def _joined(org_id: int) -> Exists:
    return Exists(Participation.objects.filter(campaign_id=OuterRef("pk"), partner_id=org_id,
                                               withdrawn_at__isnull=True))


def campaign_visible_to(actor: Actor) -> QuerySet[Campaign]:
    """HQ (and the system) every campaign; a partner the published and closed campaigns targeted at it, and
    any campaign it joined (also when it was cancelled since, or its tier has changed)."""
    qs = Campaign.objects.all()
    if actor.is_system or actor.is_hq:
        return qs
    org = actor.organization
    if org is None:
        return qs.none()
    targeted = Q(status__in=SEEN_STATUSES) & audience_q(Campaign, org)
    joined = Q(Exists(Participation.objects.filter(campaign_id=OuterRef("pk"), partner_id=org.pk))) & ~Q(
        status=CampaignStatus.DRAFT)
    return audience_alias(qs).filter(targeted | joined)


def campaign_get(actor: Actor, pk: int) -> Campaign:
    return get_object_or_404(campaign_visible_to(actor), pk=pk)


def is_eligible(org: Organization, campaign: Campaign) -> bool:
    """The campaign is published and targeted at ``org`` (what joining it takes, dates aside)."""
    return audience_alias(Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.PUBLISHED)).filter(
        audience_q(Campaign, org)).exists()


def is_open_for_joining(campaign: Campaign, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    last_day = min(campaign.opt_in_until or campaign.ends_on, campaign.ends_on)
    return campaign.status == CampaignStatus.PUBLISHED and today <= last_day


def campaigns_for_partner(actor: Actor) -> QuerySet[Campaign]:
    """The partner's campaign list: each with whether it joined; running and upcoming first, then ended ones."""
    org_id = actor.organization_id or 0
    today = timezone.localdate()
    done = Case(When(Q(ends_on__lt=today) | ~Q(status=CampaignStatus.PUBLISHED), then=Value(1)), default=Value(0))
    return campaign_visible_to(actor).annotate(joined=_joined(org_id)).order_by(done, "ends_on", "id")


def campaigns_for_home(actor: Actor, *, limit: int = 3) -> list[Campaign]:
    """New campaigns the partner can still join (newest first), for its home page."""
    if actor.organization is None or actor.is_hq:
        return []
    today = timezone.localdate()
    return list(campaign_visible_to(actor).filter(status=CampaignStatus.PUBLISHED, ends_on__gte=today)
                .filter(Q(opt_in_until__isnull=True) | Q(opt_in_until__gte=today))
                .annotate(joined=_joined(actor.organization.pk))
                .order_by("joined", "-published_at", "-id")[:limit])


def participation_of(actor: Actor, campaign: Campaign) -> Participation | None:
    if actor.organization is None:
        return None
    return Participation.objects.filter(campaign=campaign, partner=actor.organization).first()


def campaigns_with_counts(actor: Actor) -> QuerySet[Campaign]:
    """HQ's list: each campaign with its participants (one query, whatever the number of campaigns)."""
    participants = (Participation.objects.filter(campaign_id=OuterRef("pk"), withdrawn_at__isnull=True)
                    .order_by().values("campaign_id").annotate(n=Count("id")).values("n"))
    return campaign_visible_to(actor).annotate(
        participant_count=Coalesce(Subquery(participants, output_field=IntegerField()), Value(0)))


def targeted_count(campaign: Campaign) -> int:
    """How many active partners the campaign is for (HQ's detail page)."""
    return audience_partners(campaign).count()


def targeted_partner_ids(campaign: Campaign) -> QuerySet[Organization]:
    return audience_partners(campaign).order_by("pk").values_list("pk", flat=True)  # type: ignore[return-value]


def material_visible_to(actor: Actor) -> QuerySet[CampaignMaterial]:
    return CampaignMaterial.objects.filter(campaign__in=campaign_visible_to(actor).values("pk"))


def material_get(actor: Actor, pk: int) -> CampaignMaterial:
    return get_object_or_404(material_visible_to(actor).select_related("campaign"), pk=pk)


# --- results ---------------------------------------------------------------------------------------------------

RESULTS_SQL = """
WITH participants AS (
    SELECT p.partner_id, p.joined_at FROM campaigns_participation p
    WHERE p.campaign_id = %(campaign)s AND p.withdrawn_at IS NULL
      AND (%(partner)s::bigint IS NULL OR p.partner_id = %(partner)s::bigint)
), products AS (
    SELECT cp.product_id AS id FROM {products} cp WHERE cp.campaign_id = %(campaign)s
), lines AS (
    -- the product lines the campaign is about: its products' lines, or else the lines it targets
    SELECT DISTINCT pr.product_line_id AS id FROM catalog_product pr JOIN products ON products.id = pr.id
    UNION
    SELECT cl.productline_id FROM {lines} cl
    WHERE cl.campaign_id = %(campaign)s AND NOT EXISTS (SELECT 1 FROM products)
), sales AS (
    SELECT po.buyer_id AS partner_id, sum(l.line_total) AS value, count(DISTINCT po.id) AS orders
    FROM participants pa
    JOIN purchasing_purchaseorder po ON po.buyer_id = pa.partner_id
    JOIN purchasing_purchaseline l ON l.order_id = po.id
    WHERE po.status = ANY(%(sold)s) AND po.placed_at >= %(start)s AND po.placed_at < %(end)s
      AND CASE WHEN EXISTS (SELECT 1 FROM products) THEN l.product_id IN (SELECT id FROM products)
               WHEN EXISTS (SELECT 1 FROM lines)
                    THEN l.product_id IN (SELECT pr.id FROM catalog_product pr
                                          WHERE pr.product_line_id IN (SELECT id FROM lines))
               ELSE true END
    GROUP BY po.buyer_id
), won AS (
    SELECT o.dealer_id AS partner_id, count(*) AS orders, coalesce(sum(o.won_value), 0) AS value
    FROM participants pa
    JOIN orders_customerorder o ON o.dealer_id = pa.partner_id
    WHERE o.stage = 'won'
      AND coalesce(o.stage_changed_at, o.created_at) >= %(start)s
      AND coalesce(o.stage_changed_at, o.created_at) < %(end)s
      AND (NOT EXISTS (SELECT 1 FROM lines) OR o.product_line_id IN (SELECT id FROM lines))
    GROUP BY o.dealer_id
)
SELECT pa.partner_id, org.name, org.kind, pa.joined_at,
       coalesce(s.value, 0), coalesce(s.orders, 0), coalesce(w.value, 0), coalesce(w.orders, 0),
       count(*) OVER (), coalesce(sum(s.value) OVER (), 0), coalesce(sum(s.orders) OVER (), 0),
       coalesce(sum(w.value) OVER (), 0), coalesce(sum(w.orders) OVER (), 0)
FROM participants pa
JOIN partners_organization org ON org.id = pa.partner_id
LEFT JOIN sales s ON s.partner_id = pa.partner_id
LEFT JOIN won w ON w.partner_id = pa.partner_id
ORDER BY coalesce(s.value, 0) DESC, coalesce(w.value, 0) DESC, org.name, pa.partner_id
LIMIT %(limit)s OFFSET %(offset)s
"""


@dataclass(frozen=True)
class ParticipantResult:
    partner_id: int
    name: str
    kind: str
    joined_at: dt.datetime
    sales_value: Decimal
    sales_orders: int
    won_value: Decimal
    won_orders: int


@dataclass
class CampaignResults:
    """The participants' figures in the campaign's period (a page of rows) and the totals over all of them."""

    rows: list[ParticipantResult] = field(default_factory=list)
    participants: int = 0
    sales_value: Decimal = Decimal(0)
    sales_orders: int = 0
    won_value: Decimal = Decimal(0)
    won_orders: int = 0
    budget: Decimal = Decimal(0)
    funds_approved: Decimal = Decimal(0)
    funds_paid: Decimal = Decimal(0)

    @property
    def sales_per_budget(self) -> Decimal | None:
        """Sales attributed for each unit of budget (None without a budget)."""
        return (self.sales_value / self.budget).quantize(Decimal("0.01")) if self.budget else None

    @property
    def budget_left(self) -> Decimal:
        return self.budget - self.funds_approved


def campaign_funds(campaign: Campaign) -> CampaignResults:
    """The campaign's budget and the marketing funds approved and paid on the plans tied to it."""
    funds = FundPlan.objects.filter(campaign=campaign, status=PlanStatus.APPROVED).aggregate(
        approved=Coalesce(Sum("approved_amount"), Decimal(0)), paid=Coalesce(Sum("paid_total"), Decimal(0)))
    return CampaignResults(budget=campaign.budget, funds_approved=funds["approved"], funds_paid=funds["paid"])


def period_bounds(campaign: Campaign) -> tuple[dt.datetime, dt.datetime]:
    """The campaign's first moment and the moment after its last day, in the site's time zone."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(campaign.starts_on, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(campaign.ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def campaign_results(campaign: Campaign, *, partner_id: int | None = None, limit: int = 100,
                     offset: int = 0) -> CampaignResults:
    """Each participant's (or only ``partner_id``'s) purchase orders of the campaign's products placed in its
    period and counted as sales (confirmed to delivered), and its customer orders won in the period (of the
    campaign's product lines); the rows ordered by sales, the totals over every participant. One statement."""
    start, end = period_bounds(campaign)
    sql = RESULTS_SQL.format(products=Campaign.products.through._meta.db_table,
                             lines=Campaign.product_lines.through._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"campaign": campaign.pk, "partner": partner_id, "sold": SOLD_STATUSES,
                             "start": start, "end": end, "limit": limit, "offset": offset})
        fetched = cursor.fetchall()
    results = CampaignResults(budget=campaign.budget)
    if partner_id is None:
        funds = campaign_funds(campaign)
        results.funds_approved, results.funds_paid = funds.funds_approved, funds.funds_paid
    for row in fetched:
        results.rows.append(ParticipantResult(
            partner_id=row[0], name=row[1], kind=row[2], joined_at=row[3], sales_value=Decimal(row[4]),
            sales_orders=int(row[5]), won_value=Decimal(row[6]), won_orders=int(row[7])))
    if fetched:
        first = fetched[0]
        results.participants = int(first[8])
        results.sales_value, results.sales_orders = Decimal(first[9]), int(first[10])
        results.won_value, results.won_orders = Decimal(first[11]), int(first[12])
    elif offset:
        results.participants = Participation.objects.filter(campaign=campaign, withdrawn_at__isnull=True).count()
    return results
