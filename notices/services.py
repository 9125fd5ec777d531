"""Notices: what HQ (or a distributor) publishes, told to every person of every targeted partner, in the portal
and by e-mail, exactly once each.

THE CONTRACT other apps rely on (announcements, campaigns): call ``broadcast(...)`` inside the transaction that
publishes the thing; once that transaction commits, Celery fans the notice out. Nothing else is needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from prm.core.actor import Actor


class NoticeCategory(models.TextChoices):
    """What a notice is about: each has its own unsubscribe link (e-mail only; the portal always shows it)."""

    ANNOUNCEMENTS = "announcements", "Announcements"
    CAMPAIGNS = "campaigns", "Campaigns"


def broadcast(*, category: str, source: models.Model, organization_ids: Iterable[int], message: str,
              params: dict[str, Any] | None = None, url: str = "", actor: Actor | None = None) -> Any:
    """Tell every active person of each partner in ``organization_ids`` about ``source`` (an announcement, a
    campaign), in the portal and by e-mail, each once, however often this is called for the same source.

    ``message`` is an English message id marked with ``gettext_noop`` with %(name)s placeholders filled from
    ``params`` (translated per recipient, Korean or English); ``url`` is the portal path the notice links to.
    Returns the Broadcast (its counts: sent / failed / opted out, shown to HQ).
    """
    raise NotImplementedError("notices.services.broadcast is being built")
