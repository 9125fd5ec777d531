"""Shared steps of the notices tests: a source object to notify about, and running a broadcast in-process."""

from __future__ import annotations

from typing import Any

from django.core import mail

from notices.models import Broadcast
from notices.sending import SendResult, send_pending
from notices.services import broadcast, broadcast_fan_out
from partners.models import Organization
from prm.core.actor import Actor


def publish(*, source: Any, organizations: list[Organization], actor: Actor | None = None,
            category: str = "campaigns", capture: Any, key: str = "",
            message: str = "New campaign: %(title)s", params: dict[str, Any] | None = None) -> Broadcast:
    """broadcast() as a publishing service calls it, in a transaction; returns it with the fan-out task that
    would run on commit captured (not queued)."""
    with capture(execute=False) as callbacks:
        item = broadcast(category=category, source=source, organization_ids=[o.pk for o in organizations],
                         message=message, params=params if params is not None else {"title": "Summer"},
                         url="/dealer/", actor=actor, key=key)
    assert len(callbacks) <= 1
    return item


def run(item: Broadcast) -> SendResult:
    """What the worker does on commit: fan out, then send everything due."""
    broadcast_fan_out(broadcast_id=item.pk)
    return send_pending(broadcast_id=item.pk)


def outbox_to(email: str) -> list[Any]:
    return [m for m in mail.outbox if any(email in to for to in m.to)]
