from django import forms
from django.utils.translation import gettext_lazy as _

from partners.choices import OrgKind


class DealerListUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Dealer list file"),
        help_text=_("CSV (any encoding), XLSX or XLS, as your spreadsheet program saves it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx,.xls,.xlsm"}),
    )


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Name or business number")}))
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), (OrgKind.DISTRIBUTOR, _("Distributors")),
                                      (OrgKind.DEALER, _("Dealers"))])
