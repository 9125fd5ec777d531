"""The notices' Celery tasks: fan a broadcast out, send its e-mail, and beat's sweep for what a dead worker left.

All are idempotent (a message delivered twice, or a sweep that queues a sender while one is running, tells no
one twice: see notices/services.py and notices/sending.py) and ``acks_late``.
"""

from __future__ import annotations

from typing import Any

from prm.celery import app
from prm.core.tasks import TenantOnlyTask, each_tenant_schema


def queue_senders(broadcast_id: int, *, count: int | None = None, countdown: float | None = None) -> int:
    from notices import conf

    options: dict[str, Any] = conf.task_options()
    if countdown:
        options["countdown"] = countdown
    count = int(conf.get("NOTICES_SENDERS")) if count is None else count
    for _ in range(count):
        send_broadcast_emails.apply_async((broadcast_id,), **options)
    return count


@app.task(base=TenantOnlyTask, bind=True, acks_late=True, max_retries=5)
def fan_out_broadcast(self: TenantOnlyTask, broadcast_id: int) -> int:
    """Create the broadcast's deliveries and in-app notices, then queue its senders (as many as there are
    chunks to send, at most NOTICES_SENDERS)."""
    from django.db import OperationalError

    from notices import conf
    from notices.models import Delivery
    from notices.sending import finish_if_done
    from notices.services import broadcast_fan_out

    try:
        added = broadcast_fan_out(broadcast_id=broadcast_id)
    except OperationalError as exc:  # the database restarting, a lost connection
        raise self.retry(exc=exc, countdown=5) from exc
    pending = Delivery.objects.filter(broadcast_id=broadcast_id, status="pending").count()
    if pending:
        chunk = int(conf.get("NOTICES_CHUNK"))
        queue_senders(broadcast_id, count=min(int(conf.get("NOTICES_SENDERS")), -(-pending // chunk)))
    else:
        finish_if_done(broadcast_id)
    return added


@app.task(base=TenantOnlyTask, bind=True, acks_late=True)
def send_broadcast_emails(self: TenantOnlyTask, broadcast_id: int) -> int:
    """Send what is due of one broadcast; when some went back for a later try, come back then (beat's sweep
    does too, should this message be lost)."""
    from notices.sending import send_pending

    result = send_pending(broadcast_id=broadcast_id)
    if result.retry_in is not None:
        queue_senders(broadcast_id, count=1, countdown=result.retry_in + 1)
    return result.sent


@app.task(base=TenantOnlyTask, bind=True, acks_late=True)
def sweep_notices_tenant(self: TenantOnlyTask) -> dict[str, int]:
    from notices.sweep import sweep

    return sweep()


@app.task(ignore_result=True)
def sweep_notices() -> int:
    """Beat, every minute: each tenant's sweep as a task in its own schema."""
    from notices import conf

    queued = 0
    for _schema in each_tenant_schema():
        sweep_notices_tenant.apply_async(**conf.task_options())
        queued += 1
    return queued
