from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from prm.tenancy.services import tenant_provision


class Command(BaseCommand):
    help = "Provision a manufacturer: schema, domain, HQ organisation and first HQ admin."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--domain", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password", required=True)
        parser.add_argument("--admin-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            provisioned = tenant_provision(
                slug=options["slug"], name=options["name"], domain=options["domain"],
                admin_email=options["admin_email"], admin_password=options["admin_password"],
                admin_name=options["admin_name"],
            )
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            raise CommandError(problems) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Tenant {provisioned.tenant.slug} ready at http://{provisioned.domain.domain}/ "
            f"(HQ admin {provisioned.admin_email})"
        ))
