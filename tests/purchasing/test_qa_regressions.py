"""Regressions for what QA found in partner ordering (each test failed before its fix)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.choices import Role
from partners.models import SupplyLink
from prm.core.errors import ServiceError
from purchasing.claims import claim_decide, claim_open
from purchasing.models import AccountEntry, PurchaseLine, PurchaseStatus
from purchasing.selectors import balance_of
from purchasing.services import cart_set, exposure_of, order_place, order_record_prepayment, order_ship
from tests import factories
from tests.api.test_api import api
from tests.conftest import tenant_client
from tests.purchasing import shop

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _place(net, user, supplier, quantities):
    buyer = shop.actor(user)
    cart = None
    for item, quantity in quantities.items():
        cart = cart_set(actor=buyer, supplier=supplier, product=item, quantity=quantity)
    return order_place(actor=buyer, cart=cart)


def _no_raise(client):
    client.raise_request_exception = False
    return client


# --- money and credit -------------------------------------------------------------------------------------------


def test_a_prepaid_order_not_yet_shipped_lends_no_credit_headroom(net):
    """A prepaid order not yet shipped counts against the limit: its payment is on the balance until the goods
    are invoiced, so a second order that does not fit waits for prepayment."""
    item = shop.product("QA-CREDIT")
    shop.dealer_prices({item: "100000"})
    shop.stock(net.seoul_distributor, item, 100)
    shop.on_credit(net.dealer_a, 1_000_000)
    first = _place(net, net.dealer_a_user, net.seoul_distributor, {item: 15})  # ₩1,500,000: over the limit
    assert first.status == PurchaseStatus.AWAITING_PAYMENT
    order_record_prepayment(actor=shop.actor(net.seoul_admin), order=first)
    second = _place(net, net.dealer_a_user, net.seoul_distributor, {item: 20})  # ₩2,000,000 on a ₩1,000,000 limit
    assert second.terms == "prepayment" and second.status == PurchaseStatus.AWAITING_PAYMENT
    order_ship(actor=shop.actor(net.seoul_admin), order=first,
               quantities={line.pk: line.quantity for line in first.lines.all()})
    net.dealer_a.refresh_from_db()
    assert exposure_of(net.dealer_a).used <= net.dealer_a.credit_limit
    assert balance_of(net.dealer_a) == 0  # prepaid ₩1,500,000, invoiced ₩1,500,000


def test_a_free_part_ships_without_an_invoice(acme, net):
    """A free spare part (₩0) ships; nothing is invoiced for it (the account holds no ₩0 entries)."""
    part = shop.product("QA-FREE")
    shop.dealer_prices({part: "0"})
    shop.stock(net.seoul_distributor, part, 10)
    shop.on_credit(net.dealer_a, 1_000_000)
    order = _place(net, net.dealer_a_user, net.seoul_distributor, {part: 2})
    line = order.lines.get()
    response = _no_raise(tenant_client(acme, net.seoul_admin)).post(
        f"/sales/{order.pk}/", {"action": "ship", f"ship-{line.pk}": "2"})
    assert response.status_code == 302, f"status {response.status_code}"
    order.refresh_from_db()
    assert order.status == PurchaseStatus.SHIPPED


def test_a_free_part_comes_back_without_a_credit_note(acme, net):
    """Returning a free part is approved without a ₩0 credit note."""
    item, part = shop.product("QA-PAID"), shop.product("QA-GIFT")
    shop.dealer_prices({item: "500000", part: "0"})
    shop.stock(net.seoul_distributor, item, 10)
    shop.stock(net.seoul_distributor, part, 10)
    shop.on_credit(net.dealer_a, 10_000_000)
    order = _place(net, net.dealer_a_user, net.seoul_distributor, {item: 1, part: 1})
    order_ship(actor=shop.actor(net.seoul_admin), order=order,
               quantities={line.pk: line.quantity for line in order.lines.all()})
    free_line = order.lines.get(product=part)
    claim = claim_open(actor=shop.actor(net.dealer_a_user), line=free_line, kind="return", quantity=1,
                       reason="불량")
    response = _no_raise(tenant_client(acme, net.seoul_admin)).post(
        f"/sales/{order.pk}/", {"action": "approve", "claim": str(claim.pk), "note": "ok"})
    assert response.status_code == 302, f"status {response.status_code}"
    claim.refresh_from_db()
    assert claim.status == "approved"


def test_an_order_too_large_to_hold_is_refused_with_a_message(acme, net):
    """A line whose amount is more than an order can hold is refused with a message, not a 500."""
    item = shop.product("QA-BIG")
    shop.dealer_prices({item: "1000000000"})
    response = _no_raise(tenant_client(acme, net.dealer_a_user)).post(
        f"/catalogue/{item.pk}/", {"supplier": str(net.seoul_distributor.pk), "quantity": "100000"})
    assert response.status_code in (200, 302), f"status {response.status_code}"


# --- stock --------------------------------------------------------------------------------------------------------


def test_receiving_an_impossible_quantity_is_refused(acme, net):
    """Goods received: an impossible quantity is refused with a message."""
    item = shop.product("QA-RECV")
    response = _no_raise(tenant_client(acme, net.seoul_admin)).post(
        "/stock/", {"action": "receive", "sku": item.sku, "quantity": "3000000000"})
    assert response.status_code == 302, f"status {response.status_code}"


# --- permissions --------------------------------------------------------------------------------------------------


def test_only_admins_record_a_prepayment(net):
    """A prepayment is a payment on the buyer's account: distributor staff can't record one."""
    staff = factories.member(net.seoul_distributor, Role.DISTRIBUTOR_STAFF)
    item = shop.product("QA-STAFF")
    shop.dealer_prices({item: "300000"})
    shop.stock(net.seoul_distributor, item, 10)
    order = _place(net, net.dealer_a_user, net.seoul_distributor, {item: 1})  # not registered: prepayment
    assert order.status == PurchaseStatus.AWAITING_PAYMENT
    with pytest.raises((PermissionDenied, ServiceError)):
        order_record_prepayment(actor=shop.actor(staff), order=order, reference="staff")
    assert not AccountEntry.objects.filter(buyer=net.dealer_a, kind="payment").exists()


def test_only_admins_approve_a_return(net):
    """Approving a return writes a credit note and puts goods back in stock: an admin's decision."""
    staff = factories.member(net.seoul_distributor, Role.DISTRIBUTOR_STAFF)
    item = shop.product("QA-STAFF-RET")
    shop.dealer_prices({item: "300000"})
    shop.stock(net.seoul_distributor, item, 10)
    shop.on_credit(net.dealer_a, 10_000_000)
    order = _place(net, net.dealer_a_user, net.seoul_distributor, {item: 2})
    order_ship(actor=shop.actor(net.seoul_admin), order=order, quantities={order.lines.get().pk: 2})
    claim = claim_open(actor=shop.actor(net.dealer_a_user), line=order.lines.get(), kind="return", quantity=2,
                       reason="파손")
    with pytest.raises((PermissionDenied, ServiceError)):
        claim_decide(actor=shop.actor(staff), claim=claim, approve=True, note="ok")
    assert not AccountEntry.objects.filter(buyer=net.dealer_a, kind="credit_note").exists()


