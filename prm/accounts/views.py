from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from prm.accounts.forms import EmailAuthenticationForm, LanguageForm, PasswordResetForm

PORTAL_PREFIXES = {"hq": "/hq/", "distributor": "/distributor/", "dealer": "/dealer/"}


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # A language picked on the login page (a cookie) is the one this person wants from now on.
        from django.conf import settings

        picked = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = form.get_user()
        if picked in dict(settings.LANGUAGES) and user.language != picked:
            user.language = picked
            user.save(update_fields=["language"])
        return response

    def get_success_url(self) -> str:
        """The page asked for, unless it belongs to another portal: then the user's own portal."""
        from prm.core.actor import actor_for

        url = super().get_success_url()
        actor = actor_for(self.request.user)
        own = PORTAL_PREFIXES.get(actor.kind or "") if actor else None
        if own and any(url.startswith(prefix) for prefix in PORTAL_PREFIXES.values()) and not url.startswith(own):
            return own
        return url


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("portals:home")
    post_reset_login = True  # someone who just chose a password wants to be in, not at a login form
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch between Korean and English; remembered on the user and in a cookie for anonymous visitors."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("portals:home")
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        translation.activate(language)
        from django.conf import settings

        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response
