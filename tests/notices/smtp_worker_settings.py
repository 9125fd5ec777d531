"""The test settings for a Celery worker that e-mails through real SMTP (the test's aiosmtpd sink) and takes
its notice tasks from its own queue: the worker-kill test starts one (and a second after killing the first)."""

import os

from prm.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["NOTICES_TEST_SMTP_PORT"])
NOTICES_QUEUE = os.environ["NOTICES_QUEUE"]
NOTICES_LEASE_SECONDS = int(os.environ.get("NOTICES_LEASE_SECONDS", "5"))
NOTICES_SMTP_TIMEOUT = 2
NOTICES_CHUNK = 100
