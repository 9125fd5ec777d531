"""A campaign's results: each participant's purchases of the campaign's products placed in its period and counted
as sales (confirmed to delivered), and its customer orders won in the period; only the participants; HQ sees all of
them with the totals, a participant only its own. One grouped query whatever the number of participants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.selectors import campaigns as selectors
from campaigns.services import campaigns as services
from partners.choices import OrgKind
from tests import factories
from tests.campaigns import make
from tests.conftest import tenant_client


def moment(days: int) -> dt.datetime:
    """Noon, ``days`` days from today (negative: in the past)."""
    day = make.today() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def running(net):
    """A campaign from 5 days ago to 5 days ahead for two air-conditioner models; dealer_a and dealer_b joined,
    dealer_c did not."""
    p1, p2 = make.product("AC-1", line=net.aircon), make.product("AC-2", line=net.aircon)
    other = make.product("AC-9", line=net.aircon)
    campaign = make.campaign(net.hq_admin, products=[p1, p2], starts_in=-5, days=11, budget="1,000,000")
    for user in (net.dealer_a_user, net.dealer_b_user):
        make.join(user, campaign)
    return campaign, p1, p2, other


def test_only_the_campaigns_products_in_its_period_and_counted_statuses_are_its_sales(net, running):
    campaign, p1, p2, other = running
    seoul = net.seoul_distributor
    # counted: dealer_a's delivered order of p1 (the p9 line in it is not the campaign's) and a confirmed one of p2
    make.purchase(net.dealer_a, seoul, [(p1, 2, 100_000), (other, 1, 50_000)], status="delivered",
                  placed_at=moment(-1))
    make.purchase(net.dealer_a, seoul, [(p2, 1, 70_000)], status="confirmed", placed_at=moment(0))
    # not counted: before the period, after it, placed or cancelled, in the cart
    make.purchase(net.dealer_a, seoul, [(p1, 1, 1_000_000)], placed_at=moment(-6))
    make.purchase(net.dealer_a, seoul, [(p1, 1, 1_000_000)], placed_at=moment(6))
    for status in ("placed", "awaiting_payment", "cancelled"):
        make.purchase(net.dealer_a, seoul, [(p1, 1, 1_000_000)], status=status, placed_at=moment(-1))
    # dealer_b: shipped counts; dealer_c did not join
    make.purchase(net.dealer_b, seoul, [(p2, 3, 10_000)], status="shipped", placed_at=moment(-5))
    make.purchase(net.dealer_c, net.busan_distributor, [(p1, 9, 100_000)], placed_at=moment(-1))

    results = selectors.campaign_results(campaign)
    rows = {r.partner_id: r for r in results.rows}
    assert set(rows) == {net.dealer_a.pk, net.dealer_b.pk}
    assert (rows[net.dealer_a.pk].sales_value, rows[net.dealer_a.pk].sales_orders) == (Decimal(270_000), 2)
    assert (rows[net.dealer_b.pk].sales_value, rows[net.dealer_b.pk].sales_orders) == (Decimal(30_000), 1)
    assert (results.participants, results.sales_value, results.sales_orders) == (2, Decimal(300_000), 3)
    assert results.rows[0].partner_id == net.dealer_a.pk  # by sales
    assert results.sales_per_budget == Decimal("0.30")


def test_customer_orders_won_in_the_period_of_the_campaigns_lines_count(net, running):
    campaign, *_ = running
    tv = factories.product_line("tv", "TV")
    make.won(net.dealer_a, 2_000_000, at=moment(-2), line=net.aircon)
    make.won(net.dealer_a, 500_000, at=moment(-9), line=net.aircon)  # before the period
    make.won(net.dealer_a, 700_000, at=moment(-2), line=tv)  # not the campaign's line
    make.won(net.dealer_a, 0, at=moment(-2), line=net.aircon, stage="lost")
    make.won(net.dealer_c, 3_000_000, at=moment(-2), line=net.aircon)  # not a participant
    results = selectors.campaign_results(campaign)
    rows = {r.partner_id: r for r in results.rows}
    assert (rows[net.dealer_a.pk].won_value, rows[net.dealer_a.pk].won_orders) == (Decimal(2_000_000), 1)
    assert (rows[net.dealer_b.pk].won_value, rows[net.dealer_b.pk].won_orders) == (Decimal(0), 0)
    assert (results.won_value, results.won_orders) == (Decimal(2_000_000), 1)


def test_a_partner_that_left_is_no_longer_a_participant(net):
    p1 = make.product("AC-1", line=net.aircon)
    campaign = make.campaign(net.hq_admin, products=[p1], starts_in=3)
    make.join(net.dealer_a_user, campaign)
    make.join(net.dealer_b_user, campaign)
    services.participation_withdraw(actor=make.actor(net.dealer_b_user), campaign=campaign)
    assert [r.partner_id for r in selectors.campaign_results(campaign).rows] == [net.dealer_a.pk]


def test_a_campaign_without_products_counts_every_purchase_of_its_product_lines(net):
    tv = factories.product_line("tv", "TV")
    net.dealer_a.product_lines.add(tv)
    ac, television = make.product("AC-1", line=net.aircon), make.product("TV-1", line=tv)
    campaign = make.campaign(net.hq_admin, product_lines=[tv], starts_in=-1, days=3)
    make.join(net.dealer_a_user, campaign)
    make.purchase(net.dealer_a, net.seoul_distributor, [(ac, 1, 100), (television, 1, 1_000)], placed_at=moment(0))
    assert selectors.campaign_results(campaign).sales_value == Decimal(1_000)


def test_results_are_one_query_whatever_the_number_of_participants(net, running):
    campaign, p1, *_ = running
    make.purchase(net.dealer_a, net.seoul_distributor, [(p1, 1, 1_000)], placed_at=moment(0))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.campaign_results(campaign)
        return len(captured.captured_queries)

    before = queries()
    for i in range(6):
        dealer = factories.organization(OrgKind.DEALER, f"추가 딜러 {i}", lines=[net.aircon])
        make.join(factories.member(dealer, "dealer_admin"), campaign)
        make.purchase(dealer, net.seoul_distributor, [(p1, 1, 1_000)], placed_at=moment(0))
    assert queries() == before == 2  # the participants' figures, and the funds approved on the campaign's plans
    assert selectors.campaign_results(campaign).participants == 8


def test_hq_sees_every_participant_and_a_dealer_only_its_own_figures(acme, net, running):
    campaign, p1, *_ = running
    make.purchase(net.dealer_a, net.seoul_distributor, [(p1, 1, 123_000)], placed_at=moment(0))
    make.purchase(net.dealer_b, net.seoul_distributor, [(p1, 1, 456_000)], placed_at=moment(0))
    hq = tenant_client(acme, net.hq_admin).get(f"/hq/campaigns/{campaign.pk}/").content.decode()
    assert net.dealer_a.name in hq and net.dealer_b.name in hq
    assert "₩123,000" in hq and "₩456,000" in hq and "₩579,000" in hq
    mine = tenant_client(acme, net.dealer_a_user).get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "₩123,000" in mine
    assert "₩456,000" not in mine and "₩579,000" not in mine and net.dealer_b.name not in mine
    theirs = tenant_client(acme, net.dealer_b_user).get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "₩456,000" in theirs and "₩123,000" not in theirs


def test_hq_pages_through_many_participants(acme, net):
    campaign = make.campaign(net.hq_admin)
    for i in range(55):
        dealer = factories.organization(OrgKind.DEALER, f"딜러 {i:02d}", lines=[net.aircon])
        make.join(factories.member(dealer, "dealer_admin"), campaign)
    hq = tenant_client(acme, net.hq_admin)
    first = hq.get(f"/hq/campaigns/{campaign.pk}/").content.decode()
    second = hq.get(f"/hq/campaigns/{campaign.pk}/?page=2").content.decode()
    assert first.count('data-testid="participant"') == 50 and second.count('data-testid="participant"') == 5
    assert 'data-testid="participant-count">55<' in second
    beyond = hq.get(f"/hq/campaigns/{campaign.pk}/?page=99").content.decode()
    assert beyond.count('data-testid="participant"') == 5  # the last page
