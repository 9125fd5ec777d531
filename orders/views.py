"""Order pages: HQ's list, detail (timeline) and entry; the dealer's offers; the public quote request."""


from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orders import permissions, selectors, services
from orders.choices import OfferStatus, OrderSource
from orders.forms import DeclineForm, OrderFilterForm, OrderForm, QuoteRequestForm
from partners.choices import OrgKind
from prm.core.errors import ServiceError, error_text
from prm.core.forms import add_service_errors
from prm.portals.access import portal_required


@portal_required(OrgKind.HQ)
def hq_orders(request: HttpRequest) -> HttpResponse:
    qs = selectors.order_visible_to(request.actor)  # type: ignore[attr-defined]
    form = OrderFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["status"]:
            qs = qs.filter(status=form.cleaned_data["status"])
        q = form.cleaned_data["q"].strip()
        if q:
            qs = qs.filter(Q(number__icontains=q) | Q(customer_name__icontains=q) | Q(dealer__name__icontains=q))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "orders/order_list.html", {"page": page, "form": form})


@portal_required(OrgKind.HQ)
def hq_order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(request.actor, pk)  # type: ignore[attr-defined]
    return render(request, "orders/order_detail.html", {
        "order": order,
        "can_route_again": order.status == "unroutable" and permissions.can(request.actor, "order.reroute"),  # type: ignore[attr-defined]
        "events": order.events.select_related("dealer", "user"),
        "offers": order.offers.select_related("dealer").order_by("rank"),
        "decisions": order.decisions.select_related("rule", "chosen").order_by("-round", "-id"),
        "reassign_form": _reassign_form(request, order),
        "can_rate": order.dealer_id is not None and order.status == "accepted"
        and permissions.can(request.actor, "order.rate"),  # type: ignore[attr-defined]
        "ratings": range(1, 6),
    })


