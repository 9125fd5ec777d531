"""HQ's tier program forms: the program's settings and its tiers (one small form per tier, a formset)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.choices import Segment
from prm.core.money import ungroup
from rewards.models import Tier, TierProgram

MAX_TIERS = 10
REVIEW_PERIODS = [(1, gettext_lazy("Monthly")), (2, gettext_lazy("Every two months")),
                  (3, gettext_lazy("Quarterly")), (4, gettext_lazy("Every four months")),
                  (6, gettext_lazy("Half-yearly")), (12, gettext_lazy("Yearly"))]


class ProgramForm(forms.ModelForm):
    class Meta:
        model = TierProgram
        fields = ["name", "description", "kind", "segment", "priority", "window_days", "grace_days",
                  "review_months"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        segment = self.fields["segment"]
        assert isinstance(segment, forms.ChoiceField)
        segment.choices = [("", gettext_lazy("Every vertical market")), *Segment.choices]
        # periods that tile the calendar year, so "by the end of the period" is always a date ahead
        review = self.fields["review_months"]
        self.fields["review_months"] = forms.TypedChoiceField(
            label=review.label, help_text=review.help_text, coerce=int, choices=REVIEW_PERIODS,
            initial=review.initial)


class KrwField(forms.DecimalField):
    """Whole won as people type them ("3,400,000", "₩3,400,000", "340만" is not accepted)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            grouped = ungroup(value.replace("₩", "").replace("원", ""))
            value = "-" if grouped is None else grouped  # "-": not a number, so the field says so
        return super().to_python(value)


class TierForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=40)
    rank = forms.IntegerField(label=gettext_lazy("Rank"), min_value=1, max_value=20,
                              help_text=gettext_lazy("1 is the entry tier; higher is better."))
    min_sales = KrwField(label=gettext_lazy("Sales at least (KRW)"), min_value=0, max_digits=16, decimal_places=0,
                         required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    min_orders_won = forms.IntegerField(label=gettext_lazy("Customer orders won at least"), min_value=0,
                                        max_value=1_000_000, required=False)
    min_acceptance = forms.IntegerField(label=gettext_lazy("Lead acceptance at least (%)"), min_value=0,
                                        max_value=100, required=False,
                                        help_text=gettext_lazy("Empty: not required."))
    min_certifications = forms.IntegerField(label=gettext_lazy("Valid certifications at least"), min_value=0,
                                            max_value=1000, required=False)
    min_satisfaction = forms.DecimalField(label=gettext_lazy("Customer satisfaction at least (1–5)"),
                                          min_value=1, max_value=5, max_digits=3, decimal_places=2, required=False,
                                          help_text=gettext_lazy("Empty: not required."))
    credit_limit = KrwField(label=gettext_lazy("Credit limit (KRW)"), min_value=0, max_digits=14, decimal_places=0,
                            required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                            help_text=gettext_lazy("Empty: the partner's own limit. Otherwise the higher of the "
                                                   "two."))
    routing_step = forms.IntegerField(label=gettext_lazy("Routing weight (tier steps)"), min_value=0,
                                      max_value=20, required=False,
                                      help_text=gettext_lazy("Multiplied by the routing rule's tier weight."))
    mdf_share = forms.DecimalField(label=gettext_lazy("Marketing fund share (%)"), min_value=0, max_value=100,
                                   max_digits=5, decimal_places=2, required=False)
    benefits_text = forms.CharField(label=gettext_lazy("Other benefits"), required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=gettext_lazy("One per line; partners read them as written."))

    def row(self) -> dict[str, Any]:
        """The tier as the services take it (``tiers_save``, ``tiers_dry_run``)."""
        data = self.cleaned_data
        return {
            "id": data.get("id"), "name": data["name"], "rank": data["rank"],
            "min_sales": data.get("min_sales") or Decimal(0),
            "min_orders_won": data.get("min_orders_won") or 0,
            "min_acceptance": data.get("min_acceptance"),
            "min_certifications": data.get("min_certifications") or 0,
            "min_satisfaction": data.get("min_satisfaction"),
            "credit_limit": data.get("credit_limit"),
            "routing_step": data.get("routing_step") or 0,
            "mdf_share": data.get("mdf_share") or Decimal(0),
            "benefits_text": (data.get("benefits_text") or "").strip(),
        }


class BaseTierFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        names: set[str] = set()
        ranks: set[int] = set()
        kept = 0
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id") or form.cleaned_data.get("DELETE"):
                continue
            kept += 1
            name = " ".join(str(form.cleaned_data.get("name", "")).split()).casefold()
            rank = form.cleaned_data.get("rank")
            if name in names:
                form.add_error("name", _("Another tier has this name."))
            if rank in ranks:
                form.add_error("rank", _("Another tier has this rank."))
            names.add(name)
            ranks.add(rank)
        if not kept:
            raise forms.ValidationError(_("A program needs at least one tier."))

    def rows(self) -> list[dict[str, Any]]:
        return [form.row() for form in self.forms
                if (form.has_changed() or form.cleaned_data.get("id")) and not form.cleaned_data.get("DELETE")]


TierFormSet = forms.formset_factory(TierForm, formset=BaseTierFormSet, extra=1, can_delete=True,
                                    max_num=MAX_TIERS, validate_max=True, absolute_max=MAX_TIERS + 5)


def initial_tiers(program: TierProgram | None) -> list[dict[str, Any]]:
    if program is None or program.pk is None:
        return []
    return [{
        "id": t.pk, "name": t.name, "rank": t.rank, "min_sales": t.min_sales, "min_orders_won": t.min_orders_won,
        "min_acceptance": t.min_acceptance, "min_certifications": t.min_certifications,
        "min_satisfaction": t.min_satisfaction, "credit_limit": t.credit_limit, "routing_step": t.routing_step,
        "mdf_share": t.mdf_share, "benefits_text": t.benefits_text,
    } for t in Tier.objects.filter(program=program).order_by("rank")]
