from django.db import migrations


class Migration(migrations.Migration):
    """Certificate numbers come from a sequence of their own (per tenant schema): readable, never reused."""

    dependencies = [("training", "0001_initial")]

    operations = [
        migrations.RunSQL("CREATE SEQUENCE IF NOT EXISTS training_certificate_number_seq",
                          "DROP SEQUENCE IF EXISTS training_certificate_number_seq"),
    ]
