"""The unsubscribe link of every notice e-mail (no login: its signed token says who and which category) and
the e-mail preferences page: honoured at once, never a 500, and never across tenants."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from notices.choices import DeliveryStatus
from notices.models import Delivery, OptOut
from notices.sending import send_pending
from notices.services import broadcast_fan_out
from notices.tokens import make_token
from tests import factories
from tests.conftest import tenant_client
from tests.notices.helpers import publish


def _link(user_id: int, category: str = "campaigns", schema: str = "acme") -> str:
    return f"/notices/unsubscribe/{make_token(user_id=user_id, category=category, schema=schema)}/"


def test_the_link_asks_first_then_stops_the_category_at_once(acme: Any,
                                                            django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    item = publish(source=net.hq, organizations=[net.dealer_a, net.dealer_b],
                   capture=django_capture_on_commit_callbacks)
    broadcast_fan_out(broadcast_id=item.pk)  # deliveries waiting to be sent
    client = Client(HTTP_HOST="acme.localhost", enforce_csrf_checks=True)
    link = _link(net.dealer_a_user.pk)

    # opening the link (a mail scanner may) changes nothing; it asks
    page = client.get(link)
    assert page.status_code == 200 and b'data-state="confirm"' in page.content
    assert net.dealer_a_user.email.encode() in page.content
    assert not OptOut.objects.exists()

    # confirming (no login, no CSRF cookie: one-click unsubscribe posts just like this) stops it
    done = client.post(link, {"action": "unsubscribe"})
    assert done.status_code == 200 and b'data-state="done"' in done.content
    assert OptOut.objects.filter(user=net.dealer_a_user, category="campaigns").exists()
    assert Delivery.objects.get(broadcast=item, user=net.dealer_a_user).status == DeliveryStatus.OPTED_OUT

    # so the e-mail waiting for that person is never sent; the other person's is
    result = send_pending(broadcast_id=item.pk)
    assert result.sent == 1 and [m.to for m in mail.outbox] == [[f"Dealer Admin <{net.dealer_b_user.email}>"]]
    item.refresh_from_db()
    assert (item.sent, item.opted_out, item.status) == (1, 1, "done")
    # opening the link again says it is done; another category is untouched
    assert b'data-state="already"' in client.get(link).content
    assert not OptOut.objects.filter(category="announcements").exists()


def test_one_click_unsubscribe_without_a_form(acme: Any) -> None:
    net = factories.network()
    client = Client(HTTP_HOST="acme.localhost", enforce_csrf_checks=True)
    response = client.post(_link(net.dealer_a_user.pk, "announcements"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert OptOut.objects.filter(user=net.dealer_a_user, category="announcements").exists()


def test_resubscribing_from_the_same_page(acme: Any) -> None:
    net = factories.network()
    client = Client(HTTP_HOST="acme.localhost")
    client.post(_link(net.dealer_a_user.pk), {"action": "unsubscribe"})
    again = client.post(_link(net.dealer_a_user.pk), {"action": "resubscribe"})
    assert b'data-state="resubscribed"' in again.content and not OptOut.objects.exists()


def test_a_broken_or_tampered_link_says_so_and_changes_nothing(acme: Any) -> None:
    net = factories.network()
    client = Client(HTTP_HOST="acme.localhost")
    good = make_token(user_id=net.dealer_a_user.pk, category="campaigns", schema="acme")
    other_user = make_token(user_id=net.dealer_b_user.pk, category="campaigns", schema="acme")
    tampered = [
        good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb"),  # signature changed
        other_user.split(":")[0] + ":" + good.split(":", 1)[1],  # someone else's id under this signature
        good[:10], "x", "...", "a" * 5000, "%E2%80%AE%F0%9F%92%A9",
        make_token(user_id=net.dealer_a_user.pk, category="spam", schema="acme"),  # unknown category
        make_token(user_id=10**12, category="campaigns", schema="acme"),  # no such person
    ]
    for token in tampered:
        for method in (client.get, client.post):
            response = method(f"/notices/unsubscribe/{token}/")
            assert response.status_code == 400, token
            assert b'data-testid="unsubscribe-invalid"' in response.content
    assert client.get("/notices/unsubscribe/").status_code == 404
    assert not OptOut.objects.exists()


def test_another_tenants_link_does_nothing_here(acme: Any, globex: Any) -> None:
    with schema_context("globex"):
        g = factories.network(prefix="G-")
    with schema_context("acme"):
        a = factories.network(prefix="A-")
        # a link globex sent, naming an id that is one of acme's people too
        globex_link = _link(a.dealer_a_user.pk, schema="globex")
        client = Client(HTTP_HOST="acme.localhost")
        assert client.get(globex_link).status_code == 400
        assert client.post(globex_link, {"action": "unsubscribe"}).status_code == 400
        assert not OptOut.objects.exists()
    with schema_context("globex"):
        assert not OptOut.objects.exists()
        # on its own domain, globex's link for its own person works
        own = _link(g.dealer_a_user.pk, schema="globex")
        assert Client(HTTP_HOST="globex.localhost").post(own, {"action": "unsubscribe"}).status_code == 200
        assert list(OptOut.objects.values_list("user_id", flat=True)) == [g.dealer_a_user.pk]
    with schema_context("acme"):
        assert not OptOut.objects.exists()


def test_the_preferences_page_keeps_only_the_chosen_categories(acme: Any,
                                                               django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    item = publish(source=net.hq, organizations=[net.dealer_a], capture=django_capture_on_commit_callbacks)
    broadcast_fan_out(broadcast_id=item.pk)
    client = tenant_client(acme, net.dealer_a_user)
    page = client.get("/notices/preferences/")
    assert page.status_code == 200
    assert page.content.count(b" checked") == 2

    # unticking campaigns (junk values are ignored) stops the waiting campaign e-mail at once
    saved = client.post("/notices/preferences/", {"email": ["announcements", "junk", "\u202e"]})
    assert saved.status_code == 302
    assert list(OptOut.objects.filter(user=net.dealer_a_user).values_list("category", flat=True)) == ["campaigns"]
    assert Delivery.objects.get(broadcast=item).status == DeliveryStatus.OPTED_OUT
    assert client.get("/notices/preferences/").content.count(b" checked") == 1

    # ticking it again: the next notices are e-mailed
    client.post("/notices/preferences/", {"email": ["announcements", "campaigns"]})
    assert not OptOut.objects.exists()
    # HQ and distributors have the page too; without a login it asks for one
    assert tenant_client(acme, net.hq_admin).get("/notices/preferences/").status_code == 200
    assert tenant_client(acme, net.seoul_admin).get("/notices/preferences/").status_code == 200
    assert tenant_client(acme).get("/notices/preferences/").status_code == 302


def test_the_dealer_home_page_links_to_the_preferences(acme: Any) -> None:
    net = factories.network()
    client = tenant_client(acme, net.dealer_a_user)
    client.post("/notices/preferences/", {"email": ["announcements"]})
    home = client.get("/dealer/").content.decode()
    assert 'data-testid="notice-preferences-link"' in home and "Campaigns" in home
