"""Announcements for the tests, written and published through the services as HQ or a distributor would."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from announcements import services
from announcements.models import Announcement
from partners.models import Membership
from prm.accounts.models import User
from prm.core.actor import Actor

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def actor(user: User) -> Actor:
    """A fresh actor (never the one cached on the user): a test may have changed the organisation since."""
    return Actor.from_membership(Membership.objects.select_related("organization", "user").get(user=user))


def pdf(name: str = "가격표.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def xlsx(name: str = "price-sheet.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["SKU", "가격"])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(),
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def announcement(author: User, *, title: str = "신제품 안내", publish: bool = True, files: Sequence[Any] = (),
                 lines: Sequence[Any] = (), **fields: Any) -> Announcement:
    """An announcement written by ``author`` (HQ's or a distributor's person), published unless told."""
    writer = actor(author)
    made = services.announcement_save(actor=writer, title=title, body=fields.pop("body", "본문"), files=files,
                                      product_lines=lines, **fields)
    if publish:
        made = services.announcement_publish(actor=writer, announcement=made)
    return made


def read(user: User, item: Announcement) -> bool:
    return services.announcement_mark_read(actor=actor(user), announcement=item)
