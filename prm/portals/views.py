"""Each portal's home page: what is new for this partner."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from orders.choices import OfferStatus, OrderStatus
from orders.selectors import offer_visible_to, order_status_counts, order_visible_to
from partners import selectors as partner_selectors
from partners.choices import OrgKind
from partners.models import SupplyLink
from prm.core.actor import Actor, actor_for
from prm.portals.access import PORTAL_HOME, portal_required


def home(request: HttpRequest) -> HttpResponse:
    """The tenant's front door: logged-in users land in their own portal."""
    if not request.user.is_authenticated:
        return redirect(reverse("accounts:login"))
    actor = actor_for(request.user)
    if actor is None or actor.kind not in PORTAL_HOME:
        return render(request, "portals/no_membership.html", status=403)
    return redirect(PORTAL_HOME[actor.kind])


@portal_required(OrgKind.HQ)
def hq_home(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    orders = order_visible_to(actor)
    counts = order_status_counts()
    return render(request, "portals/hq_home.html", {
        "network": partner_selectors.network_counts(),
        "needs_review": partner_selectors.dealer_visible_to(actor).filter(needs_review=True).count(),
        "order_counts": [(status, label, counts.get(status, 0)) for status, label in OrderStatus.choices],
        "recent_orders": orders[:8],
        "unroutable": orders.filter(status=OrderStatus.UNROUTABLE)[:5],
        "recent_uploads": partner_selectors.upload_visible_to(actor)[:5],
    })


@portal_required(OrgKind.DISTRIBUTOR)
def distributor_home(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    dealers = partner_selectors.dealer_visible_to(actor)
    return render(request, "portals/distributor_home.html", {
        "dealer_count": dealers.count(),
        "pending_links": SupplyLink.objects.filter(distributor_id=actor.organization_id, is_approved=False).count(),
        "pending_dealers": SupplyLink.objects.filter(distributor_id=actor.organization_id, is_approved=False)
        .select_related("dealer").order_by("-created_at")[:10],
        "recent_uploads": partner_selectors.upload_visible_to(actor)[:5],
        "open_offers": offer_visible_to(actor).filter(status=OfferStatus.PENDING)[:10],
        "tier": _tier(actor),
    })


@portal_required(OrgKind.DEALER)
def dealer_home(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    offers = offer_visible_to(actor)
    return render(request, "portals/dealer_home.html", {
        "pending": offers.filter(status=OfferStatus.PENDING).order_by("created_at", "id"),
        "accepted": offers.filter(status=OfferStatus.ACCEPTED)[:10],
        "org": actor.organization,
        "tier": _tier(actor),
    })


def _tier(actor: Actor) -> Any:
    """The partner's tier and what the next one takes, for its home page."""
    from rewards.selectors.tiers import tier_progress

    return tier_progress(actor.organization) if actor.organization is not None else None


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; opening the page marks them read ("mark all read" too)."""
    from django.core.paginator import Paginator

    from prm.core.models import Notification
    from prm.core.notifications import mark_read

    if request.method == "POST":
        mark_read(user=request.user)  # type: ignore[arg-type]
        return redirect("portals:notifications")
    page = Paginator(Notification.objects.filter(user_id=request.user.pk or 0), 30).get_page(request.GET.get("page"))
    unread_ids = [n.pk for n in page.object_list if n.read_at is None]
    response = render(request, "core/notifications.html", {"page": page, "unread_ids": set(unread_ids)})
    mark_read(user=request.user, ids=unread_ids)  # type: ignore[arg-type]
    return response
