"""The demo's notices: the announcements and campaigns the demo publishes send them (through the worker); this
only makes a few of the demo dealers' people choose not to get campaign e-mails, so HQ's notice pages show
opted-out counts next to the sent ones."""

from __future__ import annotations

from typing import Any

from notices.choices import NoticeCategory
from notices.models import OptOut

DEMO_OPT_OUTS = 3


def seed_demo(*, stdout: Any = None) -> int:
    """Idempotent: a second run changes nothing. Returns how many people opted out now."""
    from partners.choices import OrgKind
    from partners.models import Membership

    if OptOut.objects.exists():
        return 0
    people = list(Membership.objects.filter(organization__kind=OrgKind.DEALER, is_active=True, user__is_active=True)
                  .order_by("pk").values_list("user_id", flat=True)[1:1 + DEMO_OPT_OUTS])
    OptOut.objects.bulk_create([OptOut(user_id=pk, category=NoticeCategory.CAMPAIGNS) for pk in people],
                               ignore_conflicts=True)
    if stdout is not None and people:
        stdout.write(f"{len(people)} demo dealers' people get no campaign e-mails (notices' opt-out)")
    return len(people)
