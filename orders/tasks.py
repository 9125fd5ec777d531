from prm.celery import app
from prm.core.tasks import TenantOnlyTask


@app.task(base=TenantOnlyTask, bind=True, acks_late=True, autoretry_for=(ConnectionError,), max_retries=5,
          retry_backoff=True)
def order_route_task(self: TenantOnlyTask, order_id: int) -> None:
    from orders.services import order_route

    order_route(order_id=order_id)
