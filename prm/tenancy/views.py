"""The operator console on the public domain: list tenants, provision a new one."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from prm.core.forms import add_service_errors
from prm.tenancy.forms import TenantCreateForm, TenantLimitsForm
from prm.tenancy.models import Tenant
from prm.tenancy.services import tenant_provision, tenant_set_limits


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "tenancy/landing.html")


@staff_member_required(login_url="console_login")
def console(request: HttpRequest) -> HttpResponse:
    form = TenantCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provisioned = tenant_provision(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Tenant %(name)s is ready at %(domain)s.")
                             % {"name": provisioned.tenant.name, "domain": provisioned.domain.domain})
            return redirect("console")
    tenants = Tenant.objects.exclude(schema_name="public").prefetch_related("domains")
    return render(request, "tenancy/console.html", {"form": form, "tenants": tenants})


@staff_member_required(login_url="console_login")
def console_limits(request: HttpRequest, slug: str) -> HttpResponse:
    """One manufacturer's limits on dealer-list uploads (file size and rows)."""
    tenant = get_object_or_404(Tenant.objects.exclude(schema_name="public"), slug=slug)
    form = TenantLimitsForm(request.POST or None, instance=tenant)
    if request.method == "POST" and form.is_valid():
        try:
            tenant_set_limits(tenant=tenant, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Limits for %(name)s saved.") % {"name": tenant.name})
            return redirect("console")
    return render(request, "tenancy/console_limits.html", {"form": form, "tenant": tenant})
