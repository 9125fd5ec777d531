"""Partner network pages: lists, profiles and exports in each portal, HQ's partner and product-line admin."""

import unicodedata
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orders.selectors import order_visible_to
from partners import permissions, selectors
from partners.choices import OrgKind
from partners.forms import (
    PartnerCreateForm,
    PartnerEditForm,
    PartnerFilterForm,
    ProductLineForm,
)
from partners.models import Organization, ProductLine
from partners.services import (
    member_invite,
    organization_create,
    organization_update,
    product_line_create,
    supply_link_review,
)
from prm.core.errors import ServiceError
from prm.core.forms import add_service_errors
from prm.portals.access import portal_required


def _filter(qs: QuerySet[Organization], request: HttpRequest) -> tuple[QuerySet[Organization], PartnerFilterForm]:
    form = PartnerFilterForm(request.GET or None)
    if form.is_valid():
        q = unicodedata.normalize("NFKC", form.cleaned_data["q"]).strip()  # full-width digits too
        if q:
            digits = "".join(ch for ch in q if ch.isdigit())
            cond = Q(name__icontains=q)
            if len(digits) >= 3:
                cond |= Q(business_number__contains=digits)
            qs = qs.filter(cond)
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data.get("review"):
            qs = qs.filter(needs_review=True)
    return qs, form


def _page(request: HttpRequest, qs: QuerySet[Any], per_page: int = 25) -> Any:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _detail_context(request: HttpRequest, org: Organization) -> dict[str, Any]:
    actor = request.actor  # type: ignore[attr-defined]
    dealers = None
    dealer_total = 0
    if org.kind == OrgKind.DISTRIBUTOR:
        supplied = selectors.dealer_visible_to(actor).filter(supply_links__distributor=org,
                                                             supply_links__is_approved=True).distinct()
        dealer_total = supplied.count()
        dealers = supplied[:50]
    return {
        "org": org,
        "suppliers": selectors.suppliers_of(actor, org) if org.kind == OrgKind.DEALER else [],
        "can_review": permissions.can(actor, "supply_link.review"),
        "can_edit": org.kind != OrgKind.HQ and permissions.can(actor, "organization.update"),
        "dealers": dealers,
        "dealer_total": dealer_total,
        "orders": order_visible_to(actor).filter(dealer=org)[:10],
        "product_lines": org.product_lines.all(),
    }


def _export(request: HttpRequest, qs: QuerySet[Organization]) -> HttpResponseBase:
    """?format=xlsx or CSV: what the list shows (same filters), nothing the caller may not see."""
    from django.http import StreamingHttpResponse

    from partners import exports

    qs = qs.order_by("name", "id")
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(exports.to_xlsx(qs),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="dealers-{stamp}.xlsx"'
        return response
    streamed = StreamingHttpResponse(exports.to_csv(qs), content_type="text/csv; charset=utf-8")
    streamed["Content-Disposition"] = f'attachment; filename="dealers-{stamp}.csv"'
    return streamed


@portal_required(OrgKind.HQ)
def hq_partners_export(request: HttpRequest) -> HttpResponseBase:
    qs = selectors.organization_visible_to(request.actor).exclude(kind=OrgKind.HQ)  # type: ignore[attr-defined]
    qs, _form = _filter(qs, request)
    return _export(request, qs)


@portal_required(OrgKind.DISTRIBUTOR)
def distributor_dealers_export(request: HttpRequest) -> HttpResponseBase:
    qs, _form = _filter(selectors.dealer_visible_to(request.actor), request)  # type: ignore[attr-defined]
    return _export(request, qs)


@portal_required(OrgKind.HQ)
def hq_partners(request: HttpRequest) -> HttpResponse:
    qs = selectors.organization_visible_to(request.actor).exclude(kind=OrgKind.HQ)  # type: ignore[attr-defined]
    qs, form = _filter(qs, request)
    return render(request, "partners/organization_list.html",
                  {"page": _page(request, qs), "form": form, "title": _("Partners")})


@portal_required(OrgKind.HQ)
def hq_partner_new(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    if not permissions.can(actor, "organization.create"):
        raise PermissionDenied
    form = PartnerCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        admin_email = data.pop("admin_email")
        try:
            with transaction.atomic():
                org = organization_create(actor=actor, **data)
                if admin_email:
                    try:
                        member_invite(actor=actor, organization=org, email=admin_email, role=form.admin_role(),
                                      domain=request.get_host(), use_https=request.is_secure(),
                                      language=translation.get_language() or "ko")
                    except ValidationError as exc:
                        raise ValidationError({"admin_email": exc.messages}) from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added to the network.") % {"name": org.name})
            return redirect("portals:hq_partner", pk=org.pk)
    return render(request, "partners/organization_form.html", {"form": form})


@require_POST
@portal_required(OrgKind.HQ)
def hq_supply_link_review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    link = selectors.supply_link_pending_get(actor, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        supply_link_review(actor=actor, link=link, approve=approve)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        text = (_("%(distributor)s now supplies %(dealer)s.") if approve
                else _("The link from %(distributor)s to %(dealer)s was refused."))
        messages.success(request, text % {"distributor": link.distributor.name, "dealer": link.dealer.name})
    return redirect("portals:hq_partner", pk=link.dealer_id)


@portal_required(OrgKind.HQ)
def hq_partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    org = selectors.organization_get(actor, pk)
    if org.kind == OrgKind.HQ or not permissions.can(actor, "organization.update"):
        raise PermissionDenied
    form = PartnerEditForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "product_lines"}
        try:
            organization_update(actor=actor, organization=org, product_lines=list(form.cleaned_data["product_lines"]),
                                **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": values["name"]})
            return redirect("portals:hq_partner", pk=org.pk)
    return render(request, "partners/organization_edit.html", {"form": form, "org": org})


@portal_required(OrgKind.HQ)
def hq_product_lines(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = ProductLineForm(request.POST or None)
    if request.method == "POST":
        if not permissions.can(actor, "product_line.manage"):
            raise PermissionDenied
        if form.is_valid():
            try:
                line = product_line_create(actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Product line %(name)s was added.") % {"name": line.name})
                return redirect("portals:hq_product_lines")
    lines = ProductLine.objects.annotate(
        dealers=Count("organizations", filter=Q(organizations__kind=OrgKind.DEALER))).order_by("name")
    return render(request, "partners/product_lines.html", {"form": form, "lines": lines})


@portal_required(OrgKind.HQ)
def hq_partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.actor, pk)  # type: ignore[attr-defined]
    return render(request, "partners/organization_detail.html", _detail_context(request, org))


@portal_required(OrgKind.DISTRIBUTOR)
def distributor_dealers(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    qs = selectors.dealer_visible_to(actor)
    qs, form = _filter(qs, request)
    return render(request, "partners/organization_list.html",
                  {"page": _page(request, qs), "form": form, "title": _("My dealers"), "hide_kind": True})


@portal_required(OrgKind.DISTRIBUTOR)
def distributor_dealer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.actor, pk)  # type: ignore[attr-defined]
    return render(request, "partners/organization_detail.html", _detail_context(request, org))


@portal_required(OrgKind.DEALER)
def dealer_profile(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    org = selectors.organization_get(actor, actor.organization_id)
    return render(request, "partners/organization_detail.html", _detail_context(request, org))
