from django import forms
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import Tenant


class TenantCreateForm(forms.Form):
    name = forms.CharField(label=_("Manufacturer name"), max_length=200)
    slug = forms.SlugField(label=_("Slug"), max_length=39,
                           help_text=_("Lower-case letters and digits; also the schema name."))
    domain = forms.CharField(label=_("Domain"), max_length=253, help_text=_("e.g. acme.example.com"))
    admin_email = forms.EmailField(label=_("First HQ admin's e-mail"), max_length=254)
    admin_password = forms.CharField(label=_("First HQ admin's password"), min_length=8,
                                     widget=forms.PasswordInput(render_value=False))


class TenantLimitsForm(forms.ModelForm):
    """The operator's limits on one dealer-list upload for a manufacturer."""

    class Meta:
        model = Tenant
        fields = ["dealer_list_max_mb", "dealer_list_max_rows", "currency", "dealers_order_from_hq"]
