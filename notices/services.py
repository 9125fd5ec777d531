"""Notices: what HQ (or a distributor) publishes, told to every person of every targeted partner, in the portal
and by e-mail, exactly once each.

THE CONTRACT other apps rely on (announcements, campaigns): call ``broadcast(...)`` inside the transaction that
publishes the thing; once that transaction commits, Celery fans the notice out. Nothing else is needed.

How "exactly once" holds (the design, in one place):

- One Broadcast per (category, source, key). Calling ``broadcast()`` again for the same source (a re-publish, a
  double click, a retried request) does not make a second one: the call's partners are added to the first one's
  targets and the fan-out runs again, which tells only the people not told yet (the new partners' people, a
  person who joined a targeted partner since). Its text and link become the latest call's, for those new people.
  A deliberate second notice about the same source (a reminder) passes its own ``key``.
- The fan-out is one INSERT ... SELECT ... ON CONFLICT DO NOTHING into Delivery, UNIQUE (broadcast, user), that
  also writes each new delivery's in-app Notification in the same statement: a fan-out task delivered twice, or
  two running at once, create each person's delivery and notification once.
- E-mails are sent from the deliveries (notices/sending.py), each claimed under a lease and marked sent as soon
  as its own message is accepted; see that module for the one remaining window and how it is covered.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model

from notices.choices import BroadcastStatus, DeliveryStatus, NoticeCategory
from notices.models import Broadcast, BroadcastTarget, Delivery, OptOut
from partners.models import Membership
from prm.accounts.models import User
from prm.core.actor import Actor
from prm.core.models import Notification

__all__ = ["NoticeCategory", "broadcast", "broadcast_fan_out", "opt_out", "opt_in", "set_preferences"]

MAX_KEY_LENGTH = 60


def broadcast(*, category: str, source: Model, organization_ids: Iterable[int | Model], message: str,
              params: dict[str, Any] | None = None, url: str = "", actor: Actor | None = None,
              key: str = "", sender: Model | int | None = None) -> Broadcast:
    """Tell every active person of each partner in ``organization_ids`` about ``source`` (an announcement, a
    campaign), in the portal and by e-mail, each once, however often this is called for the same source.

    ``message`` is an English message id marked with ``gettext_noop`` with %(name)s placeholders filled from
    ``params`` (translated per recipient, Korean or English); ``url`` is the portal path the notice links to.
    ``key`` (optional) makes a distinct notice about the same source, e.g. ``key="reminder-1"``.
    ``sender`` is the organisation the notice is from (HQ or a distributor: its name heads the e-mail, HQ's
    notices page lists it); by default the actor's. Pass it when there is no actor (beat publishing).
    Returns the Broadcast (its counts: sent / failed / opted out, shown to HQ).

    Runs in the caller's transaction; the fan-out is queued for when it commits (nothing is told if it rolls
    back).
    """
    if category not in NoticeCategory.values:
        raise ValueError(f"Unknown notice category {category!r}; use one of {NoticeCategory.values}.")
    if source.pk is None:
        raise ValueError("broadcast() needs a saved source object.")
    if len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"broadcast() key is longer than {MAX_KEY_LENGTH} characters.")
    # ids, or the partners themselves (a queryset of organisations works too)
    org_ids = sorted({int(item.pk if isinstance(item, Model) else item) for item in organization_ids})
    params = dict(params or {})
    json.dumps(params)  # fails here, in the caller's transaction, rather than in the worker
    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    user = actor.user if actor is not None else None
    if sender is not None:
        organization_id: int | None = int(sender.pk if isinstance(sender, Model) else sender)
    else:
        organization_id = actor.organization_id if actor is not None else None
    with transaction.atomic():
        with connection.cursor() as cursor:
            # one row per (category, source, key) even under concurrent calls: the second waits for the first
            # transaction and then finds its row
            cursor.execute(
                f"""INSERT INTO {Broadcast._meta.db_table}
                        (category, source_type_id, source_id, key, message, params, url, organization_id,
                         created_by_id, created_at, status, recipients, sent, failed, opted_out)
                    VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, now(), %s, 0, 0, 0, 0)
                    ON CONFLICT (category, source_type_id, source_id, key) DO NOTHING
                    RETURNING id""",
                [category, source_type.pk, source.pk, key, message, json.dumps(params), url, organization_id,
                 user.pk if user is not None else None, BroadcastStatus.QUEUED],
            )
            row = cursor.fetchone()
        created = row is not None
        if created:
            assert row is not None
            item = Broadcast.objects.select_for_update().get(pk=row[0])
        else:
            item = Broadcast.objects.select_for_update().get(category=category, source_type=source_type,
                                                             source_id=source.pk, key=key)
        added = _add_targets(item, org_ids)
        if not created and not added:
            return item  # same source, same partners: everyone concerned is told (or being told) already
        if not created:
            # the latest call's words and link for the people told from now on
            item.message, item.params, item.url = message, params, url
            item.status = BroadcastStatus.QUEUED
            item.finished_at = None
            item.save(update_fields=["message", "params", "url", "status", "finished_at"])
        broadcast_id = item.pk
        transaction.on_commit(lambda: _queue_fan_out(broadcast_id))
    return item


def _add_targets(item: Broadcast, org_ids: list[int]) -> int:
    if not org_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {BroadcastTarget._meta.db_table} (broadcast_id, organization_id)
                SELECT %s, o.id FROM unnest(%s::bigint[]) AS o(id)
                ON CONFLICT (broadcast_id, organization_id) DO NOTHING""",
            [item.pk, org_ids],
        )
        return cursor.rowcount


