from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

COMPONENT_LABELS = {
    "distance": _("distance"), "tier": _("tier"), "acceptance": _("acceptance"), "win": _("win rate"),
    "response": _("response time"), "load": _("open load"), "protected": _("protected deal"),
}


@register.filter
def routing_component(name: str) -> str:
    """A score component's key ("distance") as the word HQ reads on the order page."""
    return str(COMPONENT_LABELS.get(name, name))
