"""Campaign pages. HQ drafts, publishes, closes and cancels campaigns and reads who joined and what they sold; a
partner it targets reads it on a phone, opts in (or out, before it starts) and sees its own figures.

Every object comes through a selector (a campaign not targeted at the partner, or another tenant's, is a 404);
every write is one service whose refusal is shown as a message, never a 500."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import permissions
from campaigns.choices import CampaignStatus, PlanStatus
from campaigns.forms import CampaignForm, MaterialForm
from campaigns.models import Campaign, FundPlan
from campaigns.selectors import campaigns as selectors
from campaigns.selectors.funds import queue_counts
from campaigns.services import campaigns as services
from prm.core.actor import Actor
from prm.core.errors import ServiceError, error_text
from prm.core.files import serve, stored_kind
from prm.core.forms import add_service_errors
from prm.core.roles import OrgKind
from prm.portals.access import portal_required

PARTNERS = (OrgKind.DEALER, OrgKind.DISTRIBUTOR)
EVERYONE = (*PARTNERS, OrgKind.HQ)
PER_PAGE = 25
RESULTS_PER_PAGE = 50


def _manager(request: HttpRequest, action: str = "campaign.manage") -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if not permissions.can(actor, action):
        raise PermissionDenied(_("Your role can't do this. Ask an administrator of your organisation."))
    return actor


def _known_tiers() -> list[str]:
    from partners.models import Organization

    return sorted(set(Organization.objects.exclude(tier="").values_list("tier", flat=True)), key=str.casefold)


class _Counted(Sequence[Any]):
    """A sequence of ``n`` rows that are read elsewhere: lets a Paginator number the pages of a result read with
    LIMIT and OFFSET."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, key: Any) -> Any:
        return []


def _page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "1")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 7 and int(text) > 0 else 1


def _results_page(campaign: Campaign, request: HttpRequest) -> tuple[selectors.CampaignResults, Any]:
    number = _page_number(request)
    results = selectors.campaign_results(campaign, limit=RESULTS_PER_PAGE, offset=(number - 1) * RESULTS_PER_PAGE)
    page: Page[Any] = Paginator(_Counted(results.participants), RESULTS_PER_PAGE).get_page(number)
    if page.number != number:  # past the last page: show the last one
        results = selectors.campaign_results(campaign, limit=RESULTS_PER_PAGE,
                                             offset=(page.number - 1) * RESULTS_PER_PAGE)
    return results, page


def _notices(actor: Actor, campaign: Campaign) -> list[Any]:
    """The notices sent about the campaign, with their sent / failed / opted-out counts."""
    from notices.selectors import broadcast_summary

    return broadcast_summary(campaign, actor=actor)


# --- HQ --------------------------------------------------------------------------------------------------------


@portal_required(OrgKind.HQ)
def hq_campaigns(request: HttpRequest) -> HttpResponse:
    actor = _manager(request, "campaign.results")
    status = request.GET.get("status", "")
    qs = selectors.campaigns_with_counts(actor).order_by("-created_at", "-id")
    if status in CampaignStatus.values:
        qs = qs.filter(status=status)
    return render(request, "campaigns/hq_campaign_list.html", {
        "page": Paginator(qs, PER_PAGE).get_page(request.GET.get("page")), "status": status,
        "statuses": CampaignStatus.choices, "can_manage": permissions.can(actor, "campaign.manage"),
        "counts": queue_counts(actor)})


@portal_required(OrgKind.HQ)
def hq_campaign_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = _manager(request)
    campaign = selectors.campaign_get(actor, pk) if pk is not None else None
    if campaign is not None and campaign.status != CampaignStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed: this campaign is %(status)s.")
                       % {"status": campaign.get_status_display()})
        return redirect("portals:hq_campaign", pk=campaign.pk)
    form = CampaignForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.campaign_save(actor=actor, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("“%(title)s” is saved as a draft: add its materials, then publish it.")
                             % {"title": saved.title})
            return redirect("portals:hq_campaign", pk=saved.pk)
    return render(request, "campaigns/hq_campaign_form.html", {"form": form, "campaign": campaign,
                                                              "known_tiers": _known_tiers()})


def _hq_detail(request: HttpRequest, actor: Actor, campaign: Campaign, *,
               material_form: MaterialForm | None = None, status: int = 200) -> HttpResponse:
    results, page = _results_page(campaign, request)
    plans = (FundPlan.objects.filter(campaign=campaign).select_related("partner")
             .exclude(status=PlanStatus.WITHDRAWN).order_by("-created_at", "-id"))
    return render(request, "campaigns/hq_campaign_detail.html", {
        "campaign": campaign, "audience": campaign.audience_summary(),
        "products": list(campaign.products.select_related("product_line")[:200]),
        "materials": list(campaign.materials.all()),
        "material_form": material_form or MaterialForm(),
        "targeted": selectors.targeted_count(campaign),
        "results": results, "page": page, "plans": plans[:50],
        "notices": _notices(actor, campaign),
        "can_manage": permissions.can(actor, "campaign.manage"),
        "is_draft": campaign.status == CampaignStatus.DRAFT,
        "is_published": campaign.status == CampaignStatus.PUBLISHED,
        "is_open": campaign.status in (CampaignStatus.DRAFT, CampaignStatus.PUBLISHED),
    }, status=status)


