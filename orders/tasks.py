from prm.celery import app
from prm.core.tasks import TenantOnlyTask, each_tenant_schema


@app.task(base=TenantOnlyTask, bind=True, acks_late=True, autoretry_for=(ConnectionError,), max_retries=5,
          retry_backoff=True)
def order_route_task(self: TenantOnlyTask, order_id: int) -> None:
    from orders.services import order_route

    order_route(order_id=order_id)


@app.task(base=TenantOnlyTask, bind=True, acks_late=True)
def offer_expire_task(self: TenantOnlyTask, offer_id: int) -> None:
    from orders.services import offer_expire

    offer_expire(offer_id=offer_id)


@app.task(ignore_result=True)
def sweep_overdue_offers() -> int:
    """Beat's timer of last resort: expire every offer past its deadline (ETA timers can be lost with a worker)."""
    from django.utils import timezone

    from orders.choices import OfferStatus
    from orders.models import Offer
    from orders.services import offer_expire

    expired = 0
    for _schema in each_tenant_schema():
        overdue = Offer.objects.filter(status=OfferStatus.PENDING, expires_at__lte=timezone.now())
        for offer_id in overdue.values_list("id", flat=True)[:1000]:
            offer_expire(offer_id=offer_id)
            expired += 1
    return expired


@app.task(ignore_result=True)
def sweep_waiting_orders() -> int:
    """Beat's safety net: re-queue routing for orders left waiting (a message lost with a dead broker)."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from orders.choices import OrderStatus
    from orders.models import CustomerOrder

    queued = 0
    cutoff = timezone.now() - timedelta(seconds=settings.ROUTING_SWEEP_AFTER)
    for _schema in each_tenant_schema():
        waiting = CustomerOrder.objects.filter(status=OrderStatus.RECEIVED, updated_at__lt=cutoff)
        for order_id in waiting.values_list("id", flat=True)[:500]:
            order_route_task.delay(order_id)
            queued += 1
    return queued


@app.task(ignore_result=True)
def expire_deals() -> int:
    """Beat, hourly: end the protection of deals past their date and warn partners of those ending soon."""

    from orders.services import deals_expire

    total = 0
    for _schema in each_tenant_schema():
        expired, _noticed = deals_expire()
        total += expired
    return total


@app.task(ignore_result=True)
def flag_stale_orders() -> int:
    """Beat, hourly: accepted orders with no update for ORDER_STALE_DAYS days are flagged to HQ and the dealer."""

    from orders.services import orders_flag_stale

    total = 0
    for _schema in each_tenant_schema():
        total += orders_flag_stale()
    return total
