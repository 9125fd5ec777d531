"""URLs of the public domain: the operator console."""

from django.contrib.auth import views as auth_views
from django.urls import path

from prm.accounts.forms import EmailAuthenticationForm
from prm.accounts.views import language_set
from prm.tenancy import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("console/", views.console, name="console"),
    path("console/tenants/<slug:slug>/limits/", views.console_limits, name="console_limits"),
    path("console/login/", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                        authentication_form=EmailAuthenticationForm,
                                                        next_page="console"), name="console_login"),
    path("console/logout/", auth_views.LogoutView.as_view(next_page="console_login"), name="console_logout"),
    path("language/", language_set, name="public_language"),
]

handler403 = "prm.portals.errors.forbidden"
handler404 = "prm.portals.errors.not_found"
handler500 = "prm.portals.errors.server_error"
