"""The campaigns' daily work, run by beat in each tenant (``campaigns.tasks``): published campaigns whose end date
has passed close themselves, and partners hear, once per plan, that marketing funds are left to claim a week
before the deadline. Both are one UPDATE that picks its rows and marks them, so a second run (or a duplicate
message running at the same moment) finds nothing left to do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from campaigns.choices import CampaignStatus, PlanStatus
from campaigns.models import Campaign, FundPlan
from campaigns.services.common import partner_admins, won_text
from prm.core.actor import Actor
from prm.core.audit import audit

REMIND_DAYS = 7

CLOSE_SQL = f"""
UPDATE {Campaign._meta.db_table}
   SET status = %(closed)s, closed_at = %(now)s, updated_at = %(now)s
 WHERE status = %(published)s AND ends_on < %(today)s
RETURNING id
"""

REMIND_SQL = f"""
UPDATE {FundPlan._meta.db_table}
   SET reminded_at = %(now)s
 WHERE status = %(approved)s AND reminded_at IS NULL
   AND claim_deadline BETWEEN %(today)s AND %(last)s
   AND claimed_total < approved_amount
RETURNING id, partner_id, title, approved_amount - claimed_total, claim_deadline
"""


@transaction.atomic
def campaigns_close_ended(*, today: dt.date) -> int:
    """Close every published campaign whose last day is before ``today`` (audited as the system; nobody is told).
    Returns the number closed."""
    with connection.cursor() as cursor:
        cursor.execute(CLOSE_SQL, {"closed": CampaignStatus.CLOSED.value, "published": CampaignStatus.PUBLISHED.value,
                                   "now": timezone.now(), "today": today})
        closed = sorted(row[0] for row in cursor.fetchall())
    system = Actor.system()
    for pk in closed:
        audit(actor=system, action="campaign.close", obj=Campaign(pk=pk), ended=True)
    return len(closed)


@transaction.atomic
def fund_claim_reminders(*, today: dt.date, days: int = REMIND_DAYS) -> int:
    """Tell each partner's admins (in the portal and by e-mail) about approved plans whose deadline to claim is
    within ``days`` days and that still have money left to claim: once per plan, never for a plan fully claimed
    or whose deadline has passed. Returns the number of plans reminded."""
    from prm.core.notifications import Notice, notify_many

    with connection.cursor() as cursor:
        cursor.execute(REMIND_SQL, {"approved": PlanStatus.APPROVED.value, "now": timezone.now(), "today": today,
                                    "last": today + dt.timedelta(days=days)})
        due = sorted(cursor.fetchall())
    system = Actor.system()
    notices = []
    for pk, partner_id, title, left, deadline in due:
        left = Decimal(left)
        audit(actor=system, action="fund.claim_reminder", obj=FundPlan(pk=pk), left=str(left),
              deadline=deadline.isoformat())
        notices.append(Notice(users=partner_admins(partner_id), kind="fund.claim_reminder",
                              message=gettext_noop("%(amount)s of the marketing funds for %(title)s is left to "
                                                   "claim by %(deadline)s."),
                              params={"amount": won_text(left), "title": title, "deadline": deadline.isoformat()},
                              url=reverse("portals:fund_plan", args=[pk])))
    notify_many(notices)
    return len(due)
