"""Two tenants with look-alike data: nothing of one is visible from the other (pages, API, sessions)."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orders.models import Offer
from orders.services import order_route
from partners.choices import OrgKind
from tests import factories
from tests.conftest import tenant_client


@pytest.fixture
def twins(acme, globex):
    """The same business numbers and names in both tenants, each name marked with its tenant."""
    with schema_context("globex"):
        g = factories.network(prefix="GLOBEX-")
        g_order = factories.order(actor=g.actor(g.hq_admin), customer_name="GLOBEX-고객",
                               address="서울특별시 강남구 1", product_line=g.aircon)
        order_route(order_id=g_order.pk)
    with schema_context("acme"):
        # extra rows first, so acme's ids run past globex's and an id from acme names nothing in globex
        for i in range(12):
            factories.organization(OrgKind.DEALER, f"ACME-filler-{i}")
        a = factories.network(prefix="ACME-")
        for org_a, org_g in ((a.dealer_a, g.dealer_a), (a.dealer_b, g.dealer_b), (a.dealer_c, g.dealer_c)):
            org_a.business_number = org_g.business_number
            org_a.save()
        for i in range(5):
            factories.order(actor=a.actor(a.hq_admin), customer_name=f"ACME-filler-{i}", address="부산 해운대구",
                         product_line=a.aircon)
        a_order = factories.order(actor=a.actor(a.hq_admin), customer_name="ACME-고객",
                               address="서울특별시 강남구 1", product_line=a.aircon)
        order_route(order_id=a_order.pk)
        a_offer = Offer.objects.get(order=a_order)
    connection.set_schema_to_public()
    return {"acme": a, "globex": g, "a_order": a_order, "a_offer": a_offer, "g_order": g_order}


def test_globex_pages_never_show_acme_data(twins, globex):
    a, g = twins["acme"], twins["globex"]
    with schema_context("globex"):
        hq = tenant_client(globex, g.hq_admin)
        for path in ("/hq/", "/hq/partners/", "/hq/orders/", f"/hq/partners/?q={a.dealer_a.business_number}"):
            page = hq.get(path).content.decode()
            assert "ACME-" not in page
        assert "GLOBEX-" in hq.get("/hq/partners/").content.decode()
        assert hq.get(f"/hq/partners/{a.dealer_c.pk}/").status_code == 404
        assert hq.get(f"/hq/orders/{twins['a_order'].pk}/").status_code == 404
        dealer = tenant_client(globex, g.dealer_a_user)
        assert dealer.get(f"/dealer/offers/{twins['a_offer'].pk}/").status_code == 404
        assert "ACME-" not in dealer.get("/dealer/").content.decode()


def test_globex_api_never_shows_acme_data(twins, globex):
    a, g = twins["acme"], twins["globex"]
    with schema_context("globex"):
        token, _ = Token.objects.get_or_create(user=g.hq_admin)
    client = APIClient(HTTP_HOST="globex.localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for path in ("/api/v1/organizations/?page_size=500", "/api/v1/orders/", "/api/v1/dealer-uploads/"):
        body = client.get(path).content.decode()
        assert "ACME-" not in body
    assert client.get(f"/api/v1/organizations/{a.dealer_c.pk}/").status_code == 404
    assert client.get(f"/api/v1/orders/{twins['a_order'].pk}/").status_code == 404


def test_an_acme_token_or_session_means_nothing_at_globex(twins, acme, globex):
    a = twins["acme"]
    with schema_context("acme"):
        token, _ = Token.objects.get_or_create(user=a.hq_admin)
    client = APIClient(HTTP_HOST="globex.localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/organizations/").status_code == 401
    # a session cookie from acme, replayed at globex's domain, is not a login there
    with schema_context("acme"):
        browser = tenant_client(acme, a.hq_admin)
        assert browser.get("/hq/").status_code == 200
    response = browser.get("/hq/", HTTP_HOST="globex.localhost")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_host_gets_404_not_another_tenants_data(db):
    from django.test import Client

    response = Client(HTTP_HOST="nobody.localhost").get("/hq/")
    assert response.status_code == 404


def test_an_acme_upload_is_not_found_from_globex(twins, acme, globex):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partners.models import DealerListUpload

    a, g = twins["acme"], twins["globex"]
    with schema_context("acme"):
        upload = DealerListUpload.objects.create(
            distributor=a.seoul_distributor, file=SimpleUploadedFile("ACME-list.csv", b"x"),
            original_name="ACME-list.csv", status="mapping",
            rejected_file=SimpleUploadedFile("ACME-rejected.xlsx", b"x"))
    with schema_context("globex"):
        assert not DealerListUpload.objects.filter(pk=upload.pk).exists()
        hq = tenant_client(globex, g.hq_admin)
        for path in (f"/hq/uploads/{upload.pk}/", f"/hq/uploads/{upload.pk}/rejected.xlsx",
                     f"/hq/uploads/{upload.pk}/report.csv"):
            assert hq.get(path).status_code == 404, path
        assert "ACME-" not in hq.get("/hq/uploads/").content.decode()
        distributor = tenant_client(globex, g.seoul_admin)
        assert distributor.post(f"/distributor/uploads/{upload.pk}/columns/", {"action": "confirm"}).status_code == 404
        token, _ = Token.objects.get_or_create(user=g.seoul_admin)
    client = APIClient(HTTP_HOST="globex.localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for action in ("confirm", "cancel", "retry"):
        assert client.post(f"/api/v1/dealer-uploads/{upload.pk}/{action}/", {}, format="json").status_code == 404
    assert client.get(f"/api/v1/dealer-uploads/{upload.pk}/rejected.xlsx").status_code == 404
    with schema_context("acme"):
        upload.refresh_from_db()
        assert upload.status == "mapping"


def test_acme_deals_decisions_and_notifications_are_not_found_from_globex(twins, acme, globex):
    import datetime as dt

    from django.utils import timezone

    from orders.models import Deal, RoutingDecision
    from prm.core.models import Notification

    a, g = twins["acme"], twins["globex"]
    with schema_context("acme"):
        deal = Deal.objects.create(partner=a.dealer_a, customer_name="ACME-비밀고객", customer_key="acme비밀고객",
                                   product_line=a.aircon, value=1,
                                   expected_close=timezone.localdate() + dt.timedelta(9))
        Notification.objects.create(user=a.dealer_a_user, kind="test", message="ACME-알림")
        assert RoutingDecision.objects.filter(order=twins["a_order"]).exists()
    with schema_context("globex"):
        hq = tenant_client(globex, g.hq_admin)
        assert "ACME-" not in hq.get("/hq/deals/").content.decode()
        assert hq.post(f"/hq/deals/{deal.pk}/review/", {"decision": "approve"}).status_code == 404
        assert not Deal.objects.filter(customer_name__startswith="ACME-").exists()
        order_page = hq.get(f"/hq/orders/{twins['a_order'].pk}/")
        assert order_page.status_code == 404
        for path in ("/hq/funnel/", "/hq/fairness/", "/hq/routing/"):
            assert "ACME-" not in hq.get(path).content.decode(), path
        dealer = tenant_client(globex, g.dealer_a_user)
        assert "ACME-" not in dealer.get("/notifications/").content.decode()
        assert "ACME-" not in dealer.get("/dealer/deals/").content.decode()
    with schema_context("acme"):
        deal.refresh_from_db()
        assert deal.status == "submitted"
