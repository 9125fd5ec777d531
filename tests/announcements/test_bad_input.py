"""No input to the announcement pages gives a 500: reversed dates, an empty title, files that are not what they
claim or too large, junk ids and junk fields are refused with a message naming the field (or a 404 for an address
that names nothing), and nothing is half-written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from announcements.models import Announcement, AnnouncementFile
from tests.announcements import make
from tests.conftest import tenant_client

JUNK = ["", "abc", "-1", "0", "1e100", "NaN", "99999999999999999999", "１２", "²", "1.5", "<script>",
        "2027-13-45T25:61", "가" * 300]


def post_new(client, **data):  # type: ignore[no-untyped-def]
    return client.post("/hq/announcements/new/", {"kind": "general", "title": "제목", "file_category": "other",
                                                   **data})


def errors_of(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_an_expiry_before_the_publishing_time_is_refused_on_the_expiry_field(acme, net):
    hq = tenant_client(acme, net.hq_admin)
    start = timezone.localtime() + dt.timedelta(days=3)
    page = errors_of(post_new(hq, publish_at=start.strftime("%Y-%m-%dT%H:%M"),
                              expires_at=(start - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")))
    expiry_field = page[page.index('id="id_expires_at"'):]
    assert "The expiry must come after the publishing time" in expiry_field[:1500]
    assert not Announcement.objects.exists()


def test_an_expiry_already_past_is_refused(acme, net):
    hq = tenant_client(acme, net.hq_admin)
    page = errors_of(post_new(hq, expires_at="2020-01-01T09:00"))
    assert "The expiry has passed already" in page and not Announcement.objects.exists()


@pytest.mark.parametrize("title", ["", "   ", "\u200b\ufeff"])
def test_an_empty_title_is_refused(acme, net, title):
    page = errors_of(post_new(tenant_client(acme, net.hq_admin), title=title))
    assert "This field is required" in page or "Give the announcement a title" in page
    assert not Announcement.objects.exists()


@pytest.mark.parametrize(("name", "content"), [
    ("brochure.pdf", b"this is plain text pretending to be a PDF"),
    ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
    ("page.html", b"<html><script>alert(1)</script></html>"),
    ("macro.xlsm", b"PK\x03\x04 an Office file under a name we do not take"),
    ("photo.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"),
])
def test_a_file_that_is_not_a_pdf_picture_or_office_file_is_refused_by_name(acme, net, name, content):
    page = errors_of(post_new(tenant_client(acme, net.hq_admin),
                              attachments=[make.pdf("good.pdf"), SimpleUploadedFile(name, content)]))
    stem = name.rsplit(".", 1)[0]
    assert f"“{stem}” is not a PDF, a picture" in page
    assert not Announcement.objects.exists() and not AnnouncementFile.objects.exists()


def test_a_file_over_20_mb_is_refused_by_name(acme, net):
    huge = SimpleUploadedFile("대용량 카탈로그.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), "application/pdf")
    page = errors_of(post_new(tenant_client(acme, net.hq_admin), attachments=[huge]))
    assert "“대용량 카탈로그” is larger than 20 MB" in page
    assert not Announcement.objects.exists()


def test_more_than_ten_files_are_refused(acme, net):
    page = errors_of(post_new(tenant_client(acme, net.hq_admin),
                              attachments=[make.pdf(f"{n}.pdf") for n in range(11)]))
    assert "Attach at most 10 files" in page
    assert not Announcement.objects.exists() and not AnnouncementFile.objects.exists()


def test_an_unknown_region_tier_or_kind_is_refused(acme, net):
    hq = tenant_client(acme, net.hq_admin)
    assert "Select a valid choice" in errors_of(post_new(hq, regions=["99"]))
    assert "can't contain “|”" in errors_of(post_new(hq, tiers="Gold|Silver")).replace("&#x27;", "'")
    assert "Select a valid choice" in errors_of(post_new(hq, kind="memo"))
    assert "Select a valid choice" in errors_of(post_new(hq, kinds=["hq"]))
    assert not Announcement.objects.exists()


def test_junk_posted_to_the_announcement_form_is_refused_without_a_500(acme, net):
    draft = make.announcement(net.hq_admin, title="초안", publish=False, files=[make.pdf()])
    hq = tenant_client(acme, net.hq_admin)
    hq.raise_request_exception = False
    for junk in JUNK:
        for path in ("/hq/announcements/new/", f"/hq/announcements/{draft.pk}/edit/"):
            response = hq.post(path, {
                "kind": junk, "title": junk, "body": junk, "mandatory": junk, "publish_at": junk, "expires_at": junk,
                "kinds": junk, "tiers": junk, "segments": junk, "regions": junk, "product_lines": junk,
                "file_category": junk, "remove_files": junk, "attachments": junk})
            assert response.status_code in (200, 302, 400), (junk, path, response.status_code)
    assert list(Announcement.objects.values_list("title", flat=True)) == ["초안"]
    assert draft.files.count() == 1


def test_junk_ids_in_announcement_addresses_name_nothing(acme, net):
    dealer = tenant_client(acme, net.dealer_a_user)
    dealer.raise_request_exception = False
    hq = tenant_client(acme, net.hq_admin)
    hq.raise_request_exception = False
    seoul = tenant_client(acme, net.seoul_admin)
    seoul.raise_request_exception = False
    for junk in ("0", "99999999999999999999", "9223372036854775808", "abc", "-1", "%00"):
        for client, path in ((dealer, "/announcements/{}/"), (dealer, "/announcements/files/{}/"),
                             (hq, "/hq/announcements/{}/"), (hq, "/hq/announcements/{}/edit/"),
                             (hq, "/hq/announcements/{}/unread.csv"), (seoul, "/distributor/announcements/{}/"),
                             (hq, "/announcements/files/{}/")):
            assert client.get(path.format(junk)).status_code in (400, 404), path.format(junk)
        for client, path in ((hq, "/hq/announcements/{}/publish/"), (hq, "/hq/announcements/{}/withdraw/"),
                             (hq, "/hq/announcements/{}/delete/"), (seoul, "/distributor/announcements/{}/publish/")):
            assert client.post(path.format(junk)).status_code in (400, 404), path.format(junk)


def test_junk_query_strings_on_the_lists_are_harmless(acme, net):
    make.announcement(net.hq_admin, title="공지", files=[make.pdf()])
    dealer = tenant_client(acme, net.dealer_a_user)
    dealer.raise_request_exception = False
    hq = tenant_client(acme, net.hq_admin)
    hq.raise_request_exception = False
    for query in ("?page=abc", "?page=-1", "?page=99999999999999999999", "?page=%00", "?status=junk",
                  "?q=" + "가" * 500, "?category=junk", "?q=%25%5F%5C", "?q=<script>"):
        assert dealer.get("/announcements/" + query).status_code in (200, 400), query
        assert dealer.get("/documents/" + query).status_code in (200, 400), query
        assert hq.get("/hq/announcements/" + query).status_code in (200, 400), query


def test_a_nul_character_in_a_field_is_refused_up_front(acme, net):
    response = tenant_client(acme, net.hq_admin).post("/hq/announcements/new/", {
        "kind": "general", "title": "제목\x00", "file_category": "other"})
    assert response.status_code == 400 and not Announcement.objects.exists()


def test_a_get_to_an_action_is_not_allowed(acme, net):
    item = make.announcement(net.hq_admin, publish=False)
    hq = tenant_client(acme, net.hq_admin)
    for action in ("publish", "withdraw", "delete"):
        assert hq.get(f"/hq/announcements/{item.pk}/{action}/").status_code == 405
    assert Announcement.objects.get(pk=item.pk).status == "draft"


def test_text_typed_decomposed_is_stored_composed(acme, net):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "한글 공지")
    post_new(tenant_client(acme, net.hq_admin), title=decomposed, body=decomposed)
    item = Announcement.objects.get()
    assert item.title == "한글 공지" and item.body == "한글 공지"
