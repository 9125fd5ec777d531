"""Returns and warranty claims: opened by the buyer on shipped goods with photos, decided by the supplier; an
approved return is credited and restocked."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from prm.core.errors import ServiceError
from purchasing.claims import claim_decide, claim_open
from purchasing.models import AccountEntry, Claim
from purchasing.selectors import balance_of
from purchasing.services import cart_set, order_place, order_ship
from tests.conftest import tenant_client
from tests.purchasing import shop

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def shipped(net):
    item = shop.product("AC-RET")
    shop.dealer_prices({item: "250000.50"})
    shop.stock(net.seoul_distributor, item, 10)
    shop.on_credit(net.dealer_a, 10_000_000)
    buyer = shop.actor(net.dealer_a_user)
    order = order_place(actor=buyer, cart=cart_set(actor=buyer, supplier=net.seoul_distributor, product=item,
                                                   quantity=4))
    line = order.lines.get()
    order_ship(actor=shop.actor(net.seoul_admin), order=order, quantities={line.pk: 3})
    return order, line, item


def test_an_approved_return_is_credited_and_restocked(net, shipped):
    order, line, item = shipped
    claim = claim_open(actor=shop.actor(net.dealer_a_user), line=line, kind="return", quantity=2,
                       reason="포장 파손", photos=[SimpleUploadedFile("box.png", PNG, content_type="image/png")])
    assert claim.photos.count() == 1 and claim.status == "open"
    before = balance_of(net.dealer_a)
    assert shop.stock_of(net.seoul_distributor, item).on_hand == 7
    claim_decide(actor=shop.actor(net.seoul_admin), claim=claim, approve=True, note="확인")
    credit = AccountEntry.objects.get(buyer=net.dealer_a, kind="credit_note")
    assert credit.amount == Decimal("-500001.00")
    assert balance_of(net.dealer_a) == before - Decimal("500001.00")
    assert shop.stock_of(net.seoul_distributor, item).on_hand == 9
    with pytest.raises(ServiceError):
        claim_decide(actor=shop.actor(net.seoul_admin), claim=claim, approve=False, note="again")


def test_claims_stay_within_what_was_shipped_and_photos_must_be_photos(net, shipped):
    _order, line, _item = shipped
    buyer = shop.actor(net.dealer_a_user)
    with pytest.raises(ValidationError) as too_many:
        claim_open(actor=buyer, line=line, kind="warranty", quantity=4, reason="고장")
    assert "quantity" in too_many.value.message_dict and "3" in str(too_many.value)
    with pytest.raises(ValidationError) as not_photo:
        claim_open(actor=buyer, line=line, kind="warranty", quantity=1, reason="고장",
                   photos=[SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 8)])
    assert "virus.exe" in str(not_photo.value.message_dict["photos"])
    first = claim_open(actor=buyer, line=line, kind="warranty", quantity=3, reason="소음")
    with pytest.raises(ValidationError):
        claim_open(actor=buyer, line=line, kind="return", quantity=1, reason="더")
    # a rejected claim frees its quantity again; rejecting needs a reason
    with pytest.raises(ValidationError):
        claim_decide(actor=shop.actor(net.seoul_admin), claim=first, approve=False)
    claim_decide(actor=shop.actor(net.seoul_admin), claim=first, approve=False, note="정상 작동 확인")
    assert claim_open(actor=buyer, line=line, kind="return", quantity=1, reason="다시").status == "open"
    assert not AccountEntry.objects.filter(kind="credit_note").exists()


def test_only_the_buyer_claims_and_only_the_supplier_decides(acme, net, shipped):
    order, line, _item = shipped
    with pytest.raises(ServiceError):
        claim_open(actor=shop.actor(net.dealer_b_user), line=line, kind="return", quantity=1, reason="남의 주문")
    page = tenant_client(acme, net.dealer_b_user).post(f"/purchases/{order.pk}/", {
        "action": "claim", "line": line.pk, "kind": "return", "quantity": "1", "reason": "남의 주문"})
    assert page.status_code == 404
    claim = claim_open(actor=shop.actor(net.dealer_a_user), line=line, kind="return", quantity=1, reason="파손")
    with pytest.raises(ServiceError):
        claim_decide(actor=shop.actor(net.busan_admin), claim=claim, approve=True)
    assert tenant_client(acme, net.busan_admin).post(f"/sales/{order.pk}/", {
        "action": "approve", "claim": claim.pk}).status_code == 404
    assert Claim.objects.get(pk=claim.pk).status == "open"
    # through the pages: the buyer's form, the supplier's decision
    own = tenant_client(acme, net.dealer_a_user)
    photo = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    own.post(f"/purchases/{order.pk}/", {"action": "claim", "line": line.pk, "kind": "warranty", "quantity": "1",
                                         "reason": "소음", "photos": photo})
    assert Claim.objects.filter(line=line, kind="warranty").count() == 1
    tenant_client(acme, net.seoul_admin).post(f"/sales/{order.pk}/", {"action": "approve", "claim": claim.pk})
    assert Claim.objects.get(pk=claim.pk).status == "approved"
