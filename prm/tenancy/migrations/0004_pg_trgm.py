from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm in the public schema, which every tenant's search path ends with: deal-conflict checks compare
    customer names by trigram similarity."""

    dependencies = [
        ("tenancy", "0003_tenant_dealer_list_limits"),
    ]

    operations = [
        migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public", migrations.RunSQL.noop),
    ]
