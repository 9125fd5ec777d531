#!/usr/bin/env python
"""Benchmark the dealer-list import against the per-row ORM save it replaces, in one run.

    .venv/bin/python bench/import_dealers.py [--rows 100000] [--baseline-rows 5000] [--scaling 10000,50000]

Makes its own scratch tenants and files (with ../shared/tools/dealer_lists.py), imports each through the
upload's task body (stored file -> read -> columns -> check -> set-based write -> report), and prints as its
last line one JSON object of the figures: seconds and peak memory for a fresh import, a re-import (all
unchanged) and the same rows as XLSX; the baseline's rows per second measured on --baseline-rows rows; the
ratio; and the seconds at each --scaling size.
Each import runs in a child process so its peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOOL = Path(os.environ.get("PRM_SHARED_TOOLS", ROOT.parent / "shared" / "tools")) / "dealer_lists.py"
DISTRIBUTOR_BN = "1018100016"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings.dev")
    import django

    django.setup()


def prepare_database() -> None:
    """The project's database with its shared schema migrated, as `make demo` leaves it (created if absent)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from demo import ensure_database

    env = dict(os.environ)
    ensure_database(env)
    os.environ["DATABASE_URL"] = env["DATABASE_URL"]  # an embedded server's address, when it had to start one
    subprocess.check_call([sys.executable, "manage.py", "migrate_schemas", "--shared", "-v", "0"], cwd=ROOT,
                          env={**env, "DJANGO_SETTINGS_MODULE": "prm.settings.dev"})


def make_file(path: Path, rows: int) -> None:
    subprocess.run([sys.executable, str(TOOL), "big", str(path), "--rows", str(rows)], check=True)


def make_tenant() -> str:
    from django_tenants.utils import schema_context

    from partners.services import organization_create
    from prm.core.actor import Actor
    from prm.tenancy.services import tenant_provision

    slug = f"bench{uuid.uuid4().hex[:8]}"
    tenant_provision(slug=slug, name="Benchmark", domain=f"{slug}.localhost", admin_email=f"hq@{slug}.example",
                     admin_password=f"bench-{uuid.uuid4().hex}")
    with schema_context(slug):
        organization_create(actor=Actor.system(), kind="distributor", name="벤치유통", business_number=DISTRIBUTOR_BN)
    return slug


def drop_tenant(slug: str) -> None:
    import shutil

    from django.conf import settings
    from django.db import connection

    from prm.tenancy.models import Tenant
    from prm.tenancy.schemas import use_public_schema

    use_public_schema()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{slug}" CASCADE')
    Tenant.objects.filter(slug=slug).delete()
    shutil.rmtree(Path(settings.MEDIA_ROOT) / slug, ignore_errors=True)  # the stored uploads


def _import_child(slug: str, path: str, queue: mp.Queue) -> None:
    """One import end to end, as the worker runs it: the upload stored, read, mapped, checked, committed and
    its report saved (the task's body, called in this process so its time and memory are measured alone)."""
    _django()
    from django.core.files import File
    from django_tenants.utils import schema_context

    from partners.choices import UploadStatus
    from partners.models import DealerListUpload, Organization
    from partners.services import dealer_list_upload_process

    with schema_context(slug):
        distributor = Organization.objects.get(business_number=DISTRIBUTOR_BN)
        started = time.perf_counter()
        with open(path, "rb") as fh:
            upload = DealerListUpload.objects.create(
                distributor=distributor, file=File(fh, name=Path(path).name), original_name=Path(path).name,
                status=UploadStatus.ANALYSING, auto_confirm=True)
        upload = dealer_list_upload_process(upload_id=upload.pk)
        seconds = time.perf_counter() - started
    assert upload is not None and upload.status == UploadStatus.DONE, (upload and upload.error)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"seconds": round(seconds, 2), "peak_mb": round(peak_mb), "created": upload.created_count,
               "updated": upload.updated_count, "unchanged": upload.unchanged_count,
               "rejected": upload.rejected_count})


def timed_import(slug: str, path: Path) -> dict:
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    child = ctx.Process(target=_import_child, args=(slug, str(path), queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def baseline(slug: str, path: Path) -> dict:
    """What the import replaces: parse, then one ORM save per dealer and per supply link."""
    from django.db import transaction
    from django_tenants.utils import schema_context

    from partners.importing import parse_dealer_list
    from partners.models import Organization, SupplyLink

    with schema_context(slug):
        distributor = Organization.objects.get(business_number=DISTRIBUTOR_BN)
        started = time.perf_counter()
        result = parse_dealer_list(path.read_bytes(), path.name)
        with transaction.atomic():
            for record in result.records:
                dealer, _ = Organization.objects.update_or_create(
                    business_number=record.business_number,
                    defaults={"kind": "dealer", "name": record.name, "representative": record.representative,
                              "phone": record.phone, "mobile": record.mobile, "email": record.email,
                              "address": record.address, "partner_since": record.partner_since,
                              "monthly_sales": record.monthly_sales})
                SupplyLink.objects.get_or_create(dealer=dealer, distributor=distributor,
                                                 defaults={"is_primary": True})
        seconds = time.perf_counter() - started
    return {"rows": len(result.records), "seconds": round(seconds, 2),
            "rows_per_second": round(len(result.records) / seconds)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=5_000)
    parser.add_argument("--scaling", default="10000,50000", help="extra sizes for the linearity figures")
    parser.add_argument("--skip-xlsx", action="store_true")
    args = parser.parse_args()
    prepare_database()
    _django()
    figures: dict = {"rows": args.rows}
    tenants: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        try:
            csv_file = work / f"dealers-{args.rows}.csv"
            make_file(csv_file, args.rows)
            slug = make_tenant()
            tenants.append(slug)
            figures["fresh_csv"] = timed_import(slug, csv_file)
            figures["reimport_csv"] = timed_import(slug, csv_file)
            if not args.skip_xlsx:
                xlsx_file = work / f"dealers-{args.rows}.xlsx"
                make_file(xlsx_file, args.rows)
                slug = make_tenant()
                tenants.append(slug)
                figures["fresh_xlsx"] = timed_import(slug, xlsx_file)
            scaling = {}
            for size in [int(s) for s in args.scaling.split(",") if s.strip()]:
                path = work / f"dealers-{size}.csv"
                make_file(path, size)
                slug = make_tenant()
                tenants.append(slug)
                scaling[str(size)] = timed_import(slug, path)["seconds"]
            scaling[str(args.rows)] = figures["fresh_csv"]["seconds"]
            figures["scaling_seconds"] = scaling
            base_file = work / f"dealers-{args.baseline_rows}.csv"
            make_file(base_file, args.baseline_rows)
            slug = make_tenant()
            tenants.append(slug)
            figures["baseline_per_row_orm"] = baseline(slug, base_file)
            import_rate = figures["fresh_csv"]["created"] / figures["fresh_csv"]["seconds"]
            figures["import_rows_per_second"] = round(import_rate)
            figures["ratio_vs_baseline"] = round(import_rate / figures["baseline_per_row_orm"]["rows_per_second"], 1)
        finally:
            for slug in tenants:
                drop_tenant(slug)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
