"""Inside one tenant: another organisation's dealer, upload or offer gives 404; another portal's page 403."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from orders.models import Offer
from orders.services import order_route
from partners.models import DealerListUpload
from tests import factories
from tests.conftest import tenant_client


@pytest.fixture
def net(acme):
    return factories.network()


@pytest.fixture
def offer_to_a(net):
    order = factories.order(actor=net.actor(net.hq_admin), customer_name="고객", address="서울특별시 강남구 역삼로 1",
                         product_line=net.aircon, customer_phone="010-1111-2222")
    order_route(order_id=order.pk)
    return Offer.objects.get(order=order, dealer=net.dealer_a)


@pytest.fixture
def busan_upload(net):
    return DealerListUpload.objects.create(distributor=net.busan_distributor, uploaded_by=net.busan_admin,
                                           file=SimpleUploadedFile("b.csv", b"x"), original_name="b.csv")


def api(tenant, user):
    from rest_framework.test import APIClient

    client = APIClient(HTTP_HOST=f"{tenant.slug}.localhost")
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_distributor_cannot_open_a_dealer_it_does_not_supply(acme, net):
    client = tenant_client(acme, net.seoul_admin)
    assert client.get(f"/distributor/dealers/{net.dealer_a.pk}/").status_code == 200
    assert client.get(f"/distributor/dealers/{net.dealer_c.pk}/").status_code == 404
    assert client.get(f"/distributor/dealers/{net.busan_distributor.pk}/").status_code == 404
    assert net.dealer_c.name not in client.get("/distributor/dealers/").content.decode()


def test_distributor_cannot_open_another_distributors_upload(acme, net, busan_upload):
    seoul = tenant_client(acme, net.seoul_admin)
    assert seoul.get(f"/distributor/uploads/{busan_upload.pk}/").status_code == 404
    assert seoul.get(f"/distributor/uploads/{busan_upload.pk}/report.csv").status_code == 404
    busan = tenant_client(acme, net.busan_admin)
    assert busan.get(f"/distributor/uploads/{busan_upload.pk}/").status_code == 200


@pytest.mark.parametrize("path", ["", "report.csv", "rejected.xlsx"])
def test_another_distributors_upload_pages_give_404(acme, net, busan_upload, path):
    assert tenant_client(acme, net.seoul_admin).get(f"/distributor/uploads/{busan_upload.pk}/{path}").status_code == 404


@pytest.mark.parametrize("action", ["columns", "cancel", "retry"])
def test_another_distributors_upload_cannot_be_confirmed_cancelled_or_retried(acme, net, busan_upload, action):
    busan_upload.status = "mapping"
    busan_upload.save()
    response = tenant_client(acme, net.seoul_admin).post(f"/distributor/uploads/{busan_upload.pk}/{action}/",
                                                         {"col_0": "name", "action": "confirm"})
    assert response.status_code == 404
    busan_upload.refresh_from_db()
    assert busan_upload.status == "mapping"


@pytest.mark.parametrize("action", ["confirm", "cancel", "retry"])
def test_api_write_actions_on_another_distributors_upload_give_404(acme, net, busan_upload, action):
    busan_upload.status = "mapping"
    busan_upload.save()
    for user in (net.seoul_admin, net.dealer_a_user):
        response = api(acme, user).post(f"/api/v1/dealer-uploads/{busan_upload.pk}/{action}/", {}, format="json")
        assert response.status_code == 404, (user, response.content)
    assert api(acme, net.seoul_admin).get(f"/api/v1/dealer-uploads/{busan_upload.pk}/rejected.xlsx").status_code == 404
    busan_upload.refresh_from_db()
    assert busan_upload.status == "mapping"


def test_dealer_cannot_open_or_answer_another_dealers_offer(acme, net, offer_to_a):
    other = tenant_client(acme, net.dealer_b_user)
    assert other.get(f"/dealer/offers/{offer_to_a.pk}/").status_code == 404
    assert other.post(f"/dealer/offers/{offer_to_a.pk}/accept/").status_code == 404
    assert other.post(f"/dealer/offers/{offer_to_a.pk}/decline/", {"reason": "too_far"}).status_code == 404
    offer_to_a.refresh_from_db()
    assert offer_to_a.status == "pending"
    owner = tenant_client(acme, net.dealer_a_user)
    assert owner.get(f"/dealer/offers/{offer_to_a.pk}/").status_code == 200


@pytest.mark.parametrize("persona,path", [
    ("dealer_a_user", "/hq/"), ("dealer_a_user", "/hq/orders/"), ("dealer_a_user", "/distributor/"),
    ("seoul_admin", "/hq/partners/"), ("seoul_admin", "/dealer/"), ("hq_admin", "/dealer/"),
    ("hq_admin", "/distributor/uploads/"),
])
def test_a_user_opening_another_portals_page_is_refused(acme, net, persona, path):
    response = tenant_client(acme, getattr(net, persona)).get(path)
    assert response.status_code == 403


def test_each_user_lands_in_their_own_portal(acme, net):
    for user, home in ((net.hq_admin, "/hq/"), (net.seoul_admin, "/distributor/"), (net.dealer_a_user, "/dealer/")):
        response = tenant_client(acme, user).get("/")
        assert response.status_code == 302 and response["Location"] == home
        assert tenant_client(acme, user).get(home).status_code == 200


def test_anonymous_visitor_is_sent_to_log_in(acme, net):
    response = tenant_client(acme).get("/hq/orders/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_api_organisation_detail_is_scoped_to_the_caller(acme, net):
    assert api(acme, net.dealer_a_user).get(f"/api/v1/organizations/{net.dealer_b.pk}/").status_code == 404
    assert api(acme, net.dealer_a_user).get(f"/api/v1/organizations/{net.dealer_a.pk}/").status_code == 200
    assert api(acme, net.seoul_admin).get(f"/api/v1/organizations/{net.dealer_c.pk}/").status_code == 404
    listed = {o["id"] for o in api(acme, net.seoul_admin).get("/api/v1/organizations/").json()["results"]}
    assert listed == {net.seoul_distributor.pk, net.dealer_a.pk, net.dealer_b.pk}


def test_api_upload_detail_is_scoped_to_the_caller(acme, net, busan_upload):
    assert api(acme, net.seoul_admin).get(f"/api/v1/dealer-uploads/{busan_upload.pk}/").status_code == 404
    assert api(acme, net.dealer_a_user).get(f"/api/v1/dealer-uploads/{busan_upload.pk}/").status_code == 404
    assert api(acme, net.busan_admin).get(f"/api/v1/dealer-uploads/{busan_upload.pk}/").status_code == 200
    assert api(acme, net.seoul_admin).get("/api/v1/dealer-uploads/").json()["count"] == 0


def test_api_order_and_its_offer_are_scoped_to_the_offered_dealer(acme, net, offer_to_a):
    order_id = offer_to_a.order_id
    other = api(acme, net.dealer_b_user)
    assert other.get(f"/api/v1/orders/{order_id}/").status_code == 404
    assert other.post(f"/api/v1/orders/{order_id}/accept/").status_code == 404
    assert other.post(f"/api/v1/orders/{order_id}/decline/", {"reason": "too_far"}).status_code == 404
    assert api(acme, net.busan_admin).get(f"/api/v1/orders/{order_id}/").status_code == 404
    assert api(acme, net.seoul_admin).get(f"/api/v1/orders/{order_id}/").status_code == 200
    mine = api(acme, net.dealer_a_user).get(f"/api/v1/orders/{order_id}/")
    assert mine.status_code == 200 and [o["dealer_id"] for o in mine.json()["offers"]] == [net.dealer_a.pk]


def test_api_hides_the_customers_contact_until_the_dealer_accepts(acme, net, offer_to_a):
    from orders.services import offer_accept

    order_id = offer_to_a.order_id
    dealer = api(acme, net.dealer_a_user)
    pending = dealer.get(f"/api/v1/orders/{order_id}/").json()
    assert pending["customer_phone"] == "" and pending["customer_email"] == ""
    assert pending["address"] == "서울특별시 강남구"
    assert api(acme, net.seoul_admin).get(f"/api/v1/orders/{order_id}/").json()["customer_phone"] == ""
    assert api(acme, net.hq_admin).get(f"/api/v1/orders/{order_id}/").json()["customer_phone"] == "+821011112222"

    offer_accept(actor=net.actor(net.dealer_a_user), offer=offer_to_a)

    accepted = dealer.get(f"/api/v1/orders/{order_id}/").json()
    assert accepted["customer_phone"] == "+821011112222" and accepted["address"] == "서울특별시 강남구 역삼로 1"


def test_a_dealer_that_declined_no_longer_sees_the_contact_or_the_next_dealer(acme, net, offer_to_a):
    from orders.services import offer_decline

    offer_decline(actor=net.actor(net.dealer_a_user), offer=offer_to_a, reason="too_far")
    order_route(order_id=offer_to_a.order_id)
    body = api(acme, net.dealer_a_user).get(f"/api/v1/orders/{offer_to_a.order_id}/").json()
    assert body["dealer_id"] is None and body["customer_phone"] == ""
    assert {o["dealer_id"] for o in body["offers"]} == {net.dealer_a.pk}
    assert all(e["dealer_id"] in (None, net.dealer_a.pk) for e in body["events"])


def test_hq_opens_any_upload_a_distributor_only_its_own(acme, net, busan_upload):
    hq = tenant_client(acme, net.hq_admin)
    assert hq.get(f"/hq/uploads/{busan_upload.pk}/").status_code == 200
    assert hq.get(f"/hq/uploads/{busan_upload.pk}/report.csv").status_code == 200
    assert tenant_client(acme, net.seoul_admin).get(f"/hq/uploads/{busan_upload.pk}/").status_code == 403
    assert tenant_client(acme, net.seoul_admin).get(f"/distributor/uploads/{busan_upload.pk}/").status_code == 404


def test_dealer_exports_hold_only_what_the_caller_may_see_and_no_live_formulas(acme, net):
    import io

    from openpyxl import load_workbook

    net.dealer_a.name = '=HYPERLINK("http://evil.example","click")'
    net.dealer_a.save()
    seoul = tenant_client(acme, net.seoul_admin)
    response = seoul.get("/distributor/dealers/export/")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert net.dealer_b.name in body and net.dealer_c.name not in body  # dealer_c is Busan's
    assert "'=HYPERLINK" in body and ',=HYPERLINK' not in body
    xlsx = seoul.get("/distributor/dealers/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["'=HYPERLINK(\"http://evil.example\",\"click\")", net.dealer_b.name])
    hq = b"".join(tenant_client(acme, net.hq_admin).get("/hq/partners/export/?kind=dealer").streaming_content)
    assert net.dealer_c.name in hq.decode("utf-8")
    assert tenant_client(acme, net.dealer_a_user).get("/distributor/dealers/export/").status_code == 403


def test_hq_lists_every_distributors_uploads(acme, net, busan_upload):
    page = tenant_client(acme, net.hq_admin).get("/hq/uploads/").content.decode()
    assert f"/hq/uploads/{busan_upload.pk}/" in page and net.busan_distributor.name in page
    assert tenant_client(acme, net.seoul_admin).get("/hq/uploads/").status_code == 403
