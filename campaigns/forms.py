"""The campaign and marketing fund forms. They check the shape of what was typed (a date is a date, a SKU names a
product); the services check the rules and parse the amounts, so a form's cleaned data goes to one service call."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.choices import PaymentMethod, PlanKind
from campaigns.models import Campaign
from catalog.models import Product
from partners.choices import Segment
from partners.models import ProductLine
from prm.core.forms import MultipleFileField, TierListField
from prm.core.regions import all_sido
from prm.core.roles import OrgKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": "1,000,000"})
MAX_SKUS = 500




class SkuListField(forms.CharField):
    """Products by SKU, one per line or separated by commas or spaces (as pasted from a spreadsheet)."""

    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocapitalize": "characters"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(p.sku if isinstance(p, Product) else str(p) for p in value)
        return value

    def to_python(self, value: Any) -> list[Product]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            return list(value)
        text = super().to_python(value) or ""
        skus = list(dict.fromkeys(s for s in re.split(r"[\s,;]+", text) if s))
        if len(skus) > MAX_SKUS:
            raise forms.ValidationError(_("List %(count)s products at most.") % {"count": MAX_SKUS})
        found = {p.sku.casefold(): p for p in Product.objects.annotate(sku_upper=Upper("sku")).filter(
            sku_upper__in=[s.upper() for s in skus])}
        unknown = [s for s in skus if s.casefold() not in found]
        if unknown:
            raise forms.ValidationError(_("No product has the SKU %(skus)s. Check the catalogue and correct it.")
                                        % {"skus": ", ".join(unknown[:10])})
        return [found[s.casefold()] for s in skus]

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=10_000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    offer = forms.CharField(label=_("Offer"), required=False, max_length=5_000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("What partners get for taking part: discounts, bonuses, support."))
    products = SkuListField(label=_("Products (SKUs)"), required=False, max_length=20_000,
                            help_text=_("One SKU per line, or separated by commas. Their sales count as the "
                                        "campaign's results."))
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    opt_in_until = forms.DateField(label=_("Partners can join until"), required=False, widget=DATE,
                                   help_text=_("Empty: until the campaign ends."))
    budget = forms.CharField(label=_("Budget"), required=False, max_length=40, widget=AMOUNT,
                             help_text=_("In the portal's currency, for example 50,000,000."))
    kinds = forms.MultipleChoiceField(
        label=_("For partners of kind"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(OrgKind.DEALER, _("Dealers")), (OrgKind.DISTRIBUTOR, _("Distributors"))],
        help_text=_("None ticked: dealers and distributors."))
    tiers = TierListField(label=_("For tiers"), required=False, max_length=900,
                          widget=forms.TextInput(attrs={"list": "known-tiers", "autocomplete": "off"}),
                          help_text=_("Tier names separated by commas. Empty: every tier."))
    segments = forms.MultipleChoiceField(label=_("For segments"), required=False, choices=Segment.choices,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text=_("None ticked: every segment."))
    regions = forms.MultipleChoiceField(label=_("For regions"), required=False, choices=(),
                                        widget=forms.CheckboxSelectMultiple,
                                        help_text=_("None ticked: the whole country."))
    product_lines = forms.ModelMultipleChoiceField(
        label=_("For partners authorised for"), required=False, queryset=ProductLine.objects.all(),
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every partner, whatever it sells."))

    def __init__(self, *args: Any, campaign: Campaign | None = None, **kwargs: Any) -> None:
        if "initial" not in kwargs:
            if campaign is not None:
                kwargs["initial"] = {
                    "title": campaign.title, "description": campaign.description, "offer": campaign.offer,
                    "products": list(campaign.products.all()), "starts_on": campaign.starts_on,
                    "ends_on": campaign.ends_on, "opt_in_until": campaign.opt_in_until,
                    "budget": f"{campaign.budget:,.0f}" if campaign.budget == campaign.budget.to_integral_value()
                    else f"{campaign.budget:,.2f}",
                    "kinds": campaign.kinds, "tiers": campaign.tiers, "segments": campaign.segments,
                    "regions": campaign.regions, "product_lines": list(campaign.product_lines.all()),
                }
            else:
                kwargs["initial"] = {"kinds": [OrgKind.DEALER]}
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = [(r.code, r.sido) for r in all_sido()]  # type: ignore[attr-defined]


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200,
                            help_text=_("Empty: the file's name."))
    file = forms.FileField(label=_("File (PDF, Office document or picture, 20 MB at most)"))






class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of plan"), choices=PlanKind.choices, widget=forms.RadioSelect,
                             initial=PlanKind.ADVERTISING)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What you will do"), max_length=10_000,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("Where, how, for whom, and what you expect (sales, leads)."))
    starts_on = forms.DateField(label=_("Activity starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Activity ends"), widget=DATE)
    requested_amount = forms.CharField(label=_("Amount you ask for"), max_length=40, widget=AMOUNT)
    campaign = forms.ModelChoiceField(label=_("For the campaign"), required=False, queryset=Campaign.objects.none(),
                                      empty_label=_("No campaign"))
    attachments = MultipleFileField(label=_("Attachments (quotes, drafts; 5 files, 20 MB each at most)"),
                                    required=False)

    def __init__(self, *args: Any, campaigns: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if campaigns is not None:
            self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]


class ClaimForm(forms.Form):
    amount = forms.CharField(label=_("Amount you claim"), max_length=40, widget=AMOUNT)
    figures = forms.CharField(label=_("What was done"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("With figures: ads run, visitors, leads, sales."))
    attachments = MultipleFileField(label=_("Proof (invoices, photos, reports; 5 files, 20 MB each at most)"),
                                    required=False)


class ApprovePlanForm(forms.Form):
    approved_amount = forms.CharField(label=_("Amount approved"), max_length=40, widget=AMOUNT)
    claim_deadline = forms.DateField(label=_("Claim by"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note to the partner"), required=False, max_length=500)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why it is rejected (the partner reads it)"), max_length=500)


class ApproveClaimForm(forms.Form):
    approved_amount = forms.CharField(label=_("Amount accepted"), required=False, max_length=40, widget=AMOUNT,
                                      help_text=_("Empty: all of it."))
    note = forms.CharField(label=_("Note to the partner"), required=False, max_length=500)


class PaymentForm(forms.Form):
    amount = forms.CharField(label=_("Amount paid"), max_length=40, widget=AMOUNT)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices, initial=PaymentMethod.TRANSFER)
    reference = forms.CharField(label=_("Reference"), required=False, max_length=120,
                                help_text=_("The transfer's reference, for the partner's books."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class BalanceSearchForm(forms.Form):
    q = forms.CharField(label=_("Partner"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or business number")}))
