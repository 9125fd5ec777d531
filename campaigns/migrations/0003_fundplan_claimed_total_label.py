from decimal import Decimal

from django.db import migrations, models


class Migration(migrations.Migration):
    """``claimed_total`` is what the claims hold against the approval, not what the partner claimed: its label
    says so (no change to the column or its triggers)."""

    dependencies = [("campaigns", "0002_fund_totals_triggers")]

    operations = [
        migrations.AlterField(
            model_name="fundplan",
            name="claimed_total",
            field=models.DecimalField(decimal_places=2, default=Decimal("0"), max_digits=16,
                                      verbose_name="held by claims"),
        ),
    ]
