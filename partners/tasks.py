from prm.celery import app
from prm.core.tasks import TenantOnlyTask


@app.task(base=TenantOnlyTask, bind=True, acks_late=True)
def dealer_list_import_task(self: TenantOnlyTask, upload_id: int) -> None:
    from partners.services import dealer_list_upload_process

    dealer_list_upload_process(upload_id=upload_id)
