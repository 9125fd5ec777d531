#!/usr/bin/env python
"""Benchmark campaign notices: one broadcast to every dealer, told in the portal and by e-mail through real
Celery workers to a local SMTP sink, exactly once each; and the naive loop it replaces, in one run.

    .venv/bin/python bench/notices.py [--dealers 50000] [--workers 2] [--baseline-dealers 1000]

Makes its own scratch tenant in the dev database (--dealers active dealers, one person each, half reading
Korean and half English; the routing benchmark's network), starts an SMTP sink (aiosmtpd, bench/smtp_sink.py)
in a child process that counts the messages it accepted and their distinct Message-IDs, and --workers Celery
worker processes (the project's worker, SMTP e-mail to the sink, their own queue). Then, as a campaign's
publishing does, calls ``notices.services.broadcast()`` for every dealer in one transaction and waits for the
last e-mail.

Prints as its last line one JSON object:
- seconds: from the broadcast() call to the last e-mail accepted by the sink; fan_out_seconds: to every
  delivery and in-app notification written (one statement); emails_per_second over the whole;
- delivered (messages the sink accepted), distinct (distinct Message-IDs), duplicates (delivered - distinct:
  must be 0), exactly (distinct == delivered == dealers), and what the database says: deliveries sent,
  notifications written, the broadcast's status and counts;
- baseline_naive_loop: the first cut (per recipient: create the Notification, render the e-mail, send_mail
  with its own SMTP connection), timed on --baseline-dealers people of the same tenant to the same sink, with
  its EXTRAPOLATION to every dealer; ratio_vs_baseline: the extrapolated seconds over ``seconds``;
- target: met when ``seconds`` < 60 and ``exactly``; setup_seconds: making the data, not part of any figure.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# this file is bench/notices.py: the project's ``notices`` app must win over it, so bench/ (the script's folder,
# first on the path) goes to the end, where its helpers (routing, import_dealers, smtp_sink) are still found
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))

TARGET_SECONDS = 60


def _django(smtp_port: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings.dev")
    # this process's own e-mail (the baseline) goes to the sink too
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
    os.environ["EMAIL_HOST"] = "127.0.0.1"
    os.environ["EMAIL_PORT"] = str(smtp_port)
    import django

    django.setup()


def start_sink() -> tuple[Any, Any, Any, Any, int]:
    from smtp_sink import free_port, serve_counting

    ctx = multiprocessing.get_context("spawn")
    port = free_port()
    accepted, distinct, last_at = ctx.Value("q", 0), ctx.Value("q", 0), ctx.Value("d", 0.0)
    ready = ctx.Event()
    proc = ctx.Process(target=serve_counting, args=(port, accepted, distinct, last_at, ready), daemon=True)
    proc.start()
    if not ready.wait(30):
        raise RuntimeError("the SMTP sink did not start")
    return proc, accepted, distinct, last_at, port


def start_workers(queue: str, workers: int, port: int) -> tuple[subprocess.Popen[bytes], Any]:
    from prm.celery import app

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "prm.settings.dev", "NOTICES_QUEUE": queue,
           "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
           "EMAIL_PORT": str(port), "LOG_LEVEL": "WARNING",
           # as a deployed worker runs: DEBUG on would also keep every query's SQL in memory
           "DEBUG": "false"}
    log = open(Path(tempfile.gettempdir()) / f"{queue}.log", "wb")  # noqa: SIM115 - closed by the caller
    proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "prm", "worker", "-Q", queue, "-c", str(workers),
                             "--loglevel", "WARNING", "-n", f"{queue}@%h", "--without-gossip", "--without-mingle",
                             "--without-heartbeat"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=1.0, destination=[f"{queue}@{os.uname().nodename}"]):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the Celery worker did not start; see {Path(tempfile.gettempdir()) / (queue + '.log')}")
    return proc, log


def make_dealers(dealers: int) -> str:
    from routing import make_network

    return make_network(dealers)


def half_in_english(slug: str) -> None:
    from django.db import connection
    from django_tenants.utils import schema_context

    with schema_context(slug), connection.cursor() as cursor:
        # half the dealers read English (their e-mail is rendered in it)
        cursor.execute("UPDATE accounts_user SET language = 'en' WHERE email LIKE 'dealer%' AND id % 2 = 0")


def run_broadcast(slug: str, dealers: int, accepted: Any, distinct: Any, last_at: Any) -> dict[str, Any]:
    from django.db import transaction
    from django.utils.translation import gettext_noop
    from django_tenants.utils import schema_context

    from notices.models import Broadcast, Delivery
    from notices.services import broadcast
    from partners.models import Organization, ProductLine
    from prm.core.actor import Actor
    from prm.core.models import Notification

    with schema_context(slug):
        source = ProductLine.objects.get(code="aircon")  # stands for the campaign being published
        org_ids = list(Organization.objects.filter(kind="dealer").values_list("pk", flat=True))
        before = accepted.value
        started_wall = time.time()
        started = time.perf_counter()
        with transaction.atomic():
            item = broadcast(category="campaigns", source=source, organization_ids=org_ids,
                             message=gettext_noop("New campaign: %(title)s"), params={"title": "여름 에어컨 캠페인"},
                             url="/campaigns/", actor=Actor.system())
        deadline = time.perf_counter() + 1800
        while accepted.value - before < dealers and time.perf_counter() < deadline:
            time.sleep(0.05)
        # the sink's clock marks the last message accepted
        seconds = last_at.value - started_wall if accepted.value - before >= dealers else time.perf_counter() - started
        # a late duplicate would show up just after: wait until the broadcast is done
        while Broadcast.objects.get(pk=item.pk).status != "done" and time.perf_counter() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        item = Broadcast.objects.get(pk=item.pk)
        fan_out = (item.fanned_out_at.timestamp() - started_wall) if item.fanned_out_at else None
        delivered = accepted.value - before
        figures = {
            "seconds": round(seconds, 2),
            "fan_out_seconds": round(fan_out, 2) if fan_out is not None else None,
            "emails_per_second": round(delivered / seconds, 1) if seconds else None,
            "delivered": delivered,
            "distinct": distinct.value,
            "duplicates": delivered - distinct.value,
            "exactly": delivered == distinct.value == dealers,
            "deliveries_sent": Delivery.objects.filter(broadcast=item, status="sent").count(),
            "notifications": Notification.objects.filter(kind="notice_campaigns").count(),
            "broadcast": {"status": item.status, "recipients": item.recipients, "sent": item.sent,
                          "failed": item.failed, "opted_out": item.opted_out},
        }
    return figures


def naive_baseline(slug: str, people: int, accepted: Any) -> dict[str, Any]:
    """Per recipient: the Notification row, the e-mail rendered in their language, send_mail (its own SMTP
    connection), as a first cut inside the publishing request would."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation
    from django_tenants.utils import schema_context

    from notices.tokens import make_token
    from prm.accounts.models import User
    from prm.core.models import Notification

    with schema_context(slug):
        users = list(User.objects.filter(email__startswith="dealer").order_by("pk")[:people])
        before = accepted.value
        base = settings.PORTAL_URL.format(domain=f"{slug}.localhost")
        started = time.perf_counter()
        for user in users:
            note = Notification.objects.create(user=user, kind="notice_baseline", message="New campaign: %(title)s",
                                               params={"title": "여름 에어컨 캠페인"}, url="/campaigns/")
            with translation.override(user.language):
                token = make_token(user_id=user.pk, category="campaigns", schema=slug)
                context = {"text": note.text(), "link": base + note.url, "name": user.full_name, "site_name": slug,
                           "category": "campaigns", "preferences_url": base + "/notices/preferences/",
                           "unsubscribe_url": base + reverse("portals:notice_unsubscribe", args=[token])}
                subject = " ".join(render_to_string("notices/email_subject.txt", context).split())
                body = render_to_string("notices/email_body.txt", context)
                html = render_to_string("notices/email_body.html", context)
            send_mail(subject, body, None, [user.email], html_message=html)
        seconds = time.perf_counter() - started
        while accepted.value - before < len(users) and time.perf_counter() - started < 120:
            time.sleep(0.05)
    return {"people": len(users), "seconds": round(seconds, 2), "ms_per_person": round(seconds * 1000 / len(users), 2),
            "delivered": accepted.value - before}


