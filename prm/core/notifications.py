"""In-app notifications and their e-mail: one row per recipient, written with the event's transaction; the
e-mails go out through Celery after it commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from prm.accounts.models import User
from prm.core.models import Notification

EMAILS_PER_TASK = 500


@dataclass
class Notice:
    """One message to a group of users (each told once)."""

    users: Iterable[User]
    kind: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    url: str = ""


def notify(*, users: Iterable[User], kind: str, message: str, params: dict[str, Any] | None = None,
           url: str = "", email: bool = True) -> list[Notification]:
    """Tell each user (once) in the portal and, with ``email``, by e-mail in their own language."""
    return notify_many([Notice(users=users, kind=kind, message=message, params=params or {}, url=url)], email=email)


def notify_many(notices: Iterable[Notice], *, email: bool = True) -> list[Notification]:
    """Several notices in one insert, their e-mails queued in tasks of EMAILS_PER_TASK once the transaction
    commits (a batch of routed orders tells hundreds of dealers at once)."""
    rows = []
    for notice in notices:
        seen: set[int] = set()
        for user in notice.users:
            if user.pk in seen or not user.is_active:
                continue
            seen.add(user.pk)
            rows.append(Notification(user=user, kind=notice.kind, message=notice.message, params=notice.params,
                                     url=notice.url))
    created = Notification.objects.bulk_create(rows)
    if email and created:
        from prm.core.tasks_mail import send_notification_emails

        ids = [n.pk for n in created]
        for start in range(0, len(ids), EMAILS_PER_TASK):
            chunk = ids[start:start + EMAILS_PER_TASK]
            transaction.on_commit(lambda chunk=chunk: send_notification_emails.delay(chunk))  # type: ignore[misc]
    return created


def unread_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = unread_for(user)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
