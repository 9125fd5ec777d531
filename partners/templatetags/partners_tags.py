from django import template
from django.utils.translation import gettext

from partners.importing import FIELD_LABELS as FIELDS

register = template.Library()


@register.filter
def import_field_label(field: str) -> str:
    """A dealer-list field key ("business_number") as the label a person reads, in their language."""
    label = FIELDS.get(field)
    return gettext(label) if label else field
