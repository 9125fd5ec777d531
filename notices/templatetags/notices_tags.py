"""Notices on other pages: ``{% broadcast_summary obj %}`` on an announcement's or a campaign's page (what its
notices did), and ``{% notices_home %}`` on the portals' home pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from notices import permissions, selectors

register = template.Library()
HOME_BROADCASTS = 3


def _actor(context: Any) -> Any:
    request = context.get("request")
    if request is None:
        return None
    from prm.portals.access import request_actor

    return request_actor(request)


@register.inclusion_tag("notices/_broadcast_summary.html", takes_context=True)
def broadcast_summary(context: Any, source: Model) -> dict[str, Any]:
    """The notices sent about ``source`` with their counts (live while sending), for those allowed to see them
    (HQ; a distributor for its own); nothing otherwise."""
    actor = _actor(context)
    if actor is None or not permissions.can(actor, "broadcast.view"):
        return {"summaries": []}
    return {"summaries": selectors.broadcast_summary(source, actor=actor), "can_poll": True, "is_hq": actor.is_hq}


@register.inclusion_tag("notices/_home.html", takes_context=True)
def notices_home(context: Any) -> dict[str, Any]:
    """HQ: the last notices with their progress. A partner's people: which notices they get by e-mail."""
    actor = _actor(context)
    if actor is None or actor.user is None:
        return {"home_notices": None}
    if actor.is_hq and permissions.can(actor, "broadcast.view"):
        items = list(selectors.broadcasts_visible_to(actor)[:HOME_BROADCASTS])
        counts = selectors.broadcast_counts(items)
        return {"home_notices": {"is_hq": True, "summaries": [selectors.BroadcastSummary(b, counts[b.pk])
                                                               for b in items]}}
    off = [label for _value, label, wanted in selectors.email_categories(actor.user) if not wanted]
    return {"home_notices": {"is_hq": False, "email_off": ", ".join(off)}}
