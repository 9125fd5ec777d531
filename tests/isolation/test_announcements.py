"""Announcements never cross tenants: acme's announcement, its file and its read figures mean nothing at globex,
whose look-alike partners see only their own tenant's announcements."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests import factories
from tests.announcements import make
from tests.conftest import tenant_client


@pytest.fixture
def twins(acme, globex):
    """The same network in both tenants; acme's announcement and file have ids globex's don't (fillers first)."""
    with schema_context("globex"):
        g = factories.network(prefix="GLOBEX-")
        g_item = make.announcement(g.hq_admin, title="GLOBEX-공지", files=[make.pdf("GLOBEX-문서.pdf")])
    with schema_context("acme"):
        a = factories.network(prefix="ACME-")
        for n in range(5):
            make.announcement(a.hq_admin, title=f"ACME-채움 {n}", publish=False, files=[make.pdf()])
        a_item = make.announcement(a.hq_admin, title="ACME-필독", mandatory=True, files=[make.pdf("ACME-문서.pdf")])
        a_file = a_item.files.get()
        make.read(a.dealer_a_user, a_item)
    connection.set_schema_to_public()
    return {"acme": a, "globex": g, "a_item": a_item, "a_file": a_file, "g_item": g_item}


def test_globex_never_sees_acme_announcements_or_files(twins, globex):
    g, a_item, a_file = twins["globex"], twins["a_item"], twins["a_file"]
    with schema_context("globex"):
        dealer = tenant_client(globex, g.dealer_a_user)
        for path in ("/dealer/", "/announcements/", "/documents/"):
            page = dealer.get(path).content.decode()
            assert "ACME-" not in page and "GLOBEX-" in page, path
        assert dealer.get(f"/announcements/{a_item.pk}/").status_code == 404
        assert dealer.get(f"/announcements/files/{a_file.pk}/").status_code == 404
        hq = tenant_client(globex, g.hq_admin)
        assert "ACME-" not in hq.get("/hq/announcements/").content.decode()
        for path in (f"/hq/announcements/{a_item.pk}/", f"/hq/announcements/{a_item.pk}/unread.csv",
                     f"/announcements/files/{a_file.pk}/"):
            assert hq.get(path).status_code == 404, path
        assert hq.post(f"/hq/announcements/{a_item.pk}/withdraw/").status_code == 404
    with schema_context("acme"):
        a_item.refresh_from_db()
        assert a_item.status == "published"


def test_an_acme_session_opens_nothing_at_globex(twins, acme, globex):
    a = twins["acme"]
    with schema_context("acme"):
        session = tenant_client(acme, a.dealer_a_user).cookies
    client = tenant_client(globex)
    client.cookies = session
    with schema_context("globex"):
        response = client.get(f"/announcements/{twins['a_item'].pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
