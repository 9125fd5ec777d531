"""In headless Chromium, on a phone: a distributor uploads its dealer list, checks the columns on the preview,
watches the progress bar finish, and downloads the rejected rows to fix them."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from partners.choices import OrgKind, Role, UploadStatus
from partners.models import DealerListPreset, DealerListUpload, Organization
from tests import factories
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.worker]

TOOL = Path(os.environ.get("PRM_SHARED_TOOLS", ROOT.parent / "shared" / "tools")) / "dealer_lists.py"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
ROWS = 20_000
BAD_ROWS = [
    # (name, business number): a wrong check digit, then a row with no name
    ("잘못된번호상사", "123-45-67890"),
    ("", factories.business_number(99_001)),
]


def _dealer_list(tmp_path: Path) -> Path:
    """20,000 rows as the distributors' tool writes them (CP949), plus two rows the import must reject."""
    path = tmp_path / "대리점목록.csv"
    subprocess.run([sys.executable, str(TOOL), "big", str(path), "--rows", str(ROWS)], check=True,
                   capture_output=True)
    with path.open("ab") as fh:
        for name, number in BAD_ROWS:
            fh.write(f"{name},홍길동,{number},02-123-4567,,,,,,\r\n".encode("cp949"))
    return path


def test_distributor_uploads_checks_columns_watches_progress_and_downloads_rejected_rows(
        live_tenant, celery_worker, live_server_url, browser, screenshots, tmp_path):
    from tests.browser.test_offer_flow import login

    # given a distributor's admin on a phone
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "부산남부유통")
    user = factories.member(distributor, Role.DISTRIBUTOR_ADMIN)
    user.language = "ko"
    user.save(update_fields=["language"])
    path = _dealer_list(tmp_path)
    base = live_server_url.replace("localhost", f"{live_tenant.slug}.localhost")
    phone = browser.new_context(**PHONE, locale="ko-KR", accept_downloads=True)
    page = phone.new_page()
    login(page, base, user.email)
    assert page.url == f"{base}/distributor/"

    # when they upload the file
    page.goto(f"{base}/distributor/uploads/")
    page.set_input_files("input[type=file]", str(path))
    page.click("[data-testid=upload]")

    # then the worker reads it and the page shows the matched columns and the first rows
    page.locator("[data-testid=mapping-form]").wait_for(timeout=60_000)
    assert page.locator("[data-testid=map-2]").input_value() == "business_number"
    assert page.locator("[data-testid=mapping-preview] tbody tr").count() >= 10
    screenshots(page, "upload-columns-phone")

    # when they confirm the columns
    page.click("[data-testid=confirm-columns]")

    # then a progress bar follows the import to the end
    page.locator("[data-testid=upload-progress]").wait_for(timeout=30_000)
    assert page.locator("[role=progressbar]").is_visible()
    screenshots(page, "upload-progress-phone")
    page.locator("[data-testid=upload-result]").wait_for(timeout=120_000)
    assert page.locator("[data-testid=created]").inner_text() == f"{ROWS:,}"
    assert page.locator("[data-testid=rejected]").inner_text() == str(len(BAD_ROWS))
    screenshots(page, "upload-result-phone")
    upload = DealerListUpload.objects.get(distributor=distributor)
    assert upload.status == UploadStatus.DONE
    assert Organization.objects.filter(kind=OrgKind.DEALER).count() == ROWS
    assert DealerListPreset.objects.filter(distributor=distributor).exists()

    # and the rejected rows download as a spreadsheet of the file's own rows plus the reason
    with page.expect_download() as info:
        page.click("[data-testid=download-rejected]")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][0] == "상호명" and lines[0][-1] == "오류"
    assert [(line[0] or "", line[2]) for line in lines[1:]] == BAD_ROWS
    assert all(line[-1] for line in lines[1:])
    phone.close()
