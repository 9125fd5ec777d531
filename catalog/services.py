"""Writing the catalogue: products, price lists and prices (HQ), and stock (each holder its own)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from catalog.models import Price, PriceList, Product, StockLevel
from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.errors import ServiceError
from prm.core.files import document_kind, head_of, image_kind
from purchasing import permissions


def _whole(value: Any, field: str, *, most: int = 10_000_000) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError({field: _("Enter a whole number.")}) from None
    if number < 0 or number > most:
        raise ValidationError({field: _("Enter a number between 0 and %(most)s.") % {"most": f"{most:,}"}})
    return number


@transaction.atomic
def stock_set(*, actor: Actor, level: StockLevel, on_hand: Any, low_at: Any, expected_on: Any = "",
              expected_quantity: Any = "") -> StockLevel:
    """The holder counts its stock. On hand can't go below what placed orders have reserved."""
    permissions.require(actor, "stock.manage")
    level = StockLevel.objects.select_for_update().get(pk=level.pk)
    if level.holder_id != actor.organization_id:
        raise ServiceError(_("You can change only your own stock."))
    count = _whole(on_hand, "on_hand")
    if count < level.reserved:
        raise ValidationError({"on_hand": _("%(reserved)s are reserved for placed orders: on hand can't be less.")
                               % {"reserved": level.reserved}})
    expected = None
    if str(expected_on or "").strip():
        try:
            expected = dt.date.fromisoformat(str(expected_on).strip())
        except ValueError:
            raise ValidationError({"expected_on": _("Enter the expected date as YYYY-MM-DD.")}) from None
    before = (level.on_hand, level.low_at, level.expected_on)
    level.on_hand = count
    level.low_at = _whole(low_at, "low_at") if str(low_at).strip() else level.low_at
    level.expected_on = expected
    level.expected_quantity = _whole(expected_quantity, "expected_quantity") if str(
        expected_quantity or "").strip() else 0
    level.save()
    audit(actor=actor, action="stock.set", obj=level, product=level.product_id,
          before=[before[0], before[1], str(before[2] or "")], after=[level.on_hand, level.low_at, str(expected or "")])
    return level


@transaction.atomic
def stock_receive(*, actor: Actor, holder_id: int, product: Product, quantity: int) -> StockLevel:
    """Goods arrived at the holder: on hand goes up (the row is made on first receipt)."""
    permissions.require(actor, "stock.manage")
    if holder_id != actor.organization_id:
        raise ServiceError(_("You can change only your own stock."))
    if quantity < 1 or quantity > 10_000_000:
        raise ValidationError({"quantity": _("Enter a quantity between 1 and 10,000,000.")})
    level, _created = StockLevel.objects.get_or_create(holder_id=holder_id, product=product)
    if level.on_hand + quantity > 2_000_000_000:
        raise ValidationError({"quantity": _("That would be more stock than can be recorded; check the count.")})
    StockLevel.objects.filter(pk=level.pk).update(on_hand=F("on_hand") + quantity)
    level.refresh_from_db()
    audit(actor=actor, action="stock.receive", obj=level, quantity=quantity)
    return level


@transaction.atomic
def price_list_create(*, actor: Actor, name: str, audience: str, valid_from: dt.date,
                      valid_until: dt.date | None = None, tier: str = "", is_promotion: bool = False,
                      campaign: str = "", prices: dict[Product, Any] | None = None) -> PriceList:
    """A new price list with its prices (amounts as text or Decimal, exact: never through a float)."""
    permissions.require(actor, "catalogue.manage")
    from django.db import connection

    price_list = PriceList(name=name.strip()[:120], audience=audience, tier=tier.strip()[:30],
                           is_promotion=is_promotion, campaign=campaign.strip()[:120], valid_from=valid_from,
                           valid_until=valid_until, created_by=actor.user,
                           currency=getattr(getattr(connection, "tenant", None), "currency", "KRW"))
    price_list.full_clean()
    price_list.save()
    rows = []
    for product, amount in (prices or {}).items():
        rows.append(Price(price_list=price_list, product=product, amount=_amount(amount, product.sku)))
    Price.objects.bulk_create(rows)
    audit(actor=actor, action="price_list.create", obj=price_list, prices=len(rows), audience=audience, tier=tier,
          valid_from=str(valid_from), valid_until=str(valid_until or ""))
    return price_list


def _amount(value: Any, sku: str) -> Decimal:
    from prm.core.money import parse_amount

    if isinstance(value, float):
        raise ValidationError({"amount": _("%(sku)s: prices are exact amounts, not floating-point numbers.")
                               % {"sku": sku}})
    amount = parse_amount(value)
    if amount is None:
        raise ValidationError({"amount": _("%(sku)s: enter an amount of 0 or more with at most two decimals.")
                               % {"sku": sku}})
    return amount


MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
def _file_stem(sku: str) -> str:
    """A SKU as a file name: letters, digits and dashes only (a SKU may hold a slash or dots)."""
    return re.sub(r"[^a-z0-9]+", "-", sku.lower()).strip("-")[:40] or "product"


@transaction.atomic
def product_attach(*, actor: Actor, product: Product, image: Any = None, document: Any = None,
                   title: str = "") -> Product:
    """HQ adds a product photo (JPEG, PNG, WebP, GIF) or a document (PDF or Office file)."""
    from catalog.models import ProductDocument

    permissions.require(actor, "catalogue.manage")
    if image is not None:
        kind = image_kind(head_of(image))
        if (image.size or 0) > MAX_IMAGE_BYTES or kind is None:
            raise ValidationError({"image": _("Choose a JPEG, PNG, WebP or GIF photo of 5 MB at most.")})
        image.name = f"{_file_stem(product.sku)}.{kind}"
        product.image = image
        product.save(update_fields=["image", "updated_at"])
        audit(actor=actor, action="product.image", obj=product)
    if document is not None:
        kind = document_kind(head_of(document), document.name)
        if (document.size or 0) > MAX_DOCUMENT_BYTES or kind is None:
            raise ValidationError({"document": _("Choose a PDF or Office file of 20 MB at most.")})
        if not title.strip():
            raise ValidationError({"title": _("Give the document a title.")})
        document.name = f"{_file_stem(product.sku)}.{kind}"
        ProductDocument.objects.create(product=product, title=title.strip()[:200], file=document)
        audit(actor=actor, action="product.document", obj=product, title=title.strip()[:200])
    return product


PRODUCT_FIELDS = ("sku", "kind", "product_line", "name_ko", "name_en", "description", "status", "unit")


@transaction.atomic
def product_save(*, actor: Actor, product: Product | None = None, **values: Any) -> Product:
    """HQ adds a product or changes one (audited with what changed). The SKU is upper-cased and unique."""
    permissions.require(actor, "catalogue.manage")
    unknown = set(values) - set(PRODUCT_FIELDS) - {"specs"}
    if unknown:
        raise ServiceError(_("Unknown product field(s): %(names)s.") % {"names": ", ".join(sorted(unknown))})
    creating = product is None
    product = product or Product()
    before = {name: str(getattr(product, name, "")) for name in PRODUCT_FIELDS} if not creating else {}
    for name, value in values.items():
        setattr(product, name, value.strip().upper() if name == "sku" else value)
    product.full_clean()
    product.save()
    after = {name: str(getattr(product, name, "")) for name in PRODUCT_FIELDS}
    audit(actor=actor, action="product.create" if creating else "product.update", obj=product,
          changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v})
    return product
