"""The points ledger: balances are the sum of the entries whatever happens (a property test against a model in
plain Python), the database refuses to change or delete an entry, and each service's rule: earning once per
reference, points and stock given back, credit notes, expiry first-in-first-out with one notice, corrections
that cannot go below zero, inactive rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import psycopg2
import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partners.choices import PartnerStatus, Role
from prm.core.actor import Actor
from prm.core.errors import NotAllowed, ServiceError
from prm.core.models import AuditEvent, Notification
from purchasing.models import AccountEntry
from rewards.models import (
    LedgerEntry,
    LedgerKind,
    PointsEvent,
    PointsExpiryNotice,
    PointsRule,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardKind,
)
from rewards.selectors.points import (
    ledger_of,
    points_balance,
    points_expiring,
    points_expiring_dates,
)
from rewards.services.points import (
    points_correct,
    points_earn,
    points_expire,
    points_expiry_notices,
    points_rule_save,
    redemption_approve,
    redemption_cancel,
    redemption_reject,
    redemption_request,
    reward_delete,
    reward_save,
)
from tests import factories
from tests.rewards import points_data as data

pytestmark = pytest.mark.django_db

START = dt.date(2031, 1, 1)
WINDOW = 30


@pytest.fixture
def net(acme: Any) -> factories.Network:
    return factories.network()


def sql_sum(partner_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(points), 0) FROM rewards_ledgerentry WHERE partner_id = %s",
                       [partner_id])
        return int(cursor.fetchone()[0])


# --- the property test -----------------------------------------------------------------------------------------

@dataclass
class Model:
    """The ledger in plain Python: lots of earned points (with their expiry, None: never), and how much each
    partner has spent net of what came back. Spending uses the lots that expire soonest first (a lot that never
    expires last), whenever they were earned; what is left of a lot whose day has come expires."""

    lots: dict[int, list[tuple[dt.date | None, int]]] = field(default_factory=dict)
    spent: dict[int, int] = field(default_factory=dict)
    balance: dict[int, int] = field(default_factory=dict)
    stock: dict[int, int | None] = field(default_factory=dict)
    # redemption id -> (partner, points, reward, quantity)
    waiting: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)

    def left_in_lots(self, partner: int) -> list[tuple[dt.date | None, int]]:
        to_use = self.spent[partner]
        left = []
        for expires_on, points in sorted(self.lots[partner], key=lambda lot: (lot[0] is None, lot[0] or START)):
            used = min(points, to_use)
            to_use -= used
            left.append((expires_on, points - used))
        return left

    def expiring(self, partner: int, today: dt.date, horizon: dt.date) -> tuple[int, dt.date | None]:
        due = [(day, left) for day, left in self.left_in_lots(partner) if day is not None and day <= horizon
               and left > 0]
        return sum(left for _day, left in due), (max(min(day for day, _ in due), today) if due else None)

    def expire(self, partner: int, today: dt.date) -> int:
        due = sum(left for day, left in self.left_in_lots(partner) if day is not None and day <= today)
        self.spent[partner] += due
        self.balance[partner] -= due
        return due


@dataclass
class World:
    partners: list[int]
    actors: dict[int, Actor]
    hq: Actor
    rewards: list[Reward]


partner_index = st.integers(min_value=0, max_value=2)
operations = st.one_of(
    st.tuples(st.just("earn"), partner_index, st.integers(1, 300), st.sampled_from([0, 1, 2, 3])),
    st.tuples(st.just("redeem"), partner_index, st.integers(0, 2), st.integers(1, 3)),
    st.tuples(st.sampled_from(["approve", "reject", "cancel"]), st.integers(0, 5)),
    st.tuples(st.just("correct"), partner_index, st.integers(-300, 300).filter(bool)),
    st.tuples(st.just("advance"), st.integers(1, 75)),
    st.tuples(st.just("expire_again"),),
)


def _replay(world: World, ops: list[tuple[Any, ...]]) -> None:
    model = Model(lots={p: [] for p in world.partners}, spent=dict.fromkeys(world.partners, 0),
                  balance=dict.fromkeys(world.partners, 0),
                  stock={r.pk: r.stock for r in world.rewards})
    costs = {r.pk: r.points_cost for r in world.rewards}
    today = START
    for step, op in enumerate(ops):
        kind = op[0]
        if kind == "earn":
            _kind, index, points, months = op
            partner = world.partners[index]
            data.rule(months=months)
            entry = points_earn(partner=world.actors[partner].organization, event=PointsEvent.ORDER_DELIVERED,
                                reference=f"step:{step}", amount=points * 10_000, today=today)
            assert entry is not None and entry.points == points
            model.lots[partner].append((today + relativedelta(months=months) if months else None, points))
            model.balance[partner] += points
        elif kind == "redeem":
            _kind, index, which, quantity = op
            partner, reward = world.partners[index], world.rewards[which]
            cost = costs[reward.pk] * quantity
            stock = model.stock[reward.pk]
            fits = cost <= model.balance[partner] and (stock is None or stock >= quantity)
            try:
                redemption = redemption_request(actor=world.actors[partner], reward=reward, quantity=quantity)
            except ValidationError:
                assert not fits, (op, model.balance[partner])
            else:
                assert fits, (op, model.balance[partner])
                model.balance[partner] -= cost
                model.spent[partner] += cost
                if stock is not None:
                    model.stock[reward.pk] = stock - quantity
                model.waiting[redemption.pk] = (partner, cost, reward.pk, quantity)
        elif kind in ("approve", "reject", "cancel"):
            if not model.waiting:
                continue
            pk = sorted(model.waiting)[op[1] % len(model.waiting)]
            partner, cost, reward_pk, quantity = model.waiting.pop(pk)
            redemption = Redemption.objects.get(pk=pk)
            if kind == "approve":
                redemption_approve(actor=world.hq, redemption=redemption)
            else:
                if kind == "reject":
                    redemption_reject(actor=world.hq, redemption=redemption, reason="재고 없음")
                else:
                    redemption_cancel(actor=world.actors[partner], redemption=redemption)
                model.balance[partner] += cost
                model.spent[partner] -= cost
                if model.stock[reward_pk] is not None:
                    model.stock[reward_pk] += quantity  # type: ignore[operator]
        elif kind == "correct":
            _kind, index, points = op
            partner = world.partners[index]
            fits = model.balance[partner] + points >= 0
            try:
                points_correct(actor=world.hq, partner=world.actors[partner].organization, points=points,
                               reason="정산 오류")
            except ValidationError:
                assert not fits
            else:
                assert fits
                model.balance[partner] += points
                if points < 0:
                    model.spent[partner] -= points
                else:
                    model.lots[partner].append((None, points))
        elif kind in ("advance", "expire_again"):
            if kind == "advance":
                today += dt.timedelta(days=op[1])
            expected = {p: model.expire(p, today) for p in world.partners}
            before = {p: sql_sum(p) for p in world.partners}
            points_expire(today=today)
            points_expiry_notices(today=today, days=WINDOW)
            for p in world.partners:
                # what expired is exactly what was earned to expire by today and not spent, first in first out
                assert before[p] - sql_sum(p) == expected[p], (op, p)
        # after every step, for every partner
        for p in world.partners:
            balance = points_balance(p)
            assert balance == sql_sum(p) == model.balance[p] >= 0, (step, op, p)
            figure = points_expiring(p, WINDOW, today=today)
            points, first_on = model.expiring(p, today, today + dt.timedelta(days=WINDOW))
            assert (figure.points, figure.first_on if figure.points else None) == (points, first_on), (step, op)
            assert sum(n for _day, n in points_expiring_dates(p, WINDOW, today=today)) == points
            running = list(ledger_of(world.hq, p).values_list("balance_after", flat=True))
            assert all(value >= 0 for value in running) and (running[0] if running else 0) == balance
        for reward in world.rewards:
            assert Reward.objects.get(pk=reward.pk).stock == model.stock[reward.pk]


def test_ledger_balances_equal_the_sum_of_entries_for_random_histories(net: factories.Network) -> None:
    # given two dealers and a distributor, each with a user, and three rewards (one with little stock, one a
    # credit note)
    world = World(
        partners=[net.dealer_a.pk, net.dealer_b.pk, net.seoul_distributor.pk],
        actors={net.dealer_a.pk: net.actor(net.dealer_a_user), net.dealer_b.pk: net.actor(net.dealer_b_user),
                net.seoul_distributor.pk: net.actor(net.seoul_admin)},
        hq=net.actor(net.hq_admin),
        rewards=[data.reward("우산", cost=40), data.reward("텀블러", cost=120, stock=2),
                 data.reward("상품권", cost=90, kind=RewardKind.CREDIT_NOTE, credit=10_000)],
    )

    # when any sequence of earning, redeeming, deciding, correcting and days passing (with the daily expiry) runs
    @settings(max_examples=40, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(ops=st.lists(operations, min_size=1, max_size=18))
    def replay(ops: list[tuple[Any, ...]]) -> None:
        with transaction.atomic():  # each example from the same starting point
            _replay(world, ops)
            transaction.set_rollback(True)

    # then after each step every balance is the SQL sum of its entries, never negative, agrees with the model,
    # and so do the points shown as expiring (see _replay)
    replay()


# --- append-only, in the database ------------------------------------------------------------------------------

@pytest.fixture
def entry(net: factories.Network) -> LedgerEntry:
    made = data.earn(net.dealer_a, 100)
    assert made is not None
    return made


def _refused(sql: str, params: list[Any] | None = None) -> psycopg2.Error:
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        # the test's transaction has deferred foreign-key checks pending, which TRUNCATE would trip on first
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params or [])
    cause = caught.value.__cause__
    assert isinstance(cause, psycopg2.Error)
    return cause


def test_no_update_or_delete_of_a_ledger_row_is_possible_enforced_in_the_database(entry: LedgerEntry) -> None:
    # given an entry, and this connection owning the table (the most a tenant's own code can be)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner = current_user FROM pg_tables WHERE schemaname = current_schema() "
                       "AND tablename = 'rewards_ledgerentry'")
        assert cursor.fetchone() == (True,)
    # when raw SQL updates, deletes or empties the table, then the database refuses each
    for sql in ("UPDATE rewards_ledgerentry SET points = 1000000 WHERE id = %s",
                "UPDATE rewards_ledgerentry SET description = 'x'",
                "DELETE FROM rewards_ledgerentry WHERE id = %s",
                "TRUNCATE rewards_ledgerentry",
                "TRUNCATE rewards_redemption CASCADE"):
        cause = _refused(sql, [entry.pk] if "%s" in sql else None)
        assert "append-only" in str(cause)
    # and so does the ORM, by queryset or by instance
    for attempt in (lambda: LedgerEntry.objects.filter(pk=entry.pk).update(points=5),
                    lambda: LedgerEntry.objects.filter(pk=entry.pk).delete(),
                    lambda: LedgerEntry.objects.get(pk=entry.pk).delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    changed = LedgerEntry.objects.get(pk=entry.pk)
    changed.points = 999
    with pytest.raises(DatabaseError), transaction.atomic():
        changed.save()
    # and the entry is as it was
    assert LedgerEntry.objects.get(pk=entry.pk).points == 100 and LedgerEntry.objects.count() == 1


def test_a_new_tenant_cloned_from_the_template_has_the_trigger_too(globex: Any) -> None:
    from django_tenants.utils import schema_context

    with schema_context("globex"), connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = 'globex' AND c.relname = 'rewards_ledgerentry' AND NOT t.tgisinternal "
                       "ORDER BY tgname")
        assert [row[0] for row in cursor.fetchall()] == ["rewards_ledger_append_only", "rewards_ledger_no_truncate"]


# --- earning ---------------------------------------------------------------------------------------------------

def test_the_same_reference_earns_once(net: factories.Network) -> None:
    # given an active rule: 10 points plus 2 per KRW 10,000
    data.rule(PointsEvent.ORDER_DELIVERED, fixed=10, per_10k=2, months=12)
    # when the same delivery is reported twice (a retried task, a second click)
    first = points_earn(partner=net.dealer_a, event=PointsEvent.ORDER_DELIVERED, reference="purchase:7",
                        amount=Decimal("55000"), today=START)
    again = points_earn(partner=net.dealer_a, event=PointsEvent.ORDER_DELIVERED, reference="purchase:7",
                        amount=Decimal("990000"), today=START)
    # then one entry: 10 + 2 × 5 whole ten-thousands, expiring 12 months later
    assert first is not None and again is None
    assert (first.points, first.expires_on) == (20, dt.date(2032, 1, 1))
    assert LedgerEntry.objects.filter(partner=net.dealer_a).count() == 1
    # and another partner, or another event, with the same reference earns its own
    assert points_earn(partner=net.dealer_b, event=PointsEvent.ORDER_DELIVERED, reference="purchase:7",
                       amount=10_000) is not None
    data.rule(PointsEvent.DEAL_WON, fixed=5, per_10k=0, months=0)
    won = points_earn(partner=net.dealer_a, event=PointsEvent.DEAL_WON, reference="purchase:7")
    assert won is not None and won.expires_on is None


def test_an_inactive_rule_or_no_rule_earns_nothing(net: factories.Network) -> None:
    data.rule(PointsEvent.COURSE_PASSED, fixed=100, active=False)
    assert points_earn(partner=net.dealer_a, event=PointsEvent.COURSE_PASSED, reference="certificate:1") is None
    assert points_earn(partner=net.dealer_a, event=PointsEvent.CAMPAIGN_JOINED, reference="campaign:1") is None
    # and HQ itself collects no points
    data.rule(PointsEvent.COURSE_PASSED, fixed=100)
    assert points_earn(partner=net.hq, event=PointsEvent.COURSE_PASSED, reference="certificate:1") is None
    assert not LedgerEntry.objects.exists()
    with pytest.raises(ValidationError):
        points_earn(partner=net.dealer_a, event="made_up", reference="x:1")
    with pytest.raises(ValidationError):
        points_earn(partner=net.dealer_a, event=PointsEvent.COURSE_PASSED, reference="  ")


# --- redemptions -----------------------------------------------------------------------------------------------

def test_rejecting_or_cancelling_gives_back_the_points_and_the_stock(net: factories.Network) -> None:
    # given 300 points and a reward of 100 points with 3 in stock
    data.earn(net.dealer_a, 300)
    reward = data.reward(cost=100, stock=3)
    dealer, hq = net.actor(net.dealer_a_user), net.actor(net.hq_admin)
    # when the dealer redeems 2, then HQ rejects it with a reason
    first = redemption_request(actor=dealer, reward=reward, quantity=2)
    assert points_balance(net.dealer_a) == 100 and Reward.objects.get(pk=reward.pk).stock == 1
    redemption_reject(actor=hq, redemption=first, reason="  품절입니다  ")
    # then the points and the stock are back, and the reason is kept for the dealer to read
    first.refresh_from_db()
    assert (first.status, first.reason) == (RedemptionStatus.REJECTED, "품절입니다")
    assert points_balance(net.dealer_a) == 300 and Reward.objects.get(pk=reward.pk).stock == 3
    returned = LedgerEntry.objects.get(redemption=first, kind=LedgerKind.REVERSED)
    assert returned.points == 200 and returned.description == "텀블러: 품절입니다"  # which reward, and why
    # when it redeems 3 and cancels while HQ has not decided, the same
    second = redemption_request(actor=dealer, reward=reward, quantity=3)
    assert Reward.objects.get(pk=reward.pk).stock == 0
    redemption_cancel(actor=dealer, redemption=second)
    assert points_balance(net.dealer_a) == 300 and Reward.objects.get(pk=reward.pk).stock == 3
    # and a decided redemption cannot be decided again, nor cancelled
    with pytest.raises(ServiceError):
        redemption_approve(actor=hq, redemption=second)
    with pytest.raises(ServiceError):
        redemption_cancel(actor=dealer, redemption=first)
    assert points_balance(net.dealer_a) == 300


def test_a_redemption_needs_the_points_the_stock_and_an_offered_reward(net: factories.Network) -> None:
    data.earn(net.dealer_a, 250)
    dealer = net.actor(net.dealer_a_user)
    for reward, quantity in ((data.reward(cost=100), 3), (data.reward(cost=10, stock=1), 2),
                             (data.reward(cost=10, active=False), 1), (data.reward(cost=10), 0),
                             (data.reward(cost=10), 101), (data.reward(cost=10), "many")):
        with pytest.raises(ValidationError):
            redemption_request(actor=dealer, reward=reward, quantity=quantity)  # type: ignore[arg-type]
    # HQ does not redeem; a suspended partner does not either
    with pytest.raises((ServiceError, NotAllowed)):
        redemption_request(actor=net.actor(net.hq_admin), reward=data.reward(cost=1), quantity=1)
    net.dealer_a.status = PartnerStatus.SUSPENDED
    net.dealer_a.save()
    with pytest.raises(ServiceError):
        redemption_request(actor=net.actor(net.dealer_a_user), reward=data.reward(cost=1), quantity=1)
    assert not Redemption.objects.exists() and points_balance(net.dealer_a) == 250


def test_approving_a_credit_note_reward_credits_the_partners_account_with_hq(net: factories.Network) -> None:
    # given a credit note of KRW 50,000 for 500 points
    data.earn(net.dealer_a, 1200)
    note = data.reward("5만원 크레딧", cost=500, kind=RewardKind.CREDIT_NOTE, credit=50_000)
    redemption = redemption_request(actor=net.actor(net.dealer_a_user), reward=note, quantity=2)
    # when HQ raises the catalogue's amount before deciding, then approves
    Reward.objects.filter(pk=note.pk).update(credit_amount=Decimal(70_000))
    redemption_approve(actor=net.actor(net.hq_admin), redemption=redemption)
    # then the dealer's account with HQ has a credit note for what was offered when it asked: 2 × 50,000
    redemption.refresh_from_db()
    credit = AccountEntry.objects.get(buyer=net.dealer_a)
    assert redemption.status == RedemptionStatus.APPROVED and redemption.credit_note_id == credit.pk
    assert (credit.kind, credit.amount, credit.supplier_id) == ("credit_note", Decimal("-100000.00"), net.hq.pk)
    # and the points stay spent; the dealer is told
    assert points_balance(net.dealer_a) == 200
    assert Notification.objects.filter(user=net.dealer_a_user, kind="points.redemption_approved").exists()


def test_goods_approved_write_no_credit_note_and_only_hq_decides(net: factories.Network) -> None:
    data.earn(net.dealer_a, 100)
    redemption = redemption_request(actor=net.actor(net.dealer_a_user), reward=data.reward(cost=100), quantity=1)
    with pytest.raises(NotAllowed):
        redemption_approve(actor=net.actor(net.seoul_admin), redemption=redemption)
    with pytest.raises(ServiceError):  # another partner cannot cancel it
        redemption_cancel(actor=net.actor(net.dealer_b_user), redemption=redemption)
    redemption_approve(actor=net.actor(net.hq_admin), redemption=redemption)
    assert not AccountEntry.objects.exists()
    assert Redemption.objects.get(pk=redemption.pk).status == RedemptionStatus.APPROVED


# --- expiry ----------------------------------------------------------------------------------------------------

def test_expiry_takes_the_oldest_unspent_points_first_and_tells_the_partner_once(net: factories.Network) -> None:
    # given 100 points earned to expire on 1 Feb, then 50 to expire on 1 Mar, and 30 spent since
    data.earn(net.dealer_a, 100, months=1, day=dt.date(2031, 1, 1))
    data.earn(net.dealer_a, 50, months=1, day=dt.date(2031, 2, 1))
    redemption_request(actor=net.actor(net.dealer_a_user), reward=data.reward(cost=30), quantity=1)
    # when the daily notices run on 10 January
    assert points_expiry_notices(today=dt.date(2031, 1, 10)) == 1
    # then the dealer is told 70 points expire on 1 February (the 30 spent came from the soonest to expire)
    notice = PointsExpiryNotice.objects.get(partner=net.dealer_a)
    assert (notice.expires_on, notice.points) == (dt.date(2031, 2, 1), 70)
    told = Notification.objects.filter(user=net.dealer_a_user, kind="points.expiring")
    assert told.count() == 1 and told.get().text() == ("70 of your points expire on 2031-02-01 unless you redeem "
                                                       "them first.")
    # and running it again, on any day before that, tells nobody again
    assert points_expiry_notices(today=dt.date(2031, 1, 10)) == 0
    assert points_expiry_notices(today=dt.date(2031, 1, 20)) == 0
    assert told.count() == 1
    # when 1 February comes, 70 expire (not 100), once however often the task runs
    assert points_expire(today=dt.date(2031, 2, 1)) == 1
    assert points_expire(today=dt.date(2031, 2, 1)) == 0
    expired = LedgerEntry.objects.get(partner=net.dealer_a, kind=LedgerKind.EXPIRED)
    assert expired.points == -70 and points_balance(net.dealer_a) == 50
    assert AuditEvent.objects.filter(action="points.expire", object_id=str(expired.pk)).exists()
    # and the next lot is announced once when it comes within 30 days
    assert points_expiry_notices(today=dt.date(2031, 2, 1)) == 1
    assert PointsExpiryNotice.objects.filter(partner=net.dealer_a, expires_on=dt.date(2031, 3, 1),
                                             points=50).exists()
    assert points_expire(today=dt.date(2031, 3, 1)) == 1 and points_balance(net.dealer_a) == 0


def test_points_returned_after_their_day_expire_at_the_next_run_and_show_as_expiring_today(
        net: factories.Network) -> None:
    # given 100 points to expire on 1 Feb, all redeemed in January (so nothing expired on 1 Feb)
    data.earn(net.dealer_a, 100, months=1, day=dt.date(2031, 1, 1))
    redemption = redemption_request(actor=net.actor(net.dealer_a_user), reward=data.reward(cost=100), quantity=1)
    assert points_expire(today=dt.date(2031, 2, 1)) == 0
    # when HQ rejects the redemption on 5 February
    redemption_reject(actor=net.actor(net.hq_admin), redemption=redemption, reason="단종")
    # then the points are back, shown as expiring today (not hidden), and they go at the next run
    expiring = points_expiring(net.dealer_a, 30, today=dt.date(2031, 2, 5))
    assert (expiring.points, expiring.first_on) == (100, dt.date(2031, 2, 5))
    assert points_expiring_dates(net.dealer_a, 30, today=dt.date(2031, 2, 5)) == [(dt.date(2031, 2, 5), 100)]
    assert points_expire(today=dt.date(2031, 2, 6)) == 1 and points_balance(net.dealer_a) == 0


def test_points_that_never_expire_and_corrections_are_spent_last(net: factories.Network) -> None:
    data.earn(net.dealer_a, 100, months=0)
    points_correct(actor=net.actor(net.hq_admin), partner=net.dealer_a, points=40, reason="보상")
    data.earn(net.dealer_a, 60, months=1, day=START)
    redemption_request(actor=net.actor(net.dealer_a_user), reward=data.reward(cost=50), quantity=1)
    assert points_expiring(net.dealer_a, 40, today=START).points == 10
    assert points_expire(today=START + relativedelta(months=1)) == 1
    assert points_balance(net.dealer_a) == 140


# --- corrections -----------------------------------------------------------------------------------------------

def test_a_correction_cannot_take_the_balance_below_zero(net: factories.Network) -> None:
    data.earn(net.dealer_a, 100)
    hq = net.actor(net.hq_admin)
    with pytest.raises(ValidationError) as refused:
        points_correct(actor=hq, partner=net.dealer_a, points=-101, reason="오류")
    assert "points" in refused.value.message_dict
    entry = points_correct(actor=hq, partner=net.dealer_a, points="-100", reason="오류 정정")
    assert entry.points == -100 and points_balance(net.dealer_a) == 0
    assert Notification.objects.filter(user=net.dealer_a_user, kind="points.corrected").exists()
    # bad numbers, no reason, a channel manager or a distributor: refused, nothing written
    for points, reason in (("abc", "x"), ("0", "x"), ("1.5", "x"), ("1e3", "x"), ("999999999999", "x"),
                           ("10", "   "), ("10", "\x00\x01")):
        with pytest.raises(ValidationError):
            points_correct(actor=hq, partner=net.dealer_a, points=points, reason=reason)
    manager = factories.member(net.hq, Role.HQ_CHANNEL_MANAGER)
    for actor in (net.actor(manager), net.actor(net.seoul_admin)):
        with pytest.raises(NotAllowed):
            points_correct(actor=actor, partner=net.dealer_a, points=10, reason="x")
    with pytest.raises(ServiceError):
        points_correct(actor=hq, partner=net.hq, points=10, reason="x")
    assert LedgerEntry.objects.filter(partner=net.dealer_a).count() == 2


# --- HQ: rules and the catalogue -------------------------------------------------------------------------------

def test_hq_admin_sets_a_rule_per_event_and_bad_values_name_their_field(net: factories.Network) -> None:
    hq = net.actor(net.hq_admin)
    rule = points_rule_save(actor=hq, event=PointsEvent.COURSE_PASSED, fixed_points="1,000", points_per_10k="",
                            expires_after_months="24", description="교육 이수\x00", is_active=True)
    assert (rule.fixed_points, rule.points_per_10k, rule.expires_after_months, rule.description) == (
        1000, 0, 24, "교육 이수")
    again = points_rule_save(actor=hq, event=PointsEvent.COURSE_PASSED, fixed_points=500, points_per_10k=0,
                             expires_after_months=0, is_active=False)
    assert again.pk == rule.pk and PointsRule.objects.count() == 1
    assert AuditEvent.objects.filter(action="points.rule_update", object_id=str(rule.pk)).exists()
    for values, named in (({"fixed_points": "-1"}, "fixed_points"), ({"points_per_10k": "10001"}, "points_per_10k"),
                          ({"expires_after_months": "121"}, "expires_after_months"),
                          ({"fixed_points": "lots"}, "fixed_points"), ({"description": "가" * 301}, "description"),
                          ({"fixed_points": 0, "points_per_10k": 0}, "fixed_points")):
        kwargs: dict[str, Any] = {"fixed_points": 1, "points_per_10k": 0, "expires_after_months": 0,
                                  "is_active": True, **values}
        with pytest.raises(ValidationError) as refused:
            points_rule_save(actor=hq, event=PointsEvent.DEAL_WON, **kwargs)
        assert named in refused.value.message_dict, values
    with pytest.raises(ValidationError):
        points_rule_save(actor=hq, event="nope", fixed_points=1, points_per_10k=0, expires_after_months=0,
                         is_active=True)
    with pytest.raises(NotAllowed):
        points_rule_save(actor=net.actor(factories.member(net.hq, Role.HQ_CHANNEL_MANAGER)),
                         event=PointsEvent.DEAL_WON, fixed_points=1, points_per_10k=0, expires_after_months=0,
                         is_active=True)
    assert not PointsRule.objects.filter(event=PointsEvent.DEAL_WON).exists()


def test_hq_keeps_the_reward_catalogue(net: factories.Network) -> None:
    hq = net.actor(net.hq_admin)
    # a credit note needs its amount in whole won; goods have none
    with pytest.raises(ValidationError) as refused:
        reward_save(actor=hq, name="크레딧", points_cost=100, kind=RewardKind.CREDIT_NOTE, credit_amount="")
    assert "credit_amount" in refused.value.message_dict
    for bad in ("1.5", "-1", "abc", "99999999999"):
        with pytest.raises(ValidationError):
            reward_save(actor=hq, name="크레딧", points_cost=100, kind=RewardKind.CREDIT_NOTE, credit_amount=bad)
    note = reward_save(actor=hq, name="  크레딧 ", points_cost="1,000", kind=RewardKind.CREDIT_NOTE,
                       credit_amount="₩10,000", stock="")
    assert (note.name, note.points_cost, note.credit_amount, note.stock) == ("크레딧", 1000, Decimal(10000), None)
    goods = reward_save(actor=hq, reward=note, name="우산", points_cost=300, kind=RewardKind.GOODS,
                        credit_amount="10000", stock=5, is_active=False)
    assert goods.pk == note.pk and (goods.credit_amount, goods.stock, goods.is_active) == (None, 5, False)
    for values, named in (({"name": ""}, "name"), ({"points_cost": 0}, "points_cost"),
                          ({"stock": -1}, "stock"), ({"kind": "cash"}, "kind"), ({"name": "가" * 121}, "name")):
        kwargs: dict[str, Any] = {"name": "x", "points_cost": 1, "kind": RewardKind.GOODS, **values}
        with pytest.raises(ValidationError) as refused:
            reward_save(actor=hq, **kwargs)
        assert named in refused.value.message_dict, values
    # a reward nobody redeemed can be removed; a redeemed one stays
    data.earn(net.dealer_a, 300)
    Reward.objects.filter(pk=goods.pk).update(is_active=True)
    redemption_request(actor=net.actor(net.dealer_a_user), reward=goods, quantity=1)
    with pytest.raises(ServiceError):
        reward_delete(actor=hq, reward=goods)
    spare = reward_save(actor=hq, name="볼펜", points_cost=5, kind=RewardKind.GOODS)
    reward_delete(actor=hq, reward=spare)
    assert not Reward.objects.filter(pk=spare.pk).exists() and Reward.objects.filter(pk=goods.pk).exists()
    with pytest.raises(NotAllowed):
        reward_save(actor=net.actor(net.dealer_a_user), name="x", points_cost=1, kind=RewardKind.GOODS)
