"""URLs of a manufacturer's domain: the three portals, the public quote form and the API."""

from typing import Any

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from orders import views as order_views


class EnglishSchemaView(SpectacularAPIView):
    """The API contract is one document: English, whatever language the caller's browser prefers."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        from django.utils import translation

        with translation.override("en"):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # lazy labels become English text now, not in the caller's language later
        return response


urlpatterns = [
    path("accounts/", include("prm.accounts.urls")),
    path("request-quote/", order_views.quote_request, name="quote_request"),
    path("request-quote/thanks/<str:number>/", order_views.quote_thanks, name="quote_thanks"),
    path("api/v1/", include("prm.api_urls")),
    path("api/schema/", EnglishSchemaView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
    path("", include("prm.portals.urls")),
]

handler403 = "prm.portals.errors.forbidden"
handler404 = "prm.portals.errors.not_found"
handler500 = "prm.portals.errors.server_error"
