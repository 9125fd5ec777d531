from django.db import migrations


class Migration(migrations.Migration):
    """Account entries are never changed or deleted, by anyone in the tenant: a correction is a new entry."""

    dependencies = [("purchasing", "0001_initial")]

    operations = [
        migrations.RunSQL(
            """
            CREATE FUNCTION purchasing_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'account entries are append-only: add a correcting entry instead'
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$;
            CREATE TRIGGER purchasing_entry_append_only BEFORE UPDATE OR DELETE ON purchasing_accountentry
                FOR EACH ROW EXECUTE FUNCTION purchasing_entry_append_only();
            """,
            """
            DROP TRIGGER IF EXISTS purchasing_entry_append_only ON purchasing_accountentry;
            DROP FUNCTION IF EXISTS purchasing_entry_append_only();
            """,
        ),
    ]
