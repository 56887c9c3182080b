"""Payment transactions are append-only in the database too: UPDATE and DELETE are refused.

The one change allowed is what PostgreSQL's side of `on_delete=SET_NULL` needs: an UPDATE that
only sets `actor_id` to NULL (a user was deleted), every other column unchanged. The error is a
restrict_violation (SQLSTATE 23001), an IntegrityError to Django.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION payments_paymenttransaction_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.actor_id IS NULL
        AND to_jsonb(NEW) - 'actor_id' = to_jsonb(OLD) - 'actor_id'
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'payments_paymenttransaction is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER payments_paymenttransaction_append_only
    BEFORE UPDATE OR DELETE ON payments_paymenttransaction
    FOR EACH ROW EXECUTE FUNCTION payments_paymenttransaction_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS payments_paymenttransaction_append_only ON payments_paymenttransaction;
DROP FUNCTION IF EXISTS payments_paymenttransaction_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
