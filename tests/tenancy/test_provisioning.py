import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from partners.models import Membership
from prm.accounts.models import User
from prm.tenancy.models import Domain, Tenant
from prm.tenancy.services import tenant_provision
from tests.conftest import tenant_client


def test_tenant_create_command_provisions_schema_domain_hq_and_admin(tenant_factory):
    # given a fresh tenant made by the management command
    tenant_factory()  # makes sure the harness can drop what we create below too
    connection.set_schema_to_public()
    call_command("tenant_create", slug="initech", name="Initech", domain="initech.localhost",
                 admin_email="Boss@Initech.example", admin_password="initech-pass-1")
    try:
        tenant = Tenant.objects.get(slug="initech")
        # then it has its domain, an HQ organisation and an HQ admin who can log in at its domain
        assert Domain.objects.get(domain="initech.localhost").tenant == tenant
        with schema_context("initech"):
            membership = Membership.objects.select_related("organization", "user").get()
            assert membership.role == "hq_admin"
            assert membership.organization.kind == "hq"
            assert membership.user.email == "boss@initech.example"
            assert membership.user.check_password("initech-pass-1")
        client = tenant_client(tenant)
        response = client.post("/accounts/login/", {"username": "boss@initech.example",
                                                    "password": "initech-pass-1"})
        assert response.status_code == 302
        assert client.get("/", follow=True).request["PATH_INFO"] == "/hq/"
    finally:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute('DROP SCHEMA IF EXISTS "initech" CASCADE')
        Tenant.objects.filter(slug="initech").delete()


def test_tenant_create_refuses_a_taken_slug_and_leaves_nothing(db):
    with pytest.raises(CommandError, match="slug"):
        call_command("tenant_create", slug="acme", name="Acme again", domain="acme2.localhost",
                     admin_email="a@b.example", admin_password="long-enough")
    assert not Domain.objects.filter(domain="acme2.localhost").exists()


@pytest.mark.parametrize("field,values", [
    ("slug", {"slug": "Bad Slug!"}),
    ("domain", {"domain": "not a domain"}),
    ("admin_email", {"admin_email": "nobody"}),
    ("admin_password", {"admin_password": "short"}),
])
def test_tenant_provision_names_the_bad_field(db, field, values):
    args = {"slug": "newco", "name": "New Co", "domain": "newco.localhost", "admin_email": "hq@newco.example",
            "admin_password": "long-enough-1", **values}
    with pytest.raises(ValidationError) as excinfo:
        tenant_provision(**args)
    assert field in excinfo.value.message_dict
    assert not Tenant.objects.filter(slug="newco").exists()


def test_users_of_one_tenant_do_not_exist_in_another(acme, globex):
    # given the first HQ admin of each tenant
    with schema_context("acme"):
        assert User.objects.filter(email="hq@acme.example").exists()
        assert not User.objects.filter(email="hq@globex.example").exists()
    with schema_context("globex"):
        assert not User.objects.filter(email="hq@acme.example").exists()
    # and the admin of acme can't log in at globex's domain
    client = tenant_client(globex)
    response = client.post("/accounts/login/", {"username": "hq@acme.example", "password": "pass-word-1"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_cache_entries_are_per_tenant(acme, globex):
    with schema_context("acme"):
        cache.set("dashboard-counts", {"dealers": 298})
    with schema_context("globex"):
        assert cache.get("dashboard-counts") is None
        cache.set("dashboard-counts", {"dealers": 1})
    with schema_context("acme"):
        assert cache.get("dashboard-counts") == {"dealers": 298}
    for schema in ("acme", "globex"):
        with schema_context(schema):
            cache.delete("dashboard-counts")


def test_uploaded_files_are_stored_under_the_tenants_own_folder(acme):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    with schema_context("acme"):
        name = default_storage.save("dealer-lists/x.csv", ContentFile(b"a,b\n"))
        path = default_storage.path(name)
    assert "/acme/" in path
    with schema_context("acme"):
        default_storage.delete(name)


def test_operator_console_lists_tenants_and_needs_staff(db):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    assert client.get("/console/").status_code == 302
    operator = User.objects.create_user("op@prm.example", "operator-pass", is_staff=True)
    client.force_login(operator)
    page = client.get("/console/")
    assert page.status_code == 200
    assert b"acme.localhost" in page.content and b"globex.localhost" in page.content


def test_operator_sets_a_tenants_dealer_list_limits_and_bad_values_are_named(db):
    from django.test import Client

    from prm.tenancy.models import Tenant

    client = Client(HTTP_HOST="localhost")
    assert client.get("/console/tenants/acme/limits/").status_code == 302  # staff only
    client.force_login(User.objects.create_user("op@prm.example", "operator-pass", is_staff=True))
    bad = client.post("/console/tenants/acme/limits/", {"dealer_list_max_mb": "0", "dealer_list_max_rows": "x"})
    assert bad.status_code == 200
    assert b"dealer_list_max_mb" in bad.content and b"errorlist" in bad.content
    assert Tenant.objects.get(slug="acme").dealer_list_max_mb == 50
    bad_currency = client.post("/console/tenants/acme/limits/", {"dealer_list_max_mb": "20",
                                                                 "dealer_list_max_rows": "50000", "currency": "won"})
    assert bad_currency.status_code == 200 and b"ISO 4217" in bad_currency.content
    ok = client.post("/console/tenants/acme/limits/", {"dealer_list_max_mb": "20", "dealer_list_max_rows": "50000",
                                                       "currency": "KRW", "dealers_order_from_hq": "on"})
    assert ok.status_code == 302
    acme = Tenant.objects.get(slug="acme")
    assert (acme.dealer_list_max_mb, acme.dealer_list_max_rows) == (20, 50_000)
    assert acme.currency == "KRW" and acme.dealers_order_from_hq
    assert b"50,000" in client.get("/console/").content
    assert client.get("/console/tenants/public/limits/").status_code == 404
    assert client.get("/console/tenants/nope/limits/").status_code == 404
