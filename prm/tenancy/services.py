"""Provisioning a manufacturer: schema, domain, HQ organisation and first HQ admin, in one step."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from prm.tenancy.models import Domain, Tenant
from prm.tenancy.schemas import use_public_schema

SLUG_RE = re.compile(r"^[a-z][a-z0-9]{1,38}$")
RESERVED_SLUGS = {"public", "www", "admin", "api", "static", "media", "console", "tenant_template", "pg"}
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


@dataclass(frozen=True)
class ProvisionedTenant:
    tenant: Tenant
    domain: Domain
    admin_email: str


def _validate(slug: str, name: str, domain: str, admin_email: str, admin_password: str) -> None:
    errors: dict[str, str] = {}
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        errors["slug"] = _(
            "Use 2 to 39 lower-case letters or digits, starting with a letter (not a reserved word)."
        )
    elif Tenant.objects.filter(slug=slug).exists() or Tenant.objects.filter(schema_name=slug).exists():
        errors["slug"] = _("A tenant with this slug already exists.")
    if not name.strip():
        errors["name"] = _("Enter the manufacturer's name.")
    if not DOMAIN_RE.match(domain):
        errors["domain"] = _("Enter a host name such as acme.example.com.")
    elif Domain.objects.filter(domain=domain).exists():
        errors["domain"] = _("This domain is already in use.")
    if "@" not in admin_email:
        errors["admin_email"] = _("Enter a valid e-mail address.")
    from django.contrib.auth.password_validation import validate_password

    try:
        validate_password(admin_password)
    except ValidationError as exc:
        errors["admin_password"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)


def ensure_template_schema() -> None:
    """Create (or bring up to date) the schema new tenants are cloned from."""
    from django.conf import settings
    from django.core.management import call_command

    base = settings.TENANT_BASE_SCHEMA
    if not schema_exists(base):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{base}"')
    call_command("migrate_schemas", schema_name=base, tenant=True, interactive=False, verbosity=0)


def tenant_provision(
    *, slug: str, name: str, domain: str, admin_email: str, admin_password: str, admin_name: str = ""
) -> ProvisionedTenant:
    """Create the tenant's schema, its domain, its HQ organisation and the first HQ admin.

    Raises ValidationError naming the bad field; on any failure nothing is left behind (the schema is dropped).
    """
    from partners.services import hq_bootstrap

    slug = slug.strip().lower()
    domain = domain.strip().lower()
    admin_email = admin_email.strip().lower()
    _validate(slug, name, domain, admin_email, admin_password)
    ensure_template_schema()
    use_public_schema()
    try:
        with transaction.atomic():
            tenant = Tenant(schema_name=slug, slug=slug, name=name.strip())
            tenant.save(verbosity=0)  # creates the schema (cloned from the template)
            dom = Domain.objects.create(tenant=tenant, domain=domain, is_primary=True)
            with schema_context(slug):
                hq_bootstrap(name=name.strip(), admin_email=admin_email, admin_password=admin_password,
                             admin_name=admin_name)
    except Exception:
        use_public_schema()
        if schema_exists(slug):
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA "{slug}" CASCADE')
        raise
    return ProvisionedTenant(tenant=tenant, domain=dom, admin_email=admin_email)


def tenant_set_status(*, tenant: Tenant, status: str) -> Tenant:
    tenant.status = status
    tenant.save(update_fields=["status"])
    return tenant


def tenant_set_limits(*, tenant: Tenant, dealer_list_max_mb: int, dealer_list_max_rows: int,
                      currency: str | None = None, dealers_order_from_hq: bool | None = None) -> Tenant:
    """Set a manufacturer's dealer-list upload limits and ordering settings (validated by the model's field
    validators)."""
    tenant.dealer_list_max_mb = dealer_list_max_mb
    tenant.dealer_list_max_rows = dealer_list_max_rows
    if currency is not None:
        tenant.currency = currency.strip().upper()
    if dealers_order_from_hq is not None:
        tenant.dealers_order_from_hq = dealers_order_from_hq
    tenant.full_clean(validate_unique=False, validate_constraints=False)
    tenant.save(update_fields=["dealer_list_max_mb", "dealer_list_max_rows", "currency", "dealers_order_from_hq"])
    return tenant
