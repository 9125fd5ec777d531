"""The points pages as people use them: a dealer redeems and cancels, HQ approves, rejects, corrects, sets the
rules and keeps the catalogue. Each page is 200 for its rightful user, another partner's or tenant's object is a
404, a page of another portal a 403, and junk input gives a message, never a 500, and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django_tenants.utils import schema_context

from partners.choices import Role
from prm.core.models import AuditEvent
from purchasing.models import AccountEntry
from rewards.models import LedgerEntry, LedgerKind, PointsEvent, PointsRule, Redemption, RedemptionStatus, Reward
from rewards.selectors.points import points_balance
from rewards.services.points import redemption_request
from tests import factories
from tests.conftest import tenant_client
from tests.rewards import points_data as data

pytestmark = pytest.mark.django_db

JUNK = ["", "abc", "-1", "0", "1e100", "NaN", "99999999999999999999999", "1.5", "<script>", "１２" * 40,
        "0x10", " ", "-0", "\u2212" + "5"]
PARTNER_PAGES = ["/points/", "/points/history/", "/points/redemptions/"]


@pytest.fixture
def net(acme: Any) -> factories.Network:
    return factories.network()


def _client(user: Any) -> Any:
    from prm.tenancy.models import Tenant

    client = tenant_client(Tenant.objects.get(slug=connection.schema_name), user)
    client.raise_request_exception = False
    return client


def _hq_pages(net: factories.Network, reward: Reward) -> list[str]:
    return ["/hq/points/", f"/hq/points/partners/{net.dealer_a.pk}/", "/hq/points/redemptions/",
            "/hq/points/redemptions/?status=", "/hq/points/redemptions/?status=approved", "/hq/points/rules/",
            "/hq/points/rewards/", "/hq/points/rewards/new/", f"/hq/points/rewards/{reward.pk}/",
            f"/hq/points/?q={net.dealer_a.name}", f"/hq/points/?q={net.dealer_a.business_number}"]


# --- who sees what ---------------------------------------------------------------------------------------------

def test_every_points_page_opens_for_its_rightful_user_and_no_one_else(net: factories.Network) -> None:
    data.earn(net.dealer_a, 300)
    reward = data.reward(cost=100)
    redemption_request(actor=net.actor(net.dealer_a_user), reward=reward, quantity=1)
    # partners, dealer and distributor alike, see their own pages
    for user in (net.dealer_a_user, net.seoul_admin):
        client = _client(user)
        for path in PARTNER_PAGES:
            assert client.get(path).status_code == 200, (user, path)
    # HQ (admin and channel manager) sees the HQ pages
    manager = factories.member(net.hq, Role.HQ_CHANNEL_MANAGER)
    for user in (net.hq_admin, manager):
        client = _client(user)
        for path in _hq_pages(net, reward):
            assert client.get(path).status_code == 200, (user, path)
    # a dealer or a distributor on an HQ page: 403; HQ on a partner's page: 403; nobody logged in: to log in
    for user in (net.dealer_a_user, net.seoul_admin):
        for path in _hq_pages(net, reward):
            assert _client(user).get(path).status_code == 403, (user, path)
    for path in PARTNER_PAGES:
        assert _client(net.hq_admin).get(path).status_code == 403
        assert _client(None).get(path).status_code == 302


def test_a_partner_sees_only_its_own_points_and_a_distributor_not_its_dealers(net: factories.Network) -> None:
    # given points for dealer_a (supplied by the Seoul distributor) and for the distributor itself
    data.earn(net.dealer_a, 777, reference="purchase:dealer-a")
    data.earn(net.seoul_distributor, 55, reference="purchase:seoul")
    reward = data.reward(cost=700)
    mine = redemption_request(actor=net.actor(net.dealer_a_user), reward=reward, quantity=1)
    # the distributor's pages show its 55 and nothing of its dealer's 777 or its redemption
    distributor = _client(net.seoul_admin)
    for path in PARTNER_PAGES:
        page = distributor.get(path).content.decode()
        assert "777" not in page and "−700" not in page, path
    assert 'data-testid="points-balance">55<' in distributor.get("/points/").content.decode()
    # another partner cannot cancel it (404, not 403: it does not exist for them), and nothing changes
    for user in (net.dealer_b_user, net.seoul_admin):
        assert _client(user).post(f"/points/redemptions/{mine.pk}/cancel/").status_code == 404
    assert Redemption.objects.get(pk=mine.pk).status == RedemptionStatus.REQUESTED
    # HQ's per-partner page names only partners: HQ's own organisation and an unknown id are 404s
    hq = _client(net.hq_admin)
    assert hq.get(f"/hq/points/partners/{net.hq.pk}/").status_code == 404
    assert hq.get("/hq/points/partners/999999/").status_code == 404
    assert hq.get("/hq/points/partners/99999999999999999999999/").status_code == 404
    assert hq.get("/hq/points/rewards/99999999999999999999999/").status_code == 404
    # an inactive reward is not there for partners to redeem
    hidden = data.reward("숨김", cost=1, active=False)
    assert _client(net.dealer_a_user).post(f"/points/rewards/{hidden.pk}/redeem/", {"quantity": 1}).status_code \
        == 404
    assert "숨김" not in _client(net.dealer_a_user).get("/points/").content.decode()


def test_another_tenants_redemptions_and_partners_are_404s(net: factories.Network, globex: Any) -> None:
    # given a redemption in acme
    data.earn(net.dealer_a, 100)
    acme_reward = data.reward("ACME-우산", cost=100)
    acme_redemption = redemption_request(actor=net.actor(net.dealer_a_user), reward=acme_reward, quantity=1)
    # when globex's people use acme's ids at globex
    with schema_context("globex"):
        g = factories.network(prefix="GLOBEX-")
        dealer, hq = tenant_client(globex, g.dealer_a_user), tenant_client(globex, g.hq_admin)
        # then each is a 404 there, and nothing of acme shows
        assert dealer.post(f"/points/redemptions/{acme_redemption.pk}/cancel/").status_code == 404
        assert dealer.post(f"/points/rewards/{acme_reward.pk}/redeem/", {"quantity": 1}).status_code == 404
        assert hq.post(f"/hq/points/redemptions/{acme_redemption.pk}/decide/",
                       {"action": "approve"}).status_code == 404
        assert hq.get(f"/hq/points/rewards/{acme_reward.pk}/").status_code == 404
        assert hq.get("/hq/points/partners/999999/").status_code == 404
        for path in ("/hq/points/", "/hq/points/redemptions/?status=", "/hq/points/rewards/"):
            assert "ACME-" not in hq.get(path).content.decode()
        assert not Redemption.objects.exists()
    # and acme's redemption still waits
    assert Redemption.objects.get(pk=acme_redemption.pk).status == RedemptionStatus.REQUESTED


# --- the flows -------------------------------------------------------------------------------------------------

def test_a_dealer_redeems_on_its_page_and_hq_approves_a_credit_note(net: factories.Network) -> None:
    # given 1,000 points, a credit note of KRW 30,000 for 400 points, and goods
    data.earn(net.dealer_a, 1000)
    note = data.reward("3만원 크레딧", cost=400, kind="credit_note", credit=30_000)
    dealer = _client(net.dealer_a_user)
    page = dealer.get("/points/").content.decode()
    assert "3만원 크레딧" in page and "₩30,000" in page and 'data-testid="points-balance">1,000<' in page
    # when the dealer redeems two of them
    response = dealer.post(f"/points/rewards/{note.pk}/redeem/", {"quantity": "2"}, follow=True)
    # then its redemption waits for HQ and its balance shows the points set aside
    assert response.redirect_chain[-1][0] == "/points/redemptions/"
    assert "Waiting for HQ" in response.content.decode()
    assert points_balance(net.dealer_a) == 200
    redemption = Redemption.objects.get()
    # when HQ approves it from the queue
    hq = _client(net.hq_admin)
    assert "3만원 크레딧" in hq.get("/hq/points/redemptions/").content.decode()
    response = hq.post(f"/hq/points/redemptions/{redemption.pk}/decide/", {"action": "approve",
                                                                          "next": "/hq/points/redemptions/"})
    assert response.status_code == 302 and response["Location"] == "/hq/points/redemptions/"
    # then the dealer's account with HQ has the credit note, and the dealer sees the redemption approved
    assert AccountEntry.objects.get(buyer=net.dealer_a).amount == Decimal("-60000")
    assert "Approved" in dealer.get("/points/redemptions/").content.decode()
    # and a dealer's history shows each movement with its running balance
    history = dealer.get("/points/history/").content.decode()
    assert "−800" in history and "+1,000" in history and ">200<" in history


def test_hq_rejects_with_a_reason_and_the_dealer_cancels_its_own(net: factories.Network) -> None:
    data.earn(net.dealer_a, 500)
    goods = data.reward("텀블러", cost=100, stock=5)
    dealer, hq = _client(net.dealer_a_user), _client(net.hq_admin)
    dealer.post(f"/points/rewards/{goods.pk}/redeem/", {"quantity": "2"})
    first = Redemption.objects.get()
    # a rejection without a reason is refused with a message; with one, the points and the stock come back
    response = hq.post(f"/hq/points/redemptions/{first.pk}/decide/", {"action": "reject", "reason": "  "},
                       follow=True)
    assert "Say why the redemption is rejected" in response.content.decode()
    assert Redemption.objects.get(pk=first.pk).status == RedemptionStatus.REQUESTED
    hq.post(f"/hq/points/redemptions/{first.pk}/decide/", {"action": "reject", "reason": "품절"})
    assert points_balance(net.dealer_a) == 500 and Reward.objects.get(pk=goods.pk).stock == 5
    page = dealer.get("/points/redemptions/").content.decode()
    assert "Rejected" in page and "품절" in page
    # the dealer cancels a waiting one from its points page
    dealer.post(f"/points/rewards/{goods.pk}/redeem/", {"quantity": "1"})
    second = Redemption.objects.get(status=RedemptionStatus.REQUESTED)
    response = dealer.post(f"/points/redemptions/{second.pk}/cancel/", {"next": "/points/"})
    assert response["Location"] == "/points/"
    assert Redemption.objects.get(pk=second.pk).status == RedemptionStatus.CANCELLED
    assert points_balance(net.dealer_a) == 500
    # cancelling again, or deciding a cancelled one, says it was already decided
    again = dealer.post(f"/points/redemptions/{second.pk}/cancel/", follow=True).content.decode()
    assert "already decided" in again
    assert "already decided" in hq.post(f"/hq/points/redemptions/{second.pk}/decide/", {"action": "approve"},
                                        follow=True).content.decode()
    # an unknown action, or a `next` pointing elsewhere, does nothing and goes back to the queue
    response = hq.post(f"/hq/points/redemptions/{second.pk}/decide/", {"action": "pay", "next": "https://x.test/"})
    assert response["Location"] == "/hq/points/redemptions/"


def test_hq_admin_corrects_points_and_a_channel_manager_cannot(net: factories.Network) -> None:
    data.earn(net.dealer_a, 100)
    hq = _client(net.hq_admin)
    url = f"/hq/points/partners/{net.dealer_a.pk}/"
    # too much taken away: the form says how much the partner has, nothing is written
    page = hq.post(url, {"points": "-101", "reason": "정산"})
    assert page.status_code == 200 and "more than the partner has (100 points)" in page.content.decode()
    for junk in (j for j in JUNK if j not in ("-1", "\u22125")):  # those two are corrections
        response = hq.post(url, {"points": junk, "reason": "정산"})
        assert response.status_code == 200, junk
        assert response.context["form"].errors, junk
    assert hq.post(url, {"points": "50", "reason": ""}).context["form"].errors["reason"]
    assert LedgerEntry.objects.filter(partner=net.dealer_a).count() == 1
    # a correction: "−40" with a typographic minus, and the reason the partner reads
    response = hq.post(url, {"points": "\u221240", "reason": "중복 적립 정정"})
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(partner=net.dealer_a, kind=LedgerKind.CORRECTION)
    assert (entry.points, entry.description) == (-40, "중복 적립 정정")
    assert "중복 적립 정정" in _client(net.dealer_a_user).get("/points/history/").content.decode()
    # a channel manager sees the ledger but has no form, and a posted one is refused
    manager = _client(factories.member(net.hq, Role.HQ_CHANNEL_MANAGER))
    assert 'data-testid="correction-form"' not in manager.get(url).content.decode()
    assert manager.post(url, {"points": "10", "reason": "x"}).status_code == 403
    assert points_balance(net.dealer_a) == 60


def test_hq_admin_sets_the_rules_on_the_rules_page(net: factories.Network) -> None:
    hq = _client(net.hq_admin)
    event = PointsEvent.COURSE_PASSED
    response = hq.post("/hq/points/rules/", {"event": event, f"{event}-fixed_points": "300",
                                             f"{event}-points_per_10k": "", f"{event}-expires_after_months": "12",
                                             f"{event}-description": "교육 이수", f"{event}-is_active": "on"})
    assert response.status_code == 302
    rule = PointsRule.objects.get(event=event)
    assert (rule.fixed_points, rule.points_per_10k, rule.expires_after_months, rule.is_active) == (300, 0, 12, True)
    # junk in any field: the form names it, the rule is unchanged
    for junk in JUNK:
        for name in ("fixed_points", "points_per_10k", "expires_after_months"):
            if junk.strip() in ("", "0", "-0"):
                continue  # empty means 0, and so does "-0"
            response = hq.post("/hq/points/rules/", {"event": event, f"{event}-{name}": junk,
                                                     f"{event}-fixed_points": "1" if name != "fixed_points" else junk,
                                                     f"{event}-is_active": "on"})
            assert response.status_code == 200, (name, junk)
    # an active rule that gives nothing is refused; an unknown event is a message
    response = hq.post("/hq/points/rules/", {"event": event, f"{event}-fixed_points": "0",
                                             f"{event}-is_active": "on"})
    assert "must give some points" in response.content.decode()
    assert "Choose one of the listed events" in hq.post("/hq/points/rules/", {"event": "junk"},
                                                         follow=True).content.decode()
    assert PointsRule.objects.get(event=event).fixed_points == 300
    # a channel manager reads them and cannot change them
    manager = _client(factories.member(net.hq, Role.HQ_CHANNEL_MANAGER))
    assert manager.get("/hq/points/rules/").status_code == 200
    assert manager.post("/hq/points/rules/", {"event": event, f"{event}-fixed_points": "1"}).status_code == 403


def test_hq_keeps_the_catalogue_on_its_pages(net: factories.Network) -> None:
    hq = _client(net.hq_admin)
    # a credit note without an amount: the form says so
    response = hq.post("/hq/points/rewards/new/", {"name": "크레딧", "points_cost": "100", "kind": "credit_note",
                                                    "credit_amount": "", "is_active": "on"})
    assert response.status_code == 200 and response.context["form"].errors["credit_amount"]
    response = hq.post("/hq/points/rewards/new/", {"name": "크레딧", "points_cost": "100", "kind": "credit_note",
                                                    "credit_amount": "12.5", "is_active": "on"})
    assert response.context["form"].errors["credit_amount"]
    response = hq.post("/hq/points/rewards/new/", {"name": "5만원 크레딧", "points_cost": "500",
                                                    "kind": "credit_note", "credit_amount": "50,000",
                                                    "stock": "", "is_active": "on"})
    assert response.status_code == 302
    reward = Reward.objects.get()
    assert (reward.credit_amount, reward.stock, reward.is_active) == (Decimal(50000), None, True)
    assert AuditEvent.objects.filter(action="points.reward_create", object_id=str(reward.pk)).exists()
    # junk in each field changes nothing
    for junk in JUNK:
        for name in ("points_cost", "stock", "kind", "credit_amount"):
            values = {"name": "x", "points_cost": "1", "kind": "goods", "stock": "1", name: junk}
            if (name, junk.strip()) in (("stock", ""), ("stock", "0"), ("stock", "-0")):
                continue  # empty: no limit; none left is a stock too
            if name == "credit_amount":
                values["kind"] = "credit_note"
            response = hq.post(f"/hq/points/rewards/{reward.pk}/", values)
            assert response.status_code == 200, (name, junk)
    assert Reward.objects.get(pk=reward.pk).name == "5만원 크레딧"
    # a reward nobody redeemed is removed; a redeemed one is not
    data.earn(net.dealer_a, 500)
    redemption_request(actor=net.actor(net.dealer_a_user), reward=reward, quantity=1)
    response = hq.post(f"/hq/points/rewards/{reward.pk}/", {"action": "delete"}, follow=True)
    assert "make it inactive instead" in response.content.decode() and Reward.objects.filter(pk=reward.pk).exists()
    spare = data.reward("볼펜", cost=5)
    assert hq.post(f"/hq/points/rewards/{spare.pk}/", {"action": "delete"})["Location"] == "/hq/points/rewards/"
    assert not Reward.objects.filter(pk=spare.pk).exists()


# --- junk ------------------------------------------------------------------------------------------------------

def test_junk_posted_to_the_partner_pages_gives_a_message_never_a_500(net: factories.Network) -> None:
    data.earn(net.dealer_a, 100)
    reward = data.reward(cost=10, stock=3)
    dealer = _client(net.dealer_a_user)
    for junk in JUNK:
        response = dealer.post(f"/points/rewards/{reward.pk}/redeem/", {"quantity": junk}, follow=True)
        assert response.status_code == 200, junk
        assert "msg-error" in response.content.decode(), junk
    for quantity in ("4", "11", "101", "-3"):  # more than the stock, more than the points, more than allowed
        response = dealer.post(f"/points/rewards/{reward.pk}/redeem/", {"quantity": quantity}, follow=True)
        assert "msg-error" in response.content.decode(), quantity
    # ids that name nothing, and GETs of the POST-only addresses
    assert dealer.post("/points/rewards/99999999999999999999999/redeem/", {"quantity": 1}).status_code == 404
    assert dealer.post("/points/redemptions/0/cancel/").status_code == 404
    assert dealer.get(f"/points/rewards/{reward.pk}/redeem/").status_code == 405
    # a NUL character is refused up front
    assert dealer.post(f"/points/rewards/{reward.pk}/redeem/", {"quantity": "1\x00"}).status_code == 400
    hq = _client(net.hq_admin)
    assert hq.post(f"/hq/points/partners/{net.dealer_a.pk}/", {"points": "5", "reason": "a\x00b"}).status_code == 400
    for path in ("/hq/points/?q=%00", "/points/history/?page=%00"):
        assert dealer.get(path).status_code in (400, 403)
    # junk in the query string is harmless
    for path in ("/points/history/?page=abc", "/points/history/?page=-1", "/points/redemptions/?page=9999999"):
        assert dealer.get(path).status_code == 200
    for path in ("/hq/points/?q=" + "가" * 500, "/hq/points/redemptions/?status=junk", "/hq/points/?page=x"):
        assert hq.get(path).status_code == 200
    # nothing was written
    assert not Redemption.objects.exists() and LedgerEntry.objects.count() == 1
    assert Reward.objects.get(pk=reward.pk).stock == 3


# --- the home page's box ---------------------------------------------------------------------------------------

def test_the_home_page_partial_shows_the_balance_and_what_expires_soon(net: factories.Network) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    today = timezone.localdate()
    data.earn(net.dealer_a, 1500, months=1, day=today - dt.timedelta(days=20))
    data.earn(net.dealer_a, 200, months=0)
    template = engines["django"].from_string('{% include "rewards/_home_points.html" %}')
    request = RequestFactory().get("/dealer/")
    request.user = net.dealer_a_user
    html = template.render({"request": request}, request)
    assert 'data-testid="home-points-balance">1,700<' in html
    assert "1,500 expire on" in html and 'href="/points/"' in html
    request.user = net.hq_admin
    assert "home-points" not in template.render({"request": request}, request)
    request.user = AnonymousUser()
    assert "home-points" not in template.render({"request": request}, request)
