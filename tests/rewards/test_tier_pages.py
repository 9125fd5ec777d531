"""The tier program's pages: HQ makes a program, gives it tiers, tries a change (dry run), publishes it and reads
the runs and history; a partner reads its own tier. Other tenants' programs and runs are 404s, partners get 403 on
HQ's pages, and bad input is a message, never a 500."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django_tenants.utils import schema_context

from rewards.models import Tier, TierProgram, TierRun
from rewards.models.tiers import ProgramStatus, RunStatus
from rewards.services.tiers import tiers_run
from tests import factories
from tests.conftest import tenant_client
from tests.rewards import tiers_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def net(acme: Any) -> factories.Network:
    return factories.network()


def tier_post(program_fields: dict[str, Any], tiers: list[dict[str, Any]], action: str = "save") -> dict[str, Any]:
    post: dict[str, Any] = {"action": action, **program_fields, "tiers-TOTAL_FORMS": str(len(tiers)),
                            "tiers-INITIAL_FORMS": str(sum(1 for t in tiers if t.get("id"))),
                            "tiers-MIN_NUM_FORMS": "0", "tiers-MAX_NUM_FORMS": "10"}
    for i, tier in enumerate(tiers):
        for key, value in tier.items():
            post[f"tiers-{i}-{key}"] = value
    return post


PROGRAM = {"name": "딜러 등급", "description": "", "kind": "dealer", "segment": "", "priority": "100",
           "window_days": "365", "grace_days": "30", "review_months": "3"}


def test_hq_makes_a_program_gives_it_tiers_and_publishes_it(acme: Any, net: factories.Network) -> None:
    client = tenant_client(acme, net.hq_admin)
    # given a new program
    response = client.post("/hq/tiers/new/", PROGRAM)
    program = TierProgram.objects.get(name="딜러 등급")
    assert response.status_code == 302 and response["Location"] == f"/hq/tiers/{program.pk}/"
    page = client.get(f"/hq/tiers/{program.pk}/")
    assert page.status_code == 200 and page.content.decode().count('data-testid="tier-form-') == 4
    # when HQ saves two tiers, typing the amount as people do
    response = client.post(f"/hq/tiers/{program.pk}/", tier_post(PROGRAM, [
        {"name": "Bronze", "rank": "1"},
        {"name": "Silver", "rank": "2", "min_sales": "₩1,000,000", "credit_limit": "3,000,000",
         "routing_step": "2", "benefits_text": "전용 상담 창구"},
        {"name": "", "rank": ""},  # an empty row is left out
    ]))
    assert response.status_code == 302
    silver = Tier.objects.get(program=program, name="Silver")
    assert silver.min_sales == Decimal(1_000_000) and silver.credit_limit == Decimal(3_000_000)
    assert Tier.objects.filter(program=program).count() == 2
    # then publishing queues a run; carried out, the dealer with sales holds Silver
    data.sale(net.dealer_a, net.seoul_distributor, 1_200_000)
    assert client.post(f"/hq/tiers/{program.pk}/", {"action": "publish"}).status_code == 302
    program.refresh_from_db()
    assert program.status == ProgramStatus.PUBLISHED
    run = TierRun.objects.filter(dry_run=False).latest("id")
    assert tiers_run(run=run).status == RunStatus.DONE
    net.dealer_a.refresh_from_db()
    assert net.dealer_a.tier == "Silver" and net.dealer_a.tier_credit_limit == Decimal(3_000_000)
    # the run page and the history show it
    run_page = client.get(f"/hq/tiers/runs/{run.pk}/").content.decode()
    assert 'data-testid="run-upgraded">3<' in run_page
    history = client.get("/hq/tiers/changes/?direction=up&q=강남").content.decode()
    assert net.dealer_a.name in history and net.dealer_b.name not in history


def test_a_dry_run_from_the_page_counts_the_moves_and_saves_nothing(acme: Any, net: factories.Network) -> None:
    program = data.program()
    data.sale(net.dealer_a, net.seoul_distributor, 1_200_000)
    tiers_run(run=TierRun.objects.create())
    client = tenant_client(acme, net.hq_admin)
    tiers = [{"id": str(t.pk), "name": t.name, "rank": str(t.rank), "min_sales": str(t.min_sales),
              "min_orders_won": str(t.min_orders_won), "min_certifications": str(t.min_certifications)}
             for t in program.tiers.order_by("rank")]
    tiers[1]["min_sales"] = "2000000"  # Silver made harder
    response = client.post(f"/hq/tiers/{program.pk}/", tier_post({**PROGRAM, "grace_days": "30"}, tiers,
                                                                  action="dry_run"))
    run = TierRun.objects.get(dry_run=True)
    assert response.status_code == 302 and response["Location"] == f"/hq/tiers/runs/{run.pk}/"
    tiers_run(run=run)
    page = tenant_client(acme, net.hq_admin).get(f"/hq/tiers/runs/{run.pk}/").content.decode()
    assert 'data-testid="run-grace">1<' in page and "Silver → Bronze (grace)" in page
    assert Tier.objects.get(program=program, name="Silver").min_sales == Decimal(1_000_000)
    net.dealer_a.refresh_from_db()
    assert net.dealer_a.tier == "Silver"


def test_a_run_in_progress_is_followed_live(acme: Any, net: factories.Network) -> None:
    run = TierRun.objects.create()
    client = tenant_client(acme, net.hq_admin)
    page = client.get(f"/hq/tiers/runs/{run.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    partial = client.get(f"/hq/tiers/runs/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="tier-run"') and 'data-status="queued"' in partial


def test_bad_tier_input_is_named_and_saves_nothing(acme: Any, net: factories.Network) -> None:
    program = data.program(published=False)
    client = tenant_client(acme, net.hq_admin)
    before = list(Tier.objects.filter(program=program).order_by("rank").values_list("name", "min_sales"))
    cases = [
        [{"name": "Gold", "rank": "1"}, {"name": "gold", "rank": "2"}],  # same name
        [{"name": "A", "rank": "1"}, {"name": "B", "rank": "1"}],  # same rank
        [{"name": "A", "rank": "1", "min_sales": "lots"}],
        [{"name": "A", "rank": "1", "min_acceptance": "140"}],
        [{"name": "A", "rank": "1", "min_satisfaction": "9"}],
        [{"name": "A", "rank": "99999999999999999999"}],
    ]
    for tiers in cases:
        response = client.post(f"/hq/tiers/{program.pk}/", tier_post(PROGRAM, tiers))
        assert response.status_code == 200, tiers
        assert "errorlist" in response.content.decode() or "msg-error" in response.content.decode()
    # a NUL character is refused up front (400, never reaching the database)
    assert client.post(f"/hq/tiers/{program.pk}/", tier_post(PROGRAM, [{"name": "A\x00", "rank": "1"}])
                       ).status_code == 400
    # no management form at all, junk actions and ids
    assert client.post(f"/hq/tiers/{program.pk}/", {"action": "save"}).status_code == 200
    assert client.post(f"/hq/tiers/{program.pk}/", {"action": "explode"}).status_code == 302
    assert client.get("/hq/tiers/changes/?program=abc&partner=99999999999999999999&page=x").status_code == 200
    assert client.post("/hq/tiers/new/", {**PROGRAM, "window_days": "3", "kind": "alien"}).status_code == 200
    assert list(Tier.objects.filter(program=program).order_by("rank").values_list("name", "min_sales")) == before


def test_a_channel_manager_reads_but_does_not_edit(acme: Any, net: factories.Network) -> None:
    program = data.program()
    manager = factories.member(net.hq, "hq_channel_manager")
    client = tenant_client(acme, manager)
    assert client.get(f"/hq/tiers/{program.pk}/").status_code == 200
    assert client.post(f"/hq/tiers/{program.pk}/", {"action": "archive"}).status_code == 403
    assert client.get("/hq/tiers/new/").status_code == 403
    program.refresh_from_db()
    assert program.status == ProgramStatus.PUBLISHED


def test_partners_get_403_on_hq_tier_pages(acme: Any, net: factories.Network) -> None:
    program = data.program()
    run = TierRun.objects.create()
    for user in (net.dealer_a_user, net.seoul_admin):
        client = tenant_client(acme, user)
        for url in ("/hq/tiers/", "/hq/tiers/new/", f"/hq/tiers/{program.pk}/", f"/hq/tiers/runs/{run.pk}/",
                    "/hq/tiers/changes/"):
            assert client.get(url).status_code == 403, url
    assert tenant_client(acme, net.hq_admin).get("/tier/").status_code == 403


def test_another_tenants_program_and_run_are_404(acme: Any, globex: Any, net: factories.Network) -> None:
    with schema_context(globex.schema_name):
        other_net = factories.network(prefix="G")
        other = data.program(name="Globex 등급")
        other_run = TierRun.objects.create(program=other)
    # acme's ids run past globex's, so an id from one tenant names nothing in the other
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("rewards_tierprogram", "rewards_tierrun"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           "greatest(nextval(pg_get_serial_sequence(%s, 'id')), 1000000))", [table])
    mine = data.program()
    my_run = TierRun.objects.create(program=mine)
    client = tenant_client(acme, net.hq_admin)
    assert client.get(f"/hq/tiers/{other.pk}/").status_code == 404
    assert client.get(f"/hq/tiers/runs/{other_run.pk}/").status_code == 404
    assert client.get(f"/hq/tiers/{mine.pk}/").status_code == 200
    assert "Globex 등급" not in client.get("/hq/tiers/").content.decode()
    with schema_context(globex.schema_name):
        globex_hq = tenant_client(globex, other_net.hq_admin)
        assert globex_hq.get(f"/hq/tiers/{mine.pk}/").status_code == 404
        assert globex_hq.get(f"/hq/tiers/runs/{my_run.pk}/").status_code == 404
        assert globex_hq.get(f"/hq/tiers/{other.pk}/").status_code == 200


def test_the_dealer_reads_its_tier_and_what_the_next_one_takes(acme: Any, net: factories.Network) -> None:
    data.program(review_months=3)
    data.sale(net.dealer_a, net.seoul_distributor, 1_600_000)
    tiers_run(run=TierRun.objects.create())
    client = tenant_client(acme, net.dealer_a_user)
    page = client.get("/tier/").content.decode()
    assert 'data-testid="tier-name">Silver<' in page
    assert "₩3,400,000 more sales" in page and "2 more certifications" in page
    assert "Credit limit up to ₩3,000,000" in page
    home = client.get("/dealer/").content.decode()
    assert 'data-testid="home-tier-name">Silver<' in home and "₩3,400,000 more sales" in home
    # another dealer sees its own tier, not dealer_a's figures
    other = tenant_client(acme, net.dealer_b_user).get("/tier/").content.decode()
    assert 'data-testid="tier-name">Bronze<' in other and "₩1,600,000" not in other


def test_a_partner_outside_every_program_is_told_so(acme: Any, net: factories.Network) -> None:
    page = tenant_client(acme, net.seoul_admin).get("/tier/")
    assert page.status_code == 200 and 'data-testid="no-program"' in page.content.decode()


def test_a_partner_in_grace_is_told_until_when_and_what_keeps_it(acme: Any, net: factories.Network) -> None:
    import datetime as dt

    from django.utils import timezone

    from purchasing.models import PurchaseOrder

    data.program(grace_days=30, window_days=60)
    sale = data.sale(net.dealer_a, net.seoul_distributor, 2_000_000, days_ago=50)
    tiers_run(run=TierRun.objects.create())
    # time passes: the sale leaves the window
    PurchaseOrder.objects.filter(pk=sale.pk).update(placed_at=timezone.now() - dt.timedelta(days=70))
    tiers_run(run=TierRun.objects.create())
    page = tenant_client(acme, net.dealer_a_user).get("/tier/").content.decode()
    due = timezone.localdate() + dt.timedelta(days=30)
    assert 'data-testid="grace"' in page and "₩1,000,000 more sales" in page
    assert 'data-testid="tier-name">Silver<' in page
    from django.utils.formats import date_format

    assert date_format(due, "DATE_FORMAT") in page


def test_the_inline_dry_run_names_each_problem_and_runs_nothing(acme: Any, net: factories.Network) -> None:
    program = data.program(published=False)
    client = tenant_client(acme, net.hq_admin)
    response = client.post(f"/hq/tiers/{program.pk}/dry-run/", tier_post(
        PROGRAM, [{"name": "Gold", "rank": "1", "min_acceptance": "250"}]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="dry-run-problems"' in body
    assert "Tier 1, Lead acceptance at least (%)" in body
    assert not TierRun.objects.exists()
    ok = client.post(f"/hq/tiers/{program.pk}/dry-run/", tier_post(PROGRAM, [{"name": "Gold", "rank": "1"}]),
                     HTTP_HX_REQUEST="true")
    run = TierRun.objects.get(dry_run=True)
    assert f'hx-get="/hq/tiers/runs/{run.pk}/?inline=1"' in ok.content.decode()
    assert client.get(f"/hq/tiers/{program.pk}/dry-run/").status_code == 302
    assert tenant_client(acme, net.dealer_a_user).post(f"/hq/tiers/{program.pk}/dry-run/", {}).status_code == 403
