"""HQ's catalogue and price lists by spreadsheet: Korean CSV or XLSX, all rows or none, every bad row named."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from catalog.importing import catalogue_import, price_list_import
from catalog.models import PriceList, Product
from catalog.selectors import prices_for
from partners.choices import OrgKind, Role
from prm.core.actor import actor_for
from prm.core.errors import NotAllowed
from tests import factories
from tests.conftest import tenant_client


@pytest.fixture
def hq(acme):
    factories.product_line("aircon", "에어컨")
    factories.product_line("tv", "TV")
    return actor_for(factories.member(factories.organization(OrgKind.HQ, "본사"), Role.HQ_ADMIN))


def _csv(text: str, encoding: str = "cp949") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


def test_products_come_from_a_korean_csv_and_extra_columns_become_specifications(hq):
    data = _csv("품번,제품명,영문명,제품군,구분,상태,냉방면적\n"
                "air-001,벽걸이 에어컨,Wall AC,에어컨,제품,판매중,18평\n"
                "AIR-P01,에어컨 필터,Filter,aircon,부품,,\n"
                "TV-055,55인치 TV,,tv,,신제품,\n")
    report = catalogue_import(actor=hq, data=data)
    assert report.ok and (report.created, report.updated) == (3, 0)
    wall = Product.objects.get(sku="AIR-001")
    assert wall.name_ko == "벽걸이 에어컨" and wall.specs == {"냉방면적": "18평"} and wall.status == "active"
    assert Product.objects.get(sku="AIR-P01").kind == "spare_part"
    assert Product.objects.get(sku="TV-055").status == "new"
    # the same SKU again updates it
    again = catalogue_import(actor=hq, data=_csv("품번,제품명,제품군,상태\nAIR-001,벽걸이 에어컨 2세대,에어컨,단종\n"))
    assert again.ok and (again.created, again.updated) == (0, 1)
    wall.refresh_from_db()
    assert wall.name_ko == "벽걸이 에어컨 2세대" and wall.status == "discontinued"


def test_a_file_with_bad_rows_saves_nothing_and_names_each_problem(hq):
    data = _csv("품번,제품명,제품군\nAIR-001,벽걸이,에어컨\n,이름만,에어컨\nAIR-002,,세탁기\nAIR-001,중복,에어컨\n")
    report = catalogue_import(actor=hq, data=data)
    assert not report.ok and not Product.objects.exists()
    problems = {(e["row"], e["column"]) for e in report.errors}
    assert problems == {(3, "sku"), (4, "name_ko"), (4, "line"), (5, "sku")}
    assert any("세탁기" in e["reason"] for e in report.errors)
    missing = catalogue_import(actor=hq, data=_csv("품번,이름\nA,B\n"))
    assert not missing.ok and "line" in missing.errors[0]["column"]
    assert not catalogue_import(actor=hq, data=b"\x00\x01binary").ok


def test_a_price_list_from_xlsx_is_exact_and_all_or_nothing(hq):
    line = factories.product_line("aircon", "에어컨")
    for sku in ("AIR-001", "AIR-002"):
        Product.objects.create(sku=sku, product_line=line, name_ko=sku)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["SKU", "가격"])
    sheet.append(["AIR-001", "1,234,567.89"])
    sheet.append(["AIR-002", 990000])
    buffer = io.BytesIO()
    book.save(buffer)
    report, price_list = price_list_import(actor=hq, data=buffer.getvalue(), name="대리점가", audience="dealer",
                                           valid_from=dt.date.today() - dt.timedelta(days=1))
    assert report.ok and price_list is not None and report.created == 2
    dealer = factories.organization(OrgKind.DEALER, "대리점", address="서울특별시 강남구 1")
    prices = prices_for(dealer)
    assert prices[Product.objects.get(sku="AIR-001").pk].amount == Decimal("1234567.89")
    bad = _csv("SKU,price\nAIR-001,12.345\nNOPE,100\nAIR-002,-5\n")
    report, price_list = price_list_import(actor=hq, data=bad, name="틀린 가격표", audience="dealer",
                                           valid_from=dt.date.today())
    assert price_list is None and PriceList.objects.count() == 1
    assert [(e["row"], e["column"]) for e in report.errors] == [(2, "price"), (3, "sku"), (4, "price")]


def test_only_hq_admins_manage_the_catalogue_and_the_pages_show_problems(acme, hq):
    dealer = factories.organization(OrgKind.DEALER, "대리점", address="서울특별시 강남구 1")
    dealer_user = factories.member(dealer, Role.DEALER_ADMIN)
    with pytest.raises(NotAllowed):
        catalogue_import(actor=actor_for(dealer_user), data=_csv("품번,제품명,제품군\nA,B,에어컨\n"))
    assert tenant_client(acme, dealer_user).get("/hq/catalogue/upload/").status_code == 403
    hq_client = tenant_client(acme, hq.user)
    upload = io.BytesIO(_csv("품번,제품명,제품군\nAIR-9,이름,냉장고\n"))
    upload.name = "products.csv"
    page = hq_client.post("/hq/catalogue/upload/", {"file": upload})
    assert page.status_code == 200 and 'data-testid="import-errors"' in page.content.decode()
    assert "냉장고" in page.content.decode() and not Product.objects.exists()
    prices = io.BytesIO(_csv("SKU,price\nX,1\n"))
    prices.name = "prices.csv"
    page = hq_client.post("/hq/price-lists/", {"name": "가", "audience": "dealer", "valid_from": "2027-01-01",
                                               "valid_until": "2026-01-01", "file": prices})
    assert page.status_code == 200 and "errorlist" in page.content.decode()


def test_hq_attaches_a_photo_and_a_document_and_other_files_are_refused(acme, hq):
    from django.core.files.uploadedfile import SimpleUploadedFile

    line = factories.product_line("aircon", "에어컨")
    product = Product.objects.create(sku="AIR-IMG", product_line=line, name_ko="사진 있는 에어컨")
    client = tenant_client(acme, hq.user)
    png = SimpleUploadedFile("ac.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png")
    pdf = SimpleUploadedFile("manual.pdf", b"%PDF-1.7\n" + b"x" * 32, content_type="application/pdf")
    client.post(f"/catalogue/{product.pk}/", {"image": png, "document": pdf, "title": "설치 설명서"})
    product.refresh_from_db()
    assert product.image.name.endswith(".png") and product.documents.get().title == "설치 설명서"
    page = client.get(f"/catalogue/{product.pk}/").content.decode()
    assert "설치 설명서" in page and f"/catalogue/{product.pk}/image/" in page
    served = client.get(f"/catalogue/{product.pk}/image/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    document = product.documents.get()
    download = client.get(f"/catalogue/documents/{document.pk}/")
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]
    bad = SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", content_type="image/png")
    client.post(f"/catalogue/{product.pk}/", {"image": bad})
    product.refresh_from_db()
    assert product.image.name.endswith(".png") and "evil" not in product.image.name
    dealer = factories.organization(OrgKind.DEALER, "대리점", address="서울특별시 강남구 1")
    dealer_client = tenant_client(acme, factories.member(dealer, Role.DEALER_ADMIN))
    dealer_client.post(f"/catalogue/{product.pk}/", {"title": "x", "document": SimpleUploadedFile(
        "x.pdf", b"%PDF-1.7 x")})
    assert product.documents.count() == 1


def test_hq_adds_and_changes_a_product_in_the_portal_and_bad_input_is_named(acme, hq):
    from prm.core.models import AuditEvent

    line = factories.product_line("aircon", "에어컨")
    client = tenant_client(acme, hq.user)
    form = {"sku": "air-new", "kind": "product", "product_line": line.pk, "name_ko": "신형 에어컨", "name_en": "",
            "status": "new", "unit": "EA", "description": "", "specs_text": "냉방 면적: 18평\n전원: 220V"}
    made = client.post("/hq/catalogue/new/", form)
    product = Product.objects.get(sku="AIR-NEW")
    assert made.status_code == 302 and product.specs == {"냉방 면적": "18평", "전원": "220V"}
    bad = client.post(f"/hq/catalogue/{product.pk}/edit/", {**form, "specs_text": "값만 있는 줄", "status": "x"})
    assert bad.status_code == 200 and "specs_text" in bad.content.decode() and "errorlist" in bad.content.decode()
    client.post(f"/hq/catalogue/{product.pk}/edit/", {**form, "status": "active", "name_ko": "에어컨 2세대"})
    product.refresh_from_db()
    assert product.name_ko == "에어컨 2세대" and product.status == "active"
    change = AuditEvent.objects.filter(action="product.update").latest("pk")
    assert change.data["changes"]["name_ko"] == ["신형 에어컨", "에어컨 2세대"]
    duplicate = client.post("/hq/catalogue/new/", {**form, "sku": "AIR-NEW"})
    assert duplicate.status_code == 200 and Product.objects.filter(sku="AIR-NEW").count() == 1
    dealer = factories.organization(OrgKind.DEALER, "대리점", address="서울특별시 강남구 1")
    assert tenant_client(acme, factories.member(dealer, Role.DEALER_ADMIN)).get(
        "/hq/catalogue/new/").status_code == 403


def test_a_sku_with_slashes_and_dots_still_gets_a_safe_file_name(acme, hq):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from catalog.services import product_attach

    line = factories.product_line("aircon", "에어컨")
    product = Product.objects.create(sku="../../ETC/PASSWD", product_line=line, name_ko="이상한 품번")
    png = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    product_attach(actor=hq, product=product, image=png)
    assert product.image.name.startswith("catalogue/images/etc-passwd") and ".." not in product.image.name
