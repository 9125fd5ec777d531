from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from prm.core.roles import OrgKind

NAVIGATION: dict[str, list[tuple[str, Any]]] = {
    OrgKind.HQ: [
        ("portals:hq_home", _("Home")),
        ("portals:hq_orders", _("Orders")),
        ("portals:hq_funnel", _("Funnel")),
        ("portals:hq_routing", _("Routing")),
        ("portals:hq_fairness", _("Fairness")),
        ("portals:hq_deals", _("Deals")),
        ("portals:hq_partners", _("Partners")),
        ("portals:hq_product_lines", _("Product lines")),
        ("portals:catalogue", _("Catalogue")),
        ("portals:sales", _("Partner orders")),
        ("portals:stock", _("Stock")),
        ("portals:buyer_accounts", _("Partner accounts")),
        ("portals:hq_training_courses", _("Training")),
        ("portals:hq_announcements", _("Announcements")),
        ("portals:hq_campaigns", _("Campaigns")),
        ("portals:hq_funds", _("Marketing funds")),
        ("portals:hq_notices", _("Notices")),
        ("portals:hq_tiers", _("Tiers")),
        ("portals:hq_points_partners", pgettext_lazy("mileage", "Points")),
        ("portals:hq_order_new", _("New order")),
    ],
    OrgKind.DISTRIBUTOR: [
        ("portals:distributor_home", _("Home")),
        ("portals:distributor_dealers", _("My dealers")),
        ("portals:distributor_uploads", _("Upload dealers")),
        ("portals:distributor_deals", _("Deals")),
        ("portals:catalogue", _("Catalogue")),
        ("portals:sales", _("Dealer orders")),
        ("portals:stock", _("Stock")),
        ("portals:buyer_accounts", _("Dealer accounts")),
        ("portals:purchases", _("Our purchases")),
        ("portals:cart", _("Cart")),
        ("portals:account", _("Account")),
        ("portals:announcements", _("Announcements")),
        ("portals:documents", _("Documents")),
        ("portals:distributor_announcements", _("Post to dealers")),
        ("portals:campaigns", _("Campaigns")),
        ("portals:fund_plans", _("Marketing funds")),
        ("portals:training_courses", _("Courses")),
        ("portals:partner_tier", _("Our tier")),
        ("portals:points_overview", pgettext_lazy("mileage", "Points")),
    ],
    OrgKind.DEALER: [
        ("portals:dealer_home", _("Home")),
        ("portals:dealer_orders", _("Orders")),
        ("portals:dealer_deals", _("Deals")),
        ("portals:catalogue", _("Catalogue")),
        ("portals:cart", _("Cart")),
        ("portals:purchases", _("Our purchases")),
        ("portals:account", _("Account")),
        ("portals:announcements", _("Announcements")),
        ("portals:documents", _("Documents")),
        ("portals:campaigns", _("Campaigns")),
        ("portals:fund_plans", _("Marketing funds")),
        ("portals:training_courses", _("Courses")),
        ("portals:partner_tier", _("Our tier")),
        ("portals:points_overview", pgettext_lazy("mileage", "Points")),
        ("portals:dealer_profile", _("Our profile")),
    ],
}


def portal(request: HttpRequest) -> dict[str, Any]:
    """The shell of the current portal: its navigation and the organisation working in it."""
    tenant = getattr(connection, "tenant", None)
    context: dict[str, Any] = {"tenant": tenant if getattr(tenant, "schema_name", "public") != "public" else None}
    if getattr(tenant, "schema_name", "public") == "public":
        return context
    from prm.portals.access import request_actor

    try:
        actor = request_actor(request) if hasattr(request, "user") else None
    except Exception:  # the schema may not be ready (e.g. during provisioning); the shell is optional
        actor = None
    if actor is None or actor.kind is None:
        return context
    path = request.path
    items = [(reverse(name), name.endswith("_home"), label) for name, label in NAVIGATION[actor.kind]]
    # The most specific entry is the current one (/hq/orders/new/ is "New order", not "Orders").
    matches = [url for url, home, _label in items if (path == url if home else path.startswith(url))]
    current = max(matches, key=len, default=None)
    nav = [{"url": url, "label": label, "active": url == current} for url, _home, label in items]
    from prm.core.notifications import unread_for

    context.update(actor=actor, portal_kind=actor.kind, portal_nav=nav, portal_org=actor.organization,
                   unread_notifications=unread_for(request.user).count())  # type: ignore[arg-type]
    return context
