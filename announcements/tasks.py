"""Beat's job for announcements: each minute, in each tenant, the scheduled announcements whose time has come are
published and their notices sent (``services.publish_due``)."""

from __future__ import annotations

from prm.celery import app
from prm.core.tasks import TenantOnlyTask, each_tenant_schema


@app.task(base=TenantOnlyTask, bind=True, acks_late=True)
def publish_due_task(self: TenantOnlyTask) -> int:
    """One tenant's due announcements. Idempotent: a message delivered twice publishes each announcement once."""
    from announcements.services import publish_due as publish

    return publish()


@app.task(ignore_result=True)
def publish_due() -> int:
    """Beat, every minute: queue each tenant's run in its own schema. Returns the number of tenants queued."""
    queued = 0
    for _schema in each_tenant_schema():
        publish_due_task.delay()
        queued += 1
    return queued
