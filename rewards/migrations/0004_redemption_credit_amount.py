from django.db import migrations, models


class Migration(migrations.Migration):
    """A credit-note redemption keeps the amount offered when the partner asked: HQ editing the catalogue while
    it waits does not change what its approval credits."""

    dependencies = [("rewards", "0003_ledger_append_only")]

    operations = [
        migrations.AddField(
            model_name="redemption",
            name="credit_amount",
            field=models.DecimalField(blank=True, decimal_places=0, max_digits=14, null=True,
                                      verbose_name="credit note amount (KRW)"),
        ),
        migrations.AddConstraint(
            model_name="redemption",
            constraint=models.CheckConstraint(
                condition=models.Q(("credit_amount__isnull", True), ("credit_amount__gte", 1), _connector="OR"),
                name="redemption_credit_amount_positive"),
        ),
    ]
