"""The announcement form (HQ's, and a distributor's without the partner kinds). It checks the shape of what was typed;
the service checks the rules, stores text NFC and sniffs the files, so the cleaned data goes to one service call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from announcements.choices import AnnouncementKind, AnnouncementStatus, DocumentCategory
from announcements.models import Announcement
from partners.choices import Segment
from partners.models import ProductLine
from prm.core.forms import MultipleFileField, MultipleFileInput, TierListField
from prm.core.regions import all_sido
from prm.core.roles import OrgKind

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# a published announcement keeps who it is for, "must be read" and when it was published
LOCKED_ONCE_PUBLISHED = ("mandatory", "publish_at", "kinds", "tiers", "segments", "regions", "product_lines")








def _when(label: Any, help_text: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=False, help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT))


class AnnouncementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AnnouncementKind.choices, initial=AnnouncementKind.GENERAL)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), required=False, max_length=20_000,
                           widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("Plain text. Line breaks are kept; web addresses become links."))
    mandatory = forms.BooleanField(
        label=_("Must be read"), required=False,
        help_text=_("Pinned at the top of the partners' home page until they open it; you see who has not."))
    publish_at = _when(_("Publish at"), _("Empty: as soon as you publish. A later time: it appears then, and "
                                          "partners are told then."))
    expires_at = _when(_("Expires at"), _("Empty: stays until you withdraw it."))
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
    regions = forms.MultipleChoiceField(label=_("For regions"), required=False, choices=[],
                                        widget=forms.CheckboxSelectMultiple,
                                        help_text=_("None ticked: every region."))
    product_lines = forms.ModelMultipleChoiceField(
        label=_("For partners authorised for"), required=False, queryset=ProductLine.objects.all(),
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every partner, whatever it sells."))
    attachments = MultipleFileField(
        label=_("Attach files"), required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.xlsx,.xls,.docx,.doc,.pptx,.ppt,image/jpeg,image/png,"
                                                  "image/webp,image/gif"}),
        help_text=_("PDF, pictures, Excel, Word or PowerPoint; 20 MB at most each, 10 files at most."))
    file_category = forms.ChoiceField(label=_("The files are"), choices=DocumentCategory.choices,
                                      initial=DocumentCategory.OTHER,
                                      help_text=_("They are listed under this heading in the document library."))
    remove_files = forms.MultipleChoiceField(label=_("Remove files"), required=False, choices=[],
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, announcement: Announcement | None = None, for_distributor: bool = False,
                 **kwargs: Any) -> None:
        if announcement is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": announcement.kind, "title": announcement.title, "body": announcement.body,
                "mandatory": announcement.mandatory, "publish_at": announcement.publish_at,
                "expires_at": announcement.expires_at, "kinds": announcement.kinds, "tiers": announcement.tiers,
                "segments": announcement.segments, "regions": announcement.regions,
                "product_lines": [line.pk for line in announcement.product_lines.all()],
            }
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = [(r.code, r.sido) for r in all_sido()]  # type: ignore[attr-defined]
        files = list(announcement.files.all()) if announcement is not None else []
        if files:
            self.fields["remove_files"].choices = [(str(f.pk), f.title) for f in files]  # type: ignore[attr-defined]
        else:
            del self.fields["remove_files"]
        if for_distributor:
            del self.fields["kinds"]
            self.fields["tiers"].help_text = _("Tier names separated by commas. Empty: every tier of your dealers.")
        self.published = announcement is not None and announcement.status == AnnouncementStatus.PUBLISHED
        if self.published:
            # what the partners were told stays: shown, not editable (a disabled field keeps its initial value)
            for name in LOCKED_ONCE_PUBLISHED:
                if name in self.fields:
                    self.fields[name].disabled = True

    def service_data(self) -> dict[str, Any]:
        """The cleaned data as ``services.announcement_save`` takes it."""
        data = dict(self.cleaned_data)
        data.setdefault("kinds", [])
        data.setdefault("remove_files", [])
        data["files"] = data.pop("attachments", [])
        return data


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title or product")}))
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All documents")), *DocumentCategory.choices])
