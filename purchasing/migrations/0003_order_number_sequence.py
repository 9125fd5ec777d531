from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("purchasing", "0002_account_entries_append_only")]

    operations = [
        migrations.RunSQL("CREATE SEQUENCE IF NOT EXISTS purchasing_order_number_seq",
                          "DROP SEQUENCE IF EXISTS purchasing_order_number_seq"),
    ]
