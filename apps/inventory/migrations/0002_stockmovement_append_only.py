"""Stock movements are append-only in the database too: UPDATE and DELETE are refused.

The one change allowed is what PostgreSQL's side of `on_delete=SET_NULL` needs: an UPDATE that
only sets `variant_id` and/or `actor_id` to NULL (a variant or a user was deleted), every other
column unchanged. The error is a restrict_violation (SQLSTATE 23001), an IntegrityError to Django.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION inventory_stockmovement_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND (NEW.variant_id IS NULL OR NEW.variant_id = OLD.variant_id)
        AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
        AND to_jsonb(NEW) - 'variant_id' - 'actor_id' = to_jsonb(OLD) - 'variant_id' - 'actor_id'
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'inventory_stockmovement is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER inventory_stockmovement_append_only
    BEFORE UPDATE OR DELETE ON inventory_stockmovement
    FOR EACH ROW EXECUTE FUNCTION inventory_stockmovement_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS inventory_stockmovement_append_only ON inventory_stockmovement;
DROP FUNCTION IF EXISTS inventory_stockmovement_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
