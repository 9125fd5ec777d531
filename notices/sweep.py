"""Beat's sweep (one tenant): what a killed worker or a lost message left behind is picked up again."""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext_noop

from notices import conf
from notices.choices import BroadcastStatus, DeliveryStatus
from notices.models import Broadcast, Delivery
from notices.sending import finish_if_done

WORKER_LOST = gettext_noop("The worker sending it stopped too many times; it is not tried again.")


def sweep() -> dict[str, int]:
    """- deliveries whose lease ran out (their worker died mid-chunk) go back to pending, or fail once they have
      used every attempt;
    - a broadcast with due deliveries and no live sender gets a sender;
    - a broadcast still queued or fanning out long after it was published is fanned out again (its task was lost);
    - a broadcast with nothing left to send is marked done with its counts."""
    from notices.tasks import fan_out_broadcast, queue_senders

    after = int(conf.get("NOTICES_SWEEP_AFTER"))
    max_attempts = int(conf.get("NOTICES_MAX_ATTEMPTS"))
    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table}
                SET status = CASE WHEN attempts >= %(max)s THEN %(failed)s ELSE %(pending)s END,
                    error = CASE WHEN attempts >= %(max)s THEN %(reason)s ELSE error END,
                    lease_until = NULL, lease_owner = NULL, next_attempt_at = now()
                WHERE status = %(sending)s AND lease_until < now()""",
            {"max": max_attempts, "failed": DeliveryStatus.FAILED, "pending": DeliveryStatus.PENDING,
             "sending": DeliveryStatus.SENDING, "reason": WORKER_LOST},
        )
        expired = cursor.rowcount
        # due for a while, and nobody holds a live lease on this broadcast: no sender is running for it
        cursor.execute(
            f"""SELECT DISTINCT d.broadcast_id FROM {table} d
                WHERE d.status = %(pending)s AND d.next_attempt_at < now() - make_interval(secs => %(after)s)
                  AND NOT EXISTS (SELECT 1 FROM {table} s WHERE s.broadcast_id = d.broadcast_id
                                  AND s.status = %(sending)s AND s.lease_until >= now())""",
            {"pending": DeliveryStatus.PENDING, "sending": DeliveryStatus.SENDING, "after": after},
        )
        stalled = [row[0] for row in cursor.fetchall()]
        if expired:
            # just taken back: send them now rather than a sweep later
            cursor.execute(
                f"""SELECT DISTINCT broadcast_id FROM {table} d WHERE d.status = %s AND d.next_attempt_at <= now()""",
                [DeliveryStatus.PENDING],
            )
            stalled = sorted(set(stalled) | {row[0] for row in cursor.fetchall()})
    for broadcast_id in stalled:
        queue_senders(broadcast_id, count=1)
    lost = list(Broadcast.objects.filter(status__in=[BroadcastStatus.QUEUED, BroadcastStatus.FANNING],
                                         created_at__lt=_ago(after)).values_list("pk", flat=True))
    for broadcast_id in lost:
        fan_out_broadcast.apply_async((broadcast_id,), **conf.task_options())
    finished = 0
    for broadcast_id in Broadcast.objects.filter(status=BroadcastStatus.SENDING).values_list("pk", flat=True):
        finished += finish_if_done(broadcast_id)
    return {"expired": expired, "senders": len(stalled), "fanned_out": len(lost), "finished": finished}


def _ago(seconds: int) -> object:
    import datetime as dt

    from django.utils import timezone

    return timezone.now() - dt.timedelta(seconds=seconds)
