"""Campaigns, plans and the sales they are measured on, for the campaign tests: written through the services as
HQ and the partners would, except the purchases and won orders (other apps' rows, made directly)."""

from __future__ import annotations

import datetime as dt
import itertools
import struct
import zlib
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.models import Campaign, FundClaim, FundPlan
from campaigns.services import campaigns as campaign_services
from campaigns.services import funds as fund_services
from catalog.models import Product
from orders.models import CustomerOrder
from partners.models import Membership, Organization, ProductLine
from prm.accounts.models import User
from prm.core.actor import Actor
from purchasing.models import PurchaseLine, PurchaseOrder
from tests import factories

_numbers = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png() -> bytes:
    """A real one-pixel PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def pdf(name: str = "brochure.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def actor(user: User) -> Actor:
    """A fresh actor (never the one cached on the user): a test may have changed the organisation since."""
    return Actor.from_membership(Membership.objects.select_related("organization", "user").get(user=user))


def today() -> dt.date:
    return timezone.localdate()


def product(sku: str, *, line: ProductLine | None = None, name: str = "") -> Product:
    line = line or factories.product_line()
    made, _ = Product.objects.get_or_create(sku=sku, defaults={"product_line": line, "name_ko": name or f"{sku} 모델",
                                                               "name_en": name or f"{sku} model"})
    return made


def campaign(hq_user: User, *, title: str = "여름 에어컨 캠페인", publish: bool = True, products: Any = (),
             starts_in: int = 0, days: int = 30, **kwargs: Any) -> Campaign:
    """A campaign starting ``starts_in`` days from today and lasting ``days`` days."""
    start = today() + dt.timedelta(days=starts_in)
    kwargs.setdefault("budget", "10,000,000")
    made = campaign_services.campaign_save(actor=actor(hq_user), title=title, offer="대당 5만원 추가 할인",
                                           products=products, starts_on=start,
                                           ends_on=start + dt.timedelta(days=days - 1), **kwargs)
    if publish:
        made = campaign_services.campaign_publish(actor=actor(hq_user), campaign=made)
    return made


def join(user: User, made: Campaign) -> Any:
    return campaign_services.participation_join(actor=actor(user), campaign=made)


def purchase(buyer: Organization, supplier: Organization, lines: list[tuple[Product, int, int]], *,
             status: str = "delivered", placed_at: dt.datetime | None = None) -> PurchaseOrder:
    """A purchase order with (product, quantity, unit price) lines."""
    total = sum(Decimal(q * p) for _product, q, p in lines)
    order = PurchaseOrder.objects.create(buyer=buyer, supplier=supplier, status=status, total=total,
                                         number=f"CP{next(_numbers):07d}", terms="credit",
                                         placed_at=placed_at or timezone.now())
    for item, quantity, price in lines:
        PurchaseLine.objects.create(order=order, product=item, quantity=quantity, unit_price=Decimal(price),
                                    line_total=Decimal(price * quantity))
    return order


def won(dealer: Organization, value: int, *, at: dt.datetime | None = None, line: ProductLine | None = None,
        stage: str = "won") -> CustomerOrder:
    return CustomerOrder.objects.create(
        number=f"CW{next(_numbers):08d}", customer_name="김고객", address="서울특별시 중구 세종대로 1",
        product_line=line or factories.product_line(), status="accepted", dealer=dealer, stage=stage,
        stage_changed_at=at or timezone.now(), won_value=value if stage == "won" else None)


def plan(user: User, *, amount: str = "3,000,000", starts_in: int = 1, days: int = 10, made_for: Campaign | None = None,
         title: str = "지역 신문 광고", **kwargs: Any) -> FundPlan:
    start = today() + dt.timedelta(days=starts_in)
    return fund_services.plan_propose(actor=actor(user), kind=kwargs.pop("kind", "advertising"), title=title,
                                      description="부산 지역 신문 4회 광고", starts_on=start,
                                      ends_on=start + dt.timedelta(days=days - 1), requested_amount=amount,
                                      campaign=made_for, **kwargs)


def approved_plan(user: User, hq_user: User, *, asked: str = "3,000,000", approve: str = "2,000,000",
                  **kwargs: Any) -> FundPlan:
    made = plan(user, amount=asked, **kwargs)
    return fund_services.plan_approve(actor=actor(hq_user), plan=made, approved_amount=approve)


def activity_over(made: FundPlan, *, days_ago: int = 1) -> FundPlan:
    """Move the plan's activity into the past (it ended ``days_ago`` days ago), keeping its claim deadline ahead
    unless that was set."""
    length = made.ends_on - made.starts_on
    end = today() - dt.timedelta(days=days_ago)
    FundPlan.objects.filter(pk=made.pk).update(starts_on=end - length, ends_on=end)
    made.refresh_from_db()
    return made


def claim(user: User, made: FundPlan, amount: str, *, figures: str = "광고 4회, 문의 30건, 판매 8대",
          files: Any = ()) -> FundClaim:
    return fund_services.claim_submit(actor=actor(user), plan=made, amount_claimed=amount, figures=figures,
                                      files=files)
