from prm.celery import app
from prm.core.tasks import TenantOnlyTask, each_tenant_schema


@app.task(base=TenantOnlyTask, bind=True, acks_late=True, autoretry_for=(ConnectionError,), max_retries=5,
          retry_backoff=True)
def order_route_task(self: TenantOnlyTask, order_id: int | None = None) -> int:
    """The routing doorbell: route ``order_id`` (if it still waits) and then whatever else waits in the
    tenant's inbox, a batch per transaction. A message delivered twice finds nothing left to do."""
    from orders.services import orders_route_waiting

    return orders_route_waiting(first=order_id)


@app.task(base=TenantOnlyTask, bind=True, acks_late=True)
def offers_expire_task(self: TenantOnlyTask, offer_ids: list[int]) -> int:
    """The deadline timer of offers made together: each one still waiting past its deadline expires."""
    from orders.services import offer_expire

    return sum(1 for offer_id in offer_ids if (offer := offer_expire(offer_id=offer_id)) is not None
               and offer.status == "expired")


@app.task(base=TenantOnlyTask, bind=True, acks_late=True)
def offer_expire_task(self: TenantOnlyTask, offer_id: int) -> None:
    """One offer's timer (messages queued before timers were batched)."""
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
        waiting = list(CustomerOrder.objects.filter(status=OrderStatus.RECEIVED, updated_at__lt=cutoff)
                       .values_list("id", flat=True)[:5000])
        if waiting:
            CustomerOrder.objects.filter(pk__in=waiting, status=OrderStatus.RECEIVED).update(
                route_requested_at=timezone.now())
            order_route_task.delay(waiting[0])  # one doorbell: the worker drains the inbox
            queued += len(waiting)
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


@app.task(ignore_result=True)
def refresh_routing_stats() -> int:
    """Beat, hourly: recount every dealer's offer history for routing (offers leave the 180-day window)."""
    from orders.routing import dealer_stats_refresh

    tenants = 0
    for _schema in each_tenant_schema():
        dealer_stats_refresh()
        tenants += 1
    return tenants
