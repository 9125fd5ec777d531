from django.db import migrations

# A claim's weight on its plan: waiting for HQ, its amount; accepted (paid or not), the amount accepted;
# rejected, nothing. The plan's totals move by the difference in the statement that writes the claim, as an
# increment of the locked plan row (never a re-sum from a snapshot, which two claims at once would both read
# before either wrote), so the plan's CHECK constraints see every claim: one that would take the claims over the
# approval fails with the statement that inserts it.
FORWARD = """
CREATE FUNCTION campaigns_claim_weight(status text, amount numeric, accepted numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN status = 'submitted' THEN amount
                WHEN status IN ('approved', 'paid') THEN coalesce(accepted, 0)
                ELSE 0 END
$$;

CREATE FUNCTION campaigns_claim_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    held numeric := 0;
    accepted numeric := 0;
    plan bigint;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.plan_id <> OLD.plan_id THEN
        RAISE EXCEPTION 'a claim stays on its plan' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        plan := NEW.plan_id;
        held := campaigns_claim_weight(NEW.status, NEW.amount, NEW.approved_amount);
        accepted := CASE WHEN NEW.status IN ('approved', 'paid') THEN coalesce(NEW.approved_amount, 0) ELSE 0 END;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        plan := OLD.plan_id;
        held := held - campaigns_claim_weight(OLD.status, OLD.amount, OLD.approved_amount);
        accepted := accepted
            - CASE WHEN OLD.status IN ('approved', 'paid') THEN coalesce(OLD.approved_amount, 0) ELSE 0 END;
    END IF;
    IF held <> 0 OR accepted <> 0 THEN
        UPDATE campaigns_fundplan
           SET claimed_total = claimed_total + held, accepted_total = accepted_total + accepted
         WHERE id = plan;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER campaigns_claim_totals AFTER INSERT OR UPDATE OR DELETE ON campaigns_fundclaim
    FOR EACH ROW EXECUTE FUNCTION campaigns_claim_totals();

CREATE FUNCTION campaigns_payment_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    plan bigint;
BEGIN
    UPDATE campaigns_fundclaim SET paid_amount = paid_amount + NEW.amount WHERE id = NEW.claim_id
        RETURNING plan_id INTO plan;
    UPDATE campaigns_fundplan SET paid_total = paid_total + NEW.amount WHERE id = plan;
    RETURN NULL;
END $$;

CREATE TRIGGER campaigns_payment_totals AFTER INSERT ON campaigns_fundpayment
    FOR EACH ROW EXECUTE FUNCTION campaigns_payment_totals();

CREATE FUNCTION campaigns_payment_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'fund payments are append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER campaigns_payment_append_only BEFORE UPDATE OR DELETE ON campaigns_fundpayment
    FOR EACH ROW EXECUTE FUNCTION campaigns_payment_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS campaigns_payment_append_only ON campaigns_fundpayment;
DROP FUNCTION IF EXISTS campaigns_payment_append_only();
DROP TRIGGER IF EXISTS campaigns_payment_totals ON campaigns_fundpayment;
DROP FUNCTION IF EXISTS campaigns_payment_totals();
DROP TRIGGER IF EXISTS campaigns_claim_totals ON campaigns_fundclaim;
DROP FUNCTION IF EXISTS campaigns_claim_totals();
DROP FUNCTION IF EXISTS campaigns_claim_weight(text, numeric, numeric);
"""


class Migration(migrations.Migration):
    """The plan's claimed / accepted / paid totals kept by the database from its claims and payments; payments
    are never changed or deleted."""

    dependencies = [("campaigns", "0001_campaigns_and_funds")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
