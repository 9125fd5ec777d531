"""Notices across tenants and partners: another tenant's notice is a 404, the HQ pages are HQ's (403 for a
partner), and a distributor sees only the progress of the notices it sent."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django_tenants.utils import schema_context

from notices.models import Broadcast
from tests import factories
from tests.conftest import tenant_client
from tests.notices.helpers import publish


def test_pages_are_hqs_and_another_tenants_notice_is_a_404(acme: Any, globex: Any,
                                                            django_capture_on_commit_callbacks: Any) -> None:
    with schema_context("acme"):
        a = factories.network(prefix="ACME-")
        a_item = publish(source=a.dealer_c, organizations=[a.dealer_a], actor=a.actor(a.hq_admin),
                         capture=django_capture_on_commit_callbacks, params={"title": "ACME-only"})
    with schema_context("globex"):
        g = factories.network(prefix="GLOBEX-")
        # globex's notice gets an id past acme's: it names nothing in acme
        g_item = publish(source=g.dealer_c, organizations=[g.dealer_a], actor=g.actor(g.hq_admin),
                         capture=django_capture_on_commit_callbacks, params={"title": "GLOBEX-only"})
        while g_item.pk <= a_item.pk:
            g_item = publish(source=g.dealer_c, organizations=[g.dealer_a], key=f"k{g_item.pk}",
                             capture=django_capture_on_commit_callbacks, params={"title": "GLOBEX-only"})
    with schema_context("acme"):
        assert not Broadcast.objects.filter(pk=g_item.pk).exists()
        hq = tenant_client(acme, a.hq_admin)
        # acme's HQ: its own notice, never globex's
        assert hq.get(f"/hq/notices/{a_item.pk}/").status_code == 200
        listing = hq.get("/hq/notices/").content.decode()
        assert "ACME-only" in listing and "GLOBEX-only" not in listing
        assert hq.get(f"/hq/notices/{g_item.pk}/").status_code == 404
        assert hq.get(f"/notices/{g_item.pk}/progress/").status_code == 404
        # a partner of acme: HQ's pages are another portal's
        for user in (a.dealer_a_user, a.seoul_admin):
            client = tenant_client(acme, user)
            assert client.get("/hq/notices/").status_code == 403
            assert client.get(f"/hq/notices/{a_item.pk}/").status_code == 403
        assert tenant_client(acme, a.dealer_a_user).get(f"/notices/{a_item.pk}/progress/").status_code == 403
        # HQ's notice is not a distributor's to follow: 404
        assert tenant_client(acme, a.seoul_admin).get(f"/notices/{a_item.pk}/progress/").status_code == 404
        # logged out: the login page
        assert tenant_client(acme).get("/hq/notices/").status_code == 302
    connection.set_schema_to_public()


def test_a_distributor_follows_the_notices_it_sent_to_its_dealers(acme: Any,
                                                                  django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    own = publish(source=net.dealer_a, organizations=[net.dealer_a, net.dealer_b],
                  actor=net.actor(net.seoul_admin), category="announcements",
                  capture=django_capture_on_commit_callbacks)
    other = publish(source=net.dealer_c, organizations=[net.dealer_c], actor=net.actor(net.busan_admin),
                    category="announcements", capture=django_capture_on_commit_callbacks)
    seoul = tenant_client(acme, net.seoul_admin)
    assert seoul.get(f"/notices/{own.pk}/progress/").status_code == 200
    assert seoul.get(f"/notices/{other.pk}/progress/?compact=1").status_code == 404
    assert tenant_client(acme, net.busan_admin).get(f"/notices/{own.pk}/progress/").status_code == 404
