"""Pages as people use them: the public quote form, HQ's order entry, log-in, password reset, language."""

import re

import pytest
from django.core import mail
from django.test import Client

from orders.models import CustomerOrder, OrderEvent
from prm.accounts.models import User
from prm.tenancy.models import Tenant
from tests import factories
from tests.conftest import tenant_client


@pytest.fixture
def net(acme):
    return factories.network()


def test_customer_requests_a_quote_on_the_public_form(acme, net):
    client = tenant_client(acme)
    form = client.get("/request-quote/")
    assert form.status_code == 200 and "에어컨" in form.content.decode()
    response = client.post("/request-quote/", {
        "customer_name": "고객님", "customer_phone": "010-1234-5678", "address": "대전광역시 유성구 대학로 1",
        "product_line": net.aircon.pk, "quantity": 1})
    order = CustomerOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/request-quote/thanks/{order.number}/"
    assert order.source == "web" and order.region_label == "대전광역시 유성구" and order.created_by is None
    assert OrderEvent.objects.filter(order=order, kind="received").exists()
    assert order.number in client.get(response["Location"]).content.decode()


def test_quote_form_names_the_missing_fields_and_stores_nothing(acme, net):
    response = tenant_client(acme).post("/request-quote/", {"customer_name": "", "address": "",
                                                            "product_line": "999", "quantity": "-3"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"customer_name", "address", "product_line", "quantity"}
    assert not CustomerOrder.objects.exists()


def test_quote_form_bot_trap_stores_nothing(acme, net):
    response = tenant_client(acme).post("/request-quote/", {
        "customer_name": "bot", "address": "서울 강남구", "product_line": net.aircon.pk, "quantity": 1,
        "website": "http://spam.example"})
    assert response.status_code == 302
    assert not CustomerOrder.objects.exists()


def test_hq_enters_an_order_and_sees_its_page(acme, net):
    client = tenant_client(acme, net.hq_admin)
    response = client.post("/hq/orders/new/", {"customer_name": "김고객", "address": "서울특별시 강남구 1",
                                               "customer_phone": "02-555-0101",
                                               "product_line": net.aircon.pk, "quantity": 2})
    order = CustomerOrder.objects.get()
    assert response["Location"] == f"/hq/orders/{order.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert order.number in page and "김고객" in page and 'data-testid="timeline"' in page


def test_hq_order_form_shows_errors_for_bad_input(acme, net):
    response = tenant_client(acme, net.hq_admin).post("/hq/orders/new/", {"customer_name": "x", "address": "",
                                                                          "product_line": "", "quantity": "abc"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"address", "product_line", "quantity"}
    assert not CustomerOrder.objects.exists()


@pytest.mark.parametrize("query", ["?page=abc", "?page=-1", "?page=99999", "?status=<script>", "?q=" + "가" * 500,
                                   "?status=offered&q=&page=2"])
def test_list_pages_take_any_query_string_without_error(acme, net, query):
    hq = tenant_client(acme, net.hq_admin)
    for path in ("/hq/orders/", "/hq/partners/"):
        assert hq.get(path + query).status_code == 200
    distributor = tenant_client(acme, net.seoul_admin)
    for path in ("/distributor/dealers/", "/distributor/uploads/"):
        assert distributor.get(path + query).status_code == 200
    assert tenant_client(acme, net.dealer_a_user).get("/dealer/orders/" + query).status_code == 200


def test_login_with_a_wrong_password_says_what_to_check(acme, net):
    response = tenant_client(acme).post("/accounts/login/", {"username": net.dealer_a_user.email,
                                                             "password": "wrong"})
    assert response.status_code == 200
    assert "password" in response.content.decode().lower()


def test_password_reset_sends_a_link_that_sets_a_new_password(acme, net):
    client = tenant_client(acme)
    client.post("/accounts/password-reset/", {"email": net.dealer_a_user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://acme\.localhost(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    client.post(form.request["PATH_INFO"], {"new_password1": "a-new-password-9", "new_password2": "a-new-password-9"})
    assert User.objects.get(pk=net.dealer_a_user.pk).check_password("a-new-password-9")


def test_language_switch_is_remembered_for_the_user(acme, net):
    client = tenant_client(acme, net.dealer_a_user)
    client.post("/accounts/language/", {"language": "ko", "next": "/dealer/"})
    assert User.objects.get(pk=net.dealer_a_user.pk).language == "ko"
    korean = client.get("/dealer/")
    assert korean["Content-Language"] == "ko"
    client.post("/accounts/language/", {"language": "en", "next": "https://evil.example/"})
    english = client.get("/dealer/")
    assert english["Content-Language"] == "en"
    assert client.post("/accounts/language/", {"language": "xx"}).status_code == 302


def test_operator_creates_a_tenant_from_the_console(db):
    # (inside the test's transaction: PostgreSQL rolls the new schema back with everything else)
    from django_tenants.utils import schema_context, schema_exists

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.create_user("op2@prm.example", "operator-pass", is_staff=True))
    bad = client.post("/console/", {"name": "", "slug": "ACME!", "domain": "x", "admin_email": "no",
                                    "admin_password": "1"})
    assert bad.status_code == 200 and set(bad.context["form"].errors) >= {"name", "slug", "admin_email"}
    taken = client.post("/console/", {"name": "Acme", "slug": "acme", "domain": "acme.localhost",
                                      "admin_email": "a@b.example", "admin_password": "long-enough-1"})
    assert set(taken.context["form"].errors) == {"slug", "domain"}
    ok = client.post("/console/", {"name": "Umbrella", "slug": "umbrella", "domain": "umbrella.localhost",
                                   "admin_email": "hq@umbrella.example", "admin_password": "long-enough-1"})
    assert ok.status_code == 302
    assert schema_exists("umbrella")
    with schema_context("umbrella"):
        assert User.objects.get().email == "hq@umbrella.example"
    assert "umbrella.localhost" in client.get("/console/").content.decode()


def test_a_suspended_tenant_serves_nothing(acme, net):
    Tenant.objects.filter(pk=acme.pk).update(status="suspended")
    response = tenant_client(acme, net.hq_admin).get("/hq/")
    assert response.status_code == 503


def test_a_korean_speaking_dealer_sees_the_portal_in_korean(acme, net):
    User.objects.filter(pk=net.dealer_a_user.pk).update(language="ko")
    page = tenant_client(acme, net.dealer_a_user).get("/dealer/").content.decode()
    assert "로그아웃" in page and "Log out" not in page
    english = tenant_client(acme, net.dealer_b_user).get("/dealer/").content.decode()
    assert "Log out" in english


def test_hq_adds_a_dealer_and_its_first_user_gets_an_invitation(acme, net, django_capture_on_commit_callbacks):
    from partners.models import Organization

    client = tenant_client(acme, net.hq_admin)
    bn = factories.business_number(7001)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/hq/partners/new/", {
            "kind": "dealer", "name": "새딜러", "business_number": bn, "address": "광주광역시 북구 1",
            "product_lines": [net.aircon.pk], "supplier": net.seoul_distributor.pk,
            "admin_email": "Owner@NewDealer.example"})
    dealer = Organization.objects.get(business_number=bn)
    assert response["Location"] == f"/hq/partners/{dealer.pk}/"
    assert dealer.sido == "광주광역시" and list(dealer.product_lines.all()) == [net.aircon]
    assert dealer.supply_links.get().distributor == net.seoul_distributor
    user = User.objects.get(email="owner@newdealer.example")
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1 and "새딜러" in mail.outbox[0].body
    link = re.search(r"http://acme\.localhost(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.request["PATH_INFO"], {"new_password1": "first-password-1", "new_password2": "first-password-1"})
    invited = tenant_client(acme)
    invited.post("/accounts/login/", {"username": "owner@newdealer.example", "password": "first-password-1"})
    assert invited.get("/").headers["Location"] == "/dealer/"


def test_adding_a_partner_with_a_bad_business_number_says_so_and_adds_nothing(acme, net):
    from partners.models import Organization

    before = Organization.objects.count()
    bn = factories.business_number(7002)
    response = tenant_client(acme, net.hq_admin).post("/hq/partners/new/", {
        "kind": "distributor", "name": "틀린번호", "business_number": bn[:9] + str((int(bn[9]) + 1) % 10),
        "admin_email": "x@y.example"})
    assert response.status_code == 200 and "business_number" in response.context["form"].errors
    assert Organization.objects.count() == before and not User.objects.filter(email="x@y.example").exists()


def test_only_hq_opens_the_add_partner_page(acme, net):
    assert tenant_client(acme, net.seoul_admin).get("/hq/partners/new/").status_code == 403
    assert tenant_client(acme, net.hq_admin).get("/hq/partners/new/").status_code == 200


@pytest.mark.parametrize("contact,error", [
    ({}, "Enter a phone number or an e-mail address"),
    ({"customer_phone": "abc!!"}, "not a phone number"),
])
def test_quote_form_needs_a_way_to_reach_the_customer(acme, net, contact, error):
    response = tenant_client(acme).post("/request-quote/", {
        "customer_name": "고객", "address": "서울 강남구", "product_line": net.aircon.pk, "quantity": 1, **contact},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors["customer_phone"])
    assert not CustomerOrder.objects.exists()


def test_long_korean_file_names_and_nul_characters_are_handled(acme, net):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partners.models import DealerListUpload

    client = tenant_client(acme, net.seoul_admin)
    name = "서울중앙유통 2026년 11월 딜러 현황 최종본 수정본 진짜최종 " * 4 + ".csv"
    response = client.post("/distributor/uploads/", {"file": SimpleUploadedFile(name, b"a,b\n1,2\n")})
    assert response.status_code == 302
    upload = DealerListUpload.objects.get()
    assert upload.original_name.endswith(".csv") and len(upload.original_name) <= 255
    assert len(upload.file.name.encode()) < 100
    assert tenant_client(acme).get("/request-quote/thanks/%00/").status_code == 400
    assert client.get("/distributor/dealers/?q=%00").status_code == 400


def test_deeply_nested_json_is_a_400(acme, net):
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=net.hq_admin)
    response = Client(HTTP_HOST="acme.localhost").post(
        "/api/v1/orders/", "[" * 100000 + "]" * 100000, content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 400


def test_login_ignores_the_case_of_the_email_address(acme, net):
    client = tenant_client(acme)
    response = client.post("/accounts/login/", {"username": net.dealer_a_user.email.upper(),
                                                 "password": factories.PASSWORD})
    assert response.status_code == 302


def test_logging_in_with_a_link_to_another_portal_lands_in_ones_own(acme, net):
    response = tenant_client(acme).post("/accounts/login/?next=/hq/", {
        "username": net.dealer_a_user.email, "password": factories.PASSWORD, "next": "/hq/"})
    assert response.status_code == 302 and response["Location"] == "/dealer/"
    own = tenant_client(acme).post("/accounts/login/", {
        "username": net.dealer_a_user.email, "password": factories.PASSWORD, "next": "/dealer/orders/"})
    assert own["Location"] == "/dealer/orders/"


def test_declining_without_a_reason_or_with_a_long_note_says_what_is_wrong(acme, net):
    from orders.models import Offer
    from orders.services import order_route

    order = factories.order(actor=net.actor(net.hq_admin), customer_name="고객", address="서울특별시 강남구 1",
                            product_line=net.aircon)
    order_route(order_id=order.pk)
    offer = Offer.objects.get(order=order)
    client = tenant_client(acme, net.dealer_a_user)
    response = client.post(f"/dealer/offers/{offer.pk}/decline/", {"reason": "", "note": "x" * 400}, follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert "Reason" in text and "Note" in text
    offer.refresh_from_db()
    assert offer.status == "pending"


def test_hq_approves_a_second_distributors_link_on_the_dealer_page(acme, net):
    from partners.models import SupplyLink

    pending = SupplyLink.objects.create(dealer=net.dealer_a, distributor=net.busan_distributor,
                                        is_primary=False, is_approved=False)
    net.dealer_a.needs_review = True
    net.dealer_a.save()
    hq = tenant_client(acme, net.hq_admin)
    page = hq.get(f"/hq/partners/{net.dealer_a.pk}/").content.decode()
    assert 'data-testid="approve-link"' in page
    # a distributor can't review; an already approved link isn't reviewable
    assert tenant_client(acme, net.busan_admin).post(f"/hq/supply-links/{pending.pk}/review/",
                                                     {"decision": "approve"}).status_code == 403
    approved = SupplyLink.objects.get(dealer=net.dealer_a, distributor=net.seoul_distributor)
    assert hq.post(f"/hq/supply-links/{approved.pk}/review/", {"decision": "refuse"}).status_code == 404
    response = hq.post(f"/hq/supply-links/{pending.pk}/review/", {"decision": "approve"})
    assert response["Location"] == f"/hq/partners/{net.dealer_a.pk}/"
    pending.refresh_from_db()
    net.dealer_a.refresh_from_db()
    assert pending.is_approved and not pending.is_primary and not net.dealer_a.needs_review
    assert tenant_client(acme, net.busan_admin).get(f"/distributor/dealers/{net.dealer_a.pk}/").status_code == 200


def test_an_overlong_email_is_a_form_error_not_a_server_error(acme, net):
    long_email = "a" * 250 + "@example.kr"
    response = tenant_client(acme).post("/request-quote/", {
        "customer_name": "고객", "address": "서울 강남구", "product_line": net.aircon.pk, "quantity": 1,
        "customer_email": long_email})
    assert response.status_code == 200 and "customer_email" in response.context["form"].errors
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=net.hq_admin)
    api = Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Token {token.key}")
    bad = api.post("/api/v1/orders/", {"customer_name": "A", "address": "서울 강남구", "product_line": "aircon",
                                       "customer_email": long_email}, content_type="application/json")
    assert bad.status_code == 400 and "customer_email" in bad.json()
    assert not CustomerOrder.objects.exists()


def test_an_hq_channel_manager_adds_a_partner_and_invites_its_first_user(acme, net):
    from partners.models import Organization
    from prm.core.roles import Role

    manager = factories.member(net.hq, Role.HQ_CHANNEL_MANAGER)
    response = tenant_client(acme, manager).post("/hq/partners/new/", {
        "kind": "distributor", "name": "채널유통", "business_number": factories.business_number(7003),
        "admin_email": "boss@channel.example"})
    assert response.status_code == 302
    assert Organization.objects.filter(name="채널유통").exists()
    assert User.objects.filter(email="boss@channel.example").exists()


def test_hq_edits_a_dealers_profile_and_product_lines(acme, net):
    tv = factories.product_line("tv", "TV")
    client = tenant_client(acme, net.hq_admin)
    assert client.get(f"/hq/partners/{net.dealer_a.pk}/edit/").status_code == 200
    response = client.post(f"/hq/partners/{net.dealer_a.pk}/edit/", {
        "name": "강남전자 본점", "phone": "02-555-0101", "address": "부산광역시 해운대구 1", "status": "active",
        "credit_status": "registered", "credit_limit": "5000000", "product_lines": [net.aircon.pk, tv.pk],
        "segments": ["retail"], "capabilities": ["installation"]})
    assert response.status_code == 302, response.context["form"].errors
    net.dealer_a.refresh_from_db()
    assert net.dealer_a.name == "강남전자 본점" and net.dealer_a.phone == "+8225550101"
    assert net.dealer_a.sido == "부산광역시" and set(net.dealer_a.product_lines.all()) == {net.aircon, tv}
    bad = client.post(f"/hq/partners/{net.dealer_a.pk}/edit/", {
        "name": "x", "phone": "not a phone", "status": "active", "credit_status": "prepay", "credit_limit": "0"})
    assert bad.status_code == 200 and "phone" in bad.context["form"].errors
    assert tenant_client(acme, net.seoul_admin).get(f"/hq/partners/{net.dealer_a.pk}/edit/").status_code == 403


def test_hq_adds_a_product_line_that_the_order_forms_then_offer(acme, net):
    client = tenant_client(acme, net.hq_admin)
    response = client.post("/hq/product-lines/", {"code": "fridge", "name": "냉장고", "name_en": "Refrigerators"})
    assert response.status_code == 302
    duplicate = client.post("/hq/product-lines/", {"code": "fridge", "name": "냉장고2"})
    assert "code" in duplicate.context["form"].errors
    assert "Refrigerators" in tenant_client(acme).get("/request-quote/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    dealer = tenant_client(acme, net.dealer_a_user)
    assert dealer.post("/hq/product-lines/", {"code": "x", "name": "y"}).status_code == 403


def test_inviting_an_address_that_already_has_an_account_elsewhere_is_refused(acme, net):
    from partners.models import Organization

    response = tenant_client(acme, net.hq_admin).post("/hq/partners/new/", {
        "kind": "dealer", "name": "중복초대", "business_number": factories.business_number(7004),
        "admin_email": net.dealer_b_user.email})
    assert response.status_code == 200 and "admin_email" in response.context["form"].errors
    assert not Organization.objects.filter(name="중복초대").exists()


def test_an_invitee_who_lost_the_link_gets_a_new_one_from_forgot_password(acme, net):
    invitee = User.objects.create_user("late@invite.example", None)
    assert not invitee.has_usable_password()
    tenant_client(acme).post("/accounts/password-reset/", {"email": "Late@Invite.example"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["late@invite.example"]


def test_setting_a_new_password_logs_the_person_in(acme, net):
    client = tenant_client(acme)
    client.post("/accounts/password-reset/", {"email": net.dealer_a_user.email})
    link = re.search(r"http://acme\.localhost(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    done = client.post(form.request["PATH_INFO"], {"new_password1": "a-new-password-9",
                                                   "new_password2": "a-new-password-9"}, follow=True)
    assert done.request["PATH_INFO"] == "/dealer/"


def test_the_language_picked_on_the_login_page_is_kept(acme, net):
    client = tenant_client(acme)
    client.post("/accounts/language/", {"language": "en", "next": "/accounts/login/"})
    User.objects.filter(pk=net.dealer_b_user.pk).update(language="ko")
    client.post("/accounts/login/", {"username": net.dealer_b_user.email, "password": factories.PASSWORD})
    assert User.objects.get(pk=net.dealer_b_user.pk).language == "en"


def test_host_names_match_whatever_their_case(acme, net):
    assert Client(HTTP_HOST="ACME.Localhost").get("/accounts/login/").status_code == 200


def test_a_weak_first_admin_password_is_refused(db):
    from django.core.exceptions import ValidationError

    from prm.tenancy.services import tenant_provision

    with pytest.raises(ValidationError) as excinfo:
        tenant_provision(slug="weakco", name="Weak", domain="weakco.localhost", admin_email="a@weak.example",
                         admin_password="12345678")
    assert "admin_password" in excinfo.value.message_dict


def test_ten_wrong_passwords_lock_the_login_for_a_while(acme, net):
    client = tenant_client(acme)
    for _attempt in range(10):
        client.post("/accounts/login/", {"username": net.dealer_a_user.email, "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": net.dealer_a_user.email, "password": factories.PASSWORD})
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    # the same address at another tenant's domain is not locked: the counters are the tenant's
    from django_tenants.utils import schema_context

    with schema_context("globex"):
        other = factories.member(factories.organization("dealer", "글로벡스딜러"), "dealer_admin",
                                 email=net.dealer_a_user.email)
        response = Client(HTTP_HOST="globex.localhost").post(
            "/accounts/login/", {"username": other.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    from axes.utils import reset

    with schema_context("acme"):
        reset(username=net.dealer_a_user.email)


def test_an_expired_form_says_to_reload(acme, net):
    client = Client(HTTP_HOST="acme.localhost", enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/request-quote/", {"customer_name": "x"})
    assert response.status_code == 403 and "This form has expired" in response.content.decode()
