"""Beat's jobs for campaigns (``services.daily``): each day, in each tenant, published campaigns that have ended
close, and partners are reminded a week before a plan's deadline to claim what is left of its funds."""

from __future__ import annotations

import datetime as dt

from prm.celery import app
from prm.core.tasks import TenantOnlyTask, each_tenant_schema


@app.task(base=TenantOnlyTask, bind=True, acks_late=True)
def close_ended_task(self: TenantOnlyTask, day: str) -> int:
    """One tenant's day (``day`` an ISO date): close the published campaigns that ended before it. Idempotent."""
    from campaigns.services.daily import campaigns_close_ended

    return campaigns_close_ended(today=dt.date.fromisoformat(day))


@app.task(base=TenantOnlyTask, bind=True, acks_late=True)
def remind_claim_deadlines_task(self: TenantOnlyTask, day: str) -> int:
    """One tenant's reminders of money left to claim before a plan's deadline. Each plan is reminded once."""
    from campaigns.services.daily import fund_claim_reminders

    return fund_claim_reminders(today=dt.date.fromisoformat(day))


def _each_tenant(task: TenantOnlyTask, day: str | None) -> int:
    from django.utils import timezone

    day = day or timezone.localdate().isoformat()
    queued = 0
    for _schema in each_tenant_schema():
        task.delay(day)
        queued += 1
    return queued


@app.task(ignore_result=True)
def close_ended(day: str | None = None) -> int:
    """Beat, daily: queue each tenant's closing in its own schema. ``day`` defaults to today in the project's
    time zone. Returns the number of tenants queued."""
    return _each_tenant(close_ended_task, day)


@app.task(ignore_result=True)
def remind_claim_deadlines(day: str | None = None) -> int:
    """Beat, daily: queue each tenant's claim reminders in its own schema. Returns the number of tenants queued."""
    return _each_tenant(remind_claim_deadlines_task, day)