@portal_required(OrgKind.HQ)
def hq_campaign(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign as HQ runs it: who it is for, materials, publishing, and who joined with their figures."""
    actor = _manager(request, "campaign.results")
    return _hq_detail(request, actor, selectors.campaign_get(actor, pk))


def _run(request: HttpRequest, action: Any, done: str) -> bool:
    try:
        action()
    except (ServiceError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, done)
    return True


@require_POST
@portal_required(OrgKind.HQ)
def hq_campaign_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    campaign = selectors.campaign_get(actor, pk)
    _run(request, lambda: services.campaign_publish(actor=actor, campaign=campaign),
         _("“%(title)s” is published: the partners it is for see it now and are being told.")
         % {"title": campaign.title})
    return redirect("portals:hq_campaign", pk=campaign.pk)


@require_POST
@portal_required(OrgKind.HQ)
def hq_campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    campaign = selectors.campaign_get(actor, pk)
    _run(request, lambda: services.campaign_close(actor=actor, campaign=campaign),
         _("“%(title)s” is closed: no one can join any more.") % {"title": campaign.title})
    return redirect("portals:hq_campaign", pk=campaign.pk)


@require_POST
@portal_required(OrgKind.HQ)
def hq_campaign_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    campaign = selectors.campaign_get(actor, pk)
    _run(request, lambda: services.campaign_cancel(actor=actor, campaign=campaign,
                                                   reason=request.POST.get("reason", "")),
         _("“%(title)s” is cancelled.") % {"title": campaign.title})
    return redirect("portals:hq_campaign", pk=campaign.pk)


@require_POST
@portal_required(OrgKind.HQ)
def hq_campaign_material_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    campaign = selectors.campaign_get(actor, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            material = services.material_add(actor=actor, campaign=campaign, title=form.cleaned_data["title"],
                                             file=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("“%(title)s” is added.") % {"title": material.title})
            return redirect("portals:hq_campaign", pk=campaign.pk)
    return _hq_detail(request, actor, campaign, material_form=form, status=400)


@require_POST
@portal_required(OrgKind.HQ)
def hq_campaign_material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    material = selectors.material_get(actor, pk)
    title = material.title
    _run(request, lambda: services.material_delete(actor=actor, material=material),
         _("“%(title)s” is removed.") % {"title": title})
    return redirect("portals:hq_campaign", pk=material.campaign_id)


# --- partners (HQ may look) ------------------------------------------------------------------------------------


@portal_required(*PARTNERS)
def campaigns(request: HttpRequest) -> HttpResponse:
    """The campaigns for the partner: those it can join, those it joined, and ended ones."""
    actor = request.actor  # type: ignore[attr-defined]
    page = Paginator(selectors.campaigns_for_partner(actor), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "campaigns/campaign_list.html", {"page": page, "today": timezone.localdate()})


@portal_required(*EVERYONE)
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    campaign = selectors.campaign_get(actor, pk)
    participation = None if actor.is_hq else selectors.participation_of(actor, campaign)
    joined = participation is not None and participation.is_active
    eligible = not actor.is_hq and actor.organization is not None and selectors.is_eligible(actor.organization,
                                                                                            campaign)
    today = timezone.localdate()
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign, "preview": actor.is_hq, "joined": joined, "participation": participation,
        "products": list(campaign.products.select_related("product_line")[:200]),
        "materials": list(campaign.materials.all()),
        "can_join": (not joined and eligible and selectors.is_open_for_joining(campaign)
                     and permissions.can(actor, "campaign.join")),
        "can_withdraw": joined and today < campaign.starts_on and permissions.can(actor, "campaign.join"),
        "can_propose": joined and campaign.status == CampaignStatus.PUBLISHED
        and permissions.can(actor, "fund.propose"),
        "mine": selectors.campaign_results(campaign, partner_id=actor.organization_id).rows[:1] if joined else [],
        "plans": list(FundPlan.objects.filter(campaign=campaign, partner_id=actor.organization_id)) if joined else [],
        "joining_closes": min(campaign.opt_in_until or campaign.ends_on, campaign.ends_on),
        "today": today,
    })


def _partner_run(request: HttpRequest, action: Any, done: str) -> bool:
    """``_run`` for a partner's button: a role that may not do it is told so on the page."""
    try:
        return _run(request, action, done)
    except PermissionDenied:
        messages.error(request, _("Your role can't do this. Ask an administrator of your organisation."))
        return False


@require_POST
@portal_required(*PARTNERS)
def campaign_join(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    campaign = selectors.campaign_get(actor, pk)
    _partner_run(request, lambda: services.participation_join(actor=actor, campaign=campaign),
                 _("You joined “%(title)s”.") % {"title": campaign.title})
    return redirect("portals:campaign", pk=campaign.pk)


@require_POST
@portal_required(*PARTNERS)
def campaign_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    campaign = selectors.campaign_get(actor, pk)
    _partner_run(request, lambda: services.participation_withdraw(actor=actor, campaign=campaign),
                 _("You left “%(title)s”.") % {"title": campaign.title})
    return redirect("portals:campaign", pk=campaign.pk)


@portal_required(*EVERYONE)
def campaign_material(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A campaign's file, for those who may see the campaign: pictures shown, documents downloaded."""
    material = selectors.material_get(request.actor, pk)  # type: ignore[attr-defined]
    return serve(material.file, stored_kind(material.file), download_name=f"campaign-{material.campaign_id}-"
                 f"{material.pk}", inline=material.is_image)
