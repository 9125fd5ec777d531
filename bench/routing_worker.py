"""The routing benchmark's Celery worker: the project's app, with the notification e-mails it queues sent to a
queue nobody reads (the benchmark counts them, then drops them): no mail server is needed to measure routing.

    celery -A bench.routing_worker worker -Q <BENCH_QUEUE>
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings.dev")

from prm.celery import app  # noqa: E402

app.conf.task_routes = {"orders.tasks.*": {"queue": os.environ["BENCH_QUEUE"]},
                        "prm.core.tasks_mail.*": {"queue": os.environ["BENCH_MAIL_QUEUE"]}}

__all__ = ["app"]
