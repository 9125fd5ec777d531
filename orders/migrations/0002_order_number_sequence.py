from django.db import migrations


class Migration(migrations.Migration):
    """Order numbers come from a sequence in each tenant's schema: unique, gap-tolerant, no lock."""

    dependencies = [("orders", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS orders_customer_order_number_seq",
            "DROP SEQUENCE IF EXISTS orders_customer_order_number_seq",
        ),
    ]
