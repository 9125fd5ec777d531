from django import template

from prm.core.phones import display_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    return display_phone(value or "")


@register.filter
def tel_href(value: str) -> str:
    return f"tel:{value}" if value else ""
