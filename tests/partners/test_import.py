"""The three real sample files give exactly expected.json, through the command and through the upload page."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import load_workbook

from partners.choices import OrgKind, Role, UploadStatus
from partners.models import DealerListUpload, Organization, SupplyLink
from tests import factories
from tests.conftest import SAMPLES, tenant_client, wait_for

EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
FILES = sorted(EXPECTED)


def _run_import(tenant_slug: str, distributor: Organization, filename: str) -> dict:
    out = io.StringIO()
    call_command("import_dealers", str(SAMPLES / filename), tenant=tenant_slug,
                 distributor=distributor.business_number, stdout=out)
    return json.loads(out.getvalue())


def confirm_columns(client, upload: DealerListUpload, mapping: dict | None = None) -> None:
    """Post the mapping screen's form as a distributor would: one choice per column, then "import"."""
    width = upload.analysis["width"]
    chosen = {col: fld for fld, col in (upload.mapping if mapping is None else mapping).items()}
    data = {f"col_{col}": chosen.get(col, "") for col in range(width)}
    response = client.post(f"/distributor/uploads/{upload.pk}/columns/", {**data, "remember": "on",
                                                                        "action": "confirm"})
    assert response.status_code == 302, response.content.decode()[:2000]


def _check_spot(spot: dict) -> None:
    dealer = Organization.objects.get(business_number=spot["business_number"], kind=OrgKind.DEALER)
    for field, value in spot.items():
        actual = getattr(dealer, field)
        if field == "partner_since":
            actual = actual.isoformat()
        assert actual == value, f"{spot['business_number']}.{field}: {actual!r} != {value!r}"


@pytest.mark.parametrize("filename", FILES)
def test_import_command_gives_expected_result_for_each_sample(acme, filename):
    # given an empty network with one distributor
    expected = EXPECTED[filename]
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "샘플유통")

    # when the operator imports the sample file
    result = _run_import("acme", distributor, filename)

    # then the counts, rejections and values are exactly those of expected.json
    assert result["encoding"] == expected["encoding"]
    assert result["data_rows"] == expected["data_rows"]
    assert result["created"] == expected["dealers_created"]
    assert result["updated"] == 0 and result["unchanged"] == 0
    assert len(result["merged"]) == expected["duplicates_merged"]
    assert result["rejected"] == expected["rejected"]
    assert Organization.objects.filter(kind=OrgKind.DEALER).count() == expected["dealers_created"]
    assert SupplyLink.objects.filter(distributor=distributor, is_primary=True).count() == expected["dealers_created"]
    for spot in expected["spot_checks"]:
        _check_spot(spot)
    # dealers are placed on the map from their address
    placed = Organization.objects.filter(kind=OrgKind.DEALER, latitude__isnull=False).count()
    assert placed == expected["dealers_created"]


@pytest.mark.parametrize("filename", FILES)
def test_reimporting_a_file_creates_nothing_new(acme, filename):
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "샘플유통")
    _run_import("acme", distributor, filename)
    links_before = SupplyLink.objects.count()

    again = _run_import("acme", distributor, filename)

    assert again["created"] == 0 and again["updated"] == 0
    assert again["unchanged"] == EXPECTED[filename]["dealers_created"]
    assert again["rejected"] == EXPECTED[filename]["rejected"]
    assert SupplyLink.objects.count() == links_before


def test_a_dealer_listed_by_a_second_distributor_waits_for_hq_and_is_not_taken_over(acme):
    from partners.selectors import organization_visible_to
    from partners.services import supply_link_review
    from prm.core.actor import actor_for

    seoul = factories.organization(OrgKind.DISTRIBUTOR, "서울유통")
    other = factories.organization(OrgKind.DISTRIBUTOR, "경기유통")
    other_user = factories.member(other, Role.DISTRIBUTOR_ADMIN)
    _run_import("acme", seoul, "crm-export_utf8-bom.csv")
    dealer = Organization.objects.get(business_number="4495080131")
    original = (dealer.name, dealer.address, dealer.phone)

    # when a second distributor uploads a list naming the same dealers, with a changed name for one of them
    csv = "상호,사업자등록번호,주소\n다른이름상사,4495080131,제주특별자치도 서귀포시 1\n"
    from partners.services import dealer_list_apply
    from prm.core.actor import Actor

    report = dealer_list_apply(actor=Actor.system(), distributor=other, data=csv.encode(), filename="other.csv")

    # then nothing of the dealer changes, the link waits for HQ, and the second distributor sees nothing
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert [f["business_number"] for f in report.flagged] == ["4495080131"]
    dealer.refresh_from_db()
    assert (dealer.name, dealer.address, dealer.phone) == original and dealer.needs_review
    links = {(link.distributor_id, link.is_primary, link.is_approved) for link in dealer.supply_links.all()}
    assert links == {(seoul.pk, True, True), (other.pk, False, False)}
    other_actor = actor_for(other_user)
    assert not organization_visible_to(other_actor).filter(pk=dealer.pk).exists()

    # when HQ approves the link, the second distributor supplies (and sees) the dealer; the flag clears
    pending = dealer.supply_links.get(distributor=other)
    supply_link_review(actor=Actor.system(), link=pending, approve=True)
    dealer.refresh_from_db()
    assert not dealer.needs_review
    assert organization_visible_to(other_actor).filter(pk=dealer.pk).exists()
    # and its later lists still don't rewrite the profile the primary distributor keeps
    again = dealer_list_apply(actor=Actor.system(), distributor=other, data=csv.encode(), filename="other.csv")
    dealer.refresh_from_db()
    assert again.updated == 0 and dealer.name == original[0]


