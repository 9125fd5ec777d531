import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_TIER_NAMES = 20


def add_service_errors(form: forms.BaseForm, exc: ValidationError, *, rename: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: each message on its field when the form has that field
    (after renaming), else at the top of the form."""
    rename = rename or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        name = rename.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


class TierListField(forms.CharField):
    """Tier names separated by commas (or typed one per line), for a course's, an announcement's or a
    campaign's audience."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            return [str(v) for v in value]
        names = [name.strip() for name in re.split(r"[,\n]+", str(value or ""))]
        names = [name for name in names if name]
        if len(names) > MAX_TIER_NAMES:
            raise forms.ValidationError(_("Name at most 20 tiers."))
        return names


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the services check what each one is)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [single(item, initial) for item in items if item]
