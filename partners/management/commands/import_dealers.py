import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django_tenants.utils import schema_context

from partners.choices import OrgKind
from partners.models import Organization
from prm.core.actor import Actor
from prm.tenancy.models import Tenant


class Command(BaseCommand):
    help = (
        "Import a distributor's dealer list (CSV, XLSX or XLS) into a tenant through the same path as an upload, "
        "and print the result as JSON: created, updated, unchanged, rejected [{row, field, reason}], warnings."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--tenant", required=True, help="tenant slug")
        parser.add_argument("--distributor", required=True, help="the distributor's business registration number")
        parser.add_argument("file", help="the dealer list")

    def handle(self, *args: Any, **options: Any) -> None:
        from partners.importing import UnreadableFile
        from partners.services import dealer_list_apply

        translation.activate("en")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        tenant = Tenant.objects.filter(slug=options["tenant"]).exclude(schema_name="public").first()
        if tenant is None:
            raise CommandError(f"No tenant with slug {options['tenant']!r}.")
        number = "".join(ch for ch in options["distributor"] if ch.isdigit())
        with schema_context(tenant.schema_name):
            distributor = Organization.objects.filter(business_number=number, kind=OrgKind.DISTRIBUTOR).first()
            if distributor is None:
                raise CommandError(
                    f"No distributor with business number {options['distributor']!r} in tenant {tenant.slug!r}. "
                    "Create it first (HQ portal or POST /api/v1/organizations/)."
                )
            try:
                report = dealer_list_apply(actor=Actor.system(), distributor=distributor, data=path.read_bytes(),
                                           filename=path.name)
            except UnreadableFile as exc:
                raise CommandError(f"{path.name}: {exc.message}") from exc
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1, default=str))
