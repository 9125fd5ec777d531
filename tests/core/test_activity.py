"""The activity log: rows written once the transaction commits (one INSERT per transaction), nothing for a
rolled-back one, never changed or deleted; and a row for each partner action the services record."""

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from orders.models import Offer
from orders.services import offer_accept, order_route
from prm.core import activity
from prm.core.models import Activity, ActivityVerb
from purchasing.services import cart_set, order_place
from tests import factories
from tests.campaigns import make as campaigns_make
from tests.conftest import tenant_client
from tests.purchasing import shop
from tests.training import make as training_make


@pytest.fixture
def net(acme: Any) -> factories.Network:
    return factories.network()


def test_rows_appear_after_commit_with_actor_organisation_and_object(net, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        activity.record(verb=ActivityVerb.DEAL_REGISTERED, user=net.dealer_a_user, organization=net.dealer_a,
                        obj=net.dealer_b, value=5)
        assert not Activity.objects.exists()  # nothing inside the transaction
    row = Activity.objects.get()
    assert (row.verb, row.user, row.organization) == (ActivityVerb.DEAL_REGISTERED, net.dealer_a_user, net.dealer_a)
    assert (row.object_type, row.object_id, row.data) == ("partners.organization", str(net.dealer_b.pk), {"value": 5})
    assert row.at is not None


def test_a_rolled_back_savepoint_writes_nothing_but_the_rest_of_the_transaction_does(
        net, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                activity.record(verb=ActivityVerb.LOGIN, user=net.dealer_b_user, organization=net.dealer_b)
                raise RuntimeError
        except RuntimeError:
            pass
        activity.record(verb=ActivityVerb.LOGIN, user=net.dealer_a_user, organization=net.dealer_a)
        try:
            with transaction.atomic():
                activity.record(verb=ActivityVerb.LOGIN, user=net.dealer_c_user, organization=net.dealer_c)
                raise RuntimeError
        except RuntimeError:
            pass
    assert list(Activity.objects.values_list("user", flat=True)) == [net.dealer_a_user.pk]


def test_a_rolled_back_transaction_writes_nothing(net, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                activity.record(verb=ActivityVerb.LOGIN, user=net.dealer_a_user, organization=net.dealer_a)
                raise RuntimeError
        except RuntimeError:
            pass
    assert not Activity.objects.exists()
    assert all(not isinstance(c, activity._Marker) for c in callbacks)


def test_several_records_in_one_transaction_make_one_insert(net, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        for user in (net.dealer_a_user, net.dealer_b_user, net.dealer_c_user, net.seoul_admin, net.busan_admin):
            with transaction.atomic():  # each service call is its own savepoint
                activity.record(verb=ActivityVerb.LOGIN, user=user)
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    inserts = [q["sql"] for q in queries.captured_queries if "core_activity" in q["sql"]]
    assert len(inserts) == 1 and inserts[0].startswith("INSERT")
    assert Activity.objects.count() == 5


def test_a_failing_insert_never_reaches_the_caller(net, django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        activity.record(verb="x" * 41, user=net.dealer_a_user)  # too long for the column
    assert "could not write" in caplog.text
    assert not Activity.objects.exists()


@pytest.mark.parametrize("sql", ["UPDATE core_activity SET verb = 'login'", "DELETE FROM core_activity",
                                 "UPDATE core_activity SET user_id = user_id + 1"])
def test_the_database_refuses_update_and_delete(net, django_capture_on_commit_callbacks, sql):
    with django_capture_on_commit_callbacks(execute=True):
        activity.record(verb=ActivityVerb.UPLOAD_DONE, user=net.seoul_admin, organization=net.seoul_distributor)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert Activity.objects.filter(verb=ActivityVerb.UPLOAD_DONE).count() == 1


def test_deleting_the_user_forgets_them_but_keeps_the_row(net, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        activity.record(verb=ActivityVerb.LOGIN, user=net.dealer_b_user, organization=net.dealer_b)
    row = Activity.objects.get()
    from partners.models import Membership

    Membership.objects.filter(user=net.dealer_b_user).delete()
    net.dealer_b_user.delete()
    row.refresh_from_db()
    assert row.user_id is None and row.organization_id == net.dealer_b.pk


# --- the hooks ------------------------------------------------------------------------------------------------


def _one(verb: str) -> Activity:
    return Activity.objects.get(verb=verb)


def test_login(acme, net, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tenant_client(acme, net.dealer_a_user)
    row = _one(ActivityVerb.LOGIN)
    assert (row.user, row.organization) == (net.dealer_a_user, net.dealer_a)


def test_offer_accepted(net, django_capture_on_commit_callbacks):
    order = factories.order(actor=net.actor(net.hq_admin), customer_name="활동고객",
                            address="서울특별시 서초구 반포대로 58", product_line=net.aircon)
    order_route(order_id=order.pk)
    offer = Offer.objects.get(order=order)
    with django_capture_on_commit_callbacks(execute=True):
        offer_accept(actor=net.actor(net.dealer_a_user), offer=offer)
    row = _one(ActivityVerb.OFFER_ACCEPTED)
    assert (row.user, row.organization_id, row.object_id) == (net.dealer_a_user, offer.dealer_id, str(offer.pk))


def test_order_placed(net, django_capture_on_commit_callbacks):
    item = shop.product("AC-ACT")
    shop.dealer_prices({item: "1000"})
    shop.stock(net.seoul_distributor, item, 10)
    shop.on_credit(net.dealer_a, 1_000_000)
    buyer = shop.actor(net.dealer_a_user)
    cart = cart_set(actor=buyer, supplier=net.seoul_distributor, product=item, quantity=2)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(actor=buyer, cart=cart)
    row = _one(ActivityVerb.ORDER_PLACED)
    assert (row.organization, row.object_id, row.data) == (net.dealer_a, str(order.pk), {"total": "2000.00"})


def test_course_passed(net, django_capture_on_commit_callbacks):
    quiz = training_make.course(net.hq_admin)
    with django_capture_on_commit_callbacks(execute=True):
        training_make.take(net.dealer_a_user, quiz)
    row = _one(ActivityVerb.COURSE_PASSED)
    assert (row.user, row.organization, row.data) == (net.dealer_a_user, net.dealer_a, {"course": quiz.pk})


def test_campaign_joined_once(net, django_capture_on_commit_callbacks):
    made = campaigns_make.campaign(net.hq_admin)
    with django_capture_on_commit_callbacks(execute=True):
        campaigns_make.join(net.dealer_a_user, made)
        campaigns_make.join(net.dealer_a_user, made)  # a double click records nothing more
    row = _one(ActivityVerb.CAMPAIGN_JOINED)
    assert (row.organization, row.object_id) == (net.dealer_a, str(made.pk))
