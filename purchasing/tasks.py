from prm.celery import app
from prm.core.tasks import each_tenant_schema


@app.task(ignore_result=True)
def cancel_unpaid_orders() -> int:
    """Beat, hourly: in every tenant, orders left waiting for prepayment too long are cancelled."""
    from purchasing.services import orders_cancel_unpaid

    total = 0
    for _schema in each_tenant_schema():
        total += orders_cancel_unpaid()
    return total