def test_hq_refusing_a_link_removes_it_and_clears_the_flag(acme):
    from partners.services import dealer_list_apply, supply_link_review
    from prm.core.actor import Actor

    seoul = factories.organization(OrgKind.DISTRIBUTOR, "서울유통")
    other = factories.organization(OrgKind.DISTRIBUTOR, "경기유통")
    _run_import("acme", seoul, "crm-export_utf8-bom.csv")
    dealer_list_apply(actor=Actor.system(), distributor=other, filename="o.csv",
                      data="상호,사업자등록번호\n우리상사,4495080131\n".encode())
    dealer = Organization.objects.get(business_number="4495080131")
    supply_link_review(actor=Actor.system(), link=dealer.supply_links.get(distributor=other), approve=False)
    dealer.refresh_from_db()
    assert not dealer.needs_review
    assert list(dealer.supply_links.values_list("distributor_id", flat=True)) == [seoul.pk]


def test_the_whole_sample_listed_by_a_second_distributor_is_flagged_row_by_row(acme):
    seoul = factories.organization(OrgKind.DISTRIBUTOR, "서울유통")
    other = factories.organization(OrgKind.DISTRIBUTOR, "경기유통")
    _run_import("acme", seoul, "crm-export_utf8-bom.csv")
    result = _run_import("acme", other, "crm-export_utf8-bom.csv")
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 150)
    assert len(result["flagged"]) == 150
    assert SupplyLink.objects.filter(distributor=other, is_approved=False).count() == 150


def test_an_upload_never_changes_hq_fields(acme):
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "서울유통")
    _run_import("acme", distributor, "crm-export_utf8-bom.csv")
    Organization.objects.filter(business_number="4495080131").update(
        tier="gold", credit_limit=5_000_000, status="suspended", name="옛이름")

    result = _run_import("acme", distributor, "crm-export_utf8-bom.csv")

    dealer = Organization.objects.get(business_number="4495080131")
    assert result["updated"] == 1
    assert (dealer.name, dealer.tier, dealer.credit_limit, dealer.status) == ("우리상사", "gold", 5_000_000,
                                                                              "suspended")


def test_import_command_fails_clearly_for_a_file_that_is_not_a_dealer_list(acme, tmp_path):
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "서울유통")
    junk = tmp_path / "photo.xlsx"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    with pytest.raises(CommandError) as excinfo:
        call_command("import_dealers", str(junk), tenant="acme", distributor=distributor.business_number)
    assert "photo.xlsx" in str(excinfo.value)
    assert not Organization.objects.filter(kind=OrgKind.DEALER).exists()


@pytest.mark.parametrize("args,message", [
    ({"tenant": "nope"}, "No tenant"),
    ({"distributor": "1234567890"}, "No distributor"),
    ({"file": "/nonexistent/file.csv"}, "No such file"),
])
def test_import_command_names_what_is_wrong_with_its_arguments(acme, args, message):
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "서울유통")
    options = {"tenant": "acme", "distributor": distributor.business_number,
               "file": str(SAMPLES / "crm-export_utf8-bom.csv"), **args}
    path = options.pop("file")
    with pytest.raises(CommandError, match=message):
        call_command("import_dealers", path, **options)


