"""Notices through real Celery workers: a broadcast fanned out and sent once per person even when its messages
are delivered twice; beat's sweep picks up what was left; and a worker killed (SIGKILL, its whole process group)
half-way through a few thousand e-mails to a real SMTP server, then a new worker: every person gets exactly one
e-mail."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from bench.smtp_sink import Sink
from notices.choices import BroadcastStatus, DeliveryStatus
from notices.models import Broadcast, Delivery
from notices.services import broadcast
from partners.choices import OrgKind, Role
from partners.models import Membership, Organization
from prm.accounts.models import User
from prm.core.models import Notification
from tests import factories
from tests.conftest import OUTPUT, ROOT, stop_worker, wait_for

pytestmark = pytest.mark.worker


def _dealers(count: int, prefix: str) -> list[int]:
    """``count`` active dealers with one person each, written in bulk."""
    orgs = Organization.objects.bulk_create(
        [Organization(kind=OrgKind.DEALER, name=f"{prefix}{i}", status="active") for i in range(count)])
    users = User.objects.bulk_create(
        [User(email=f"{prefix.lower()}{i}@example.test", full_name=f"딜러 {i}", language="ko" if i % 2 else "en",
              password="!") for i in range(count)])
    Membership.objects.bulk_create(
        [Membership(user=u, organization=o, role=Role.DEALER_ADMIN) for u, o in zip(users, orgs, strict=True)])
    return [o.pk for o in orgs]


def _publish(org_ids: list[int], source: Any) -> Broadcast:
    with transaction.atomic():  # the publishing transaction: the fan-out is queued when it commits
        return broadcast(category="campaigns", source=source, organization_ids=org_ids,
                         message="New campaign: %(title)s", params={"title": "Summer"}, url="/dealer/")


def _counts(item: Broadcast) -> dict[str, int]:
    return dict(Delivery.objects.filter(broadcast=item).values_list("status").annotate(n=Count("id")))


def test_a_broadcast_through_the_worker_tells_everyone_once_even_when_messages_come_twice(
        live_tenant: Any, celery_worker: Any) -> None:
    from notices.tasks import fan_out_broadcast, send_broadcast_emails

    net = factories.network()
    org_ids = _dealers(300, "Twice")
    item = _publish(org_ids, net.hq)
    # the same messages delivered again (a broker redelivery, a retried publish)
    fan_out_broadcast.delay(item.pk)
    send_broadcast_emails.delay(item.pk)
    send_broadcast_emails.delay(item.pk)

    wait_for(lambda: Broadcast.objects.get(pk=item.pk).status == BroadcastStatus.DONE, timeout=120)
    item.refresh_from_db()
    assert (item.recipients, item.sent, item.failed, item.opted_out) == (300, 300, 0, 0)
    assert Delivery.objects.filter(broadcast=item).count() == 300
    assert Notification.objects.filter(kind="notice_campaigns").count() == 300
    assert Notification.objects.filter(kind="notice_campaigns").values("user_id").distinct().count() == 300


def test_beat_sweep_takes_back_an_abandoned_lease_and_a_lost_fan_out(live_tenant: Any, celery_worker: Any) -> None:
    from notices.tasks import sweep_notices

    net = factories.network()
    # a broadcast whose sender died holding a lease that has run out
    leased = _publish(_dealers(20, "Leased"), net.hq)
    wait_for(lambda: Broadcast.objects.get(pk=leased.pk).status == BroadcastStatus.DONE, timeout=60)
    abandoned = Delivery.objects.filter(broadcast=leased).order_by("pk")[:5]
    Delivery.objects.filter(pk__in=[d.pk for d in abandoned]).update(
        status=DeliveryStatus.SENDING, lease_owner=uuid.uuid4(), sent_at=None,
        lease_until=timezone.now() - dt.timedelta(seconds=1))
    Broadcast.objects.filter(pk=leased.pk).update(status=BroadcastStatus.SENDING)
    # and one whose fan-out message was lost (published a while ago, still queued)
    with transaction.atomic():
        lost = broadcast(category="announcements", source=net.dealer_a, organization_ids=[net.dealer_a.pk],
                         message="x")
    wait_for(lambda: Broadcast.objects.get(pk=lost.pk).status == BroadcastStatus.DONE, timeout=60)
    Broadcast.objects.filter(pk=lost.pk).update(status=BroadcastStatus.QUEUED,
                                                created_at=timezone.now() - dt.timedelta(hours=1))
    Delivery.objects.filter(broadcast=lost).delete()

    # when beat's sweep runs
    connection.set_schema_to_public()
    sweep_notices.delay()
    connection.set_tenant(live_tenant)

    # then the abandoned deliveries are sent (once: the lease was the only claim) and the lost fan-out is done
    wait_for(lambda: Broadcast.objects.get(pk=leased.pk).status == BroadcastStatus.DONE, timeout=60)
    wait_for(lambda: Broadcast.objects.get(pk=lost.pk).status == BroadcastStatus.DONE, timeout=60)
    assert _counts(leased) == {"sent": 20}
    assert Delivery.objects.filter(broadcast=lost, status=DeliveryStatus.SENT).count() == 1


def _smtp_worker(queue: str, port: int, name: str) -> subprocess.Popen[bytes]:
    """A real worker on the test database whose e-mail goes to the sink (tests/notices/smtp_worker_settings)."""
    from prm.celery import app

    db = settings.DATABASES["default"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.notices.smtp_worker_settings",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "NOTICES_TEST_SMTP_PORT": str(port), "NOTICES_QUEUE": queue}
    OUTPUT.mkdir(parents=True, exist_ok=True)
    log = open(OUTPUT / "notices-smtp-worker.log", "ab")  # noqa: SIM115 - the child keeps writing to it
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "prm", "worker", "-Q", queue, "-c", "2", "--loglevel", "INFO",
         "-n", f"{name}@%h", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    wait_for(lambda: proc.poll() is not None or app.control.ping(timeout=1.0,
                                                                 destination=[f"{name}@{os.uname().nodename}"]),
             timeout=60)
    assert proc.poll() is None, "the SMTP worker exited; see notices-smtp-worker.log"
    return proc


@pytest.fixture
def smtp_queue() -> Iterator[str]:
    from prm.celery import app

    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-smtp-{uuid.uuid4().hex[:6]}"
    with override_settings(NOTICES_QUEUE=queue):
        yield queue
    with app.connection_for_write() as conn:
        conn.default_channel.client.delete(queue)


def test_a_worker_killed_half_way_leaves_every_person_with_exactly_one_email(live_tenant: Any,
                                                                           smtp_queue: str) -> None:
    people, freeze_at = 3000, 1200
    net = factories.network()
    org_ids = _dealers(people, "Kill")
    everyone = set(Membership.objects.filter(organization_id__in=org_ids).values_list("user_id", flat=True))
    # the sink stops answering when the 1200th message arrives, until the worker has been killed
    with Sink(freeze_at=freeze_at) as sink:
        first = _smtp_worker(smtp_queue, sink.port, f"smtp-first-{os.getpid()}")
        try:
            item = _publish(org_ids, net.hq)
            assert sink.handler.frozen.wait(180), "the worker never reached the freeze"
            # every message the sink accepted has its "sent" mark committed (the worker is waiting on the sink)
            wait_for(lambda: Delivery.objects.filter(broadcast=item, status=DeliveryStatus.SENT).count()
                     == sink.handler.accepted, timeout=30)
            accepted_before_kill = sink.handler.accepted
            assert accepted_before_kill == freeze_at - 1
            # when the worker and its pool children are killed while the messages in flight wait for an answer
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=30)
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
        sink.handler.release()  # those in flight are never accepted (their connections are gone)
        in_hand = Delivery.objects.filter(broadcast=item, status=DeliveryStatus.SENDING).count()
        assert in_hand > 0  # the dead worker's leased chunks

        # and a new worker starts; beat's sweep runs once the leases have run out
        second = _smtp_worker(smtp_queue, sink.port, f"smtp-second-{os.getpid()}")
        try:
            wait_for(lambda: not Delivery.objects.filter(broadcast=item, status=DeliveryStatus.SENDING,
                                                         lease_until__gte=timezone.now()).exists(), timeout=60)
            from notices.tasks import sweep_notices_tenant

            sweep_notices_tenant.apply_async(queue=smtp_queue)  # as beat's sweep_notices queues it
            wait_for(lambda: Broadcast.objects.get(pk=item.pk).status == BroadcastStatus.DONE, timeout=240)
        finally:
            stop_worker(second)

        # then every person has exactly one delivery, sent, one notification, and exactly one e-mail accepted
        assert _counts(item) == {"sent": people}
        assert set(Delivery.objects.filter(broadcast=item).values_list("user_id", flat=True)) == everyone
        assert Notification.objects.filter(kind="notice_campaigns").count() == people
        assert sink.handler.accepted == people
        assert sink.handler.distinct == people and sink.handler.duplicates() == {}
        assert sink.handler.accepted > accepted_before_kill
        item.refresh_from_db()
        assert (item.recipients, item.sent, item.failed) == (people, people, 0)
