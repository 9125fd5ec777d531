"""Points as people read them ("+1,200", "−300") and the home page's points box."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

register = template.Library()


@register.filter
def points(value: Any) -> str:
    """A movement of points with its sign: "+1,200", "−300", "0"."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return "—"
    if number > 0:
        return f"+{number:,}"
    if number < 0:
        return f"−{-number:,}"
    return "0"


@register.filter
def points_plain(value: Any) -> str:
    """A number of points: "1,200", "−300"."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return "—"
    return f"−{-number:,}" if number < 0 else f"{number:,}"


@register.filter
def entry_text(entry: Any) -> str:
    """What an entry says to the partner (see rewards.selectors.points.entry_description)."""
    from rewards.selectors.points import entry_description

    return entry_description(entry)


@register.simple_tag
def points_for_home(request: HttpRequest) -> dict[str, Any] | None:
    """The partner's balance and the points expiring in the next 30 days, for its home page; None for HQ."""
    from prm.portals.access import request_actor
    from rewards.selectors.points import PARTNER_KINDS, points_balance, points_expiring

    actor = request_actor(request)
    if actor is None or actor.organization is None or actor.kind not in PARTNER_KINDS:
        return None
    return {"balance": points_balance(actor.organization),
            "expiring": points_expiring(actor.organization, within_days=30)}
