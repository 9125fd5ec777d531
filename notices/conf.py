"""The notices' knobs. Each is a Django setting of the same name when set, else the environment variable of that
name, else the default (so a deployment tunes them without a code change)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # e-mails per second per tenant (a token bucket in Redis shared by every worker); a relay that allows less
    # (many do: tens per second) sets it lower
    "NOTICES_EMAILS_PER_SECOND": 2000,
    "NOTICES_RATE_BY_TENANT": {},  # schema name -> e-mails per second, for a tenant with its own relay's limit
    "NOTICES_CHUNK": 200,  # deliveries one sender claims (and sends over one SMTP connection) at a time
    "NOTICES_SENDERS": 4,  # sending tasks queued per broadcast (they share the work through SKIP LOCKED)
    "NOTICES_SMTP_CONNECTIONS": 3,  # SMTP connections one sending task keeps busy at once (a thread each)
    "NOTICES_LEASE_SECONDS": 300,  # a claimed delivery not sent by then is taken back by the sweep
    "NOTICES_SMTP_TIMEOUT": 20,  # seconds per SMTP command; a hung relay must not hold a lease forever
    "NOTICES_MAX_ATTEMPTS": 5,  # transient failures (4xx, connection lost) tried this often, then failed
    "NOTICES_RETRY_SECONDS": 30,  # first retry's delay; doubled each time
    "NOTICES_SWEEP_AFTER": 60,  # a broadcast still queued, or a due delivery nobody is sending, after this long
    "NOTICES_QUEUE": "",  # the Celery queue of the notice tasks; empty: the default queue
}


def get(name: str) -> Any:
    if hasattr(settings, name):
        return getattr(settings, name)
    default = DEFAULTS[name]
    raw = os.environ.get(name)
    if raw is None or isinstance(default, dict):
        return default
    return type(default)(raw)


def task_options() -> dict[str, Any]:
    queue = get("NOTICES_QUEUE")
    return {"queue": queue} if queue else {}


def emails_per_second(schema: str) -> float:
    by_tenant = get("NOTICES_RATE_BY_TENANT") or {}
    return float(by_tenant.get(schema, get("NOTICES_EMAILS_PER_SECOND")))
