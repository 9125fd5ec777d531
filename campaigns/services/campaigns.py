"""Writing campaigns: HQ drafts, publishes (the targeted partners are told through ``notices``), closes or
cancels a campaign and adds its materials; a partner it targets opts in (once, earning the tenant's points for
it) and may withdraw until the campaign starts. Every write is one transaction, role-checked and audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from campaigns import permissions
from campaigns.choices import CampaignStatus, PlanStatus
from campaigns.models import Campaign, CampaignMaterial, FundPlan, Participation
from campaigns.selectors import campaigns as selectors
from campaigns.services.common import (
    a_date,
    amount,
    clean_text,
    file_kind,
    original_name,
    partner_users,
    period,
    tenant_currency,
)
from catalog.models import Product
from partners.choices import PartnerStatus, Segment
from partners.models import ProductLine
from prm.core import activity
from prm.core.actor import Actor
from prm.core.audience import clean_tiers
from prm.core.audit import audit
from prm.core.errors import ServiceError
from prm.core.models import ActivityVerb
from prm.core.regions import all_sido
from prm.core.roles import OrgKind

PARTNER_KINDS = (OrgKind.DEALER, OrgKind.DISTRIBUTOR)
MAX_PRODUCTS = 500
MAX_MATERIALS = 20


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _values(campaign: Campaign) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(campaign, name) for name in (
        "title", "description", "offer", "kinds", "tiers", "segments", "regions")}
    values.update(starts_on=str(campaign.starts_on), ends_on=str(campaign.ends_on),
                  opt_in_until=str(campaign.opt_in_until or ""), budget=str(campaign.budget))
    if campaign.pk:
        values["products"] = sorted(campaign.products.values_list("pk", flat=True))
        values["product_lines"] = sorted(campaign.product_lines.values_list("pk", flat=True))
    return values


@transaction.atomic
def campaign_save(*, actor: Actor, campaign: Campaign | None = None, title: str, description: str = "",
                  offer: str = "", products: Iterable[Product] = (), kinds: Iterable[str] = (),
                  tiers: Iterable[str] = (), segments: Iterable[str] = (), regions: Iterable[str] = (),
                  product_lines: Iterable[ProductLine] = (), starts_on: Any, ends_on: Any,
                  opt_in_until: Any = None, budget: Any = 0) -> Campaign:
    """HQ drafts a campaign or changes its draft: text, products, who it is for, its period and budget."""
    permissions.require(actor, "campaign.manage")
    creating = campaign is None
    if campaign is not None:
        campaign = _locked(campaign)
        if campaign.status != CampaignStatus.DRAFT:
            raise ServiceError(_("Only a draft can be changed: this campaign is %(status)s.")
                               % {"status": campaign.get_status_display()})
    kinds = list(dict.fromkeys(kinds))
    if set(kinds) - set(PARTNER_KINDS):
        raise ValidationError({"kinds": _("Choose dealers, distributors or both.")})
    segments = list(dict.fromkeys(segments))
    if set(segments) - set(Segment.values):
        raise ValidationError({"segments": _("Choose segments from the list.")})
    regions = list(dict.fromkeys(regions))
    if set(regions) - {r.code for r in all_sido()}:
        raise ValidationError({"regions": _("Choose regions from the list.")})
    product_list = list(dict.fromkeys(products))
    if len(product_list) > MAX_PRODUCTS:
        raise ValidationError({"products": _("A campaign lists %(count)s products at most.")
                               % {"count": MAX_PRODUCTS}})
    campaign = campaign or Campaign(created_by=actor.user, currency=tenant_currency())
    before = {} if creating else _values(campaign)
    campaign.title = clean_text(title, field="title", most=200, required=_("Give the campaign a title."))
    campaign.description = clean_text(description, field="description", most=10_000, multiline=True)
    campaign.offer = clean_text(offer, field="offer", most=5_000, multiline=True)
    campaign.kinds, campaign.tiers, campaign.segments, campaign.regions = kinds, clean_tiers(tiers), segments, regions
    campaign.starts_on, campaign.ends_on = period(starts_on, ends_on)
    campaign.opt_in_until = None
    if opt_in_until not in (None, ""):
        last = a_date(opt_in_until, field="opt_in_until")
        if last > campaign.ends_on:
            raise ValidationError({"opt_in_until": _("Partners can't join after the campaign ends: choose "
                                                     "%(end)s or earlier.") % {"end": campaign.ends_on.isoformat()}})
        campaign.opt_in_until = last
    campaign.budget = amount(budget if str(budget).strip() else 0, field="budget", allow_zero=True)
    campaign.save()
    campaign.products.set(product_list)
    campaign.product_lines.set(list(product_lines))
    after = _values(campaign)
    audit(actor=actor, action="campaign.create" if creating else "campaign.update", obj=campaign,
          changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v})
    return campaign


@transaction.atomic
def campaign_publish(*, actor: Actor, campaign: Campaign) -> Campaign:
    """The partners the campaign targets see it from now on, and each of their people is told in the portal and
    by e-mail (``notices``, once the transaction commits). Publishing twice changes nothing."""
    from notices.services import NoticeCategory, broadcast

    permissions.require(actor, "campaign.manage")
    campaign = _locked(campaign)
    if campaign.status == CampaignStatus.PUBLISHED:
        return campaign
    if campaign.status != CampaignStatus.DRAFT:
        raise ServiceError(_("This campaign is %(status)s: it can't be published.")
                           % {"status": campaign.get_status_display()})
    today = timezone.localdate()
    if campaign.ends_on < today:
        raise ValidationError({"ends_on": _("The campaign ended on %(day)s: move its dates before publishing it.")
                               % {"day": campaign.ends_on.isoformat()}})
    if campaign.opt_in_until is not None and campaign.opt_in_until < today:
        raise ValidationError({"opt_in_until": _("Joining would already be closed (%(day)s): move that date "
                                                 "before publishing.") % {"day": campaign.opt_in_until.isoformat()}})
    campaign.status = CampaignStatus.PUBLISHED
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["status", "published_at", "updated_at"])
    recipients = selectors.targeted_partner_ids(campaign)
    audit(actor=actor, action="campaign.publish", obj=campaign, partners=recipients.count())
    broadcast(category=NoticeCategory.CAMPAIGNS, source=campaign, organization_ids=recipients,
              message=gettext_noop("New campaign: %(title)s"),
              params={"title": campaign.title, "starts_on": campaign.starts_on.isoformat(),
                      "ends_on": campaign.ends_on.isoformat()},
              url=reverse("portals:campaign", args=[campaign.pk]), actor=actor)
    return campaign


@transaction.atomic
def campaign_close(*, actor: Actor, campaign: Campaign) -> Campaign:
    """No one joins any more; the participants keep seeing it and their results."""
    permissions.require(actor, "campaign.manage")
    campaign = _locked(campaign)
    if campaign.status == CampaignStatus.CLOSED:
        return campaign
    if campaign.status != CampaignStatus.PUBLISHED:
        raise ServiceError(_("Only a published campaign can be closed."))
    campaign.status, campaign.closed_at = CampaignStatus.CLOSED, timezone.now()
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    audit(actor=actor, action="campaign.close", obj=campaign)
    return campaign


@transaction.atomic
def campaign_cancel(*, actor: Actor, campaign: Campaign, reason: str = "") -> Campaign:
    """A draft or published campaign is called off; the partners that joined are told."""
    permissions.require(actor, "campaign.manage")
    campaign = _locked(campaign)
    if campaign.status == CampaignStatus.CANCELLED:
        return campaign
    if campaign.status == CampaignStatus.CLOSED:
        raise ServiceError(_("A closed campaign can't be cancelled."))
    reason = clean_text(reason, field="reason", most=300)
    was = campaign.status
    campaign.status, campaign.closed_at = CampaignStatus.CANCELLED, timezone.now()
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    audit(actor=actor, action="campaign.cancel", obj=campaign, reason=reason, before=was)
    if was == CampaignStatus.PUBLISHED:
        from prm.core.notifications import Notice, notify_many

        joined = Participation.objects.filter(campaign=campaign, withdrawn_at__isnull=True)
        notify_many([Notice(users=partner_users(pid), kind="campaign.cancelled", url=reverse(
            "portals:campaign", args=[campaign.pk]), message=gettext_noop("HQ cancelled the campaign %(title)s."),
                            params={"title": campaign.title}) for pid in joined.values_list("partner_id", flat=True)])
    return campaign


@transaction.atomic
def material_add(*, actor: Actor, campaign: Campaign, title: str, file: Any) -> CampaignMaterial:
    """HQ attaches a brochure, price sheet, manual or picture to the campaign."""
    permissions.require(actor, "campaign.manage")
    campaign = _locked(campaign)
    if campaign.status in (CampaignStatus.CLOSED, CampaignStatus.CANCELLED):
        raise ServiceError(_("This campaign is %(status)s: its materials can't change.")
                           % {"status": campaign.get_status_display()})
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    kind = file_kind(file, field="file")
    if campaign.materials.count() >= MAX_MATERIALS:
        raise ServiceError(_("A campaign holds %(count)s files at most: remove one first.") % {"count": MAX_MATERIALS})
    label = clean_text(title, field="title", most=200) or original_name(file)
    size = file.size or 0
    file.name = f"campaign-{campaign.pk}.{kind}"
    material = CampaignMaterial.objects.create(campaign=campaign, title=label, file=file, kind=kind, size=size,
                                               created_by=actor.user)
    audit(actor=actor, action="campaign.material_add", obj=material, campaign=campaign.pk, title=label, kind=kind)
    return material


@transaction.atomic
def material_delete(*, actor: Actor, material: CampaignMaterial) -> None:
    permissions.require(actor, "campaign.manage")
    campaign = _locked(material.campaign)
    if campaign.status in (CampaignStatus.CLOSED, CampaignStatus.CANCELLED):
        raise ServiceError(_("This campaign is %(status)s: its materials can't change.")
                           % {"status": campaign.get_status_display()})
    audit(actor=actor, action="campaign.material_delete", obj=material, campaign=campaign.pk, title=material.title)
    material.file.delete(save=False)
    material.delete()


# --- partners --------------------------------------------------------------------------------------------------


def _partner(actor: Actor) -> Any:
    permissions.require(actor, "campaign.join")
    org = actor.organization
    if org is None or org.kind not in PARTNER_KINDS:
        raise ServiceError(_("Only dealers and distributors join campaigns."))
    if org.status != PartnerStatus.ACTIVE:
        raise ServiceError(_("Only an active partner can join a campaign. Ask HQ about your account's status."))
    return org


@transaction.atomic
def participation_join(*, actor: Actor, campaign: Campaign) -> Participation:
    """The actor's partner opts in. Joining again (a double click, a second person) changes nothing; the
    tenant's points for joining are earned once per campaign, whatever happens."""
    from rewards.models import PointsEvent
    from rewards.services.events import partner_did

    org = _partner(actor)
    if not selectors.is_eligible(org, campaign):
        raise ServiceError(_("This campaign is not open to your organisation."))
    existing = Participation.objects.select_for_update().filter(campaign=campaign, partner=org).first()
    if existing is not None and existing.withdrawn_at is None:
        return existing
    if not selectors.is_open_for_joining(campaign):
        raise ServiceError(_("Joining this campaign closed on %(day)s.")
                           % {"day": min(campaign.opt_in_until or campaign.ends_on, campaign.ends_on).isoformat()})
    now = timezone.now()
    participation, created = Participation.objects.get_or_create(
        campaign=campaign, partner=org, defaults={"joined_at": now, "joined_by": actor.user})
    if not created:  # joined again after withdrawing, or a second click that got here at the same moment
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        if participation.withdrawn_at is None and existing is None:
            return participation
        participation.withdrawn_at = None
        participation.joined_at, participation.joined_by = now, actor.user
        participation.save(update_fields=["withdrawn_at", "joined_at", "joined_by"])
    audit(actor=actor, action="campaign.join", obj=participation, campaign=campaign.pk, again=not created)
    activity.record(verb=ActivityVerb.CAMPAIGN_JOINED, user=actor.user, organization=org, obj=campaign)
    partner_did(partner=org, event=PointsEvent.CAMPAIGN_JOINED, reference=f"campaign:{campaign.pk}", actor=actor,
                detail=campaign.title)
    return participation


@transaction.atomic
def participation_withdraw(*, actor: Actor, campaign: Campaign) -> Participation:
    """The partner leaves a campaign it joined, until the campaign starts (its plans for it withdrawn first)."""
    org = _partner(actor)
    participation = (Participation.objects.select_for_update()
                     .filter(campaign=campaign, partner=org, withdrawn_at__isnull=True).first())
    if participation is None:
        raise ServiceError(_("Your organisation has not joined this campaign."))
    if timezone.localdate() >= campaign.starts_on:
        raise ServiceError(_("The campaign started on %(day)s: it can no longer be left.")
                           % {"day": campaign.starts_on.isoformat()})
    if FundPlan.objects.filter(campaign=campaign, partner=org,
                               status__in=[PlanStatus.SUBMITTED, PlanStatus.APPROVED]).exists():
        raise ServiceError(_("A marketing fund plan of yours is tied to this campaign: withdraw that plan first."))
    participation.withdrawn_at = timezone.now()
    participation.save(update_fields=["withdrawn_at"])
    audit(actor=actor, action="campaign.withdraw", obj=participation, campaign=campaign.pk)
    return participation

