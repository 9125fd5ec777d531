"""The upload's life: read, columns checked on a preview (and remembered), imported, limits, cancel, API.

These tests run the task's body in-process (``dealer_list_upload_process``) inside the test's transaction; the
worker, the progress bar and a killed worker are covered in test_import_resilience and the browser test.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from partners.choices import OrgKind, Role, UploadStatus
from partners.models import DealerListPreset, DealerListUpload, Organization
from partners.services import dealer_list_upload_process
from tests import factories
from tests.conftest import tenant_client

BN = [factories.business_number(9000 + i) for i in range(6)]


def _csv(rows: list[list[str]], header: str = "상호,사업자번호,전화,비고") -> bytes:
    return (header + "\n" + "\n".join(",".join(r) for r in rows) + "\n").encode("utf-8")


@pytest.fixture
def seoul(acme):
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "서울유통")
    user = factories.member(distributor, Role.DISTRIBUTOR_ADMIN)
    return distributor, user, tenant_client(acme, user)


def _upload(client, data: bytes, name: str = "dealers.csv") -> DealerListUpload:
    response = client.post("/distributor/uploads/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:1500]
    upload = DealerListUpload.objects.latest("pk")
    dealer_list_upload_process(upload_id=upload.pk)  # what the worker does with the queued task
    upload.refresh_from_db()
    return upload


def _columns(upload: DealerListUpload, mapping: dict[str, int], action: str = "confirm",
             remember: bool = True) -> dict:
    chosen = {col: fld for fld, col in mapping.items()}
    data = {f"col_{col}": chosen.get(col, "") for col in range(upload.analysis["width"])}
    data["action"] = action
    if remember:
        data["remember"] = "on"
    return data


def test_the_mapping_screen_shows_the_matched_columns_and_each_cells_problem(seoul):
    _distributor, _user, client = seoul
    upload = _upload(client, _csv([["한빛상사", BN[0], "02-123-4567", "메모"],
                                   ["가나다전자", "1.23457E+09", "010-1234-5678", ""]]))
    assert upload.status == UploadStatus.MAPPING
    assert upload.mapping == {"name": 0, "business_number": 1, "phone": 2}
    assert upload.analysis["data_rows"] == 2
    page = client.get(f"/distributor/uploads/{upload.pk}/").content.decode()
    assert 'data-testid="mapping-form"' in page
    assert '<option value="business_number" selected>' in page
    # row 3's business number lost its digits in Excel: the cell is marked with the reason
    assert 'class="cell-bad"' in page and "scientific notation" in page
    assert not Organization.objects.filter(kind=OrgKind.DEALER).exists()  # nothing imported before confirming


def test_a_corrected_mapping_is_imported_and_remembered_for_the_next_upload(seoul):
    distributor, _user, client = seoul
    data = _csv([["한빛상사", BN[0], "02-123-4567", "010-2222-3333"],
                 ["가나다전자", BN[1], "031-765-4321", "010-4444-5555"]])
    upload = _upload(client, data)
    assert "mobile" not in upload.mapping  # "비고" (notes) is not a header anyone would match to a mobile

    # the distributor says the notes column holds the mobile numbers, and checks first
    mapping = {**upload.mapping, "mobile": 3}
    check = client.post(f"/distributor/uploads/{upload.pk}/columns/", _columns(upload, mapping, action="check"),
                        HTTP_HX_REQUEST="true")
    assert check.status_code == 200 and "010-2222-3333" in check.content.decode()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.MAPPING  # a check changes nothing

    response = client.post(f"/distributor/uploads/{upload.pk}/columns/", _columns(upload, mapping))
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.status == UploadStatus.PENDING and upload.mapping["mobile"] == 3
    dealer_list_upload_process(upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and upload.created_count == 2
    assert Organization.objects.get(business_number=BN[0]).mobile.endswith("1022223333")
    preset = DealerListPreset.objects.get(distributor=distributor)
    assert {"header": "비고", "field": "mobile"} in preset.columns

    # the next file with the same headers opens with the remembered columns
    again = _upload(client, data, name="dealers-march.csv")
    assert again.status == UploadStatus.MAPPING
    assert again.mapping["mobile"] == 3 and again.analysis["preset_used"] is True
    assert 'data-testid="preset-used"' in client.get(f"/distributor/uploads/{again.pk}/").content.decode()


def test_a_mapping_without_the_key_columns_or_with_a_field_twice_is_refused_by_name(seoul):
    _distributor, _user, client = seoul
    upload = _upload(client, _csv([["한빛상사", BN[0], "02-123-4567", "메모"]]))
    no_key = client.post(f"/distributor/uploads/{upload.pk}/columns/", _columns(upload, {"name": 0, "phone": 2}))
    assert no_key.status_code == 200
    assert "Choose the column that holds the “Business registration number”" in no_key.content.decode()
    data = _columns(upload, upload.mapping)
    data["col_3"] = "phone"  # phone for C and D
    twice = client.post(f"/distributor/uploads/{upload.pk}/columns/", data)
    assert "is chosen for two columns (C and D)" in twice.content.decode()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.MAPPING
    assert not Organization.objects.filter(kind=OrgKind.DEALER).exists()


def test_an_upload_waiting_for_its_columns_can_be_cancelled_and_then_never_imports(seoul):
    _distributor, _user, client = seoul
    upload = _upload(client, _csv([["한빛상사", BN[0], "02-123-4567", ""]]))
    assert client.post(f"/distributor/uploads/{upload.pk}/cancel/").status_code == 302
    upload.refresh_from_db()
    assert upload.status == UploadStatus.CANCELLED
    dealer_list_upload_process(upload_id=upload.pk)
    late = client.post(f"/distributor/uploads/{upload.pk}/columns/", _columns(upload, upload.mapping))
    assert late.status_code == 302
    upload.refresh_from_db()
    assert upload.status == UploadStatus.CANCELLED
    assert not Organization.objects.filter(kind=OrgKind.DEALER).exists()


def _set_limits(tenant, **limits) -> None:
    """The operator's setting, saved (the test's transaction rolls it back)."""
    for name, value in limits.items():
        setattr(tenant, name, value)
    tenant.save(update_fields=list(limits))
    connection.set_tenant(tenant)


def test_the_tenants_row_limit_fails_the_upload_with_a_message_naming_it(acme, seoul):
    _distributor, _user, client = seoul
    _set_limits(acme, dealer_list_max_rows=2)
    upload = _upload(client, _csv([[f"상사{i}", BN[i], "", ""] for i in range(3)]))
    assert upload.status == UploadStatus.FAILED
    assert "3 dealer rows" in upload.error and "at most 2" in upload.error
    assert not Organization.objects.filter(kind=OrgKind.DEALER).exists()


def test_the_tenants_size_limit_refuses_the_file_with_a_message_naming_it(acme, seoul):
    _distributor, _user, client = seoul
    _set_limits(acme, dealer_list_max_mb=1)
    big = _csv([["상사", BN[0], "", "x" * 2000]] * 700)  # about 1.4 MB
    response = client.post("/distributor/uploads/", {"file": SimpleUploadedFile("big.csv", big)})
    assert response.status_code == 200
    assert "at most 1 MB" in response.content.decode()
    assert not DealerListUpload.objects.exists()


def test_rejected_rows_download_as_the_files_own_rows_with_the_reason(seoul):
    _distributor, _user, client = seoul
    data = _csv([["한빛상사", BN[0], "02-123-4567", "=HYPERLINK(\"x\")"],
                 ["", BN[1], "02-999-8888", "이름 없음"],
                 ["가나다전자", "123-45-67890", "010-1234-5678", "메모"]])
    upload = _upload(client, data)
    client.post(f"/distributor/uploads/{upload.pk}/columns/", _columns(upload, upload.mapping))
    dealer_list_upload_process(upload_id=upload.pk)
    upload.refresh_from_db()
    assert (upload.created_count, upload.rejected_count) == (1, 2)
    response = client.get(f"/distributor/uploads/{upload.pk}/rejected.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0] == ("상호", "사업자번호", "전화", "비고", "Error")
    assert lines[1][:4] == (None, BN[1], "02-999-8888", "이름 없음") and lines[1][4] == "Company name: missing"
    assert lines[2][:4] == ("가나다전자", "123-45-67890", "010-1234-5678", "메모")
    assert "check digit" in lines[2][4]
    # and the fixed spreadsheet is a file the import takes back
    page = client.get(f"/distributor/uploads/{upload.pk}/").content.decode()
    assert 'data-testid="download-rejected"' in page


def _api(tenant, user) -> APIClient:
    client = APIClient(HTTP_HOST=f"{tenant.slug}.localhost")
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_api_reads_confirms_and_reports_progress(acme, seoul):
    _distributor, user, _client = seoul
    api = _api(acme, user)
    data = _csv([["한빛상사", BN[0], "02-123-4567", "010-2222-3333"], ["", BN[1], "", ""]])
    created = api.post("/api/v1/dealer-uploads/", {"file": SimpleUploadedFile("d.csv", data),
                                                   "review_columns": "true"}, format="multipart")
    assert created.status_code == 202 and created.json()["status"] == "analysing"
    pk = created.json()["id"]
    dealer_list_upload_process(upload_id=pk)
    body = api.get(f"/api/v1/dealer-uploads/{pk}/").json()
    assert body["status"] == "mapping"
    assert body["columns"][3] == {"column": 3, "letter": "D", "header": "비고", "field": "",
                                  "samples": ["010-2222-3333"]}
    bad = api.post(f"/api/v1/dealer-uploads/{pk}/confirm/", {"mapping": {"business_number": 9, "name": 0}},
                   format="json")
    assert bad.status_code == 400 and "not in the file" in bad.content.decode()
    ok = api.post(f"/api/v1/dealer-uploads/{pk}/confirm/",
                  {"mapping": {**body["mapping"], "mobile": 3}, "remember": False}, format="json")
    assert ok.status_code == 202 and ok.json()["status"] == "pending"
    dealer_list_upload_process(upload_id=pk)
    done = api.get(f"/api/v1/dealer-uploads/{pk}/").json()
    assert done["status"] == "done" and done["created_count"] == 1 and done["rejected_count"] == 1
    assert done["progress"]["percent"] == 100 and done["progress"]["rows_committed"] == 2
    assert done["rejected_rows_url"] == f"/api/v1/dealer-uploads/{pk}/rejected.xlsx"
    assert api.get(done["rejected_rows_url"]).status_code == 200
    assert not DealerListPreset.objects.exists()  # remember: false
    again = api.post(f"/api/v1/dealer-uploads/{pk}/confirm/", {}, format="json")
    assert again.status_code == 400 and "not waiting" in again.content.decode()


def test_an_upload_whose_reading_stopped_can_be_retried_and_a_running_one_cannot(seoul, settings):
    import datetime as dt

    from django.core.cache import cache

    _distributor, _user, client = seoul
    client.post("/distributor/uploads/", {"file": SimpleUploadedFile("d.csv", _csv([["한빛상사", BN[0], "", ""]]))})
    upload = DealerListUpload.objects.get()
    assert upload.status == UploadStatus.ANALYSING
    # just uploaded: not stopped, so no retry
    assert client.post(f"/distributor/uploads/{upload.pk}/retry/").status_code == 302
    assert 'data-testid="stalled"' not in client.get(f"/distributor/uploads/{upload.pk}/").content.decode()
    # its worker died before reading it: after a while the page says so and offers to try again
    DealerListUpload.objects.filter(pk=upload.pk).update(created_at=upload.created_at - dt.timedelta(minutes=5))
    page = client.get(f"/distributor/uploads/{upload.pk}/").content.decode()
    assert 'data-testid="stalled"' in page and 'data-testid="retry"' in page
    assert client.post(f"/distributor/uploads/{upload.pk}/retry/").status_code == 302
    dealer_list_upload_process(upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.MAPPING
    # an import that reports progress is running, not stopped
    DealerListUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.PROCESSING,
                                                         started_at=upload.created_at)
    from partners.services.dealer_lists import _report_progress

    _report_progress(upload.pk, "check", read=10, checked=5, total=10)
    try:
        upload.refresh_from_db()
        api_like = client.get(f"/distributor/uploads/{upload.pk}/", HTTP_HX_REQUEST="true").content.decode()
        assert 'data-testid="stalled"' not in api_like
        assert 'data-testid="rows-checked">5<' in api_like and "35%" in api_like
    finally:
        cache.delete(f"dealer-list-progress:{upload.pk}")


def test_hq_sees_an_upload_waiting_for_its_columns_without_confirming_it(acme, seoul):
    _distributor, _user, client = seoul
    upload = _upload(client, _csv([["한빛상사", BN[0], "02-123-4567", ""]]))
    hq_org = Organization.objects.filter(kind=OrgKind.HQ).first() or factories.organization(OrgKind.HQ, "HQ")
    hq = tenant_client(acme, factories.member(hq_org, Role.HQ_ADMIN))
    page = hq.get(f"/hq/uploads/{upload.pk}/").content.decode()
    assert "The distributor has not confirmed the columns yet." in page
    assert 'data-testid="mapping-form"' not in page and "→ Business registration number" in page
    assert hq.post(f"/distributor/uploads/{upload.pk}/columns/", {"action": "confirm"}).status_code == 403


def test_the_api_refuses_one_column_for_two_fields_and_unknown_fields(acme, seoul):
    _distributor, user, client = seoul
    upload = _upload(client, _csv([["한빛상사", BN[0], "02-123-4567", ""]]))
    api = _api(acme, user)
    twice = api.post(f"/api/v1/dealer-uploads/{upload.pk}/confirm/",
                     {"mapping": {"name": 1, "business_number": 1}}, format="json")
    assert twice.status_code == 400
    assert "Column B is chosen for “Company name”, “Business registration number”" in twice.content.decode()
    unknown = api.post(f"/api/v1/dealer-uploads/{upload.pk}/confirm/",
                       {"mapping": {f"x{i}": 0 for i in range(5000)}}, format="json")
    assert unknown.status_code == 400 and len(unknown.content) < 2000
    upload.refresh_from_db()
    assert upload.status == UploadStatus.MAPPING and not DealerListPreset.objects.exists()


def test_a_file_with_too_many_columns_is_refused_by_its_count(seoul):
    _distributor, _user, client = seoul
    header = "상호,사업자번호," + ",".join(f"c{i}" for i in range(400))
    upload = _upload(client, (header + "\n한빛상사," + BN[0] + "," + ",".join("x" * 400) + "\n").encode())
    assert upload.status == UploadStatus.FAILED
    assert "402 columns" in upload.error and "at most 300" in upload.error


def test_a_flagged_dealer_is_reported_with_the_name_in_this_distributors_file(acme, seoul):
    from partners.services import dealer_list_apply
    from prm.core.actor import Actor

    _distributor, user, client = seoul
    busan = factories.organization(OrgKind.DISTRIBUTOR, "부산유통")
    dealer_list_apply(actor=Actor.system(), distributor=busan, data=_csv([["부산만의거래처", BN[2], "", ""]]),
                      filename="b.csv")
    upload = _upload(client, _csv([["아무개", BN[2], "", ""]]))
    client.post(f"/distributor/uploads/{upload.pk}/columns/", _columns(upload, upload.mapping))
    dealer_list_upload_process(upload_id=upload.pk)
    upload.refresh_from_db()
    assert [f["name"] for f in upload.report["flagged"]] == ["아무개"]
    for body in (client.get(f"/distributor/uploads/{upload.pk}/").content.decode(),
                 client.get(f"/distributor/uploads/{upload.pk}/report.csv").content.decode(),
                 _api(acme, user).get(f"/api/v1/dealer-uploads/{upload.pk}/").content.decode()):
        assert "부산만의거래처" not in body


def test_a_column_left_out_on_purpose_is_not_asked_to_be_renamed_and_the_api_speaks_korean(acme, seoul):
    _distributor, user, client = seoul
    user.language = "ko"
    user.save(update_fields=["language"])
    upload = _upload(client, _csv([["한빛상사", BN[0], "02-123-4567", ""], ["", BN[1], "", ""]],
                                  header="상호,사업자번호,전화,주소"))
    assert upload.mapping.get("address") == 3
    mapping = {k: v for k, v in upload.mapping.items() if k != "address"}
    client.post(f"/distributor/uploads/{upload.pk}/columns/", _columns(upload, mapping))
    dealer_list_upload_process(upload_id=upload.pk)
    body = _api(acme, user).get(f"/api/v1/dealer-uploads/{upload.pk}/").json()
    assert body["report"]["notices"] == ["주소 열을 고르지 않았습니다. 본사나 귀사가 주소를 넣기 전까지 이 딜러들은 "
                                         "고객 주문을 배정받을 수 없습니다."]
    assert body["report"]["rejected"][0]["reason"] == "누락" and body["report"]["rejected"][0]["reason_id"] == "missing"
