"""The demo's notices seed: a few dealers' people opt out of campaign e-mails, once."""

from typing import Any

from notices.demo import DEMO_OPT_OUTS, seed_demo
from notices.models import OptOut
from partners.choices import OrgKind, Role
from tests import factories


def test_the_demo_seed_runs_once(acme: Any) -> None:
    dealer = factories.organization(OrgKind.DEALER, "데모딜러")
    for _ in range(DEMO_OPT_OUTS + 2):
        factories.member(dealer, Role.DEALER_STAFF)
    assert seed_demo() == DEMO_OPT_OUTS
    assert seed_demo() == 0
    assert OptOut.objects.filter(category="campaigns").count() == DEMO_OPT_OUTS
