"""Payments a supplier received, imported from its bank's or ERP's spreadsheet: one row per payment with the
buyer's business number, the amount and a reference. All rows or none; each problem named by row and column."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.importing import Report, read_rows
from partners.importing.normalise import clean_business_number
from partners.models import Organization, SupplyLink
from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.money import parse_amount
from prm.core.roles import OrgKind
from purchasing import permissions
from purchasing.models import AccountEntry, EntryKind

PAYMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "business_number": ("사업자번호", "사업자등록번호", "businessnumber", "brn", "taxid"),
    "amount": ("금액", "입금액", "amount", "payment", "received"),
    "reference": ("적요", "참조", "reference", "memo", "비고"),
}


def payments_import(*, actor: Actor, data: bytes) -> Report:
    permissions.require(actor, "payment.record")
    report = Report()
    _headers, rows = read_rows(data, PAYMENT_COLUMNS, report, ("business_number", "amount"))
    supplier = actor.organization
    if supplier is None:
        return report
    buyers = Organization.objects.filter(kind__in=[OrgKind.DEALER, OrgKind.DISTRIBUTOR])
    if not actor.is_hq:  # a distributor records payments from its own dealers only
        buyers = buyers.filter(pk__in=SupplyLink.objects.filter(distributor=supplier, is_approved=True)
                               .values("dealer_id"))
    numbers = {}
    for number, values, _extra in rows:
        text, problem = clean_business_number(values.get("business_number", ""))
        numbers[number] = text if not problem else ""
    known = {o.business_number: o for o in buyers.filter(business_number__in=[n for n in numbers.values() if n])}
    entries = []
    for number, values, _extra in rows:
        buyer = known.get(numbers[number])
        if buyer is None:
            report.errors.append({"row": number, "column": "business_number", "reason": _(
                "“%(value)s” is not a partner you supply.") % {"value": values.get("business_number", "")[:20]}})
        amount = parse_amount(values.get("amount", ""), allow_zero=False)
        if amount is None:
            report.errors.append({"row": number, "column": "amount", "reason": _(
                "“%(value)s” is not an amount received: more than zero, at most two decimals.")
                % {"value": values.get("amount", "")[:30]}})
            continue
        if buyer is not None:
            entries.append(AccountEntry(buyer=buyer, supplier=supplier, kind=EntryKind.PAYMENT, amount=-amount,
                                        reference=values.get("reference", "")[:120], created_by=actor.user))
    report.rows = len(rows)
    if not report.errors and not entries:
        report.errors.append({"row": 0, "column": "", "reason": _("The file has no payment rows.")})
    if report.errors:
        return report
    with transaction.atomic():
        AccountEntry.objects.bulk_create(entries)
        report.created = len(entries)
        audit(actor=actor, action="payment.import", obj=supplier, payments=len(entries),
              total=str(sum((-e.amount for e in entries), Decimal(0))))
    return report
