"""The campaigns' daily jobs: published campaigns that have ended close themselves (audited as the system, nobody
told), and a partner's admins are reminded once, a week before a plan's deadline, of the funds left to claim.
The beat jobs run through a real Celery worker in each tenant's schema, and only there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, FundPlan
from campaigns.services.daily import campaigns_close_ended, fund_claim_reminders
from partners.choices import Role
from prm.core.models import AuditEvent, Notification
from tests import factories
from tests.campaigns import make
from tests.conftest import wait_for


def _ended(made: Campaign, *, days_ago: int = 1) -> Campaign:
    """Move the campaign's period into the past: its last day was ``days_ago`` days ago."""
    end = make.today() - dt.timedelta(days=days_ago)
    Campaign.objects.filter(pk=made.pk).update(starts_on=end - dt.timedelta(days=9), ends_on=end, opt_in_until=None)
    made.refresh_from_db()
    return made


def _due_in(plan: FundPlan, days: int) -> FundPlan:
    """The plan's activity is over and its deadline to claim is ``days`` days from today."""
    plan = make.activity_over(plan, days_ago=3)
    FundPlan.objects.filter(pk=plan.pk).update(claim_deadline=make.today() + dt.timedelta(days=days))
    plan.refresh_from_db()
    return plan


def _reminders(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind="fund.claim_reminder"))


# --- closing ---------------------------------------------------------------------------------------------------

def test_only_published_campaigns_that_have_ended_close(net):
    ended = _ended(make.campaign(net.hq_admin, title="끝난 캠페인"))
    ends_today = make.campaign(net.hq_admin, title="오늘 끝나는 캠페인", starts_in=-5, days=6)
    running = make.campaign(net.hq_admin, title="진행 중")
    draft = _ended(make.campaign(net.hq_admin, title="초안", publish=False))
    told_before = Notification.objects.count()

    assert campaigns_close_ended(today=make.today()) == 1

    statuses = dict(Campaign.objects.values_list("pk", "status"))
    assert statuses[ended.pk] == "closed"
    assert (statuses[ends_today.pk], statuses[running.pk], statuses[draft.pk]) == ("published", "published", "draft")
    ended.refresh_from_db()
    assert ended.closed_at is not None and ended.get_status_display() == "Closed"
    event = AuditEvent.objects.get(action="campaign.close", object_id=str(ended.pk))
    assert event.user_id is None and event.organization_id is None
    assert Notification.objects.count() == told_before  # nobody is told


def test_closing_twice_changes_nothing(net):
    ended = _ended(make.campaign(net.hq_admin))
    assert campaigns_close_ended(today=make.today()) == 1
    closed_at = Campaign.objects.get(pk=ended.pk).closed_at
    assert campaigns_close_ended(today=make.today()) == 0
    assert Campaign.objects.get(pk=ended.pk).closed_at == closed_at
    assert AuditEvent.objects.filter(action="campaign.close", object_id=str(ended.pk)).count() == 1


# --- reminders -------------------------------------------------------------------------------------------------

def test_the_partners_admins_are_reminded_once_a_week_before_the_deadline(net):
    staff = factories.member(net.dealer_a, Role.DEALER_STAFF)
    plan = _due_in(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="2,000,000"), 7)
    make.claim(net.dealer_a_user, plan, "500,000")

    assert fund_claim_reminders(today=make.today()) == 1

    [told] = _reminders(net.dealer_a_user)
    deadline = plan.claim_deadline.isoformat()
    assert told.text() == f"₩1,500,000 of the marketing funds for 지역 신문 광고 is left to claim by {deadline}."
    assert told.url == reverse("portals:fund_plan", args=[plan.pk])
    assert _reminders(staff) == []  # the admins only
    assert FundPlan.objects.get(pk=plan.pk).reminded_at is not None
    assert AuditEvent.objects.filter(action="fund.claim_reminder", object_id=str(plan.pk), user=None).exists()

    # never twice, even days later with money still left
    assert fund_claim_reminders(today=make.today()) == 0
    assert fund_claim_reminders(today=make.today() + dt.timedelta(days=3)) == 0
    assert len(_reminders(net.dealer_a_user)) == 1


