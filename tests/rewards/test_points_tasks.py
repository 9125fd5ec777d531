"""The daily points job through a real Celery worker: each tenant's expiry and notices run in that tenant's
schema only, and running the day twice changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone

from prm.core.models import Notification
from prm.core.tasks import PublicSchemaTaskError
from rewards.models import LedgerEntry, LedgerKind, PointsExpiryNotice
from rewards.selectors.points import points_balance
from tests import factories
from tests.conftest import wait_for
from tests.rewards import points_data as data

pytestmark = pytest.mark.worker


def _expiring_points(today: dt.date) -> factories.Network:
    """A network whose dealer_a has 100 points that expired yesterday and 40 that expire in ten days."""
    net = factories.network()
    data.earn(net.dealer_a, 100, months=1, day=today - relativedelta(months=1) - dt.timedelta(days=1))
    data.earn(net.dealer_a, 40, months=1, day=today - relativedelta(months=1) + dt.timedelta(days=10))
    return net


def _expired(partner_id: int) -> list[int]:
    return list(LedgerEntry.objects.filter(partner_id=partner_id, kind=LedgerKind.EXPIRED)
                .values_list("points", flat=True))


def _worker_idle() -> bool:
    """Nothing waits in the test queue and the worker holds no task (there is no result backend to wait on)."""
    from django.conf import settings

    from prm.celery import app

    with app.connection_for_write() as conn:
        waiting = conn.default_channel.client.llen(settings.CELERY_TASK_DEFAULT_QUEUE)
    inspect = app.control.inspect(timeout=1.0)
    held = [task for found in ((inspect.active() or {}), (inspect.reserved() or {})) for tasks in found.values()
            for task in tasks]
    return waiting == 0 and not held


def test_the_daily_points_job_runs_in_each_tenant_schema_and_only_there(tenant_factory: Any,
                                                                        celery_worker: Any) -> None:
    from rewards.tasks import expire_points, points_daily_task

    today = timezone.localdate()
    # given two tenants whose dealers (with the same ids) both have points that expired yesterday
    first = tenant_factory()
    net1 = _expiring_points(today)
    second = tenant_factory()
    net2 = _expiring_points(today)
    assert net1.dealer_a.pk == net2.dealer_a.pk

    # when the day's task is queued twice from the second tenant (a duplicate message: both run at once)
    points_daily_task.delay(today.isoformat())
    points_daily_task.delay(today.isoformat())

    # then the second tenant's dealer lost its 100 expired points, once, and was told about the 40, once
    wait_for(lambda: _expired(net2.dealer_a.pk) == [-100], timeout=60)
    wait_for(lambda: Notification.objects.filter(user=net2.dealer_a_user, kind="points.expiring").exists())
    wait_for(_worker_idle, timeout=60)
    assert _expired(net2.dealer_a.pk) == [-100] and points_balance(net2.dealer_a) == 40
    notice = PointsExpiryNotice.objects.get(partner=net2.dealer_a)
    assert (notice.points, notice.expires_on) == (40, today + dt.timedelta(days=10))
    assert Notification.objects.filter(user=net2.dealer_a_user, kind="points.expiring").count() == 1
    # and the first tenant's, with the same ids, is untouched
    connection.set_tenant(first)
    assert _expired(net1.dealer_a.pk) == [] and points_balance(net1.dealer_a) == 140
    assert not PointsExpiryNotice.objects.exists()

    # when beat's job runs (queued from the public schema, as beat does), every tenant has its day
    connection.set_schema_to_public()
    expire_points.delay(today.isoformat())
    connection.set_tenant(first)
    wait_for(lambda: _expired(net1.dealer_a.pk) == [-100], timeout=60)
    wait_for(lambda: PointsExpiryNotice.objects.filter(partner=net1.dealer_a).exists(), timeout=60)
    wait_for(_worker_idle, timeout=60)

    # and for the second tenant that third run of the same day changed nothing
    connection.set_tenant(second)
    assert _expired(net2.dealer_a.pk) == [-100] and points_balance(net2.dealer_a) == 40
    assert Notification.objects.filter(user=net2.dealer_a_user, kind="points.expiring").count() == 1


def test_the_tenant_task_refuses_to_run_without_a_tenant(db: Any) -> None:
    from rewards.tasks import points_daily_task

    connection.set_schema_to_public()
    with pytest.raises(PublicSchemaTaskError):
        points_daily_task.delay(timezone.localdate().isoformat())