# --- another partner's data ---------------------------------------------------------------------------------------


def test_a_second_distributor_sees_only_its_own_dealings_with_a_shared_dealer(acme, net):
    """A dealer may have several suppliers; each distributor sees only its own entries on the dealer's account."""
    SupplyLink.objects.create(dealer=net.dealer_a, distributor=net.busan_distributor, is_primary=False)
    item = shop.product("QA-SHARED")
    shop.dealer_prices({item: "777777"})
    shop.stock(net.seoul_distributor, item, 10)
    shop.on_credit(net.dealer_a, 10_000_000)
    order = _place(net, net.dealer_a_user, net.seoul_distributor, {item: 1})
    order_ship(actor=shop.actor(net.seoul_admin), order=order, quantities={order.lines.get().pk: 1})
    page = tenant_client(acme, net.busan_admin).get(f"/accounts/{net.dealer_a.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert order.number not in text and "777,777" not in text and net.seoul_distributor.name not in text


def test_an_api_order_leaves_the_portal_cart_as_it_was(acme, net):
    """An order placed through the API leaves what the person has in the portal's cart where it was."""
    in_cart, ordered = shop.product("QA-CART-1"), shop.product("QA-CART-2")
    shop.dealer_prices({in_cart: "10000", ordered: "20000"})
    shop.stock(net.seoul_distributor, in_cart, 10)
    shop.stock(net.seoul_distributor, ordered, 10)
    shop.on_credit(net.dealer_a, 10_000_000)
    cart_set(actor=shop.actor(net.dealer_a_user), supplier=net.seoul_distributor, product=in_cart, quantity=3)
    made = api(acme, net.dealer_a_user).post("/api/v1/purchase-orders/", {"lines": [
        {"sku": ordered.sku, "quantity": 1}]}, format="json")
    assert made.status_code == 201, made.content
    assert PurchaseLine.objects.filter(order__buyer=net.dealer_a, order__status="cart", product=in_cart,
                                       quantity=3).exists(), "the portal cart's line was deleted"


# --- files --------------------------------------------------------------------------------------------------------


def _claim_with_photo(net, name, content):
    item = shop.product()
    shop.dealer_prices({item: "100000"})
    shop.stock(net.seoul_distributor, item, 10)
    shop.on_credit(net.dealer_a, 10_000_000)
    order = _place(net, net.dealer_a_user, net.seoul_distributor, {item: 1})
    order_ship(actor=shop.actor(net.seoul_admin), order=order, quantities={order.lines.get().pk: 1})
    return order, claim_open(actor=shop.actor(net.dealer_a_user), line=order.lines.get(), kind="warranty",
                             quantity=1, reason="고장",
                             photos=[SimpleUploadedFile(name, content, content_type="image/png")])


def test_claim_photos_are_served_to_the_parties_only(acme, net):
    """A claim's photos open for the order's supplier and buyer, not for another distributor."""
    order, claim = _claim_with_photo(net, "box.png", PNG)
    url = f"/claims/photos/{claim.photos.get().pk}/"
    assert url in tenant_client(acme, net.seoul_admin).get(f"/sales/{order.pk}/").content.decode()
    for user in (net.seoul_admin, net.dealer_a_user, net.hq_admin):
        response = tenant_client(acme, user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == PNG
    assert tenant_client(acme, net.busan_admin).get(url).status_code == 404
    assert tenant_client(acme, net.dealer_b_user).get(url).status_code == 404


def test_a_photo_is_stored_and_served_only_as_an_image(acme, net):
    """A file sent as a photo is stored under a name we choose by what it is, and served as that image type."""
    html = b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>"
    _order, claim = _claim_with_photo(net, "photo.html", html)
    photo = claim.photos.get()
    assert photo.file.name.endswith(".png") and ".html" not in photo.file.name
    response = tenant_client(acme, net.seoul_admin).get(f"/claims/photos/{photo.pk}/")
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    with pytest.raises(ValidationError):
        _claim_with_photo(net, "page.html", b"<html><script>alert(1)</script></html>")
