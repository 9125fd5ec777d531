"""An offer's deadline: SLA hours on the clock, or in business hours (business days, opening and closing times,
holidays) in the tenant's time zone; and the rule form that sets them."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from orders.deadlines import offer_deadline

SEOUL = ZoneInfo("Asia/Seoul")


def _rule(hours: float, business: bool = True, holidays=(), days=(0, 1, 2, 3, 4)):
    return SimpleNamespace(sla_hours=hours, sla_business_hours=business, business_start=dt.time(9),
                           business_end=dt.time(18), business_days=list(days), holidays=list(holidays))


def _at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SEOUL)


def test_without_business_hours_the_clock_always_runs():
    assert offer_deadline(_at(2026, 12, 4, 17, 0), _rule(4, business=False)) == _at(2026, 12, 4, 21, 0)


@pytest.mark.parametrize(("start", "hours", "expected"), [
    (_at(2026, 12, 2, 10, 0), 4, _at(2026, 12, 2, 14, 0)),      # Wednesday morning: the same afternoon
    (_at(2026, 12, 4, 17, 0), 4, _at(2026, 12, 7, 12, 0)),      # Friday 17:00: one hour Friday, three Monday
    (_at(2026, 12, 5, 11, 0), 4, _at(2026, 12, 7, 13, 0)),      # Saturday: the clock starts Monday 09:00
    (_at(2026, 12, 3, 7, 30), 1.5, _at(2026, 12, 3, 10, 30)),   # before opening: from 09:00
    (_at(2026, 12, 3, 20, 0), 9, _at(2026, 12, 4, 18, 0)),      # after closing: a whole next day
    (_at(2026, 12, 3, 12, 0), 18, _at(2026, 12, 7, 12, 0)),     # two business days, over a weekend
])
def test_business_hours_count_only_open_time(start, hours, expected):
    assert offer_deadline(start, _rule(hours)) == expected


def test_holidays_are_skipped_and_work_from_utc_input():
    friday_5pm_utc = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC)  # 17:00 in Seoul
    rule = _rule(4, holidays=[dt.date(2026, 12, 7)])  # Monday off
    assert offer_deadline(friday_5pm_utc, rule) == _at(2026, 12, 8, 12, 0)


def test_a_rule_that_never_opens_falls_back_to_the_clock():
    assert offer_deadline(_at(2026, 12, 4, 17, 0), _rule(4, days=())) == _at(2026, 12, 4, 21, 0)


def test_the_rule_form_checks_business_hours_and_names_a_bad_holiday(acme):
    from orders.forms import RoutingRuleForm
    from orders.models import RoutingRule
    from orders.routing import rule_in_use

    rule = rule_in_use()
    base = {name: getattr(rule, name) for name in RoutingRule.SETTINGS}
    base.update({"max_distance_km": "", "required_capability": "", "note": "", "holidays": "",
                 "require_product_line": "on"})
    form = RoutingRuleForm({**base, "sla_business_hours": "on", "business_start": "18:00", "business_end": "09:00"},
                           instance=RoutingRule(version=99))
    assert not form.is_valid() and "business_end" in form.errors
    form = RoutingRuleForm({**base, "sla_business_hours": "on", "business_days": []}, instance=RoutingRule(version=99))
    assert not form.is_valid() and "business_days" in form.errors
    form = RoutingRuleForm({**base, "holidays": "2027-01-01\n2027-13-45"}, instance=RoutingRule(version=99))
    assert not form.is_valid() and "2027-13-45" in str(form.errors["holidays"])
    form = RoutingRuleForm({**base, "sla_business_hours": "on", "holidays": "2027-02-06, 2027-01-01 2027-01-01",
                            "business_days": ["0", "1", "2", "3", "4", "5"]}, instance=RoutingRule(version=99))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["holidays"] == [dt.date(2027, 1, 1), dt.date(2027, 2, 6)]
    assert form.cleaned_data["business_days"] == [0, 1, 2, 3, 4, 5]


def test_a_routed_offer_gets_the_business_hours_deadline(acme):
    from orders.models import Offer, RoutingRule
    from orders.routing import rule_in_use
    from orders.services import order_route
    from partners.choices import OrgKind, Role
    from prm.core.actor import actor_for
    from tests import factories

    line = factories.product_line()
    hq = actor_for(factories.member(factories.organization(OrgKind.HQ, "HQ"), Role.HQ_ADMIN))
    factories.organization(OrgKind.DEALER, "강남", address="서울특별시 강남구 테헤란로 1", lines=[line])
    RoutingRule.objects.filter(pk=rule_in_use().pk).update(sla_hours=6, sla_business_hours=True,
                                                           holidays=[dt.date(2026, 12, 25)])
    order = factories.order(actor=hq, customer_name="고객", address="서울특별시 강남구 테헤란로 1", product_line=line)
    order_route(order_id=order.pk)
    offer = Offer.objects.get(order=order)
    assert offer.expires_at == offer_deadline(offer.created_at, rule_in_use())
    local = offer.expires_at.astimezone(SEOUL)
    assert local.weekday() < 5 and dt.time(9) < local.time() <= dt.time(18)