def _queue_fan_out(broadcast_id: int) -> None:
    from notices import conf
    from notices.tasks import fan_out_broadcast

    fan_out_broadcast.apply_async((broadcast_id,), **conf.task_options())


def broadcast_fan_out(*, broadcast_id: int) -> int:
    """Create the deliveries (and in-app notifications) of everyone ``broadcast_id`` targets who has none yet:
    one statement, set-based. Returns the number of people added. Safe to run twice, or twice at once."""
    tables = {
        "delivery": Delivery._meta.db_table,
        "notification": Notification._meta.db_table,
        "target": BroadcastTarget._meta.db_table,
        "membership": Membership._meta.db_table,
        "user": User._meta.db_table,
        "optout": OptOut._meta.db_table,
    }
    with transaction.atomic():
        item = Broadcast.objects.select_for_update().filter(pk=broadcast_id).first()
        if item is None:
            return 0
        Broadcast.objects.filter(pk=item.pk).update(status=BroadcastStatus.FANNING)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [tables["notification"]])
            sequence = cursor.fetchone()[0]
            # The notification's id is drawn from its own sequence while the delivery is inserted, so the one
            # statement writes both, for exactly the deliveries it created (ON CONFLICT rows return nothing).
            cursor.execute(
                f"""WITH people AS (
                        SELECT DISTINCT m.user_id
                        FROM {tables["target"]} t
                        JOIN {tables["membership"]} m ON m.organization_id = t.organization_id AND m.is_active
                        JOIN {tables["user"]} u ON u.id = m.user_id AND u.is_active
                        WHERE t.broadcast_id = %(b)s
                          AND NOT EXISTS (SELECT 1 FROM {tables["delivery"]} d
                                          WHERE d.broadcast_id = %(b)s AND d.user_id = m.user_id)
                    ), new AS (
                        INSERT INTO {tables["delivery"]}
                            (broadcast_id, user_id, notification_id, status, attempts, next_attempt_at, lease_until,
                             sent_at, error, created_at)
                        SELECT %(b)s, p.user_id, nextval(%(sequence)s::regclass),
                               CASE WHEN EXISTS (SELECT 1 FROM {tables["optout"]} o
                                                 WHERE o.user_id = p.user_id AND o.category = %(category)s)
                                    THEN %(opted_out)s ELSE %(pending)s END,
                               0, now(), NULL, NULL, '', now()
                        FROM people p
                        ORDER BY p.user_id
                        ON CONFLICT (broadcast_id, user_id) DO NOTHING
                        RETURNING notification_id, user_id
                    )
                    INSERT INTO {tables["notification"]} (id, user_id, kind, message, params, url, created_at)
                    SELECT new.notification_id, new.user_id, %(kind)s, %(message)s, %(params)s::jsonb, %(url)s, now()
                    FROM new""",
                {"b": item.pk, "sequence": sequence, "category": item.category,
                 "opted_out": DeliveryStatus.OPTED_OUT, "pending": DeliveryStatus.PENDING,
                 "kind": f"notice_{item.category}", "message": item.message, "params": json.dumps(item.params),
                 "url": item.url},
            )
            added = cursor.rowcount
            cursor.execute(f"SELECT count(*) FROM {tables['delivery']} WHERE broadcast_id = %s", [item.pk])
            total = cursor.fetchone()[0]
        from django.utils import timezone

        Broadcast.objects.filter(pk=item.pk).update(status=BroadcastStatus.SENDING, recipients=total,
                                                    fanned_out_at=timezone.now())
    return added


def opt_out(*, user: User, category: str) -> int:
    """``user`` wants no more e-mail of ``category``, from now on: their deliveries of that category not sent yet
    become opted out (a sender checks again just before each message). Returns how many were stopped."""
    if category not in NoticeCategory.values:
        raise ValueError(f"Unknown notice category {category!r}.")
    with transaction.atomic():
        OptOut.objects.get_or_create(user=user, category=category)
        return (Delivery.objects
                .filter(user=user, broadcast__category=category,
                        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])
                .update(status=DeliveryStatus.OPTED_OUT, lease_until=None))


def opt_in(*, user: User, category: str) -> None:
    """``user`` wants e-mail of ``category`` again (for notices published from now on)."""
    OptOut.objects.filter(user=user, category=category).delete()


def set_preferences(*, user: User, email_categories: Iterable[str]) -> None:
    """Keep e-mail for the categories in ``email_categories``, stop it for the others."""
    wanted = set(email_categories)
    for category in NoticeCategory.values:
        if category in wanted:
            opt_in(user=user, category=category)
        else:
            opt_out(user=user, category=category)
