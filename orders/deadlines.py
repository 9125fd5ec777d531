"""When an offer must be answered: the rule's SLA hours from the moment it is made, counted on the clock or,
when the rule says so, only in business hours (business days between opening and closing, holidays left out),
in the tenant's time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

# A deadline is looked for this many days ahead at most (168 business hours at one open hour a day on one
# weekday is under four years; a rule that never opens falls back to the plain clock).
SEARCH_DAYS = 1500


def offer_deadline(start: dt.datetime, rule: Any) -> dt.datetime:
    """The moment ``rule.sla_hours`` hours after ``start`` have passed, in business hours if the rule asks."""
    remaining = dt.timedelta(hours=rule.sla_hours)
    if not rule.sla_business_hours or not rule.business_days or rule.business_end <= rule.business_start:
        return start + remaining
    zone = timezone.get_current_timezone()
    days = set(rule.business_days)
    holidays = set(rule.holidays or [])
    moment = timezone.localtime(start, zone)
    day = moment.date()
    for _ in range(SEARCH_DAYS):
        if day.weekday() in days and day not in holidays:
            opens = timezone.make_aware(dt.datetime.combine(day, rule.business_start), zone)
            closes = timezone.make_aware(dt.datetime.combine(day, rule.business_end), zone)
            begin = max(opens, moment)
            if begin < closes:
                if remaining <= closes - begin:
                    return begin + remaining
                remaining -= closes - begin
        day += dt.timedelta(days=1)
    return start + dt.timedelta(hours=rule.sla_hours)
