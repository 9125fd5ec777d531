"""HQ sends an unroutable order round again once the network can serve it."""

from orders.models import CustomerOrder, Offer
from orders.services import order_route
from tests import factories
from tests.conftest import tenant_client


def test_hq_routes_an_unroutable_order_again_after_authorising_a_dealer(acme):
    net = factories.network()
    tv = factories.product_line("tv", "TV")
    order = factories.order(actor=net.actor(net.hq_admin), customer_name="고객", address="서울특별시 강남구 1",
                            product_line=tv)
    order_route(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == "unroutable"
    client = tenant_client(acme, net.hq_admin)
    assert 'data-testid="route-again"' in client.get(f"/hq/orders/{order.pk}/").content.decode()

    net.dealer_a.product_lines.add(tv)
    response = client.post(f"/hq/orders/{order.pk}/route-again/")
    assert response["Location"] == f"/hq/orders/{order.pk}/"
    order.refresh_from_db()
    assert order.status == "received" and order.unroutable_reason == ""
    order_route(order_id=order.pk)  # what the queued task does
    assert Offer.objects.get(order=order).dealer == net.dealer_a
    # an order that isn't unroutable can't be sent round again, and only HQ can ask
    again = client.post(f"/hq/orders/{order.pk}/route-again/", follow=True)
    assert "Only an order no dealer was found for" in " ".join(str(m) for m in again.context["messages"])
    assert tenant_client(acme, net.dealer_a_user).post(f"/hq/orders/{order.pk}/route-again/").status_code == 403
    assert CustomerOrder.objects.get(pk=order.pk).status == "offered"