@pytest.mark.worker
@pytest.mark.parametrize("filename", FILES)
def test_upload_page_imports_through_the_worker_and_shows_the_result(live_tenant, celery_worker, filename):
    # given a distributor admin logged in at the tenant's domain
    expected = EXPECTED[filename]
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "부산유통")
    user = factories.member(distributor, Role.DISTRIBUTOR_ADMIN)
    client = tenant_client(live_tenant, user)

    # when they upload the sample file
    with open(SAMPLES / filename, "rb") as fh:
        response = client.post("/distributor/uploads/", {"file": fh})
    assert response.status_code == 302
    upload = DealerListUpload.objects.get()
    assert response["Location"] == f"/distributor/uploads/{upload.pk}/"

    # then the worker reads it and the page asks to check the columns it matched
    upload = wait_for(lambda: DealerListUpload.objects.filter(pk=upload.pk, status=UploadStatus.MAPPING).first(),
                      timeout=60)
    page = client.get(f"/distributor/uploads/{upload.pk}/").content.decode()
    assert 'data-testid="mapping-form"' in page and 'data-testid="mapping-preview"' in page
    assert {"business_number", "name"} <= set(upload.mapping)

    # when they confirm them
    confirm_columns(client, upload)

    # then the worker imports it and the page shows exactly the expected result
    upload = wait_for(lambda: DealerListUpload.objects.filter(pk=upload.pk, status=UploadStatus.DONE).first(),
                      timeout=60)
    assert upload.created_count == expected["dealers_created"]
    assert upload.rejected_count == len(expected["rejected"])
    assert upload.merged_count == expected["duplicates_merged"]
    assert upload.report["rejected"] == expected["rejected"]
    page = client.get(f"/distributor/uploads/{upload.pk}/").content.decode()
    assert f'data-testid="created">{expected["dealers_created"]}<' in page
    for rejected in expected["rejected"]:
        assert f">{rejected['row']}</td>" in page
    report = client.get(f"/distributor/uploads/{upload.pk}/report.csv")
    assert report["Content-Type"].startswith("text/csv")
    # and the rejected rows download as the file's own rows plus the reason
    rejected_rows = sorted({item["row"] for item in expected["rejected"]})
    download = client.get(f"/distributor/uploads/{upload.pk}/rejected.xlsx")
    if rejected_rows:
        sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
        lines = list(sheet.iter_rows(values_only=True))
        assert lines[0][-1] in ("Error", "오류") and len(lines) == 1 + len(rejected_rows)
        assert all(line[-1] for line in lines[1:])
    else:
        assert download.status_code == 404
    assert Organization.objects.filter(kind=OrgKind.DEALER).count() == expected["dealers_created"]
    connection.set_tenant(live_tenant)


@pytest.mark.worker
def test_an_unreadable_upload_fails_with_a_message_and_creates_nothing(live_tenant, celery_worker):
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "부산유통")
    client = tenant_client(live_tenant, factories.member(distributor, Role.DISTRIBUTOR_STAFF))
    from django.core.files.uploadedfile import SimpleUploadedFile

    junk = SimpleUploadedFile("dealers.csv", b"\x00\x01\x02\xff\xfe" * 400, content_type="text/csv")
    client.post("/distributor/uploads/", {"file": junk})
    upload = wait_for(lambda: DealerListUpload.objects.filter(status=UploadStatus.FAILED).first())
    assert upload.error
    page = client.get(f"/distributor/uploads/{upload.pk}/").content.decode()
    assert 'data-testid="upload-error"' in page
    assert not Organization.objects.filter(kind=OrgKind.DEALER).exists()


def test_an_empty_upload_is_refused_on_the_form(acme):
    from django.core.files.uploadedfile import SimpleUploadedFile

    distributor = factories.organization(OrgKind.DISTRIBUTOR, "부산유통")
    client = tenant_client(acme, factories.member(distributor, Role.DISTRIBUTOR_ADMIN))
    response = client.post("/distributor/uploads/", {"file": SimpleUploadedFile("empty.csv", b"")})
    assert response.status_code == 200
    assert not DealerListUpload.objects.exists()


def test_the_report_says_which_columns_were_read_and_why_a_file_fails_everywhere(acme):
    from partners.services import dealer_list_apply
    from prm.core.actor import Actor

    distributor = factories.organization(OrgKind.DISTRIBUTOR, "서울유통")
    csv = "가맹점명,사업자등록번호,비고\n한빛상사,4495080131,메모\n"
    report = dealer_list_apply(actor=Actor.system(), distributor=distributor, data=csv.encode(),
                               filename="x.csv").as_dict()
    assert {"column": 1, "header": "가맹점명", "field": "name"} in report["columns"]
    assert report["ignored_columns"] == ["비고"]
    assert any("No address column" in notice for notice in report["notices"])
    assert report["created"] == 1


def test_new_dealers_may_sell_what_their_distributor_supplies(acme):
    aircon = factories.product_line()
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "서울유통", lines=[aircon])
    _run_import("acme", distributor, "crm-export_utf8-bom.csv")
    assert Organization.objects.filter(kind=OrgKind.DEALER, product_lines=aircon).count() == 150


def test_the_demo_keeps_byte_identical_copies_of_the_shared_samples():
    from pathlib import Path

    demo = Path(__file__).resolve().parents[2] / "demo" / "dealer-lists"
    for name in [*FILES, "expected.json"]:
        assert (demo / name).read_bytes() == (SAMPLES / name).read_bytes(), name
