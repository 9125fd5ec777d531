"""Forms of the points pages. They check the shape of what was typed; the services check the rules again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rewards.models import RedemptionStatus, RewardKind
from rewards.models.ledger import MAX_EXPIRY_MONTHS, MAX_FIXED_POINTS, MAX_POINTS_PER_10K
from rewards.services.points import MAX_REDEEM_QUANTITY, MAX_REWARD_COST, MAX_REWARD_STOCK


def _number(**attrs: Any) -> forms.NumberInput:
    return forms.NumberInput(attrs={"inputmode": "numeric", **attrs})


class RedeemForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_REDEEM_QUANTITY, initial=1,
                                  widget=_number(**{"class": "qty"}))


class CorrectionForm(forms.Form):
    # text, not a number input: HQ types "-500" or "+1,000" and the service reads the sign and the commas
    points = forms.CharField(label=pgettext_lazy("mileage", "Points"), max_length=16,
                             help_text=_("Positive to add, negative (e.g. -500) to take away."),
                             widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off"}))
    reason = forms.CharField(label=_("Reason"), max_length=300, help_text=_("The partner sees it."))

    def clean_points(self) -> str:
        # a typographic minus (U+2212) is how many keyboards and pages write it
        return str(self.cleaned_data["points"]).replace("\u2212", "-").strip()


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, help_text=_("The partner sees it."))


class BalanceSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search",
                                                      "placeholder": _("Partner name or business number"),
                                                      "aria-label": _("Partner name or business number")}))


class RedemptionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *RedemptionStatus.choices],
                               widget=forms.Select(attrs={"aria-label": _("Status")}))


class PointsRuleForm(forms.Form):
    fixed_points = forms.IntegerField(label=_("Fixed points"), min_value=0, max_value=MAX_FIXED_POINTS,
                                      required=False, widget=_number())
    points_per_10k = forms.IntegerField(label=_("Points per KRW 10,000"), min_value=0,
                                        max_value=MAX_POINTS_PER_10K, required=False, widget=_number(),
                                        help_text=_("Of the order's total or the won order's value."))
    expires_after_months = forms.IntegerField(label=_("Expires after (months)"), min_value=0,
                                              max_value=MAX_EXPIRY_MONTHS, required=False, widget=_number(),
                                              help_text=_("0: the points never expire."))
    description = forms.CharField(label=_("Description"), max_length=300, required=False,
                                  help_text=_("Shown in the partner's history beside the points."))
    is_active = forms.BooleanField(label=_("Active"), required=False)


class RewardForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    points_cost = forms.IntegerField(label=pgettext_lazy("mileage", "Points"), min_value=1,
                                     max_value=MAX_REWARD_COST, widget=_number())
    kind = forms.ChoiceField(label=_("Kind"), choices=RewardKind.choices)
    credit_amount = forms.CharField(label=_("Credit note amount (KRW)"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                                    help_text=_("For a credit note only: credited to the partner's account "
                                                "with HQ when HQ approves."))
    stock = forms.IntegerField(label=_("Stock"), min_value=0, max_value=MAX_REWARD_STOCK, required=False,
                               widget=_number(), help_text=_("How many are left to redeem. Empty: no limit."))
    is_active = forms.BooleanField(label=_("Offered to partners"), required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == RewardKind.CREDIT_NOTE and not (data.get("credit_amount") or "").strip():
            self.add_error("credit_amount", _("A credit note needs its amount."))
        return data


__all__ = ["BalanceSearchForm", "CorrectionForm", "PointsRuleForm", "RedeemForm",
           "RedemptionFilterForm", "RejectForm", "RewardForm"]
