"""HQ's catalogue and price lists by spreadsheet, read with the dealer-list import's reader (CSV in any Korean
encoding, XLSX, XLS). A file is taken whole or not at all: every bad row is reported (row, column, what to fix)
and nothing is written until there are none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import PriceAudience, PriceList, Product, ProductKind, ProductStatus
from partners.importing.columns import header_key
from partners.importing.normalise import cell_to_text, clean_text, is_blank_row
from partners.importing.reader import read_source
from partners.importing.result import UnreadableFile
from partners.models import ProductLine
from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.money import parse_amount
from purchasing import permissions

MAX_ROWS = 20_000

# header words (as header_key leaves them) for each column; anything else becomes a specification
PRODUCT_COLUMNS: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "품번", "제품코드", "모델코드", "모델번호", "code"),
    "name_ko": ("제품명", "품명", "이름", "상품명", "namekorean", "namekr", "nameko"),
    "name_en": ("영문명", "영문제품명", "name", "nameenglish", "nameen", "englishname"),
    "kind": ("구분", "종류", "kind", "type"),
    "line": ("제품군", "productline", "line", "category", "분류"),
    "status": ("상태", "status"),
    "unit": ("단위", "unit"),
    "description": ("설명", "description", "비고"),
}
PRICE_COLUMNS: dict[str, tuple[str, ...]] = {"sku": PRODUCT_COLUMNS["sku"],
                                             "price": ("가격", "단가", "price", "amount", "공급가", "금액")}
KINDS = {"product": ProductKind.PRODUCT, "제품": ProductKind.PRODUCT, "상품": ProductKind.PRODUCT,
         "sparepart": ProductKind.SPARE_PART, "part": ProductKind.SPARE_PART, "부품": ProductKind.SPARE_PART}
STATUSES = {"new": ProductStatus.NEW, "신제품": ProductStatus.NEW, "active": ProductStatus.ACTIVE,
            "available": ProductStatus.ACTIVE, "판매중": ProductStatus.ACTIVE, "정상": ProductStatus.ACTIVE,
            "discontinued": ProductStatus.DISCONTINUED, "단종": ProductStatus.DISCONTINUED}


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"row", "column", "reason"}

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(data: bytes, columns: dict[str, tuple[str, ...]], report: Report,
              required: tuple[str, ...]) -> tuple[list[str], list[tuple[int, dict[str, str], dict[str, str]]]]:
    """(header texts, [(row number, known columns, other columns)]) from the file's first non-empty sheet, or
    the problem in ``report`` (unreadable file, a required column missing, too many rows)."""
    try:
        source = read_source(data)
    except UnreadableFile as exc:
        report.errors.append({"row": 0, "column": "", "reason": _(exc.message)})
        return [], []
    table = next((t for t in source.tables if not t.hidden and any(not is_blank_row(r) for r in t.rows)), None)
    if table is None:
        report.errors.append({"row": 0, "column": "", "reason": _("The file has no rows.")})
        return [], []
    start = next(i for i, r in enumerate(table.rows) if not is_blank_row(r))
    headers = [clean_text(cell) for cell in table.rows[start]]
    known: dict[int, str] = {}
    for index, text in enumerate(headers):
        key = header_key(text)
        name = next((name for name, words in columns.items() if key in words), None)
        if name and name not in known.values():
            known[index] = name
    missing = [name for name in required if name not in known.values()]
    if missing:
        report.errors.append({"row": start + 1, "column": ", ".join(missing), "reason": _(
            "The header row needs these columns: %(names)s.") % {"names": ", ".join(missing)}})
        return headers, []
    rows = []
    for number, cells in enumerate(table.rows[start + 1:], start=start + 2):
        if is_blank_row(cells):
            continue
        values = {name: clean_text(cells[i]) if i < len(cells) else "" for i, name in known.items()}
        extra = {headers[i]: cell_to_text(cells[i]).strip() for i in range(min(len(cells), len(headers)))
                 if i not in known and headers[i] and cell_to_text(cells[i]).strip()}
        rows.append((number, values, extra))
    if len(rows) > MAX_ROWS:
        report.errors.append({"row": 0, "column": "", "reason": _("A file holds %(most)s rows at most.")
                              % {"most": f"{MAX_ROWS:,}"}})
        return headers, []
    return headers, rows


def catalogue_import(*, actor: Actor, data: bytes) -> Report:
    """Products and spare parts by SKU: new SKUs are added, known ones updated (columns the file has no value
    for are left as they are). Columns that are not product fields become its specifications."""
    permissions.require(actor, "catalogue.manage")
    report = Report()
    _headers, rows = read_rows(data, PRODUCT_COLUMNS, report, ("sku", "name_ko", "line"))
    lines: dict[str, ProductLine] = {}
    for each in ProductLine.objects.all():
        for key in (each.code, each.name, each.name_en):
            if key:
                lines[header_key(key)] = each
    seen: dict[str, int] = {}
    products: list[Product] = []
    for number, values, extra in rows:
        sku = values.get("sku", "").strip().upper()
        problems = []
        if not sku or len(sku) > 40:
            problems.append(("sku", _("Enter the SKU (40 characters at most).")))
        elif sku in seen:
            problems.append(("sku", _("This SKU is already on row %(row)s.") % {"row": seen[sku]}))
        line = lines.get(header_key(values.get("line", "")))
        if line is None:
            problems.append(("line", _("“%(value)s” is not a product line; use one of: %(lines)s.")
                             % {"value": values.get("line", "")[:40],
                                "lines": ", ".join(sorted({pl.code for pl in lines.values()}))}))
        if not values.get("name_ko"):
            problems.append(("name_ko", _("Enter the product's Korean name.")))
        kind = KINDS.get(header_key(values.get("kind", "")) or "product")
        if kind is None:
            problems.append(("kind", _("Write “product” or “spare part” (제품 / 부품).")))
        status = STATUSES.get(header_key(values.get("status", "")) or "active")
        if status is None:
            problems.append(("status", _("Write new, active or discontinued (신제품 / 판매중 / 단종).")))
        for column, reason in problems:
            report.errors.append({"row": number, "column": column, "reason": reason})
        if problems or kind is None or status is None or line is None:
            continue
        seen[sku] = number
        products.append(Product(sku=sku, product_line=line, kind=kind, status=status,
                                name_ko=values["name_ko"][:200], name_en=values.get("name_en", "")[:200],
                                unit=(values.get("unit") or "EA")[:10], description=values.get("description", ""),
                                specs={k[:60]: v[:200] for k, v in extra.items()}))
    report.rows = len(rows)
    if report.errors or not products:
        if not report.errors:
            report.errors.append({"row": 0, "column": "", "reason": _("The file has no product rows.")})
        return report
    with transaction.atomic():
        existing = set(Product.objects.filter(sku__in=seen).values_list("sku", flat=True))
        Product.objects.bulk_create(products, update_conflicts=True, unique_fields=["sku"], update_fields=[
            "product_line", "kind", "status", "name_ko", "name_en", "unit", "description", "specs", "updated_at"])
        report.created, report.updated = len(products) - len(existing), len(existing)
        audit(actor=actor, action="catalogue.import", obj=products[0], created=report.created,
              updated=report.updated)
    return report


def price_list_import(*, actor: Actor, data: bytes, name: str, audience: str, valid_from: dt.date,
                      valid_until: dt.date | None = None, tier: str = "", is_promotion: bool = False,
                      campaign: str = "") -> tuple[Report, PriceList | None]:
    """A new price list from a file of SKU and price; made only when every row is right."""
    from catalog.services import price_list_create

    permissions.require(actor, "catalogue.manage")
    report = Report()
    if audience not in PriceAudience.values:
        report.errors.append({"row": 0, "column": "audience", "reason": _("Choose dealers or distributors.")})
        return report, None
    _headers, rows = read_rows(data, PRICE_COLUMNS, report, ("sku", "price"))
    products = {p.sku.upper(): p for p in Product.objects.filter(sku__in=[v.get("sku", "").strip().upper()
                                                                          for _n, v, _e in rows])}
    prices: dict[Product, Decimal] = {}
    seen: dict[str, int] = {}
    for number, values, _extra in rows:
        sku = values.get("sku", "").strip().upper()
        product = products.get(sku)
        if product is None:
            report.errors.append({"row": number, "column": "sku", "reason": _("“%(sku)s” is not in the catalogue.")
                                  % {"sku": sku[:40]}})
            continue
        if sku in seen:
            report.errors.append({"row": number, "column": "sku", "reason": _("This SKU is already on row %(row)s.")
                                  % {"row": seen[sku]}})
            continue
        amount = parse_amount(values.get("price", ""))
        if amount is None:
            report.errors.append({"row": number, "column": "price", "reason": _(
                "“%(value)s” is not a price: write an amount of 0 or more, at most two decimals.")
                % {"value": values.get("price", "")[:30]}})
            continue
        seen[sku] = number
        prices[product] = amount
    report.rows = len(rows)
    if not report.errors and not prices:
        report.errors.append({"row": 0, "column": "", "reason": _("The file has no price rows.")})
    if report.errors:
        return report, None
    price_list = price_list_create(actor=actor, name=name, audience=audience, valid_from=valid_from,
                                   valid_until=valid_until, tier=tier, is_promotion=is_promotion, campaign=campaign,
                                   prices=dict(prices))
    report.created = len(prices)
    return report, price_list
