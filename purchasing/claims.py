"""Returns and warranty claims on shipped goods: the buyer opens one with a reason and photos; the supplier
decides. An approved return is credited (a credit note on the account) and goes back to the supplier's stock."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalog.models import StockLevel
from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.errors import ServiceError
from prm.core.files import head_of, image_kind
from purchasing import permissions
from purchasing.models import (
    AccountEntry,
    Claim,
    ClaimKind,
    ClaimPhoto,
    ClaimStatus,
    EntryKind,
    PurchaseLine,
)
from purchasing.services import notify_party

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 8 * 1024 * 1024
@transaction.atomic
def claim_open(*, actor: Actor, line: PurchaseLine, kind: str, quantity: int, reason: str,
               photos: list[Any] | None = None) -> Claim:
    permissions.require(actor, "purchase.order")
    line = PurchaseLine.objects.select_for_update().select_related("order", "product").get(pk=line.pk)
    if line.order.buyer_id != actor.organization_id:
        raise ServiceError(_("Only the buyer of this order can open a claim on it."))
    errors: dict[str, str] = {}
    if kind not in ClaimKind.values:
        errors["kind"] = _("Choose a return or a warranty claim.")
    claimed = line.claims.exclude(status=ClaimStatus.REJECTED).aggregate(
        n=Coalesce(Sum("quantity"), 0))["n"]
    left = line.shipped - claimed
    if quantity < 1 or quantity > left:
        errors["quantity"] = (_("Enter between 1 and %(left)s (shipped and not yet claimed).") % {"left": left}
                              if left > 0 else _("Nothing shipped on this line is left to claim."))
    reason = reason.strip()
    if not reason:
        errors["reason"] = _("Say what is wrong.")
    photos = photos or []
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("Attach %(most)s photos at most.") % {"most": MAX_PHOTOS}
    for index, photo in enumerate(photos, start=1):
        photo_kind = image_kind(head_of(photo))
        if (photo.size or 0) > MAX_PHOTO_BYTES or photo_kind is None:
            errors["photos"] = _("“%(name)s” is not a photo (JPEG, PNG, WebP or HEIC up to 8 MB).") % {
                "name": str(photo.name)[:60]}
            break
        photo.name = f"photo-{index}.{photo_kind}"  # stored under a name we chose, by what it is
    if errors:
        raise ValidationError(errors)
    claim = Claim.objects.create(line=line, kind=kind, quantity=quantity, reason=reason[:1000],
                                 created_by=actor.user)
    for photo in photos:
        ClaimPhoto.objects.create(claim=claim, file=photo)
    audit(actor=actor, action="claim.open", obj=claim, order=line.order_id, quantity=quantity, kind=kind)
    notify_party(line.order, kind="purchase.claim", to_supplier=True,
                 message=gettext_noop("%(buyer)s opened a claim on order %(number)s."))
    return claim


@transaction.atomic
def claim_decide(*, actor: Actor, claim: Claim, approve: bool, note: str = "") -> Claim:
    permissions.require(actor, "sales.fulfil")
    claim = Claim.objects.select_for_update().select_related("line__order", "line__product").get(pk=claim.pk)
    if approve and claim.kind == ClaimKind.RETURN:
        permissions.require(actor, "payment.record")  # a credit note and stock back: an admin's decision
    order = claim.line.order
    if order.supplier_id != actor.organization_id:
        raise ServiceError(_("Only the supplier of this order can decide the claim."))
    if claim.status != ClaimStatus.OPEN:
        raise ServiceError(_("This claim was already decided."))
    note = note.strip()[:500]
    if not approve and not note:
        raise ValidationError({"note": _("Say why the claim is rejected.")})
    claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    claim.decision_note, claim.decided_by, claim.decided_at = note, actor.user, timezone.now()
    claim.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    if approve and claim.kind == ClaimKind.RETURN:
        credit = claim.line.unit_price * claim.quantity
        if credit > 0:  # a free part comes back without a credit note
            AccountEntry.objects.create(buyer=order.buyer, supplier=order.supplier, kind=EntryKind.CREDIT_NOTE,
                                        amount=-credit, order=order, reference=f"{order.number}/C{claim.pk}",
                                        created_by=actor.user)
        level, _created = StockLevel.objects.get_or_create(holder_id=order.supplier_id, product=claim.line.product)
        StockLevel.objects.filter(pk=level.pk).update(on_hand=F("on_hand") + claim.quantity)
    audit(actor=actor, action="claim.approve" if approve else "claim.reject", obj=claim, note=note)
    notify_party(order, kind="purchase.claim", message=gettext_noop("Your claim on order %(number)s was decided."))
    return claim