@require_POST
@portal_required(OrgKind.HQ)
def hq_order_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """HQ records the customer's satisfaction with the dealer (a tier criterion)."""
    actor = request.actor  # type: ignore[attr-defined]
    order = selectors.order_get(actor, pk)
    try:
        services.order_rate(actor=actor, order=order, satisfaction=request.POST.get("satisfaction", ""))
    except (ServiceError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Rating saved."))
    return redirect("portals:hq_order", pk=order.pk)


@require_POST
@portal_required(OrgKind.HQ)
def hq_order_route_again(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    order = selectors.order_get(actor, pk)
    try:
        services.order_route_again(actor=actor, order=order)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Order %(number)s is being routed again.") % {"number": order.number})
    return redirect("portals:hq_order", pk=order.pk)


@portal_required(OrgKind.HQ)
def hq_order_new(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_create(actor=actor, source=OrderSource.HQ, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Order %(number)s was saved and is being routed.") % {"number": order.number})
            return redirect("portals:hq_order", pk=order.pk)
    return render(request, "orders/order_form.html",
                  {"form": form, "can_create": permissions.can(actor, "order.create")})


@portal_required(OrgKind.DEALER)
def dealer_orders(request: HttpRequest) -> HttpResponse:
    offers = selectors.offer_visible_to(request.actor)  # type: ignore[attr-defined]
    page = Paginator(offers, 25).get_page(request.GET.get("page"))
    return render(request, "orders/offer_list.html", {"page": page})


@portal_required(OrgKind.DEALER)
def dealer_offer(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    offer = selectors.offer_get(actor, pk)
    from orders.choices import OPEN_STAGES
    from orders.forms import ProgressForm

    can_progress = (offer.status == OfferStatus.ACCEPTED and offer.order.dealer_id == actor.organization_id
                    and offer.order.stage in OPEN_STAGES and permissions.can(actor, "order.progress"))
    return render(request, "orders/offer_detail.html", {
        "offer": offer, "order": offer.order, "decline_form": DeclineForm(),
        "progress_form": ProgressForm() if can_progress else None,
        "events": offer.order.events.filter(dealer_id=actor.organization_id).order_by("created_at"),
        "show_contact": selectors.order_contact_visible(offer.order, selectors.partner_dealer_ids(actor)),
        "can_respond": offer.status == OfferStatus.PENDING and permissions.can(actor, "offer.respond"),
    })


@require_POST
@portal_required(OrgKind.DEALER)
def dealer_offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    offer = selectors.offer_get(actor, pk)
    try:
        services.offer_accept(actor=actor, offer=offer)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You accepted order %(number)s. Contact the customer soon.")
                         % {"number": offer.order.number})
    return redirect("portals:dealer_offer", pk=offer.pk)


@require_POST
@portal_required(OrgKind.DEALER)
def dealer_offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    offer = selectors.offer_get(actor, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(error) for error in errors)
            messages.error(request, f"{label}: {text}" if label else text)
        return redirect("portals:dealer_offer", pk=offer.pk)
    try:
        services.offer_decline(actor=actor, offer=offer, reason=form.cleaned_data["reason"],
                               note=form.cleaned_data["note"])
    except (ServiceError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect("portals:dealer_offer", pk=offer.pk)
    messages.info(request, _("You declined order %(number)s. It goes to another dealer.")
                  % {"number": offer.order.number})
    return redirect("portals:dealer_home")


def quote_request(request: HttpRequest) -> HttpResponse:
    """The public "request a quote" form on the manufacturer's domain: no login."""
    form = QuoteRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.pop("website"):
            return redirect("quote_thanks", number="0")  # a bot filled the hidden field: pretend, store nothing
        try:
            order = services.order_create(actor=None, source=OrderSource.WEB, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session["quote_number"] = order.number
            return redirect("quote_thanks", number=order.number)
    return render(request, "orders/quote_request.html", {"form": form})


def quote_thanks(request: HttpRequest, number: str) -> HttpResponse:
    # Only the visitor who sent the request sees its reference: the page confirms nothing to anyone else.
    shown = number if request.session.get("quote_number") == number else None
    return render(request, "orders/quote_thanks.html", {"number": shown})




@portal_required(OrgKind.HQ)
def hq_routing(request: HttpRequest) -> HttpResponse:
    """The rule in use, HQ's draft of the next version (edit, publish) and every earlier version."""
    from orders.forms import WEEKDAYS, RoutingRuleForm
    from orders.models import RoutingRule
    from orders.routing import rule_in_use

    actor = request.actor  # type: ignore[attr-defined]
    can_manage = permissions.can(actor, "routing.manage")
    current = rule_in_use()
    draft = RoutingRule.objects.filter(status="draft").first()
    form = RoutingRuleForm(instance=draft) if draft else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "draft":
                services.routing_rule_draft(actor=actor)
                return redirect("portals:hq_routing")
            if draft is None:
                raise ServiceError(_("There is no draft. Start one from the rule in use."))
            if action == "save":
                form = RoutingRuleForm(request.POST, instance=RoutingRule.objects.get(pk=draft.pk))
                if form.is_valid():
                    values = {name: form.cleaned_data[name] for name in RoutingRule.SETTINGS}
                    services.routing_rule_draft_update(actor=actor, draft=draft, note=form.cleaned_data["note"],
                                                       **values)
                    messages.success(request, _("Draft v%(version)s saved.") % {"version": draft.version})
                    return redirect("portals:hq_routing")
            elif action == "publish":
                published = services.routing_rule_publish(actor=actor, draft=draft)
                messages.success(request, _("Rule v%(version)s is in use: the next orders follow it.")
                                 % {"version": published.version})
                return redirect("portals:hq_routing")
        except ServiceError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            if form is not None:
                add_service_errors(form, exc)
    simulation = None
    if draft is not None and request.method == "GET" and "simulate" in request.GET:
        from orders.routing import simulate

        try:
            last = min(max(int(request.GET.get("last", "200")), 1), 2000)
        except ValueError:
            last = 200
        simulation = simulate(current, draft, last=last)
    return render(request, "orders/routing_rules.html", {
        "current": current, "draft": draft, "form": form, "can_manage": can_manage, "simulation": simulation,
        "simulation_tables": [(_("By dealer"), simulation.by_dealer), (_("By tier"), simulation.by_tier),
                              (_("By region"), simulation.by_region)] if simulation else [],
        "versions": RoutingRule.objects.exclude(status="draft").select_related("published_by")[:30],
        "fields": RoutingRule.SETTINGS,
        "business_days": [label for day, label in WEEKDAYS if day in (current.business_days or [])],
    })


def _partner_deals(request: HttpRequest, template_portal: str) -> HttpResponse:
    from orders.forms import DealForm

    actor = request.actor  # type: ignore[attr-defined]
    can_register = permissions.can(actor, "deal.register")
    form = DealForm(request.POST or None)
    if request.method == "POST":
        if not can_register:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.deal_register(actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The deal was registered. HQ reviews it; once approved, orders from "
                                            "this customer come to you first."))
                return redirect(f"portals:{template_portal}_deals")
    deals = selectors.deal_visible_to(actor)
    return render(request, "orders/deal_list.html", {
        "form": form, "can_register": can_register, "page": Paginator(deals, 25).get_page(request.GET.get("page")),
    })


@portal_required(OrgKind.DEALER)
def dealer_deals(request: HttpRequest) -> HttpResponse:
    return _partner_deals(request, "dealer")


@portal_required(OrgKind.DISTRIBUTOR)
def distributor_deals(request: HttpRequest) -> HttpResponse:
    return _partner_deals(request, "distributor")


@portal_required(OrgKind.HQ)
def hq_deals(request: HttpRequest) -> HttpResponse:
    """Deals waiting for review first, each with the live deals it may conflict with."""
    from django.db.models import Case, IntegerField, When

    actor = request.actor  # type: ignore[attr-defined]
    deals = selectors.deal_visible_to(actor).annotate(
        waiting=Case(When(status="submitted", then=0), default=1, output_field=IntegerField())
    ).order_by("waiting", "-created_at", "-id")
    page = Paginator(deals, 25).get_page(request.GET.get("page"))
    deals_on_page = list(page.object_list)
    conflicts = selectors.deals_conflicts([deal for deal in deals_on_page if deal.status == "submitted"])
    rows = [(deal, conflicts.get(deal.pk, [])) for deal in deals_on_page]
    return render(request, "orders/deal_review.html", {
        "page": page, "rows": rows, "can_review": permissions.can(actor, "deal.review"),
    })


@require_POST
@portal_required(OrgKind.HQ)
def hq_deal_review(request: HttpRequest, pk: int) -> HttpResponse:
    from orders.forms import DealReviewForm

    actor = request.actor  # type: ignore[attr-defined]
    deal = selectors.deal_get(actor, pk)
    form = DealReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("portals:hq_deals")
    try:
        services.deal_review(actor=actor, deal=deal, approve=form.cleaned_data["decision"] == "approve",
                             reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Deal with %(name)s reviewed.") % {"name": deal.customer_name})
    return redirect("portals:hq_deals")


@require_POST
@portal_required(OrgKind.DEALER)
def dealer_offer_progress(request: HttpRequest, pk: int) -> HttpResponse:
    from orders.forms import ProgressForm

    actor = request.actor  # type: ignore[attr-defined]
    offer = selectors.offer_get(actor, pk)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors)))
        return redirect("portals:dealer_offer", pk=offer.pk)
    try:
        services.order_progress(actor=actor, order=offer.order, **form.cleaned_data)
    except (ServiceError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Order %(number)s updated.") % {"number": offer.order.number})
    return redirect("portals:dealer_offer", pk=offer.pk)


@portal_required(OrgKind.HQ)
def hq_funnel(request: HttpRequest) -> HttpResponse:
    """Where accepted orders stand: the funnel overall, per dealer and per region, and the stale ones."""
    from django.conf import settings
    from django.db.models import Count, Sum
    from django.utils import timezone as tz

    from orders.choices import OPEN_STAGES, OrderStage

    actor = request.actor  # type: ignore[attr-defined]
    orders = selectors.order_visible_to(actor)
    stages = [s.value for s in OrderStage]
    overall = {row["stage"]: row["n"] for row in orders.exclude(stage="").values("stage").annotate(n=Count("id"))}
    funnel = [(OrderStage(s).label, overall.get(s, 0)) for s in stages]
    won_value = orders.filter(stage="won").aggregate(v=Sum("won_value"))["v"] or 0

    def table(key: str) -> list[dict]:
        rows: dict[str, dict] = {}
        for row in orders.exclude(stage="").values(key, "stage").annotate(n=Count("id"), v=Sum("won_value")):
            label = row[key] or "—"
            entry = rows.setdefault(label, {"label": label, **{s: 0 for s in stages}, "value": 0})
            entry[row["stage"]] = row["n"]
            entry["value"] += row["v"] or 0
        return sorted(rows.values(), key=lambda r: (-(r["won"] + r["lost"] + r["quoted"] + r["contacted"]
                                                      + r["accepted"]), r["label"]))[:30]

    cutoff = tz.now() - timedelta(days=settings.ORDER_STALE_DAYS)
    stale = orders.filter(status="accepted", stage__in=OPEN_STAGES, stage_changed_at__lt=cutoff).order_by(
        "stage_changed_at")[:50]
    return render(request, "orders/funnel.html", {
        "funnel": funnel, "won_value": won_value, "by_dealer": table("dealer__name"),
        "by_region": table("region_label"), "stages": stages, "stale": stale,
        "stale_days": settings.ORDER_STALE_DAYS,
    })


def _reassign_form(request: HttpRequest, order: Any) -> Any:
    from orders.forms import ReassignForm

    if order.status == "accepted" or not permissions.can(request.actor, "order.reroute"):  # type: ignore[attr-defined]
        return None
    return ReassignForm()


@require_POST
@portal_required(OrgKind.HQ)
def hq_order_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    from orders.forms import ReassignForm

    actor = request.actor  # type: ignore[attr-defined]
    order = selectors.order_get(actor, pk)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors)))
        return redirect("portals:hq_order", pk=order.pk)
    try:
        offer = services.order_reassign(actor=actor, order=order, dealer=form.cleaned_data["dealer"],
                                        reason=form.cleaned_data["reason"])
    except (ServiceError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Order %(number)s was offered to %(dealer)s.")
                         % {"number": order.number, "dealer": offer.dealer.name})
    return redirect("portals:hq_order", pk=order.pk)


@require_POST
@portal_required(OrgKind.HQ)
def hq_dealer_reroute(request: HttpRequest, pk: int) -> HttpResponse:
    """Send every offer waiting on this dealer to the next best dealer (e.g. after suspending it)."""
    from partners.selectors import organization_get

    actor = request.actor  # type: ignore[attr-defined]
    dealer = organization_get(actor, pk)
    if dealer.kind != OrgKind.DEALER:
        raise Http404
    count = services.dealer_offers_reroute(actor=actor, dealer=dealer,
                                           reason=request.POST.get("reason", "")[:300])
    messages.success(request, _("%(count)s waiting orders of %(dealer)s are being routed to other dealers.")
                     % {"count": count, "dealer": dealer.name})
    return redirect("portals:hq_partner", pk=dealer.pk)


@portal_required(OrgKind.HQ)
def hq_fairness(request: HttpRequest) -> HttpResponse:
    """Order share against tier and dealer age over a period (default the last 30 days)."""
    import datetime as dt

    from django.utils import timezone as tz

    try:
        days = min(max(int(request.GET.get("days", "30")), 1), 366)
    except ValueError:
        days = 30
    until = tz.now()
    report = selectors.routing_fairness(since=until - dt.timedelta(days=days), until=until)
    return render(request, "orders/fairness.html", {"report": report, "days": days})
