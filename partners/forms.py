from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.choices import Capability, OrgKind, Role, Segment
from partners.models import Organization, ProductLine


class DealerListUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Dealer list file"),
        help_text=_("CSV (any encoding), XLSX or XLS, as your spreadsheet program saves it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx,.xls,.xlsm"}),
    )


class ColumnMappingForm(forms.Form):
    """One choice per column of the file: which dealer field it holds, or none. Built from the upload's
    analysed headers; ``mapping`` is the checked field -> column result."""

    remember = forms.BooleanField(label=_("Use these columns for my next uploads"), required=False, initial=True)

    def __init__(self, *args: Any, headers: list[str], initial_mapping: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from partners.importing import FIELD_LABELS
        from partners.services.dealer_lists import column_letter

        by_col = {col: fld for fld, col in initial_mapping.items()}
        choices = [("", _("— not imported —")), *((fld, _(label)) for fld, label in FIELD_LABELS.items())]
        self.column_names = []
        for col, header in enumerate(headers):
            name = f"col_{col}"
            self.fields[name] = forms.ChoiceField(
                label=f"{column_letter(col)} · {header}" if header else column_letter(col), required=False,
                choices=choices, initial=by_col.get(col, ""))
            self.column_names.append(name)
        self.mapping: dict[str, int] = dict(initial_mapping)

    def clean(self) -> dict:
        from partners.services.dealer_lists import mapping_from_columns, mapping_problems

        data = super().clean() or {}
        chosen = {int(name[4:]): data.get(name) or "" for name in self.column_names}
        mapping, problems = mapping_from_columns(chosen)
        problems += mapping_problems(mapping, len(self.column_names))
        for problem in problems:
            self.add_error(None, problem)
        self.mapping = mapping
        return data


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Name or business number")}))
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), (OrgKind.DISTRIBUTOR, _("Distributors")),
                                      (OrgKind.DEALER, _("Dealers"))])
    review = forms.BooleanField(label=_("Needs HQ review"), required=False)


class PartnerCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(OrgKind.DISTRIBUTOR, _("Distributor")),
                                                      (OrgKind.DEALER, _("Dealer"))])
    name = forms.CharField(label=_("Name"), max_length=200)
    business_number = forms.CharField(label=_("Business registration number"), max_length=20,
                                      widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                    "placeholder": "123-45-67890"}))
    representative = forms.CharField(label=_("Representative"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    address = forms.CharField(label=_("Address"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))
    product_lines = forms.ModelMultipleChoiceField(label=_("Authorised product lines"), required=False,
                                                   queryset=ProductLine.objects.all(),
                                                   widget=forms.CheckboxSelectMultiple)
    supplier = forms.ModelChoiceField(label=_("Primary distributor (dealers)"), required=False,
                                      queryset=Organization.objects.filter(kind=OrgKind.DISTRIBUTOR))
    admin_email = forms.EmailField(label=_("First user's e-mail"), required=False, max_length=254,
                                   help_text=_("They get an e-mail with a link to choose a password."))

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("kind") == OrgKind.DISTRIBUTOR and data.get("supplier"):
            self.add_error("supplier", _("Only a dealer has a supplying distributor."))
        return data

    def admin_role(self) -> str:
        kind = self.cleaned_data["kind"]
        return Role.DISTRIBUTOR_ADMIN if kind == OrgKind.DISTRIBUTOR else Role.DEALER_ADMIN


class PartnerEditForm(forms.ModelForm):
    product_lines = forms.ModelMultipleChoiceField(label=_("Authorised product lines"), required=False,
                                                   queryset=ProductLine.objects.all(),
                                                   widget=forms.CheckboxSelectMultiple)
    segments = forms.MultipleChoiceField(label=_("Segments"), required=False, choices=Segment.choices,
                                         widget=forms.CheckboxSelectMultiple)
    capabilities = forms.MultipleChoiceField(label=_("Capabilities"), required=False, choices=Capability.choices,
                                             widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Organization
        fields = ["name", "representative", "phone", "mobile", "email", "address", "segments", "capabilities",
                  "product_lines", "status", "tier", "credit_status", "credit_limit"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2}),
                   "phone": forms.TextInput(attrs={"type": "tel"}), "mobile": forms.TextInput(attrs={"type": "tel"})}


class ProductLineForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40,
                           help_text=_("Short and unique, e.g. aircon; used by the API."))
    name = forms.CharField(label=_("Name (Korean)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120, required=False)
