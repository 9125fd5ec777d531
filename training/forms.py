"""HQ's authoring forms. They check the shape of what was typed; the services check the rules (and store text
NFC), so a form's cleaned data goes to one service call as it is."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.choices import Segment
from partners.models import ProductLine
from prm.core.forms import TierListField
from prm.core.roles import OrgKind
from training.choices import QuestionKind
from training.models import Course
from training.services import MAX_CHOICES, ChoiceInput


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Shown in the partners' course list."))
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
    product_lines = forms.ModelMultipleChoiceField(
        label=_("For partners authorised for"), required=False, queryset=ProductLine.objects.all(),
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every partner, whatever it sells."))
    prerequisites = forms.ModelMultipleChoiceField(
        label=_("Pass these courses first"), required=False, queryset=Course.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=1, max_value=100, initial=80)
    max_attempts = forms.IntegerField(label=_("Attempts allowed"), min_value=0, max_value=100, initial=0,
                                      help_text=_("0: as many as needed."))
    questions_per_attempt = forms.IntegerField(
        label=_("Questions per attempt"), min_value=0, max_value=200, initial=0,
        help_text=_("Drawn at random from the question bank; 0: every question."))
    certificate_months = forms.IntegerField(label=_("Certificate valid for (months)"), min_value=0, max_value=240,
                                            initial=24, help_text=_("0: never expires."))

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        if course is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": course.title, "summary": course.summary, "kinds": course.kinds, "tiers": course.tiers,
                "segments": course.segments, "product_lines": list(course.product_lines.all()),
                "prerequisites": list(course.prerequisites.all()), "pass_mark": course.pass_mark,
                "max_attempts": course.max_attempts, "questions_per_attempt": course.questions_per_attempt,
                "certificate_months": course.certificate_months,
            }
        super().__init__(*args, **kwargs)
        others = Course.objects.exclude(status="archived").order_by("title", "id")
        if course is not None:
            # an archived course may stay a prerequisite it already was, but is not offered anew
            others = (Course.objects.filter(pk__in=others.values("pk"))
                      | Course.objects.filter(required_by=course)).exclude(pk=course.pk).distinct()
        self.fields["prerequisites"].queryset = others.order_by("title", "id")  # type: ignore[attr-defined]


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), required=False, max_length=50_000, widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text. A line starting with “# ” is a heading, “- ” a bullet; **bold**. Leave a blank "
                    "line between paragraphs."))
    image = forms.FileField(label=_("Picture (JPEG, PNG, WebP or GIF, 5 MB at most)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,"
                                                                             "image/gif"}))
    remove_image = forms.BooleanField(label=_("Remove the picture"), required=False)
    video_url = forms.CharField(label=_("Video (YouTube or Vimeo address)"), required=False, max_length=300,
                                widget=forms.TextInput(attrs={"type": "url", "inputmode": "url",
                                                              "placeholder": "https://youtu.be/…"}))
    pdf = forms.FileField(label=_("PDF (20 MB at most)"), required=False,
                          widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
    remove_pdf = forms.BooleanField(label=_("Remove the PDF"), required=False)


class QuestionForm(forms.Form):
    """A question and up to MAX_CHOICES answers; a row left blank is no answer."""

    text = forms.CharField(label=_("Question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Answers to choose"), choices=QuestionKind.choices,
                             widget=forms.RadioSelect, initial=QuestionKind.SINGLE)

    def __init__(self, *args: Any, question: Any = None, **kwargs: Any) -> None:
        if question is not None and "initial" not in kwargs:
            initial: dict[str, Any] = {"text": question.text, "kind": question.kind}
            for number, choice in enumerate(question.choices.all(), start=1):
                initial[f"choice_{number}"] = choice.text
                initial[f"correct_{number}"] = choice.is_correct
                initial[f"id_{number}"] = choice.pk
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_CHOICES + 1):
            self.fields[f"choice_{number}"] = forms.CharField(
                label=_("Answer %(number)s") % {"number": number}, required=False, max_length=300)
            self.fields[f"correct_{number}"] = forms.BooleanField(label=_("Correct"), required=False)
            self.fields[f"id_{number}"] = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        """The answer rows, for the template: (text, correct, id) bound fields."""
        return [(self[f"choice_{n}"], self[f"correct_{n}"], self[f"id_{n}"]) for n in range(1, MAX_CHOICES + 1)]

    def choices(self) -> list[ChoiceInput]:
        data = self.cleaned_data
        return [ChoiceInput(text=data.get(f"choice_{n}") or "", is_correct=bool(data.get(f"correct_{n}")),
                            id=data.get(f"id_{n}")) for n in range(1, MAX_CHOICES + 1)]