def test_no_reminder_outside_the_week_before_the_deadline(net):
    early = _due_in(make.approved_plan(net.dealer_a_user, net.hq_admin, title="이른 계획"), 8)
    lapsed = _due_in(make.approved_plan(net.dealer_b_user, net.hq_admin, title="지난 계획"), -1)

    assert fund_claim_reminders(today=make.today()) == 0
    assert _reminders(net.dealer_a_user) == [] and _reminders(net.dealer_b_user) == []
    assert FundPlan.objects.get(pk=lapsed.pk).reminded_at is None

    # a day later the first one is a week away
    assert fund_claim_reminders(today=make.today() + dt.timedelta(days=1)) == 1
    assert [n.params["title"] for n in _reminders(net.dealer_a_user)] == [early.title]


def test_no_reminder_when_nothing_is_left_to_claim_or_the_plan_is_not_approved(net):
    claimed = _due_in(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="2,000,000"), 5)
    make.claim(net.dealer_a_user, claimed, "2,000,000")
    waiting = make.plan(net.dealer_b_user, title="결정 대기")
    FundPlan.objects.filter(pk=waiting.pk).update(claim_deadline=make.today() + dt.timedelta(days=5))

    assert fund_claim_reminders(today=make.today()) == 0
    assert _reminders(net.dealer_a_user) == [] and _reminders(net.dealer_b_user) == []


# --- through the worker ----------------------------------------------------------------------------------------

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


def _state() -> tuple[list[str], int]:
    return (list(Campaign.objects.order_by("pk").values_list("status", flat=True)),
            Notification.objects.filter(kind="fund.claim_reminder").count())


def _ended_campaign_and_due_plan() -> factories.Network:
    net = factories.network()
    _ended(make.campaign(net.hq_admin))
    _due_in(make.approved_plan(net.dealer_a_user, net.hq_admin), 6)
    return net


@pytest.mark.worker
def test_the_beat_jobs_run_in_each_tenant_schema_and_only_there(tenant_factory: Any, celery_worker: Any) -> None:
    from campaigns.tasks import close_ended, close_ended_task, remind_claim_deadlines, remind_claim_deadlines_task

    today = timezone.localdate().isoformat()
    # given two tenants, each with an ended published campaign and a plan due in six days (the same ids)
    first = tenant_factory()
    _ended_campaign_and_due_plan()
    second = tenant_factory()
    _ended_campaign_and_due_plan()

    # when the tenant tasks are queued from the second tenant, twice (a duplicate message)
    for _ in range(2):
        close_ended_task.delay(today)
        remind_claim_deadlines_task.delay(today)

    # then the second tenant's campaign closed and its dealer was reminded, once
    wait_for(lambda: _state() == (["closed"], 1), timeout=60)
    wait_for(_worker_idle, timeout=60)
    assert _state() == (["closed"], 1)
    assert AuditEvent.objects.filter(action="fund.claim_reminder").count() == 1
    # and the first tenant, with the same ids, is untouched
    connection.set_tenant(first)
    assert _state() == (["published"], 0)
    assert FundPlan.objects.get().reminded_at is None

    # when beat's jobs run from the public schema, the first tenant has its day too
    connection.set_schema_to_public()
    close_ended.delay(today)
    remind_claim_deadlines.delay(today)
    connection.set_tenant(first)
    wait_for(lambda: _state() == (["closed"], 1), timeout=60)
    wait_for(_worker_idle, timeout=60)

    # and the second tenant's third run changed nothing
    connection.set_tenant(second)
    assert _state() == (["closed"], 1)
    assert AuditEvent.objects.filter(action__in=["campaign.close", "fund.claim_reminder"]).count() == 2
