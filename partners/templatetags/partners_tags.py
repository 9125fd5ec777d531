from typing import Any

from django import template
from django.utils.translation import gettext

from partners.importing import FIELD_LABELS as FIELDS

register = template.Library()


@register.filter
def issue_reason(issue: dict[str, Any]) -> str:
    """A row's reason in the reader's language, with its values (a row number) put back in."""
    template = issue.get("template")
    if template:
        try:
            return gettext(template) % (issue.get("params") or {})
        except (KeyError, TypeError, ValueError):
            pass
    return gettext(issue.get("reason", ""))


@register.filter
def import_field_label(field: str) -> str:
    """A dealer-list field key ("business_number") as the label a person reads, in their language."""
    label = FIELDS.get(field)
    return gettext(label) if label else field


@register.filter
def upload_stage_label(stage: str) -> str:
    """A progress stage ("check") as the words on the progress bar."""
    from partners.choices import UploadStage

    try:
        return str(UploadStage(stage).label)
    except ValueError:
        return ""
