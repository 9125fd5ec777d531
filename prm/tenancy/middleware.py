from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware

from prm.tenancy.models import Tenant


class TenantMiddleware(TenantMainMiddleware):
    """django-tenants' host routing, plus: host names match whatever their case, and a suspended tenant's
    domain answers 503 and serves nothing."""

    @staticmethod
    def hostname_from_request(request: HttpRequest) -> str:
        return TenantMainMiddleware.hostname_from_request(request).lower()

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        response = super().process_request(request)
        tenant = getattr(request, "tenant", None)
        if tenant is not None and getattr(tenant, "status", None) == Tenant.Status.SUSPENDED:
            return HttpResponse(_("This portal is suspended. Contact the service operator."), status=503,
                                content_type="text/plain; charset=utf-8")
        return response
