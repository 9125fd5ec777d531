"""The demo's announcements and documents (invented, like everything in the demo): HQ's news, a mandatory price
change with its price sheet for Gold dealers, a bid for distributors, a brochure and a manual in the library, one
scheduled for later, and the Seoul distributor's notice to its own dealers. Written and published through the
services, so partners are told through the notices like any other."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from announcements.models import Announcement


def pdf_bytes(lines: list[str]) -> bytes:
    """A small valid one-page PDF showing ``lines`` (ASCII) in Helvetica."""
    text = "BT /F1 14 Tf 56 780 Td 18 TL " + " ".join(
        "({}) '".format(line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")) for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text.encode("ascii") + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _pdf(name: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(lines), "application/pdf")


def _price_sheet() -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "7월 단가"
    sheet.append(["SKU", "제품", "현재 딜러가 (원)", "7월 1일부터 (원)"])
    for row in (["AC-Q9-18", "인버터 에어컨 Q9 18평", 1_890_000, 1_950_000],
                ["AC-Q9-24", "인버터 에어컨 Q9 24평", 2_290_000, 2_360_000],
                ["AP-P5", "공기청정기 P5", 420_000, 430_000]):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("2027년 7월 딜러 단가표.xlsx", buffer.getvalue(),
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def seed_demo(*, stdout: Any = None, distributor_number: str = "") -> int:
    """Write and publish the demo's announcements once (a second run changes nothing); the distributor with the
    business number ``distributor_number`` posts to its dealers. Returns how many were published."""
    from announcements import services
    from partners.choices import OrgKind, Role
    from partners.models import Membership, SupplyLink
    from prm.core.actor import Actor

    if Announcement.objects.exists():
        return 0
    hq_member = (Membership.objects.select_related("organization", "user")
                 .filter(role=Role.HQ_ADMIN, is_active=True, organization__kind=OrgKind.HQ).order_by("pk").first())
    if hq_member is None:
        return 0
    hq = Actor.from_membership(hq_member)
    now = timezone.now()
    made = []

    def post(writer: Actor, **fields: Any) -> None:
        item = services.announcement_save(actor=writer, **fields)
        try:
            made.append(services.announcement_publish(actor=writer, announcement=item))
        except ValidationError as exc:  # e.g. a network without the partners it is for: kept as a draft
            if stdout is not None:
                stdout.write(f"Announcement '{item.title}' kept as a draft: {' '.join(exc.messages)}")

    post(hq, kind="new_product", title="2027 상반기 신제품: 인버터 에어컨 Q9 출시",
         body="전력 소비를 30% 줄인 인버터 에어컨 Q9를 3월부터 공급합니다.\n\n"
              "제품 사양과 판매 포인트는 첨부 브로슈어를 보세요. 시연 일정은 담당 채널 매니저에게 문의하세요.",
         files=[_pdf("Q9 브로슈어.pdf", ["Demo Electronics", "Q9 inverter air conditioner", "",
                                       "Invented brochure for the demo tenant."])],
         file_category="brochure")
    post(hq, kind="price_change", title="7월 1일 딜러 단가 조정 (필독)", mandatory=True, kinds=["dealer"],
         body="원자재 가격 상승으로 7월 1일 주문분부터 일부 제품의 딜러 단가가 조정됩니다.\n"
              "조정 전 주문은 현재 단가로 처리됩니다.\n\n첨부 단가표를 확인하고 이 공지를 열어 확인해 주세요.",
         files=[_price_sheet()], file_category="price_sheet")
    post(hq, kind="bid", title="교육청 공기청정기 조달 입찰 참여 대리점 모집", kinds=["distributor"],
         body="수도권 교육청 공기청정기 조달 입찰에 함께할 대리점을 모집합니다.\n마감: 공고일로부터 2주.")
    post(hq, kind="document", title="설치 매뉴얼 모음", kinds=["dealer"],
         body="설치 기사용 매뉴얼입니다. 문서 자료실에서도 언제든 받을 수 있습니다.",
         files=[_pdf("Q9 설치 매뉴얼.pdf", ["Demo Electronics", "Q9 installation manual", "",
                                         "1. Check the wall bracket.", "2. Connect the pipes."])],
         file_category="manual")
    post(hq, kind="policy", title="하반기 딜러 인센티브 정책 (예고)", publish_at=now + dt.timedelta(days=3),
         body="하반기 인센티브 정책을 사흘 뒤 공개합니다.")
    distributor = (Membership.objects.select_related("organization", "user")
                   .filter(role=Role.DISTRIBUTOR_ADMIN, is_active=True, organization__kind=OrgKind.DISTRIBUTOR,
                           organization__business_number=distributor_number.replace("-", ""),
                           organization__in=SupplyLink.objects.filter(is_approved=True).values("distributor_id"))
                   .order_by("pk").first())
    if distributor is not None:
        post(Actor.from_membership(distributor), kind="general",
             title=f"{distributor.organization.name} 추석 연휴 배송 일정 안내",
             body="연휴 전 마지막 출고는 연휴 이틀 전 오후 3시 주문분까지입니다.")
    if stdout is not None:
        stdout.write(f"Announcements: {len(made)} posted (one scheduled), "
                     f"{sum(a.files.count() for a in made)} files in the document library")
    return len(made)
