#!/usr/bin/env python
"""Bring the demo up: find PostgreSQL and Redis (or fall back), migrate, build the demo tenant through the real
worker, then serve web, worker and beat until Ctrl-C. Run by `make demo`; a second run reuses what exists."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = int(os.environ.get("PORT", "8000"))


def say(message: str) -> None:
    print(f"\033[1m[demo]\033[0m {message}", flush=True)


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    host = parsed.hostname or "127.0.0.1"
    if host.startswith("/"):
        return Path(host).exists()
    try:
        with socket.create_connection((host, parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def ensure_database(env: dict[str, str]) -> None:
    url = env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/prm")
    if not reachable(url, 5432):
        say(f"PostgreSQL is not reachable at {urlparse(url).hostname}:{urlparse(url).port or 5432}; "
            "starting an embedded one (pgserver) under var/pgdata.")
        try:
            import pgserver  # type: ignore[import-not-found]
        except ImportError:
            subprocess.check_call([PY, "-m", "pip", "install", "-q", "-e", f"{ROOT}[embedded]"])
            import pgserver  # type: ignore[import-not-found]
        server = pgserver.get_server(str(ROOT / "var" / "pgdata"), cleanup_mode=None)
        server.psql("SELECT 1;")
        uri = server.get_uri()
        env["DATABASE_URL"] = uri
        say(f"Embedded PostgreSQL at {uri}")
        url = uri
    # create the database if it isn't there yet
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/") or "prm"
    admin_url = url.replace(parsed.path, "/postgres", 1) if parsed.path else url
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
            say(f"Created database {name}")
    conn.close()


def ensure_redis(env: dict[str, str]) -> bool:
    url = env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    if reachable(url, 6379):
        return True
    say("Redis is not reachable: background tasks will run in-process (no separate worker or beat), "
        "and the cache lives in memory. Start Redis for the real thing.")
    env["PRM_NO_REDIS"] = "1"
    return False


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.check_call([PY, "manage.py", *args], cwd=ROOT, env=env)


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def main() -> int:
    if not port_free(PORT):
        say(f"Port {PORT} is already in use (is another demo running?). Stop it, or run PORT=8001 make demo.")
        return 1
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "prm.settings.dev"),
           "PYTHONUNBUFFERED": "1"}
    env.setdefault("DEBUG", "0")  # no URL lists or tracebacks on error pages, even in the demo
    ensure_database(env)
    has_redis = ensure_redis(env)
    say("Migrating the public schema and every tenant…")
    manage(env, "migrate_schemas", "--shared", "-v", "0")
    manage(env, "migrate_schemas", "--tenant", "-v", "0")
    children: list[subprocess.Popen[bytes]] = []
    if has_redis:
        children.append(subprocess.Popen([PY, "-m", "celery", "-A", "prm", "worker", "-c", "2", "-l", "WARNING",
                                          "-n", "demo@%h"], cwd=ROOT, env=env))
        children.append(subprocess.Popen([PY, "-m", "celery", "-A", "prm", "beat", "-l", "WARNING",
                                          "-s", str(ROOT / "var" / "celerybeat-schedule")], cwd=ROOT, env=env))
    (ROOT / "var").mkdir(exist_ok=True)

    def stop(*_: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()

    def terminate(*_: object) -> None:
        stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, terminate)  # before anything starts: nothing may outlive a stop
    try:
        say("Building the demo tenant (imports and routing go through the worker)…")
        manage(env, "demo_setup")
        bind = f"{os.environ.get('BIND', '127.0.0.1')}:{PORT}"
        web = subprocess.Popen([PY, "-m", "gunicorn", "prm.wsgi:application", "-b", bind, "-w", "2",
                                "--access-logfile", "-", "--log-level", "warning"], cwd=ROOT, env=env)
        children.append(web)
        deadline = time.monotonic() + 30
        while port_free(PORT) and time.monotonic() < deadline and web.poll() is None:
            time.sleep(0.2)
        if port_free(PORT):
            say("The web server did not start; see the messages above.")
            return 1
        say("Ready.")
        print(f"""
  Dealer, distributor and HQ portals:  http://demo.localhost:{PORT}/
  Public quote request form:           http://demo.localhost:{PORT}/request-quote/
  API docs:                            http://demo.localhost:{PORT}/api/docs/
  Operator console:                    http://localhost:{PORT}/console/   (operator@prm.localhost / demo-pass-1)
  Token for the API:                   {PY} manage.py api_token --tenant demo --email hq@demo.example

  Press Ctrl-C to stop web, worker and beat.
""", flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(1)
        say("A process stopped; shutting down the others.")
        return 1
    except KeyboardInterrupt:
        say("Stopping…")
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
