"""The Celery app. Tasks carry the tenant's schema in their headers (tenant-schemas-celery)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings.dev")

app = CeleryApp("prm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
