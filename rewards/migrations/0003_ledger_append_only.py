from django.db import migrations


class Migration(migrations.Migration):
    """Ledger entries are never changed or deleted, by anyone in the tenant (nor the table emptied): a
    correction is a new entry."""

    dependencies = [("rewards", "0002_ledger")]

    operations = [
        migrations.RunSQL(
            """
            CREATE FUNCTION rewards_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'points ledger entries are append-only: add a correcting entry instead'
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$;
            CREATE TRIGGER rewards_ledger_append_only BEFORE UPDATE OR DELETE ON rewards_ledgerentry
                FOR EACH ROW EXECUTE FUNCTION rewards_ledger_append_only();
            CREATE TRIGGER rewards_ledger_no_truncate BEFORE TRUNCATE ON rewards_ledgerentry
                FOR EACH STATEMENT EXECUTE FUNCTION rewards_ledger_append_only();
            """,
            """
            DROP TRIGGER IF EXISTS rewards_ledger_no_truncate ON rewards_ledgerentry;
            DROP TRIGGER IF EXISTS rewards_ledger_append_only ON rewards_ledgerentry;
            DROP FUNCTION IF EXISTS rewards_ledger_append_only();
            """,
        ),
    ]
