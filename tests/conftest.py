"""Test harness: real PostgreSQL (one schema per tenant), real Redis, a real Celery worker.

Two kinds of tenant:
- `acme` and `globex`, provisioned once per session. Tests that use them run inside a transaction that is
  rolled back (the `db` fixture), so they can't see each other's rows.
- `live_tenant`: a fresh tenant per test whose rows are committed, for tests where another process (the Celery
  worker, the live server) must see the data. Its schema is dropped afterwards.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = Path(os.environ.get("TEST_OUTPUT_DIR", ROOT / "test-output"))
_SHARED = Path(os.environ.get("PRM_SHARED_DATA", ROOT.parent / "shared" / "data")) / "dealer-lists"
# The real inputs from shared/; the copy in demo/ (byte-identical) only where shared/ is absent.
SAMPLES = _SHARED if (_SHARED / "expected.json").is_file() else ROOT / "demo" / "dealer-lists"
_slugs = itertools.count(1)


def _provision(slug: str) -> Any:
    from prm.tenancy.services import tenant_provision

    return tenant_provision(slug=slug, name=f"{slug.title()} Corp", domain=f"{slug}.localhost",
                            admin_email=f"hq@{slug}.example", admin_password="pass-word-1").tenant


def _drop(tenant: Any) -> None:
    from prm.tenancy.models import Tenant

    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{tenant.schema_name}" CASCADE')
    Tenant.objects.filter(pk=tenant.pk).delete()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Every test starts in English, the personas' language (``factories.member``): what a service says outside
    a request does not depend on which test ran before (the site's default, LANGUAGE_CODE, is Korean). Tests
    about Korean use ``translation.override("ko")``."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def django_db_setup(request: pytest.FixtureRequest, django_test_environment: None,
                    django_db_blocker: Any) -> Iterator[None]:
    """The test database, always (pytest-django would skip it when no collected test asks for `db`, and the
    live-tenant tests don't), plus two look-alike tenants for the whole session."""
    import redis
    from django.test.utils import setup_databases, teardown_databases

    redis.Redis.from_url(settings.CACHES["default"]["LOCATION"]).flushdb()  # the test cache only (db 14)
    with django_db_blocker.unblock():
        db_cfg = setup_databases(verbosity=request.config.option.verbose, interactive=False,
                                 aliases={"default"})
        name = connection.settings_dict["NAME"]
        if not name.startswith("test_"):
            raise RuntimeError(f"Refusing to run tests against database {name!r}")
        from prm.tenancy.services import ensure_template_schema

        ensure_template_schema()
        _provision("acme")
        _provision("globex")
        connection.set_schema_to_public()
    yield
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        with connection.cursor() as cursor:  # a live-server thread may still hold a connection
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        teardown_databases(db_cfg, verbosity=request.config.option.verbose)


@pytest.fixture
def tenant_factory(django_db_setup: None, django_db_blocker: Any) -> Iterator[Callable[[], Any]]:
    """Fresh tenants with committed rows; dropped at the end of the test."""
    made: list[Any] = []
    with django_db_blocker.unblock():

        def make() -> Any:
            connection.set_schema_to_public()
            tenant = _provision(f"t{os.getpid()}x{next(_slugs)}")
            made.append(tenant)
            connection.set_tenant(tenant)
            return tenant

        yield make
        for tenant in made:
            _drop(tenant)
        connection.set_schema_to_public()


@pytest.fixture
def live_tenant(tenant_factory: Callable[[], Any]) -> Any:
    return tenant_factory()


@pytest.fixture
def acme(db: None) -> Iterator[Any]:
    from prm.tenancy.models import Tenant

    tenant = Tenant.objects.get(slug="acme")
    connection.set_tenant(tenant)
    yield tenant
    connection.set_schema_to_public()


@pytest.fixture
def globex(db: None) -> Any:
    from prm.tenancy.models import Tenant

    return Tenant.objects.get(slug="globex")


def tenant_client(tenant: Any, user: Any = None) -> Client:
    """A test client that talks to the tenant's own domain, logged in as user if given."""
    client = Client(HTTP_HOST=f"{tenant.slug}.localhost")
    if user is not None:
        client.force_login(user)
    return client


def start_worker(queue: str, name: str, log_name: str = "celery-worker.log",
                 concurrency: int = 2) -> subprocess.Popen[bytes]:
    """A real Celery worker process on the test database, consuming ``queue``; answers a ping before this
    returns. It runs in its own process group, so a test can kill it and its pool children at once."""
    from prm.celery import app

    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "prm.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    OUTPUT.mkdir(parents=True, exist_ok=True)
    log = open(OUTPUT / log_name, "ab")  # noqa: SIM115 - the child keeps writing to it
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "prm", "worker", "-Q", queue, "-c", str(concurrency),
         "--loglevel", "INFO", "-n", f"{name}@%h", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Celery worker exited with {proc.returncode}; see {OUTPUT / log_name}")
        if app.control.ping(timeout=1.0, destination=[f"{name}@{os.uname().nodename}"]):
            return proc
    proc.terminate()
    raise RuntimeError("Celery worker did not answer a ping within 60 s")


def stop_worker(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def celery_worker(django_db_setup: None) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker process on the test database and the test queue."""
    import redis

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    proc = start_worker(settings.CELERY_TASK_DEFAULT_QUEUE, f"test-{os.getpid()}")
    yield proc
    stop_worker(proc)


def wait_for(predicate: Callable[[], Any], timeout: float = 30.0, interval: float = 0.2) -> Any:
    """Poll until predicate() is truthy (the worker runs in another process); fail with a clear message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


@pytest.fixture(scope="session")
def live_server_url(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The real WSGI application on a free port, in a thread; tenants are reached as <slug>.localhost:port."""
    import threading

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    with django_db_blocker.unblock():
        server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
        server.set_app(WSGIHandler())
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://localhost:{server.server_address[1]}"
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls in the test itself are still
    # plain synchronous calls, so Django's guard against async contexts does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    """Save a page's screenshot under test-output/screenshots/<test name>/."""
    folder = OUTPUT / "screenshots" / request.node.name.replace("/", "_")
    folder.mkdir(parents=True, exist_ok=True)
    counter = itertools.count(1)

    def shoot(page: Any, name: str) -> Path:
        path = folder / f"{next(counter):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot
