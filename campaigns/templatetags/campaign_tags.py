"""The home pages' campaign and marketing fund boxes."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

register = template.Library()


@register.simple_tag
def campaigns_home(request: HttpRequest, limit: int = 3) -> dict[str, Any]:
    """A partner's box: campaigns it can still join (or joined) and its funds; HQ's: what waits for it."""
    from campaigns import permissions
    from campaigns.selectors import campaigns as campaign_selectors
    from campaigns.selectors import funds as fund_selectors
    from prm.portals.access import request_actor

    actor = request_actor(request)
    if actor is None or actor.organization is None:
        return {}
    if actor.is_hq:
        if not permissions.can(actor, "fund.decide"):
            return {}
        from campaigns.choices import CampaignStatus
        from campaigns.models import Campaign

        return {"queue": fund_selectors.queue_counts(actor),
                "running": Campaign.objects.filter(status=CampaignStatus.PUBLISHED).count()}
    return {"campaigns": campaign_selectors.campaigns_for_home(actor, limit=limit),
            "funds": fund_selectors.fund_summary(actor.organization)}
