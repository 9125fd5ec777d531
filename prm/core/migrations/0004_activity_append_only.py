from django.db import migrations


class Migration(migrations.Migration):
    """Activity rows are never changed or deleted, by anyone in the tenant (nor the table emptied); only the
    user or organisation may be set to NULL when that row is deleted. The trigger
    and its function are named after the table, so a tenant schema cloned from the template gets the same."""

    dependencies = [("core", "0003_activity")]

    operations = [
        migrations.RunSQL(
            """
            CREATE FUNCTION core_activity_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- the one change allowed: a deleted user or organisation is forgotten (on_delete=SET_NULL)
                IF TG_OP = 'UPDATE'
                   AND (NEW.user_id IS NULL OR NEW.user_id = OLD.user_id)
                   AND (NEW.organization_id IS NULL OR NEW.organization_id = OLD.organization_id)
                   AND ROW(NEW.id, NEW.at, NEW.verb, NEW.object_type, NEW.object_id, NEW.data)
                       IS NOT DISTINCT FROM ROW(OLD.id, OLD.at, OLD.verb, OLD.object_type, OLD.object_id, OLD.data)
                THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'activity rows are append-only'
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$;
            CREATE TRIGGER core_activity_append_only BEFORE UPDATE OR DELETE ON core_activity
                FOR EACH ROW EXECUTE FUNCTION core_activity_append_only();
            CREATE TRIGGER core_activity_no_truncate BEFORE TRUNCATE ON core_activity
                FOR EACH STATEMENT EXECUTE FUNCTION core_activity_append_only();
            """,
            """
            DROP TRIGGER IF EXISTS core_activity_no_truncate ON core_activity;
            DROP TRIGGER IF EXISTS core_activity_append_only ON core_activity;
            DROP FUNCTION IF EXISTS core_activity_append_only();
            """,
        ),
    ]
