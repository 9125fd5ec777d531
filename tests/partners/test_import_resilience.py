"""A worker killed in the middle of an import leaves nothing half-written, and the import runs again.

Two deaths, with a real worker on its own queue (so the session's worker can't pick the task up):
1. the whole worker is killed (machine lost): the upload stays "importing" with no dealer written; once it has
   reported nothing for a while its page says it stopped and offers to try again, which imports it;
2. only the pool process running the task is killed: Celery (acks_late + reject_on_worker_lost) hands the task
   to a fresh process, which imports the whole file; still never half of it.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.choices import OrgKind, Role, UploadStatus
from partners.models import DealerListUpload, Organization
from partners.services import dealer_list_upload_create, upload_progress
from prm.core.actor import Actor
from tests import factories
from tests.conftest import ROOT, start_worker, stop_worker, tenant_client, wait_for

TOOL = Path(os.environ.get("PRM_SHARED_TOOLS", ROOT.parent / "shared" / "tools")) / "dealer_lists.py"
ROWS = 40_000


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(child) for child in text.split()]


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"  # a zombie is dead too
    except FileNotFoundError:
        return True


def _mid_commit(upload: DealerListUpload) -> dict | None:
    """The progress once at least one batch of new dealers is written inside the still-open transaction."""
    upload.refresh_from_db()
    progress = upload_progress(upload)
    if progress["stage"] == "commit" and 10_000 <= progress["rows_committed"] < ROWS:
        return progress
    return None


def _dealers() -> int:
    return Organization.objects.filter(kind=OrgKind.DEALER).count()


def _reroute(app) -> None:
    """Celery builds its router once per process: rebuild it from the current task_routes."""
    app.amqp.flush_routes()
    del app.amqp.router  # a kombu cached_property: the next send makes a new Router from the new routes


@pytest.mark.worker
def test_a_killed_worker_leaves_nothing_half_written_and_the_import_runs_again(live_tenant, tmp_path, settings):
    from prm.celery import app

    path = tmp_path / "big.csv"
    subprocess.run([sys.executable, str(TOOL), "big", str(path), "--rows", str(ROWS)], check=True,
                   capture_output=True)
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "부산유통")
    user = factories.member(distributor, Role.DISTRIBUTOR_ADMIN)
    actor = Actor.from_membership(user.memberships.get())

    queue = f"prm-test-kill-{os.getpid()}"
    routes = app.conf.task_routes
    app.conf.task_routes = {"partners.tasks.dealer_list_import_task": {"queue": queue}}
    _reroute(app)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        workers.append(start_worker(queue, f"kill1-{os.getpid()}", "celery-kill.log", concurrency=1))
        upload = dealer_list_upload_create(actor=actor, distributor=distributor, auto_confirm=True,
                                           file=SimpleUploadedFile("big.csv", path.read_bytes()))

        # 1. the whole worker dies while the first batches of dealers sit in its open transaction
        wait_for(lambda: _mid_commit(upload), timeout=120, interval=0.02)
        pool = _children(workers[0].pid)
        os.killpg(workers[0].pid, signal.SIGKILL)
        workers[0].wait(timeout=10)
        wait_for(lambda: all(_gone(pid) for pid in pool), timeout=10)
        upload.refresh_from_db()
        assert upload.status == UploadStatus.PROCESSING
        assert _dealers() == 0  # nothing of the 40,000 rows is visible, not even the batches already sent

        settings.DEALER_LIST_STALLED_AFTER = 1
        time.sleep(1.2)
        client = tenant_client(live_tenant, user)
        page = client.get(f"/distributor/uploads/{upload.pk}/").content.decode()
        assert 'data-testid="stalled"' in page and 'data-testid="retry"' in page
        assert client.post(f"/distributor/uploads/{upload.pk}/retry/").status_code == 302
        upload.refresh_from_db()
        assert upload.status == UploadStatus.PENDING and upload.attempts == 0
        settings.DEALER_LIST_STALLED_AFTER = 120

        # 2. a new worker takes the retried import; this time only the process running it is killed
        workers.append(start_worker(queue, f"kill2-{os.getpid()}", "celery-kill.log", concurrency=1))
        wait_for(lambda: _mid_commit(upload), timeout=120, interval=0.02)
        (child,) = _children(workers[1].pid)
        os.kill(child, signal.SIGKILL)
        wait_for(lambda: _gone(child), timeout=10)
        assert _dealers() == 0

        # Celery gives the task to a fresh pool process, which imports the whole file exactly once
        done = wait_for(lambda: DealerListUpload.objects.filter(pk=upload.pk, status=UploadStatus.DONE).first(),
                        timeout=180)
        assert done.created_count == ROWS and done.rejected_count == 0
        assert done.attempts == 2  # the killed run and the one that finished
        assert _dealers() == ROWS
        assert upload_progress(done)["percent"] == 100
    finally:
        app.conf.task_routes = routes
        _reroute(app)
        for proc in workers:
            if proc.poll() is None:
                stop_worker(proc)
