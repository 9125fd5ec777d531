from django.conf import settings
from django.db import migrations


def create_public(apps, schema_editor):  # type: ignore[no-untyped-def]
    """The public schema is a tenant too: the operator console answers on its domain."""
    Tenant = apps.get_model("tenancy", "Tenant")
    Domain = apps.get_model("tenancy", "Domain")
    tenant, _ = Tenant.objects.get_or_create(schema_name="public", defaults={"slug": "public", "name": "Operator"})
    Domain.objects.get_or_create(domain=getattr(settings, "PUBLIC_DOMAIN", "localhost"),
                                 defaults={"tenant": tenant, "is_primary": True})


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0001_initial")]

    operations = [migrations.RunPython(create_public, migrations.RunPython.noop)]
