"""Sending through a real SMTP server (the aiosmtpd sink in a thread): transient refusals are tried again with
a growing delay and then sent once; permanent ones fail with the server's reason; a relay that is down leaves
everything waiting, untouched; an opt-out is honoured even for a delivery already claimed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from bench.smtp_sink import Sink, free_port
from notices.choices import DeliveryStatus
from notices.models import Broadcast, Delivery
from notices.sending import send_pending
from notices.services import broadcast_fan_out, opt_out
from tests import factories
from tests.notices.helpers import publish

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def sink() -> Iterator[Sink]:
    with Sink(refuse={"busy-": [451, 451], "gone-": [550], "full-": [452] * 10}) as running:
        with override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=running.port,
                               NOTICES_RETRY_SECONDS=30, NOTICES_MAX_ATTEMPTS=3):
            yield running


def _dealer_with(email: str) -> Any:
    from partners.choices import OrgKind, Role

    org = factories.organization(OrgKind.DEALER, email.split("@")[0])
    factories.member(org, Role.DEALER_ADMIN, email=email)
    return org


def _published(capture: Any, *emails: str) -> Broadcast:
    net = factories.network()
    orgs = [_dealer_with(e) for e in emails]
    item = publish(source=net.hq, organizations=orgs, capture=capture)
    broadcast_fan_out(broadcast_id=item.pk)
    return item


def _delivery(email: str) -> Delivery:
    return Delivery.objects.get(user__email=email)


def _time_passes(email: str) -> None:
    """The retry delay has run out (rather than waiting for it). An hour back: the test's transaction started a
    moment ago, and PostgreSQL's now() is its start."""
    Delivery.objects.filter(user__email=email).update(next_attempt_at=timezone.now() - dt.timedelta(hours=1))


def test_a_transient_refusal_is_tried_again_later_then_sent_once(acme: Any, sink: Sink,
                                                                 django_capture_on_commit_callbacks: Any) -> None:
    item = _published(django_capture_on_commit_callbacks, "busy-1@example.test", "fine-1@example.test")

    first = send_pending(broadcast_id=item.pk)
    busy = _delivery("busy-1@example.test")
    assert first.sent == 1 and first.retry == 1 and first.retry_in == 30
    assert busy.status == DeliveryStatus.PENDING and busy.attempts == 1 and busy.error.startswith("451")
    assert busy.next_attempt_at > timezone.now() + dt.timedelta(seconds=20)
    assert send_pending(broadcast_id=item.pk).sent == 0  # not due yet

    _time_passes("busy-1@example.test")
    second = send_pending(broadcast_id=item.pk)
    busy.refresh_from_db()
    assert second.retry == 1 and busy.attempts == 2
    assert busy.next_attempt_at > timezone.now() + dt.timedelta(seconds=45)  # the delay doubled

    _time_passes("busy-1@example.test")
    assert send_pending(broadcast_id=item.pk).sent == 1
    busy.refresh_from_db()
    assert busy.status == DeliveryStatus.SENT and busy.attempts == 3 and busy.error == ""
    assert sink.handler.accepted == 2 and sink.handler.distinct == 2
    assert [code for _address, code in sink.handler.refused] == [451, 451]
    item.refresh_from_db()
    assert (item.status, item.sent, item.failed) == ("done", 2, 0)


def test_a_permanent_refusal_fails_with_the_reason_and_is_not_tried_again(
        acme: Any, sink: Sink, django_capture_on_commit_callbacks: Any) -> None:
    item = _published(django_capture_on_commit_callbacks, "gone-1@example.test", "fine-2@example.test")
    result = send_pending(broadcast_id=item.pk)
    gone = _delivery("gone-1@example.test")
    assert result.sent == 1 and result.failed == 1 and result.retry_in is None
    assert gone.status == DeliveryStatus.FAILED and gone.error.startswith("550") and gone.attempts == 1
    item.refresh_from_db()
    assert (item.status, item.sent, item.failed) == ("done", 1, 1)
    assert sink.handler.accepted == 1


def test_a_refusal_that_lasts_fails_after_the_last_attempt(acme: Any, sink: Sink,
                                                           django_capture_on_commit_callbacks: Any) -> None:
    item = _published(django_capture_on_commit_callbacks, "full-1@example.test")
    for _ in range(3):
        send_pending(broadcast_id=item.pk)
        _time_passes("full-1@example.test")
    full = _delivery("full-1@example.test")
    assert full.status == DeliveryStatus.FAILED and full.attempts == 3 and full.error.startswith("452")
    assert sink.handler.accepted == 0


def test_a_relay_that_is_down_leaves_every_delivery_waiting_untried(acme: Any,
                                                                    django_capture_on_commit_callbacks: Any) -> None:
    with override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=free_port(),
                           NOTICES_SMTP_TIMEOUT=2):
        item = _published(django_capture_on_commit_callbacks, "a@example.test", "b@example.test")
        result = send_pending(broadcast_id=item.pk)
    assert result.sent == 0 and result.retry == 2 and result.retry_in is not None
    assert "connection" in result.errors[0]
    for delivery in Delivery.objects.filter(broadcast=item):
        assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
        assert delivery.lease_owner is None and delivery.next_attempt_at > timezone.now()


def test_an_opt_out_after_the_claim_is_still_honoured(acme: Any, sink: Sink,
                                                      django_capture_on_commit_callbacks: Any) -> None:
    item = _published(django_capture_on_commit_callbacks, "keen@example.test", "done-with-it@example.test")
    # a sender has claimed both (a chunk in hand) when the second person unsubscribes
    Delivery.objects.filter(broadcast=item).update(status=DeliveryStatus.SENDING)
    user = _delivery("done-with-it@example.test").user
    assert opt_out(user=user, category="campaigns") == 1
    Delivery.objects.filter(broadcast=item).update(status=DeliveryStatus.PENDING)  # the sweep would re-offer...
    result = send_pending(broadcast_id=item.pk)
    # ...and the claim itself skips the opted-out person
    assert result.sent == 1 and result.opted_out == 1
    assert _delivery("done-with-it@example.test").status == DeliveryStatus.OPTED_OUT
    assert sink.handler.accepted == 1
    item.refresh_from_db()
    assert (item.sent, item.opted_out) == (1, 1)


def test_an_address_no_relay_would_take_fails_without_stopping_the_others(
        acme: Any, sink: Sink, django_capture_on_commit_callbacks: Any) -> None:
    from prm.accounts.models import User

    item = _published(django_capture_on_commit_callbacks, "a@example.test", "b@example.test", "c@example.test",
                      "d@example.test")
    # addresses saved before validation was strict, or edited in the database
    User.objects.filter(email="a@example.test").update(email="a@bad\ndomain")
    User.objects.filter(email="b@example.test").update(email="사용자@example.test")
    User.objects.filter(email="c@example.test").update(email="c@도메인.kr")
    result = send_pending(broadcast_id=item.pk)
    assert result.sent == 2 and result.failed == 2
    assert "is not valid" in Delivery.objects.get(user__email="a@bad\ndomain").error
    assert "SMTPUTF8" in Delivery.objects.get(user__email="사용자@example.test").error
    assert Delivery.objects.get(user__email="c@도메인.kr").status == DeliveryStatus.SENT
    assert sink.handler.accepted == 2
