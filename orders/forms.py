import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.choices import DeclineReason, LostReason, OrderStatus
from partners.models import Organization, ProductLine


class OrderForm(forms.Form):
    customer_name = forms.CharField(label=_("Customer name"), max_length=120)
    customer_phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                                     help_text=_("A phone number or an e-mail address is needed."),
                                     widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                                                   "inputmode": "tel"}))
    customer_email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    address = forms.CharField(label=_("Address"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Province and district at least, e.g. 서울특별시 강남구 테헤란로 1"))
    product_line = forms.ModelChoiceField(label=_("Product line"), queryset=ProductLine.objects.all(),
                                          empty_label=_("Choose a product line"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100000, initial=1)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class QuoteRequestForm(OrderForm):
    """The public form on the tenant's domain. A hidden field catches form-filling bots."""

    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Spoken to the customer, not about them.
        self.fields["customer_name"].label = _("Your name")
        self.fields["quantity"].label = _("How many")
        self.fields["note"].label = _("Anything the dealer should know")


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("Choose a reason")), *DeclineReason.choices])
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *OrderStatus.choices])
    q = forms.CharField(label=_("Search"), required=False)


WEEKDAYS = [(0, _("Mon")), (1, _("Tue")), (2, _("Wed")), (3, _("Thu")), (4, _("Fri")), (5, _("Sat")), (6, _("Sun"))]


class DateListField(forms.CharField):
    """Dates typed one per line (or separated by commas or spaces), as YYYY-MM-DD."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "2027-01-01\n2027-02-06"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(d.isoformat() if hasattr(d, "isoformat") else str(d) for d in value)
        return value

    def to_python(self, value: Any) -> list[dt.date]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            return list(value)
        dates = []
        for word in re.split(r"[\s,]+", (value or "").strip()):
            if not word:
                continue
            try:
                dates.append(dt.date.fromisoformat(word))
            except ValueError:
                raise forms.ValidationError(_("“%(value)s” is not a date: write it as YYYY-MM-DD."),
                                            params={"value": word[:20]}) from None
        if len(dates) > 366:
            raise forms.ValidationError(_("List at most 366 holidays."))
        return sorted(set(dates))


class RoutingRuleForm(forms.ModelForm):
    """The draft rule's filters and weights, and the deadline's business hours."""

    business_days = forms.TypedMultipleChoiceField(
        label=_("Business days"), choices=WEEKDAYS, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple)
    holidays = DateListField(label=_("Holidays"), required=False,
                             help_text=_("Days the clock does not run, one date per line (YYYY-MM-DD)."))

    class Meta:
        from orders.models import RoutingRule

        model = RoutingRule
        fields = ["note", *RoutingRule.SETTINGS]
        widgets = {
            **{name: forms.NumberInput(attrs={"step": "0.1", "min": "0", "inputmode": "decimal"})
               for name in RoutingRule.WEIGHTS},
            "business_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "business_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class DealForm(forms.Form):
    customer_name = forms.CharField(label=_("Customer name"), max_length=200)
    customer_business_number = forms.CharField(
        label=_("Customer's business registration number"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "123-45-67890"}))
    address = forms.CharField(label=_("Customer address"), max_length=300, required=False,
                              help_text=_("Province and district at least: a conflict check compares names "
                                          "within a district."))
    product_line = forms.ModelChoiceField(label=_("Product line"), queryset=ProductLine.objects.all(),
                                          empty_label=_("Choose a product line"))
    value = forms.IntegerField(label=_("Expected value (KRW)"), min_value=0, max_value=10**13)
    expected_close = forms.DateField(label=_("Expected close date"),
                                     widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DealReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason (shown to the partner)"), required=False, max_length=300)


class ProgressForm(forms.Form):
    """The dealer moves an accepted order on."""

    stage = forms.ChoiceField(label=_("Where does it stand?"), choices=[
        ("contacted", _("Customer contacted")), ("quoted", _("Quote sent")), ("won", _("Won")), ("lost", _("Lost"))])
    won_value = forms.IntegerField(label=_("Value of the sale (KRW)"), required=False, min_value=0,
                                   max_value=10**13)
    lost_reason = forms.ChoiceField(label=_("Why lost"), required=False,
                                    choices=[("", "—"), *[(c.value, c.label) for c in LostReason]])
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ReassignForm(forms.Form):
    dealer: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Dealer"), queryset=Organization.objects.none(), empty_label=_("Choose a dealer"))
    reason = forms.CharField(label=_("Reason (kept in the audit log)"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = Organization.objects.filter(kind="dealer", status="active").order_by("name")
        self.fields["dealer"].queryset = active  # type: ignore[attr-defined]