def drop(slug: str) -> None:
    from routing import drop as drop_tenant

    drop_tenant(slug)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dealers", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-dealers", type=int, default=1_000)
    args = parser.parse_args()
    from import_dealers import prepare_database

    prepare_database()
    sink, accepted, distinct, last_at, port = start_sink()
    _django(port)
    from prm.celery import app

    queue = f"bench-notices-{uuid.uuid4().hex[:6]}"
    figures: dict[str, Any] = {"dealers": args.dealers, "workers": args.workers}
    slug = ""
    worker = log = None
    try:
        started = time.perf_counter()
        slug = make_dealers(args.dealers)
        half_in_english(slug)
        worker, log = start_workers(queue, args.workers, port)
        figures["setup_seconds"] = round(time.perf_counter() - started, 1)
        os.environ["NOTICES_QUEUE"] = queue  # the fan-out task this process queues goes to the bench's workers
        figures.update(run_broadcast(slug, args.dealers, accepted, distinct, last_at))
        baseline = naive_baseline(slug, args.baseline_dealers, accepted)
        baseline["extrapolated_seconds"] = round(baseline["seconds"] / baseline["people"] * args.dealers, 1)
        figures["baseline_naive_loop"] = baseline
        figures["ratio_vs_baseline"] = round(baseline["extrapolated_seconds"] / figures["seconds"], 1)
        figures["target"] = {"seconds_under": TARGET_SECONDS,
                             "met": figures["seconds"] < TARGET_SECONDS and figures["exactly"]}
    finally:
        if worker is not None:
            os.killpg(worker.pid, 15)
            worker.wait(timeout=60)
        if log is not None:
            log.close()
        with app.connection_for_write() as conn:
            conn.default_channel.client.delete(queue)
        sink.terminate()
        if slug:
            drop(slug)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
