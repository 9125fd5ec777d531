from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from prm.accounts.models import User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        # Phones capitalise the first letter; addresses are stored in lower case.
        return self.cleaned_data["username"].strip().lower()

    error_messages = {
        "invalid_login": _("The e-mail address or password is not right. Check both and try again."),
        "inactive": _("This account is inactive. Ask your administrator to reactivate it."),
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Also for people invited who never chose a password (Django's form skips them): a lost invitation
    e-mail is then mended with "Forgot your password?"."""

    def get_users(self, email: str) -> Iterator[Any]:
        return (u for u in User.objects.filter(email__iexact=email.strip(), is_active=True))


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=User.Language.choices)
