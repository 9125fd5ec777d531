"""The points ledger's scheduled work (the tier tasks live in rewards/tier_tasks.py): each day, in each tenant,
the points due expire and partners hear about the points that will expire soon."""

from __future__ import annotations

import datetime as dt

from prm.celery import app
from prm.core.tasks import TenantOnlyTask, each_tenant_schema


@app.task(base=TenantOnlyTask, bind=True, acks_late=True)
def points_daily_task(self: TenantOnlyTask, day: str) -> dict[str, int]:
    """One tenant's day (``day`` an ISO date): expire what is due, then tell partners what expires in the next
    30 days. Both are idempotent, so a message delivered twice, or a second run the same day, changes nothing."""
    from rewards.services.points import points_expire, points_expiry_notices

    today = dt.date.fromisoformat(day)
    expired = points_expire(today=today)
    told = points_expiry_notices(today=today)
    return {"expired": expired, "told": told}


@app.task(ignore_result=True)
def expire_points(day: str | None = None) -> int:
    """Beat, daily: queue each tenant's day as a task in its own schema (one tenant's failure is not
    another's). ``day`` defaults to today in the project's time zone. Returns the number of tenants queued."""
    from django.utils import timezone

    day = day or timezone.localdate().isoformat()
    queued = 0
    for _schema in each_tenant_schema():
        points_daily_task.delay(day)
        queued += 1
    return queued
