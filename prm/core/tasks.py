"""The base class of every tenant task: it refuses to run outside a tenant's schema."""

from typing import Any

from django.db import connection
from tenant_schemas_celery.task import TenantTask


class PublicSchemaTaskError(RuntimeError):
    """A tenant task was queued without a tenant (from the public schema): a bug, never silently run."""


class TenantOnlyTask(TenantTask):
    abstract = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if getattr(connection, "schema_name", None) in ("public", None, ""):
            raise PublicSchemaTaskError(
                f"Task {self.name} ran in the public schema: it must be queued from a tenant's context."
            )
        return super().__call__(*args, **kwargs)

    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        schema = getattr(connection, "schema_name", None)
        if schema in ("public", None, "") and not (options.get("headers") or {}).get("_schema_name"):
            raise PublicSchemaTaskError(f"Task {self.name} queued from the public schema.")
        return super().apply_async(args=args, kwargs=kwargs, **options)


def each_tenant_schema() -> Any:
    """For beat's cross-tenant jobs: yields each tenant's schema name with the connection set to it (restored
    afterwards)."""
    from django_tenants.utils import get_tenant_model, schema_context

    for schema in get_tenant_model().objects.exclude(schema_name="public").values_list("schema_name", flat=True):
        with schema_context(schema):
            yield schema
