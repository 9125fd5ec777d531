"""In-app notifications and their e-mail: one row per recipient, written with the event's transaction; the
e-mails go out through Celery after it commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from prm.accounts.models import User
from prm.core.models import Notification


def notify(*, users: Iterable[User], kind: str, message: str, params: dict[str, Any] | None = None,
           url: str = "", email: bool = True) -> list[Notification]:
    """Tell each user (once) in the portal and, with ``email``, by e-mail in their own language."""
    seen: set[int] = set()
    rows = []
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, kind=kind, message=message, params=params or {}, url=url))
    created = Notification.objects.bulk_create(rows)
    if email and created:
        from prm.core.tasks_mail import send_notification_emails

        ids = [n.pk for n in created]
        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return created


def unread_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = unread_for(user)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
